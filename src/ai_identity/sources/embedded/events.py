"""Behaviour events of the embedded layout, read columnar.

``platform.sqlite``'s ``user_behavior_analysis`` table is the event store. Reading millions of rows out of
SQLite row by row is slow (~0.4 M rows/s through ``sqlite3``, ~1 M rows/s through ADBC), so the first read
writes a columnar copy (``events/user_behavior_analysis.parquet``) stamped with the database file's size,
modification time and the copy's format version; later reads use it while the stamp matches and rebuild it
otherwise. The copy is a cache: deleting it loses nothing.

Besides the table's own columns the copy carries what every reader would otherwise recompute per row:
``ts_us`` (the timestamp parsed to UTC microseconds, null when unparseable), ``details_ok`` (is
``action_details`` JSON), the detail fields the analysers use (``d_error``, ``d_language``, ``d_accepted``,
``d_tone``, ``d_rating``, ``d_lang``), ``device`` (the user agent's device class) and ``session_key`` (a
64-bit hash of ``session_id`` for grouping). Each is computed once per
*distinct* value, in record batches of ``COPY_BATCH_ROWS`` rows, so building the copy needs bounded memory.

The copy's rows are *grouped*: SQLite hands them over ordered by ``user_id``, then ``session_id`` (then the
table's own order), so each user's rows, and within them each session's, are contiguous. The stamp says so
(``grouped``); :func:`read_event_chunks` relies on it to hand out bounded chunks holding whole users, which the
behaviour analyser reduces without a sort or a hash group-by.

Validation is columnar: one mask per rule, and the reason of each rejected row counted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ai_identity.model.enums import ACTION_TARGETS, ACTION_TYPES
from ai_identity.sources.base import SourceStats
from ai_identity.sources.embedded import layout as L

# the event table's columns as Polars types (timestamps as stored text), for frames made outside the table
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "user_id": pl.Int64(),
    "session_id": pl.String(),
    "action_type": pl.String(),
    "action_target": pl.String(),
    "action_target_id": pl.Int64(),
    "action_details": pl.String(),
    "user_agent": pl.String(),
    "ip_address": pl.String(),
    "duration": pl.Int64(),
    "success": pl.Boolean(),
    "timestamp": pl.String(),
}
EVENT_COLUMNS = tuple(EVENT_SCHEMA)
DERIVED_COLUMNS = (
    "ts_us",
    "session_key",
    "details_ok",
    "d_error",
    "d_language",
    "d_accepted",
    "d_tone",
    "d_rating",
    "d_lang",
    "device",
)
CACHE_FORMAT = b"5"
GROUPED = b"user_id,session_id"
COPY_BATCH_ROWS = 1 << 18  # rows normalised and written per step (one Parquet row group each)
CHUNK_ROWS = 1 << 20  # rows per chunk handed out by read_event_chunks (plus the rest of its last user)
CLOCK_SKEW_S = 300
CATEGORICAL = ("action_type", "action_target", "device", "d_error", "d_language", "d_tone", "d_lang")
_DETAIL_FIELDS = {
    "d_error": "error",
    "d_language": "language",
    "d_accepted": "accepted",
    "d_tone": "tone",
    "d_rating": "rating",
    "d_lang": "lang",
}


@dataclass
class EventFrame:
    """Valid events (``ts`` as UTC datetime[us]) and the count of rejected rows by reason."""

    frame: pl.DataFrame
    stats: SourceStats


def _stamp(db: Path) -> dict[bytes, bytes]:
    st = db.stat()
    return {
        b"sqlite_size": str(st.st_size).encode(),
        b"sqlite_mtime_ns": str(st.st_mtime_ns).encode(),
        b"format": CACHE_FORMAT,
        b"grouped": GROUPED,
    }


def _batches(db: Path, cols: list[str]) -> Iterator[pa.RecordBatch]:
    # grouped by user, then session (SQLite sorts with bounded memory, spilling to temporary files); rowid
    # keeps the table's own order inside a session
    sql = f"SELECT {', '.join(cols)} FROM user_behavior_analysis ORDER BY user_id, session_id, rowid"
    try:
        import adbc_driver_sqlite.dbapi as adbc
    except ImportError:  # pragma: no cover - adbc is a declared dependency; sqlite3 is the slow fallback
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        cur = con.execute(sql)
        while rows := cur.fetchmany(500_000):
            yield pa.RecordBatch.from_pydict({c: [r[i] for r in rows] for i, c in enumerate(cols)})
        con.close()
        return
    from adbc_driver_sqlite import StatementOptions

    with adbc.connect(f"file:{db}?mode=ro") as con, con.cursor() as cur:
        # each batch becomes one Parquet row group: the driver's default of 1,024 rows makes ~11,000 of them
        # for 11 M events, which costs every reader of the copy ~40% more memory and time
        cur.adbc_statement.set_options(**{StatementOptions.BATCH_ROWS.value: "65536"})
        cur.execute(sql)
        yield from cur.fetch_record_batch()


def _rebatch(batches: Iterator[pa.RecordBatch], rows: int) -> Iterator[pa.Table]:
    """The driver's small record batches (ADBC hands out ~1,000 rows each) gathered into tables of ``rows``."""
    pending: list[pa.RecordBatch] = []
    n = 0
    for rb in batches:
        pending.append(rb)
        n += rb.num_rows
        if n >= rows:
            yield pa.Table.from_batches(pending)
            pending, n = [], 0
    if pending:
        yield pa.Table.from_batches(pending)


