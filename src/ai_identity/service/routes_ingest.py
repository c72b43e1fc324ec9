"""``POST /v1/track`` (alias ``/track``) and ``POST /v1/track/batch``: durable first, then Redis."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field

from ai_identity.errors import RecordError, SourceError
from ai_identity.service.deps import ERRORS, require, services_of
from ai_identity.service.events import TrackEvent, check_not_future, derive_event_id

router = APIRouter(tags=["ingest"], responses=ERRORS)
_auth = Depends(require("track:write"))


class EventResult(BaseModel):
    event_id: str
    key: str = Field(description="the seed's Redis key (without the service's prefix)")
    duplicate: bool = Field(description="true when the log already held this event id (an idempotent retry)")


class TrackResult(BaseModel):
    accepted: int
    duplicates: int
    redis: Literal["stored", "deferred"]
    events: list[EventResult]


async def _accept(request: Request, events: list[TrackEvent], where: str) -> TrackResult:
    svc = services_of(request)
    now = datetime.now(UTC)
    for i, ev in enumerate(events):
        check_not_future(ev, now, svc.settings.clock_skew_s, where.format(i=i))
    items = [(ev, ev.event_id or derive_event_id(ev)) for ev in events]
    try:
        accepted, redis_state = await svc.committer.submit(items)
    except Exception as exc:
        raise SourceError("event log: the append failed; nothing was accepted, retry") from exc
    metrics = request.app.state.metrics
    new = sum(not a.duplicate for a in accepted)
    metrics.events.inc(new)
    metrics.duplicates.inc(len(accepted) - new)
    if redis_state == "deferred":
        metrics.deferred.inc(len(accepted))
    return TrackResult(
        accepted=new,
        duplicates=len(accepted) - new,
        redis=redis_state,
        events=[EventResult(event_id=a.event_id, key=a.redis_key, duplicate=a.duplicate) for a in accepted],
    )


@router.post("/v1/track", response_model=TrackResult, dependencies=[_auth])
async def track(request: Request, event: Annotated[TrackEvent, Body()]) -> TrackResult:
    """Accept one event of the seed's ``UserBehaviorAnalysis`` schema (unknown user ids are accepted)."""
    return await _accept(request, [event], "timestamp")


@router.post("/track", response_model=TrackResult, dependencies=[_auth], include_in_schema=True)
async def track_alias(request: Request, event: Annotated[TrackEvent, Body()]) -> TrackResult:
    """The seed's path: the same as ``POST /v1/track``."""
    return await _accept(request, [event], "timestamp")


class TrackBatch(BaseModel):
    events: list[TrackEvent] = Field(min_length=1, max_length=1000)


@router.post("/v1/track/batch", response_model=TrackResult, dependencies=[_auth])
async def track_batch(request: Request, batch: TrackBatch) -> TrackResult:
    """Accept up to 1,000 events in one durable transaction (the limit is ``max_batch``)."""
    limit = services_of(request).settings.max_batch
    if len(batch.events) > limit:
        raise RecordError("batch", "events", f"at most {limit} events")
    return await _accept(request, batch.events, "events[{i}].timestamp")
