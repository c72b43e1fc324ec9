"""Erasure with a receipt (engine stores, and the platform's own with --source-stores) and the user's export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ai_identity.cli import main
from ai_identity.model import records as r
from ai_identity.pipeline import build
from ai_identity.privacy.audit import AuditLog, default_audit_path
from ai_identity.privacy.consent import ConsentStore, default_consent_path
from ai_identity.privacy.erasure import UserMarkers, _markers, erase, export_path
from ai_identity.settings import Settings
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.stitch import VECTOR_ID, _redis_user
from ai_identity.store.identities import IdentityStore, default_path

USERS, SEED = 60, 13


def _docs(root: Path) -> dict[int, dict]:
    with IdentityStore(default_path(root)) as store:
        return store.documents()


def _named_user(root: Path) -> int:
    """A user with an identity, events, contact values and collaborators who name them back."""
    docs = _docs(root)
    for uid, doc in sorted(docs.items()):
        p = doc["user"]["pseudonym"]
        if not doc["stub"] and any(p in json.dumps(d) for u, d in docs.items() if u != uid):
            return uid
    raise AssertionError("no user named by another identity in the generated platform")


def _markers_of(root: Path, uid: int) -> UserMarkers:
    m = _markers(root, uid, Settings())
    assert m.pseudonym and m.email and m.phone and m.graph_id
    return m


def _sqlite_hits(path: Path, uid: int, texts: list[str]) -> list[str]:
    """Every row of every table in the file that is keyed by the user or holds one of their values."""
    hits = []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            for row in con.execute(f'SELECT * FROM "{table}"'):
                for col, value in zip(cols, row, strict=True):
                    keyed = col in ("user_id", "user_key") and str(value) == str(uid)
                    if keyed or (table == "users" and col == "id" and value == uid):
                        hits.append(f"{path.name}:{table}.{col} = the user's id")
                    if isinstance(value, str | bytes):
                        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                        hits.extend(f"{path.name}:{table}.{col} holds a value" for t in texts if t in text)
    finally:
        con.close()
    return hits


def _engine_hits(root: Path, m: UserMarkers) -> list[str]:
    hits = []
    for path in sorted((root / "identity").rglob("*.sqlite")):
        hits += _sqlite_hits(path, m.user_id, m.texts())
    for path in sorted((root / "identity").rglob("*")):
        if path.is_file() and not path.name.endswith((".sqlite", "-wal", "-shm", ".key")):
            hits += [f"{path}: holds a value" for t in m.texts() if t in path.read_text("utf-8", "replace")]
    events = pq.read_table(root / L.EVENTS_CACHE, columns=["user_id"]).column("user_id").to_pylist()
    hits += ["events copy holds the user's rows"] if m.user_id in events else []
    return hits


def test_when_a_user_is_erased_then_no_engine_store_holds_their_id_pseudonym_or_values(
    platform: Path,
) -> None:
    uid = _named_user(platform)
    m = _markers_of(platform, uid)
    with ConsentStore(default_consent_path(platform)) as store:
        store.revoke(uid, "model_training", "cli")
    assert main(["export", str(uid), "--platform", str(platform), "--save"]) == 0
    assert export_path(platform, uid).exists()
    assert _engine_hits(platform, m)  # the scan does see them before
    erase(platform, uid)
    assert _engine_hits(platform, m) == []
    # the engine's SQLite files keep no copy of the values in free pages or the write-ahead log either
    for path in sorted((platform / "identity").rglob("*.sqlite*")):
        data = path.read_bytes()
        assert not [t for t in m.texts() if t.encode() in data], path.name


def test_when_a_user_is_erased_then_the_receipt_counts_what_was_removed(platform: Path) -> None:
    uid = _named_user(platform)
    m = _markers_of(platform, uid)
    con = sqlite3.connect(default_path(platform))
    expected_vectors = con.execute(
        "SELECT COUNT(*) FROM identity_vectors WHERE user_id=?", (uid,)
    ).fetchone()[0]
    naming = con.execute(
        "SELECT (SELECT COUNT(*) FROM identities WHERE user_id<>? AND instr(document, ?) > 0)"
        " + (SELECT COUNT(*) FROM identity_history WHERE instr(document, ?) > 0)",
        (uid, m.pseudonym, m.pseudonym),
    ).fetchone()[0]
    con.close()
    events = pq.read_table(platform / L.EVENTS_CACHE, columns=["user_id"]).column("user_id").to_pylist()
    with ConsentStore(default_consent_path(platform)) as store:
        store.grant(uid, "analytics", "cli")
        store.revoke(uid, "analytics", "cli")
    with AuditLog(default_audit_path(platform)) as log:
        log.record("identity.read", actor="service", subject=uid)
    counts = {s.store: s.removed for s in erase(platform, uid).stores}
    assert counts["identity/identities.sqlite:identities"] == 1
    assert counts["identity/identities.sqlite:identity_vectors"] == expected_vectors > 0
    assert counts["identity/identities.sqlite:references"] == naming > 0
    assert counts["identity/consent.sqlite:consent_records"] == 2
    assert counts[L.EVENTS_CACHE] == events.count(uid) > 0
    assert counts["identity/audit.sqlite:audit_tokens"] == 1
    assert counts["identity/dp_ledger.sqlite"] == 0


def test_when_a_user_is_erased_twice_then_the_second_receipt_is_empty(
    platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uid = _named_user(platform)
    assert main(["erase", str(uid), "--platform", str(platform), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["erase", str(uid), "--platform", str(platform), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert first["total_removed"] > 0 and not first["empty"]
    assert second["empty"] and second["total_removed"] == 0
    assert [s["store"] for s in second["stores"]] == [s["store"] for s in first["stores"]]
    assert {s["removed"] for s in second["stores"]} == {0}
    assert next(s for s in second["stores"] if s["store"] == "identity/dp_ledger.sqlite")["state"] == "none"


def test_when_a_user_is_erased_then_the_audit_chain_verifies_and_names_nobody(platform: Path) -> None:
    uid = _named_user(platform)
    assert main(["consent", "revoke", str(uid), "analytics", "--platform", str(platform)]) == 0
    with AuditLog(default_audit_path(platform)) as log:
        token = log.token_for(uid)
    erase(platform, uid)
    assert main(["audit", "verify", "--platform", str(platform)]) == 0
    with AuditLog(default_audit_path(platform)) as log:
        entries = log.entries()
        assert log.token_for(uid) != token  # the mapping is gone: a later event gets a fresh token
    erasure = [e for e in entries if e.action == "erasure"]
    assert len(erasure) == 1 and erasure[0].subject is None and erasure[0].details["total_removed"] > 0
    assert any(e.subject == token for e in entries)  # the old entries are untouched


def test_when_erased_without_source_stores_then_a_build_does_not_recopy_their_events(platform: Path) -> None:
    uid = _named_user(platform)
    erase(platform, uid)
    frame = read_events(platform).frame
    assert uid not in set(frame["user_id"].to_list())


def test_when_source_stores_are_erased_then_no_platform_file_holds_the_user(platform: Path) -> None:
    uid = _named_user(platform)
    m = _markers_of(platform, uid)
    texts = [*m.texts(), m.username or "?"]
    receipt = erase(platform, uid, source_stores=True)
    counts = {s.store: s.removed for s in receipt.stores}
    assert counts["platform.sqlite:users"] == 1 and counts["graph/User.csv"] == 1
    assert counts[f"users/{uid}.sqlite"] > 0 and not L.user_db_path(platform, uid).exists()
    for path in sorted(platform.rglob("*")):
        if not path.is_file() or L.TRUTH_DIR in path.relative_to(platform).parts:
            continue  # the generator's answer key is neither a source store nor the engine's
        data = path.read_bytes()
        assert not [t for t in texts if t.encode() in data], path.relative_to(platform)
        if path.suffix == ".sqlite":
            assert _sqlite_hits(path, uid, texts) == [], path.relative_to(platform)
    keys = [
        r.RedisKey.model_construct(**json.loads(x)) for x in (platform / L.REDIS_FILE).open(encoding="utf-8")
    ]
    assert keys and uid not in {_redis_user(k) for k in keys}
    vectors = [
        json.loads(x)["properties"]["user_id"] for x in (platform / L.VECTORS_FILE).open(encoding="utf-8")
    ]
    assert vectors and uid not in {int(VECTOR_ID.search(v).group(1)) for v in vectors}  # type: ignore[union-attr]
    assert erase(platform, uid, source_stores=True).empty
    summary = build(platform, settings=Settings(workers=1))  # the platform still builds without them
    assert uid not in _docs(platform) and summary.built == USERS - 1


def test_when_a_user_exports_then_identity_evidence_and_consent_history_are_given(
    platform: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uid = _named_user(platform)
    assert main(["consent", "revoke", str(uid), "third_party_sharing", "--platform", str(platform)]) == 0
    capsys.readouterr()
    assert main(["export", str(uid), "--platform", str(platform)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["identity"]["user"]["platform_id"] == uid
    assert data["evidence"] and all(
        {"claim", "source", "store", "record", "field"} <= set(e) for e in data["evidence"]
    )
    assert [(r["subject"], r["status"]) for r in data["consent"]["history"]] == [
        ("third_party_sharing", "revoked")
    ]
    assert data["consent"]["current"]["third_party_access"] is False
    with AuditLog(default_audit_path(platform)) as log:
        assert [e.action for e in log.entries()][-1] == "export.user"


@pytest.mark.parametrize(("args", "code"), [(["erase", "0"], 2), (["export", "99999"], 1)])
def test_when_the_user_is_bad_or_unknown_then_the_cli_exits_without_traceback(
    platform: Path, args: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--platform", str(platform)]) == code
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