def _columns(db: Path) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[1] for r in con.execute("PRAGMA table_info(user_behavior_analysis)")]
    finally:
        con.close()


def _parse_details(value: str | None) -> dict[str, Any]:
    if not value:
        return {"details_ok": True}
    try:
        d = json.loads(value)
    except ValueError:
        return {"details_ok": False}
    if not isinstance(d, dict):
        return {"details_ok": True}
    out: dict[str, Any] = {"details_ok": True}
    for col, key in _DETAIL_FIELDS.items():
        v = d.get(key)
        if col == "d_rating":
            out[col] = float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
        elif col == "d_accepted":
            out[col] = v if isinstance(v, bool) else None
        else:
            out[col] = str(v) if v is not None else None
    return out


def normalise(batch: pl.DataFrame) -> pl.DataFrame:
    """Add the derived columns to a batch of raw event rows (once per distinct detail and agent value)."""
    from ai_identity.features.devices import device_class  # one place decides device classes

    ts = (
        pl.col("timestamp")
        .cast(pl.String)
        .str.strip_suffix("Z")
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us", time_zone="UTC")
    )
    out = batch.with_columns(ts.dt.epoch("us").alias("ts_us"))
    if "session_id" in out.columns:  # a 64-bit key for grouping sessions (hashing strings once, at copy time)
        out = out.with_columns(pl.col("session_id").cast(pl.String).hash(seed=0).alias("session_key"))
    if "success" in out.columns and out.schema["success"] != pl.Boolean:
        out = out.with_columns(pl.col("success").cast(pl.Boolean, strict=False))
    if "action_details" in out.columns:
        distinct = out["action_details"].unique().to_list()
        parsed = [_parse_details(v) for v in distinct]
        table = pl.DataFrame(
            {
                "action_details": distinct,
                "details_ok": [p["details_ok"] for p in parsed],
                **{c: [p.get(c) for p in parsed] for c in _DETAIL_FIELDS},
            },
            schema={
                "action_details": out.schema["action_details"],
                "details_ok": pl.Boolean,
                "d_error": pl.String,
                "d_language": pl.String,
                "d_accepted": pl.Boolean,
                "d_tone": pl.String,
                "d_rating": pl.Float64,
                "d_lang": pl.String,
            },
        )
        out = out.join(table, on="action_details", how="left", nulls_equal=True)
    if "user_agent" in out.columns:
        agents = out["user_agent"].unique().to_list()
        dev = pl.DataFrame(
            {"user_agent": agents, "device": [device_class(a) for a in agents]},
            schema={"user_agent": out.schema["user_agent"], "device": pl.String},
        )
        out = out.join(dev, on="user_agent", how="left", nulls_equal=True)
    # few distinct values, many rows: dictionary-encode them (the columnar copy and its readers stay small)
    cats = [c for c in CATEGORICAL if c in out.columns and out.schema[c] == pl.String]
    if cats:
        out = out.with_columns(pl.col(c).cast(pl.Categorical) for c in cats)
    return out


