"""Malformed requests get a 4xx with a JSON error naming the field and the expected form, never a 5xx."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"user_id": "seven"}, "user_id"),
        ({"user_id": 0}, "user_id"),
        ({"user_id": 2**70}, "user_id"),
        ({"duration": -1}, "duration"),
        ({"duration": "long"}, "duration"),
        ({"action_type": "hover"}, "action_type"),
        ({"action_target": "spaceship"}, "action_target"),
        ({"session_id": ""}, "session_id"),
        ({"session_id": "s" * 129}, "session_id"),
        ({"action_details": "not json"}, "action_details"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"event_id": "has spaces/and slashes"}, "event_id"),
        ({"success": "maybe"}, "success"),
    ],
)
def test_when_a_field_is_wrong_then_422_names_it(api, event, override, field):
    r = api.client.post("/v1/track", json=event(**override), headers=api.h("track"))
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["type"] == "ValidationError" and err["field"] == field
    assert err["message"].startswith(f"{field}: ")


def test_when_a_required_field_is_missing_then_422_names_it(api, event):
    body = event()
    del body["action_type"]
    err = api.client.post("/v1/track", json=body, headers=api.h("track")).json()["error"]
    assert err["field"] == "action_type" and "required" in err["message"].lower()


def test_when_the_timestamp_is_in_the_future_then_422_names_it(api, event):
    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    r = api.client.post("/v1/track", json=event(timestamp=future), headers=api.h("track"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "timestamp"


def test_when_the_timestamp_is_within_the_skew_then_it_is_accepted(api, event):
    soon = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    assert api.client.post("/v1/track", json=event(timestamp=soon), headers=api.h("track")).status_code == 200


def test_when_one_batch_event_is_wrong_then_422_names_its_index(api, event):
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    evs = [event(), event(duration=-3)]
    err = api.client.post("/v1/track/batch", json={"events": evs}, headers=api.h("track")).json()["error"]
    assert err["field"] == "events[1].duration"
    evs = [event(), event(timestamp=future)]
    r = api.client.post("/v1/track/batch", json={"events": evs}, headers=api.h("track"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "events[1].timestamp"


def test_when_a_batch_is_empty_or_over_1000_then_422(api, event):
    r = api.client.post("/v1/track/batch", json={"events": []}, headers=api.h("track"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "events"
    big = {"events": [event(duration=i) for i in range(1001)]}
    r = api.client.post("/v1/track/batch", json=big, headers=api.h("track"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "events"


def test_when_the_body_is_over_the_limit_then_413(api):
    r = api.client.post(
        "/v1/track",
        content=b'{"pad": "' + b"x" * (2 << 20) + b'"}',
        headers={**api.h("track"), "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"]["type"] == "PayloadTooLarge"


def test_when_a_streamed_body_is_over_the_limit_then_413(api):
    def chunks():
        for _ in range(40):
            yield b"x" * 65536

    r = api.client.post("/v1/track", content=chunks(), headers=api.h("track"))
    assert r.status_code == 413


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b"[]", b"null", b'"text"', b"\xff\xfe", b'{"user_id": 1e999}'],
)
def test_when_the_body_is_not_an_event_then_4xx_json(api, content):
    headers = {**api.h("track"), "Content-Type": "application/json"}
    r = api.client.post("/v1/track", content=content, headers=headers)
    assert 400 <= r.status_code < 500, r.text
    assert "error" in r.json()


def test_when_a_path_or_query_is_malformed_then_422_names_it(api):
    r = api.client.get("/v1/identities/abc", headers=api.h("admin"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "user_id"
    r = api.client.get("/v1/identities/3?viewer=everyone", headers=api.h("admin"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "viewer"
    r = api.client.get("/v1/identities/3/similar?k=0", headers=api.h("admin"))
    assert r.status_code == 422 and r.json()["error"]["field"] == "k"
    r = api.client.get(f"/v1/identities/{2**64}", headers=api.h("admin"))
    assert r.status_code == 422


def test_when_a_route_does_not_exist_then_404_json(api):
    r = api.client.get("/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["type"] == "HTTPError"
    r = api.client.delete("/v1/track", headers=api.h("admin"))
    assert r.status_code == 405


def test_when_an_error_is_returned_then_the_sent_value_is_not_echoed(api, event):
    secret = "alice@example.com"
    r = api.client.post("/v1/track", json=event(action_type=secret), headers=api.h("track"))
    assert r.status_code == 422 and secret not in r.text
