"""Source faults without servers: a source that stays down is left out for the rest of the run and named;
identity writes are all-or-nothing per batch."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from ai_identity.config import RedisSource
from ai_identity.sources.base import Connector, ReadReport, UserRecords, without_source
from ai_identity.store.identities import IdentityStore


class Flaky(Connector):
    kind = "redis"
    transient = (ConnectionError,)

    def __init__(self, failures: int) -> None:
        self.slept: list[float] = []
        super().__init__(RedisSource(kind="redis", retries=2, backoff_seconds=0.5), sleep=self.slept.append)
        self.failures, self.calls = failures, 0

    def connect(self) -> Any:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("refused")
        return object()


def test_when_a_source_recovers_within_its_retries_then_guarded_returns_the_value() -> None:
    conn, report = Flaky(failures=2), ReadReport()
    assert conn.guarded(lambda: conn.retry("read", lambda: 7), report) == 7
    assert conn.slept == [0.5, 1.0]  # exponential backoff
    assert conn.down == "" and report.down() == {}


def test_when_a_source_stays_down_then_it_is_marked_once_and_not_retried_again() -> None:
    conn, report = Flaky(failures=99), ReadReport()
    assert conn.guarded(lambda: conn.retry("read", lambda: 7), report) is None
    assert conn.calls == 3  # the first attempt and two retries
    assert report.down() == {
        "redis": "source redis (redis): read failed after 3 attempt(s) (ConnectionError)"
    }
    assert conn.guarded(lambda: conn.retry("read", lambda: 7), ReadReport()) is None
    assert conn.calls == 3  # down for the rest of the run: no more waiting on it
    merged = ReadReport()
    merged.merge(report)
    assert merged.as_dict()["sources"]["redis"]["down"].startswith("source redis (redis)")


def test_when_a_source_fails_then_bundles_lose_its_records_and_name_it() -> None:
    b = UserRecords(1, ai_analyses=["half-read"], profiles=["kept"])  # type: ignore[list-item]
    without_source({1: b}, "postgres", "source postgres (postgres): query failed", {"ai_analyses"})
    assert b.ai_analyses == [] and b.profiles == ["kept"]
    assert b.down == {"postgres": "source postgres (postgres): query failed"}
    assert b.missing["postgres"].startswith("unreachable during the build")


def test_when_a_batch_write_fails_midway_then_no_identity_of_it_is_visible(tmp_path) -> None:
    store = IdentityStore(tmp_path / "identities.sqlite")
    good = (1, 1, "h", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00", 0, "{}")
    bad = (2, 1, "h")  # a row the table refuses, after a good one in the same batch
    with pytest.raises(sqlite3.ProgrammingError):
        store.put_rows([good, bad], [])
    reader = sqlite3.connect(tmp_path / "identities.sqlite")
    assert reader.execute("SELECT count(*) FROM identities").fetchone() == (0,)
    reader.close()
    store.close()
