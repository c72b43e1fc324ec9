"""Accepted means durable: under a steady load, Redis, PostgreSQL and the service process are each killed and
started again; afterwards every event that got a 2xx is in the PostgreSQL event log, exactly once.

Everything runs on private instances the test starts itself — its own ``redis-server`` on a free port, a
pgserver PostgreSQL on a Unix socket in a temporary directory, its own ``ai-identity serve --config`` process —
never the shared servers. The load: four client threads (two posting single events to ``/v1/track``, two
posting 20-event batches to ``/v1/track/batch``), each event with its own id. A request that fails (connection
refused or reset, 503 while PostgreSQL is down) is retried unchanged until it gets a 2xx; only 2xx answers
count as accepted. The faults, one after another, each followed by a wait until the load makes progress again:

1. Redis killed (SIGKILL) and started again empty: events stay accepted (``"redis": "deferred"``) meanwhile;
2. PostgreSQL stopped as by a crash (``pg_ctl -m immediate``: no checkpoint) and started again (WAL recovery);
3. the service killed (SIGKILL) and started again.

A second test does the same on the embedded default (the log in ``identity/event_log.sqlite``, WAL with
``synchronous=FULL``), killing the service twice.

Then: the log holds every accepted id, holds only ids that were sent, holds each once; re-sending accepted
batches is answered as duplicates and adds no row; events accepted with ``"redis": "stored"`` after Redis came
back have their seed keys there. No timing is asserted: waits are generous deadlines, so a loaded machine is
slower, not flaky.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from private_servers import PrivatePostgres, PrivateRedis, free_port, private_postgres, private_redis

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:XDG_RUNTIME_DIR is not set"),
]

USERS = 20
PREFIX = "durability:"
SCHEMA = "aiid_durability"
PROGRESS = 150  # accepted events that must follow each recovery
WAIT_S = 240.0  # a deadline for each wait, never a measured time


@dataclass
class Ledger:
    """What the clients saw, shared by the threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)
    stored_after: list[tuple[float, list[str]]] = field(default_factory=list)  # (sent at, keys) if "stored"
    acked_batches: list[dict[str, Any]] = field(default_factory=list)
    failures: int = 0  # attempts without a 2xx (retried)
    unexpected: list[int] = field(default_factory=list)  # statuses other than 2xx and 503

    def count(self) -> int:
        with self.lock:
            return len(self.acked)


class Service:
    """``ai-identity serve`` in its own process (this interpreter, this PYTHONPATH)."""

    def __init__(self, options: list[str], platform: Path, log: Path) -> None:
        self.options, self.platform, self.port, self.log = options, platform, free_port(), log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import httpx

        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ai_identity", "serve", *self.options, "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=os.environ.copy(),
            )
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the service exited with {self.proc.returncode}: see {self.log}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"the service did not answer /healthz within {WAIT_S} s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(60)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def _event(eid: str, n: int) -> dict[str, Any]:
    ts = datetime(2026, 11, 20, 9, 0, tzinfo=UTC) + timedelta(microseconds=n)
    return {
        "user_id": 1 + n % USERS,
        "session_id": f"s-{n % 7}",
        "action_type": ("view", "search", "apply")[n % 3],
        "action_target": "job",
        "duration": n % 30,
        "timestamp": ts.isoformat(),
        "event_id": eid,
    }


