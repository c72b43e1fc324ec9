"""The synthetic generator: deterministic for a seed, the contract's tables and columns, the encodings."""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ai_identity.errors import UsageError
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.synth.noise import RATES
from ai_identity.synth.writer import DEFAULT_AS_OF, generate

USERS = 60
AS_OF = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)

# Mirrors ../shared/checks/contract.py (SEED_TABLES / PRIVATE_TABLES): the columns other tools rely on.
SEED_TABLES = {
    "users": {"id", "username", "email", "phone", "created_at", "updated_at", "status"},
    "user_profiles": {
        "user_id",
        "real_name",
        "avatar",
        "bio",
        "location",
        "industry",
        "experience_years",
        "education_level",
        "skills_summary",
    },
    "user_settings": {
        "user_id",
        "language",
        "timezone",
        "notification_preferences",
        "privacy_settings",
        "theme_preferences",
        "ai_assistance_level",
    },
    "user_sessions": {
        "user_id",
        "session_id",
        "ip_address",
        "user_agent",
        "login_time",
        "logout_time",
        "duration",
        "activity_count",
    },
    "resumes": {
        "id",
        "user_id",
        "title",
        "content",
        "creation_mode",
        "template_id",
        "status",
        "is_public",
        "view_count",
        "like_count",
        "share_count",
        "created_at",
        "updated_at",
    },
    "resume_skills": {"resume_id", "skill_id", "proficiency_level", "years_of_experience", "is_verified"},
    "resume_analyses": {
        "resume_id",
        "analysis_type",
        "analysis_result",
        "confidence_score",
        "ai_model_version",
        "created_at",
    },
    "resume_data": {
        "mysql_resume_id",
        "user_id",
        "content_vector",
        "skills_vector",
        "experience_vector",
        "ai_analysis",
        "keywords",
        "confidence",
    },
    "ai_analyses": {
        "id",
        "user_id",
        "analysis_type",
        "analysis_result",
        "confidence_score",
        "model_version",
        "created_at",
    },
    "user_ai_profiles": {
        "user_id",
        "personality_traits",
        "skills_assessment",
        "career_recommendations",
        "learning_suggestions",
        "updated_at",
    },
    "user_embeddings": {"user_id", "content_vector", "skills_vector", "behavior_vector", "created_at"},
    "user_behavior_analysis": {
        "user_id",
        "session_id",
        "action_type",
        "action_target",
        "action_target_id",
        "action_details",
        "user_agent",
        "ip_address",
        "duration",
        "success",
        "timestamp",
    },
}
PRIVATE_TABLES = {
    "resume_content": {
        "resume_metadata_id",
        "title",
        "content",
        "raw_content",
        "content_hash",
        "created_at",
        "updated_at",
    },
    "parsed_resume_data": {
        "resume_content_id",
        "personal_info",
        "work_experience",
        "education",
        "skills",
        "projects",
        "certifications",
        "keywords",
        "confidence",
        "parsing_version",
    },
    "user_privacy_settings": {
        "resume_content_id",
        "data_sharing_level",
        "ai_analysis_consent",
        "third_party_access",
    },
}
SIDE_FILES = (
    "graph/User.csv",
    "graph/Skill.csv",
    "graph/Company.csv",
    "graph/HAS_SKILL.csv",
    "graph/WORKED_AT.csv",
    "graph/COLLABORATED_WITH.csv",
    "documents/user_documents.jsonl",
    "redis/keys.jsonl",
    "vectors/UserVector.jsonl",
    "platform.json",
    "_truth/injections.json",
    "_truth/summary.json",
)
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@pytest.fixture(scope="module")
def platforms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Seed 11 twice, seed 12 once, and seed 11 with a custom as_of."""
    base = tmp_path_factory.mktemp("generator")
    out = {"a": base / "a", "b": base / "b", "other": base / "other", "as_of": base / "as_of"}
    generate(out["a"], USERS, 11)
    generate(out["b"], USERS, 11)
    generate(out["other"], USERS, 12)
    generate(out["as_of"], USERS, 11, AS_OF)
    return out


def _tables(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by all columns, so equality is on content rather than file bytes."""
    con = sqlite3.connect(db)
    try:
        names = [
            n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        out = {}
        for t in names:
            ncols = len(con.execute(f"PRAGMA table_info({t})").fetchall())
            order = ", ".join(str(i + 1) for i in range(ncols))
            out[t] = con.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall()
        return out
    finally:
        con.close()


def _truth_users(root: Path) -> list[str]:
    with gzip.open(root / "_truth" / "users.jsonl.gz", "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def test_when_same_seed_twice_then_platform_tables_identical(platforms):
    a, b = _tables(platforms["a"] / "platform.sqlite"), _tables(platforms["b"] / "platform.sqlite")
    assert sorted(a) == sorted(b)
    for table in a:
        assert a[table] == b[table], table
    assert len(a["users"]) == USERS


def test_when_same_seed_twice_then_private_databases_identical(platforms):
    files_a = sorted(p.name for p in (platforms["a"] / "users").glob("*.sqlite"))
    files_b = sorted(p.name for p in (platforms["b"] / "users").glob("*.sqlite"))
    assert files_a == files_b
    assert len(files_a) == USERS
    for name in files_a:
        assert _tables(platforms["a"] / "users" / name) == _tables(platforms["b"] / "users" / name), name


@pytest.mark.parametrize("rel", SIDE_FILES)
def test_when_same_seed_twice_then_side_file_identical(platforms, rel):
    data = (platforms["a"] / rel).read_bytes()
    assert data, f"{rel} is empty"
    assert data == (platforms["b"] / rel).read_bytes()


def test_when_same_seed_twice_then_truth_identical(platforms):
    # compared decompressed: the gzip header carries a write time
    assert _truth_users(platforms["a"]) == _truth_users(platforms["b"])
    assert len(_truth_users(platforms["a"])) == USERS


@pytest.mark.parametrize(
    "table", ["users", "user_profiles", "resumes", "user_behavior_analysis", "user_embeddings"]
)
def test_when_different_seed_then_table_differs(platforms, table):
    a = _tables(platforms["a"] / "platform.sqlite")[table]
    other = _tables(platforms["other"] / "platform.sqlite")[table]
    assert a and other
    assert a != other


@pytest.mark.parametrize(
    "rel",
    [
        "graph/User.csv",
        "documents/user_documents.jsonl",
        "redis/keys.jsonl",
        "vectors/UserVector.jsonl",
        "_truth/injections.json",
    ],
)
def test_when_different_seed_then_side_file_differs(platforms, rel):
    assert (platforms["a"] / rel).read_bytes() != (platforms["other"] / rel).read_bytes()


def test_when_different_seed_then_truth_differs(platforms):
    assert _truth_users(platforms["a"]) != _truth_users(platforms["other"])


@pytest.mark.parametrize("table", sorted(SEED_TABLES))
def test_when_generated_then_platform_table_has_every_contract_column(platforms, table):
    con = sqlite3.connect(platforms["a"] / "platform.sqlite")
    have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
    con.close()
    assert SEED_TABLES[table] <= have, sorted(SEED_TABLES[table] - have)


@pytest.mark.parametrize("table", sorted(PRIVATE_TABLES))
def test_when_generated_then_every_private_database_has_contract_columns(platforms, table):
    files = sorted((platforms["a"] / "users").glob("*.sqlite"))
    assert len(files) == USERS
    for f in files:
        con = sqlite3.connect(f)
        have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        con.close()
        assert PRIVATE_TABLES[table] <= have, (f.name, sorted(PRIVATE_TABLES[table] - have))
        assert rows >= 1, f.name


def test_when_generated_then_private_database_named_by_platform_user_id(platforms):
    con = sqlite3.connect(platforms["a"] / "platform.sqlite")
    ids = {uid for (uid,) in con.execute("SELECT id FROM users")}
    con.close()
    assert {int(p.stem) for p in (platforms["a"] / "users").glob("*.sqlite")} == ids


@pytest.mark.parametrize(("name", "as_of"), [("a", DEFAULT_AS_OF), ("as_of", AS_OF)])
def test_when_generated_then_metadata_records_as_of(platforms, name, as_of):
    meta = json.loads((platforms[name] / "platform.json").read_text())
    assert meta["as_of"] == as_of.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    platform = EmbeddedPlatform(platforms[name])
    try:
        assert platform.reference_time() == as_of
    finally:
        platform.close()


def test_when_as_of_given_then_no_event_after_it_except_injected_future(platforms):
    root = platforms["as_of"]
    future = {
        k.split(":", 1)[1]
        for k in json.loads((root / "_truth/injections.json").read_text()).get("future_event", [])
    }
    con = sqlite3.connect(root / "platform.sqlite")
    late = {
        eid
        for (eid,) in con.execute(
            "SELECT event_id FROM user_behavior_analysis WHERE timestamp > ?",
            (AS_OF.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),),
        )
    }
    con.close()
    assert late == future


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("users", "created_at"),
        ("user_sessions", "login_time"),
        ("resumes", "created_at"),
        ("ai_analyses", "created_at"),
        ("user_embeddings", "created_at"),
        ("user_behavior_analysis", "timestamp"),
    ],
)
def test_when_generated_then_timestamps_are_iso_utc_with_microseconds(platforms, table, column):
    con = sqlite3.connect(platforms["a"] / "platform.sqlite")
    values = [v for (v,) in con.execute(f"SELECT {column} FROM {table}")]
    con.close()
    assert values
    bad = [v for v in values if not (isinstance(v, str) and ISO_UTC.match(v))]
    assert not bad, bad[:3]


