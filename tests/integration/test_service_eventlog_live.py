"""The service's event log in the live PostgreSQL and MariaDB (a fresh schema / database per run, dropped
afterwards): the same append plan as SQLite (duplicates, shared seed keys), one transaction per group, erasure,
the updater's reads, and ``POST /v1/track`` through the real app with the log in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ai_identity.config import MySQLSource, PostgresSource
from ai_identity.service.eventlog_sql import SqlEventLog
from ai_identity.service.events import TrackEvent

pytestmark = pytest.mark.integration


def _event(user_id: int, second: int, **over: Any) -> TrackEvent:
    body = {
        "user_id": user_id,
        "session_id": "s-live",
        "action_type": "view",
        "action_target": "job",
        "duration": 3,
        "timestamp": datetime(2026, 11, 20, 10, 0, second, 250, tzinfo=UTC),
        **over,
    }
    return TrackEvent.model_validate(body)


@pytest.fixture(params=["postgres", "mysql"])
def source(request: pytest.FixtureRequest) -> Any:
    if request.param == "postgres":
        pg = request.getfixturevalue("postgres")
        return PostgresSource(
            kind="postgres", port=pg["port"], database=pg["database"], schema=pg["schema"], name="pg"
        )
    my = request.getfixturevalue("mariadb")
    src = MySQLSource(kind="mysql", port=my["port"], database=my["database"], name="my")
    from ai_identity.sources.mysql import MySQLConnector

    con = MySQLConnector(src).connect(database=False)
    with con.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS `{my['database']}` CHARACTER SET utf8mb4")
    con.close()
    return src


@pytest.fixture
def log(source: Any) -> Iterator[SqlEventLog]:
    table = "aiid_event_log_" + source.kind
    log = SqlEventLog(source, table)
    yield log

    def drop(con: Any) -> None:
        with con.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {log.dialect.table}")

    log._run(drop)
    log.close()


def test_when_a_group_is_appended_then_duplicates_and_shared_keys_follow_the_plan(log: SqlEventLog) -> None:
    a, b = _event(5, 1), _event(5, 1, action_type="search")  # same user and microsecond: one seed key
    c = _event(6, 2)
    got = log.append([(a, "id-a"), (b, "id-b"), (c, "id-c"), (a, "id-a")])
    ts = a.timestamp_us()
    assert [(x.event_id, x.redis_key, x.duplicate) for x in got] == [
        ("id-a", f"behavior:5:{ts}", False),
        ("id-b", f"behavior:5:{ts}:id-b", False),
        ("id-c", f"behavior:6:{c.timestamp_us()}", False),
        ("id-a", f"behavior:5:{ts}", True),
    ]
    again = log.append([(c, "id-c"), (_event(5, 1, duration=9), "id-d")])
    assert [(x.duplicate, x.redis_key) for x in again] == [
        (True, f"behavior:6:{c.timestamp_us()}"),
        (False, f"behavior:5:{ts}:id-d"),  # the pair is taken by an earlier transaction
    ]
    assert log.count() == 4 and log.count("id-b") == 1
    assert log.event_ids() == {"id-a", "id-b", "id-c", "id-d"}
    reader = log.reader()
    try:
        docs = reader.events_of(5)
        assert [d.count('"event_id"') for d in docs] == [1, 1, 1]
        assert '"action_type": "search"' in docs[1]  # oldest first, then in arrival order
    finally:
        reader.close()
    assert log.erase_user(5) == 3
    assert log.event_ids() == {"id-c"}


def test_when_the_connection_is_lost_then_the_next_append_reconnects(log: SqlEventLog) -> None:
    log.append([(_event(8, 3), "before")])
    log._con.close()  # as when the server restarts: the open connection is dead
    with pytest.raises(Exception, match="nothing was written"):
        log.append([(_event(8, 4), "lost")])
    assert [x.duplicate for x in log.append([(_event(8, 4), "lost")])] == [False]
    assert log.event_ids() == {"before", "lost"}


@pytest.fixture(scope="module")
def small_platform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ai_identity.cli import main

    out = tmp_path_factory.mktemp("svc-live") / "P"
    assert main(["generate", "--users", "20", "--seed", "3", "--out", str(out)]) == 0
    assert main(["build", "--platform", str(out)]) == 0
    return out


def test_when_the_service_tracks_with_a_database_log_then_the_row_is_there(
    small_platform: Path, source: Any
) -> None:
    from fastapi.testclient import TestClient

    from ai_identity.service import Services, ServiceSettings, create_app

    table = "aiid_event_log_app_" + source.kind
    settings = ServiceSettings(
        platform=small_platform, redis_url=None, event_log=source, event_log_table=table
    )
    services = Services.open(settings)
    key = services.keys.create(("track:write",))
    body = {
        "user_id": 3,
        "session_id": "s1",
        "action_type": "view",
        "action_target": "job",
        "duration": 4,
        "timestamp": "2026-11-20T10:00:00Z",
        "event_id": "web-1",
    }
    try:
        with TestClient(create_app(settings, services)) as client:
            first = client.post("/v1/track", json=body, headers={"Authorization": f"Bearer {key}"})
            retry = client.post("/v1/track", json=body, headers={"Authorization": f"Bearer {key}"})
        assert first.status_code == 200 and first.json()["accepted"] == 1
        assert retry.status_code == 200 and retry.json()["duplicates"] == 1
        assert services.event_log.event_ids() == {"web-1"}
        assert services.event_log.name == f"{source.label()}:{table}"
    finally:

        def drop(con: Any) -> None:
            with con.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {services.event_log.dialect.table}")

        services.event_log._run(drop)
        services.close()
