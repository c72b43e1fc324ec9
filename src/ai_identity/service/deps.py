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

__all__ = ["ERRORS", "UserId", "reject_unknown_query", "require", "services_of"]

_bearer = HTTPBearer(auto_error=False, description="an API key from `ai-identity keys create`")


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


def services_of(request: Request) -> Services:
    return request.app.state.services


def require(scope: str) -> Callable[..., ApiKey]:
    """A dependency that lets the request through only with a known key holding ``scope`` (or ``admin``)."""

    def check(
        request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> ApiKey:
        key = services_of(request).keys.check(creds.credentials) if creds is not None else None
        if key is None:
            raise AuthError("authorization: expected 'Bearer <API key>' with a key this service knows")
        if not key.allows(scope):
            raise ForbiddenError(f"authorization: this request needs the scope {scope!r}")
        services_of(request).limiter.take(key.key_id)
        return key

    return check


_DECLARED: dict[int, frozenset[str]] = {}


def reject_unknown_query(request: Request) -> None:
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
