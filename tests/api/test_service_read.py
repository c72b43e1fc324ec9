"""Reads and users' rights through the real app: viewer filtering, similar users, consent, erasure, export."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_when_a_public_viewer_reads_then_trusted_claims_and_the_platform_id_are_hidden(api):
    pub = api.client.get("/v1/identities/3", headers=api.h("read")).json()
    assert "platform_id" not in pub["user"] and pub["user"]["pseudonym"]
    assert pub["behavior"] == {} and "timezone" not in pub["profile"]
    assert pub["vectors"] == {}


def test_when_a_trusted_viewer_reads_then_trusted_claims_are_shown(api):
    r = api.client.get("/v1/identities/3?viewer=trusted", headers=api.h("trusted"))
    assert r.status_code == 200
    body = r.json()
    assert "activity_level" in body["behavior"] and "timezone" in body["profile"]


def test_when_an_admin_reads_as_self_then_the_platform_id_is_shown(api):
    body = api.client.get("/v1/identities/3?viewer=self", headers=api.h("admin")).json()
    assert body["user"]["platform_id"] == 3


def test_when_the_identity_does_not_exist_then_404(api):
    r = api.client.get("/v1/identities/999999", headers=api.h("read"))
    assert r.status_code == 404 and r.json()["error"]["type"] == "NotFoundError"


def test_when_similar_users_are_asked_then_k_others_best_first(api):
    r = api.client.get("/v1/identities/3/similar?k=5", headers=api.h("read"))
    assert r.status_code == 200, r.text
    sims = r.json()["similar"]
    assert len(sims) == 5 and all(s["user_id"] != 3 for s in sims)
    scores = [s["similarity"] for s in sims]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= s <= 1.0 for s in scores)


def test_when_similar_users_agree_with_brute_force_cosine(api):
    import numpy as np

    ids, mat = api.services.identities.get().vectors("skills")
    norms = np.linalg.norm(mat, axis=1)
    i = ids.index(3)
    cos = (mat @ mat[i]) / (norms * norms[i] + 1e-12)
    expect = [ids[j] for j in np.argsort(-cos) if ids[j] != 3 and norms[j] > 0][:5]
    got = [
        s["user_id"]
        for s in api.client.get("/v1/identities/3/similar?k=5", headers=api.h("read")).json()["similar"]
    ]
    assert got == expect


def test_when_k_exceeds_the_index_then_every_other_user_is_returned(api):
    sims = api.client.get("/v1/identities/3/similar?k=100", headers=api.h("read")).json()["similar"]
    assert 0 < len(sims) <= 59


def test_when_consent_is_revoked_then_get_shows_it_and_the_change_is_audited(api):
    r = api.client.put(
        "/v1/users/5/consent", json={"subject": "analytics", "status": "revoked"}, headers=api.h("admin")
    )
    assert r.status_code == 200, r.text
    state = api.client.get("/v1/users/5/consent", headers=api.h("admin")).json()
    assert state["current"]["purposes"]["analytics"] is False
    assert state["history"][-1]["subject"] == "analytics" and state["history"][-1]["source"] == "api"
    from ai_identity.privacy.audit import AuditLog, default_audit_path

    with AuditLog(default_audit_path(api.services.platform)) as log:
        assert any(e.action == "consent.change" and e.actor == "api" for e in log.entries())


def test_when_consent_names_an_unknown_subject_or_user_then_4xx(api):
    r = api.client.put(
        "/v1/users/5/consent", json={"subject": "everything", "status": "granted"}, headers=api.h("admin")
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "subject"
    r = api.client.put(
        "/v1/users/999999/consent", json={"subject": "analytics", "status": "granted"}, headers=api.h("admin")
    )
    assert r.status_code == 404


def test_when_a_user_is_erased_then_the_receipt_lists_the_event_log_and_they_are_gone(
    api, event, redis_client
):
    api.client.post("/v1/track", json=event(user_id=4, event_id="erase-me"), headers=api.h("track"))
    r = api.client.post("/v1/users/4/erasure", headers=api.h("admin"))
    assert r.status_code == 200, r.text
    stores = {s["store"]: s["removed"] for s in r.json()["stores"]}
    assert stores["identity/event_log.sqlite:event_log"] == 1 and stores["redis:behavior"] == 1
    assert r.json()["total_removed"] >= 2
    assert not list(redis_client.scan_iter(match=f"{api.prefix}behavior:4:*"))
    assert api.client.get("/v1/identities/4", headers=api.h("read")).status_code == 404
    sims = api.client.get("/v1/identities/3/similar?k=59", headers=api.h("read")).json()["similar"]
    assert all(s["user_id"] != 4 for s in sims)
    again = api.client.post("/v1/users/4/erasure", headers=api.h("admin")).json()
    assert again["total_removed"] == 0


def test_when_a_user_exports_then_the_identity_and_consent_come_back(api):
    r = api.client.get("/v1/users/6/export", headers=api.h("admin"))
    assert r.status_code == 200
    body = r.json()
    assert body["user_id"] == 6 and "consent" in body


def test_when_an_admin_asks_for_quality_then_the_seed_gates_come_back_and_others_are_refused(api):
    r = api.client.get("/v1/quality", headers=api.h("admin"))
    assert r.status_code == 200, r.text
    body = r.json()
    text = r.text
    assert "source_coverage" in text and "format_correctness" in text
    assert isinstance(body, dict)
    assert api.client.get("/v1/quality", headers=api.h("read")).status_code == 403
    assert api.client.get("/v1/quality").status_code == 401