@pytest.mark.parametrize(
    ("table", "column", "dim"),
    [
        ("resume_data", "content_vector", 256),
        ("resume_data", "skills_vector", 64),
        ("resume_data", "experience_vector", 32),
        ("user_embeddings", "content_vector", 256),
        ("user_embeddings", "skills_vector", 64),
        ("user_embeddings", "behavior_vector", 16),
    ],
)
def test_when_generated_then_vectors_are_float32_blobs(platforms, table, column, dim):
    con = sqlite3.connect(platforms["a"] / "platform.sqlite")
    blobs = [v for (v,) in con.execute(f"SELECT {column} FROM {table}")]
    con.close()
    assert blobs and all(isinstance(b, bytes) for b in blobs)
    sizes = {len(b) for b in blobs}
    wrong_dim = json.loads((platforms["a"] / "_truth/injections.json").read_text()).get(
        "vector_wrong_dimension", []
    )
    if column == "behavior_vector" and wrong_dim:
        assert sizes == {dim * 4, (dim - 3) * 4}  # the injected wrong-dimension vectors
    else:
        assert sizes == {dim * 4}


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("resumes", "is_public"),
        ("resume_skills", "is_verified"),
        ("user_behavior_analysis", "success"),
    ],
)
def test_when_generated_then_booleans_are_zero_or_one(platforms, table, column):
    con = sqlite3.connect(platforms["a"] / "platform.sqlite")
    values = {v for (v,) in con.execute(f"SELECT DISTINCT {column} FROM {table}")}
    con.close()
    assert values and values <= {0, 1}


def test_when_generated_then_injections_name_only_documented_classes(platforms):
    injections = json.loads((platforms["a"] / "_truth/injections.json").read_text())
    summary = json.loads((platforms["a"] / "_truth/summary.json").read_text())
    assert set(injections) <= set(RATES)
    assert set(summary["imperfections"]) == set(RATES)
    for cls, keys in injections.items():
        assert summary["imperfections"][cls]["injected"] == len(keys), cls
        assert summary["imperfections"][cls]["target_rate"] == RATES[cls][0], cls


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_users": 0}, "--users"),
        ({"n_users": -5}, "--users"),
    ],
)
def test_when_generate_given_bad_user_count_then_usage_error(tmp_path, kwargs, field):
    with pytest.raises(UsageError, match=field):
        generate(tmp_path / "p", seed=1, **kwargs)
    assert not (tmp_path / "p").exists()


def test_when_output_folder_not_empty_then_usage_error_and_folder_kept(tmp_path):
    out = tmp_path / "p"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    with pytest.raises(UsageError, match="--out"):
        generate(out, 5, 1)
    assert (out / "keep.txt").read_text() == "x"