def refresh_cache(root: Path) -> Path | None:
    """(Re)write the columnar copy of the event table if missing or stale; None if there is no table."""
    db = root / L.PLATFORM_DB
    cache = root / L.EVENTS_CACHE
    have = _columns(db)
    if not have:
        return None
    stamp = _stamp(db)
    if cache.exists():
        meta = pq.read_schema(cache).metadata or {}
        if all(meta.get(k) == v for k, v in stamp.items()):
            return cache
    cols = [c for c in (*EVENT_COLUMNS, "event_id") if c in have]
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    writer: pq.ParquetWriter | None = None
    try:
        for part in _rebatch(_batches(db, cols), COPY_BATCH_ROWS):
            frame = normalise(pl.from_arrow(part))  # type: ignore[arg-type]
            table = frame.to_arrow()
            if writer is None:
                schema = table.schema.with_metadata({**stamp, b"columns": json.dumps(cols).encode()})
                writer = pq.ParquetWriter(tmp, schema, compression="zstd")
            writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    if writer is None:  # an empty table: write its columns with no rows
        empty = normalise(pl.DataFrame({c: [] for c in cols}))
        pq.write_table(empty.to_arrow().replace_schema_metadata(stamp), tmp)
    tmp.replace(cache)
    return cache


def _open(root: Path, stats: SourceStats) -> Path | None:
    """The up-to-date columnar copy, or None (with ``stats`` saying why) when the event table is not there."""
    db = root / L.PLATFORM_DB
    if not db.exists():
        stats.present = False
        stats.note = "platform.sqlite is absent"
        return None
    have = _columns(db)
    if not have:
        stats.present = False
        stats.note = "table user_behavior_analysis is absent"
        return None
    missing = [c for c in EVENT_COLUMNS if c not in have]
    if missing:
        stats.present = False
        stats.note = f"table user_behavior_analysis lacks column(s) {', '.join(missing)}"
        return None
    cache = refresh_cache(root)
    assert cache is not None
    return cache


def _wanted(cache: Path, columns: list[str] | None) -> list[str]:
    want = list(columns or EVENT_COLUMNS)
    for needed in ("user_id", "ts_us", "action_type", "action_target", "duration", "details_ok"):
        if needed not in want:
            want.append(needed)
    names = pq.read_schema(cache).names
    return [c for c in want if c in names]


def read_events(
    root: Path,
    as_of: datetime | None = None,
    user_ids: list[int] | None = None,
    columns: list[str] | None = None,
) -> EventFrame:
    """Valid events up to ``as_of``; rejects counted by reason in the returned stats. ``columns`` may name
    the table's columns and the derived ones; ``ts`` (UTC datetime) is always added."""
    stats = SourceStats()
    cache = _open(root, stats)
    if cache is None:
        return EventFrame(pl.DataFrame(), stats)
    lf = pl.scan_parquet(cache).select(_wanted(cache, columns))
    if user_ids is not None:
        lf = lf.filter(pl.col("user_id").is_in(user_ids))
    return validate(lf.collect(), as_of, stats)


