"""Ingest: the seed's event as an HTTP body, its id, and the durable event log with group commit.

An accepted event is first appended to the durable event log — ``identity/event_log.sqlite`` (WAL,
``synchronous=FULL``) on the embedded default, a PostgreSQL or MySQL table when configured
(:mod:`ai_identity.service.eventlog_sql`), unique on ``event_id`` — and only then copied to Redis as the seed's
``behavior:{user_id}:{timestamp_us}`` key with a 24 h TTL. Requests that wait at the same moment share one
database transaction and one Redis pipeline (:class:`GroupCommitter`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ai_identity.errors import RecordError
from ai_identity.model.records import UserBehaviorAnalysis

__all__ = [
    "MAX_INT",
    "Accepted",
    "EventLog",
    "EventReader",
    "GroupCommitter",
    "SqliteEventLog",
    "TrackEvent",
    "check_not_future",
    "chunks",
    "default_event_log_path",
    "derive_event_id",
    "plan_append",
]

MAX_INT = 2**63 - 1  # SQLite INTEGER; larger ids are refused as input, never a 500
REDIS_TTL_S = 86_400
RedisState = Literal["stored", "deferred"]
EVENT_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS event_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL,
  timestamp_us INTEGER NOT NULL, redis_key TEXT NOT NULL, received_at TEXT NOT NULL, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS event_log_user_ts ON event_log(user_id, timestamp_us);
"""


class TrackEvent(UserBehaviorAnalysis):
    """The seed's ``UserBehaviorAnalysis`` as an HTTP body: its rules, with every number bounded."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, title="TrackEvent")
    user_id: int = Field(ge=1, le=MAX_INT)
    action_target_id: int | None = Field(default=None, ge=0, le=MAX_INT)
    duration: int = Field(ge=0, le=2**31 - 1, description="seconds, ≥ 0")
    event_id: str | None = Field(
        default=None,
        pattern=EVENT_ID_PATTERN,
        description="makes retries idempotent; derived from the event's fields (SHA-256) when absent",
    )

    def timestamp_us(self) -> int:
        delta = self.timestamp - datetime(1970, 1, 1, tzinfo=UTC)
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds

    def seed_value(self, event_id: str) -> dict[str, Any]:
        """The JSON value of the seed's Redis key (the platform's own layout, timestamp in UTC with ``Z``)."""
        body = self.model_dump(mode="json", exclude={"event_id"})
        body["timestamp"] = self.timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        body["event_id"] = event_id
        return body


def derive_event_id(event: TrackEvent) -> str:
    """A deterministic id from the event's fields: the same event sent twice gets the same id."""
    body = event.model_dump(mode="json", exclude={"event_id"})
    body["timestamp"] = event.timestamp_us()
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_not_future(event: TrackEvent, now: datetime, skew_s: float, where: str) -> None:
    if event.timestamp > now + timedelta(seconds=skew_s):
        raise RecordError(
            "event", where, f"a timestamp not later than now plus the {int(skew_s)} s clock-skew allowance"
        )


def default_event_log_path(platform: Path) -> Path:
    return Path(platform) / "identity" / "event_log.sqlite"


@dataclass(frozen=True)
class Accepted:
    event_id: str
    redis_key: str
    duplicate: bool
    value: str | None = field(default=None, compare=False, repr=False)  # the seed's JSON, for a new event


Row = tuple[str, int, int, str, str]  # event_id, user_id, timestamp_us, redis_key, event JSON
CHUNK = 500  # ids per lookup statement (well under every driver's parameter limit)


def chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def plan_append(
    items: list[tuple[TrackEvent, str]], known: dict[str, str], taken: set[tuple[int, int]]
) -> tuple[list[Row], list[Accepted]]:
    """What one group's append writes, whatever the store: ids already in the log (``known``: id -> its key)
    or earlier in the group are duplicates and get the key they got first; an event whose
    ``(user_id, timestamp_us)`` is already ``taken`` gets the event id appended to the seed's key."""
    rows: list[Row] = []
    out: list[Accepted] = []
    known = dict(known)
    for ev, eid in items:
        if eid in known:
            out.append(Accepted(eid, known[eid], True))
            continue
        ts = ev.timestamp_us()
        key = f"behavior:{ev.user_id}:{ts}"
        if (ev.user_id, ts) in taken:  # two events would share the seed's key: the id tells them apart
            key = f"{key}:{eid}"
        taken.add((ev.user_id, ts))
        known[eid] = key
        value = json.dumps(ev.seed_value(eid), ensure_ascii=False)
        rows.append((eid, ev.user_id, ts, key, value))
        out.append(Accepted(eid, key, False, value))
    return rows, out


class EventReader:
    """A read connection of the log (the identity updater's thread): a user's events, oldest first."""

    def events_of(self, user_id: int) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class EventLog:
    """The durable append-only event log. Subclasses (SQLite here, PostgreSQL and MySQL in
    :mod:`ai_identity.service.eventlog_sql`) give ``_lookup`` and ``_insert`` inside one transaction;
    the group's plan (:func:`plan_append`) is the same for all."""

    name = "event_log"  # where erasure receipts say the user's events were removed

    def append(self, events: list[tuple[TrackEvent, str]]) -> list[Accepted]:
        """Append ``(event, event_id)`` pairs in one transaction; a known id is a duplicate, not an error."""
        raise NotImplementedError  # pragma: no cover - abstract

    def count(self, event_id: str | None = None) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def event_ids(self) -> set[str]:  # pragma: no cover - abstract
        """Every id in the log (the durability test counts with it)."""
        raise NotImplementedError

    def erase_user(self, user_id: int) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def reader(self) -> EventReader:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class _SqliteReader(EventReader):
    def __init__(self, path: Path) -> None:
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False)

    def events_of(self, user_id: int) -> list[str]:
        sql = "SELECT event FROM event_log WHERE user_id=? ORDER BY timestamp_us, seq"
        return [doc for (doc,) in self._con.execute(sql, (user_id,))]

    def close(self) -> None:
        self._con.close()


