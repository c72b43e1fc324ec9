"""Bad input: a broken record, user or source is skipped and reported with its reason; the rest is read.

Each test breaks its own copy of one small generated platform.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ai_identity.cli import main
from ai_identity.errors import SourceError, UsageError
from ai_identity.sources.base import ReadReport, UserRecords
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.synth.writer import generate

USERS = 40


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad_input") / "p"
    generate(root, USERS, 5)
    return root


@pytest.fixture
def plat(pristine: Path, tmp_path: Path) -> Path:
    """A private copy of the pristine platform, free to break."""
    root = tmp_path / "p"
    shutil.copytree(pristine, root)
    return root


def read_all(root: Path) -> tuple[dict[int, UserRecords], ReadReport]:
    platform = EmbeddedPlatform(root)
    try:
        bundles = {b.user_id: b for batch in platform.iter_batches(batch_size=15) for b in batch}
    finally:
        platform.close()
    return bundles, platform.report


def drop_column(db: Path, table: str, column: str) -> None:
    """Rebuild ``table`` in ``db`` without ``column`` (SQLite's way of dropping a column)."""
    con = sqlite3.connect(db)
    cols = [c[1] for c in con.execute(f"PRAGMA table_info({table})") if c[1] != column]
    con.executescript(
        f"CREATE TABLE _copy AS SELECT {', '.join(cols)} FROM {table}; DROP TABLE {table}; "
        f"ALTER TABLE _copy RENAME TO {table};"
    )
    con.close()


def append_line(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


# ---- per-user private databases ----------------------------------------------------------------------------
def test_when_private_database_corrupt_then_user_private_records_skipped_and_reported(plat):
    L.user_db_path(plat, 5).write_bytes(b"this is not an SQLite database, just junk bytes\x00\xff" * 64)
    bundles, report = read_all(plat)
    assert len(bundles) == USERS
    assert "corrupt" in report.skipped_users[5]
    assert set(report.skipped_users) == {5}
    assert "corrupt" in bundles[5].missing["sqlite"]
    assert bundles[5].resume_content == [] and bundles[5].privacy == []
    assert bundles[5].user is not None and bundles[5].resumes  # the platform's own rows are still read
    assert all(b.resume_content and b.privacy for uid, b in bundles.items() if uid != 5)
    assert report["sqlite"].rejected == 1
    assert any("corrupt" in reason for reason in report["sqlite"].reasons)


def test_when_private_database_locked_then_user_skipped_as_locked(plat):
    holder = sqlite3.connect(L.user_db_path(plat, 7), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        bundles, report = read_all(plat)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert set(report.skipped_users) == {7}
    assert "locked" in report.skipped_users[7]
    assert "locked" in bundles[7].missing["sqlite"]
    assert bundles[7].privacy == []
    assert all(b.privacy for uid, b in bundles.items() if uid != 7)
    assert any("locked" in reason for reason in report["sqlite"].reasons)


def test_when_private_table_lacks_column_then_that_table_skipped_for_that_user(plat):
    drop_column(L.user_db_path(plat, 3), "parsed_resume_data", "skills")
    bundles, report = read_all(plat)
    assert bundles[3].parsed_resumes == []
    assert bundles[3].resume_content and bundles[3].privacy  # the user's other private tables are read
    assert "parsed_resume_data" in bundles[3].missing["sqlite"]
    assert all(b.parsed_resumes for uid, b in bundles.items() if uid != 3)
    assert report["sqlite"].reasons["parsed_resume_data: table absent or lacks seed column(s)"] == 1


def test_when_private_database_missing_then_user_marked_and_others_read(plat):
    L.user_db_path(plat, 9).unlink()
    bundles, _ = read_all(plat)
    assert bundles[9].missing["sqlite"] == "no private database"
    assert bundles[9].user is not None
    assert all(b.resume_content for uid, b in bundles.items() if uid != 9)


# ---- platform tables ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("table", "column", "store", "attr"),
    [
        ("user_settings", "timezone", "mysql", "settings"),
        ("user_sessions", "login_time", "mysql", "sessions"),
        ("resume_skills", "skill_id", "mysql", "resume_skills"),
        ("resume_data", "skills_vector", "postgres", "resume_data"),
        ("user_embeddings", "created_at", "postgres", "embeddings"),
    ],
)
def test_when_platform_table_lacks_column_then_table_skipped_and_rest_read(plat, table, column, store, attr):
    before, _ = read_all(plat)
    assert all(getattr(b, attr) for b in before.values())
    drop_column(plat / L.PLATFORM_DB, table, column)
    bundles, report = read_all(plat)
    assert len(bundles) == USERS
    assert all(getattr(b, attr) == [] for b in bundles.values())
    assert report[store].reasons[f"table {table} lacks column(s) {column}: skipped"] == 1
    assert all((b.profiles and b.resumes and b.embeddings) or attr == "embeddings" for b in bundles.values())
    assert all(b.resume_content for b in bundles.values())


def test_when_users_table_lacks_column_then_source_error_names_it(plat):
    drop_column(plat / L.PLATFORM_DB, "users", "username")
    with pytest.raises(SourceError, match="table users"):
        EmbeddedPlatform(plat)


def test_when_events_table_lacks_column_then_events_reported_absent(plat):
    drop_column(plat / L.PLATFORM_DB, "user_behavior_analysis", "duration")
    frame = read_events(plat)
    assert not frame.stats.present
    assert "duration" in frame.stats.note
    bundles, _ = read_all(plat)  # the rest of the platform still reads
    assert len(bundles) == USERS


# ---- malformed records -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("action_type", "teleport", "action_type: expected one of the allowed values"),
        ("action_type", None, "action_type: expected one of the allowed values"),
        ("action_target", "moon", "action_target: expected one of the allowed values"),
        ("action_details", "{not json", "action_details: expected a JSON document"),
        ("duration", -7, "duration: expected an integer >= 0"),
        ("duration", None, "duration: expected an integer >= 0"),
        ("timestamp", "yesterday", "timestamp: expected an ISO-8601 time"),
        ("user_id", 0, "user_id: expected a positive integer"),
        ("timestamp", "2027-06-01T00:00:00.000000Z", "timestamp: in the future of the platform's now"),
    ],
)
def test_when_event_row_malformed_then_row_rejected_with_reason(plat, column, value, reason):
    as_of = EmbeddedPlatform(plat).reference_time()
    base = read_events(plat, as_of)
    con = sqlite3.connect(plat / L.PLATFORM_DB)
    cols = L.columns(next(m for m in L.PLATFORM_TABLES if m.__record__ == "user_behavior_analysis"))
    row = dict(
        zip(
            cols,
            con.execute(
                f"SELECT {', '.join(cols)} FROM user_behavior_analysis "
                "WHERE action_type = 'view' AND duration >= 0 LIMIT 1"
            ).fetchone(),
            strict=True,
        )
    )
    row[column] = value
    row["event_id"] = "test-malformed"
    con.execute(
        f"INSERT INTO user_behavior_analysis ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        tuple(row.values()),
    )
    con.commit()
    con.close()
    after = read_events(plat, as_of)
    assert after.stats.read == base.stats.read
    assert after.stats.rejected == base.stats.rejected + 1
    assert after.stats.reasons[reason] == base.stats.reasons[reason] + 1


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        (b"\x01\x02\x03", False),  # not a multiple of 4 bytes
        ("[0.5, 0.25, oops]", False),  # text that is not a JSON array
        ("[0.5, 0.25]", True),  # JSON arrays are accepted on read
        (b"\x00\x00\x00?\x00\x00\x80>", True),  # little-endian float32 [0.5, 0.25]
    ],
)
def test_when_vector_blob_given_then_malformed_rejected_and_wellformed_read(plat, value, accepted):
    con = sqlite3.connect(plat / L.PLATFORM_DB)
    con.execute(
        "INSERT INTO user_embeddings (user_id, content_vector, created_at) VALUES (3, ?, ?)",
        (value, "2026-10-01T00:00:00.000000Z"),
    )
    con.commit()
    con.close()
    bundles, report = read_all(plat)
    vectors = [e.content_vector for e in bundles[3].embeddings]
    if accepted:
        assert len(vectors) == 2 and [0.5, 0.25] in vectors
        assert report["postgres"].rejected == 0
    else:
        assert len(vectors) == 1  # the user's good row is still read
        assert (
            report["postgres"].reasons[
                "user_embeddings.content_vector: expected a float32 BLOB or a JSON array"
            ]
            == 1
        )
    assert all(b.embeddings for b in bundles.values())


