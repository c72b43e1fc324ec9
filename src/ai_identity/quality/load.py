"""Reads a whole embedded platform into Polars frames for the quality checks (never ``_truth/``).

Method: each ``platform.sqlite`` table is one SQL query through ADBC into Arrow (vector BLOBs are reduced to
their dimension, ``length(blob) / 4``, inside SQLite, so no vector is decoded in Python); the event table comes
from the reader's columnar Parquet cache (``refresh_cache``) *unvalidated*, because the rows the reader rejects
are exactly what quality has to count; the per-user private databases are read one file at a time (one query
per table each) into column lists; the graph and JSONL side stores are read with Polars' CSV/NDJSON readers.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

import polars as pl

from ai_identity.errors import SourceError
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import refresh_cache

# the columns the checks read, per table (a table missing one of them is reported absent and skipped)
NEEDED: dict[str, tuple[str, ...]] = {
    "users": ("id", "username", "email", "phone", "created_at", "updated_at", "status"),
    "user_profiles": (
        "user_id",
        "real_name",
        "location",
        "industry",
        "experience_years",
        "education_level",
        "skills_summary",
    ),
    "user_settings": ("user_id", "language", "timezone", "notification_preferences", "ai_assistance_level"),
    "user_sessions": ("user_id", "session_id", "login_time", "logout_time"),
    "resumes": ("id", "user_id", "title", "created_at", "updated_at"),  # content: hashed in batches
    "resume_skills": ("resume_id", "skill_id", "proficiency_level"),
    "resume_data": ("mysql_resume_id", "user_id", "content_vector", "skills_vector", "experience_vector"),
    "ai_analyses": ("id", "user_id", "created_at"),
    "user_ai_profiles": ("user_id", "updated_at"),
    "user_embeddings": ("user_id", "content_vector", "skills_vector", "behavior_vector", "created_at"),
}
TIMESTAMPS: dict[str, tuple[str, ...]] = {
    "users": ("created_at", "updated_at"),
    "user_sessions": ("login_time", "logout_time"),
    "resumes": ("created_at", "updated_at"),
    "ai_analyses": ("created_at",),
    "user_embeddings": ("created_at",),
    "user_ai_profiles": ("updated_at",),
    "resume_content": ("updated_at",),
}  # the event table's are parsed as it is read
ATTACH_BATCH = 10  # SQLite's compiled limit on attached databases
VECTOR_COLUMNS = {
    "user_embeddings": ("content_vector", "skills_vector", "behavior_vector"),
    "resume_data": ("content_vector", "skills_vector", "experience_vector"),
}


TS_SUFFIX = "__ts"
ROW = "_row"  # an event's position in the columnar copy: its key until a check names it
TS_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"  # the layout's own form; anything else takes the lenient path


def parse_ts(values: pl.Series) -> pl.Series:
    """ISO-8601 UTC text (trailing ``Z`` or ``+00:00`` optional) to datetime[us, UTC]; null when it fails.

    The layout's own form is parsed with one fixed format; only the values that fail it get the lenient
    (slower) parse."""
    fast = values.str.to_datetime(TS_FORMAT, strict=False, time_unit="us")
    if fast.null_count() > values.null_count():
        loose = values.str.strip_chars().str.strip_suffix("Z").str.replace(r"\+00:00$", "")
        slow = loose.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us")
        fast = fast.fill_null(slow)
    return fast.dt.replace_time_zone("UTC").alias(values.name + TS_SUFFIX)


@dataclass
class PlatformFrames:
    """The platform's records as frames, by table or store name; ``as_of`` is the reference time."""

    root: Path
    as_of: datetime
    as_of_source: str  # "platform.json" or "clock"
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    absent: dict[str, str] = field(default_factory=dict)  # store -> why it is absent
    events_cache: Path | None = None  # the event table's columnar copy, where failing events' ids are read

    def get(self, name: str) -> pl.DataFrame | None:
        return self.tables.get(name)

    def event_ids(self, rows: pl.Series) -> pl.DataFrame:
        """``(_row, event_id)`` of the given rows of the event table (positions in its columnar copy): the
        ids are read back only for the events a check names, never held for all of them."""
        schema = {ROW: pl.UInt32, "event_id": pl.String}
        if self.events_cache is None or rows.is_empty():
            return pl.DataFrame(schema=schema)
        lf = pl.scan_parquet(self.events_cache)
        if "event_id" not in lf.collect_schema().names():
            return pl.DataFrame({ROW: rows.unique()}).with_columns(pl.lit(None, pl.String).alias("event_id"))
        wanted = rows.cast(pl.UInt32).unique().implode()
        return (
            lf.with_row_index(ROW)
            .filter(pl.col(ROW).is_in(wanted))
            .select(ROW, pl.col("event_id").cast(pl.String))
            .collect(engine="streaming")
        )