@dataclass
class EventChunks:
    """Valid events up to ``as_of`` in chunks of about ``chunk_rows`` rows, each holding all of its users' rows
    with each session's rows contiguous (``grouped``). ``stats`` counts read and rejected rows as the chunks are
    handed out: it is complete once iterated."""

    cache: Path | None
    columns: list[str]
    as_of: datetime | None
    stats: SourceStats
    chunk_rows: int = CHUNK_ROWS
    grouped: bool = True

    def __iter__(self) -> Iterator[pl.DataFrame]:
        if self.cache is None:
            return
        meta = pq.read_schema(self.cache).metadata or {}
        if meta.get(b"grouped") != GROUPED:  # a copy written otherwise: one chunk, for the reader to group
            self.grouped = False
            frame = validate(pl.read_parquet(self.cache, columns=self.columns), self.as_of, self.stats).frame
            if frame.height:
                yield frame
            return
        carry: pl.DataFrame | None = None
        last_uid = 0
        total = pq.read_metadata(self.cache).num_rows
        for offset in range(0, total, self.chunk_rows):  # Polars reads just the row groups a slice touches
            df = pl.scan_parquet(self.cache).select(self.columns).slice(offset, self.chunk_rows).collect()
            if carry is not None:
                df = pl.concat([carry, df], how="vertical_relaxed")
            # hold back the last user's rows: the next batch may carry more of them
            uid = df["user_id"].fill_null(0).to_numpy()
            other = np.flatnonzero(uid != uid[-1])
            cut = int(other[-1]) + 1 if len(other) else 0
            carry, df = df.slice(cut), df.slice(0, cut)
            if df.height and (chunk := self._valid(df, last_uid)) is not None:
                last_uid = int(chunk["user_id"][-1])
                yield chunk
        if carry is not None and carry.height and (chunk := self._valid(carry, last_uid)) is not None:
            yield chunk

    def _valid(self, df: pl.DataFrame, after: int) -> pl.DataFrame | None:
        frame = validate(df, self.as_of, self.stats).frame
        if not frame.height:
            return None
        uid = frame["user_id"].to_numpy()
        if uid[0] <= after or (len(uid) > 1 and bool((uid[1:] < uid[:-1]).any())):
            raise RuntimeError(
                f"{L.EVENTS_CACHE}: rows are not grouped by user as its stamp says; delete the file to rebuild it"
            )
        return frame


def read_event_chunks(
    root: Path, as_of: datetime | None = None, columns: list[str] | None = None, chunk_rows: int = CHUNK_ROWS
) -> EventChunks:
    """Like :func:`read_events` for all users, but handed out in bounded chunks of whole users (memory stays
    at a chunk's worth however many events there are)."""
    stats = SourceStats()
    cache = _open(root, stats)
    cols = _wanted(cache, columns) if cache is not None else []
    return EventChunks(cache, cols, as_of, stats, chunk_rows)


def validate(df: pl.DataFrame, as_of: datetime | None, stats: SourceStats) -> EventFrame:
    """Apply the event rules column by column; keep valid rows, count the others by their first failed rule."""
    if "ts_us" not in df.columns:  # raw rows (not from the columnar copy): derive first
        df = normalise(df)
    df = df.with_columns(pl.col("ts_us").cast(pl.Datetime("us", "UTC")).alias("ts"))
    rules: list[tuple[str, pl.Expr]] = [
        ("user_id: expected a positive integer", pl.col("user_id").is_null() | (pl.col("user_id") < 1)),
        ("timestamp: expected an ISO-8601 time", pl.col("ts").is_null()),
        (
            "action_type: expected one of the allowed values",
            ~pl.col("action_type").is_in(sorted(ACTION_TYPES)) | pl.col("action_type").is_null(),
        ),
        (
            "action_target: expected one of the allowed values",
            ~pl.col("action_target").is_in(sorted(ACTION_TARGETS)) | pl.col("action_target").is_null(),
        ),
        ("duration: expected an integer >= 0", pl.col("duration").is_null() | (pl.col("duration") < 0)),
        ("action_details: expected a JSON document", pl.col("details_ok").not_()),
    ]
    limit = None
    if as_of is not None:
        limit = int(as_of.timestamp() * 1_000_000)
        rules.append(
            (
                "timestamp: in the future of the platform's now",
                pl.col("ts_us") > limit + CLOCK_SKEW_S * 1_000_000,
            )
        )
    # one boolean column of rejects; the frame is copied only when something is actually dropped
    keep_ts = pl.col("ts_us") <= limit if limit is not None else pl.lit(True)
    flags = df.select(
        pl.any_horizontal([expr.fill_null(False) for _, expr in rules]).alias("bad"),
        keep_ts.fill_null(True).alias("keep"),
    )
    bad = flags["bad"]
    rejected = df.filter(bad)
    if rejected.height:
        reason = pl.lit(None, dtype=pl.String)
        for text, expr in reversed(rules):
            reason = pl.when(expr.fill_null(False)).then(pl.lit(text)).otherwise(reason)
        for text, n in rejected.select(reason.alias("r")).group_by("r").len().iter_rows():
            stats.reject(text, n)
    # the cut-off itself: events after as_of are ignored, not rejected, when within the skew allowance
    keep = ~bad & flags["keep"]
    valid = df if keep.all() else df.filter(keep)
    stats.read += valid.height
    return EventFrame(valid, stats)
