"""Per-identity quality: the platform-wide checks' failing records, grouped by user, folded into an identity's
``quality`` section.

Method: the checks run once over the whole platform (columnar); their failing records are grouped by
``user_id`` in one Polars ``group_by``; the build then looks each identity's user up in that index, so nothing
is re-checked per user. Consistency and logical findings become ``contradictions`` (check name and record key,
never a value); completeness and format findings count as ``rejected_records``; staleness findings as
contradictions too (an old embedding contradicts "current"). Records that name no platform user (a graph node
with an unknown username) cannot be attributed and stay in the platform report only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ai_identity.model.identity import Quality
from ai_identity.quality.gates import QualityRun

CONTRADICTION_DIMENSIONS = ("consistency", "logical", "timeliness")
MAX_LISTED = 20


@dataclass(frozen=True)
class UserFindings:
    """Failing records per user: ``contradictions`` (consistency/logical/staleness) and ``rejected`` counts."""

    contradictions: dict[int, list[str]] = field(default_factory=dict)
    rejected: dict[int, int] = field(default_factory=dict)


def user_findings(run: QualityRun) -> UserFindings:
    """Group one run's failing records by user (one pass over the findings frame)."""
    f = run.findings().filter(pl.col("user_id").is_not_null())
    contra = (
        f.filter(pl.col("dimension").is_in(CONTRADICTION_DIMENSIONS))
        .with_columns(pl.format("quality: {} ({})", "check", "record").alias("text"))
        .group_by("user_id")
        .agg(pl.col("text").sort().head(MAX_LISTED))
    )
    rejected = f.filter(~pl.col("dimension").is_in(CONTRADICTION_DIMENSIONS)).group_by("user_id").len()
    return UserFindings(
        {int(u): list(t) for u, t in contra.iter_rows()}, {int(u): int(n) for u, n in rejected.iter_rows()}
    )


def identity_quality(quality: Quality, user_id: int, findings: UserFindings) -> Quality:
    """A copy of ``quality`` with this user's platform findings added (the build's own entries kept first)."""
    extra = [c for c in findings.contradictions.get(user_id, []) if c not in quality.contradictions]
    return quality.model_copy(
        update={
            "contradictions": [*quality.contradictions, *extra],
            "rejected_records": quality.rejected_records + findings.rejected.get(user_id, 0),
        }
    )
