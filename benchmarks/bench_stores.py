"""Benchmark: reading the real stores (issue 5, "Performance") — 100,000 users' relational records from MariaDB and
PostgreSQL and 1,000,000 Redis keys, batched, against one query per user (one round trip per key) in the same run.

    python benchmarks/bench_stores.py            # 100,000 users, 1,000,000 keys (about 15 min on 2 busy cores)
    python benchmarks/bench_stores.py --quick    # 5,000 users, 50,000 keys

Setup: a small platform is generated (``--template-users``, 500) and its seed tables and Redis keys are repeated
with shifted ids (users, resumes, analyses, sessions) up to ``--users`` users and ``--keys`` keys, then written
with the connectors' own ``load`` path into a fresh MariaDB database, PostgreSQL schema and Redis key prefix
(``ai_identity_bench_<random>``), all removed at the end, also on failure. The shared servers are only read and
written under those names. Generated data only: nothing from /work/shared.

Measured, ``--repeats`` times (median reported):
- **batched**: every user read through ``MySQLConnector.fill`` / ``PostgresConnector.fill`` a batch of
  ``--batch`` users at a time (one query per table per batch), and every key through ``RedisConnector``
  (SCAN, then GET+TTL pipelined ``batch_size`` keys per round trip);
- **one query per user**: the same connectors and code with batches of one user (one query per table per user;
  ``--baseline-users`` users spread over the id range) and one round trip per key (``--baseline-keys`` keys).
Rows/s count the records returned (read + rejected); "typed" is the whole read into validated seed records,
"fetch" only the time inside the driver's query (wire + row decoding). Not a test: nothing asserts; the 10x target
is the issue's.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="5,000 users and 50,000 keys")
    p.add_argument("--users", type=int, default=100_000)
    p.add_argument("--keys", type=int, default=1_000_000)
    p.add_argument("--template-users", type=int, default=500)
    p.add_argument("--baseline-users", type=int, default=1_000)
    p.add_argument("--baseline-keys", type=int, default=20_000)
    p.add_argument("--batch", type=int, default=1_000, help="users per batched read")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--mysql-port", type=int, default=3306)
    p.add_argument("--postgres-port", type=int, default=5432)
    p.add_argument("--postgres-database", default="test")
    p.add_argument("--redis-port", type=int, default=6379)
    a = p.parse_args()
    if a.quick:
        a.users, a.keys = min(a.users, 5_000), min(a.keys, 50_000)
        a.baseline_users, a.baseline_keys = min(a.baseline_users, 500), min(a.baseline_keys, 5_000)
    return a


# ---- setup: the template's rows and keys, repeated with shifted ids -------------------------------------------
def _template_rows(db: Path, model: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    from ai_identity.sources import ddl

    cols = list(ddl.column_kinds(model))
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    have = {c[1] for c in con.execute(f"PRAGMA table_info({model.__record__})")}
    select = ", ".join(c if c in have else "NULL" for c in cols)
    rows = con.execute(f"SELECT {select} FROM {model.__record__} ORDER BY rowid").fetchall()
    con.close()
    return cols, rows


def _spans(db: Path, template_users: int) -> dict[str, int]:
    """How far each kind of id moves per copy of the template."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    spans = {
        "users": template_users,
        "resumes": int(con.execute("SELECT max(id) FROM resumes").fetchone()[0] or 0),
        "analyses": int(con.execute("SELECT max(id) FROM ai_analyses").fetchone()[0] or 0),
    }
    con.close()
    return spans


def _id_kinds(table: str, cols: list[str]) -> dict[int, str]:
    """Column index -> the kind of id it holds (``session`` ids get a per-copy suffix)."""
    own = {"users": "users", "resumes": "resumes", "ai_analyses": "analyses"}
    kinds = {
        "user_id": "users",
        "resume_id": "resumes",
        "mysql_resume_id": "resumes",
        "session_id": "session",
    }
    out = {i: kinds[c] for i, c in enumerate(cols) if c in kinds}
    if "id" in cols and table in own:
        out[cols.index("id")] = own[table]
    return out


