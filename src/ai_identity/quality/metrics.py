"""The seed's quality metrics over a whole platform, from the loaded frames and the checks' counts.

Method (formulas in docs/quality.md):
- source coverage: per store, users present there / users; the metric is the mean over stores;
- field completeness: per expected field, filled values / rows; the metric is the mean over fields;
- time-series completeness: for active users, distinct time buckets with events / buckets expected between
  ``max(window start, sign-up)`` and the reference time, pooled over users;
- consistency, format correctness, logical consistency: per check, passing / checked; the metric is the mean over
  that dimension's checks (each rule counts once, so a small table's broken field is not drowned by events);
- freshness: hours from the newest record of each store to the reference time; the gated value is the event
  stream's (the store written in real time); latency is the service's and is not measured here;
- relevance: collected fields used as evidence by at least one identity claim / collected fields.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import polars as pl

from ai_identity.quality.checks import CheckResult, ts
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import PlatformFrames
from ai_identity.sources.embedded import layout as L


@dataclass
class Metric:
    """One metric's value with its parts (by source, field or check) for the table and the report."""

    name: str
    value: float | None
    unit: str  # "share" or "hours" or "seconds"
    parts: dict[str, float] = field(default_factory=dict)
    note: str = ""


def _ids(df: pl.DataFrame | None, col: str) -> pl.Series:
    """The distinct ids of a column (made distinct first: the event table's column has 10 M rows)."""
    if df is None:
        return pl.Series(col, [], dtype=pl.Int64)
    return df[col].unique().cast(pl.Int64, strict=False).drop_nulls()


def source_coverage(f: PlatformFrames) -> Metric:
    users = f.tables["users"].select(
        pl.col("id").cast(pl.Int64),
        "username",
        pl.col("email").str.strip_chars().str.to_lowercase().alias("e"),
    )
    n = users.height
    present: dict[str, pl.Series] = {}
    for table in (
        "user_profiles",
        "user_settings",
        "resumes",
        "user_embeddings",
        "user_ai_profiles",
        "resume_data",
        "user_behavior_analysis",
        "resume_content",
    ):
        if table in f.tables:
            present[table] = _ids(f.tables[table], "user_id")
    if "graph:User" in f.tables:
        present["graph"] = users.join(f.tables["graph:User"], on="username", how="semi")["id"]
    if "documents" in f.tables:
        docs = f.tables["documents"].select(pl.col("key").str.strip_chars().str.to_lowercase().alias("e"))
        present["mongodb"] = users.join(docs, on="e", how="semi")["id"]
    if "vectors" in f.tables:
        present["weaviate"] = f.tables["vectors"]["key"].str.extract(r"(\d+)$").cast(pl.Int64, strict=False)
    if "redis" in f.tables:
        present["redis"] = (
            f.tables["redis"]["key"].str.extract(r"^user:behavior:(\d+)$").cast(pl.Int64, strict=False)
        )
    ids = users["id"]
    parts: dict[str, float] = {
        k: round(float(ids.is_in(v.drop_nulls().unique().implode()).sum()) / n, 4) if n else 0.0
        for k, v in present.items()
    }
    side = {"documents": "mongodb", "vectors": "weaviate", "redis": "redis", "graph:User": "graph"}
    parts.update({side[k]: 0.0 for k in f.absent if k in side})
    value = sum(parts.values()) / len(parts) if parts else None
    return Metric("source_coverage", value, "share", parts)


def field_completeness(checks: list[CheckResult]) -> Metric:
    rates = {
        f"{c.table}.{c.field}": c.pass_rate
        for c in checks
        if c.dimension == "completeness" and c.pass_rate is not None
    }
    return Metric("field_completeness", _mean(rates), "share", {k: round(v, 4) for k, v in rates.items()})


def _mean(rates: dict[str, float]) -> float | None:
    return sum(rates.values()) / len(rates) if rates else None


