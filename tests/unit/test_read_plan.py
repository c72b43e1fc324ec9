"""Consent enforced at collection: the mapping of every seed column to a tier (privacy/tiers.py) is complete and
is what docs/consent.md shows; a spy on every store driver call during builds at each consent level finds no
table, column, label, key or document field read that the users' consent does not allow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ai_identity.model import records as r
from ai_identity.pipeline import build
from ai_identity.privacy import tiers as T
from ai_identity.privacy.consent import TIERS, ConsentStore, default_consent_path
from ai_identity.privacy.read_spy import ReadSpy, graph_user_ids, parse_select, stated_plans
from ai_identity.settings import Settings
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.store.identities import IdentityStore, default_path
from ai_identity.synth.writer import generate

DOC = Path(__file__).resolve().parents[2] / "docs" / "consent.md"
USERS, SEED = 24, 21
LEVELS: dict[str, frozenset[str]] = {
    "basic": frozenset({"basic"}),
    "sensitive": frozenset({"basic", "sensitive"}),
    "relational": frozenset({"basic", "relational"}),
    "full": frozenset(TIERS),
    "stub": frozenset(),  # identity_building revoked: a stub, nothing read beyond the consent
}
# Components whose reads are not consent-scoped, each documented in docs/consent.md ("What is not enforced")
EXEMPT = frozenset({"quality", "events"})


# ---- the mapping ----------------------------------------------------------------------------------------
def test_when_mapping_is_compared_with_the_seed_records_then_every_column_has_a_tier() -> None:
    models = [*L.PLATFORM_TABLES, r.ResumeContent, r.ParsedResumeData, r.UserPrivacySettings]
    for model in models:
        table = model.__record__
        keys = [k for k in T.COLUMNS if k[1] == table]
        assert len(keys) == 1, table
        assert set(T.COLUMNS[keys[0]]) == set(L.columns(model)) | ({"event_id"} & set(L.columns(model))), (
            table
        )
        assert set(T.COLUMNS[keys[0]].values()) <= set(T.TIERS)
    for store, table, col in (*T.DERIVE, *T.STITCHING, *T.SUBFIELDS):
        if store != "mongodb":
            assert col in T.COLUMNS[(store, table)], (table, col)


def test_when_docs_are_read_then_their_tables_are_the_mapping() -> None:
    page = DOC.read_text(encoding="utf-8")
    assert T.render_into(page) == page, (
        "docs/consent.md differs from privacy/tiers.py: run "
        "python -m ai_identity.privacy.tiers --write docs/consent.md"
    )


def test_when_plans_narrow_columns_then_only_granted_tiers_and_derive_columns_remain() -> None:
    basic = T.ReadPlan(LEVELS["basic"])
    cols = basic.columns("mysql", "users", ["id", "username", "email", "phone", "nonexistent"])
    assert cols == ["id", "username"]
    assert basic.columns("mysql", "resumes", ["id", "content"]) == ["id", "content"]  # derive
    assert basic.derive_only("mysql", "resumes", "content")
    assert not T.ReadPlan(LEVELS["sensitive"]).derive_only("mysql", "resumes", "content")
    assert T.STUB.columns("mysql", "resumes", ["id", "content"]) == []
    assert basic.subfields("sqlite", "parsed_resume_data", "work_experience") == (
        "company",
        "title",
        "start",
        "end",
    )
    assert T.FULL.subfields("sqlite", "parsed_resume_data", "work_experience") is None
    assert not basic.graph("COLLABORATED_WITH", "projects")
    assert T.ReadPlan(LEVELS["relational"]).graph("COLLABORATED_WITH", "projects")
    assert not basic.redis_kind("behavior") and basic.redis_kind("ai_cache")


def test_when_the_spy_parses_engine_sql_then_columns_and_subfields_come_out() -> None:
    proj = T.json_projection("work_experience", ("company", "title"))
    table, cols = parse_select(f"SELECT resume_content_id, {proj} AS work_experience FROM parsed_resume_data")
    assert table == "parsed_resume_data"
    assert cols == [("resume_content_id", None), ("work_experience", ("company", "title"))]
    assert parse_select('SELECT a, b::real[] AS b FROM "s"."resume_data" WHERE user_id IN (1)') == (
        "resume_data",
        [("a", None), ("b", None)],
    )
    assert parse_select("PRAGMA table_info(users)") is None
    with pytest.raises(ValueError, match="cannot parse"):
        parse_select("SELECT * FROM users")  # an unknown shape fails the check, never passes it


# ---- the spy over builds ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readplan") / "platform"
    generate(root, USERS, SEED)
    return root


def at_level(src: Path, dst: Path, level: str) -> Path:
    """A copy of the platform where every user's consent records say ``level``."""
    shutil.copytree(src, dst)
    ids = EmbeddedPlatform(dst).user_ids()
    with ConsentStore(default_consent_path(dst)) as store:
        for uid in ids:
            for tier in TIERS:
                (store.grant if tier in LEVELS[level] or level == "stub" else store.revoke)(uid, tier, "test")
            (store.revoke if level == "stub" else store.grant)(uid, "identity_building", "test")
    return dst


