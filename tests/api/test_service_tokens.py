"""User tokens: a person reads, exports, erases and sets consent for themself only; a token for anyone else,
a forged, expired or foreign one gets the same 401/403 whether or not the user exists."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.integration

SELF_ROUTES = [
    ("GET", "/v1/identities/{u}"),
    ("GET", "/v1/identities/{u}?viewer=self"),
    ("GET", "/v1/users/{u}/consent"),
    ("GET", "/v1/users/{u}/export"),
]
OTHER_ROUTES = [*SELF_ROUTES, ("POST", "/v1/users/{u}/erasure")]


def _token(api, user_id: int, **kw) -> dict[str, str]:
    from ai_identity.service.tokens import issue

    return {"Authorization": f"Bearer {issue(api.services.keys, user_id, **kw)}"}


@pytest.mark.parametrize(("method", "path"), SELF_ROUTES)
def test_when_a_user_token_asks_for_its_own_user_then_200(api, method, path):
    r = api.client.request(method, path.format(u=3), headers=_token(api, 3))
    assert r.status_code == 200, r.text


def test_when_a_user_reads_themself_then_the_self_view_is_the_admins(api):
    mine = api.client.get("/v1/identities/3?viewer=self", headers=_token(api, 3)).json()
    admin = api.client.get("/v1/identities/3?viewer=self", headers=api.h("admin")).json()
    assert mine == admin


def test_when_a_user_sets_consent_and_erases_themself_then_it_is_done_and_audited_as_the_user(api):
    h = _token(api, 3)
    r = api.client.put("/v1/users/3/consent", json={"subject": "analytics", "status": "revoked"}, headers=h)
    assert r.status_code == 200
    assert api.client.get("/v1/users/3/consent", headers=h).json()["user_id"] == 3
    receipt = api.client.post("/v1/users/3/erasure", headers=h)
    assert receipt.status_code == 200
    from ai_identity.privacy.audit import AuditLog, default_audit_path

    with AuditLog(default_audit_path(api.services.platform)) as log:
        entries = [e for e in log.entries() if e.action == "erasure.service"]
    assert entries and entries[-1].actor == "user"


@pytest.mark.parametrize(("method", "path"), OTHER_ROUTES)
def test_when_a_user_token_asks_for_another_user_then_403_the_same_for_known_and_unknown(api, method, path):
    h = _token(api, 3)
    known = api.client.request(method, path.format(u=4), headers=h)
    unknown = api.client.request(method, path.format(u=999_999), headers=h)
    assert known.status_code == unknown.status_code == 403
    assert known.json() == unknown.json()


def test_when_the_path_id_is_not_ascii_digits_then_403_or_422_never_500(api):
    for raw in ("\u00b2", "%C2%B2", "\u0663"):  # superscript two, Arabic-Indic three
        r = api.client.get(f"/v1/users/{raw}/export", headers=_token(api, 3))
        assert r.status_code in (403, 422), (raw, r.status_code)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/v1/identities/3/similar"), ("GET", "/v1/quality"), ("POST", "/v1/track")],
)
def test_when_a_user_token_asks_for_an_operator_route_then_403(api, method, path, event):
    body = event(user_id=3) if method == "POST" else None
    r = api.client.request(method, path, headers=_token(api, 3), json=body)
    assert r.status_code == 403 and "API key" in r.json()["error"]["message"]


def test_when_a_token_is_forged_expired_or_foreign_then_401_as_an_unknown_key(api):
    import jwt

    now = time.time()
    good = {"sub": "3", "aud": "ai-identity", "iat": int(now), "exp": int(now) + 600, "scope": "self"}
    forged = jwt.encode(good, b"\0" * 32, algorithm="HS256")
    expired = _token(api, 3, ttl_s=60, now=now - 3600)["Authorization"].split()[1]
    from ai_identity.service.tokens import secret

    key = secret(api.services.keys)
    foreign = jwt.encode({**good, "aud": "elsewhere"}, key, algorithm="HS256")
    unsigned = jwt.encode(good, None, algorithm="none")
    no_exp = jwt.encode({k: v for k, v in good.items() if k != "exp"}, key, algorithm="HS256")
    anyone = api.client.get("/v1/identities/3", headers={"Authorization": "Bearer nope"}).json()
    odd_sub = jwt.encode({**good, "sub": "\u00b2"}, key, algorithm="HS256")  # a digit int() refuses
    for token in (forged, expired, foreign, unsigned, no_exp, odd_sub, "a.b.c"):
        for uid in (3, 999_999):
            r = api.client.get(f"/v1/identities/{uid}", headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401 and r.json() == anyone


def test_when_tokens_create_runs_then_it_prints_a_token_the_service_accepts(api, capsys):
    from ai_identity.cli import main
    from ai_identity.service.tokens import verify

    assert main(["tokens", "create", "3", "--platform", str(api.services.platform), "--ttl", "120"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert verify(api.services.keys, out[0]).user_id == 3
    r = api.client.get("/v1/users/3/export", headers={"Authorization": f"Bearer {out[0]}"})
    assert r.status_code == 200
    assert main(["tokens", "create", "3", "--platform", str(api.services.platform), "--ttl", "5"]) == 2
    assert main(["tokens", "create", "0", "--platform", str(api.services.platform)]) == 2
