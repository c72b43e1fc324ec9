"""What every source shares: the per-source read report, the bundle of one user's records, and the base of the
connectors to real servers (retries with backoff, batching, optional-driver imports)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Self, TypeVar

import numpy as np
from pydantic import TypeAdapter, ValidationError

from ai_identity.model import records as r

T = TypeVar("T")
VECTOR_FIELDS = {"content_vector", "skills_vector", "behavior_vector", "experience_vector"}
SOURCES = ("mysql", "sqlite", "postgres", "events", "redis", "graph", "mongodb", "weaviate")


@dataclass
class SourceStats:
    read: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    present: bool = True
    skipped_users: int = 0
    note: str = ""
    down: str = ""  # set when the source failed after its retries: the build went on without it

    def reject(self, reason: str, n: int = 1) -> None:
        self.rejected += n
        self.reasons[reason] += n


@dataclass
class ReadReport:
    """Per source: records read, records rejected with reasons, whether the source was present at all."""

    sources: dict[str, SourceStats] = field(default_factory=lambda: {s: SourceStats() for s in SOURCES})
    skipped_users: dict[int, str] = field(default_factory=dict)

    def __getitem__(self, source: str) -> SourceStats:
        return self.sources[source]

    def merge(self, other: ReadReport) -> None:
        """Add another report's counts (a build worker's batch) into this one."""
        for name, st in other.sources.items():
            mine = self.sources[name]
            mine.read += st.read
            mine.rejected += st.rejected
            mine.reasons.update(st.reasons)
            mine.down = mine.down or st.down
        self.skipped_users.update(other.skipped_users)

    def absent(self) -> list[str]:
        return [s for s, st in self.sources.items() if not st.present]

    def down(self) -> dict[str, str]:
        """Sources that failed after their retries during this run: source -> what failed."""
        return {s: st.down for s, st in self.sources.items() if st.down}

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": {
                s: {
                    "present": st.present,
                    "read": st.read,
                    "rejected": st.rejected,
                    "reasons": dict(st.reasons.most_common(10)),
                    **({"note": st.note} if st.note else {}),
                    **({"down": st.down} if st.down else {}),
                }
                for s, st in self.sources.items()
            },
            "skipped_users": {str(k): v for k, v in sorted(self.skipped_users.items())},
        }


@dataclass
class UserRecords:
    """Everything the sources hold about one platform user (after stitching), typed."""

    user_id: int
    user: r.User | None = None
    profiles: list[r.UserProfile] = field(default_factory=list)
    settings: list[r.UserSetting] = field(default_factory=list)
    sessions: list[r.UserSession] = field(default_factory=list)
    resumes: list[r.Resume] = field(default_factory=list)
    resume_skills: list[r.ResumeSkill] = field(default_factory=list)
    resume_analyses: list[r.ResumeAnalysis] = field(default_factory=list)
    resume_data: list[r.ResumeData] = field(default_factory=list)
    ai_analyses: list[r.AIAnalysis] = field(default_factory=list)
    ai_profiles: list[r.UserAIProfile] = field(default_factory=list)
    embeddings: list[r.UserEmbedding] = field(default_factory=list)
    resume_content: list[r.ResumeContent] = field(default_factory=list)
    parsed_resumes: list[r.ParsedResumeData] = field(default_factory=list)
    privacy: list[r.UserPrivacySettings] = field(default_factory=list)
    graph_id: str | None = None
    graph_node: r.UserNode | None = None
    has_skill: list[tuple[r.HasSkill, r.SkillNode | None]] = field(default_factory=list)
    worked_at: list[tuple[r.WorkedAt, r.CompanyNode | None]] = field(default_factory=list)
    documents: r.UserDocuments | None = None
    vector: r.UserVector | None = None
    redis: dict[str, Any] = field(default_factory=dict)  # key -> validated value
    missing: dict[str, str] = field(default_factory=dict)  # source -> why nothing came from it
    conflicts: list[str] = field(default_factory=list)  # stitching conflicts touching this user
    down: dict[str, str] = field(default_factory=dict)  # source -> why it could not be read (server down)


# ---- connectors to real servers: one shape, shared retries and batching ------------------------------------
def require(module: str, package: str | None = None, extra: str = "stores") -> Any:
    """Import an optional driver, or raise MissingDependencyError with the exact pip line for the extra."""
    import importlib

    from ai_identity.errors import MissingDependencyError

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(package or module, extra) from None


def batched(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Connector:
    """Base of every store connector: a source label, retry-with-backoff, batching.

    Subclasses set ``kind`` and ``transient`` (the driver's exception classes worth retrying: connection lost,
    server gone, timeouts) and implement ``connect()``. A call that still fails after the configured retries
    raises :class:`~ai_identity.errors.SourceError` naming the source and the operation, never a credential.
    """

    kind: ClassVar[str] = ""
    source: ClassVar[str] = ""  # the ReadReport entry this connector counts into
    transient: tuple[type[BaseException], ...] = ()

    def __init__(self, config: Any, sleep: Callable[[float], None] = time.sleep) -> None:
        self.config = config
        self.name = config.label()
        self._sleep = sleep
        self.conn: Any = None
        self.down = ""  # set by guarded() once the source failed after its retries

    def connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def is_transient(self, exc: BaseException) -> bool:
        """Whether an error of a ``transient`` class is worth retrying (subclasses narrow by error code)."""
        return True

    def describe(self, exc: BaseException) -> str:
        """The error's class and code, never its message (which may carry a host, user or value)."""
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
        return exc.__class__.__name__ + (f" {code}" if code is not None else "")

    def retry(self, what: str, fn: Callable[[], T], connect: bool = True) -> T:
        """Run ``fn``; on a transient error reconnect and retry with exponential backoff."""
        from ai_identity.errors import SourceError

        attempts = self.config.retries + 1
        for attempt in range(attempts):
            try:
                if connect and self.conn is None:
                    self.conn = self.connect()
                return fn()
            except self.transient as exc:
                self.close()
                if attempt + 1 == attempts or not self.is_transient(exc):
                    raise SourceError(
                        f"source {self.name} ({self.kind}): {what} failed after {attempt + 1} attempt(s) "
                        f"({self.describe(exc)})"
                    ) from None
                self._sleep(self.config.backoff_seconds * (2**attempt))
        raise AssertionError("unreachable")

    def guarded(self, fn: Callable[[], T], report: ReadReport | None = None) -> T | None:
        """Run ``fn`` (which retries through :meth:`retry`); if the source stays down, remember it, mark it down
        in ``report`` and return None. Once down, later calls in the same run return None at once, so a build
        goes on without the source instead of waiting out the backoff on every batch."""
        from ai_identity.errors import SourceError

        if not self.down:
            try:
                return fn()
            except SourceError as exc:
                self.down = str(exc)
        if report is not None:
            report[self.source or self.kind].down = self.down
        return None

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def validate_row(model: type[r.SeedRecord], row: dict[str, Any], stats: SourceStats, key: Any) -> Any:
    """Validate one row into its typed record (vectors normalised to float32 as the embedded layout stores
    them); a row that fails is counted as rejected with its reason and None is returned."""
    from ai_identity.errors import RecordError

    for vf in VECTOR_FIELDS & row.keys():
        v = row[vf]
        try:
            if isinstance(v, list | tuple):
                v = np.asarray(v, dtype="<f4").astype(float).tolist()
            else:
                from ai_identity.sources.embedded.layout import decode_vector

                v = decode_vector(v)
        except (ValueError, TypeError):
            stats.reject(f"{model.__record__}.{vf}: expected a float32 BLOB or a JSON array")
            return None
        row[vf] = v
    try:
        rec = r.validate_record(model, row, key)
    except RecordError as exc:
        stats.reject(f"{exc.record}.{exc.field}: expected {exc.expected}")
        return None
    stats.read += 1
    return rec