@pytest.mark.parametrize(
    ("store", "rel", "line", "reason"),
    [
        ("weaviate", L.VECTORS_FILE, "{not json", "UserVector: line is not a JSON object"),
        (
            "weaviate",
            L.VECTORS_FILE,
            '{"properties": {"user_id": "uv-9999999", "content_vector": [1.0, 2.0]}}',
            "UserVector: a vector has the wrong dimension",
        ),
        (
            "weaviate",
            L.VECTORS_FILE,
            '{"properties": {"content_vector": [1.0]}}',
            "UserVector.user_id: expected a value (the field is required)",
        ),
        ("redis", L.REDIS_FILE, "garbage", "redis key: line is not JSON"),
        (
            "redis",
            L.REDIS_FILE,
            '{"key": "ai_cache:1", "value": {}, "ttl": -5}',
            "redis key.ttl: expected a number >= 0",
        ),
        ("mongodb", L.DOCUMENTS_FILE, "[1, 2]", "documents: line is not a JSON object with a string user_id"),
    ],
)
def test_when_side_store_line_malformed_then_line_rejected_and_rest_read(plat, store, rel, line, reason):
    _, base = read_all(plat)
    append_line(plat / rel, line)
    bundles, report = read_all(plat)
    assert len(bundles) == USERS
    assert report[store].reasons[reason] == 1
    assert report[store].rejected == base[store].rejected + 1
    assert report[store].read == base[store].read


