"""Ingest through the real app against the real Redis: durable log first, then the seed's key with a TTL."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

pytestmark = pytest.mark.integration


def _log_rows(api: Any, event_id: str) -> int:
    with sqlite3.connect(api.services.event_log.path) as con:
        return con.execute("SELECT count(*) FROM event_log WHERE event_id=?", (event_id,)).fetchone()[0]


def test_when_one_event_is_tracked_then_it_is_in_the_log_and_redis_with_a_24h_ttl(api, event, redis_client):
    r = api.client.post("/v1/track", json=event(), headers=api.h("track"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 1 and body["redis"] == "stored"
    res = body["events"][0]
    assert res["key"] == "behavior:7:1795168800123456"
    assert _log_rows(api, res["event_id"]) == 1
    stored = redis_client.get(api.prefix + res["key"])
    value = json.loads(stored)
    assert value["user_id"] == 7 and value["action_type"] == "view"
    assert value["timestamp"] == "2026-11-20T10:00:00.123456Z"
    assert 86_390 <= redis_client.ttl(api.prefix + res["key"]) <= 86_400


def test_when_the_seed_path_is_used_then_it_is_an_alias(api, event):
    r = api.client.post("/track", json=event(user_id=8), headers=api.h("track"))
    assert r.status_code == 200 and r.json()["events"][0]["key"].startswith("behavior:8:")


def test_when_the_same_event_id_is_sent_twice_then_one_row_and_one_key(api, event, redis_client):
    ev = event(event_id="retry-1", user_id=9)
    first = api.client.post("/v1/track", json=ev, headers=api.h("track")).json()
    second = api.client.post("/v1/track", json=ev, headers=api.h("track")).json()
    assert first["accepted"] == 1 and first["duplicates"] == 0
    assert second["accepted"] == 0 and second["duplicates"] == 1
    assert second["events"][0]["key"] == first["events"][0]["key"]
    assert _log_rows(api, "retry-1") == 1
    assert len(list(redis_client.scan_iter(match=f"{api.prefix}behavior:9:*"))) == 1


def test_when_no_event_id_is_given_then_it_is_derived_so_a_retry_is_idempotent(api, event):
    a = api.client.post("/v1/track", json=event(user_id=10), headers=api.h("track")).json()
    b = api.client.post("/v1/track", json=event(user_id=10), headers=api.h("track")).json()
    assert a["events"][0]["event_id"] == b["events"][0]["event_id"]
    assert len(a["events"][0]["event_id"]) == 64 and b["duplicates"] == 1


def test_when_a_batch_is_tracked_then_every_event_is_accepted_in_order(api, event, redis_client):
    events = [event(user_id=11, timestamp=f"2026-11-20T10:00:{s:02d}Z", duration=s) for s in range(50)]
    r = api.client.post("/v1/track/batch", json={"events": events}, headers=api.h("track"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 50 and len(body["events"]) == 50
    assert len(list(redis_client.scan_iter(match=f"{api.prefix}behavior:11:*", count=1000))) == 50


def test_when_two_events_share_a_timestamp_then_the_second_key_carries_its_id(api, event):
    evs = [event(user_id=12, event_id="a-1"), event(user_id=12, event_id="a-2", action_type="search")]
    body = api.client.post("/v1/track/batch", json={"events": evs}, headers=api.h("track")).json()
    keys = [e["key"] for e in body["events"]]
    assert keys[0] == "behavior:12:1795168800123456"
    assert keys[1] == "behavior:12:1795168800123456:a-2"


def test_when_a_batch_repeats_an_id_then_it_is_stored_once(api, event):
    evs = [event(user_id=13, event_id="dup-1"), event(user_id=13, event_id="dup-1")]
    body = api.client.post("/v1/track/batch", json={"events": evs}, headers=api.h("track")).json()
    assert body["accepted"] == 1 and body["duplicates"] == 1
    assert _log_rows(api, "dup-1") == 1


def test_when_timestamps_arrive_out_of_order_then_all_are_accepted(api, event):
    times = ["2026-11-20T12:00:00Z", "2026-11-20T09:00:00Z", "2026-11-19T23:59:59.5Z"]
    evs = [event(user_id=14, timestamp=t) for t in times]
    body = api.client.post("/v1/track/batch", json={"events": evs}, headers=api.h("track")).json()
    assert body["accepted"] == 3


def test_when_the_user_is_unknown_then_the_event_is_still_accepted(api, event):
    r = api.client.post("/v1/track", json=event(user_id=987_654_321), headers=api.h("track"))
    assert r.status_code == 200 and r.json()["accepted"] == 1


def test_when_unicode_text_is_sent_then_it_is_kept(api, event, redis_client):
    ev = event(
        user_id=15,
        session_id="会话-Ω-🙂",
        action_details=json.dumps({"q": "数据工程师 🙂"}, ensure_ascii=False),
    )
    body = api.client.post("/v1/track", json=ev, headers=api.h("track")).json()
    value = json.loads(redis_client.get(api.prefix + body["events"][0]["key"]))
    assert value["session_id"] == "会话-Ω-🙂" and "数据工程师" in value["action_details"]


def test_when_redis_is_down_then_the_event_is_durable_and_redis_is_deferred(make_api, event):
    with_down = make_api(redis_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    api = next(with_down)
    try:
        r = api.client.post("/v1/track", json=event(user_id=16, event_id="down-1"), headers=api.h("track"))
        assert r.status_code == 200 and r.json()["redis"] == "deferred"
        assert _log_rows(api, "down-1") == 1
        assert api.client.get("/healthz").json()["redis"] == "down"
    finally:
        with pytest.raises(StopIteration):
            next(with_down)


def test_when_events_are_accepted_then_metrics_count_them(api, event):
    api.client.post("/v1/track", json=event(user_id=17), headers=api.h("track"))
    text = api.client.get("/metrics").text
    assert "aiid_events_accepted_total 1.0" in text
    assert 'aiid_http_requests_total{method="POST",route="/v1/track",status="200"} 1.0' in text
    assert "aiid_http_request_seconds_bucket" in text


def test_when_requests_arrive_together_then_they_share_transactions(api, event, redis_client):
    import asyncio

    import httpx

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=api.client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await asyncio.gather(
                *(
                    client.post("/v1/track", json=event(user_id=18, duration=i), headers=api.h("track"))
                    for i in range(60)
                )
            )

    before = api.services.committer.flushes
    responses = asyncio.run(run())
    assert all(r.status_code == 200 and r.json()["accepted"] == 1 for r in responses)
    flushes = api.services.committer.flushes - before
    assert 1 <= flushes < 60
    ids = {r.json()["events"][0]["event_id"] for r in responses}
    assert len(ids) == 60 and all(_log_rows(api, i) == 1 for i in ids)
    assert len(list(redis_client.scan_iter(match=f"{api.prefix}behavior:18:*", count=1000))) == 60
