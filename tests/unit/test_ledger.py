"""The privacy-budget ledger: sequential composition per dataset, refused past the total, across processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ai_identity.errors import UsageError
from ai_identity.privacy.dp import Plan, release
from ai_identity.privacy.ledger import BudgetExceededError, PrivacyLedger


def test_when_charges_fit_then_spent_and_remaining_add_up(tmp_path: Path) -> None:
    with PrivacyLedger(tmp_path / "ledger.sqlite", default_total=1.0) as ledger:
        ledger.charge("d", 0.25, "count")
        budget = ledger.charge("d", 0.5, "count")
        assert budget.spent == pytest.approx(0.75)
        assert budget.remaining == pytest.approx(0.25)
        assert budget.queries == 2
        assert [q for _, q, _, _ in ledger.history("d")] == ["count", "count"]


def test_when_charge_would_exceed_total_then_refused_and_nothing_recorded(tmp_path: Path) -> None:
    with PrivacyLedger(tmp_path / "ledger.sqlite") as ledger:
        ledger.charge("d", 0.9, "count", total=1.0)
        with pytest.raises(BudgetExceededError, match="nothing was released"):
            ledger.charge("d", 0.2, "mean-experience")
        assert ledger.status("d").spent == pytest.approx(0.9)
        assert ledger.status("d").queries == 1


def test_when_budget_is_exactly_used_then_last_charge_fits(tmp_path: Path) -> None:
    with PrivacyLedger(tmp_path / "ledger.sqlite") as ledger:
        for _ in range(10):
            ledger.charge("d", 0.1, "count", total=1.0)
        assert ledger.status("d").remaining == pytest.approx(0.0, abs=1e-9)


def test_when_datasets_differ_then_budgets_are_separate(tmp_path: Path) -> None:
    with PrivacyLedger(tmp_path / "ledger.sqlite") as ledger:
        ledger.charge("a", 1.0, "count", total=1.0)
        assert ledger.charge("b", 1.0, "count", total=1.0).remaining == pytest.approx(0.0)


def test_when_total_is_lowered_below_spent_then_refused(tmp_path: Path) -> None:
    with PrivacyLedger(tmp_path / "ledger.sqlite") as ledger:
        ledger.charge("d", 0.6, "count", total=1.0)
        with pytest.raises(UsageError, match="already spent"):
            ledger.set_total("d", 0.5)
        assert ledger.set_total("d", 2.0).remaining == pytest.approx(1.4)


def test_when_ledger_reopened_then_budget_persists(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with PrivacyLedger(path) as ledger:
        ledger.charge("d", 0.3, "count", total=0.5)
    with PrivacyLedger(path) as ledger, pytest.raises(BudgetExceededError):
        ledger.charge("d", 0.3, "count")


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf")])
def test_when_epsilon_is_not_positive_finite_then_usage_error(tmp_path: Path, bad: float) -> None:
    with PrivacyLedger(tmp_path / "ledger.sqlite") as ledger, pytest.raises(UsageError):
        ledger.charge("d", bad, "count")


class _SpyMeasurement:
    """Prices like a measurement but fails the test if it is ever run."""

    def __init__(self, epsilon: float) -> None:
        self.epsilon = epsilon
        self.called = False

    def map(self, d_in: int) -> float:
        return self.epsilon

    def __call__(self, data: object) -> object:
        self.called = True
        return 0


def test_when_budget_refuses_then_measurement_never_runs(tmp_path: Path) -> None:
    spy = _SpyMeasurement(0.7)
    plan = Plan("count", spy, [1, 2], 1, "spy", {}, {}, "", lambda noisy: {})
    with PrivacyLedger(tmp_path / "ledger.sqlite") as ledger:
        ledger.charge("d", 0.5, "count", total=1.0)
        with pytest.raises(BudgetExceededError):
            release(plan, ledger, dataset="d")
    assert spy.called is False


_SPENDER = textwrap.dedent(
    """
    import sys, time
    from ai_identity.privacy.ledger import BudgetExceededError, PrivacyLedger
    path, start = sys.argv[1], float(sys.argv[2])
    ledger = PrivacyLedger(path)
    while time.time() < start:
        time.sleep(0.001)
    ok = 0
    for _ in range(40):
        try:
            ledger.charge("shared", 0.05, "count", total=1.0)
            ok += 1
        except BudgetExceededError:
            pass
    print(ok)
    """
)


def test_when_two_processes_spend_concurrently_then_total_never_exceeds_budget(tmp_path: Path) -> None:
    import time

    path = tmp_path / "ledger.sqlite"
    PrivacyLedger(path).close()  # create the schema once, so both start from the same file
    start = str(time.time() + 1.5)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SPENDER, str(path), start], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    granted = [int(p.communicate(timeout=120)[0].strip()) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    with PrivacyLedger(path) as ledger:
        budget = ledger.status("shared")
    # 80 attempts at 0.05 against a total of 1.0: exactly 20 fit, whichever process got them
    assert sum(granted) == 20
    assert budget.queries == 20
    assert budget.spent <= 1.0 + 1e-9
