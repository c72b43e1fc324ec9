"""Live-server fixtures: MariaDB, PostgreSQL and Redis on this machine, each probed once.

Locally an unreachable server skips the tests that need it, with the reason; with ``CI=true`` it fails them.
Every run uses its own MariaDB database, PostgreSQL schema and Redis key prefix, and removes them afterwards.
This is the only place the tests read the environment.
"""

from __future__ import annotations

import os
import secrets

import pytest

HOST = "127.0.0.1"
# the shared servers by default; a test run may point at private instances instead
MARIADB_PORT = int(os.environ.get("TEST_MARIADB_PORT", "3306"))
POSTGRES_PORT = int(os.environ.get("TEST_POSTGRES_PORT", "5432"))
REDIS_PORT = int(os.environ.get("TEST_REDIS_PORT", "6379"))


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and a live server is required: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_unavailable():
    """The rule above (skip locally, fail under CI=true), for tests that start a private server of their own."""
    return unavailable


@pytest.fixture(scope="session")
def run_id() -> str:
    return "ai_identity_test_" + secrets.token_hex(4)


@pytest.fixture(scope="session")
def mariadb(run_id: str):
    try:
        import pymysql
    except ImportError:
        unavailable('pymysql is not installed: pip install "ai-identity[stores]"')
    try:
        con = pymysql.connect(
            host=HOST, port=MARIADB_PORT, user="root", password="", connect_timeout=3, autocommit=True
        )
    except pymysql.err.MySQLError as exc:
        unavailable(
            f"MariaDB at {HOST}:{MARIADB_PORT} is unreachable ({exc.__class__.__name__} {exc.args[0]})"
        )
    yield {"database": run_id, "port": MARIADB_PORT}
    with con.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{run_id}`")
    con.close()


@pytest.fixture(scope="session")
def postgres(run_id: str):
    try:
        import psycopg
    except ImportError:
        unavailable('psycopg is not installed: pip install "ai-identity[stores]"')
    try:
        con = psycopg.connect(
            host=HOST, port=POSTGRES_PORT, user="postgres", dbname="test", connect_timeout=3, autocommit=True
        )
    except psycopg.Error as exc:
        unavailable(
            f"PostgreSQL at {HOST}:{POSTGRES_PORT} (database test) is unreachable ({exc.__class__.__name__})"
        )
    yield {"database": "test", "schema": run_id, "port": POSTGRES_PORT}
    con.execute(f'DROP SCHEMA IF EXISTS "{run_id}" CASCADE')
    con.close()


@pytest.fixture(scope="session")
def redis_server(run_id: str):
    try:
        import redis
    except ImportError:
        unavailable('redis is not installed: pip install "ai-identity[stores]"')
    client = redis.Redis(host=HOST, port=REDIS_PORT, db=0, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        unavailable(f"Redis at {HOST}:{REDIS_PORT} is unreachable ({exc.__class__.__name__})")
    prefix = run_id + ":"
    yield {"db": 0, "key_prefix": prefix, "port": REDIS_PORT}
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    for i in range(0, len(keys), 500):
        client.unlink(*keys[i : i + 500])
    client.close()
