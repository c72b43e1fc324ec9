"""Incremental builds: which users' records or events changed since a moment (``build --changed-since``).

Method: one query per timestamped table of the platform database (rows created or updated after the moment,
``users.updated_at`` standing for the untimestamped ``user_profiles`` and ``user_settings``, which the platform
touches when it edits them), one pass over the columnar event store (events after the moment), the modification
time of each user's private database, and the consent records written since. A side-store file (graph,
documents, Redis keys, vectors) changed since the moment cannot be traced to users cheaply, so every user is
rebuilt then — said in the reason. ``last`` means the start of the identity store's latest build run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from ai_identity.errors import UsageError
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import refresh_cache

# table -> (user column, how to reach the user, time expression)
_TIMED: tuple[tuple[str, str], ...] = (
    ("SELECT id FROM users WHERE COALESCE(updated_at, created_at) > ?", "users"),
    ("SELECT user_id FROM resumes WHERE COALESCE(updated_at, created_at) > ?", "resumes"),
    (
        "SELECT r.user_id FROM resume_analyses a JOIN resumes r ON r.id = a.resume_id WHERE a.created_at > ?",
        "resume_analyses",
    ),
    ("SELECT user_id FROM ai_analyses WHERE created_at > ?", "ai_analyses"),
    ("SELECT user_id FROM user_ai_profiles WHERE updated_at > ?", "user_ai_profiles"),
    ("SELECT user_id FROM user_embeddings WHERE created_at > ?", "user_embeddings"),
    ("SELECT user_id FROM user_sessions WHERE login_time > ?", "user_sessions"),
)
_SIDE_FILES = (
    L.DOCUMENTS_FILE,
    L.REDIS_FILE,
    L.VECTORS_FILE,
    *(f"{L.GRAPH_DIR}/{f}" for f in L.GRAPH_FILES.values()),
)


@dataclass
class Changes:
    since: datetime
    users: set[int] = field(default_factory=set)
    why: dict[str, int] = field(default_factory=dict)
    everyone: str | None = None  # set when every user must be rebuilt, with the reason


def last_build_start(store_path: Path) -> datetime:
    """When the identity store's latest build run started (the remembered cursor)."""
    if not store_path.exists():
        raise UsageError(
            "--changed-since last: this identity store has no earlier build; run a full build first"
        )
    con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT started_at FROM build_runs ORDER BY run_id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    if row is None:
        raise UsageError(
            "--changed-since last: this identity store has no earlier build; run a full build first"
        )
    return datetime.fromisoformat(row[0])


def changed_since(root: Path, since: datetime, as_of: datetime | None = None) -> Changes:
    """Users whose records or events changed after ``since`` (see the module docstring); events after the
    build's cut-off ``as_of`` cannot change an identity and are not counted."""
    since = since.astimezone(UTC)
    stamp = L.iso(since)
    out = Changes(since)
    con = sqlite3.connect(f"file:{root / L.PLATFORM_DB}?mode=ro", uri=True)
    try:
        for sql, name in _TIMED:
            try:
                found = {int(r[0]) for r in con.execute(sql, (stamp,)) if r[0] is not None}
            except sqlite3.OperationalError:  # table or column absent: that source has nothing to say
                continue
            out.why[name] = len(found)
            out.users |= found
    finally:
        con.close()
    cache = refresh_cache(root)
    if cache is not None:
        limit = int(since.timestamp() * 1_000_000)
        window = pl.col("ts_us") > limit
        if as_of is not None:
            window = window & (pl.col("ts_us") <= int(as_of.timestamp() * 1_000_000))
        ev = pl.scan_parquet(cache).filter(window).select("user_id").unique().collect()
        found = {int(u) for u in ev["user_id"].to_list() if u is not None}
        out.why["events"] = len(found)
        out.users |= found
    private = {
        int(p.stem)
        for p in (root / L.USERS_DIR).glob("*.sqlite")
        if p.stem.isdigit() and datetime.fromtimestamp(p.stat().st_mtime, UTC) > since
    }
    out.why["users/<id>.sqlite"] = len(private)
    out.users |= private
    consent_db = root / "identity" / "consent.sqlite"
    if consent_db.exists():
        ccon = sqlite3.connect(f"file:{consent_db}?mode=ro", uri=True)
        try:
            found = {
                int(r[0])
                for r in ccon.execute(
                    "SELECT DISTINCT user_id FROM consent_records WHERE at > ?", (since.isoformat(),)
                )
            }
        except sqlite3.OperationalError:
            found = set()
        finally:
            ccon.close()
        out.why["consent records"] = len(found)
        out.users |= found
    for rel in _SIDE_FILES:
        p = root / rel
        if p.exists() and datetime.fromtimestamp(p.stat().st_mtime, UTC) > since:
            out.everyone = f"{rel} changed; its keys are not traced to users, so everyone is rebuilt"
            break
    return out
