"""Benchmark: ``ai-identity quality`` over 100,000 users and ~10,000,000 events (issue 8's target: under 30 s,
peak memory under 2 GB on this machine).

Method: generate a 10,000-user platform (or reuse ``--base``), then tile it ``--tiles`` times into a new
platform: every id is offset per tile (users, resumes, analyses; sessions and event ids get a tile suffix; user
names and e-mails a tile prefix), so the tiled platform has the same shape and the same fault rates. The
per-user private databases are symbolic links to the base's files (their resume ids then match only in tile 0,
but every file is still opened and read). The run is timed twice in a fresh process each: cold (the event
table's Parquet cache is built first) and warm (cache present, the usual case), with peak RSS from
``getrusage``, and the CPU seconds of the process and its children (on a shared machine wall time follows the
load; CPU time much less so). ``--runs N`` repeats the warm run and reports the median; ``--reuse`` keeps an
``--out`` platform tiled by an earlier run (tiling takes minutes).

    .venv/bin/python benchmarks/bench_quality.py --out /tmp/bench-quality [--base DIR] [--tiles 10] [--runs 3]
        [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ai_identity.sources.embedded import layout as L

OFFSETS = {  # (table, column) -> SQL for tile {k} with {n} users, {r} the base's largest ai_analyses id
    ("users", "id"): "id + {k} * {n}",
    ("users", "username"): "username || '_t{k}'",
    ("users", "email"): "CASE WHEN {k} = 0 THEN email ELSE 't{k}.' || email END",
    ("resumes", "id"): "id + {k} * {n} * 10",
    ("resume_skills", "resume_id"): "resume_id + {k} * {n} * 10",
    ("resume_analyses", "resume_id"): "resume_id + {k} * {n} * 10",
    ("resume_data", "mysql_resume_id"): "mysql_resume_id + {k} * {n} * 10",
    ("ai_analyses", "id"): "id + {k} * {r}",
    ("user_sessions", "session_id"): "session_id || '-t{k}'",
    ("user_behavior_analysis", "session_id"): "session_id || '-t{k}'",
    ("user_behavior_analysis", "event_id"): "event_id || '-t{k}'",
}


def tile(base: Path, out: Path, tiles: int) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(base / L.META_FILE, out / L.META_FILE)
    con = sqlite3.connect(out / L.PLATFORM_DB)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(f"ATTACH '{base / L.PLATFORM_DB}' AS b")
    n = con.execute("SELECT max(id) FROM b.users").fetchone()[0]
    r = con.execute("SELECT coalesce(max(id), 0) FROM b.ai_analyses").fetchone()[0]
    for model in L.PLATFORM_TABLES:
        table = model.__record__
        con.execute(L.create_table_sql(model))
        cols = [c[1] for c in con.execute(f"PRAGMA b.table_info({table})")]
        for k in range(1 if table == "skills" else tiles):
            exprs = [
                OFFSETS.get((table, c), "user_id + {k} * {n}" if c == "user_id" else c).format(k=k, n=n, r=r)
                for c in cols
            ]
            con.execute(
                f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM b.{table}"
            )
        con.commit()
    con.close()
    users = out / L.USERS_DIR
    users.mkdir()
    for f in (base / L.USERS_DIR).glob("*.sqlite"):
        uid = int(f.stem)
        for k in range(tiles):
            (users / f"{uid + k * n}.sqlite").symlink_to(f.resolve())
    _tile_side_stores(base, out, tiles, n)


def _tile_side_stores(base: Path, out: Path, tiles: int, n: int) -> None:
    (out / L.GRAPH_DIR).mkdir()
    lines = (base / L.GRAPH_DIR / "User.csv").read_text().splitlines()
    rows = [lines[0]]
    for k in range(tiles):
        for ln in lines[1:]:
            gid, username, rest = ln.split(",", 2)
            rows.append(f"{gid}-t{k},{username}_t{k},{rest}")
    (out / L.GRAPH_DIR / "User.csv").write_text("\n".join(rows) + "\n")
    redis = base / L.REDIS_FILE
    if redis.exists():
        (out / L.REDIS_FILE).parent.mkdir(parents=True, exist_ok=True)
        keys = [json.loads(x) for x in redis.read_text().splitlines() if x.strip()]
        with (out / L.REDIS_FILE).open("w") as fh:
            for k in range(tiles):
                for d in keys:
                    parts = d["key"].split(":")
                    if parts[0] in ("user", "ai_cache", "behavior"):
                        i = 2 if parts[0] == "user" else 1
                        parts[i] = str(int(parts[i]) + k * n)
                    fh.write(json.dumps({**d, "key": ":".join(parts)}, ensure_ascii=False) + "\n")
    for rel, rewrite in (
        (L.DOCUMENTS_FILE, lambda d, k: {**d, "user_id": f"t{k}.{d['user_id']}" if k else d["user_id"]}),
        (
            L.VECTORS_FILE,
            lambda d, k: {
                **d,
                "properties": {
                    **d.get("properties", {}),
                    "user_id": f"uv-{int(d['properties']['user_id'][3:]) + k * n:07d}",
                },
            },
        ),
    ):
        src = base / rel
        if not src.exists():
            continue
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        docs = [json.loads(x) for x in src.read_text().splitlines() if x.strip()]
        with (out / rel).open("w") as fh:
            for k in range(tiles):
                for d in docs:
                    fh.write(json.dumps(rewrite(d, k), ensure_ascii=False) + "\n")


RUN = """
import json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.gates import evaluate
run = evaluate(Path(sys.argv[1]), QualityConfig())
took = time.perf_counter() - t0
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"seconds": round(took, 2), "cpu_seconds": round(cpu, 2), "peak_rss_mb": me.ru_maxrss // 1024,
                  "children_peak_rss_mb": kids.ru_maxrss // 1024,
                  "gates": {g.metric: [g.value, g.status] for g in run.gates},
                  "failing_records": sum(c.n_failed for c in run.checks)}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--base", type=Path, default=None, help="a generated platform to tile (default: generate)"
    )
    ap.add_argument("--base-users", type=int, default=10_000)
    ap.add_argument("--tiles", type=int, default=10)
    ap.add_argument("--runs", type=int, default=1, help="warm runs (the median is reported)")
    ap.add_argument("--reuse", action="store_true", help="keep --out if an earlier run tiled it")
    args = ap.parse_args()
    base = args.base
    if base is None:
        base = args.out.with_name(args.out.name + "-base")
        if not (base / L.PLATFORM_DB).exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ai_identity",
                    "generate",
                    "--users",
                    str(args.base_users),
                    "--seed",
                    "7",
                    "--out",
                    str(base),
                    "--force",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
    t = time.perf_counter()
    if args.reuse and (args.out / L.PLATFORM_DB).exists():
        (args.out / L.EVENTS_CACHE).unlink(missing_ok=True)  # the cold run still builds the event cache
    else:
        tile(base, args.out, args.tiles)
    con = sqlite3.connect(args.out / L.PLATFORM_DB)
    users, events = (
        con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("users", "user_behavior_analysis")
    )
    con.close()
    print(
        f"tiled {base} x{args.tiles}: {users:,} users, {events:,} events in {time.perf_counter() - t:.0f} s"
    )
    warm = []
    for label in ("cold (builds the event cache)", *(["warm"] * args.runs)):
        done = subprocess.run(
            [sys.executable, "-c", RUN, str(args.out)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
            check=False,
        )
        if done.returncode:
            print(f"{label}: failed (exit {done.returncode})\n{done.stderr[-4000:]}", file=sys.stderr)
            return 1
        res = json.loads(done.stdout.strip().splitlines()[-1])
        if label == "warm":
            warm.append(res)
        print(
            f"{label}: {res['seconds']} s, {res['cpu_seconds']} CPU s, peak RSS {res['peak_rss_mb']} MB "
            f"(worker processes {res['children_peak_rss_mb']} MB), {res['failing_records']:,} failing records"
        )
        print("  " + json.dumps(res["gates"]))
    if warm:
        print(
            f"warm median of {len(warm)}: {statistics.median(r['seconds'] for r in warm)} s, "
            f"{statistics.median(r['cpu_seconds'] for r in warm)} CPU s, "
            f"peak RSS {statistics.median(r['peak_rss_mb'] for r in warm)} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
