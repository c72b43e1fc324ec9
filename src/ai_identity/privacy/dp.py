"""Differentially private cohort statistics with OpenDP, at the level of users, charged to a budget ledger.

Privacy unit. Neighbouring datasets differ by **one user and everything about them** (user-level privacy).
Each query turns every user's data into a bounded number of rows with a rule fixed in advance (from domain
knowledge, never from the data), so adding or removing one user changes the rows by at most ``d_in``; OpenDP's
transformation then gives the sensitivity and its noise mechanism the ε for that ``d_in``:

* ``count`` — one row per user in the cohort (an identity is one per user): ``d_in = 1``.
* ``activity-by-hour`` — each user's behaviour events are first normalised over the 24 local hours (their
  own time zone) into exactly ``HOUR_UNITS = 24`` units, proportional to their events per hour (largest
  remainder rounding): a night owl with 5,000 events weighs the same as a user with 20. ``d_in = 24`` rows;
  the released value per hour is units / 24, i.e. "users' worth of activity" (sums to the active users).
* ``skills-by-industry`` — a user contributes their declared industry paired with at most
  ``SKILL_CAP = 10`` of their skills (the strongest by score; a profile's core skills rarely exceed ten):
  ``d_in = 10``. Released per cell: users in that industry holding that skill.
* ``mean-experience`` — one value per user, experience years clamped to ``[0, 50]`` (a working life): the
  sum (sensitivity 50) and the count (sensitivity 1) are released with ε/2 each; mean = sum / count.

Categories are declared (``privacy.categories`` for industries, the hours 0–23, the taxonomy's skill ids),
never read off the data; values outside them fall into ``other`` / are dropped. Integer counts get OpenDP's
discrete Laplace noise, the float sum continuous Laplace. Every release states the ε spent (OpenDP's privacy
map at ``d_in``), the noise scale per component, and a 95% interval: ``value ± a`` with ``a`` from OpenDP's
scale-to-accuracy (per category for histograms; for the mean the intervals of sum and count at 97.5% each,
combined, so ≥ 95% jointly). Only stub-free identities (analysis consented) count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ai_identity.errors import MissingDependencyError, UsageError
from ai_identity.privacy.ledger import DEFAULT_DATASET, Budget, PrivacyLedger

__all__ = [
    "CONFIDENCE",
    "EXPERIENCE_BOUNDS",
    "HOUR_UNITS",
    "SKILL_CAP",
    "Estimate",
    "Plan",
    "Release",
    "count_plan",
    "histogram_plan",
    "mean_plan",
    "release",
]

CONFIDENCE = 0.95
HOUR_UNITS = 24
SKILL_CAP = 10
EXPERIENCE_BOUNDS = (0.0, 50.0)


def _dp() -> Any:
    try:
        import opendp.prelude as dp
    except ImportError as exc:  # pragma: no cover - opendp is a declared dependency
        raise MissingDependencyError("opendp", "dp") from exc
    dp.enable_features("contrib")
    return dp


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float


@dataclass
class Release:
    """One differentially private answer and what it cost."""

    query: str
    dataset: str
    epsilon: float
    mechanism: str
    noise_scale: dict[str, float]
    sensitivity: dict[str, float]
    contribution: str
    estimates: dict[str, Estimate]
    confidence: float = CONFIDENCE
    budget_total: float | None = None
    budget_remaining: float | None = None
    cohort: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    """A measurement ready to run: built and priced without touching the budget or releasing anything."""

    query: str
    measurement: Any
    data: Any
    d_in: int
    mechanism: str
    noise_scale: dict[str, float]
    sensitivity: dict[str, float]
    contribution: str
    finish: Callable[[Any], dict[str, Estimate]]
    cohort: dict[str, str] = field(default_factory=dict)

    @property
    def epsilon(self) -> float:
        return float(self.measurement.map(self.d_in))


def _check_epsilon(epsilon: float) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not math.isfinite(epsilon):
        raise UsageError("--epsilon: expected a finite number > 0")
    if epsilon <= 0:
        raise UsageError("--epsilon: expected a number > 0")
    return float(epsilon)


def _laplace(transformation: Any, d_in: int, epsilon: float) -> tuple[Any, float, float]:
    """``transformation`` followed by Laplace noise whose ε at ``d_in`` is at most ``epsilon``.

    The scale is sensitivity / ε, where the sensitivity is the transformation's own stability map at
    ``d_in`` (it includes float rounding allowances); nudged up by ulps if the privacy map rounds above.
    """
    dp = _dp()
    sensitivity = float(transformation.map(d_in))
    scale = sensitivity / epsilon
    for _ in range(50):
        measurement = transformation >> dp.m.then_laplace(scale)
        if measurement.map(d_in) <= epsilon:
            return measurement, scale, sensitivity
        scale = math.nextafter(scale, math.inf) * (1 + 1e-12)
    raise AssertionError("no Laplace scale meets the privacy map")  # pragma: no cover


def _accuracy(scale: float, alpha: float, discrete: bool) -> float:
    dp = _dp()
    fn = dp.discrete_laplacian_scale_to_accuracy if discrete else dp.laplacian_scale_to_accuracy
    return float(fn(scale, alpha))


def count_plan(user_ids: Sequence[int], epsilon: float, cohort: dict[str, str] | None = None) -> Plan:
    """Noisy number of users in the cohort; each user is one row (``d_in = 1``)."""
    dp = _dp()
    epsilon = _check_epsilon(epsilon)
    space = (dp.vector_domain(dp.atom_domain(T=int)), dp.symmetric_distance())
    measurement, scale, sens = _laplace(space >> dp.t.then_count(), 1, epsilon)
    half = _accuracy(scale, 1 - CONFIDENCE, discrete=True)

    def finish(noisy: Any) -> dict[str, Estimate]:
        return {"count": Estimate(float(noisy), max(0.0, noisy - half), noisy + half)}

    return Plan(
        "count",
        measurement,
        [int(u) for u in user_ids],
        1,
        "discrete Laplace",
        {"count": scale},
        {"count": sens},
        "one row per user (d_in = 1)",
        finish,
        dict(cohort or {}),
    )


def histogram_plan(
    query: str,
    rows: Sequence[str],
    categories: Sequence[str],
    rows_per_user: int,
    epsilon: float,
    *,
    divisor: float = 1.0,
    contribution: str,
    cohort: dict[str, str] | None = None,
) -> Plan:
    """Noisy counts over declared ``categories``; each user contributes at most ``rows_per_user`` rows.

    Rows outside the categories are dropped (never given a category of their own). Released values are
    counts / ``divisor`` (e.g. 24 hour-units per user → users).
    """
    dp = _dp()
    epsilon = _check_epsilon(epsilon)
    if len(set(categories)) != len(categories) or not categories:
        raise UsageError("categories: expected a non-empty list of distinct declared categories")
    if rows_per_user < 1:
        raise UsageError("rows_per_user: expected a positive contribution cap")
    space = (dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance())
    counts = space >> dp.t.then_count_by_categories(categories=list(categories), null_category=False)
    measurement, scale, sens = _laplace(counts, rows_per_user, epsilon)
    half = _accuracy(scale, 1 - CONFIDENCE, discrete=True)
    names = list(categories)

    def finish(noisy: Any) -> dict[str, Estimate]:
        return {
            c: Estimate(v / divisor, max(0.0, (v - half) / divisor), (v + half) / divisor)
            for c, v in zip(names, noisy, strict=True)
        }

    return Plan(
        query,
        measurement,
        [str(r) for r in rows],
        rows_per_user,
        "discrete Laplace",
        {"per_category": scale / divisor},
        {"l1_rows": sens},
        contribution,
        finish,
        dict(cohort or {}),
    )


def mean_plan(
    values: Sequence[float],
    epsilon: float,
    bounds: tuple[float, float] = EXPERIENCE_BOUNDS,
    *,
    query: str = "mean-experience",
    cohort: dict[str, str] | None = None,
) -> Plan:
    """Bounded mean: noisy clamped sum (ε/2) over noisy count (ε/2); one value per user."""
    dp = _dp()
    epsilon = _check_epsilon(epsilon)
    lo, hi = float(bounds[0]), float(bounds[1])
    if not lo < hi:
        raise UsageError("bounds: expected lower < upper")
    space = (dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance())
    sum_m, sum_scale, sum_sens = _laplace(
        space >> dp.t.then_clamp((lo, hi)) >> dp.t.then_sum(), 1, epsilon / 2
    )
    cnt_m, cnt_scale, cnt_sens = _laplace(space >> dp.t.then_count(), 1, epsilon / 2)
    measurement = dp.c.make_composition([sum_m, cnt_m])
    # each component at 97.5%: both hold at once with probability >= 95% (union bound)
    sum_half = _accuracy(sum_scale, (1 - CONFIDENCE) / 2, discrete=False)
    cnt_half = _accuracy(cnt_scale, (1 - CONFIDENCE) / 2, discrete=True)

    def finish(noisy: Any) -> dict[str, Estimate]:
        s, n = float(noisy[0]), float(noisy[1])
        mean = min(hi, max(lo, s / n)) if n >= 1 else (lo + hi) / 2
        # S/N is monotone in N for a fixed S, so the extremes sit at the corners of the two intervals
        s_lo, s_hi = s - sum_half, s + sum_half
        n_lo, n_hi = max(1.0, n - cnt_half), max(1.0, n + cnt_half)
        low = min(hi, max(lo, min(s_lo / n_hi, s_lo / n_lo)))
        high = min(hi, max(lo, max(s_hi / n_lo, s_hi / n_hi)))
        return {
            "mean": Estimate(mean, low, high),
            "sum": Estimate(s, s - sum_half, s + sum_half),
            "count": Estimate(n, max(0.0, n - cnt_half), n + cnt_half),
        }

    return Plan(
        query,
        measurement,
        [float(v) for v in values if v is not None and math.isfinite(v)],
        1,
        "Laplace (sum) + discrete Laplace (count)",
        {"sum": sum_scale, "count": cnt_scale},
        {"sum": sum_sens, "count": cnt_sens},
        f"one value per user, clamped to [{lo:g}, {hi:g}] (d_in = 1)",
        finish,
        dict(cohort or {}),
    )


def release(
    plan: Plan,
    ledger: PrivacyLedger | None,
    *,
    dataset: str = DEFAULT_DATASET,
    total: float | None = None,
) -> Release:
    """Charge the plan's ε to the ledger (refused past the budget, before any noise is drawn), then run it.

    ``ledger=None`` runs without accounting (tests and simulations only).
    """
    epsilon = plan.epsilon
    budget: Budget | None = None
    if ledger is not None:
        budget = ledger.charge(dataset, epsilon, plan.query, total=total)
    noisy = plan.measurement(plan.data)
    return Release(
        query=plan.query,
        dataset=dataset,
        epsilon=epsilon,
        mechanism=plan.mechanism,
        noise_scale=plan.noise_scale,
        sensitivity=plan.sensitivity,
        contribution=plan.contribution,
        estimates=plan.finish(noisy),
        budget_total=budget.total if budget else None,
        budget_remaining=budget.remaining if budget else None,
        cohort=plan.cohort,
    )
