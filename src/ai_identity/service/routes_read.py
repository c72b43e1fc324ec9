"""Reads: identities filtered by viewer, similar users, health and Prometheus metrics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from ai_identity.errors import NotFoundError
from ai_identity.service.deps import ERRORS, Principal, UserId, require, services_of
from ai_identity.service.keys import ApiKey, ForbiddenError
from ai_identity.service.views import render, stamp_of

router = APIRouter(responses=ERRORS)

# with an API key, ``self`` is an operator's view (admin); a user token sees its own user with any viewer
_VIEWER_SCOPE = {"public": "identity:read", "trusted": "identity:read:trusted", "self": "admin"}


@router.get("/v1/identities/{user_id}", tags=["identities"], response_model=dict[str, Any])
async def get_identity(
    request: Request,
    user_id: UserId,
    who: Annotated[Principal, Depends(require("identity:read", self_service=True))],
    viewer: Annotated[Literal["self", "trusted", "public"], Query()] = "public",
) -> Response:
    """The user's AI identity as ``viewer`` may see it (claims filtered by their visibility); a user token
    reads its own user only, with any viewer."""
    if isinstance(who, ApiKey) and not who.allows(_VIEWER_SCOPE[viewer]):
        raise ForbiddenError(f"authorization: viewer={viewer} needs the scope {_VIEWER_SCOPE[viewer]!r}")
    svc = services_of(request)
    # the row's stamp is one indexed lookup (on the event loop); a changed or missing row is rendered in a
    # worker thread (service/views.py)
    stamp = stamp_of(svc.identities.get(), user_id)
    body = svc.views.get(user_id, viewer, stamp) if stamp is not None else None
    if body is None:
        stamp, body = await run_in_threadpool(lambda: render(svc.identities.get(), user_id, viewer))
        svc.views.put(user_id, viewer, stamp, body)
    return Response(body, media_type="application/json")


class Neighbour(BaseModel):
    user_id: int
    similarity: float


class SimilarResult(BaseModel):
    user_id: int
    kind: Literal["skills"] = "skills"
    similar: list[Neighbour]


@router.get(
    "/v1/identities/{user_id}/similar",
    tags=["identities"],
    response_model=SimilarResult,
    dependencies=[Depends(require("identity:read"))],
)
def similar_users(
    request: Request, user_id: UserId, k: Annotated[int, Query(ge=1, le=100)] = 10
) -> SimilarResult:
    """The ``k`` users whose skills vectors are nearest (cosine, HNSW), the user excluded. Users erased since
    the index was built (by another worker too) are left out: the identity store is checked."""
    svc = services_of(request)
    pairs = svc.similar.similar(user_id, k + 5)
    con = svc.identities.get().con
    ids = [user_id, *(u for u, _ in pairs)]
    marks = ",".join("?" * len(ids))
    stored = {u for (u,) in con.execute(f"SELECT user_id FROM identities WHERE user_id IN ({marks})", ids)}
    if user_id not in stored:
        raise NotFoundError("no skills vector for this user")
    kept = [Neighbour(user_id=u, similarity=s) for u, s in pairs if u in stored][:k]
    return SimilarResult(user_id=user_id, similar=kept)


class Health(BaseModel):
    status: Literal["ok"]
    redis: Literal["up", "down", "off"]
    identities_indexed: int


@router.get("/healthz", tags=["operations"], response_model=Health)
def healthz(request: Request) -> Health:
    """Liveness, with Redis's state (the service accepts events while Redis is down)."""
    svc = services_of(request)
    state: Literal["up", "down", "off"] = "off"
    if svc.redis.client is not None:
        try:
            state = "up" if svc.redis.client.ping() else "down"
        except Exception:
            state = "down"
    return Health(status="ok", redis=state, identities_indexed=svc.similar.size)


@router.get(
    "/metrics",
    tags=["operations"],
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests and latency by route, events accepted (no personal data)."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/v1/quality",
    tags=["operations"],
    response_model=dict[str, Any],
    dependencies=[Depends(require("admin"))],
)
def quality(request: Request) -> Response:
    """The platform's data-quality gates (the seed's thresholds) and metrics, as ``ai-identity quality --json``
    gives them. Computed on request; record keys only, never values."""
    import json

    from ai_identity.quality.config import load_config
    from ai_identity.quality.gates import evaluate
    from ai_identity.store.identities import default_path

    platform = services_of(request).platform
    cfg = load_config(None)
    store = default_path(platform)
    run = evaluate(platform, cfg, store if store.exists() else None)
    return Response(json.dumps(run.as_dict(cfg.worst_records), default=str), media_type="application/json")