@functools.cache
def _list_adapter(model: type[r.SeedRecord]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def validate_rows(
    model: type[r.SeedRecord], rows: list[dict[str, Any]], stats: SourceStats, key: str
) -> list[Any]:
    """Validate a batch of rows in one call of the compiled validator (the batched read's hot path: the same
    records as :func:`validate_row` row by row, without its per-row Python overhead). A batch holding an invalid
    row, or vector columns (normalised to float32 first), goes row by row, counting each rejection's reason."""
    if not VECTOR_FIELDS & model.model_fields.keys():
        try:
            out = _list_adapter(model).validate_python(rows)
        except (ValidationError, ValueError, TypeError):
            pass
        else:
            stats.read += len(out)
            return out
    return [rec for row in rows if (rec := validate_row(model, row, stats, row.get(key))) is not None]


class RelationalConnector(Connector):
    """A SQL server holding some of the seed's tables (by their configured names), read a batch of users at a
    time: one query per table per batch (``WHERE user_id IN (...)``), never one per record.

    ``TABLES`` lists, per seed table held here: (model, UserRecords attribute, key column, as-of column,
    ORDER BY columns). Rows come back ordered by key and then those columns, so reads are reproducible.
    """

    TABLES: ClassVar[dict[str, tuple[type[r.SeedRecord], str, str, str | None, str]]] = {}

    def __init__(self, config: Any, report: ReadReport | None = None, **kw: Any) -> None:
        super().__init__(config, **kw)
        self.report = report if report is not None else ReadReport()
        self._columns: dict[str, list[str]] | None = None

    # subclasses: the columns of every table in the configured schema, and a query
    def table_columns(self) -> dict[str, list[str]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def qualified(self, table: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def table_name(self, seed_table: str) -> str:
        return str(getattr(self.config.tables, seed_table))

    def cursor(self) -> Any:
        """A cursor for reads (PostgreSQL: binary transfer, which decodes vector arrays faster)."""
        return self.conn.cursor()

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        def run() -> list[tuple[Any, ...]]:
            cur = self.cursor()
            try:
                cur.execute(sql, args)
                return list(cur.fetchall())
            finally:
                cur.close()

        return self.retry("query", run)

    def usable(self) -> dict[str, list[str]]:
        """Seed table -> the seed columns to select; absent tables or tables lacking a column are reported."""
        if self._columns is None:
            have = self.retry("list columns", self.table_columns)
            self._columns = {}
            stats = self.report[self.source]
            for seed, (model, *_rest) in self.TABLES.items():
                cols = have.get(self.table_name(seed))
                need = [c for c in _seed_columns(model) if c != "event_id"]
                if not cols:
                    stats.note = (stats.note + f" table {self.table_name(seed)} is absent;").strip()
                    continue
                missing = [c for c in need if c not in cols]
                if missing:
                    stats.reject(
                        f"table {self.table_name(seed)} lacks column(s) {', '.join(missing)}: skipped"
                    )
                    continue
                self._columns[seed] = [c for c in _seed_columns(model) if c in cols]
        return self._columns

    def rows(
        self, seed: str, where: str, args: tuple[Any, ...], cols: list[str] | None = None
    ) -> list[dict[str, Any]]:
        cols = self.usable()[seed] if cols is None else cols
        order = self.TABLES[seed][4]
        sql = f"SELECT {', '.join(cols)} FROM {self.qualified(self.table_name(seed))} WHERE {where}"
        return [
            dict(zip(cols, row, strict=True))
            for row in self.query(sql + (f" ORDER BY {order}" if order else ""), args)
        ]

    def user_ids(self) -> list[int]:
        if "users" not in self.usable():
            return []
        return [
            row[0]
            for row in self.query(f"SELECT id FROM {self.qualified(self.table_name('users'))} ORDER BY id")
        ]

    def fill(
        self,
        bundles: dict[int, UserRecords],
        as_of: datetime | None = None,
        columns: Callable[[str, list[str]], list[str]] | None = None,
    ) -> None:
        """Add this store's records of one batch of users to their bundles (one query per table). ``columns``:
        the seed table and its usable columns -> the columns to select (a read plan; none: the table is not
        read at all)."""
        ids = tuple(bundles)
        if not ids:
            return
        usable = self.usable()
        stats = self.report[self.source]
        marks = ", ".join(["%s"] * len(ids))
        for seed, (model, attr, key, tcol, _order) in self.TABLES.items():
            cols = usable.get(seed, [])
            if columns is not None:
                cols = columns(seed, cols)
            if not cols or key == "resume_id":
                continue
            where, args = f"{key} IN ({marks})", tuple[Any, ...](ids)
            if as_of is not None and tcol:
                where += f" AND ({tcol} IS NULL OR {tcol} <= %s)"
                args = (*ids, as_of)
            for rec in validate_rows(model, self.rows(seed, where, args, cols), stats, key):
                if getattr(rec, key) not in bundles:
                    continue
                if attr == "user":
                    bundles[rec.id].user = rec
                else:
                    getattr(bundles[getattr(rec, key)], attr).append(rec)
        owner = {res.id: uid for uid, b in bundles.items() for res in b.resumes}
        if not owner:
            return
        rmarks = ", ".join(["%s"] * len(owner))
        for seed, (model, attr, key, tcol, _order) in self.TABLES.items():
            cols = usable.get(seed, [])
            if columns is not None:
                cols = columns(seed, cols)
            if not cols or key != "resume_id":
                continue
            where, rargs = f"resume_id IN ({rmarks})", tuple[Any, ...](owner)
            if as_of is not None and tcol:
                where += f" AND ({tcol} IS NULL OR {tcol} <= %s)"
                rargs = (*rargs, as_of)
            for rec in validate_rows(model, self.rows(seed, where, rargs, cols), stats, "resume_id"):
                getattr(bundles[owner[rec.resume_id]], attr).append(rec)


def without_source(bundles: dict[int, UserRecords], source: str, reason: str, attrs: set[str]) -> None:
    """Drop whatever a failed source had added to the bundles (``attrs``) and record why, so no identity is
    built from half a source's records: each bundle names the source in ``missing`` and ``down``."""
    fresh = {f.name: f for f in dataclasses.fields(UserRecords) if f.name in attrs}
    for b in bundles.values():
        for attr, f in fresh.items():
            setattr(
                b, attr, f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            )
        b.missing[source] = f"unreachable during the build, not read ({reason})"
        b.down[source] = reason


def _seed_columns(model: type[r.SeedRecord]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def read_all(conn: RelationalConnector, model: type[r.SeedRecord], order: str = "") -> list[Any]:
    """Every valid row of one seed table held by ``conn`` (for tables read whole: skills, events)."""
    cols = _seed_columns(model)
    name = conn.qualified(conn.table_name(model.__record__))
    sql = f"SELECT {', '.join(cols)} FROM {name}" + (f" ORDER BY {order}" if order else "")
    stats = conn.report[model.__store__ if model.__store__ in SOURCES else conn.source]
    out = []
    for row in conn.query(sql):
        rec = validate_row(model, dict(zip(cols, row, strict=True)), stats, None)
        if rec is not None:
            out.append(rec)
    return out
