"""Incremental identity updates: an accepted event shows in the user's identity.

How fast (the 1-second p99 target) is measured by benchmarks/bench_freshness.py, not asserted here: a timed
assertion would only measure how loaded the machine is."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytestmark = pytest.mark.integration

WAIT_S = 10.0  # an upper bound on waiting, not a speed target


def _identity(api: Any, uid: int) -> dict[str, Any]:
    r = api.client.get(f"/v1/identities/{uid}?viewer=trusted", headers=api.h("trusted"))
    assert r.status_code == 200, r.text
    return r.json()


def _active_user(api: Any) -> tuple[int, dict[str, Any]]:
    """A user with an analysed identity that has a behaviour facet."""
    store = api.services.identities.get()
    for uid in store.user_ids():
        ident = store.get(uid)
        if not ident.stub and "last_active" in ident.behavior:
            return uid, _identity(api, uid)
    raise AssertionError("the built platform has no user with a behaviour facet")


def _last_active(doc: dict[str, Any]) -> str | None:
    claim = doc.get("behavior", {}).get("last_active")
    return claim["value"] if claim else None


def _platform_sessions(api: Any, uid: int, as_of: datetime) -> int:
    """The user's sessions in the platform's own events, in the window ending at ``as_of`` (the window slides
    with the newest event, so older sessions may leave it)."""
    from ai_identity.analyse.behavior import COLUMNS, behavior_stats
    from ai_identity.sources.embedded.events import read_events

    frame = read_events(api.services.platform, datetime.now(UTC), [uid], columns=COLUMNS).frame
    table = behavior_stats(frame, {}, as_of)
    return table[uid].sessions if uid in table else 0


def _wait_for(api: Any, uid: int, last_active: str, timeout: float) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    while True:
        doc = _identity(api, uid)
        elapsed = time.perf_counter() - start
        if _last_active(doc) == last_active or elapsed > timeout:
            return elapsed, doc
        time.sleep(0.01)


def test_when_an_event_is_accepted_then_the_identity_shows_it_after_the_update(api: Any, event: Any) -> None:
    uid, before = _active_user(api)
    assert api.services.updater is not None
    ts = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)
    assert _last_active(before) is not None and datetime.fromisoformat(_last_active(before)) < ts
    r = api.client.post(
        "/v1/track",
        headers=api.h("track"),
        json=event(user_id=uid, session_id="fresh-1", timestamp=ts.isoformat().replace("+00:00", "Z")),
    )
    assert r.status_code == 200 and r.json()["accepted"] == 1
    _, after = _wait_for(api, uid, ts.isoformat(), timeout=WAIT_S)
    assert _last_active(after) == ts.isoformat(), "the event never showed in the identity"
    assert after["identity_version"] > before["identity_version"]
    assert after["content_hash"] != before["content_hash"]
    # nothing but the behaviour facet (and the persona quoting it) changed
    for key in ("skills", "career", "profile", "network", "as_of", "built_at"):
        assert after[key] == before[key], key
    # the previous version is kept in the history
    export = api.client.get(f"/v1/users/{uid}/export", headers=api.h("admin")).json()
    earlier = {v["identity_version"]: v for v in export["identity_history"]}
    assert before["identity_version"] in earlier
    assert earlier[before["identity_version"]]["document"]["behavior"]["last_active"][
        "value"
    ] == _last_active(before)


def test_when_a_burst_of_events_arrives_then_few_rebuilds_count_them_all(api: Any, event: Any) -> None:
    uid, before = _active_user(api)
    upd = api.services.updater
    assert upd.wait_idle(5.0)
    rebuilds0 = upd.rebuilds
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=60)
    last = base
    for i in range(20):
        last = base + timedelta(seconds=i)
        body = event(
            user_id=uid,
            session_id=f"burst-{i}",
            action_type="create",
            action_target="ai_assistant",
            action_target_id=None,
            action_details='{"accepted": true}',
            timestamp=last.isoformat().replace("+00:00", "Z"),
        )
        assert api.client.post("/v1/track", headers=api.h("track"), json=body).status_code == 200
    _, after = _wait_for(api, uid, last.isoformat(), timeout=WAIT_S)
    assert _last_active(after) == last.isoformat()
    assert upd.wait_idle(5.0)
    after = _identity(api, uid)
    rebuilds = upd.rebuilds - rebuilds0
    assert 1 <= rebuilds <= 20
    assert after["behavior"]["sessions"]["value"]["count"] == _platform_sessions(api, uid, last) + 20
    assert after["behavior"]["target_mix"]["value"]["ai_assistant"] > before["behavior"]["target_mix"][
        "value"
    ].get("ai_assistant", 0)
    assert after["identity_version"] > before["identity_version"]


def test_when_events_arrive_while_a_rebuild_waits_then_they_coalesce(api: Any, event: Any) -> None:
    uid, before = _active_user(api)
    upd = api.services.updater
    upd.stop()  # hold the worker: 20 events mark the user once
    rebuilds0 = upd.rebuilds
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=90)
    batch = [
        event(user_id=uid, session_id=f"held-{i}", timestamp=(base + timedelta(seconds=i)).isoformat())
        for i in range(20)
    ]
    for body in batch:
        assert api.client.post("/v1/track", headers=api.h("track"), json=body).status_code == 200
    assert upd.pending() == 1
    upd.start()
    assert upd.wait_idle(5.0)
    assert upd.rebuilds - rebuilds0 == 1
    after = _identity(api, uid)
    last = base + timedelta(seconds=19)
    assert _last_active(after) == last.isoformat()
    assert after["behavior"]["sessions"]["value"]["count"] == _platform_sessions(api, uid, last) + 20
    assert after["identity_version"] == before["identity_version"] + 1


def test_when_the_user_has_no_identity_then_the_event_is_accepted_and_nothing_is_built(
    api: Any, event: Any
) -> None:
    upd = api.services.updater
    skipped0 = upd.skipped
    r = api.client.post("/v1/track", headers=api.h("track"), json=event(user_id=987_654))
    assert r.status_code == 200
    assert upd.wait_idle(5.0)
    assert upd.skipped == skipped0 + 1
    r = api.client.get("/v1/identities/987654?viewer=trusted", headers=api.h("trusted"))
    assert r.status_code == 404


def test_when_the_same_event_is_retried_then_the_version_does_not_move(api: Any, event: Any) -> None:
    uid, _ = _active_user(api)
    upd = api.services.updater
    body = event(user_id=uid, session_id="retry", event_id="retry-1", timestamp=datetime.now(UTC).isoformat())
    assert api.client.post("/v1/track", headers=api.h("track"), json=body).status_code == 200
    assert upd.wait_idle(5.0)
    v1 = _identity(api, uid)["identity_version"]
    written = upd.written
    r = api.client.post("/v1/track", headers=api.h("track"), json=body)
    assert r.json()["duplicates"] == 1
    assert upd.wait_idle(5.0)
    assert upd.written == written and _identity(api, uid)["identity_version"] == v1


def test_when_a_user_is_erased_then_a_later_event_does_not_bring_the_identity_back(
    api: Any, event: Any
) -> None:
    uid, _ = _active_user(api)
    upd = api.services.updater
    assert api.client.post(f"/v1/users/{uid}/erasure", headers=api.h("admin")).status_code == 200
    r = api.client.post(
        "/v1/track", headers=api.h("track"), json=event(user_id=uid, session_id="after-erasure")
    )
    assert r.status_code == 200
    assert upd.wait_idle(5.0)
    r = api.client.get(f"/v1/identities/{uid}?viewer=trusted", headers=api.h("trusted"))
    assert r.status_code == 404