def _client(
    url: str, key: str, worker: int, batch: int, ledger: Ledger, stop: threading.Event, give_up: float
) -> None:
    """Send events until ``stop``; each request is retried unchanged until it gets a 2xx."""
    import httpx

    headers = {"Authorization": f"Bearer {key}"}
    n = 0
    with httpx.Client(base_url=url, headers=headers, timeout=10.0) as http:
        while not stop.is_set():
            ids = [f"w{worker}-{n + i}" for i in range(batch)]
            events = [_event(eid, worker * 10_000_000 + n + i) for i, eid in enumerate(ids)]
            n += batch
            path, body = ("/v1/track", events[0]) if batch == 1 else ("/v1/track/batch", {"events": events})
            with ledger.lock:
                ledger.sent.update(ids)
            while True:
                sent_at = time.monotonic()
                try:
                    resp = http.post(path, json=body)
                except httpx.HTTPError:
                    resp = None
                if resp is not None and resp.status_code == 200:
                    answer = resp.json()
                    with ledger.lock:
                        ledger.acked.update(ids)
                        if answer["redis"] == "stored":
                            keys = [PREFIX + e["key"] for e in answer["events"]]
                            ledger.stored_after.append((sent_at, keys))
                        if batch > 1 and len(ledger.acked_batches) < 50:
                            ledger.acked_batches.append(body)
                    break
                with ledger.lock:
                    ledger.failures += 1
                    if resp is not None and resp.status_code != 503:
                        ledger.unexpected.append(resp.status_code)
                if resp is not None and resp.status_code != 503:
                    break  # not a transient failure: recorded above, and the test fails on it
                if time.monotonic() > give_up:
                    return
                time.sleep(0.05)


