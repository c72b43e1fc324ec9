"""Layout round trip: generate -> read back with the embedded reader -> the same records, stitched as
the truth says.

The expected side is computed from the files themselves (raw SQLite rows decoded by the documented encodings,
CSV and JSON lines counted) and from the generator's ground truth, never from the reader's own helpers.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sqlite3
import struct
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ai_identity.model import records as r
from ai_identity.privacy.read_spy import grant_everything
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import EVENT_COLUMNS, read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.sources.embedded.stitch import CYPHER
from ai_identity.synth.writer import generate

USERS = 150
SEED = 21
DOC = Path(__file__).resolve().parents[2] / "docs" / "embedded-layout.md"

# platform table -> (model, attribute of the user's bundle); written out here, not taken from the reader
BUNDLE_ATTR: dict[str, tuple[type[r.SeedRecord], str]] = {
    "users": (r.User, "user"),
    "user_profiles": (r.UserProfile, "profiles"),
    "user_settings": (r.UserSetting, "settings"),
    "user_sessions": (r.UserSession, "sessions"),
    "resumes": (r.Resume, "resumes"),
    "resume_skills": (r.ResumeSkill, "resume_skills"),
    "resume_analyses": (r.ResumeAnalysis, "resume_analyses"),
    "resume_data": (r.ResumeData, "resume_data"),
    "ai_analyses": (r.AIAnalysis, "ai_analyses"),
    "user_ai_profiles": (r.UserAIProfile, "ai_profiles"),
    "user_embeddings": (r.UserEmbedding, "embeddings"),
}
PRIVATE_ATTR: dict[str, tuple[type[r.SeedRecord], str]] = {
    "resume_content": (r.ResumeContent, "resume_content"),
    "parsed_resume_data": (r.ParsedResumeData, "parsed_resumes"),
    "user_privacy_settings": (r.UserPrivacySettings, "privacy"),
}
# injection class -> the reason the event reader reports for it
EVENT_REJECTS = {
    "malformed_action_type": "action_type: expected one of the allowed values",
    "malformed_action_details": "action_details: expected a JSON document",
    "negative_duration": "duration: expected an integer >= 0",
    "future_event": "timestamp: in the future of the platform's now",
}
REDIS_KEY = re.compile(r"^(user:behavior:\d+|session:[^:]+|ai_cache:\d+|behavior:\d+:\d{16})$")


# ---- fixtures ----------------------------------------------------------------------------------------------
class ReadBack:
    """One generated platform, read back once through the reader, with its truth and injection list."""

    def __init__(self, root: Path) -> None:
        self.root = root
        grant_everything(root)  # the round trip reads every record: every user consents to every tier
        self.platform = EmbeddedPlatform(root)
        self.as_of = self.platform.reference_time()
        self.bundles = {b.user_id: b for batch in self.platform.iter_batches(batch_size=40) for b in batch}
        self.skills = self.platform.skill_dictionary()
        self.report = self.platform.report
        with gzip.open(root / "_truth" / "users.jsonl.gz", "rt", encoding="utf-8") as f:
            self.truth = {t["person"]["user_id"]: t for t in map(json.loads, f)}
        self.injections: dict[str, list[str]] = json.loads((root / "_truth" / "injections.json").read_text())

    def injected(self, cls: str) -> list[str]:
        return self.injections.get(cls, [])


@pytest.fixture(scope="module")
def back(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReadBack]:
    root = tmp_path_factory.mktemp("roundtrip") / "p"
    generate(root, USERS, SEED)
    rb = ReadBack(root)
    yield rb
    rb.platform.close()


# ---- helpers: the documented encodings, decoded independently ----------------------------------------------
def _decode_blob(value: Any) -> Any:
    if isinstance(value, bytes):
        return list(struct.unpack(f"<{len(value) // 4}f", value))
    return value


def _raw_records(db: Path, model: type[r.SeedRecord]) -> list[r.SeedRecord]:
    con = sqlite3.connect(db)
    try:
        cols = [c[1] for c in con.execute(f"PRAGMA table_info({model.__record__})")]
        rows = [
            dict(zip(cols, map(_decode_blob, row), strict=True))
            for row in con.execute(f"SELECT * FROM {model.__record__}")
        ]
    finally:
        con.close()
    return [r.validate_record(model, row) for row in rows]


def _dumps(records: list[Any]) -> Counter[str]:
    return Counter(rec.model_dump_json() for rec in records)


def _lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _csv_rows(root: Path, label: str) -> list[dict[str, str]]:
    with open(root / L.GRAPH_DIR / L.GRAPH_FILES[label], newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# ---- relational round trip ---------------------------------------------------------------------------------
def test_when_read_back_then_every_user_is_read(back):
    con = sqlite3.connect(back.root / L.PLATFORM_DB)
    ids = {uid for (uid,) in con.execute("SELECT id FROM users")}
    con.close()
    assert set(back.bundles) == ids
    assert len(ids) == USERS
    assert back.report.skipped_users == {}
    assert all(b.user is not None for b in back.bundles.values())


@pytest.mark.parametrize("table", sorted(BUNDLE_ATTR))
def test_when_read_back_then_platform_table_records_equal_raw_rows(back, table):
    model, attr = BUNDLE_ATTR[table]
    expected = _raw_records(back.root / L.PLATFORM_DB, model)
    got: list[Any] = []
    for b in back.bundles.values():
        value = getattr(b, attr)
        got.extend(value if isinstance(value, list) else [value])
    assert len(got) == len(expected) > 0
    assert _dumps(got) == _dumps(expected)


def test_when_read_back_then_skill_dictionary_equals_raw_rows(back):
    expected = _raw_records(back.root / L.PLATFORM_DB, r.Skill)
    assert len(back.skills) == len(expected) > 100
    assert _dumps(list(back.skills.values())) == _dumps(expected)
    con = sqlite3.connect(back.root / L.PLATFORM_DB)
    dangling = con.execute("SELECT count(*) FROM resume_skills WHERE skill_id NOT IN (SELECT id FROM skills)")
    assert dangling.fetchone()[0] == 0
    con.close()


@pytest.mark.parametrize("table", sorted(PRIVATE_ATTR))
def test_when_read_back_then_private_records_equal_raw_rows(back, table):
    model, attr = PRIVATE_ATTR[table]
    for uid, b in back.bundles.items():
        expected = _raw_records(L.user_db_path(back.root, uid), model)
        assert len(expected) >= 1
        assert _dumps(getattr(b, attr)) == _dumps(expected), uid


@pytest.mark.parametrize("store", ["mysql", "postgres", "sqlite"])
def test_when_read_back_then_relational_stores_reject_nothing(back, store):
    stats = back.report[store]
    assert stats.present
    assert stats.rejected == 0, dict(stats.reasons)
    assert stats.read > 0


# ---- events ------------------------------------------------------------------------------------------------
def _raw_events(root: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(root / L.PLATFORM_DB)
    con.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in con.execute("SELECT * FROM user_behavior_analysis")]
    finally:
        con.close()


@pytest.mark.parametrize("with_as_of", [True, False], ids=["as_of", "no_as_of"])
def test_when_events_read_then_rejects_equal_injected_faults(back, with_as_of):
    as_of = back.as_of if with_as_of else None
    frame = read_events(back.root, as_of, columns=[*EVENT_COLUMNS, "event_id"])
    classes = [c for c in EVENT_REJECTS if with_as_of or c != "future_event"]
    assert all(back.injected(c) for c in classes), (
        "the fixture platform should carry every reader-rejected fault"
    )
    assert dict(frame.stats.reasons) == {EVENT_REJECTS[c]: len(back.injected(c)) for c in classes}
    rejected_ids = {k.split(":", 1)[1] for c in classes for k in back.injected(c)}
    read_ids = set(frame.frame["event_id"].to_list())
    assert not read_ids & rejected_ids
    total = len(_raw_events(back.root))
    assert frame.stats.read == frame.frame.height == total - frame.stats.rejected


def test_when_events_read_then_rows_equal_raw_rows_validated(back):
    frame = read_events(back.root, back.as_of, columns=[*EVENT_COLUMNS, "event_id"]).frame
    expected = []
    invalid = 0
    for row in _raw_events(back.root):
        try:
            rec = r.validate_record(r.UserBehaviorAnalysis, row)
        except r.RecordError:
            invalid += 1
            continue
        if rec.timestamp <= back.as_of:
            expected.append(rec)
    got = [
        r.validate_record(r.UserBehaviorAnalysis, row)
        for row in frame.select([*EVENT_COLUMNS, "event_id"]).iter_rows(named=True)
    ]
    assert invalid == sum(len(back.injected(c)) for c in EVENT_REJECTS if c != "future_event")
    assert len(got) == len(expected)
    assert _dumps(got) == _dumps(expected)


def test_when_event_duplicated_then_both_copies_read(back):
    frame = read_events(back.root, back.as_of, columns=["event_id"]).frame
    counts = Counter(frame["event_id"].to_list())
    dup = {k.split(":", 1)[1] for k in back.injected("duplicate_event")}
    assert dup
    assert {eid for eid, n in counts.items() if n > 1} == dup


def test_when_events_cache_deleted_or_stale_then_same_events(back, tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(back.root, root)
    first = read_events(root, back.as_of)
    cache = root / L.EVENTS_CACHE
    assert cache.exists()
    cache.unlink()
    again = read_events(root, back.as_of)
    assert again.stats.read == first.stats.read and again.stats.rejected == first.stats.rejected
    con = sqlite3.connect(root / L.PLATFORM_DB)
    con.execute(
        "DELETE FROM user_behavior_analysis WHERE rowid IN (SELECT rowid FROM user_behavior_analysis "
        "WHERE action_type = 'view' AND duration >= 0 AND timestamp <= ? LIMIT 5)",
        (L.iso(back.as_of),),
    )
    con.commit()
    con.close()
    stale = read_events(root, back.as_of)
    assert stale.stats.read == first.stats.read - 5


# ---- side stores -------------------------------------------------------------------------------------------
def test_when_read_back_then_graph_count_equals_file_rows(back):
    expected = sum(len(_csv_rows(back.root, label)) for label in ("User", "HAS_SKILL", "WORKED_AT"))
    assert back.report["graph"].rejected == 0, dict(back.report["graph"].reasons)
    assert back.report["graph"].read == expected
    # collaborations are asked for on demand, between consenting users (here: everyone)
    edges = back.platform.side.collaborations_among(set(back.bundles))
    stitched = {b.graph_id for b in back.bundles.values() if b.graph_id}
    rows = [e for e in _csv_rows(back.root, "COLLABORATED_WITH") if {e["from"], e["to"]} <= stitched]
    assert len(edges) == len(rows) > 0  # edges touching a node no platform user stitches to are not asked for


def test_when_graph_stitched_then_relationships_follow_the_node(back):
    has_skill = Counter(row["from"] for row in _csv_rows(back.root, "HAS_SKILL"))
    worked_at = Counter(row["from"] for row in _csv_rows(back.root, "WORKED_AT"))
    stitched = [b for b in back.bundles.values() if b.graph_id]
    assert stitched
    for b in stitched:
        assert len(b.has_skill) == has_skill[b.graph_id]
        assert len(b.worked_at) == worked_at[b.graph_id]
        assert all(rel.user == b.graph_id for rel, _ in b.has_skill)


def test_when_read_back_then_cypher_queries_are_the_documented_ones(back):
    assert back.platform.side.graph is not None
    for name in CYPHER:
        assert back.platform.side.graph.query(name), name
    assert {"users", "has_skill", "worked_at", "collaborated"} == set(CYPHER)


def test_when_read_back_then_document_lines_all_indexed(back):
    lines = _lines(back.root / L.DOCUMENTS_FILE)
    stats = back.report["mongodb"]
    assert stats.rejected == 0
    assert sum(len(v) for v in back.platform.side.doc_offsets.values()) == len(lines)
    assert stats.read == sum(b.documents is not None for b in back.bundles.values())


def test_when_read_back_then_vector_lines_all_read(back):
    lines = _lines(back.root / L.VECTORS_FILE)
    assert back.report["weaviate"].rejected == 0
    assert back.report["weaviate"].read == len(lines)
    by_key = {obj["properties"]["user_id"]: obj["properties"] for obj in map(json.loads, lines)}
    attached = [b for b in back.bundles.values() if b.vector is not None]
    assert len(attached) == len(lines)
    for b in attached:
        assert b.vector.skills_vector == by_key[b.vector.user_id]["skills_vector"]


def test_when_read_back_then_redis_keys_all_read_and_patterned(back):
    lines = [json.loads(ln) for ln in _lines(back.root / L.REDIS_FILE)]
    assert back.report["redis"].rejected == 0
    assert back.report["redis"].read == len(lines)
    assert sum(len(b.redis) for b in back.bundles.values()) == len(lines)
    assert all(set(obj) == {"key", "value", "ttl"} for obj in lines)
    assert [o["key"] for o in lines if not REDIS_KEY.match(o["key"])] == []
    assert all(isinstance(o["ttl"], int) and o["ttl"] > 0 for o in lines)
    as_of_us = int(back.as_of.timestamp() * 1_000_000)
    stamps = [int(o["key"].rsplit(":", 1)[1]) for o in lines if o["key"].startswith("behavior:")]
    assert stamps and all(as_of_us - 86_400_000_000 <= s <= as_of_us for s in stamps)
    kinds = {o["key"].split(":")[0] for o in lines}
    assert kinds == {"user", "session", "ai_cache", "behavior"}


# ---- stitching against the truth ---------------------------------------------------------------------------
def _shared_email_users(back: ReadBack) -> set[int]:
    """Users whose platform e-mail is claimed by more than one user (the injected one and its owner)."""
    owners: dict[str, list[int]] = {}
    for uid, b in back.bundles.items():
        if b.user.email:
            owners.setdefault(b.user.email.strip().lower(), []).append(uid)
    return {uid for ids in owners.values() if len(ids) > 1 for uid in ids}


def test_when_stitched_then_graph_ids_are_the_truth_except_stale_usernames(back):
    nodes = {row["id"] for row in _csv_rows(back.root, "User")}
    stale = {k.rsplit(":", 1)[1] for k in back.injected("stale_graph_username")}
    assert stale, "the fixture platform should carry stale graph usernames"
    expected = {uid: t["graph_id"] for uid, t in back.truth.items() if t["graph_id"] in nodes - stale}
    got = {uid: b.graph_id for uid, b in back.bundles.items() if b.graph_id is not None}
    assert got == expected
    for uid, t in back.truth.items():
        if t["graph_id"] in stale:
            assert back.bundles[uid].graph_id is None
            assert "graph" in back.bundles[uid].missing


def test_when_stitched_then_documents_are_the_truth_except_bad_or_shared_emails(back):
    keys = {json.loads(ln)["user_id"].lower() for ln in _lines(back.root / L.DOCUMENTS_FILE)}
    malformed = {int(k.split(":")[1]) for k in back.injected("malformed_email")}
    shared = _shared_email_users(back)
    assert {int(k.split(":")[1]) for k in back.injected("shared_email")} <= shared
    expected = {
        uid: t["document_key"].lower()
        for uid, t in back.truth.items()
        if t["document_key"].lower() in keys and uid not in malformed | shared
    }
    key_of = _document_keys(back)
    got = {uid: key_of[b.documents.id].lower() for uid, b in back.bundles.items() if b.documents is not None}
    assert got == expected
    # the e-mail key itself does not leave the stitching component
    assert all(b.documents.user_id.startswith("stitched:") for b in back.bundles.values() if b.documents)


def test_when_document_key_differs_in_case_then_still_stitched(back):
    upper = [json.loads(ln)["user_id"] for ln in _lines(back.root / L.DOCUMENTS_FILE)]
    upper = [k for k in upper if k != k.lower()]
    assert upper, "the generator writes some document keys in upper case"
    key_of = _document_keys(back)
    stitched = {key_of[b.documents.id] for b in back.bundles.values() if b.documents is not None}
    assert set(upper) & stitched


def _document_keys(back: ReadBack) -> dict[str, str]:
    """Document ``_id`` -> its ``user_id`` key (an e-mail) as the file holds it."""
    return {d["_id"]: d["user_id"] for d in map(json.loads, _lines(back.root / L.DOCUMENTS_FILE))}


def test_when_email_shared_then_conflict_reported_and_not_merged(back):
    shared = _shared_email_users(back)
    conflicted = {uid for uid, b in back.bundles.items() if b.conflicts}
    assert conflicted == shared
    for uid in shared:
        assert back.bundles[uid].documents is None
    assert back.report["mongodb"].reasons.get("stitching conflict: shared e-mail", 0) == len(shared)


def test_when_stitched_then_vectors_are_the_truth(back):
    keys = {json.loads(ln)["properties"]["user_id"] for ln in _lines(back.root / L.VECTORS_FILE)}
    expected = {uid: t["vector_key"] for uid, t in back.truth.items() if t["vector_key"] in keys}
    got = {uid: b.vector.user_id for uid, b in back.bundles.items() if b.vector is not None}
    assert got == expected


def test_when_as_of_in_the_past_then_later_records_left_out(back):
    cut = datetime.fromisoformat("2026-09-01T00:00:00+00:00")
    platform = EmbeddedPlatform(back.root)
    try:
        bundles = [b for batch in platform.iter_batches(as_of=cut) for b in batch]
    finally:
        platform.close()
    assert bundles
    assert all(s.login_time <= cut for b in bundles for s in b.sessions)
    assert all(a.created_at <= cut for b in bundles for a in b.ai_analyses)
    assert sum(len(b.sessions) for b in bundles) < sum(len(b.sessions) for b in back.bundles.values())


# ---- the documentation is the contract ---------------------------------------------------------------------
def _doc_section(text: str, table: str) -> str:
    m = re.search(rf"^#+ .*`{re.escape(table)}`.*$", text, flags=re.M)
    assert m, f"docs/embedded-layout.md has no heading for `{table}`"
    nxt = re.search(r"^#+ ", text[m.end() :], flags=re.M)
    return text[m.end() : m.end() + nxt.start() if nxt else len(text)]


@pytest.mark.parametrize("model", [*L.PLATFORM_TABLES, *L.PRIVATE_TABLES], ids=lambda m: m.__record__)
def test_when_layout_documented_then_every_column_and_type_listed(back, model):
    text = DOC.read_text(encoding="utf-8")
    section = _doc_section(text, model.__record__)
    db = back.root / (L.PLATFORM_DB if model in L.PLATFORM_TABLES else f"{L.USERS_DIR}/1.sqlite")
    con = sqlite3.connect(db)
    cols = [(c[1], c[2]) for c in con.execute(f"PRAGMA table_info({model.__record__})")]
    con.close()
    assert cols
    missing = [
        f"{name} {kind}"
        for name, kind in cols
        if not re.search(rf"^\|\s*`{name}`\s*\|\s*{kind}\s*\|", section, flags=re.M)
    ]
    assert missing == []


@pytest.mark.parametrize(
    "name",
    sorted(
        set(L.GRAPH_FILES.values())
        | {
            "platform.sqlite",
            "platform.json",
            "user_documents.jsonl",
            "keys.jsonl",
            "UserVector.jsonl",
            "user_behavior_analysis.parquet",
            "_truth/",
        }
    ),
)
def test_when_layout_documented_then_every_file_named(name):
    assert name in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CYPHER))
def test_when_layout_documented_then_reader_cypher_quoted_verbatim(name):
    assert CYPHER[name] in DOC.read_text(encoding="utf-8")
