"""The hash-chained audit log: tamper detection, tokens in place of users, erasure that keeps the chain."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from ai_identity.cli import main
from ai_identity.errors import UsageError
from ai_identity.privacy.audit import GENESIS_HASH, AuditLog, entry_hash


def _log_with_entries(path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(path)
    for i in range(n):
        log.record(
            "identity.read", actor="service", subject=100 + i, viewer=7, details={"visibility": "trusted"}
        )
    return log


def _tamper(path: Path, *sql: str) -> None:
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("DROP TRIGGER audit_log_no_delete")
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.close()


def test_when_entries_are_appended_then_the_chain_verifies(tmp_path: Path) -> None:
    with _log_with_entries(tmp_path / "audit.sqlite") as log:
        entries = log.entries()
        result = log.verify()
    assert result.ok and result.entries == 5
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    assert entries[2].hash == entry_hash(entries[2].canonical(), entries[1].hash)


def test_when_an_entry_is_updated_directly_then_the_database_refuses(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    _log_with_entries(path).close()
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_log SET action='x' WHERE seq=1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_log WHERE seq=1")
    con.close()


@pytest.mark.parametrize(
    ("statements", "bad_seq"),
    [
        (['UPDATE audit_log SET details=\'{"visibility":"public"}\' WHERE seq=3'], 3),
        (["UPDATE audit_log SET at='2000-01-01T00:00:00+00:00' WHERE seq=4"], 4),
        (["UPDATE audit_log SET subject=NULL WHERE seq=2"], 2),
        (["DELETE FROM audit_log WHERE seq=3"], 3),
        (["DELETE FROM audit_log WHERE seq=1"], 1),
        (["DELETE FROM audit_log WHERE seq=5"], 5),
        (
            [
                "UPDATE audit_log SET seq=-1 WHERE seq=2",
                "UPDATE audit_log SET seq=2 WHERE seq=4",
                "UPDATE audit_log SET seq=4 WHERE seq=-1",
            ],
            2,
        ),
    ],
    ids=["edit-details", "edit-time", "edit-subject", "delete-middle", "delete-first", "delete-last", "swap"],
)
def test_when_the_log_is_tampered_then_verify_names_the_first_bad_seq(
    tmp_path: Path, statements: list[str], bad_seq: int
) -> None:
    path = tmp_path / "audit.sqlite"
    _log_with_entries(path).close()
    _tamper(path, *statements)
    with AuditLog(path) as log:
        result = log.verify()
    assert not result.ok
    assert result.first_bad_seq == bad_seq


def test_when_an_edited_entry_is_rehashed_then_the_next_link_breaks(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    _log_with_entries(path).close()
    with AuditLog(path) as log:
        third = log.entries()[2]
    forged = third.__class__(**{**third.__dict__, "action": "erasure"})
    new_hash = entry_hash(forged.canonical(), third.prev_hash)
    _tamper(path, f"UPDATE audit_log SET action='erasure', hash='{new_hash}' WHERE seq=3")
    with AuditLog(path) as log:
        assert log.verify().first_bad_seq == 4


def test_when_a_user_is_forgotten_then_the_token_is_unlinkable_and_the_chain_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    with _log_with_entries(path) as log:
        token = log.token_for(102)
        assert token in {e.subject for e in log.entries()}
        assert log.forget(102) == 1
        assert log.forget(102) == 0
        assert log.verify().ok
        assert token not in {row[0] for row in log._con.execute("SELECT token FROM audit_tokens")}
        # a new event about the same id gets a fresh token: the old entries stay unlinkable
        log.record("erasure", actor="erasure", subject=102)
        assert log.entries()[-1].subject != token
        assert log.verify().ok


def test_when_entries_name_users_then_only_tokens_are_stored(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    with AuditLog(path) as log:
        log.record(
            "consent.change",
            actor="consent",
            subject=987654,
            details={"tier": "sensitive", "status": "revoked"},
        )
        entry = log.entries()[0]
    assert entry.subject is not None and entry.subject.startswith("u_")
    con = sqlite3.connect(path)
    rows = con.execute("SELECT * FROM audit_log").fetchall()
    con.close()
    assert "987654" not in repr(rows)


@pytest.mark.parametrize(
    "details",
    [
        {"contact": "someone@example.org"},
        {"phone": "138 1234 5678"},
        {"id_number": "110101199003077777"},
        {"nested": {"list": ["ok", "4111-1111-1111-1111"]}},
        {"bad key!": 1},
        {"obj": object()},
    ],
)
def test_when_details_look_personal_or_malformed_then_refused(tmp_path: Path, details: dict) -> None:
    with AuditLog(tmp_path / "audit.sqlite") as log:
        with pytest.raises(UsageError):
            log.record("export.user", details=details)
        assert log.entries() == []


def test_when_details_carry_dates_and_digests_then_accepted(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite") as log:
        log.record("export.training", details={"as_of": "2026-11-01", "sha256": "0123456789" * 6 + "abcd"})
        assert log.verify().ok


def test_when_cli_verifies_then_exit_status_reflects_the_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "audit.sqlite"
    _log_with_entries(path).close()
    assert main(["audit", "verify", "--platform", str(tmp_path), "--audit", str(path)]) == 0
    _tamper(path, "DELETE FROM audit_log WHERE seq=2")
    assert main(["audit", "verify", "--platform", str(tmp_path), "--audit", str(path)]) == 1
    assert "seq 2" in capsys.readouterr().err
