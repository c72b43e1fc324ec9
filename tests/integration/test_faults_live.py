"""Faults: a store that drops its connections or stays down during ``build`` — always a private instance or a
proxy this test controls, never the shared servers.

- MariaDB and PostgreSQL are reached through a TCP proxy started here (in front of the shared servers): it can
  cut every open connection once (the connector reconnects and retries) or refuse every new one (the server is
  down for the rest of the build);
- Redis is a private ``redis-server`` on a free port, killed with SIGKILL.

Each case shows the partial result (identities marked partial naming the source, or users skipped, exit 3, the
source marked ``down``) and the recovery on the next run (identities equal the undisturbed build's).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from ai_identity.config import load_config
from ai_identity.model.identity import VOLATILE
from ai_identity.settings import Settings
from ai_identity.store.identities import IdentityStore
from ai_identity.synth.writer import generate

pytestmark = pytest.mark.integration

HOST = "127.0.0.1"
USERS = 20
BATCH = 5  # four batches: a fault after the first leaves 15 users affected


class Proxy:
    """A TCP proxy in front of one server port, run on its own event loop thread. ``cut()`` aborts every open
    connection (the server stays reachable); ``block()`` also refuses new ones until ``unblock()``."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.blocked = False
        self.transports: set[asyncio.Transport] = set()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server = self._call(asyncio.start_server(self._handle, HOST, 0))
        self.port = self.server.sockets[0].getsockname()[1]

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.blocked:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, self.target)
        except OSError:
            writer.transport.abort()
            return
        pair = {writer.transport, up_writer.transport}
        self.transports |= pair

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.transports -= pair

    async def _abort_all(self) -> int:
        n = len(self.transports)
        for t in list(self.transports):
            t.abort()
        return n

    def cut(self) -> int:
        """Abort every open connection; returns how many there were."""
        return int(self._call(self._abort_all()))

    def block(self) -> None:
        self.blocked = True
        self.cut()

    def unblock(self) -> None:
        self.blocked = False

    def close(self) -> None:
        self.block()
        self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class PrivateRedis:
    """A redis-server of this test's own on a free port, without persistence; killed with SIGKILL."""

    def __init__(self, workdir: Path, unavailable: Any) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            unavailable("redis-server is not installed (apt-get install redis-server)")
        self.exe, self.dir, self.port, self.unavailable = exe, workdir, _free_port(), unavailable
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.exe, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 0.2):
                return
            time.sleep(0.05)
        self.kill()
        self.unavailable(f"a private redis-server on port {self.port} did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None


@pytest.fixture(scope="module")
def faults(tmp_path_factory, run_id, mariadb, postgres, live_unavailable) -> Iterator[dict[str, Any]]:
    import psycopg
    import pymysql

    name = run_id + "_faults"
    root = tmp_path_factory.mktemp("faults")
    platform = root / "platform"
    generate(platform, USERS, seed=5)
    redis = PrivateRedis(root, live_unavailable)
    redis.start()
    proxies = {"mysql": Proxy(mariadb["port"]), "postgres": Proxy(postgres["port"])}

    def config(path: Path, mysql_port: int, pg_port: int, with_redis: bool = True) -> Any:
        text = f"""
[[sources]]
kind = "mysql"
port = {mysql_port}
database = "{name}"
retries = 2
backoff_seconds = 0.05

[[sources]]
kind = "postgres"
port = {pg_port}
database = "{postgres["database"]}"
schema = "{name}"
retries = 2
backoff_seconds = 0.05

[[sources]]
kind = "embedded"
path = "{platform}"
"""
        if with_redis:
            text += f"""
[[sources]]
kind = "redis"
port = {redis.port}
retries = 2
backoff_seconds = 0.05
"""
        path.write_text(text)
        return load_config(path, environ={})

    from ai_identity.cli.load import load_platform
    from ai_identity.config import StoresConfig

    load_platform(platform, config(root / "direct.toml", mariadb["port"], postgres["port"]))
    cfg = config(root / "proxied.toml", proxies["mysql"].port, proxies["postgres"].port)
    try:
        yield {
            "platform": platform,
            "redis": redis,
            "proxies": proxies,
            "cfg": cfg,
            "reload_redis": lambda: load_platform(platform, StoresConfig(sources=[cfg.source("redis")])),
        }
    finally:
        for p in proxies.values():
            p.close()
        redis.kill()
        con = pymysql.connect(host=HOST, port=mariadb["port"], user="root", autocommit=True)
        with con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        con.close()
        with psycopg.connect(
            host=HOST, port=postgres["port"], user="postgres", dbname=postgres["database"], autocommit=True
        ) as pg:
            pg.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


SETTINGS = Settings(
    workers=1, batch_size=BATCH, pseudonym_secret=SecretStr("raw:test-only-pseudonym-key-0123")
)


def _build(cfg: Any, store: Path, after_first_batch: Any = None) -> Any:
    """``build --config`` with one worker (batches run in order); ``after_first_batch`` runs once the first
    batch is written — the moment the fault strikes."""
    from ai_identity import pipeline

    fired = False

    def tick(stage: str, done: int, total: int) -> None:
        nonlocal fired
        if after_first_batch is not None and not fired and done >= BATCH:
            fired = True
            after_first_batch()

    summary = pipeline.build(
        Path("/nonexistent"), settings=SETTINGS, store_path=store, stores=cfg, progress=tick
    )
    assert after_first_batch is None or fired
    return summary


def _documents(path: Path) -> dict[int, dict[str, Any]]:
    store = IdentityStore(path)
    try:
        return {i.user["platform_id"]: i.model_dump(mode="json", exclude=VOLATILE) for i in store.all()}
    finally:
        store.close()


def _versions(path: Path) -> dict[int, tuple[int, bool]]:
    store = IdentityStore(path)
    try:
        return {i.user["platform_id"]: (i.identity_version, i.partial) for i in store.all()}
    finally:
        store.close()


@pytest.fixture(scope="module")
def baseline(faults, tmp_path_factory) -> dict[str, Any]:
    """The undisturbed build through the proxies: what every recovery must equal."""
    store = tmp_path_factory.mktemp("baseline") / "identities.sqlite"
    summary = _build(faults["cfg"], store)
    assert summary.built == USERS
    assert not any(s.get("down") for s in summary.sources.values())
    return {"summary": summary, "documents": _documents(store)}


def test_when_postgres_goes_down_mid_build_then_identities_are_partial_and_recover(
    faults, baseline, tmp_path
) -> None:
    proxy = faults["proxies"]["postgres"]
    store = tmp_path / "identities.sqlite"
    assert _build(faults["cfg"], store).built == USERS  # the last complete build (version 1)
    try:
        summary = _build(faults["cfg"], store, after_first_batch=proxy.block)
    finally:
        proxy.unblock()
    assert summary.exit_code == 3
    assert summary.built == USERS  # the build went on without PostgreSQL
    assert summary.sources["postgres"]["down"].startswith("source postgres (postgres): ")
    first = sorted(baseline["documents"])[:BATCH]
    docs = _documents(store)
    for uid, doc in docs.items():
        if uid in first:  # read before the fault: whole
            assert doc == baseline["documents"][uid], uid
        else:
            assert doc["partial"] is True, uid
            assert doc["sources"]["missing"]["postgres"].startswith("unreachable during the build"), uid
            # MySQL's part of the identity is still there
            assert doc["career"] == baseline["documents"][uid]["career"], uid
    assert (
        sum(n for why, n in summary.partial_reasons.items() if why.startswith("postgres: ")) == USERS - BATCH
    )

    recovered = _build(faults["cfg"], store)  # the next run, PostgreSQL back
    assert recovered.exit_code == baseline["summary"].exit_code
    assert not any(s.get("down") for s in recovered.sources.values())
    assert _documents(store) == baseline["documents"]
    versions = _versions(store)
    assert all(versions[u][0] == 1 for u in first)  # unchanged content kept its version
    assert all(versions[u][0] == 3 for u in versions if u not in first)  # whole -> partial -> whole


def test_when_mysql_drops_connections_mid_build_then_the_retry_reconnects(faults, baseline, tmp_path) -> None:
    proxy = faults["proxies"]["mysql"]
    cut: list[int] = []
    summary = _build(
        faults["cfg"], tmp_path / "identities.sqlite", after_first_batch=lambda: cut.append(proxy.cut())
    )
    assert cut and cut[0] >= 1  # a live connection was aborted under the build
    assert summary.exit_code == baseline["summary"].exit_code
    assert not any(s.get("down") for s in summary.sources.values())
    assert _documents(tmp_path / "identities.sqlite") == baseline["documents"]


def test_when_mysql_stays_down_then_its_users_are_skipped_and_their_old_identities_stay_whole(
    faults, baseline, tmp_path
) -> None:
    proxy = faults["proxies"]["mysql"]
    store = tmp_path / "identities.sqlite"
    assert _build(faults["cfg"], store).built == USERS  # yesterday's complete identities
    before = _versions(store)
    try:
        summary = _build(faults["cfg"], store, after_first_batch=proxy.block)
    finally:
        proxy.unblock()
    assert summary.exit_code == 3
    assert summary.sources["mysql"]["down"].startswith("source mysql (mysql): ")
    first = sorted(baseline["documents"])[:BATCH]
    assert sorted(summary.skipped) == sorted(u for u in baseline["documents"] if u not in first)
    assert all(why.startswith("source mysql (mysql): ") for why in summary.skipped.values())
    # readers still see every user's last complete identity: nothing half-written replaced it
    assert _versions(store) == before
    assert _documents(store) == baseline["documents"]

    recovered = _build(faults["cfg"], store)
    assert recovered.built == USERS and not recovered.skipped
    assert not any(s.get("down") for s in recovered.sources.values())
    assert _documents(store) == baseline["documents"]


def test_when_redis_drops_connections_mid_read_then_every_key_is_still_read(faults) -> None:
    import redis as redis_py

    from ai_identity.sources.redis import RedisConnector

    src = faults["cfg"].source("redis").model_copy(update={"batch_size": 10})
    admin = redis_py.Redis(host=HOST, port=faults["redis"].port)
    try:
        total = admin.dbsize()
        assert total > 30
        with RedisConnector(src) as conn:
            it = conn.iter_keys()
            got = [next(it)]
            killed = admin.client_kill_filter(_type="normal", skipme=True)
            got.extend(it)
    finally:
        admin.close()
    assert killed >= 1  # the connector's connection was dropped under it
    assert len(got) == total and len({k.key for k in got}) == total


def test_when_redis_is_killed_then_its_reader_goes_on_without_it_and_recovers(
    faults, baseline, tmp_path
) -> None:
    """A build does not read Redis (no facet uses its caches: data minimisation), so a dead Redis leaves builds
    untouched; a reader that does read it (every source, as the quality checks and exports may) goes on
    without it, names it down, and reads it again once it is back."""
    from ai_identity.sources.servers import ServerPlatform

    redis = faults["redis"]
    store = tmp_path / "identities.sqlite"
    redis.kill()
    try:
        summary = _build(faults["cfg"], store)
        plat = ServerPlatform(faults["cfg"])  # nothing skipped: Redis included
        try:
            bundles = plat.read_batch(plat.user_ids())
            down = plat.report["redis"].down
        finally:
            plat.close()
    finally:
        redis.start()
        faults["reload_redis"]()
    assert summary.exit_code == baseline["summary"].exit_code
    assert _documents(store) == baseline["documents"]
    assert down and down.startswith("source redis (redis): ")
    assert len(bundles) == USERS and all(b.user is not None and not b.redis for b in bundles)
    plat = ServerPlatform(faults["cfg"])
    try:
        recovered = plat.read_batch(plat.user_ids())
        assert not plat.report["redis"].down and plat.report["redis"].read > 0
    finally:
        plat.close()
    assert any(b.redis for b in recovered)
