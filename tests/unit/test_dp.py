"""Differentially private releases: noise scale from ε and the user-level cap, declared categories only,
intervals that cover the truth, and the `stats` command charging the ledger and writing the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_identity.cli import main
from ai_identity.privacy.audit import AuditLog
from ai_identity.privacy.dp import HOUR_UNITS, count_plan, histogram_plan, mean_plan, release
from ai_identity.privacy.dp_queries import HOURS, hour_rows
from ai_identity.privacy.ledger import PrivacyLedger


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0, 3.0])
def test_when_count_is_released_then_noise_scale_is_one_over_epsilon(epsilon: float) -> None:
    result = release(count_plan(range(100), epsilon), None)
    assert result.noise_scale["count"] == pytest.approx(1 / epsilon, rel=1e-9)
    assert result.sensitivity["count"] == 1
    assert result.epsilon <= epsilon + 1e-12


@pytest.mark.parametrize(("cap", "epsilon"), [(24, 1.0), (24, 0.25), (10, 0.5), (1, 2.0)])
def test_when_histogram_is_released_then_scale_is_cap_over_epsilon(cap: int, epsilon: float) -> None:
    plan = histogram_plan("h", ["a", "b"], ["a", "b", "c"], cap, epsilon, contribution="test")
    assert plan.noise_scale["per_category"] == pytest.approx(cap / epsilon, rel=1e-9)
    assert plan.epsilon == pytest.approx(epsilon, rel=1e-9)


def test_when_hour_histogram_is_normalised_then_scale_in_users_is_one_over_epsilon() -> None:
    plan = histogram_plan(
        "activity-by-hour", [], HOURS, HOUR_UNITS, 0.5, divisor=HOUR_UNITS, contribution="t"
    )
    assert plan.noise_scale["per_category"] == pytest.approx(2.0, rel=1e-9)
    assert plan.d_in == 24


@pytest.mark.parametrize("epsilon", [0.2, 1.0])
def test_when_mean_is_released_then_epsilon_is_split_between_sum_and_count(epsilon: float) -> None:
    plan = mean_plan([1.0, 2.0, 70.0], epsilon, (0.0, 50.0))
    # OpenDP's float sum adds a tiny rounding allowance to the sensitivity 50
    assert plan.noise_scale["sum"] == pytest.approx(50 / (epsilon / 2), rel=1e-6)
    assert plan.noise_scale["count"] == pytest.approx(1 / (epsilon / 2), rel=1e-9)
    assert plan.epsilon <= epsilon * (1 + 1e-9)


_labels = st.text(alphabet="abcdefgh", min_size=1, max_size=3)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    categories=st.lists(_labels, min_size=1, max_size=12, unique=True),
    rows=st.lists(_labels, max_size=200),
)
def test_when_any_rows_are_released_then_only_declared_categories_appear(
    categories: list[str], rows: list[str]
) -> None:
    result = release(histogram_plan("h", rows, categories, 3, 1.0, contribution="t"), None)
    assert list(result.estimates) == categories
    for est in result.estimates.values():
        assert est.low <= est.value <= est.high or est.value < 0


def test_when_count_is_released_repeatedly_then_interval_covers_truth() -> None:
    # 400 releases with a nominal 95% interval: fewer than 360 hits would be > 4 standard deviations off
    hits = 0
    for _ in range(400):
        est = release(count_plan(range(500), 1.0), None).estimates["count"]
        hits += est.low <= 500 <= est.high
    assert hits >= 360


def test_when_histogram_is_released_repeatedly_then_per_category_intervals_cover_truth() -> None:
    truth = {"a": 40, "b": 7, "c": 0}
    rows = [c for c, n in truth.items() for _ in range(n)]
    hits = total = 0
    for _ in range(150):
        result = release(histogram_plan("h", rows, list(truth), 2, 1.0, contribution="t"), None)
        for c, n in truth.items():
            total += 1
            hits += result.estimates[c].low <= n <= result.estimates[c].high
    assert hits / total >= 0.90


def test_when_mean_is_released_repeatedly_then_interval_covers_truth() -> None:
    values = [float(v % 31) for v in range(400)]
    true_mean = sum(values) / len(values)
    hits = 0
    for _ in range(200):
        est = release(mean_plan(values, 2.0), None).estimates["mean"]
        hits += est.low <= true_mean <= est.high
    assert hits >= 180


def test_when_events_are_spread_over_hours_then_each_user_contributes_exactly_24_rows() -> None:
    base = datetime(2026, 3, 2, tzinfo=UTC)
    events = pl.DataFrame(
        {
            "user_id": [1] * 7 + [2] * 500 + [3],
            "ts": [base + timedelta(hours=h) for h in (0, 0, 1, 5, 9, 13, 23)]
            + [base + timedelta(minutes=7 * i) for i in range(500)]
            + [base],
        }
    )
    rows = hour_rows(events, {1: "UTC", 2: "Asia/Shanghai", 4: "UTC"})  # user 3: no zone, dropped
    assert len(rows) == 2 * HOUR_UNITS
    assert set(rows) <= set(HOURS)
    one = hour_rows(events.filter(pl.col("user_id") == 1), {1: "UTC"})
    assert sorted(set(one), key=int) == ["0", "1", "5", "9", "13", "23"]
    assert one.count("0") >= one.count("1")  # two events at midnight, one at 1 am


def test_when_events_are_in_a_zone_then_hours_are_local() -> None:
    events = pl.DataFrame({"user_id": [1], "ts": [datetime(2026, 3, 2, 1, tzinfo=UTC)]})
    assert set(hour_rows(events, {1: "Asia/Shanghai"})) == {"9"}


def test_when_stats_cli_runs_then_budget_is_charged_audited_and_enforced(
    built_platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger, audit = tmp_path / "ledger.sqlite", tmp_path / "audit.sqlite"
    common = ["--platform", str(built_platform.root), "--ledger", str(ledger), "--audit", str(audit)]
    for query in ("count", "mean-experience", "activity-by-hour"):
        argv = ["stats", *common, "--query", query, "--epsilon", "0.3", "--budget", "1.0", "--json"]
        assert main(argv) == 0
        out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert out["query"] == query and out["epsilon"] <= 0.3 + 1e-9
        assert out["estimates"] and out["noise_scale"]
    assert list(json.loads(json.dumps(out))["estimates"]) == list(HOURS)
    argv = ["stats", *common, "--query", "skills-by-industry", "--epsilon", "0.3"]
    assert main(argv) == 1
    assert "budget" in capsys.readouterr().err
    with PrivacyLedger(ledger) as book:
        assert book.status("platform").spent == pytest.approx(0.9)
    with AuditLog(audit) as log:
        entries = log.entries()
        assert log.verify().ok
    assert [e.action for e in entries] == ["dp.release"] * 3
    assert all(e.subject is None for e in entries)


def test_when_skills_by_industry_is_released_then_cells_are_declared_pairs(
    built_platform, tmp_path: Path
) -> None:
    from ai_identity.features.taxonomy import load_taxonomy
    from ai_identity.privacy.categories import INDUSTRIES
    from ai_identity.privacy.dp_queries import plan_query

    plan = plan_query(built_platform.root, "skills-by-industry", 1.0)
    assert plan.d_in == 10 and plan.noise_scale["per_category"] == pytest.approx(10.0)
    result = release(plan, None)
    assert len(result.estimates) == len(INDUSTRIES) * len(load_taxonomy().ids())
    people = {r.split("|")[0] for r in plan.data}
    assert people <= set(INDUSTRIES)