def reference_time(root: Path) -> tuple[datetime, str]:
    """``platform.json``'s ``as_of`` for a generated platform, else the clock."""
    meta = root / L.META_FILE
    if meta.exists():
        try:
            as_of = json.loads(meta.read_text()).get("as_of")
        except ValueError:
            as_of = None
        if as_of:
            return datetime.fromisoformat(as_of.replace("Z", "+00:00")).astimezone(UTC), "platform.json"
    return datetime.now(UTC), "clock"


BATCH_ROWS = 65_536  # rows per ADBC record batch (the driver's default, 1,024, makes many tiny frames)


def _query(db: Path, sql: str, shape: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> pl.DataFrame:
    """The query's rows as one frame; ``shape`` is applied to each record batch as it arrives, so a large
    table's raw text (e.g. its timestamps) is never all in memory at once."""
    import adbc_driver_sqlite.dbapi as adbc
    from adbc_driver_sqlite import StatementOptions

    def done(df: pl.DataFrame) -> pl.DataFrame:
        return shape(df) if shape is not None else df

    with adbc.connect(f"file:{db}?mode=ro") as con, con.cursor() as cur:
        cur.adbc_statement.set_options(**{StatementOptions.BATCH_ROWS.value: str(BATCH_ROWS)})
        cur.execute(sql)
        reader = cur.fetch_record_batch()
        parts = [done(pl.from_arrow(batch)) for batch in reader]  # type: ignore[arg-type]
        if not parts:
            return done(pl.from_arrow(reader.schema.empty_table()))  # type: ignore[arg-type]
        return pl.concat(parts)


SQL_TYPES = {"TEXT": pl.String, "INTEGER": pl.Int64, "REAL": pl.Float64, "BLOB": pl.Int64}  # BLOB: as length


def _table_columns(db: Path) -> dict[str, dict[str, str]]:
    """Table -> column -> declared SQLite type."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: {r[1]: str(r[2]).upper() for r in con.execute(f"PRAGMA table_info({n})")} for n in names}
    finally:
        con.close()


def _relational(db: Path, frames: PlatformFrames) -> None:
    have = _table_columns(db)
    for name, cols in NEEDED.items():
        if name not in have or any(c not in have[name] for c in cols):
            frames.absent[name] = f"table {name} is absent or lacks columns"
            continue
        select = [f"length({c}) / 4 AS {c}" if c in VECTOR_COLUMNS.get(name, ()) else c for c in cols]
        # the declared types, so an empty or all-NULL column still has the type the checks expect
        types = {c: SQL_TYPES.get(have[name][c], pl.String) for c in cols}
        stamps = TIMESTAMPS.get(name, ())

        def shape(df: pl.DataFrame, types: dict = types, stamps: tuple[str, ...] = stamps) -> pl.DataFrame:
            return _stamped(df.cast(types, strict=False), stamps)

        frames.tables[name] = _query(db, f"SELECT {', '.join(select)} FROM {name}", shape)
    if "users" not in frames.tables:
        raise SourceError("platform.sqlite: table users is absent or lacks columns; nothing to check")


def _stamped(df: pl.DataFrame, cols: tuple[str, ...]) -> pl.DataFrame:
    """Each timestamp column parsed once into ``<col>__ts`` (every check reads that) and the text itself
    reduced to a presence marker (all the completeness and format checks need of it)."""
    if not cols:
        return df
    parsed = [parse_ts(df[c].cast(pl.String)) for c in cols]
    return df.with_columns(*parsed, *(_present(c).alias(c) for c in cols))


def _present(col: str) -> pl.Expr:
    """``True`` where the text is there, null where it is null or blank (all a completeness check needs)."""
    return pl.when(pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")).then(None).otherwise(True)


def _events(root: Path, frames: PlatformFrames) -> None:
    """The event table in one streaming pass over the columns the checks read: the timestamp as the columnar
    copy parsed it (``ts_us``), low-cardinality text as categoricals, and columns needed only for completeness
    reduced to a presence marker (11.6 M events in ~0.5 GB)."""
    cache = refresh_cache(root)
    if cache is None:
        frames.absent["user_behavior_analysis"] = "table user_behavior_analysis is absent"
        return
    names = pl.scan_parquet(cache).collect_schema().names()
    lf = pl.scan_parquet(cache)
    if "event_id" not in names:
        lf = lf.with_columns(pl.lit(None, dtype=pl.String).alias("event_id"))
    frames.events_cache = cache
    event_id = pl.col("event_id").cast(pl.String)
    df = (
        lf.with_row_index(ROW)
        .select(
            ROW,
            "user_id",
            "duration",
            # the id as a 64-bit hash (for the uniqueness check; null stays null): the ids themselves are read
            # back only for failing events (holding 10 M id strings costs ~0.4 GB)
            pl.when(event_id.is_not_null()).then(event_id.hash(seed=0)).alias("event_key"),
            pl.col("ts_us").cast(pl.Datetime("us", "UTC")).alias("timestamp__ts"),
            _present("timestamp").alias("timestamp"),
            _present("session_id").alias("session_id"),
            *(pl.col(c).cast(pl.Categorical) for c in ("action_type", "action_target", "action_details")),
        )
        .collect(engine="streaming")
    )
    odd = df.select((pl.col("timestamp").is_not_null() & pl.col("timestamp__ts").is_null()).arg_true())
    if odd.height:  # the few stamps the copy's one format did not read: parse those rows leniently
        rows = odd.to_series().cast(pl.UInt32)
        redo = (
            pl.scan_parquet(cache)
            .with_row_index("_row")
            .filter(pl.col("_row").is_in(rows.implode()))
            .select("_row", "timestamp")
            .collect()
            .sort("_row")
        )
        fixed = df["timestamp__ts"].scatter(redo["_row"], parse_ts(redo["timestamp"]))
        df = df.with_columns(fixed.alias("timestamp__ts"))
    frames.tables["user_behavior_analysis"] = df


PRIVATE_QUERIES = {
    "resume_content": (
        "resume_metadata_id, content_hash, updated_at",
        {
            "user_id": pl.Int64,
            "resume_metadata_id": pl.Int64,
            "content_hash": pl.String,
            "updated_at": pl.String,
        },
    ),
    "parsed_resume_data": (
        "resume_content_id, work_experience, education",
        {
            "user_id": pl.Int64,
            "resume_content_id": pl.Int64,
            "work_experience": pl.String,
            "education": pl.String,
        },
    ),
}


PARALLEL_FROM = 20_000  # users; below this one process is quicker than starting a second


def _private(root: Path, user_ids: list[int], frames: PlatformFrames) -> None:
    """Batches of per-user files ATTACHed to one connection, one UNION ALL query per table and batch; on a
    large platform the batches are split over two processes (opening 100,000 files is the slow part)."""
    found = [(uid, L.user_db_path(root, uid)) for uid in user_ids]
    paths = [(uid, str(p)) for uid, p in found if p.exists()]
    workers = min(2, os.cpu_count() or 1) if len(paths) >= PARALLEL_FROM else 1
    if workers > 1:
        chunks = [paths[i :: workers * 4] for i in range(workers * 4)]
        # fork: spawn would re-import the caller's main module. The children run only sqlite3 and pickling,
        # never Polars, whose idle thread pool is what makes forking a Polars process unsafe in general.
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            parts = list(pool.map(_read_files, chunks))
    else:
        parts = [_read_files(paths)]
    for table, (_, schema) in PRIVATE_QUERIES.items():
        frames.tables[table] = pl.DataFrame(
            [r for part in parts for r in part[table]], schema=schema, orient="row"
        )


def _read_files(paths: list[tuple[int, str]]) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {t: [] for t in PRIVATE_QUERIES}
    con = sqlite3.connect(":memory:")
    try:
        for i in range(0, len(paths), ATTACH_BATCH):
            _read_batch(con, paths[i : i + ATTACH_BATCH], rows)
    finally:
        con.close()
    return rows


def _read_batch(con: sqlite3.Connection, batch: list[tuple[int, str]], rows: dict[str, list[tuple]]) -> None:
    """The whole batch in one query per table; if that fails (a corrupt or locked file, a table lacking a
    column), each file of the batch alone, skipping only what fails, as the reader does."""
    attached: list[tuple[int, str]] = []
    try:
        for j, (uid, path) in enumerate(batch):
            try:
                con.execute(f"ATTACH ? AS d{j}", (f"file:{path}?mode=ro",))
                attached.append((uid, f"d{j}"))
            except sqlite3.Error:
                continue
        for table, (cols, _) in PRIVATE_QUERIES.items():
            parts = [f"SELECT {uid}, {cols} FROM {a}.{table}" for uid, a in attached]
            try:
                rows[table] += con.execute(" UNION ALL ".join(parts)).fetchall() if parts else []
            except sqlite3.Error:
                for part in parts:
                    try:
                        rows[table] += con.execute(part).fetchall()
                    except sqlite3.Error:
                        continue
    finally:
        for _, a in attached:
            _detach(con, a)


def _detach(con: sqlite3.Connection, alias: str) -> None:
    with contextlib.suppress(sqlite3.Error):
        con.execute(f"DETACH {alias}")


def _side_stores(root: Path, frames: PlatformFrames) -> None:
    gdir = root / L.GRAPH_DIR
    for label, cols in (
        ("User", {"id": pl.String, "username": pl.String}),
        ("HAS_SKILL", {"from": pl.String, "to": pl.String}),
    ):
        path = gdir / f"{label}.csv"
        if path.exists():
            frames.tables[f"graph:{label}"] = pl.read_csv(path, columns=list(cols), schema_overrides=cols)
        else:
            frames.absent[f"graph:{label}"] = f"graph/{label}.csv is absent"
    for name, rel, key in (
        ("documents", L.DOCUMENTS_FILE, "user_id"),
        ("vectors", L.VECTORS_FILE, "user_id"),
        ("redis", L.REDIS_FILE, "key"),
    ):
        path = root / rel
        if not path.exists():
            frames.absent[name] = f"{rel} is absent"
            continue
        # the key field only; lines that do not parse are left to the reader's report
        lines = pl.scan_csv(
            path,
            has_header=False,
            separator="\x1f",
            quote_char=None,
            new_columns=["line"],
            schema_overrides={"line": pl.String},
        )
        # the first occurrence of the key field: the top-level one in the layout's objects (a regex, because
        # parsing whole documents only to read one field costs ten times more)
        expr = pl.col("line").str.extract(rf'"{key}":\s*"((?:[^"\\]|\\.)*)"')
        frames.tables[name] = lines.select(expr.alias("key")).drop_nulls().collect(engine="streaming")


def load_platform(root: Path, as_of: datetime | None = None) -> PlatformFrames:
    """Every store of the platform at ``root`` as frames; raises ``SourceError`` without ``platform.sqlite``."""
    root = Path(root)
    db = root / L.PLATFORM_DB
    if not db.exists():
        raise SourceError(f"{root.name}: platform.sqlite is absent; not an embedded platform folder")
    ref, origin = (as_of, "--as-of") if as_of is not None else reference_time(root)
    frames = PlatformFrames(root=root, as_of=ref, as_of_source=origin)
    _relational(db, frames)
    # the private databases before the events: on a large platform their reader forks worker processes,
    # which should start from a small parent
    if (root / L.USERS_DIR).is_dir():
        _private(root, frames.tables["users"]["id"].to_list(), frames)
    else:
        frames.absent["resume_content"] = "users/ is absent"
    _events(root, frames)
    _side_stores(root, frames)
    if "resume_content" in frames.tables:  # the platform tables' timestamps are parsed as they are read
        frames.tables["resume_content"] = _stamped(
            frames.tables["resume_content"], TIMESTAMPS["resume_content"]
        )
    if "resumes" in frames.tables:
        frames.tables["resumes"] = frames.tables["resumes"].join(_resume_digests(db), on="id", how="left")
    return frames


def _resume_digests(db: Path) -> pl.DataFrame:
    """Per resume: whether ``content`` is filled and its SHA-256 (DuckDB), a batch at a time, so the texts
    are never all in memory."""
    import adbc_driver_sqlite.dbapi as adbc
    import duckdb

    parts = []
    with adbc.connect(f"file:{db}?mode=ro") as con, con.cursor() as cur:
        cur.execute("SELECT id, content FROM resumes")
        for batch in cur.fetch_record_batch():
            frame = batch  # noqa: F841 - DuckDB reads it by name
            parts.append(
                duckdb.sql(  # type: ignore[union-attr]
                    "SELECT id, CASE WHEN trim(content) = '' THEN NULL ELSE content IS NOT NULL "
                    "OR NULL END AS content, sha256(content) AS content_sha256 FROM frame"
                ).pl()
            )
    if not parts:
        return pl.DataFrame(schema={"id": pl.Int64, "content": pl.Boolean, "content_sha256": pl.String})
    return pl.concat(parts).cast({"id": pl.Int64, "content": pl.Boolean})
