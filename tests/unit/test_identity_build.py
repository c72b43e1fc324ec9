"""The build pipeline end to end on a generated platform: evidence completeness, --as-of, determinism, a
ground-truth-free build, evaluation thresholds, viewer filtering through the CLI and partial identities."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ai_identity.cli import main
from ai_identity.evaluation import evaluate
from ai_identity.model.identity import Evidence, Identity
from ai_identity.pipeline import build

# The target is overall >= 0.90 measured by the lead on 1,000-user platforms; on 150 users one user is
# 0.7% of a facet, so these thresholds leave room for that noise while still failing on a real regression.
MIN_OVERALL = 0.85
MIN_SKILLS_F1 = 0.90
MAX_BASELINE = 0.70

_RECORD_KV = re.compile(r"([A-Za-z_]+)=([^,;]*)")
_NODE = re.compile(r"\(:(\w+) \{(\w+): '(.*?)'\}\)")
_PATH_PART = re.compile(r"\[(\d+)\]")
_DELIMITED = re.compile(r"[,，、;；/|]+")


# --- walking every claim -----------------------------------------------------------------------------------


def claims_of(ident: Identity) -> Iterator[tuple[str, Any]]:
    """(where, claim) for every evidence-bearing claim of the document."""
    for s in ident.skills:
        yield f"skills.{s.skill_id}", s
    for section in ("profile", "personal", "behavior", "network", "ai_preferences"):
        for k, c in getattr(ident, section).items():
            yield f"{section}.{k}", c
    for k, c in ident.career.claims().items():
        yield f"career.{k}", c
    for i, j in enumerate(ident.career.history):
        yield f"career.history[{i}]", j
    for i, e in enumerate(ident.career.education):
        yield f"career.education[{i}]", e
    for i, t in enumerate(ident.traits):
        yield f"traits[{i}]", t


def evidence_of(ident: Identity) -> Iterator[tuple[str, Evidence]]:
    for where, claim in claims_of(ident):
        for e in claim.evidence:
            yield where, e


# --- resolving one piece of evidence -----------------------------------------------------------------------


def _record_keys(record: str) -> dict[str, str]:
    return dict(_RECORD_KV.findall(record))


def _follow(value: Any, path: str) -> Any:
    """Follow ``a.b[2].c`` into a JSON value; dict keys may themselves contain dots or spaces (skill names)."""
    if not path:
        return value
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise LookupError(f"{path!r} into a non-JSON string") from None
    m = re.match(r"^\[(\d+)\]", path)
    if m:
        if not isinstance(value, list) or int(m.group(1)) >= len(value):
            raise LookupError(f"index {m.group(1)} out of range")
        return _follow(value[int(m.group(1))], path[m.end() :].lstrip("."))
    if not isinstance(value, dict):
        raise LookupError(f"{path!r} into a {type(value).__name__}")
    for key in sorted(value, key=len, reverse=True):  # longest key first: "Node.js" before "Node"
        if path == key or path.startswith(key + ".") or path.startswith(key + "["):
            return _follow(value[key], path[len(key) :].lstrip("."))
    raise LookupError(f"no key for {path!r}")


def _holds(value: Any, quote: Any) -> bool:
    """Does the stored value hold the quoted one? Lists hold their elements; a delimited text (the profile's
    skills_summary) holds each of its parts."""
    if value == quote or str(value) == str(quote):
        return True
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, list | dict):
            return _holds(parsed, quote)
        if isinstance(quote, str) and quote.strip() in (p.strip() for p in _DELIMITED.split(value)):
            return True
    if isinstance(value, list):
        return quote in value
    if isinstance(value, int | float) and isinstance(quote, int | float):
        return abs(value - quote) < 1e-9
    return False


def _rows(con: sqlite3.Connection, table: str, record: str) -> list[sqlite3.Row]:
    keys = _record_keys(record)
    if not keys:
        raise LookupError(f"record {record!r} names no key")
    where = " AND ".join(f"{k} = ?" for k in keys)
    return con.execute(f"SELECT * FROM {table} WHERE {where}", list(keys.values())).fetchall()


class Resolver:
    """Re-reads what each Evidence cites from the platform's files."""

    def __init__(self, root: Path, as_of: datetime) -> None:
        from ai_identity.sources.embedded.events import read_events

        self.root = root
        self.con = sqlite3.connect(f"file:{root / 'platform.sqlite'}?mode=ro", uri=True)
        self.con.row_factory = sqlite3.Row
        self.skill_names = dict(self.con.execute("SELECT id, name FROM skills").fetchall())
        self.graph = {
            p.stem: list(csv.DictReader(p.open(encoding="utf-8"))) for p in (root / "graph").glob("*.csv")
        }
        docs = [
            json.loads(line) for line in (root / "documents" / "user_documents.jsonl").open(encoding="utf-8")
        ]
        self.documents = {str(d.get("user_id")): d for d in docs}
        self.events = read_events(root, as_of).frame

    def check(self, ident: Identity, e: Evidence) -> str | None:
        """None when the evidence resolves, else why not."""
        try:
            handler = getattr(self, f"_{e.source}", None)
            if handler is None:
                return f"no way to resolve source kind {e.source!r}"
            return handler(ident, e)
        except (LookupError, sqlite3.Error, ValueError) as exc:
            return f"{type(exc).__name__}: {exc}"

    def _table_row_check(self, con: sqlite3.Connection, table: str, e: Evidence) -> str | None:
        rows = _rows(con, table, e.record)
        if not rows:
            return "cited row not found"
        column, _, path = e.field.partition(".")
        m = _PATH_PART.search(column)
        if m:  # "skills[3]": the index belongs to the path
            column, path = column[: m.start()], column[m.start() :] + ("." + path if path else "")
        for row in rows:
            if column not in row.keys():  # noqa: SIM118 - sqlite3.Row: `in` tests values, not keys
                return f"field {column!r} is not a column of {table}"
            value = _follow(row[column], path)
            if e.quote is None:
                if e.span is not None:
                    start, end = e.span
                    if not (0 <= start <= end <= len(value or "")):
                        continue
                return None
            if column == "skill_id" and table == "resume_skills":
                value = self.skill_names.get(value)  # quoted as the dictionary's name of the id
            if e.span is not None:
                start, end = e.span
                if (value or "")[start:end] == e.quote:
                    return None
            elif _holds(value, e.quote):
                return None
        return f"no cited row holds {e.quote!r} in {e.field}"

    def _mysql(self, ident: Identity, e: Evidence) -> str | None:
        return self._table_row_check(self.con, e.store, e)

    _postgres = _mysql

    def _sqlite(self, ident: Identity, e: Evidence) -> str | None:
        path, _, table = e.store.partition(":")
        if not re.fullmatch(r"users/\d+\.sqlite", path) or not table:
            return f"store {e.store!r} is not users/<id>.sqlite:<table>"
        if path != f"users/{ident.user['platform_id']}.sqlite":
            return f"cites another user's private database {path}"
        con = sqlite3.connect(f"file:{self.root / path}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        try:
            return self._table_row_check(con, table, e)
        finally:
            con.close()

    def _graph(self, ident: Identity, e: Evidence) -> str | None:
        nodes = _NODE.findall(e.record)
        if not nodes or nodes[0][0] != "User":
            return f"record {e.record!r} names no user node"
        gid = nodes[0][2]
        rel = e.store
        rows = [
            r
            for r in self.graph.get(rel, [])
            if r["from"] == gid or (rel == "COLLABORATED_WITH" and r["to"] == gid)
        ]
        if len(nodes) > 1:
            rows = [r for r in rows if r["to"] == nodes[1][2]]
        if not rows:
            return f"no {rel} relationship for {e.record}"
        if e.quote is None:
            if e.count is not None and rel == "COLLABORATED_WITH":
                partners = {r["to"] if r["from"] == gid else r["from"] for r in rows}
                # 0 when every partner withheld the relational tier (their edges are dropped)
                if not 0 <= e.count <= len(partners):
                    return f"count {e.count} outside 0..{len(partners)} collaborators"
            return None
        if e.field == "industry":  # the company node's property
            companies = {c["name"]: c.get("industry") for c in self.graph.get("Company", [])}
            return (
                None if any(companies.get(r["to"]) == e.quote for r in rows) else "company industry differs"
            )
        return (
            None if any(_holds(_parse_csv(r.get(e.field)), e.quote) for r in rows) else f"{e.field} differs"
        )

    def _mongodb(self, ident: Identity, e: Evidence) -> str | None:
        keys = _record_keys(e.record)
        if "_id" in keys:
            doc = next((d for d in self.documents.values() if d.get("_id") == keys["_id"]), None)
        else:
            doc = self.documents.get(keys.get("user_id", ""))
        if doc is None:
            return f"no document for {e.record}"
        value = _follow(doc, e.field)
        return None if e.quote is None or _holds(value, e.quote) else f"{e.field} differs"

    def _events(self, ident: Identity, e: Evidence) -> str | None:
        m = re.fullmatch(r"user_id=(\d+);timestamp>=(\S+);timestamp<=(\S+)", e.record)
        if not m:
            return f"record {e.record!r} is not user_id=..;timestamp>=..;timestamp<=.."
        uid = int(m.group(1))
        if uid != ident.user["platform_id"]:
            return "cites another user's events"
        start, end = datetime.fromisoformat(m.group(2)), datetime.fromisoformat(m.group(3))
        ev = self.events.filter((pl.col("user_id") == uid) & pl.col("ts").is_between(start, end))
        if e.count is None:
            return None if ev.height else "no events in the window"
        expected = _expected_count(ev, e)
        return None if expected == e.count else f"count {e.count} but {expected} events re-read ({e.field})"


def _parse_csv(v: str | None) -> Any:
    try:
        return float(v) if v not in (None, "") else v
    except ValueError:
        return v


def _expected_count(ev: pl.DataFrame, e: Evidence) -> int:
    """What ``count`` means depends on what the claim counted; recount the same thing."""
    quote = e.quote if isinstance(e.quote, dict) else {}
    details = pl.col("action_details")
    if "ai_assistant_events" in quote or e.field in ("action_details.rating",):
        return ev.filter(pl.col("action_target") == "ai_assistant").height
    if "notification_opens_local_hours" in quote:
        sess = ev.group_by("session_id").agg((pl.col("action_target") == "notification").all().alias("n"))
        return int(sess["n"].sum())
    if e.field == "action_details.language":
        t = ev.filter(pl.col("action_target") == "template").with_columns(
            details.str.json_path_match("$.language").alias("x")
        )
        t = t.drop_nulls("x").filter(pl.col("x") != "")
        if quote:  # the per-language counts as quoted
            assert dict(t.group_by("x").len().iter_rows()) == quote, "template languages differ"
        return t.height
    if e.field == "action_details.lang":
        t = ev.filter(pl.col("action_target") == "ai_assistant").with_columns(
            details.str.json_path_match("$.lang").alias("x")
        )
        return t.drop_nulls("x").height
    return ev.height


@pytest.fixture(scope="module")
def resolver(built_platform: Any) -> Resolver:
    as_of = datetime.fromisoformat(built_platform.summary.as_of)
    return Resolver(built_platform.root, as_of)


def run_cli(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    return code, buf.getvalue()


# --- evidence completeness ---------------------------------------------------------------------------------


def test_when_platform_built_then_every_user_has_an_identity(built_platform: Any) -> None:
    s = built_platform.summary
    assert s.built == len(built_platform.identities) == s.users > 0
    assert s.exit_code == 0, s.as_dict()


def test_when_identity_built_then_no_claim_is_without_evidence(built_platform: Any) -> None:
    empty = [
        (uid, where)
        for uid, ident in built_platform.identities.items()
        for where, c in claims_of(ident)
        if not c.evidence
    ]
    assert not empty
    n_claims = sum(1 for ident in built_platform.identities.values() for _ in claims_of(ident))
    assert n_claims > 20 * len(built_platform.identities)  # the walk really visits the documents' claims


def test_when_evidence_is_reread_then_every_cited_record_holds_the_claimed_value(
    built_platform: Any, resolver: Resolver
) -> None:
    failures: dict[str, list[str]] = {}
    kinds: set[str] = set()
    for uid, ident in built_platform.identities.items():
        for where, e in evidence_of(ident):
            kinds.add(e.source)
            why = resolver.check(ident, e)
            if why:
                key = f"{e.source}:{e.store.split(':')[-1]}.{e.field.split('[')[0]}"
                failures.setdefault(key, []).append(
                    f"user {uid} {where}: {why} [{e.record} quote={e.quote!r}]"
                )
    # every kind of source the generator writes is cited somewhere, so each resolver branch was exercised
    assert {"mysql", "sqlite", "postgres", "graph", "mongodb", "events"} <= kinds
    report = {k: (len(v), v[:2]) for k, v in sorted(failures.items())}
    assert not failures, json.dumps(report, ensure_ascii=False, indent=1)


def test_when_evidence_cites_a_span_then_the_text_at_that_span_is_the_quote(
    built_platform: Any, resolver: Resolver
) -> None:
    spans = [
        (ident, e)
        for ident in built_platform.identities.values()
        for _, e in evidence_of(ident)
        if e.span is not None and e.quote is not None
    ]
    assert len(spans) > 100
    bad = [(i.user["platform_id"], e.span, e.quote) for i, e in spans if resolver.check(i, e)]
    assert not bad, bad[:5]


def _tampered(e: Evidence) -> Evidence | None:
    """The same evidence with one detail wrong, or None when this kind is not tampered with here."""
    if e.source in ("mysql", "postgres", "mongodb") and isinstance(e.quote, str):
        return e.model_copy(update={"quote": e.quote + " (not what is stored)"})
    if e.source == "sqlite" and e.span is not None and e.quote:
        return e.model_copy(update={"span": (e.span[0] + 1, e.span[1] + 1)})
    if e.source == "events" and e.count:
        return e.model_copy(update={"count": e.count + 1})
    if e.source == "graph":
        return e.model_copy(update={"record": e.record.replace("{id: 'g-", "{id: 'g-nobody")})
    return None


def test_when_evidence_is_tampered_then_the_resolver_reports_it(
    built_platform: Any, resolver: Resolver
) -> None:
    caught: dict[str, int] = {}
    for ident in list(built_platform.identities.values())[:30]:
        for _, e in evidence_of(ident):
            bad = _tampered(e)
            if bad is not None:
                assert resolver.check(ident, bad), (e, bad)
                caught[e.source] = caught.get(e.source, 0) + 1
    unknown = Evidence(source="carrier-pigeon", store="x", record="id=1", field="y")
    assert resolver.check(next(iter(built_platform.identities.values())), unknown)
    assert set(caught) == {"mysql", "postgres", "mongodb", "sqlite", "events", "graph"}, caught


# --- --as-of -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def as_of_build(
    built_platform: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[datetime, dict[int, Identity]]:
    cutoff = datetime.fromisoformat(built_platform.summary.as_of) - timedelta(days=30)
    store = tmp_path_factory.mktemp("asof") / "identities.sqlite"
    summary = build(built_platform.root, as_of=cutoff, settings=built_platform.settings(), store_path=store)
    assert datetime.fromisoformat(summary.as_of) == cutoff
    return cutoff, built_platform.load(store)


def test_when_built_as_of_then_identity_as_of_is_the_cutoff(
    as_of_build: tuple[datetime, dict[int, Identity]],
) -> None:
    cutoff, idents = as_of_build
    assert idents
    assert {i.as_of for i in idents.values()} == {cutoff}


def test_when_built_as_of_then_nothing_after_the_cutoff_is_cited(
    as_of_build: tuple[datetime, dict[int, Identity]], built_platform: Any
) -> None:
    cutoff, idents = as_of_build
    late: list[str] = []
    events_seen = 0
    for uid, ident in idents.items():
        last = ident.behavior.get("last_active")
        if last is not None and datetime.fromisoformat(last.value) > cutoff:
            late.append(f"user {uid} last_active {last.value}")
        for where, e in evidence_of(ident):
            for stamp in re.findall(r"timestamp[<>]=(\S+?)(?:;|$)", e.record):
                if datetime.fromisoformat(stamp) > cutoff:
                    late.append(f"user {uid} {where} cites events up to {stamp}")
            if e.source == "events" and e.count is not None:
                events_seen += 1
    assert events_seen > 0
    assert not late, late[:5]


def test_when_built_as_of_then_no_skill_is_last_evidenced_after_the_cutoff(
    as_of_build: tuple[datetime, dict[int, Identity]],
) -> None:
    cutoff, idents = as_of_build
    late = [
        (uid, s.skill_id, s.last_evidenced)
        for uid, ident in idents.items()
        for s in ident.skills
        if s.last_evidenced and s.last_evidenced > cutoff.date().isoformat()
    ]
    assert not late, late[:5]


def test_when_built_as_of_then_event_counts_are_those_before_the_cutoff(
    as_of_build: tuple[datetime, dict[int, Identity]], built_platform: Any
) -> None:
    cutoff, idents = as_of_build
    resolver = Resolver(built_platform.root, cutoff)
    bad = [
        (uid, where, why)
        for uid, ident in idents.items()
        for where, e in evidence_of(ident)
        if e.source == "events" and (why := resolver.check(ident, e))
    ]
    assert not bad, bad[:5]
    full = built_platform.identities
    shrunk = [
        uid
        for uid, i in idents.items()
        if "sessions" in i.behavior
        and uid in full
        and "sessions" in full[uid].behavior
        and i.behavior["sessions"].evidence[0].count < full[uid].behavior["sessions"].evidence[0].count
    ]
    assert shrunk  # 30 days fewer data really changed something


def test_when_built_as_of_then_no_record_created_after_the_cutoff_is_cited(
    as_of_build: tuple[datetime, dict[int, Identity]], built_platform: Any
) -> None:
    cutoff, idents = as_of_build
    con = sqlite3.connect(built_platform.root / "platform.sqlite")
    con.row_factory = sqlite3.Row
    stamp = {
        "ai_analyses": "created_at",
        "resume_analyses": "created_at",
        "resumes": "created_at",
        "user_ai_profiles": "updated_at",
    }
    later = {
        t: con.execute(
            f"SELECT COUNT(*) FROM {t} WHERE {c} > ?", (cutoff.strftime("%Y-%m-%dT%H:%M:%S"),)
        ).fetchone()[0]
        for t, c in stamp.items()
    }
    assert sum(later.values()) > 0  # the platform does hold records from after the cut-off
    cited_late = []
    for uid, ident in idents.items():
        for where, e in evidence_of(ident):
            if e.source in ("mysql", "postgres") and e.store in stamp:
                for row in _rows(con, e.store, e.record):
                    when = datetime.fromisoformat(row[stamp[e.store]].replace("Z", "+00:00"))
                    if when > cutoff:
                        cited_late.append((uid, where, e.store, e.record, row[stamp[e.store]]))
    con.close()
    assert not cited_late, cited_late[:5]


# --- determinism and the ground-truth-free build -----------------------------------------------------------


def _without_build_time(ident: Identity) -> str:
    return ident.model_dump_json(exclude={"built_at"})


def test_when_built_twice_then_documents_identical_apart_from_build_time(
    built_platform: Any, tmp_path: Path
) -> None:
    store = (
        tmp_path / "twice.sqlite"
    )  # a copy of the session's store, so the session's own build is the first
    shutil.copy2(built_platform.root / "identity" / "identities.sqlite", store)
    second = build(built_platform.root, settings=built_platform.settings(), store_path=store)
    docs = built_platform.load(store)
    first = built_platform.identities
    assert second.changed == 0 and built_platform.summary.changed == len(first)
    assert {u: i.identity_version for u, i in docs.items()} == {u: 1 for u in first}
    assert {u: _without_build_time(i) for u, i in docs.items()} == {
        u: _without_build_time(i) for u, i in first.items()
    }
    assert {i.built_at for i in docs.values()} != {i.built_at for i in first.values()}  # it did rebuild


def test_when_truth_folder_deleted_then_build_gives_identical_identities(
    built_platform: Any, tmp_path: Path
) -> None:
    root = built_platform.copy(tmp_path / "p")
    shutil.rmtree(root / "_truth")
    summary = build(root, settings=built_platform.settings())
    assert summary.exit_code == 0
    hashes = {
        u: i.content_hash for u, i in built_platform.load(root / "identity" / "identities.sqlite").items()
    }
    assert hashes == {u: i.content_hash for u, i in built_platform.identities.items()}


# --- evaluation --------------------------------------------------------------------------------------------


def test_when_evaluated_then_scores_meet_the_thresholds_and_baseline_stays_low(built_platform: Any) -> None:
    ev = evaluate(built_platform.root, with_personalization=False)
    assert ev.users > 0.9 * len(built_platform.identities)
    assert ev.overall >= MIN_OVERALL, ev.facets
    assert ev.facets["skills_f1"] >= MIN_SKILLS_F1, ev.facets
    assert ev.baseline <= MAX_BASELINE, ev.baseline_facets
    assert ev.overall > ev.baseline + 0.2


# --- viewer filtering through the CLI ----------------------------------------------------------------------


def _pii(root: Path, uid: int) -> list[str]:
    con = sqlite3.connect(root / "platform.sqlite")
    email, phone = con.execute("SELECT email, phone FROM users WHERE id=?", (uid,)).fetchone()
    row = con.execute("SELECT real_name FROM user_profiles WHERE user_id=?", (uid,)).fetchone()
    con.close()
    return [v for v in (email, phone, row[0] if row else None) if v]


def _sensitive_user(built: Any) -> int:
    return next(uid for uid, i in sorted(built.identities.items()) if i.personal and not i.stub)


@pytest.mark.parametrize("viewer", ["self", "trusted", "public"])
def test_when_shown_to_viewer_then_claims_above_its_rank_are_dropped(
    built_platform: Any, viewer: str
) -> None:
    uid = _sensitive_user(built_platform)
    code, out = run_cli(
        ["show", str(uid), "--platform", str(built_platform.root), "--json", "--viewer", viewer]
    )
    assert code == 0
    doc = json.loads(out)
    rank = {"public": 0, "trusted": 1, "self": 2}[viewer]
    shown = Identity.model_validate(doc)
    for where, c in claims_of(shown):
        assert {"public": 0, "trusted": 1, "self": 2}[c.visibility] <= rank, where
    assert bool(doc.get("personal")) is (viewer == "self")
    assert bool(doc.get("behavior")) is (viewer != "public")


@pytest.mark.parametrize("viewer", ["self", "public"])
def test_when_shown_as_json_then_document_validates_against_the_committed_schema(
    built_platform: Any, viewer: str
) -> None:
    import jsonschema

    schema = json.loads(
        (Path(__file__).parents[2] / "schemas" / "identity.schema.json").read_text(encoding="utf-8")
    )
    uid = _sensitive_user(built_platform)
    code, out = run_cli(
        ["show", str(uid), "--platform", str(built_platform.root), "--json", "--viewer", viewer]
    )
    assert code == 0
    jsonschema.validate(json.loads(out), schema)


def test_when_shown_to_public_then_no_name_email_or_phone_appears(built_platform: Any) -> None:
    checked = 0
    for uid in sorted(built_platform.identities)[:40]:
        code, out = run_cli(
            ["show", str(uid), "--platform", str(built_platform.root), "--json", "--viewer", "public"]
        )
        assert code == 0
        for value in _pii(built_platform.root, uid):
            assert value not in out, f"user {uid}: a sensitive value appears in the public view"
            checked += 1
        assert "personal" not in json.loads(out) or not json.loads(out)["personal"]
    assert checked > 40


def test_when_shown_to_self_with_sensitive_consent_then_personal_claims_appear(built_platform: Any) -> None:
    uid = _sensitive_user(built_platform)
    assert built_platform.identities[uid].consent["tiers"]["sensitive"] is True
    code, out = run_cli(
        ["show", str(uid), "--platform", str(built_platform.root), "--json", "--viewer", "self"]
    )
    assert code == 0
    personal = json.loads(out)["personal"]
    assert {c["value"] for c in personal.values()} & set(_pii(built_platform.root, uid))


def test_when_user_lacks_sensitive_consent_then_identity_has_no_personal_values(built_platform: Any) -> None:
    without = [
        i for i in built_platform.identities.values() if not i.consent.get("tiers", {}).get("sensitive")
    ]
    assert without
    for ident in without:
        uid = ident.user["platform_id"]
        doc = ident.model_dump_json()
        assert not ident.personal
        for value in _pii(built_platform.root, uid):
            assert value not in doc, f"user {uid} without sensitive consent: a sensitive value is stored"


# --- partial identities and skipped private data ----------------------------------------------------------


def test_when_private_database_deleted_then_user_is_partial_with_reason(
    built_platform: Any, tmp_path: Path
) -> None:
    root = built_platform.copy(tmp_path / "p")
    uid = next(u for u, i in sorted(built_platform.identities.items()) if not i.partial and not i.stub)
    (root / "users" / f"{uid}.sqlite").unlink()
    summary = build(root, user_ids=[uid], settings=built_platform.settings())
    ident = built_platform.load(root / "identity" / "identities.sqlite")[uid]
    assert ident.partial
    assert ident.quality.missing_facets.get("sqlite") == "no private database"
    assert summary.partial >= 1 and any(
        k.startswith("sqlite: no private database") for k in summary.partial_reasons
    )
    assert summary.exit_code == 0  # no private database is a partial identity, not a skip
    assert not any(e.source == "sqlite" for _, e in evidence_of(ident))


def test_when_private_database_corrupt_then_build_exits_3_and_names_the_user(
    built_platform: Any, tmp_path: Path
) -> None:
    root = built_platform.copy(tmp_path / "p")
    uid = next(u for u, i in sorted(built_platform.identities.items()) if not i.partial and not i.stub)
    (root / "users" / f"{uid}.sqlite").write_bytes(b"this is not an SQLite database" * 100)
    summary = build(root, user_ids=[uid], settings=built_platform.settings())
    assert summary.exit_code == 3
    assert "corrupt" in summary.private_skipped[uid]
    ident = built_platform.load(root / "identity" / "identities.sqlite")[uid]
    assert ident.partial and "sqlite" in ident.quality.missing_facets
    code, _ = run_cli(["build", "--platform", str(root), "--users", str(uid), "--json"])
    assert code == 3


def test_when_one_user_is_built_alone_then_identity_equals_the_full_build(
    built_platform: Any, tmp_path
) -> None:
    """Platform-wide models (rhythms, assistance) are fit on every user, so building a subset changes nothing."""
    from ai_identity.model.identity import VOLATILE
    from ai_identity.pipeline import build
    from ai_identity.settings import Settings

    uid = next(u for u, i in sorted(built_platform.identities.items()) if not i.stub and i.behavior)
    want = built_platform.identities[uid].model_dump(mode="json", exclude=VOLATILE)
    build(
        built_platform.root, user_ids=[uid], settings=Settings(workers=1), store_path=tmp_path / "one.sqlite"
    )
    got = built_platform.load(tmp_path / "one.sqlite")[uid].model_dump(mode="json", exclude=VOLATILE)
    assert got == want


def test_when_building_changed_since_last_then_only_changed_users_are_rebuilt(
    built_platform: Any, tmp_path
) -> None:
    """``--changed-since last``: after a full build, a change to one user's records rebuilds that user only."""
    import os

    from ai_identity.pipeline import build
    from ai_identity.settings import Settings

    plat = built_platform.copy(tmp_path / "p")
    settings = Settings(workers=1)
    build(plat, settings=settings)
    past = datetime(2020, 1, 1).timestamp()
    for path in plat.rglob("*"):  # files as they were before the build (a copy has fresh modification times)
        if path.is_file() and "identity" not in path.parts:
            os.utime(path, (past, past))
    nothing = build(plat, settings=settings, changed_since="last")
    assert nothing.built == 0 and nothing.incremental is not None
    con = sqlite3.connect(plat / "platform.sqlite")
    with con:
        con.execute("UPDATE users SET updated_at = ? WHERE id = 7", (datetime.now().isoformat() + "Z",))
    con.close()
    one = build(plat, settings=settings, changed_since="last")
    assert one.built == 1 and one.incremental["by_source"]["users"] == 1