def _wait_progress(ledger: Ledger, start: int, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while ledger.count() < start + PROGRESS:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"no progress within {WAIT_S} s after {what}: {ledger.count() - start} accepted"
            )
        time.sleep(0.1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ai_identity.cli import main

    platform = tmp_path_factory.mktemp("durability") / "P"
    assert main(["generate", "--users", str(USERS), "--seed", "5", "--out", str(platform)]) == 0
    assert main(["build", "--platform", str(platform)]) == 0
    return platform


@pytest.fixture
def stack(built: Path, tmp_path: Path) -> Iterator[tuple[PrivatePostgres, PrivateRedis, Service]]:
    """The service with its event log in a private PostgreSQL and its keys in a private Redis."""
    root = tmp_path
    platform = root / "P"
    shutil.copytree(built, platform)
    with private_postgres("aiid_dur_") as pg, private_redis("aiid_dur_redis_") as rd:
        config = root / "ai-identity.toml"
        config.write_text(
            f"""
[[sources]]
kind = "postgres"
host = "{pg.host}"
port = {pg.port}
database = "postgres"
schema = "{SCHEMA}"
connect_timeout = 2

[[sources]]
kind = "redis"
port = {rd.port}
key_prefix = "{PREFIX}"

[[sources]]
kind = "embedded"
path = "{platform}"
"""
        )
        service = Service(["--config", str(config)], platform, root / "service.log")
        service.start()
        try:
            yield pg, rd, service
        finally:
            service.stop()


@pytest.fixture
def embedded(built: Path, tmp_path: Path) -> Iterator[tuple[PrivateRedis, Service]]:
    """The embedded default: the event log in ``identity/event_log.sqlite``; keys in a private Redis."""
    platform = tmp_path / "P"
    shutil.copytree(built, platform)
    with private_redis("aiid_dur_redis_") as rd:
        options = ["--platform", str(platform), "--redis-url", rd.url, "--redis-prefix", PREFIX]
        service = Service(options, platform, tmp_path / "service.log")
        service.start()
        try:
            yield rd, service
        finally:
            service.stop()


def _key(platform: Path, tmp_path: Path) -> str:
    """A track:write key made by the CLI, as an operator would."""
    out = tmp_path / "key"
    with out.open("w") as f:
        cmd = [sys.executable, "-m", "ai_identity", "keys", "create", "--platform", str(platform)]
        subprocess.run([*cmd, "--scopes", "track:write"], stdout=f, check=True)
    return out.read_text().strip()


@contextlib.contextmanager
def load(service: Service, key: str) -> Iterator[Ledger]:
    """Four client threads posting until the block ends (two single events, two 20-event batches)."""
    ledger, stop = Ledger(), threading.Event()
    give_up = time.monotonic() + 6 * WAIT_S
    threads = [
        threading.Thread(
            target=_client, args=(service.url, key, w, batch, ledger, stop, give_up), daemon=True
        )
        for w, batch in enumerate((1, 1, 20, 20))
    ]
    for t in threads:
        t.start()
    try:
        _wait_progress(ledger, 0, "the start")
        yield ledger
    finally:
        stop.set()
        for t in threads:
            t.join(2 * WAIT_S)
    print(f"durability: {len(ledger.acked)} events accepted, {ledger.failures} failed attempts retried")


def _outage(ledger: Ledger, stop: Any, start: Any, what: str, down_s: float) -> None:
    """Stop a part, keep it down ``down_s`` under the load, start it again, wait for accepted events to move
    on, and check that some request did see the outage (so the test really tested one)."""
    before = ledger.failures
    stop()
    time.sleep(down_s)
    start()
    _wait_progress(ledger, ledger.count(), f"{what} restarted")
    assert ledger.failures > before, f"the {what} outage was not seen by any request"


def _restart_service(service: Service, ledger: Ledger) -> None:
    _outage(ledger, service.kill, service.start, "service", 0.5)


def _check(ledger: Ledger, log: tuple[int, set[str]]) -> None:
    rows, logged = log
    assert ledger.unexpected == []
    lost = ledger.acked - logged
    assert not lost, f"{len(lost)} of {len(ledger.acked)} accepted events are not in the log"
    assert logged <= ledger.sent, "the log holds an id no client sent"
    assert rows == len(logged), "an event id is in the log twice"


def _resend(service: Service, key: str, ledger: Ledger) -> None:
    """Retries are idempotent: accepted batches sent again are duplicates."""
    import httpx

    with httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        for body in ledger.acked_batches[:10]:
            answer = http.post("/v1/track/batch", json=body).json()
            assert answer["accepted"] == 0 and answer["duplicates"] == len(body["events"])


def _log_rows(pg: PrivatePostgres) -> tuple[int, set[str]]:
    import psycopg

    with psycopg.connect(host=pg.host, port=pg.port, user="postgres", dbname="postgres") as con:
        rows = con.execute(f"SELECT event_id FROM {SCHEMA}.aiid_event_log").fetchall()
    return len(rows), {r[0] for r in rows}


def test_when_redis_postgres_and_the_service_restart_under_load_then_no_accepted_event_is_lost(
    stack: tuple[PrivatePostgres, PrivateRedis, Service], tmp_path: Path
) -> None:
    import redis

    pg, rd, service = stack
    key = _key(service.platform, tmp_path)
    with load(service, key) as ledger:
        rd.kill()
        time.sleep(1.0)
        rd.start()
        redis_back = time.monotonic()
        _wait_progress(ledger, ledger.count(), "Redis restarted")

        _outage(ledger, pg.crash, pg.start, "PostgreSQL", 1.0)

        _restart_service(service, ledger)

    _check(ledger, _log_rows(pg))
    rows = _log_rows(pg)[0]
    _resend(service, key, ledger)
    assert _log_rows(pg)[0] == rows

    # events stored in Redis after it came back are there (the copy is a 24 h cache; the log is the record)
    client = redis.Redis(port=rd.port)
    later = [k for t, keys in ledger.stored_after if t > redis_back for k in keys]
    assert later, "no event was copied to Redis after it restarted"
    assert client.exists(*later[:500]) == len(later[:500])
    client.close()


def _sqlite_rows(platform: Path) -> tuple[int, set[str]]:
    import sqlite3

    con = sqlite3.connect(platform / "identity" / "event_log.sqlite")
    try:
        ids = [r[0] for r in con.execute("SELECT event_id FROM event_log")]
    finally:
        con.close()
    return len(ids), set(ids)


def test_when_the_embedded_service_is_killed_twice_under_load_then_no_accepted_event_is_lost(
    embedded: tuple[PrivateRedis, Service], tmp_path: Path
) -> None:
    _, service = embedded
    key = _key(service.platform, tmp_path)
    with load(service, key) as ledger:
        _restart_service(service, ledger)
        _restart_service(service, ledger)
    _check(ledger, _sqlite_rows(service.platform))
    rows = _sqlite_rows(service.platform)[0]
    _resend(service, key, ledger)
    assert _sqlite_rows(service.platform)[0] == rows
