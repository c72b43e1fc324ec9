"""Benchmark: the HTTP service under load (issue 7, "Performance") — one command, 1 and 2 uvicorn workers.

    python benchmarks/bench_service.py                 # 3 runs of 10 s per figure, 1 and 2 workers
    python benchmarks/bench_service.py --quick         # 1 run of 3 s, a smaller similar-users index
    python benchmarks/bench_service.py --event-log postgres   # the log in the shared PostgreSQL (fresh schema)

The server is ``ai-identity serve`` in its own process(es) on loopback (a generated, built platform; the
shared Redis under a fresh key prefix, removed afterwards; the event log in SQLite beside the store, or with
``--event-log postgres|mysql`` a fresh schema/database in the shared server, dropped afterwards; per-key rate
limits raised out of the way). The load generator is ``wrk`` (Debian: ``apt-get install -y wrk``) in a second
process, 2 threads, ``--connections`` connections (50), Lua scripts making every event id unique:

* ``POST /v1/track``: one event per request -> events/s, p50/p99;
* ``POST /v1/track/batch``: ``--batch`` events per request (100) -> events/s, p99;
* ``GET /v1/identities/{id}`` (random built users, viewer public) -> requests/s, p99.

Events are for the platform's own users, so the incremental identity updater works during the load as it
would in production. For each figure: the median over ``--runs`` runs; the CPU the generator used (its own
rusage: share of one core, and of the machine) and the server's processes (psutil); non-2xx answers and socket
errors (any makes the figure suspect: reported, never hidden).

Similar users: the service's own :class:`~ai_identity.service.similar.SimilarIndex` (hnswlib, the service's
parameters) over ``--similar-n`` (100,000) vectors made from the platform's skills vectors (each a copy of one
of them plus Gaussian noise, so clustered as real embeddings are), in this process: top-10 query latency
p50/p99 (wall clock, and CPU time per query, which a busy machine disturbs less) over 2,000 queries, and
recall@10 against exact cosine on 200 of them. ``--workers ''`` measures only this.
Nothing asserts; the targets are the issue's and are printed beside the figures. ``uptime``'s load is printed
first and last: on a shared machine, compare medians taken at similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGETS = {
    "track": "≥ 5,000 events/s, p99 ≤ 50 ms",
    "batch": "≥ 30,000 events/s, p99 ≤ 50 ms",
    "get": "≥ 5,000 req/s, p99 ≤ 20 ms",
    "similar": "p99 ≤ 5 ms",
}

_COMMON_LUA = """
local tag, users, batch = "r", 60, 100
tid, n = tid or 0, 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
function init(args)
  tag = args[1]; users = tonumber(args[2]); batch = tonumber(args[3]); key = args[4]
  wrk.headers["Authorization"] = "Bearer " .. key
  wrk.headers["Content-Type"] = "application/json"
  base = os.time() - 3 * 86400
end
local function event()
  n = n + 1
  local secs = base + math.floor(n / 1000)
  local ts = os.date("!%Y-%m-%dT%H:%M:%S", secs) .. string.format(".%06dZ", (n % 1000) * 1000 + tid)
  return string.format(
    '{"event_id":"%s-%d-%d","user_id":%d,"session_id":"bench-%d","action_type":"view",' ..
    '"action_target":"job","action_target_id":%d,"duration":%d,"success":true,"timestamp":"%s"}',
    tag, tid, n, (n * 7 + tid) % users + 1, tid, n % 5000, n % 120, ts)
end
"""

LUA = {
    "track": _COMMON_LUA
    + """
function request()
  return wrk.format("POST", "/v1/track", nil, event())
end
""",
    "batch": _COMMON_LUA
    + """
