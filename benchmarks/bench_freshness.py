"""Benchmark: identity freshness (issue 7, item 3) — from a 2xx on ``POST /v1/track`` to the first
``GET /v1/identities/{id}`` that shows the event's effect.

    python benchmarks/bench_freshness.py                           # 200 events, a generated 200-user platform
    python benchmarks/bench_freshness.py --platform P --events 500 # an already built platform (a copy is used)

Starts the app in this process (uvicorn on 127.0.0.1, a free port, one worker, in a thread), posts ``--events``
events one after another, each for a random user with an analysed identity and a timestamp later than
anything that user did before, then polls the user's identity (viewer ``trusted``) until
``behavior.last_active`` equals the event's time. Prints p50/p95/p99/max of that delay, and how many
rebuilds the updater ran. Redis is off unless ``--redis-url`` is given (it does not take part in freshness).
Not a test: nothing asserts; the 1 s target is the issue's.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _platform(args: argparse.Namespace, work: Path) -> Path:
    from ai_identity.cli import main

    dst = work / "P"
    if args.platform:
        shutil.copytree(args.platform, dst)  # the benchmark writes identities: never the caller's platform
    else:
        assert (
            main(["generate", "--users", str(args.users), "--seed", str(args.seed), "--out", str(dst)]) == 0
        )
        assert main(["build", "--platform", str(dst)]) == 0
    return dst


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--platform", type=Path, help="a built platform (copied); default: generate one")
    ap.add_argument("--users", type=int, default=200, help="users to generate (without --platform)")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument(
        "--timeout", type=float, default=10.0, help="give up on one event after this many seconds"
    )
    ap.add_argument("--redis-url", default=None)
    args = ap.parse_args()

    import httpx
    import uvicorn

    from ai_identity.service import Services, ServiceSettings, create_app

    with tempfile.TemporaryDirectory(prefix="aiid-fresh-") as tmp:
        platform = _platform(args, Path(tmp))
        settings = ServiceSettings(
            platform=platform, redis_url=args.redis_url, redis_prefix="aiid-bench-fresh:"
        )
        services = Services.open(settings)
        key = services.keys.create(("track:write", "identity:read", "identity:read:trusted"))
        store = services.identities.get()
        users = []
        for uid in store.user_ids():
            ident = store.get(uid)
            if not ident.stub and "last_active" in ident.behavior:
                users.append(uid)
        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, services),
                host="127.0.0.1",
                port=port,
                access_log=False,
                log_level="warning",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        rng = random.Random(args.seed)
        base = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
        delays: list[float] = []
        polls: list[int] = []
        missed = 0
        headers = {"Authorization": f"Bearer {key}"}
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=10.0) as client:
                for i in range(args.events):
                    uid = rng.choice(users)
                    ts = base + timedelta(milliseconds=10 * i)  # later than every earlier event
                    body = {
                        "user_id": uid,
                        "session_id": f"fresh-{i}",
                        "action_type": rng.choice(["view", "create", "search", "apply"]),
                        "action_target": rng.choice(["job", "company", "resume", "template"]),
                        "action_target_id": rng.randint(1, 50),
                        "duration": rng.randint(1, 120),
                        "timestamp": ts.isoformat().replace("+00:00", "Z"),
                        "event_id": f"bench-fresh-{i}",
                    }
                    r = client.post("/v1/track", json=body)
                    r.raise_for_status()
                    t0 = time.perf_counter()
                    want, n = ts.isoformat(), 0
                    while True:
                        doc = client.get(f"/v1/identities/{uid}", params={"viewer": "trusted"}).json()
                        n += 1
                        elapsed = time.perf_counter() - t0
                        claim = doc.get("behavior", {}).get("last_active")
                        if claim and claim["value"] == want:
                            delays.append(elapsed)
                            polls.append(n)
                            break
                        if elapsed > args.timeout:
                            missed += 1
                            print(
                                f"missed: event {i}, shown last_active {claim and claim['value']}, sent {want}"
                            )
                            break
        finally:
            server.should_exit = True
            thread.join(10)
            upd = services.updater
            counters = (upd.marked, upd.rebuilds, upd.written, upd.failures) if upd else (0, 0, 0, 0)
            services.close()

    ms = [d * 1000 for d in delays]
    print(
        f"events: {args.events} over {len(users)} users with an identity; shown: {len(ms)}; missed: {missed}"
    )
    if ms:
        print(
            f"freshness ms: p50 {_pct(ms, 50):.1f}  p95 {_pct(ms, 95):.1f}  p99 {_pct(ms, 99):.1f}  "
            f"max {max(ms):.1f}  mean {statistics.fmean(ms):.1f}"
        )
        print(f"GETs per event until shown: median {statistics.median(polls):g}, max {max(polls)}")
    print(
        f"updater: marked {counters[0]}, rebuilds {counters[1]}, new versions {counters[2]}, failures {counters[3]}"
    )


if __name__ == "__main__":
    main()
