"""What the routes share: the services of the app, the API-key check and the documented error responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from ai_identity.errors import RecordError
from ai_identity.service.config import Services
from ai_identity.service.events import MAX_INT
from ai_identity.service.keys import ApiKey, AuthError, ForbiddenError
from ai_identity.service.tokens import UserToken, verify

__all__ = ["ERRORS", "Principal", "UserId", "actor_of", "reject_unknown_query", "require", "services_of"]

_bearer = HTTPBearer(
    auto_error=False,
    description="an API key from `ai-identity keys create`, or a user token (`ai-identity tokens create USER`)",
)
Principal = ApiKey | UserToken


class ErrorDetail(BaseModel):
    type: str
    message: str
    field: str | None = None
    errors: list[dict[str, str]] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "malformed request"),
        (401, "no API key, or an unknown one"),
        (403, "the key lacks the scope"),
        (404, "not found"),
        (413, "body too large"),
        (429, "this key's request rate is exceeded: retry later"),
        (422, "a field is invalid: the error names it and the expected form"),
        (503, "a store is unavailable"),
    )
}

UserId = Annotated[int, Path(ge=1, le=MAX_INT, description="platform user id")]


def actor_of(request: Request) -> str:
    """Who the audit log names: ``user`` for a user token acting for themself, ``api`` for an API key."""
    return "user" if isinstance(getattr(request.state, "principal", None), UserToken) else "api"


def services_of(request: Request) -> Services:
    return request.app.state.services


def _principal(request: Request, creds: HTTPAuthorizationCredentials | None) -> Principal | None:
    if creds is None:
        return None
    keys = services_of(request).keys
    if creds.credentials.startswith("aiid_"):
        return keys.check(creds.credentials)
    return verify(keys, creds.credentials)


def _own(request: Request, token: UserToken) -> bool:
    raw = request.path_params.get("user_id")
    return raw is not None and raw.isascii() and raw.isdigit() and int(raw) == token.user_id


def require(scope: str, self_service: bool = False) -> Callable[..., Principal]:
    """A dependency that lets the request through only with a known key holding ``scope`` (or ``admin``) or,
    when ``self_service``, a user token whose user is the path's ``user_id``. Decided before any lookup, with
    one message per case, so a 401 or 403 never tells whether a user exists."""

    async def check(  # async: a key check is a few microseconds, not worth a thread hop
        request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> Principal:
        who = _principal(request, creds)
        if who is None:
            raise AuthError(
                "authorization: expected 'Bearer <API key or user token>' with a key or token this service knows"
            )
        if isinstance(who, UserToken):
            if not self_service:
                raise ForbiddenError(f"authorization: this request needs an API key with the scope {scope!r}")
            if not _own(request, who):
                raise ForbiddenError("authorization: a user token acts for its own user only")
        elif not who.allows(scope):
            raise ForbiddenError(f"authorization: this request needs the scope {scope!r}")
        services_of(request).limiter.take(who.key_id)
        request.state.principal = who
        return who

    return check


_DECLARED: dict[int, frozenset[str]] = {}


async def reject_unknown_query(request: Request) -> None:
    """A query parameter the route does not declare is a 422 (a typo must not be silently ignored)."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    declared = _DECLARED.get(id(route))
    if declared is None:
        declared = _DECLARED[id(route)] = frozenset(_query_names(route.dependant))
    if set(request.query_params) - declared:
        expected = ", ".join(sorted(declared)) or "none"
        # the unknown name is not echoed: it is caller text
        raise RecordError("request", "query", f"only the declared query parameters ({expected})")


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
