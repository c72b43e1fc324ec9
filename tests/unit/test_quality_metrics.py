"""Each quality metric and check on a tiny hand-made platform whose answers are worked out by hand."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from ai_identity.quality.config import QualityConfig
from ai_identity.quality.gates import QualityRun, evaluate
from ai_identity.sources.embedded import layout as L

AS_OF = datetime(2026, 11, 1, 12, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def vec(dim: int) -> bytes:
    return np.ones(dim, dtype="<f4").tobytes()


def _insert(con: sqlite3.Connection, table: str, rows: list[tuple]) -> None:
    for row in rows:
        con.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})", row)


def make_platform(root: Path) -> Path:
    """Four users with one known fault of each kind (see the assertions for the worked answers)."""
    root.mkdir(parents=True)
    (root / L.META_FILE).write_text(json.dumps({"layout_version": 1, "as_of": stamp(AS_OF)}))
    con = sqlite3.connect(root / L.PLATFORM_DB)
    for model in L.PLATFORM_TABLES:
        con.execute(L.create_table_sql(model))
    jan = stamp(datetime(2026, 1, 1, tzinfo=UTC))
    _insert(
        con,
        "users",
        [
            (
                1,
                "alice_1",
                "a1@example.com",
                "+86 138 1234 5678",
                jan,
                stamp(datetime(2026, 6, 1, tzinfo=UTC)),
                "active",
            ),
            (2, "bob_2", "b2#example.com", "13812", jan, jan, "active"),
            (3, "carol_3", "A1@example.com ", "13812345678", jan, jan, "active"),
            (4, "dan_4", "d4@example.com", "+44 7700 900123", jan, jan, "inactive"),
        ],
    )
    profile = (
        "Name",
        "https://cdn.example.com/a.png",
        "bio",
        "Hangzhou",
        "internet",
        5.0,
        "bachelor",
        "Python",
    )
    _insert(
        con,
        "user_profiles",
        [
            (1, *profile),
            (2, *profile[:3], None, *profile[4:]),
            (3, *profile),
            (3, *profile[:4], "retail", *profile[5:]),
        ],
    )
    _insert(
        con,
        "user_settings",
        [
            (u, "en", tz, "{}", "{}", "{}", "medium")
            for u, tz in ((1, "Asia/Shanghai"), (2, "EST"), (3, None), (4, "UTC"))
        ],
    )
    _insert(
        con,
        "resumes",
        [
            (11, 1, "t", "hello", "upload", 1, "published", 1, 0, 0, 0, jan, jan),
            (31, 3, "t", "abc", "upload", 1, "published", 1, 0, 0, 0, jan, jan),
        ],
    )
    _insert(
        con,
        "user_embeddings",
        [
            (1, vec(8), vec(4), vec(16), stamp(AS_OF - timedelta(days=10))),
            (2, vec(8), vec(4), vec(16), stamp(AS_OF - timedelta(days=200))),
            (3, vec(8), vec(4), vec(13), stamp(AS_OF - timedelta(days=1))),
        ],
    )
    ev = [
        (1, "s1", "view", "job", None, "{}", "ua", "10.0.0.1", 5, 1, stamp(AS_OF - timedelta(hours=1)), "e1"),
        (1, "s1", "view", "job", None, "{}", "ua", "10.0.0.1", 3, 1, stamp(AS_OF - timedelta(days=8)), "e2"),
        (1, "s1", "view", "job", None, "{}", "ua", "10.0.0.1", 3, 1, stamp(AS_OF - timedelta(days=8)), "e2"),
        (3, "s3", "view", "job", None, "{}", "ua", "10.0.0.3", -1, 1, stamp(AS_OF - timedelta(days=1)), "e4"),
        (3, "s3", "view", "job", None, "{}", "ua", "10.0.0.3", 2, 1, stamp(AS_OF + timedelta(days=2)), "e5"),
        (
            3,
            "s3",
            "veiw",
            "job",
            None,
            "{bad",
            "ua",
            "10.0.0.3",
            2,
            1,
            stamp(datetime(2025, 12, 1, tzinfo=UTC)),
            "e6",
        ),
    ]
    _insert(con, "user_behavior_analysis", ev)
    # user 1 logged in during week 0 (which has events) and week 2 (which has none)
    _insert(
        con,
        "user_sessions",
        [
            (
                1,
                f"s{k}",
                "10.0.0.1",
                "ua",
                stamp(AS_OF - timedelta(days=d)),
                stamp(AS_OF - timedelta(days=d)),
                60,
                1,
            )
            for k, d in ((1, 1), (2, 15))
        ],
    )
    con.commit()
    con.close()
    (root / L.USERS_DIR).mkdir()
    for uid, rid, copy, work in (
        (1, 11, "hello", [{"company": "A", "title": "B", "start": "2020-01", "end": "2019-01"}]),
        (3, 31, "abcd", []),
    ):
        p = sqlite3.connect(L.user_db_path(root, uid))
        for model in L.PRIVATE_TABLES:
            p.execute(L.create_table_sql(model))
        _insert(
            p, "resume_content", [(rid, "t", copy, copy, hashlib.sha256(copy.encode()).hexdigest(), jan, jan)]
        )
        _insert(
            p, "parsed_resume_data", [(rid, "{}", json.dumps(work), "[]", "[]", "[]", "[]", "[]", 0.5, "v")]
        )
        p.commit()
        p.close()
    (root / L.GRAPH_DIR).mkdir()
    (root / L.GRAPH_DIR / "User.csv").write_text(
        "id,username,industry,location\ng-1,alice_1,internet,x\ng-9,old_bob,internet,x\n"
    )
    return root


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> QualityRun:
    return evaluate(make_platform(tmp_path_factory.mktemp("q") / "p"), QualityConfig())


def check(run: QualityRun, name: str) -> tuple[int, list[str]]:
    c = next(c for c in run.checks if c.name == name)
    return c.checked, sorted(c.failed["record"].to_list())


@pytest.mark.parametrize(
    ("name", "checked", "failed"),
    [
        ("users.email format", 4, ["users:2:email"]),
        ("users.phone format", 4, ["users:2:phone"]),
        ("user_settings.timezone format", 3, ["user_settings:2:timezone"]),
        ("user_settings.timezone filled", 4, ["user_settings:3:timezone"]),
        ("user_profiles.location filled", 4, ["user_profiles:2:location"]),
        ("users.email one account", 4, ["users:3:email"]),
        ("user_profiles one row per user", 3, ["user_profiles:3"]),
        ("resumes.content = resume_content copy", 2, ["resumes:31"]),
        ("events.event_id unique", 5, ["user_behavior_analysis:e2"]),
        ("events.duration >= 0", 6, ["user_behavior_analysis:e4"]),
        ("events not in the future", 6, ["user_behavior_analysis:e5"]),
        ("events after sign-up", 6, ["user_behavior_analysis:e6"]),
        ("user_behavior_analysis.action_type allowed value", 6, ["user_behavior_analysis:e6:action_type"]),
        ("user_behavior_analysis.action_details JSON", 6, ["user_behavior_analysis:e6:action_details"]),
        ("user_embeddings.behavior_vector dimension", 3, ["user_embeddings:3:behavior_vector"]),
        ("user_embeddings.created_at age", 3, ["user_embeddings:2"]),
        ("graph User.username known", 2, ["graph:User:g-9"]),
        ("parsed work end >= start", 1, ["parsed_resume_data:1:11"]),
    ],
)
def test_when_a_record_is_broken_then_its_check_names_it(
    run: QualityRun, name: str, checked: int, failed: list[str]
) -> None:
    assert check(run, name) == (checked, failed)


def test_source_coverage_is_the_share_of_users_per_store(run: QualityRun) -> None:
    parts = run.metrics["source_coverage"].parts
    assert parts["user_profiles"] == 0.75 and parts["user_settings"] == 1.0 and parts["resumes"] == 0.5
    assert parts["user_behavior_analysis"] == 0.5 and parts["graph"] == 0.25 and parts["mongodb"] == 0.0
    assert run.metrics["source_coverage"].value == pytest.approx(sum(parts.values()) / len(parts))


def test_field_completeness_is_the_mean_filled_share_over_fields(run: QualityRun) -> None:
    m = run.metrics["field_completeness"]
    assert m.parts["user_settings.timezone"] == 0.75 and m.parts["user_profiles.location"] == 0.75
    assert m.value == pytest.approx(sum(m.parts.values()) / len(m.parts))


def test_timeseries_completeness_counts_weekly_buckets_of_active_users(run: QualityRun) -> None:
    # users 1 and 3 are active with events; 90 days back from as_of = 13 weekly buckets each; user 1 has events
    # in buckets 0 and 1, user 3 in bucket 0 only (its other events are in the future or before sign-up)
    assert run.metrics["timeseries_completeness"].value == pytest.approx(3 / 26)


def test_timeseries_completeness_reports_login_buckets_with_events(run: QualityRun) -> None:
    # user 1's logins fall in weeks 0 and 2; only week 0 has events
    assert run.metrics["timeseries_completeness"].parts["buckets with a login that have events"] == 0.5


def test_accuracy_metrics_are_mean_pass_rates_of_their_checks(run: QualityRun) -> None:
    for dim, name in (
        ("consistency", "consistency"),
        ("format", "format_correctness"),
        ("logical", "logical_consistency"),
    ):
        rates = [c.pass_rate for c in run.checks if c.dimension == dim and c.pass_rate is not None]
        assert run.metrics[name].value == pytest.approx(sum(rates) / len(rates))
    assert run.metrics["consistency"].parts["resumes.content = resume_content copy"] == 0.5


def test_freshness_is_hours_since_the_newest_event_not_after_as_of(run: QualityRun) -> None:
    assert run.metrics["freshness_hours"].value == pytest.approx(1.0)
    assert run.metrics["freshness_hours"].parts["embeddings"] == pytest.approx(24.0)


def test_latency_and_relevance_are_not_measured_without_service_or_identities(run: QualityRun) -> None:
    status = {g.metric: g.status for g in run.gates}
    assert status["latency_seconds"] == "not measured" and status["relevance"] == "not measured"


def test_findings_never_carry_values(run: QualityRun) -> None:
    text = run.findings().write_csv()
    assert "example.com" not in text and "13812" not in text
