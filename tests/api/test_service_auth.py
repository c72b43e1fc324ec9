"""API keys: 401 without a known key, 403 without the scope; neither says whether a user exists."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

ROUTES = [
    ("GET", "/v1/identities/{u}"),
    ("GET", "/v1/identities/{u}/similar"),
    ("GET", "/v1/users/{u}/consent"),
    ("GET", "/v1/users/{u}/export"),
    ("POST", "/v1/users/{u}/erasure"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("auth", [None, "Bearer nope", "Bearer aiid_000000000000_forged", "Basic abc"])
def test_when_the_key_is_missing_or_wrong_then_401_the_same_for_known_and_unknown_users(
    api, method, path, auth
):
    headers = {"Authorization": auth} if auth else {}
    known = api.client.request(method, path.format(u=3), headers=headers)
    unknown = api.client.request(method, path.format(u=999_999), headers=headers)
    assert known.status_code == unknown.status_code == 401
    assert known.json() == unknown.json()


@pytest.mark.parametrize(("method", "path"), ROUTES[2:])
def test_when_the_scope_is_missing_then_403_the_same_for_known_and_unknown_users(api, method, path):
    known = api.client.request(method, path.format(u=3), headers=api.h("read"))
    unknown = api.client.request(method, path.format(u=999_999), headers=api.h("read"))
    assert known.status_code == unknown.status_code == 403
    assert known.json() == unknown.json()


def test_when_a_read_key_tracks_then_403(api, event):
    r = api.client.post("/v1/track", json=event(), headers=api.h("read"))
    assert r.status_code == 403 and "track:write" in r.json()["error"]["message"]


def test_when_a_track_key_reads_then_403(api):
    assert api.client.get("/v1/identities/3", headers=api.h("track")).status_code == 403


def test_when_a_viewer_needs_more_than_the_key_has_then_403(api):
    assert api.client.get("/v1/identities/3?viewer=trusted", headers=api.h("read")).status_code == 403
    assert api.client.get("/v1/identities/3?viewer=self", headers=api.h("trusted")).status_code == 403
    assert api.client.get("/v1/identities/999999?viewer=self", headers=api.h("trusted")).status_code == 403


def test_when_keys_are_stored_then_only_salted_hashes_are_kept(api):
    import sqlite3

    with sqlite3.connect(api.services.keys.path) as con:
        stored = " ".join(str(v) for row in con.execute("SELECT * FROM api_keys") for v in row)
    for key in api.keys.values():
        assert key not in stored and key.split("_", 2)[2] not in stored


def test_when_keys_create_runs_then_it_prints_only_the_key(platform, capsys):
    from ai_identity.cli import main

    assert main(["keys", "create", "--platform", str(platform), "--scopes", "track:write,identity:read"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("aiid_")
    from ai_identity.service.keys import KeyStore, default_keys_path

    key = KeyStore(default_keys_path(platform)).check(out[0])
    assert key is not None and key.scopes == {"track:write", "identity:read"}
    assert main(["keys", "create", "--platform", str(platform), "--scopes", "root"]) == 2


def test_when_health_and_metrics_are_asked_then_no_key_is_needed(api):
    assert api.client.get("/healthz").json()["status"] == "ok"
    assert api.client.get("/metrics").status_code == 200


def test_when_a_key_exceeds_its_rate_then_429_names_the_limit_and_other_keys_pass(make_api):
    for api in make_api(rate_per_key=0.5, rate_burst=3):
        codes = [api.client.get("/v1/identities/3", headers=api.h("read")).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        body = api.client.get("/v1/identities/3", headers=api.h("read")).json()
        assert body["error"]["type"] == "RateLimitedError" and "requests/s" in body["error"]["message"]
        assert api.client.get("/v1/identities/3", headers=api.h("trusted")).status_code == 200


def test_when_time_passes_then_the_bucket_refills():
    from ai_identity.service.limits import RateLimitedError, RateLimiter

    now = [0.0]
    lim = RateLimiter(rate=1.0, burst=1, clock=lambda: now[0])
    lim.take("k")
    with pytest.raises(RateLimitedError):
        lim.take("k")
    now[0] = 1.5
    lim.take("k")