def test_when_graph_row_malformed_then_row_skipped_and_reported(plat):
    _, base = read_all(plat)
    append_line(plat / L.GRAPH_DIR / "HAS_SKILL.csv", "g-unknown,NoSuchSkill,expert,not-a-number")
    bundles, report = read_all(plat)
    assert report["graph"].rejected >= 1
    assert any(reason.startswith("graph row skipped") for reason in report["graph"].reasons)
    assert report["graph"].read == base["graph"].read
    assert sum(b.graph_id is not None for b in bundles.values()) > 0


def test_when_email_shared_by_two_users_then_conflict_reported_not_merged(plat):
    before, _ = read_all(plat)
    a, b = [uid for uid, x in sorted(before.items()) if x.documents is not None and not x.conflicts][:2]
    con = sqlite3.connect(plat / L.PLATFORM_DB)
    con.execute("UPDATE users SET email = (SELECT upper(email) FROM users WHERE id = ?) WHERE id = ?", (a, b))
    con.commit()
    con.close()
    bundles, report = read_all(plat)
    for uid in (a, b):
        assert bundles[uid].documents is None
        assert any("not merged" in c for c in bundles[uid].conflicts)
    assert report["mongodb"].reasons["stitching conflict: shared e-mail"] >= 2


# ---- absent side stores ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("folder", "source", "attr"),
    [
        ("graph", "graph", "graph_id"),
        ("documents", "mongodb", "documents"),
        ("redis", "redis", "redis"),
        ("vectors", "weaviate", "vector"),
    ],
)
def test_when_side_store_folder_missing_then_source_reported_absent_and_rest_read(plat, folder, source, attr):
    shutil.rmtree(plat / folder)
    bundles, report = read_all(plat)
    assert report.absent() == [source]
    assert report[source].note
    assert len(bundles) == USERS
    assert not any(getattr(b, attr) for b in bundles.values())
    assert all(b.user and b.resume_content for b in bundles.values())
    others = {"graph", "mongodb", "redis", "weaviate"} - {source}
    assert all(report[s].read > 0 for s in others)


