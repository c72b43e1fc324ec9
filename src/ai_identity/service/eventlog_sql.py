"""The service's event log in PostgreSQL or MySQL/MariaDB (``--config`` names the database; see
docs/service.md).

One table (``aiid_event_log`` by default; in the source's schema on PostgreSQL), unique on ``event_id``. Each
group of waiting requests is one transaction: look up the group's ids and ``(user_id, timestamp_us)`` pairs,
plan the rows (:func:`~ai_identity.service.events.plan_append`, shared with SQLite), insert them and commit;
only then do the requests get their 2xx. PostgreSQL's default ``synchronous_commit = on`` and InnoDB's default
``innodb_flush_log_at_trx_commit = 1`` make a committed transaction survive a crash of the server.

A lost connection (the server restarted) fails the group's requests with 503 — nothing of theirs is
acknowledged, and a retry is idempotent — and the next group reconnects. Should the connection drop after the
server committed but before it answered, the retry finds the id and answers ``duplicate``.

Two service processes (uvicorn workers) share the table: the unique key keeps each id once (``ON CONFLICT DO
NOTHING`` / ``INSERT IGNORE``); if both accept the same id at the same instant both may answer
``duplicate: false``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from ai_identity.errors import SourceError
from ai_identity.service.events import (
    Accepted,
    EventLog,
    EventReader,
    Row,
    TrackEvent,
    chunks,
    plan_append,
)

__all__ = ["SqlEventLog"]

T = TypeVar("T")
DEFAULT_TABLE = "aiid_event_log"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Postgres:
    def __init__(self, source: Any, table: str) -> None:
        from ai_identity.sources.postgres import PostgresConnector

        self.connector = PostgresConnector(source)
        self.errors: tuple[type[BaseException], ...] = (self.connector.psycopg.Error,)
        self.schema = _quote(source.db_schema)
        self.table = self.connector.qualified(table)
        self.index = _quote(table + "_user_ts")

    def connect(self) -> Any:
        return self.connector.connect()

    def create(self, con: Any) -> None:
        with con.transaction():
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            con.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (seq bigserial PRIMARY KEY, "
                "event_id varchar(64) NOT NULL UNIQUE, user_id bigint NOT NULL, timestamp_us bigint NOT NULL, "
                "redis_key text NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), event text NOT NULL)"
            )
            con.execute(f"CREATE INDEX IF NOT EXISTS {self.index} ON {self.table} (user_id, timestamp_us)")

    def transaction(self, con: Any, fn: Callable[[Any], T]) -> T:
        with con.transaction(), con.cursor() as cur:
            return fn(cur)

    def known(self, cur: Any, ids: list[str]) -> list[tuple[str, str]]:
        cur.execute(f"SELECT event_id, redis_key FROM {self.table} WHERE event_id = ANY(%s)", (ids,))
        return cur.fetchall()

    def taken(self, cur: Any, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        cur.execute(
            f"SELECT user_id, timestamp_us FROM {self.table} WHERE (user_id, timestamp_us) IN "
            "(SELECT * FROM unnest(%s::bigint[], %s::bigint[]))",
            ([u for u, _ in pairs], [t for _, t in pairs]),
        )
        return cur.fetchall()

    def insert(self, cur: Any, rows: list[Row]) -> None:
        cols = list(zip(*rows, strict=True))
        cur.execute(
            f"INSERT INTO {self.table} (event_id, user_id, timestamp_us, redis_key, event) "
            "SELECT * FROM unnest(%s::text[], %s::bigint[], %s::bigint[], %s::text[], %s::text[]) "
            "ON CONFLICT (event_id) DO NOTHING",
            [list(c) for c in cols],
        )


class _MySQL:
    def __init__(self, source: Any, table: str) -> None:
        from ai_identity.sources.mysql import MySQLConnector

        self.connector = MySQLConnector(source)
        self.errors = (self.connector.pymysql.err.Error,)
        self.table = self.connector.qualified(table)

    def connect(self) -> Any:
        return self.connector.connect()

    def create(self, con: Any) -> None:
        with con.cursor() as cur:
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (seq BIGINT AUTO_INCREMENT PRIMARY KEY, "
                "event_id VARCHAR(64) NOT NULL, user_id BIGINT NOT NULL, timestamp_us BIGINT NOT NULL, "
                "redis_key VARCHAR(200) NOT NULL, received_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
                "event MEDIUMTEXT NOT NULL, UNIQUE KEY event_id (event_id), KEY user_ts (user_id, timestamp_us)) "
                "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            )

    def transaction(self, con: Any, fn: Callable[[Any], T]) -> T:
        con.begin()
        try:
            with con.cursor() as cur:
                out = fn(cur)
        except BaseException:
            con.rollback()
            raise
        con.commit()
        return out

    def known(self, cur: Any, ids: list[str]) -> list[tuple[str, str]]:
        marks = ",".join(["%s"] * len(ids))
        cur.execute(f"SELECT event_id, redis_key FROM {self.table} WHERE event_id IN ({marks})", ids)
        return list(cur.fetchall())

    def taken(self, cur: Any, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        marks = ",".join(["(%s,%s)"] * len(pairs))
        args = [x for p in pairs for x in p]
        cur.execute(
            f"SELECT user_id, timestamp_us FROM {self.table} WHERE (user_id, timestamp_us) IN ({marks})", args
        )
        return list(cur.fetchall())

    def insert(self, cur: Any, rows: list[Row]) -> None:
        cur.executemany(
            f"INSERT IGNORE INTO {self.table} (event_id, user_id, timestamp_us, redis_key, event) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


class _SqlReader(EventReader):
    def __init__(self, log: SqlEventLog) -> None:
        self._log, self._con = log, None

    def events_of(self, user_id: int) -> list[str]:
        d = self._log.dialect
        sql = f"SELECT event FROM {d.table} WHERE user_id = %s ORDER BY timestamp_us, seq"
        for attempt in (0, 1):  # one reconnect: the server may have restarted since the last read
            try:
                if self._con is None:
                    self._con = d.connect()
                with self._con.cursor() as cur:
                    cur.execute(sql, (user_id,))
                    return [doc for (doc,) in cur.fetchall()]
            except d.errors:
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close; dropped either way
                con.close()


class SqlEventLog(EventLog):
    """The event log in a ``postgres`` or ``mysql`` source's database (see the module docstring)."""

    def __init__(self, source: Any, table: str = DEFAULT_TABLE) -> None:
        self.dialect: _Postgres | _MySQL = (_Postgres if source.kind == "postgres" else _MySQL)(source, table)
        self.name = f"{source.label()}:{table}"
        self._lock = threading.Lock()
        self._con: Any = None
        try:
            self._run(lambda con: self.dialect.create(con))
        except SourceError:
            raise
        except self.dialect.errors as exc:  # a concurrent CREATE from a second worker: the table exists now
            try:
                self._run(lambda con: self.dialect.create(con))
            except self.dialect.errors:
                raise SourceError(
                    f"event log {self.name}: cannot create the table ({type(exc).__name__})"
                ) from None

    def _run(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn`` on the connection (opened on demand); a driver error drops the connection and is
        raised as SourceError (class name only: a driver message may name a host or a value)."""
        with self._lock:
            try:
                if self._con is None:
                    self._con = self.dialect.connect()
                return fn(self._con)
            except self.dialect.errors as exc:
                self._drop()
                raise SourceError(
                    f"event log {self.name}: {type(exc).__name__}; nothing was written"
                ) from None
            except BaseException:
                self._drop()
                raise

    def _drop(self) -> None:
        con, self._con = self._con, None
        if con is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close; dropped either way
                con.close()

    def append(self, events: list[tuple[TrackEvent, str]]) -> list[Accepted]:
        d = self.dialect

        def work(cur: Any) -> list[Accepted]:
            ids = list(dict.fromkeys(eid for _, eid in events))
            pairs = list(dict.fromkeys((ev.user_id, ev.timestamp_us()) for ev, _ in events))
            known = {e: k for chunk in chunks(ids) for e, k in d.known(cur, chunk)}
            taken = {(int(u), int(t)) for chunk in chunks(pairs) for u, t in d.taken(cur, chunk)}
            rows, out = plan_append(events, known, taken)
            if rows:
                d.insert(cur, rows)
            return out

        return self._run(lambda con: d.transaction(con, work))

    def count(self, event_id: str | None = None) -> int:
        d = self.dialect

        def work(con: Any) -> int:
            with con.cursor() as cur:
                if event_id is None:
                    cur.execute(f"SELECT count(*) FROM {d.table}")
                else:
                    cur.execute(f"SELECT count(*) FROM {d.table} WHERE event_id = %s", (event_id,))
                return int(cur.fetchone()[0])

        return self._run(work)

    def event_ids(self) -> set[str]:
        def work(con: Any) -> set[str]:
            with con.cursor() as cur:
                cur.execute(f"SELECT event_id FROM {self.dialect.table}")
                return {e for (e,) in cur.fetchall()}

        return self._run(work)

    def erase_user(self, user_id: int) -> int:
        def work(cur: Any) -> int:
            cur.execute(f"DELETE FROM {self.dialect.table} WHERE user_id = %s", (user_id,))
            return int(cur.rowcount)

        return self._run(lambda con: self.dialect.transaction(con, work))

    def reader(self) -> EventReader:
        return _SqlReader(self)

    def close(self) -> None:
        with self._lock:
            self._drop()
