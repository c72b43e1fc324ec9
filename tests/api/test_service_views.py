"""The rendered-identity cache: a repeat GET is served from memory, and a new version or an erasure is seen at
once (the row's stamp is checked on every request)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_when_an_identity_is_read_twice_then_the_second_is_a_cache_hit_with_the_same_body(api):
    first = api.client.get("/v1/identities/3?viewer=trusted", headers=api.h("trusted"))
    hits = api.services.views.hits
    second = api.client.get("/v1/identities/3?viewer=trusted", headers=api.h("trusted"))
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and api.services.views.hits == hits + 1
    public = api.client.get("/v1/identities/3?viewer=public", headers=api.h("trusted"))
    assert public.content != first.content  # one entry per viewer


def test_when_the_stored_identity_gets_a_new_version_then_the_next_get_shows_it(api):
    from ai_identity.store.identities import IdentityStore, default_path

    before = api.client.get("/v1/identities/3?viewer=self", headers=api.h("admin")).json()
    store = IdentityStore(default_path(api.services.platform))
    ident = store.get(3)
    ident.content_hash = "changed-" + ident.content_hash  # a new version, as an incremental update writes
    store.put(ident)
    store.close()
    after = api.client.get("/v1/identities/3?viewer=self", headers=api.h("admin")).json()
    assert after["identity_version"] == before["identity_version"] + 1


def test_when_the_user_is_erased_then_the_cached_identity_is_gone(api):
    assert api.client.get("/v1/identities/3", headers=api.h("admin")).status_code == 200
    assert api.client.post("/v1/users/3/erasure", headers=api.h("admin")).status_code == 200
    assert api.client.get("/v1/identities/3", headers=api.h("admin")).status_code == 404
    assert api.services.views.get(3, "public", (1, "")) is None


def test_when_another_worker_erased_a_neighbour_then_similar_leaves_it_out(api):
    import sqlite3

    before = api.client.get("/v1/identities/3/similar?k=5", headers=api.h("read")).json()["similar"]
    gone = before[0]["user_id"]
    # another worker's erasure: the row leaves the shared store, this process's index still holds the vector
    with sqlite3.connect(api.services.platform / "identity" / "identities.sqlite") as con:
        con.execute("DELETE FROM identities WHERE user_id=?", (gone,))
    after = api.client.get("/v1/identities/3/similar?k=5", headers=api.h("read")).json()["similar"]
    assert gone not in {s["user_id"] for s in after} and len(after) == 5
    r = api.client.get(f"/v1/identities/{gone}/similar?k=5", headers=api.h("read"))
    assert r.status_code == 404