class SqliteEventLog(EventLog):
    """The embedded default: ``identity/event_log.sqlite`` (one connection, used from one writer thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.name = f"identity/{self.path.name}:event_log"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=FULL")  # a 2xx means the event survives a crash or power loss
        self._con.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def append(self, events: list[tuple[TrackEvent, str]]) -> list[Accepted]:
        now = datetime.now(UTC).isoformat()
        with self._lock:
            con = self._con
            con.execute("BEGIN IMMEDIATE")
            try:
                ids = list(dict.fromkeys(eid for _, eid in events))
                pairs = list(dict.fromkeys((ev.user_id, ev.timestamp_us()) for ev, _ in events))
                known: dict[str, str] = {}
                for chunk in chunks(ids):
                    sql = f"SELECT event_id, redis_key FROM event_log WHERE event_id IN ({','.join('?' * len(chunk))})"
                    known.update(con.execute(sql, chunk).fetchall())
                taken: set[tuple[int, int]] = set()
                for chunk in chunks(pairs):
                    values = ",".join(["(?,?)"] * len(chunk))
                    sql = f"SELECT user_id, timestamp_us FROM event_log WHERE (user_id, timestamp_us) IN (VALUES {values})"
                    taken.update(con.execute(sql, [x for p in chunk for x in p]).fetchall())
                rows, out = plan_append(events, known, taken)
                con.executemany(
                    "INSERT INTO event_log (event_id, user_id, timestamp_us, redis_key, received_at, event) "
                    "VALUES (?,?,?,?,?,?)",
                    [(e, u, t, k, now, doc) for e, u, t, k, doc in rows],
                )
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        return out

    def count(self, event_id: str | None = None) -> int:
        with self._lock:
            if event_id is None:
                return int(self._con.execute("SELECT count(*) FROM event_log").fetchone()[0])
            sql = "SELECT count(*) FROM event_log WHERE event_id=?"
            return int(self._con.execute(sql, (event_id,)).fetchone()[0])

    def event_ids(self) -> set[str]:
        with self._lock:
            return {e for (e,) in self._con.execute("SELECT event_id FROM event_log")}

    def erase_user(self, user_id: int) -> int:
        with self._lock:
            self._con.execute("PRAGMA secure_delete=ON")
            cur = self._con.execute("DELETE FROM event_log WHERE user_id=?", (user_id,))
            return int(cur.rowcount)

    def reader(self) -> EventReader:
        return _SqliteReader(self.path)

    def close(self) -> None:
        with self._lock:
            self._con.close()


class RedisCopy:
    """The seed's Redis keys, written with one pipeline per group; after a failure, retried after a pause."""

    def __init__(self, client: Any | None, prefix: str, retry_after_s: float = 2.0) -> None:
        self.client, self.prefix, self.retry_after_s = client, prefix, retry_after_s
        self._down_until = 0.0

    def write(self, items: Iterable[tuple[str, str]]) -> RedisState:
        """``stored`` when Redis took every key, else ``deferred`` (the event log still holds them)."""
        if self.client is None or time.monotonic() < self._down_until:
            return "deferred"
        from redis.exceptions import RedisError

        try:
            pipe = self.client.pipeline(transaction=False)
            for key, value in items:
                pipe.set(self.prefix + key, value, ex=REDIS_TTL_S)
            pipe.execute()
        except (RedisError, OSError):
            self._down_until = time.monotonic() + self.retry_after_s
            return "deferred"
        return "stored"

    def erase_user(self, user_id: int) -> int:
        if self.client is None:
            return 0
        n = 0
        for key in self.client.scan_iter(match=f"{self.prefix}behavior:{user_id}:*", count=500):
            n += int(self.client.delete(key))
        return n


class GroupCommitter:
    """Group commit: requests arriving while a flush runs wait for the next one, which takes them all.

    The first waiting request leads (no background task, so it works under any event loop); the SQLite commit
    and the Redis pipeline run in one writer thread.
    """

    def __init__(self, log: EventLog, redis: RedisCopy) -> None:
        self.log, self.redis = log, redis
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="event-writer")
        self._pending: list[tuple[list[tuple[TrackEvent, str]], asyncio.Future[Any]]] = []
        self._busy = False
        self.flushes = 0  # transactions committed: fewer than requests when group commit shares them

    def _flush(self, items: list[tuple[TrackEvent, str]]) -> tuple[list[Accepted], RedisState]:
        accepted = self.log.append(items)
        self.flushes += 1
        values = {
            a.redis_key: a.value or json.dumps(ev.seed_value(a.event_id), ensure_ascii=False)
            for a, (ev, _) in zip(accepted, items, strict=True)
        }
        return accepted, self.redis.write(values.items())

    async def submit(self, items: list[tuple[TrackEvent, str]]) -> tuple[list[Accepted], RedisState]:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        self._pending.append((items, fut))
        if not self._busy:
            self._busy = True
            try:
                while self._pending:
                    group, self._pending = self._pending, []
                    await self._run(loop, group)
            finally:
                self._busy = False
        return await fut

    async def _run(self, loop: asyncio.AbstractEventLoop, group: list[Any]) -> None:
        flat = [item for items, _ in group for item in items]
        try:
            accepted, redis_state = await loop.run_in_executor(self._pool, self._flush, flat)
        except Exception as exc:
            for _, fut in group:
                if not fut.done():
                    fut.set_exception(exc)
            return
        at = 0
        for items, fut in group:
            if not fut.done():
                fut.set_result((accepted[at : at + len(items)], redis_state))
            at += len(items)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