def spied_build(root: Path) -> ReadSpy:
    with ReadSpy() as spy:
        build(root, settings=Settings(workers=1))  # in-process: spawned workers would escape the spy
    return spy


@pytest.mark.parametrize("level", list(LEVELS))
def test_when_built_at_each_consent_level_then_no_unconsented_read(
    generated: Path, tmp_path: Path, level: str
) -> None:
    root = at_level(generated, tmp_path / "p", level)
    spy = spied_build(root)
    plan = T.ReadPlan(LEVELS[level])
    bad = spy.violations(lambda uid: plan, graph_user_ids(root), EXEMPT)
    assert not bad, "\n".join(bad)
    reads = list(spy.reads())
    collector = [rd for rd in reads if rd.component == "collector"]
    seen = {(rd.table, c) for rd in collector for c, _ in rd.columns}
    # the spy saw the engine's reads (it is not vacuous) ...
    assert ("skills", "name") in seen and ("users", "id") in seen
    assert any(rd.component == "consent" and rd.table == "user_privacy_settings" for rd in reads)
    # ... and what a level allows is read when granted, and absent otherwise
    assert (("users", "email") in seen) == ("sensitive" in LEVELS[level])
    assert (("resume_content", "raw_content") in seen) == ("sensitive" in LEVELS[level])
    assert (("COLLABORATED_WITH", "projects") in seen) == ("relational" in LEVELS[level])
    per_user = [rd for rd in collector if rd.users is not None and rd.store != "graph"]
    assert bool(per_user) == (level != "stub")
    # documents: knowledge_base only, e-mail keys in the stitching component only
    fields = {
        c for rd in reads if rd.store == "mongodb" and rd.component == "collector" for c, _ in rd.columns
    }
    assert "documents[].content" not in fields and "user_id" not in fields
    idents = {i.user["platform_id"]: i for i in IdentityStore(default_path(root)).all()}
    assert all(i.stub for i in idents.values()) == (level == "stub")


def test_when_plan_is_ignored_then_the_spy_reports_it(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The negative control: a collector that reads everything for basic-tier users is caught."""
    root = at_level(generated, tmp_path / "p", "basic")
    monkeypatch.setattr("ai_identity.privacy.tiers.plan_for", lambda consent: T.FULL)
    spy = spied_build(root)
    bad = spy.violations(lambda uid: T.ReadPlan(LEVELS["basic"]), graph_user_ids(root), EXEMPT)
    assert any("users.email (tier sensitive not granted)" in b for b in bad)
    assert any("resume_content.raw_content (tier sensitive not granted)" in b for b in bad)
    assert any("parsed_resume_data.personal_info" in b for b in bad)


def test_when_consent_is_mixed_then_each_read_obeys_the_consent_of_the_users_it_names(
    generated: Path, tmp_path: Path
) -> None:
    """The generated platform's own mix of levels (and a few AI-analysis refusals): per-user reads are checked
    against each named user's consent, read here from the private files independently of the engine."""
    root = tmp_path / "p"
    shutil.copytree(generated, root)
    expected = stated_plans(root)
    assert len({p.tiers for p in expected.values()}) >= 3  # a real mix
    spy = spied_build(root)
    bad = spy.violations(expected.__getitem__, graph_user_ids(root), EXEMPT)
    assert not bad, "\n".join(bad)


def test_when_a_tier_is_revoked_then_the_rebuild_reads_and_shows_nothing_of_it(
    generated: Path, tmp_path: Path
) -> None:
    root = at_level(generated, tmp_path / "p", "full")
    build(root, settings=Settings(workers=1))
    uid = EmbeddedPlatform(root).user_ids()[0]
    before = IdentityStore(default_path(root)).get(uid)
    assert before is not None and before.personal
    with ConsentStore(default_consent_path(root)) as store:
        store.revoke(uid, "sensitive", "test")
    spy = spied_build(root)
    after = IdentityStore(default_path(root)).get(uid)
    assert after is not None and not after.personal and after.consent["tiers"]["sensitive"] is False
    emails = [rd for rd in spy.reads() if rd.table == "users" and ("email", None) in rd.columns]
    assert all(uid not in (rd.users or set()) for rd in emails if rd.component == "collector")
