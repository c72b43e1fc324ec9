"""The privacy-budget ledger: one SQLite file holding, per dataset, the total ε and every ε spent.

Differentially private releases compose: k releases at ε₁…ε_k over the same people cost Σεᵢ (pure-DP
sequential composition). The ledger keeps that sum per dataset and refuses a charge that would take it past
the dataset's total **before** anything is released: callers charge first, then invoke the mechanism.

Every charge runs in a ``BEGIN IMMEDIATE`` transaction, which takes SQLite's write lock before reading the
spent sum, so two processes charging at once are serialised and the sum can never exceed the total. A charge
is never refunded: once noise may have been drawn, the ε is gone.

The ledger holds no per-user data (dataset names, ε values, query names and times only), so erasure has
nothing to remove here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ai_identity.errors import AIIdentityError, UsageError
from ai_identity.privacy._sqlite import SqliteFile

__all__ = [
    "DEFAULT_DATASET",
    "DEFAULT_TOTAL_EPSILON",
    "Budget",
    "BudgetExceededError",
    "PrivacyLedger",
    "default_ledger_path",
]

DEFAULT_DATASET = "platform"
DEFAULT_TOTAL_EPSILON = 1.0
# Float sums of ε may drift by a few ulps; a charge within this much of the total still fits.
_SLACK = 1e-9

_SCHEMA = """
CREATE TABLE IF NOT EXISTS budgets (
  dataset TEXT PRIMARY KEY, total_epsilon REAL NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS charges (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, dataset TEXT NOT NULL REFERENCES budgets(dataset),
  query TEXT NOT NULL, epsilon REAL NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS charges_dataset ON charges(dataset);
"""


class BudgetExceededError(AIIdentityError):
    """A release would take a dataset past its total ε; nothing was released."""

    http_status = 403
    exit_code = 1


@dataclass(frozen=True)
class Budget:
    """A dataset's budget as it stands."""

    dataset: str
    total: float
    spent: float
    queries: int

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.spent)


def default_ledger_path(platform: Path) -> Path:
    return Path(platform) / "identity" / "dp_ledger.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _check_epsilon(name: str, value: float, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UsageError(f"{name}: expected a finite number")
    if value < 0 or (value == 0 and not allow_zero):
        raise UsageError(f"{name}: expected a number > 0")
    return float(value)


class PrivacyLedger(SqliteFile):
    """Per-dataset ε budgets in one SQLite file, created on first use."""

    def __init__(self, path: Path, *, default_total: float = DEFAULT_TOTAL_EPSILON) -> None:
        self.default_total = _check_epsilon("default total ε", default_total)
        super().__init__(path, _SCHEMA)

    def _ensure(self, dataset: str, total: float | None) -> float:
        """Inside a transaction: the dataset's total, creating the row (or changing the total) as asked."""
        row = self._con.execute("SELECT total_epsilon FROM budgets WHERE dataset=?", (dataset,)).fetchone()
        if row is None:
            value = self.default_total if total is None else total
            now = _now()
            self._con.execute("INSERT INTO budgets VALUES (?,?,?,?)", (dataset, value, now, now))
            return value
        if total is None or total == row[0]:
            return float(row[0])
        spent = self._spent(dataset)
        if total + _SLACK < spent:
            raise UsageError(
                f"--budget: dataset {dataset!r} has already spent ε={spent:.6g}; a total below that "
                f"(asked {total:.6g}) is not possible"
            )
        self._con.execute(
            "UPDATE budgets SET total_epsilon=?, updated_at=? WHERE dataset=?", (total, _now(), dataset)
        )
        return total

    def _spent(self, dataset: str) -> float:
        row = self._con.execute(
            "SELECT COALESCE(SUM(epsilon), 0.0) FROM charges WHERE dataset=?", (dataset,)
        ).fetchone()
        return float(row[0])

    def _budget(self, dataset: str, total: float) -> Budget:
        spent, n = self._con.execute(
            "SELECT COALESCE(SUM(epsilon), 0.0), COUNT(*) FROM charges WHERE dataset=?", (dataset,)
        ).fetchone()
        return Budget(dataset, total, float(spent), int(n))

    def set_total(self, dataset: str, total: float) -> Budget:
        """Set (or create) the dataset's total ε; refused below what is already spent."""
        total = _check_epsilon("total ε", total)
        with self.immediate():
            value = self._ensure(dataset, total)
            return self._budget(dataset, value)

    def status(self, dataset: str = DEFAULT_DATASET) -> Budget:
        """The dataset's budget (a dataset not seen yet shows the default total, nothing spent)."""
        row = self._con.execute("SELECT total_epsilon FROM budgets WHERE dataset=?", (dataset,)).fetchone()
        total = float(row[0]) if row else self.default_total
        return self._budget(dataset, total)

    def charge(self, dataset: str, epsilon: float, query: str, *, total: float | None = None) -> Budget:
        """Spend ``epsilon`` on ``query`` or raise :class:`BudgetExceededError`, spending nothing.

        ``total`` sets the dataset's total first (on creation or as a change); the check and the charge
        happen in one ``BEGIN IMMEDIATE`` transaction, atomic across processes. Returns the budget after.
        """
        epsilon = _check_epsilon("--epsilon", epsilon)
        if total is not None:
            total = _check_epsilon("--budget", total)
        with self.immediate():
            value = self._ensure(dataset, total)
            spent = self._spent(dataset)
            if spent + epsilon > value + _SLACK:
                raise BudgetExceededError(
                    f"privacy budget of dataset {dataset!r} exceeded: query {query!r} needs ε={epsilon:.6g} "
                    f"but only ε={max(0.0, value - spent):.6g} of the total {value:.6g} remains; "
                    "nothing was released"
                )
            self._con.execute(
                "INSERT INTO charges (dataset, query, epsilon, at) VALUES (?,?,?,?)",
                (dataset, query, epsilon, _now()),
            )
            return self._budget(dataset, value)

    def history(self, dataset: str = DEFAULT_DATASET) -> list[tuple[int, str, float, str]]:
        """(seq, query, ε, time) of every charge to the dataset, oldest first."""
        return [
            (int(s), str(q), float(e), str(a))
            for s, q, e, a in self._con.execute(
                "SELECT seq, query, epsilon, at FROM charges WHERE dataset=? ORDER BY seq", (dataset,)
            )
        ]
