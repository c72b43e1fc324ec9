"""Users' rights over HTTP: consent (read, grant, revoke, deny), erasure with its receipt, export.

Each needs an ``admin`` key (an operator acting on a user's request) or a user token for that very user (the
person acting for themself; ``ai-identity tokens create USER``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ai_identity.service.deps import ERRORS, UserId, actor_of, require, services_of

router = APIRouter(
    tags=["rights"], responses=ERRORS, dependencies=[Depends(require("admin", self_service=True))]
)

Subject = Literal[
    "basic",
    "sensitive",
    "relational",
    "identity_building",
    "analytics",
    "third_party_sharing",
    "model_training",
]


class ConsentChange(BaseModel):
    subject: Subject = Field(description="a tier or a purpose")
    status: Literal["granted", "revoked", "denied"]
    note: str | None = Field(default=None, max_length=500, description="kept with the record, not audited")


def _json(obj: Any) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False, default=str), media_type="application/json")


def _consent_state(platform: Any, user_id: int) -> dict[str, Any]:
    from ai_identity.rights import user_consent_state

    return {"user_id": user_id, **user_consent_state(platform, user_id)}


@router.get("/v1/users/{user_id}/consent", response_model=dict[str, Any])
def get_consent(request: Request, user_id: UserId) -> Response:
    """The user's current consent (platform settings overridden by records) and the record history."""
    return _json(_consent_state(services_of(request).platform, user_id))


@router.put("/v1/users/{user_id}/consent", response_model=dict[str, Any])
def put_consent(request: Request, user_id: UserId, change: Annotated[ConsentChange, Body()]) -> Response:
    """Record a grant, revocation or denial of a tier or purpose; audited; the identity is rebuilt when the
    user's consent changes."""
    from ai_identity.rights import change_consent

    platform = services_of(request).platform
    state = change_consent(
        platform, user_id, change.subject, change.status, "api", change.note, actor=actor_of(request)
    )
    return _json({"user_id": user_id, **state})


@router.post("/v1/users/{user_id}/erasure", response_model=dict[str, Any])
def erasure(request: Request, user_id: UserId) -> Response:
    """Remove the user from every store the engine writes, the service's event log and Redis keys included;
    returns the receipt (a repeat removes nothing)."""
    from ai_identity.privacy.audit import AuditLog, default_audit_path
    from ai_identity.privacy.erasure import erase

    svc = services_of(request)
    receipt = erase(svc.platform, user_id)
    logged = svc.event_log.erase_user(user_id)
    receipt.add(svc.event_log.name, logged)
    try:
        cached = svc.redis.erase_user(user_id)
        receipt.add("redis:behavior", cached)
    except Exception:
        cached = 0
        receipt.add("redis:behavior", 0, state="unreachable")
    svc.similar.remove(user_id)
    svc.views.drop(user_id)
    with AuditLog(default_audit_path(svc.platform)) as log:
        # counts only and no subject, like the library's own erasure entry: it names nobody
        log.record("erasure.service", actor=actor_of(request), details={"event_log": logged, "redis": cached})
    return _json(receipt.as_dict())


@router.get("/v1/users/{user_id}/export", response_model=dict[str, Any])
def export(request: Request, user_id: UserId) -> Response:
    """The user's identity as they see it, with its evidence, earlier versions and consent history."""
    from ai_identity.privacy.erasure import export_user

    return _json(export_user(services_of(request).platform, user_id))
