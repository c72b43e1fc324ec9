"""Benchmark: generation, the whole build, and behaviour features at scale (issue 3's performance targets).

    python benchmarks/bench_build.py                      # 10,000 users (~1.1 M events) + 10 M-event behaviour run
    python benchmarks/bench_build.py --users 2000 --behavior-events 2000000   # quicker

Prints per stage: seconds, users/s, events/s and peak memory (max RSS of the process doing the work; each
stage runs in its own subprocess so peaks don't mix). The behaviour run tiles the generated platform's event
table (user ids shifted per copy, so the copy stays grouped by user and session) into a larger columnar event
store in the embedded layout and times reading it in chunks of whole users (``read_event_chunks``, as the build
does) plus computing every behaviour feature; it also reports the process's CPU seconds, a figure less
sensitive than wall time to other work on a shared machine. Medians over ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _child(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line; add its peak RSS."""
    wrapper = (
        "import json, resource, sys\n"
        + code
        + "\nres['peak_rss_mb'] = round(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024, 1)\nprint(json.dumps(res))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_generate(users: int, seed: int, out: Path) -> dict:
    return _child(f"""
import time, shutil
from pathlib import Path
from ai_identity.synth.writer import generate
t = time.perf_counter()
rep = generate(Path({str(out)!r}), {users}, {seed}, force=True)
res = {{'seconds': round(time.perf_counter() - t, 2), 'users': rep.users, 'events': rep.events,
        'stages': rep.stage_seconds}}
""")


def bench_build(out: Path) -> dict:
    return _child(f"""
import time, shutil
from pathlib import Path
shutil.rmtree(Path({str(out)!r}) / 'identity', ignore_errors=True)
from ai_identity.pipeline import build
t = time.perf_counter()
s = build(Path({str(out)!r}))
sec = time.perf_counter() - t
res = {{'seconds': round(sec, 2), 'users': s.built, 'users_per_s': round(s.built / sec, 1),
        'stages': s.stage_seconds, 'events_read': s.sources['events']['read']}}
""")


def make_big_events(src: Path, dst: Path, n_events: int) -> int:
    """Tile ``src``'s columnar events into ``dst`` (an embedded-layout folder) until ``n_events`` rows."""
    import shutil

    import polars as pl
    import pyarrow.parquet as pq

    from ai_identity.sources.embedded import layout as L
    from ai_identity.sources.embedded.events import refresh_cache

    refresh_cache(src)
    base = pl.read_parquet(src / L.EVENTS_CACHE)
    copies = max(1, -(-n_events // base.height))
    offset = int(base["user_id"].max()) + 1
    dst.mkdir(parents=True, exist_ok=True)
    # the platform database (for the table's columns) and a columnar event store stamped as current
    shutil.copy(src / L.PLATFORM_DB, dst / L.PLATFORM_DB)
    shutil.copy(src / L.META_FILE, dst / L.META_FILE)
    from ai_identity.analyse.assemble import timezone_of
    from ai_identity.features.locations import timezone_for
    from ai_identity.sources.embedded.reader import EmbeddedPlatform

    zones = {
        u: z
        for u, (s, loc) in EmbeddedPlatform(src).timezone_inputs().items()
        if (z := timezone_of(s, loc, timezone_for))
    }
    tiled = {u + i * offset: z for i in range(copies) for u, z in zones.items()}
    (dst / "bench_timezones.json").write_text(json.dumps(tiled))
    frames = [base.with_columns(pl.col("user_id") + i * offset) for i in range(copies)]
    big = pl.concat(frames).head(n_events)
    cache = dst / L.EVENTS_CACHE
    cache.parent.mkdir(parents=True, exist_ok=True)
    table = big.to_arrow()
    meta = pq.read_schema(src / L.EVENTS_CACHE).metadata or {}
    st = (dst / L.PLATFORM_DB).stat()
    meta = {
        **meta,
        b"sqlite_size": str(st.st_size).encode(),
        b"sqlite_mtime_ns": str(st.st_mtime_ns).encode(),
    }
    pq.write_table(table.replace_schema_metadata(meta), cache, compression="zstd", row_group_size=1 << 20)
    return big.height


def bench_behavior(dst: Path) -> dict:
    return _child(f"""
import time
from pathlib import Path
import json, os
from ai_identity.sources.embedded.events import read_event_chunks
from ai_identity.analyse.behavior import COLUMNS, behavior_stats
from ai_identity.sources.embedded.reader import EmbeddedPlatform
root = Path({str(dst)!r})
as_of = EmbeddedPlatform(root).reference_time()
tz = {{int(k): v for k, v in json.loads((root / 'bench_timezones.json').read_text()).items()}}
cpu = os.times()
t = time.perf_counter()
ev = read_event_chunks(root, as_of, columns=COLUMNS)  # as the build reads them: chunks of whole users
stats = behavior_stats(ev, tz, as_of)
sec = time.perf_counter() - t
cpu2 = os.times()
n = ev.stats.read + ev.stats.rejected
res = {{'events': n, 'users': len(stats), 'seconds': round(sec, 2), 'events_per_s': round(n / sec),
        'cpu_seconds': round(cpu2.user + cpu2.system - cpu.user - cpu.system, 2)}}
""")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path("bench-out"))
    ap.add_argument("--behavior-events", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--reuse", action="store_true", help="reuse a generated platform already in --out")
    a = ap.parse_args()
    plat = a.out / f"platform-{a.users}"
    report: dict = {}
    if not (a.reuse and (plat / "platform.sqlite").exists()):
        report["generate"] = bench_generate(a.users, a.seed, plat)
        print("generate", report["generate"], flush=True)
    builds = [bench_build(plat) for _ in range(a.repeats)]
    report["build_runs"] = builds
    report["build_median_seconds"] = statistics.median(b["seconds"] for b in builds)
    print("build", builds[-1], "median s", report["build_median_seconds"], flush=True)
    t = time.perf_counter()
    big = a.out / f"events-{a.behavior_events}"
    n = make_big_events(plat, big, a.behavior_events)
    print(f"tiled {n:,} events in {time.perf_counter() - t:.1f} s", flush=True)
    runs = [bench_behavior(big) for _ in range(a.repeats)]
    report["behavior_runs"] = runs
    report["behavior_median_events_per_s"] = statistics.median(r["events_per_s"] for r in runs)
    report["behavior_max_peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    print("behavior", runs[-1], "median events/s", report["behavior_median_events_per_s"], flush=True)
    (a.out / "bench_build.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if not k.endswith("runs")}, indent=2))


if __name__ == "__main__":
    main()