def _repeated(
    table: str, cols: list[str], rows: list[tuple[Any, ...]], users: int, spans: dict[str, int]
) -> Iterator[list[tuple[Any, ...]]]:
    """The template's rows copied with ids shifted by copy x span, for users 1..``users``, 5,000 rows a batch."""
    kinds = _id_kinds(table, cols)
    user_col = next((i for i, k in kinds.items() if k == "users"), None)
    batch: list[tuple[Any, ...]] = []
    for copy in range((users + spans["users"] - 1) // spans["users"]):
        for row in rows:
            out = list(row)
            for i, kind in kinds.items():
                if kind == "session" and isinstance(out[i], str):
                    out[i] = f"{out[i]}-{copy}"
                elif isinstance(out[i], int):
                    out[i] += copy * spans[kind]
            if user_col is not None and isinstance(out[user_col], int) and out[user_col] > users:
                continue
            batch.append(tuple(out))
            if len(batch) >= 5_000:
                yield batch
                batch = []
    if batch:
        yield batch


def _write_tables(
    conn: Any, models: list[Any], db: Path, users: int, spans: dict[str, int]
) -> dict[str, int]:
    written = {}
    for model in models:
        cols, rows = _template_rows(db, model)
        written[model.__record__] = conn.replace_table(
            model, _repeated(model.__record__, cols, rows, users, spans)
        )
    return written


SEED_KEY = re.compile(r"^(behavior:|user:behavior:|ai_cache:)(\d+)(.*)$")


def _keys(path: Path, total: int, users_span: int) -> Iterator[list[Any]]:
    from ai_identity.model import records as r

    template = [
        r.RedisKey.model_validate(json.loads(line)) for line in path.read_text().splitlines() if line.strip()
    ]
    template = [k for k in template if k.ttl != 0]
    n, copy, batch = 0, 0, []
    while n < total:
        for k in template:
            if n >= total:
                break
            m = SEED_KEY.match(k.key)
            if m:
                key = f"{m.group(1)}{int(m.group(2)) + copy * users_span}{m.group(3)}"
            elif k.key.startswith("session:"):
                key = f"{k.key}-{copy}"
            else:
                continue
            batch.append(k.model_copy(update={"key": key}))
            n += 1
            if len(batch) >= 50_000:
                yield batch
                batch = []
        copy += 1
    if batch:
        yield batch


# ---- measurement ----------------------------------------------------------------------------------------------
def _timed_queries(conn: Any) -> dict[str, float]:
    """Wrap the connector's query so the time spent inside the driver (wire + decoding) is summed."""
    spent = {"seconds": 0.0}
    real = conn.query

    def query(sql: str, args: tuple[Any, ...] = ()) -> Any:
        t = time.perf_counter()
        try:
            return real(sql, args)
        finally:
            spent["seconds"] += time.perf_counter() - t

    conn.query = query
    return spent


def _read(conn_cls: Any, src: Any, source: str, ids: list[int], batch: int) -> dict[str, float]:
    from ai_identity.sources.base import UserRecords

    with conn_cls(src) as conn:
        conn.usable()
        spent = _timed_queries(conn)
        t = time.perf_counter()
        for i in range(0, len(ids), batch):
            conn.fill({u: UserRecords(u) for u in ids[i : i + batch]})
        seconds = time.perf_counter() - t
        st = conn.report[source]
        rows = st.read + st.rejected
    return {"rows": rows, "seconds": seconds, "typed": rows / seconds, "fetch": rows / spent["seconds"]}


def _read_keys(src: Any, keys: list[str] | None) -> dict[str, float]:
    from ai_identity.sources.redis import RedisConnector

    with RedisConnector(src) as conn:
        t = time.perf_counter()
        wanted = conn.scan_keys() if keys is None else keys
        scanned = time.perf_counter() - t
        n = sum(1 for _ in conn.iter_keys(wanted))
        seconds = time.perf_counter() - t
    return {"keys": n, "seconds": seconds, "scan_seconds": scanned, "keys_per_s": n / seconds}


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    a = _args()
    # a SIGTERM (a timeout, a kill) still runs the clean-up below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from ai_identity.config import StoresConfig, load_config
    from ai_identity.model import records as r
    from ai_identity.sources import mysql as my
    from ai_identity.sources import postgres as pg
    from ai_identity.sources.embedded import layout as L
    from ai_identity.sources.redis import RedisConnector
    from ai_identity.synth.writer import generate

    name = "ai_identity_bench_" + secrets.token_hex(4)
    work = Path(tempfile.mkdtemp(prefix="bench_stores_"))
    template = work / "template"
    print(f"generating a {a.template_users}-user template platform ...", flush=True)
    generate(template, a.template_users, seed=7)
    cfg_file = work / "ai-identity.toml"
    cfg_file.write_text(
        f"""
[[sources]]
kind = "mysql"
host = "{a.host}"
port = {a.mysql_port}
database = "{name}"
batch_size = {a.batch}

[[sources]]
kind = "postgres"
host = "{a.host}"
port = {a.postgres_port}
database = "{a.postgres_database}"
schema = "{name}"
batch_size = {a.batch}

[[sources]]
kind = "redis"
host = "{a.host}"
port = {a.redis_port}
key_prefix = "{name}:"
"""
    )
    cfg: StoresConfig = load_config(cfg_file, environ={})
    my_src, pg_src, rd_src = cfg.source("mysql"), cfg.source("postgres"), cfg.source("redis")
    db = template / L.PLATFORM_DB
    spans = _spans(db, a.template_users)
    results: dict[str, Any] = {"users": a.users, "keys": a.keys, "repeats": a.repeats, "batch": a.batch}
    try:
        t = time.perf_counter()
        with my.MySQLConnector(my_src) as conn:
            conn.ensure_database()
            models = [r.TABLE_MODELS[t_] for t_ in my.TABLES]
            written = _write_tables(conn, models, db, a.users, spans)
        with pg.PostgresConnector(pg_src) as conn:
            conn.ensure_schema()
            written |= _write_tables(conn, [r.TABLE_MODELS[t_] for t_ in pg.TABLES], db, a.users, spans)
        with RedisConnector(rd_src) as conn:
            conn.delete_matching()
            keys_written = sum(
                conn.write_keys(chunk)[0]
                for chunk in _keys(template / L.REDIS_FILE, a.keys, a.template_users)
            )
        print(f"written in {time.perf_counter() - t:.0f} s: {written} and {keys_written:,} keys", flush=True)

        ids = list(range(1, a.users + 1))
        step = max(1, len(ids) // a.baseline_users)
        sample = ids[::step][: a.baseline_users]
        for label, cls, src in (
            ("mysql", my.MySQLConnector, my_src),
            ("postgres", pg.PostgresConnector, pg_src),
        ):
            runs = []
            for i in range(a.repeats):
                batched = _read(cls, src, label, ids, a.batch)
                single = _read(cls, src, label, sample, 1)
                runs.append(
                    {
                        "batched_typed": batched["typed"],
                        "batched_fetch": batched["fetch"],
                        "per_user_typed": single["typed"],
                        "per_user_fetch": single["fetch"],
                        "ratio_typed": batched["typed"] / single["typed"],
                        "ratio_fetch": batched["fetch"] / single["fetch"],
                        "rows": batched["rows"],
                    }
                )
                print(
                    f"  {label} run {i + 1}: " + ", ".join(f"{k} {v:,.1f}" for k, v in runs[-1].items()),
                    flush=True,
                )
            results[label] = {k: _median(runs, k) for k in runs[0]}

        all_keys = None
        runs = []
        for i in range(a.repeats):
            batched = _read_keys(rd_src, None)
            if all_keys is None:
                with RedisConnector(rd_src) as conn:
                    all_keys = conn.scan_keys()
            stride = max(1, len(all_keys) // a.baseline_keys)
            single = _read_keys(
                rd_src.model_copy(update={"batch_size": 1}), all_keys[::stride][: a.baseline_keys]
            )
            runs.append(
                {
                    "keys": batched["keys"],
                    "batched_keys_per_s": batched["keys_per_s"],
                    "scan_seconds": batched["scan_seconds"],
                    "per_key_keys_per_s": single["keys_per_s"],
                    "ratio": batched["keys_per_s"] / single["keys_per_s"],
                }
            )
            print(
                f"  redis run {i + 1}: " + ", ".join(f"{k} {v:,.1f}" for k, v in runs[-1].items()), flush=True
            )
        results["redis"] = {k: _median(runs, k) for k in runs[0]}
    finally:
        _cleanup(my_src, pg_src, rd_src, name)
    print()
    print(f"medians of {a.repeats} run(s), {a.users:,} users, {a.keys:,} keys, batches of {a.batch}:")
    for label in ("mysql", "postgres"):
        m = results[label]
        print(
            f"{label:9s} {m['rows']:>11,.0f} rows  batched {m['batched_typed']:>9,.0f} rows/s typed "
            f"({m['batched_fetch']:,.0f} fetch)  one query per user {m['per_user_typed']:>8,.0f} rows/s typed "
            f"({m['per_user_fetch']:,.0f} fetch)  ratio {m['ratio_typed']:.1f}x typed, {m['ratio_fetch']:.1f}x fetch"
        )
    m = results["redis"]
    print(
        f"redis     {m['keys']:>11,.0f} keys  batched {m['batched_keys_per_s']:>9,.0f} keys/s (SCAN {m['scan_seconds']:.1f} s "
        f"of it)  one round trip per key {m['per_key_keys_per_s']:,.0f} keys/s  ratio {m['ratio']:.1f}x"
    )
    print(json.dumps(results))


def _cleanup(my_src: Any, pg_src: Any, rd_src: Any, name: str) -> None:
    import contextlib

    import psycopg
    import pymysql

    from ai_identity.sources.redis import RedisConnector

    with contextlib.suppress(Exception):
        con = pymysql.connect(host=my_src.host, port=my_src.port, user=my_src.user, autocommit=True)
        with con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        con.close()
    with (
        contextlib.suppress(Exception),
        psycopg.connect(
            host=pg_src.host, port=pg_src.port, user=pg_src.user, dbname=pg_src.database, autocommit=True
        ) as con,
    ):
        con.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    with contextlib.suppress(Exception), RedisConnector(rd_src) as conn:
        conn.delete_matching()
    print(f"cleaned up {name} (MariaDB database, PostgreSQL schema, Redis keys)", flush=True)


if __name__ == "__main__":
    main()