function request()
  local parts = {}
  for i = 1, batch do parts[i] = event() end
  return wrk.format("POST", "/v1/track/batch", nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
""",
    "get": _COMMON_LUA
    + """
function request()
  return wrk.format("GET", "/v1/identities/" .. math.random(users))
end
""",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[m.group(2)]


def parse_wrk(out: str) -> dict[str, float]:
    """Requests/s, latency percentiles (ms), non-2xx answers and socket errors from ``wrk --latency``."""
    res: dict[str, float] = {"non2xx": 0.0, "socket_errors": 0.0}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            res["rps"] = float(line.split()[1])
        elif m := re.fullmatch(r"(50|75|90|99)(?:\.0+)?%\s+(\S+)", line):
            res[f"p{m.group(1)}"] = _ms(m.group(2))
        elif line.startswith("Non-2xx or 3xx responses:"):
            res["non2xx"] = float(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            res["socket_errors"] = float(sum(int(x) for x in re.findall(r"\d+", line)))
        elif m := re.match(r"(\d+) requests in", line):
            res["requests"] = float(m.group(1))
    if "rps" not in res:
        raise RuntimeError(f"wrk printed no Requests/sec:\n{out}")
    return res


def _cpu(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def run_wrk(
    kind: str, url: str, script: Path, args: argparse.Namespace, tag: str, server_pids: list[int]
) -> dict[str, float]:
    cmd = [
        "wrk",
        "-t2",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        url,
        "--",
        tag,
        str(args.users),
        str(args.batch),
        args.key,
    ]
    cpu0, t0 = _cpu(server_pids), time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    server_cpu = _cpu(server_pids) - cpu0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"wrk failed:\n{out}")
    res = parse_wrk(out)
    res["events_per_s"] = res["rps"] * (args.batch if kind == "batch" else 1)
    res["generator_cpu"] = (usage.ru_utime + usage.ru_stime) / wall  # in cores (1.0 = one core busy)
    res["server_cpu"] = server_cpu / wall
    # CPU the server spent per request: less sensitive to a shared machine than the rate itself
    res["server_cpu_ms_per_request"] = 1000 * server_cpu / max(res.get("requests", 0.0), 1.0)
    return res


def _server_pids(proc: subprocess.Popen[bytes]) -> list[int]:
    import psutil

    p = psutil.Process(proc.pid)
    return [proc.pid, *(c.pid for c in p.children(recursive=True))]


def start_server(args: argparse.Namespace, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "ai_identity",
        "serve",
        "--platform",
        str(args.platform_dir),
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--redis-url",
        args.redis_url,
        "--redis-prefix",
        args.prefix,
        "--rate-per-key",
        "1000000000",
        "--rate-burst",
        "1000000000",
    ]
    if args.config:
        cmd += ["--config", str(args.config)]
    if args.no_updates:
        cmd.append("--no-updates")
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}); see {log}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    else:
        raise RuntimeError("the server did not answer /healthz within 180 s")
    time.sleep(2.0 if workers > 1 else 0.5)  # the other worker finishes starting
    return proc, url


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(30)


def bench_http(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    scripts = {}
    for kind, lua in LUA.items():
        scripts[kind] = work / f"{kind}.lua"
        scripts[kind].write_text(lua)
    results: dict[str, Any] = {}
    for workers in args.workers:
        proc, url = start_server(args, workers, work / "server.log")
        try:
            pids = _server_pids(proc)
            # warm-up: imports, connections, the updater's first rebuilds
            short = argparse.Namespace(**{**vars(args), "duration": 2})
            run_wrk("track", url, scripts["track"], short, f"warm{workers}", pids)
            for kind in ("track", "batch", "get"):
                runs = []
                for i in range(args.runs):
                    tag = f"{kind}{workers}x{i}-{secrets.token_hex(3)}"
                    runs.append(run_wrk(kind, url, scripts[kind], args, tag, pids))
                    print(f"  workers={workers} {kind} run {i + 1}: {_line(kind, runs[-1])}", flush=True)
                results[f"{kind}/{workers}"] = {"runs": runs, "median": _median(runs)}
        finally:
            stop_server(proc)
    return results


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0] if all(k in r for r in runs)}


def _line(kind: str, r: dict[str, float]) -> str:
    rate = f"{r['events_per_s']:,.0f} events/s" if kind != "get" else f"{r['rps']:,.0f} req/s"
    return (
        f"{rate}, p50 {r.get('p50', float('nan')):.1f} ms, p99 {r.get('p99', float('nan')):.1f} ms, "
        f"generator CPU {r['generator_cpu']:.2f} cores, server CPU {r['server_cpu']:.2f} cores "
        f"({r['server_cpu_ms_per_request']:.2f} ms/request), "
        f"non-2xx {r['non2xx']:.0f}, socket errors {r['socket_errors']:.0f}"
    )


def bench_similar(args: argparse.Namespace) -> dict[str, float]:
    import numpy as np

    from ai_identity.service.similar import SimilarIndex
    from ai_identity.store.identities import IdentityStore, default_path

    store = IdentityStore(default_path(args.platform_dir))
    try:
        _, built = store.vectors("skills")
    finally:
        store.close()
    rng = np.random.default_rng(7)
    if built.ndim == 2 and built.shape[0]:
        # the platform's own skills vectors, each copied with noise: clustered like real embeddings
        dim = int(built.shape[1])
        base = built[np.linalg.norm(built, axis=1) > 0]
        base = base / np.linalg.norm(base, axis=1, keepdims=True)
        data = base[rng.integers(0, len(base), args.similar_n)] + rng.normal(0, 0.05, (args.similar_n, dim))
        source = "the platform's skills vectors + noise (sigma 0.05)"
    else:
        dim = 64
        data = rng.standard_normal((args.similar_n, dim))
        source = "random normal vectors"
    data = np.ascontiguousarray(data, dtype=np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    ids = list(range(1, args.similar_n + 1))
    t0 = time.perf_counter()
    index = SimilarIndex(ids, data)
    build_s = time.perf_counter() - t0
    queries = rng.choice(ids, size=2000, replace=False)
    lat, cpu = [], []
    got = {}
    for uid in queries:
        t, c = time.perf_counter(), time.process_time()
        got[int(uid)] = index.similar(int(uid), 10)
        cpu.append((time.process_time() - c) * 1000)
        lat.append((time.perf_counter() - t) * 1000)
    recall = []
    for uid in queries[:200]:
        sims = data @ data[int(uid) - 1]
        sims[int(uid) - 1] = -2.0
        exact = {int(i) + 1 for i in np.argpartition(-sims, 10)[:10]}
        recall.append(len(exact & {u for u, _ in got[int(uid)]}) / 10)
    lat.sort()
    cpu.sort()
    return {
        "n": float(args.similar_n),
        "dim": float(dim),
        "build_s": build_s,
        "p50_ms": statistics.median(lat),
        "p99_ms": lat[int(0.99 * len(lat)) - 1],
        "max_ms": lat[-1],
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p99_ms": cpu[int(0.99 * len(cpu)) - 1],
        "data": source,
        "recall_at_10": statistics.mean(recall),
    }


def _config(args: argparse.Namespace, work: Path) -> tuple[Path | None, Any]:
    """With --event-log postgres|mysql: a configuration naming a fresh schema/database, and its cleanup."""
    if args.event_log == "sqlite":
        return None, lambda: None
    name = "aiid_bench_" + secrets.token_hex(4)
    path = work / "ai-identity.toml"
    if args.event_log == "postgres":
        import psycopg

        path.write_text(f'[[sources]]\nkind = "postgres"\ndatabase = "test"\nschema = "{name}"\n')

        def drop() -> None:
            with psycopg.connect(host="127.0.0.1", user="postgres", dbname="test", autocommit=True) as con:
                con.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

        return path, drop
    import pymysql

    con = pymysql.connect(host="127.0.0.1", user="root", password="", autocommit=True)
    con.cursor().execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    path.write_text(f'[[sources]]\nkind = "mysql"\ndatabase = "{name}"\n')

    def drop_db() -> None:
        con.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
        con.close()

    return path, drop_db


def _clean_redis(args: argparse.Namespace) -> int:
    if args.redis_url == "none":
        return 0
    import redis

    client = redis.Redis.from_url(args.redis_url)
    keys = list(client.scan_iter(match=args.prefix + "*", count=5000))
    for i in range(0, len(keys), 1000):
        client.unlink(*keys[i : i + 1000])
    client.close()
    return len(keys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 run of 3 s per figure, 20,000 similar vectors")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--batch", type=int, default=100, help="events per /v1/track/batch request")
    ap.add_argument("--workers", default="1,2", help="uvicorn worker counts to measure ('' : similar only)")
    ap.add_argument("--users", type=int, default=200, help="users of the generated platform")
    ap.add_argument(
        "--similar-n", type=int, default=100_000, help="vectors in the similar-users index (0: skip)"
    )
    ap.add_argument("--event-log", choices=("sqlite", "postgres", "mysql"), default="sqlite")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="'none' for no Redis")
    ap.add_argument(
        "--no-updates",
        action="store_true",
        help="serve without incremental identity updates (for comparison)",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.duration, args.users, args.similar_n = 1, 3, 60, 20_000
    args.workers = [int(w) for w in args.workers.split(",") if w.strip()]
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    print("load before:", _uptime(), flush=True)
    from ai_identity.cli import main as cli
    from ai_identity.service.keys import KeyStore, default_keys_path

    work = Path(tempfile.mkdtemp(prefix="aiid_bench_service_"))
    args.prefix = f"bench-{secrets.token_hex(4)}:"
    args.config, drop = _config(args, work)
    try:
        args.platform_dir = work / "P"
        assert (
            cli(["generate", "--users", str(args.users), "--seed", "4", "--out", str(args.platform_dir)]) == 0
        )
        assert cli(["build", "--platform", str(args.platform_dir)]) == 0
        store = KeyStore(default_keys_path(args.platform_dir))
        args.key = store.create(("admin",))
        store.close()
        http = bench_http(args, work) if args.workers else {}
        similar = None
        if args.similar_n:
            print(f"similar: building an index of {args.similar_n:,} vectors …", flush=True)
            similar = bench_similar(args)
    finally:
        drop()
        removed = _clean_redis(args)
        shutil.rmtree(work, ignore_errors=True)
    load_after = _uptime()
    print()
    print(
        f"bench_service: wrk -t2 -c{args.connections} -d{args.duration}s, median of {args.runs} run(s); "
        f"event log {args.event_log}; Redis {'off' if args.redis_url == 'none' else 'on'}; "
        f"{args.users} users; batch {args.batch}; incremental updates {'off' if args.no_updates else 'on'}"
    )
    for key, res in http.items():
        kind, workers = key.split("/")
        print(f"  {kind:6s} workers={workers}: {_line(kind, res['median'])}   [target {TARGETS[kind]}]")
    if similar:
        print(
            f"  similar top-10 over {similar['n']:,.0f} vectors (dim {similar['dim']:.0f}, {similar['data']}, "
            f"in process): p50 {similar['p50_ms']:.2f} ms, p99 {similar['p99_ms']:.2f} ms, "
            f"max {similar['max_ms']:.2f} ms (CPU per query p50 {similar['cpu_p50_ms']:.2f} ms, "
            f"p99 {similar['cpu_p99_ms']:.2f} ms), "
            f"recall@10 {similar['recall_at_10']:.3f}, index built in {similar['build_s']:.0f} s   "
            f"[target {TARGETS['similar']}]"
        )
    print("load after:", load_after, f"(Redis keys removed: {removed})")
    if args.json:
        args.json.write_text(
            json.dumps({"http": http, "similar": similar, "load_after": load_after}, indent=2, default=str)
        )


if __name__ == "__main__":
    main()
