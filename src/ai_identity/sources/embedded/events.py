"""Behaviour events of the embedded layout, read columnar.

``platform.sqlite``'s ``user_behavior_analysis`` table is the event store. Reading millions of rows out of
SQLite row by row is slow (~0.4 M rows/s through ``sqlite3``, ~1 M rows/s through ADBC), so the first read
writes a Parquet copy (``events/user_behavior_analysis.parquet``) stamped with the database file's size and
modification time; later reads use it while the stamp still matches and rebuild it otherwise. The copy is a
cache: deleting it loses nothing.

Validation is columnar: one mask per rule, and the reason of each rejected row counted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ai_identity.model.enums import ACTION_TARGETS, ACTION_TYPES
from ai_identity.sources.base import SourceStats
from ai_identity.sources.embedded import layout as L

EVENT_COLUMNS = (
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
)
CLOCK_SKEW_S = 300


@dataclass
class EventFrame:
    """Valid events (``ts`` as UTC datetime[us]) and the count of rejected rows by reason."""

    frame: pl.DataFrame
    stats: SourceStats


def _stamp(db: Path) -> dict[bytes, bytes]:
    st = db.stat()
    return {b"sqlite_size": str(st.st_size).encode(), b"sqlite_mtime_ns": str(st.st_mtime_ns).encode()}


def _read_sqlite(db: Path, cols: list[str]) -> pa.Table:
    try:
        import adbc_driver_sqlite.dbapi as adbc

        with adbc.connect(f"file:{db}?mode=ro") as con, con.cursor() as cur:
            cur.execute(f"SELECT {', '.join(cols)} FROM user_behavior_analysis")
            return cur.fetch_arrow_table()
    except ImportError:  # pragma: no cover - adbc is a declared dependency; sqlite3 is the slow fallback
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = con.execute(f"SELECT {', '.join(cols)} FROM user_behavior_analysis").fetchall()
        return pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})


def _columns(db: Path) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[1] for r in con.execute("PRAGMA table_info(user_behavior_analysis)")]
    finally:
        con.close()


def refresh_cache(root: Path) -> Path | None:
    """(Re)write the Parquet copy of the event table if it is missing or stale; None if there is no table."""
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
    table = _read_sqlite(db, cols)
    table = table.replace_schema_metadata({**stamp, b"columns": json.dumps(cols).encode()})
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=1 << 20)
    tmp.replace(cache)
    return cache


def read_events(
    root: Path,
    as_of: datetime | None = None,
    user_ids: list[int] | None = None,
    columns: list[str] | None = None,
) -> EventFrame:
    """Valid events up to ``as_of``; rejects counted by reason in the returned stats."""
    stats = SourceStats()
    db = root / L.PLATFORM_DB
    if not db.exists():
        stats.present = False
        stats.note = "platform.sqlite is absent"
        return EventFrame(pl.DataFrame(), stats)
    have = _columns(db)
    if not have:
        stats.present = False
        stats.note = "table user_behavior_analysis is absent"
        return EventFrame(pl.DataFrame(), stats)
    missing = [c for c in EVENT_COLUMNS if c not in have]
    if missing:
        stats.present = False
        stats.note = f"table user_behavior_analysis lacks column(s) {', '.join(missing)}"
        return EventFrame(pl.DataFrame(), stats)
    cache = refresh_cache(root)
    want = list(columns or EVENT_COLUMNS)
    for needed in ("user_id", "timestamp", "action_type", "action_target", "duration"):
        if needed not in want:
            want.append(needed)
    if "action_details" not in want and columns is None:
        want.append("action_details")
    lf = pl.scan_parquet(cache).select([c for c in want if c in pq.read_schema(cache).names])
    if user_ids is not None:
        lf = lf.filter(pl.col("user_id").is_in(user_ids))
    df = lf.collect()
    return validate(df, as_of, stats)


def validate(df: pl.DataFrame, as_of: datetime | None, stats: SourceStats) -> EventFrame:
    """Apply the event rules column by column; keep valid rows, count the others by their first failed rule."""
    ts = (
        pl.col("timestamp")
        .str.strip_suffix("Z")
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us", time_zone="UTC")
    )
    df = df.with_columns(ts.alias("ts"))
    if "success" in df.columns and df.schema["success"] != pl.Boolean:
        df = df.with_columns(pl.col("success").cast(pl.Boolean, strict=False))
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
    ]
    if as_of is not None:
        limit = pl.lit(as_of).dt.cast_time_unit("us").dt.convert_time_zone("UTC")
        rules.append(
            (
                "timestamp: in the future of the platform's now",
                pl.col("ts") > limit + pl.duration(seconds=CLOCK_SKEW_S),
            )
        )
    if "action_details" in df.columns:
        bad_json = _bad_json_values(df["action_details"])
        if bad_json:
            rules.append(
                ("action_details: expected a JSON document", pl.col("action_details").is_in(bad_json))
            )
    reason = pl.lit(None, dtype=pl.String)
    for text, expr in reversed(rules):
        reason = pl.when(expr).then(pl.lit(text)).otherwise(reason)
    df = df.with_columns(reason.alias("_reason"))
    rejected = df.filter(pl.col("_reason").is_not_null())
    for text, n in rejected.group_by("_reason").len().iter_rows():
        stats.reject(text, n)
    valid = df.filter(pl.col("_reason").is_null()).drop("_reason")
    if as_of is not None:
        # the cut-off itself: events after as_of are ignored, not rejected, when within the skew allowance
        valid = valid.filter(
            pl.col("ts") <= pl.lit(as_of).dt.cast_time_unit("us").dt.convert_time_zone("UTC")
        )
    stats.read = valid.height
    return EventFrame(valid, stats)


def _bad_json_values(col: pl.Series) -> list[str]:
    """Distinct non-empty detail strings that are not JSON (checked once per distinct value)."""
    bad = []
    for v in col.drop_nulls().unique().to_list():
        if not v:
            continue
        try:
            json.loads(v)
        except ValueError:
            bad.append(v)
    return bad