def test_when_only_platform_db_and_users_then_all_users_read_and_side_stores_absent(plat):
    for extra in ("graph", "documents", "redis", "vectors", "events", "_truth"):
        shutil.rmtree(plat / extra, ignore_errors=True)
    (plat / L.META_FILE).unlink()
    assert sorted(p.name for p in plat.iterdir()) == ["platform.sqlite", "users"]
    bundles, report = read_all(plat)
    assert len(bundles) == USERS
    assert sorted(report.absent()) == ["graph", "mongodb", "redis", "weaviate"]
    assert all(b.user and b.profiles and b.resume_content and b.privacy for b in bundles.values())
    assert read_events(plat).stats.read > 0


def test_when_users_folder_missing_then_sqlite_reported_absent_and_platform_rows_read(plat):
    shutil.rmtree(plat / L.USERS_DIR)
    bundles, report = read_all(plat)
    assert report.absent() == ["sqlite"]
    assert "users/" in report["sqlite"].note
    assert len(bundles) == USERS
    assert all(b.user and b.profiles and b.resume_content == [] for b in bundles.values())


def test_when_platform_db_missing_then_usage_error_exit_2(tmp_path):
    with pytest.raises(UsageError, match=r"platform\.sqlite") as info:
        EmbeddedPlatform(tmp_path)
    assert info.value.exit_code == 2


# ---- the CLI: exit codes, never a traceback ----------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["generate", "--users", "0"],
        ["generate", "--users", "-3"],
        ["generate", "--users", "many"],
        ["generate", "--users", "5", "--as-of", "not-a-time"],
        ["generate", "--users", "5", "--as-of", "2026-13-45"],
        ["generate", "--users", "5", "--no-such-flag"],
    ],
)
def test_when_generate_misused_then_exit_2_without_traceback(tmp_path, capsys, args):
    out = tmp_path / "out"
    assert main([*args, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.strip()
    assert not out.exists() or not any(out.iterdir())


def test_when_generate_into_non_empty_folder_then_exit_2(tmp_path, capsys):
    (tmp_path / "junk.txt").write_text("x")
    assert main(["generate", "--users", "3", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Traceback" not in err


def test_when_generate_ok_then_exit_0(tmp_path, capsys):
    assert main(["generate", "--users", "4", "--seed", "2", "--out", str(tmp_path / "p"), "--json"]) == 0
    assert (tmp_path / "p" / L.PLATFORM_DB).exists()
    assert '"users": 4' in capsys.readouterr().out


@pytest.fixture
def build_platform(pristine: Path, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "b"
    shutil.copytree(pristine, root)
    yield root


def test_when_build_on_clean_platform_then_exit_0(build_platform, capsys):
    assert main(["build", "--platform", str(build_platform), "--json"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_when_build_with_corrupt_private_database_then_exit_3(build_platform, capsys):
    L.user_db_path(build_platform, 4).write_bytes(b"\xde\xad\xbe\xef" * 256)
    assert main(["build", "--platform", str(build_platform), "--json"]) == 3
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert "corrupt" in captured.out + captured.err


def test_when_build_given_missing_platform_then_nonzero_without_traceback(tmp_path, capsys):
    code = main(["build", "--platform", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err
    assert code in (2, 3)
    assert "platform.sqlite" in err and "Traceback" not in err


def test_when_only_platform_db_and_users_exist_then_build_reports_absent_sources_and_exits_3(tmp_path):
    """The issue's minimal platform: identities are built, and the absent sources are named."""
    import json as _json

    from ai_identity.cli import main
    from ai_identity.synth.writer import generate

    full = tmp_path / "full"
    generate(full, 40, 9)
    mini = tmp_path / "mini"
    mini.mkdir()
    shutil.copy(full / L.PLATFORM_DB, mini / L.PLATFORM_DB)
    shutil.copytree(full / L.USERS_DIR, mini / L.USERS_DIR)
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["build", "--platform", str(mini), "--json"])
    summary = _json.loads(buf.getvalue())
    assert code == 3 and summary["built"] == 40
    assert set(summary["absent_sources"]) == {"graph", "mongodb"}
    assert not summary["sources"]["mongodb"]["reasons"]  # no stitching conflict is claimed without documents
