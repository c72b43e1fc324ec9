"""Private server instances the fault and pgvector tests start themselves — never the shared servers.

* :class:`PrivatePostgres`: a PostgreSQL 16 with pgvector from the ``pgserver`` package (bundled binaries;
  nothing is downloaded at run time) on a temporary data directory, listening only on a Unix socket there.
* :class:`PrivateRedis`: the system's ``redis-server`` binary on a free loopback port, without persistence.

Both can be killed and started again on the same address (the durability test's faults).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    """As the conftest's: skip locally with the reason, fail under CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and a private server is required: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivatePostgres:
    """A pgserver PostgreSQL in ``root``/data, listening only on a socket in ``root``.

    pgserver's command wrappers (its bundled ``initdb`` and ``pg_ctl``) run the server. As root PostgreSQL
    refuses to run, and ``pgserver.get_server`` would ``useradd`` a system user and widen the permissions of
    every parent directory; to leave the machine unchanged the commands then run as an existing unprivileged
    account (``postgres``, else ``nobody``) that owns the temporary directory.
    """

    def __init__(self, root: Path) -> None:
        import pgserver

        self.root, self.data = root, root / "data"
        self.user: str | None = None
        if os.geteuid() == 0:
            import pwd

            for name in ("postgres", "nobody"):
                try:
                    pw = pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                os.chown(root, pw.pw_uid, pw.pw_gid)
                break
            else:
                raise RuntimeError("running as root and no unprivileged account (postgres, nobody) exists")
        pgserver.initdb(
            ["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=self.data, user=self.user
        )
        self.start()

    def start(self) -> None:
        import pgserver
        from pgserver.utils import PostmasterInfo

        pgserver.pg_ctl(
            ["-w", "-o", '-h ""', "-o", f"-k {self.root}", "-l", str(self.root / "log"), "start"],
            pgdata=self.data,
            user=self.user,
            timeout=120,
        )
        info = PostmasterInfo.read_from_pgdata(self.data)
        if info is None or info.socket_dir is None or info.port is None:
            raise RuntimeError("the server started but postmaster.pid names no socket")
        self.host, self.port = str(info.socket_dir), int(info.port)

    def crash(self) -> None:
        """Stop as a crash would (``-m immediate``: no checkpoint; recovery replays the WAL on start)."""
        import pgserver

        pgserver.pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.data, user=self.user, timeout=120)

    def stop(self) -> None:
        import pgserver

        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data, user=self.user, timeout=120)


class PrivateRedis:
    """``redis-server`` on a free loopback port, no RDB/AOF (a restart loses every key, as a cache may)."""

    def __init__(self, root: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not on PATH (Debian: apt-get install redis-server)")
        self.binary, self.root, self.port = binary, root, free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 60
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the private redis-server did not answer within 60 s") from None
                time.sleep(0.1)
        client.close()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


@contextlib.contextmanager
def private_postgres(prefix: str) -> Iterator[PrivatePostgres]:
    """A started :class:`PrivatePostgres` (skipped with the reason, or failed under CI, when it cannot start),
    stopped and removed afterwards."""
    try:
        import pgserver  # noqa: F401
        import psycopg  # noqa: F401
    except ImportError as exc:
        unavailable(f'{exc.name} is not installed: pip install "ai-identity[stores]"')
    root = Path(tempfile.mkdtemp(prefix=prefix))  # short: a socket path has ~100 bytes
    try:
        server = PrivatePostgres(root)
    except Exception as exc:
        log = root / "log"
        tail = log.read_text(errors="replace")[-400:] if log.is_file() else ""
        shutil.rmtree(root, ignore_errors=True)
        unavailable(f"pgserver could not start a private PostgreSQL: {exc.__class__.__name__}: {exc} {tail}")
    try:
        yield server
    finally:
        try:
            with contextlib.suppress(Exception):  # already stopped (a fault left it down)
                server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def private_redis(prefix: str) -> Iterator[PrivateRedis]:
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        server = PrivateRedis(root)
    except Exception as exc:
        shutil.rmtree(root, ignore_errors=True)
        unavailable(f"could not start a private redis-server: {exc.__class__.__name__}: {exc}")
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(root, ignore_errors=True)
