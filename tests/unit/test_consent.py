"""The consent store (append-only records with history) and its effect on the build and the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ai_identity.cli import main
from ai_identity.collect import Consent, consent_of
from ai_identity.errors import UsageError
from ai_identity.pipeline import build
from ai_identity.privacy.audit import AuditLog, default_audit_path
from ai_identity.privacy.consent import (
    PURPOSES,
    TIERS,
    ConsentStore,
    default_consent_path,
    open_readonly,
)
from ai_identity.settings import Settings
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.store.identities import IdentityStore, default_path

USERS, SEED = 60, 11


def _base(level: str = "full", ai: bool = True) -> Consent:
    from ai_identity.collect import LEVEL_TIERS

    return Consent(set(LEVEL_TIERS[level]), ai, False, level)


def _docs(root: Path) -> dict[int, dict]:
    with IdentityStore(default_path(root)) as store:
        return store.documents()


def _full_user(root: Path) -> int:
    """A user with AI-analysis consent, the sensitive and relational tiers, and collaborators."""
    for uid, doc in sorted(_docs(root).items()):
        if not doc["stub"] and doc["personal"] and doc["network"].get("collaborators", {}).get("value"):
            return uid
    raise AssertionError("the generated platform has no user with every tier and collaborators")


# --- the store ------------------------------------------------------------------------------------------------


def test_when_records_are_appended_then_history_is_kept_and_the_latest_wins(tmp_path: Path) -> None:
    with ConsentStore(tmp_path / "consent.sqlite") as store:
        store.grant(7, "relational", "cli")
        store.revoke(7, "relational", "api", note="changed their mind")
        store.deny(7, "model_training", "platform:user_privacy_settings")
        history = store.history(7)
        current = store.current(7, _base("full"))
    assert [(r.subject, r.status, r.source) for r in history] == [
        ("relational", "granted", "cli"),
        ("relational", "revoked", "api"),
        ("model_training", "denied", "platform:user_privacy_settings"),
    ]
    assert history[1].note == "changed their mind" and history[0].at.endswith("+00:00")
    assert current.tiers == {"basic", "sensitive"} and current.level == "sensitive"
    assert current.purposes["model_training"] is False and current.ai_analysis is True
    assert current.evidence is not None and current.evidence.record == f"seq={history[-1].seq}"


def test_when_a_user_has_no_records_then_the_platform_setting_stands(tmp_path: Path) -> None:
    base = _base("relational")
    with ConsentStore(tmp_path / "consent.sqlite") as store:
        store.revoke(1, "relational", "cli")
        assert store.current(2, base) is base
        assert store.current(1, base).tiers == {"basic"}


@pytest.mark.parametrize(
    ("subject", "status", "field"),
    [("location", "granted", "subject"), ("basic", "maybe", "status"), ("Sensitive", "revoked", "subject")],
)
def test_when_subject_or_status_is_bad_then_usage_error_names_the_field(
    tmp_path: Path, subject: str, status: str, field: str
) -> None:
    with ConsentStore(tmp_path / "consent.sqlite") as store, pytest.raises(UsageError) as err:
        store.record(1, subject, status, "cli")
    message = str(err.value)
    assert message.startswith(f"{field}:")
    allowed = (*TIERS, *PURPOSES) if field == "subject" else ("granted", "denied", "revoked")
    assert all(a in message for a in allowed)


def test_when_source_is_free_text_then_it_is_refused(tmp_path: Path) -> None:
    with ConsentStore(tmp_path / "consent.sqlite") as store, pytest.raises(UsageError, match=r"^source:"):
        store.grant(1, "basic", "call with someone@example.com")


def test_when_a_record_is_edited_then_the_store_refuses(tmp_path: Path) -> None:
    with ConsentStore(tmp_path / "consent.sqlite") as store:
        store.grant(1, "sensitive", "cli")
    con = sqlite3.connect(tmp_path / "consent.sqlite")
    for sql in ("UPDATE consent_records SET status='denied'", "DELETE FROM consent_records"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
    con.close()


def test_when_identity_building_or_basic_is_withdrawn_then_no_analysis_is_allowed(tmp_path: Path) -> None:
    with ConsentStore(tmp_path / "consent.sqlite") as store:
        store.revoke(1, "identity_building", "cli")
        store.revoke(2, "basic", "cli")
        store.grant(3, "identity_building", "cli")
        assert store.current(1, _base()).ai_analysis is False
        assert store.current(2, _base()).ai_analysis is False
        assert store.current(3, _base("basic", ai=False)).ai_analysis is True


def test_when_no_store_is_given_then_consent_of_reads_the_platform_as_before(built: Path) -> None:
    plat = EmbeddedPlatform(built)
    try:
        recs = plat.read_batch(plat.user_ids()[:20])
    finally:
        plat.close()
    for rec in recs:
        plain = consent_of(rec)
        assert "purposes" not in plain.snapshot()
        assert consent_of(rec, None).snapshot() == plain.snapshot()
    assert open_readonly(built) is None  # no consent store: nothing overrides


# --- the build and the CLI -----------------------------------------------------------------------------------


def test_when_relational_is_revoked_then_the_rebuilt_identity_has_no_network_and_says_why(
    platform: Path,
) -> None:
    uid = _full_user(platform)
    pseudonym = _docs(platform)[uid]["user"]["pseudonym"]
    assert main(["consent", "revoke", str(uid), "relational", "--platform", str(platform)]) == 0
    docs = _docs(platform)
    doc = docs[uid]
    assert doc["network"] == {}
    assert doc["quality"]["missing_facets"]["network"] == "relational tier not granted"
    assert doc["consent"]["tiers"]["relational"] is False
    assert doc["consent"]["source"]["store"] == "identity/consent.sqlite"
    # relationship data about them needs their consent too: no other identity names them any more
    assert not [u for u, d in docs.items() if u != uid and pseudonym in json.dumps(d)]


def test_when_sensitive_is_revoked_then_the_personal_facet_is_gone(platform: Path) -> None:
    uid = _full_user(platform)
    assert main(["consent", "revoke", str(uid), "sensitive", "--platform", str(platform)]) == 0
    doc = _docs(platform)[uid]
    assert doc["personal"] == {} and doc["consent"]["tiers"]["sensitive"] is False
    assert doc["network"]  # the other tiers are untouched


def test_when_identity_building_is_revoked_then_the_identity_is_a_stub(platform: Path) -> None:
    uid = _full_user(platform)
    assert main(["consent", "revoke", str(uid), "identity_building", "--platform", str(platform)]) == 0
    doc = _docs(platform)[uid]
    assert doc["stub"] is True and not doc["skills"] and not doc["personal"]
    assert doc["consent"]["purposes"]["identity_building"] is False
    assert doc["consent"]["ai_analysis_consent"] is False


def test_when_a_revoked_tier_is_granted_again_then_the_facet_returns(platform: Path) -> None:
    uid = _full_user(platform)
    before = _docs(platform)[uid]
    args = ["--platform", str(platform)]
    assert main(["consent", "revoke", str(uid), "relational", *args]) == 0
    assert main(["consent", "grant", str(uid), "relational", *args]) == 0
    after = _docs(platform)[uid]
    assert after["network"] == before["network"]
    with ConsentStore(default_consent_path(platform)) as store:
        assert [r.status for r in store.history(uid)] == ["revoked", "granted"]


def test_when_a_user_without_the_tier_is_granted_it_then_the_facet_appears(platform: Path) -> None:
    docs = _docs(platform)
    uid = next(u for u, d in sorted(docs.items()) if not d["stub"] and not d["personal"])
    assert main(["consent", "grant", str(uid), "sensitive", "--platform", str(platform)]) == 0
    assert _docs(platform)[uid]["personal"]


@pytest.mark.parametrize("subject", ["location", "RELATIONAL", ""])
def test_when_the_cli_gets_a_bad_subject_then_exit_2_and_no_traceback(
    platform: Path, subject: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["consent", "revoke", "1", subject, "--platform", str(platform)]) == 2
    err = capsys.readouterr().err
    assert "subject: expected a tier (basic, sensitive, relational)" in err
    assert "Traceback" not in err
    assert not default_consent_path(platform).exists() or not ConsentStore(
        default_consent_path(platform)
    ).history(1)


def test_when_the_cli_gets_a_bad_source_then_exit_2(
    platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["consent", "grant", "1", "basic", "--platform", str(platform), "--source", "a b"]) == 2
    assert "source: expected" in capsys.readouterr().err


def test_when_the_user_does_not_exist_then_exit_1(platform: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["consent", "show", "99999", "--platform", str(platform)]) == 1
    assert "no platform user" in capsys.readouterr().err


def test_when_consent_changes_then_the_audit_log_names_the_user_by_token_only(platform: Path) -> None:
    uid = _full_user(platform)
    assert (
        main(["consent", "deny", str(uid), "model_training", "--platform", str(platform), "--note", "n"]) == 0
    )
    with AuditLog(default_audit_path(platform)) as log:
        entries = [e for e in log.entries() if e.action == "consent.change"]
        token = log.token_for(uid)
        assert log.verify().ok
    assert len(entries) == 1 and entries[0].subject == token and token.startswith("u_")
    assert entries[0].details["subject"] == "model_training" and entries[0].details["status"] == "denied"
    assert set(entries[0].details) == {"subject", "status", "source", "record_seq", "identities_rebuilt"}


def test_when_consent_is_shown_as_json_then_current_state_and_history_are_printed(
    platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uid = _full_user(platform)
    args = ["--platform", str(platform), "--json"]
    assert main(["consent", "grant", str(uid), "analytics", *args]) == 0
    capsys.readouterr()
    assert main(["consent", "show", str(uid), *args]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["user_id"] == uid
    assert set(shown["current"]["purposes"]) == set(PURPOSES)
    assert shown["current"]["tiers"] == {"basic": True, "sensitive": True, "relational": True}
    assert [(r["subject"], r["status"], r["kind"]) for r in shown["history"]] == [
        ("analytics", "granted", "purpose")
    ]


def test_when_the_build_runs_with_records_then_workers_apply_them(platform: Path) -> None:
    uid = _full_user(platform)
    with ConsentStore(default_consent_path(platform)) as store:
        store.revoke(uid, "sensitive", "api")
    build(platform, user_ids=[uid], settings=Settings(workers=1))
    identities = IdentityStore(default_path(platform))
    try:
        ident = identities.get(uid)
    finally:
        identities.close()
    assert ident.personal == {} and ident.consent["source"]["field"] == "sensitive"