def timeseries_completeness(f: PlatformFrames, cfg: QualityConfig) -> Metric:
    events = f.get("user_behavior_analysis")
    if events is None:
        return Metric("timeseries_completeness", None, "share", note="no event table")
    bucket_us = cfg.timeseries_bucket_days * 86_400 * 1_000_000
    end = pl.lit(f.as_of).dt.cast_time_unit("us").dt.epoch("us")
    start = (
        pl.lit(f.as_of - timedelta(days=cfg.timeseries_window_days)).dt.cast_time_unit("us").dt.epoch("us")
    )
    users = (
        f.tables["users"]
        .filter(pl.col("status") == "active")
        .select(
            pl.col("id").alias("user_id"),
            pl.max_horizontal(ts("created_at").dt.epoch("us"), start).alias("from"),
        )
    )
    weeks = _active_buckets(events, "timestamp", users, start, end, bucket_us)
    seen = (
        weeks.group_by("user_id")
        .agg(pl.len().alias("seen"), pl.col("from").first())
        .with_columns(((end - pl.col("from")) // bucket_us + 1).alias("expected"))
    )
    expected = int(seen["expected"].sum() or 0)
    value = float(seen["seen"].sum()) / expected if expected else None
    share = seen["seen"] / seen["expected"]
    parts = (
        {
            f"{name} user": round(float(share.quantile(q) or 0.0), 4)
            for name, q in (("10th-percentile", 0.1), ("25th-percentile", 0.25), ("median", 0.5))
        }
        if seen.height
        else {}
    )
    sessions = f.get("user_sessions")
    if sessions is not None:  # the event stream against an independent record of activity (the logins)
        logged = _active_buckets(sessions, "login_time", users, start, end, bucket_us)
        if logged.height:
            covered = logged.join(weeks, on=["user_id", "b"], how="semi").height
            parts["buckets with a login that have events"] = round(covered / logged.height, 4)
    return Metric(
        "timeseries_completeness",
        value,
        "share",
        parts,
        note=f"{seen.height} active users; {cfg.timeseries_bucket_days}-day buckets over the last "
        f"{cfg.timeseries_window_days} days",
    )


def _active_buckets(
    df: pl.DataFrame, col: str, users: pl.DataFrame, start: pl.Expr, end: pl.Expr, bucket_us: int
) -> pl.DataFrame:
    """Distinct (user, bucket) pairs with a timestamp in ``col`` between the user's ``from`` and ``end``;
    buckets count back from the reference time, so the last bucket is always whole. Lazy and streamed: the
    10 M joined event rows are never materialised at once."""
    t = ts(col).dt.epoch("us")
    return (
        df.lazy()
        .select("user_id", t.alias("t"))
        .join(users.lazy(), on="user_id")
        .filter((pl.col("t") >= pl.col("from")) & (pl.col("t") <= end))
        .select("user_id", "from", ((end - pl.col("t")) // bucket_us).alias("b"))
        .unique(["user_id", "b"])
        .collect(engine="streaming")
    )


def accuracy(checks: list[CheckResult], dimension: str, name: str) -> Metric:
    rates = {c.name: c.pass_rate for c in checks if c.dimension == dimension and c.pass_rate is not None}
    return Metric(name, _mean(rates), "share", {k: round(v, 4) for k, v in rates.items()})


FRESHNESS_FIELDS = {
    "events": ("user_behavior_analysis", "timestamp"),
    "users": ("users", "updated_at"),
    "sessions": ("user_sessions", "logout_time"),
    "resumes": ("resumes", "updated_at"),
    "resume_content": ("resume_content", "updated_at"),
    "embeddings": ("user_embeddings", "created_at"),
    "ai_analyses": ("ai_analyses", "created_at"),
    "ai_profiles": ("user_ai_profiles", "updated_at"),
}


def freshness(f: PlatformFrames) -> Metric:
    """Hours from each store's newest record (not after the reference time) to the reference time."""
    limit = pl.lit(f.as_of).dt.cast_time_unit("us")
    parts = {}
    for name, (table, col) in FRESHNESS_FIELDS.items():
        df = f.get(table)
        if df is None or df.is_empty():
            continue
        newest = df.lazy().select(ts(col).filter(ts(col) <= limit).max()).collect(engine="streaming").item()
        if newest is not None:
            parts[name] = round((f.as_of - newest).total_seconds() / 3600, 2)
    return Metric(
        "freshness_hours",
        parts.get("events"),
        "hours",
        parts,
        note=f"against {f.as_of.isoformat()} ({f.as_of_source})",
    )


EVIDENCE = r'"store":"[^"]*","record":"(?:[^"\\]|\\.)*","field":"[^"]*"'


RELEVANCE_SAMPLE = 2000


def _used_fields(path: Path, chunk: int = 1000) -> set[tuple[str, str]]:
    """(table, column) pairs named by some claim's evidence, read in chunks with a regex over the JSON text.

    An evenly spaced sample of up to ``RELEVANCE_SAMPLE`` identities: a field that some claim uses is used by
    many identities, so the sample finds it without reading every document."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    used: set[tuple[str, str]] = set()
    try:
        n = con.execute("SELECT count(*) FROM identities").fetchone()[0]
        step = max(1, n // RELEVANCE_SAMPLE)
        last = -1
        while True:
            rows = con.execute(
                "SELECT rowid, document FROM identities WHERE rowid > ? AND rowid % ? = 0 "
                "ORDER BY rowid LIMIT ?",
                (last, step, chunk),
            ).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            docs = pl.DataFrame({"d": [r[1] for r in rows]})
            ev = docs.select(pl.col("d").str.extract_all(EVIDENCE)).explode("d").unique().drop_nulls()
            pairs = ev.select(
                pl.col("d").str.extract(r'^"store":"(?:[^"]*:)?([^":]*)"').alias("t"),
                pl.col("d").str.extract(r'"field":"([^".\[]*)').alias("c"),
            ).unique()
            used.update(pairs.iter_rows())
    finally:
        con.close()
    return used


def relevance(f: PlatformFrames, identities: Path | None) -> Metric:
    """Collected fields used as evidence by some identity claim (needs a built identity store)."""
    path = identities or f.root / "identity" / "identities.sqlite"
    if not path.exists():
        return Metric("relevance", None, "share", note="not measured: no identity store (run build first)")
    collected = {(m.__record__, c) for m in (*L.PLATFORM_TABLES, *L.PRIVATE_TABLES) for c in L.columns(m)}
    hit = collected & _used_fields(path)
    by_table: dict[str, list[int]] = {}
    for table, col in collected:
        by_table.setdefault(table, [0, 0])
        by_table[table][0] += (table, col) in hit
        by_table[table][1] += 1
    parts = {t: round(a / b, 4) for t, (a, b) in sorted(by_table.items())}
    return Metric(
        "relevance",
        len(hit) / len(collected),
        "share",
        parts,
        note=f"{len(hit)} of {len(collected)} collected fields",
    )
