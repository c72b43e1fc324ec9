"""``ai-identity load``: write a generated embedded platform into the configured real servers.

The seed's MySQL tables go to the ``mysql`` source, its PostgreSQL tables to the ``postgres`` source, the event
table to the source named by ``events`` (the mysql source by default), and ``redis/keys.jsonl`` to the ``redis``
source with each key's TTL. Tables are dropped and re-created under their configured names, so a re-run
replaces the data; Redis keys under the configured patterns are deleted first. Rows are written in batches
(multi-row INSERT through ``executemany`` on MySQL, COPY on PostgreSQL, pipelined SET on Redis).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ai_identity.cli import app
from ai_identity.errors import RecordError, UsageError


def _table_batches(con: sqlite3.Connection, model: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
    from ai_identity.sources import ddl

    cols = list(ddl.column_kinds(model))
    have = {c[1] for c in con.execute(f"PRAGMA table_info({model.__record__})")}
    if not have:
        return
    select = ", ".join(c if c in have else "NULL" for c in cols)
    cur = con.execute(f"SELECT {select} FROM {model.__record__} ORDER BY rowid")
    while batch := cur.fetchmany(size):
        yield batch


def _count(con: sqlite3.Connection, table: str) -> int:
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def load_platform(platform: Path, cfg: Any, tick: Any = None) -> list[dict[str, Any]]:
    """Write the platform into the configured stores; returns one summary row per table / key set."""
    from ai_identity.model import records as r
    from ai_identity.sources import mysql as my
    from ai_identity.sources import postgres as pg
    from ai_identity.sources.embedded import layout as L

    tick = tick or (lambda stage, done, total: None)
    db = platform / L.PLATFORM_DB
    if not db.is_file():
        raise UsageError(f"--platform: expected a folder holding {L.PLATFORM_DB}; none found in {platform}")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    summary: list[dict[str, Any]] = []
    events = cfg.events_source()
    plan: list[tuple[Any, Any, list[type[r.SeedRecord]]]] = []
    for src in cfg.sources:
        if src.kind == "mysql":
            models = [r.TABLE_MODELS[t] for t in my.SEED_TABLES]
            plan.append((my.MySQLConnector, src, models))
        elif src.kind == "postgres":
            plan.append((pg.PostgresConnector, src, [r.TABLE_MODELS[t] for t in pg.SEED_TABLES]))
    try:
        for cls, src, models in plan:
            if src is events:
                models = [*models, r.UserBehaviorAnalysis]
            with cls(src) as conn:
                conn.ensure_database() if src.kind == "mysql" else conn.ensure_schema()
                for model in models:
                    t0, total, done = time.perf_counter(), _count(con, model.__record__), 0

                    def step(
                        n: int, stage: str = f"{src.label()}.{model.__record__}", total: int = total
                    ) -> None:
                        nonlocal done
                        done += n
                        tick(stage, done, total)

                    n = conn.replace_table(model, _table_batches(con, model, src.batch_size), step)
                    note = getattr(conn, "notes", {}).get(model.__record__, "")  # pgvector dimensions
                    summary.append(
                        _row(src, conn.table_name(model.__record__), n, time.perf_counter() - t0, note)
                    )
        redis_src = cfg.source("redis")
        if redis_src is not None:
            summary.append(_load_redis(platform / L.REDIS_FILE, redis_src, tick))
    finally:
        con.close()
    return summary


def _row(src: Any, target: str, n: int, seconds: float, note: str = "") -> dict[str, Any]:
    return {
        "source": src.label(),
        "kind": src.kind,
        "target": target,
        "written": n,
        "seconds": round(seconds, 3),
        "note": note,
    }


def _load_redis(path: Path, src: Any, tick: Any) -> dict[str, Any]:
    from ai_identity.model import records as r
    from ai_identity.sources.redis import RedisConnector

    t0 = time.perf_counter()
    keys, bad = [], 0
    if path.is_file():
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    keys.append(r.validate_record(r.RedisKey, json.loads(line)))
                except (ValueError, RecordError):
                    bad += 1
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        tick(f"{src.label()}.keys", done, len(keys))

    with RedisConnector(src) as conn:
        removed = conn.delete_matching()
        written, skipped = conn.write_keys(keys, step)
    notes = [f"{removed} old key(s) replaced"] if removed else []
    if skipped or bad:
        notes.append(f"{skipped + bad} skipped (invalid, expired or not a seed key pattern)")
    if not path.is_file():
        notes.append("redis/keys.jsonl is absent")
    target = (src.key_prefix or "") + "* (db " + str(src.db) + ")"
    return _row(src, target, written, time.perf_counter() - t0, "; ".join(notes))


@app.command()
def load(
    platform: Annotated[
        Path, typer.Option("--platform", help="An embedded platform folder (from generate).")
    ],
    config: Annotated[Path, typer.Option("--config", help="The store configuration (ai-identity.toml).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Write a generated platform into the configured servers (MySQL/MariaDB, PostgreSQL, Redis)."""
    from rich.console import Console
    from rich.table import Table

    from ai_identity.cli.platform import progress_bar
    from ai_identity.config import load_config

    cfg = load_config(config)
    if not any(s.kind in ("mysql", "postgres", "redis") for s in cfg.sources):
        raise UsageError(f"load: {config} configures no mysql, postgres or redis source")
    t0 = time.perf_counter()
    with progress_bar(not as_json) as tick:
        summary = load_platform(platform, cfg, tick)
    if as_json:
        typer.echo(json.dumps({"stores": summary, "seconds": round(time.perf_counter() - t0, 2)}, indent=2))
        return
    table = Table("source", "kind", "table / keys", "written", "per s", "note", title="Loaded")
    for row in summary:
        rate = row["written"] / row["seconds"] if row["seconds"] else 0.0
        table.add_row(
            row["source"], row["kind"], row["target"], f"{row['written']:,}", f"{rate:,.0f}", row["note"]
        )
    Console().print(table)
    Console().print(f"{sum(r['written'] for r in summary):,} rows/keys in {time.perf_counter() - t0:.1f} s")
