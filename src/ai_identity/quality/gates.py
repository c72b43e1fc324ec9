"""Gates: each seed metric against its threshold, and the whole run as one result object.

Method: a gate passes when its value is on the right side of its threshold (shares ``>``, hours and seconds
``<``); a metric that could not be measured (no events, no identity store, no running service) is reported as
``not measured`` and neither passes nor fails the run. The run fails when any measured gate fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from ai_identity.quality import format_checks as F
from ai_identity.quality import metrics as M
from ai_identity.quality import relation_checks as R
from ai_identity.quality.checks import CheckResult, resolve_event_keys
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import PlatformFrames, load_platform

# metric name -> (group, comparison); "<" means lower is better
GATES: dict[str, tuple[str, str]] = {
    "source_coverage": ("completeness", ">"),
    "field_completeness": ("completeness", ">"),
    "timeseries_completeness": ("completeness", ">"),
    "consistency": ("accuracy", ">"),
    "format_correctness": ("accuracy", ">"),
    "logical_consistency": ("accuracy", ">"),
    "freshness_hours": ("timeliness", "<"),
    "latency_seconds": ("timeliness", "<"),
    "relevance": ("relevance", ">"),
}


@dataclass
class Gate:
    metric: str
    group: str
    value: float | None
    threshold: float | None
    op: str
    status: str  # pass | fail | not measured | no threshold
    worst: list[str] = field(default_factory=list)  # the lowest-scoring sources, fields or checks
    note: str = ""


@dataclass
class QualityRun:
    """Everything one run produced: the gates, the metrics with their parts, and the checks."""

    platform: str
    as_of: datetime
    as_of_source: str
    gates: list[Gate]
    metrics: dict[str, M.Metric]
    checks: list[CheckResult]
    absent: dict[str, str]
    events_per_day: pl.DataFrame  # day, events — for the freshness-over-time chart

    @property
    def passed(self) -> bool:
        return all(g.status != "fail" for g in self.gates)

    def findings(self) -> pl.DataFrame:
        """Every failing record: check, dimension, record key, user id."""
        frames = [
            c.failed.with_columns(pl.lit(c.name).alias("check"), pl.lit(c.dimension).alias("dimension"))
            for c in self.checks
            if c.n_failed
        ]
        if not frames:
            return pl.DataFrame(
                schema={"record": pl.String, "user_id": pl.Int64, "check": pl.String, "dimension": pl.String}
            )
        return pl.concat(frames)

    def as_dict(self, worst_records: int = 20) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "as_of": self.as_of.isoformat(),
            "as_of_source": self.as_of_source,
            "passed": self.passed,
            "absent": self.absent,
            "gates": [g.__dict__ for g in self.gates],
            "metrics": {
                k: {"value": m.value, "unit": m.unit, "parts": m.parts, "note": m.note}
                for k, m in self.metrics.items()
            },
            "checks": [
                {
                    "name": c.name,
                    "dimension": c.dimension,
                    "source": c.source,
                    "table": c.table,
                    "field": c.field,
                    "rule": c.rule,
                    "checked": c.checked,
                    "failed": c.n_failed,
                    "examples": c.failed["record"].head(worst_records).to_list(),
                }
                for c in self.checks
            ],
        }


def _status(value: float | None, threshold: float | None, op: str) -> str:
    if value is None:
        return "not measured"
    if threshold is None:
        return "no threshold"
    ok = value > threshold if op == ">" else value < threshold
    return "pass" if ok else "fail"


def _worst(m: M.Metric, op: str, n: int = 3) -> list[str]:
    ordered = sorted(m.parts.items(), key=lambda kv: kv[1], reverse=(op == "<"))
    return [f"{k} {v:.2%}" if m.unit == "share" else f"{k} {v:g} h" for k, v in ordered[:n]]


def run_checks(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    """Every rule over the platform; failing events are keyed by their ``event_id`` at the end."""
    checks = (
        F.completeness_checks(f, cfg)
        + F.format_checks(f, cfg)
        + R.consistency_checks(f, cfg)
        + R.logical_checks(f, cfg)
        + R.timeliness_checks(f, cfg)
    )
    return resolve_event_keys(f, checks)


def evaluate(
    root: Path, cfg: QualityConfig, identities: Path | None = None, as_of: datetime | None = None
) -> QualityRun:
    """Load the platform, run every check, compute the metrics and set each gate's status."""
    f = load_platform(root, as_of)
    checks = run_checks(f, cfg)
    metrics = {
        m.name: m
        for m in (
            M.source_coverage(f),
            M.field_completeness(checks),
            M.timeseries_completeness(f, cfg),
            M.accuracy(checks, "consistency", "consistency"),
            M.accuracy(checks, "format", "format_correctness"),
            M.accuracy(checks, "logical", "logical_consistency"),
            M.freshness(f),
            M.Metric(
                "latency_seconds",
                None,
                "seconds",
                note="not measured: event-to-identity latency is the "
                "service's; measure it where the service runs",
            ),
            M.relevance(f, identities),
        )
    }
    gates = []
    for name, (group, op) in GATES.items():
        m = metrics[name]
        threshold = getattr(cfg, name)
        gates.append(
            Gate(
                name,
                group,
                m.value,
                threshold,
                op,
                _status(m.value, threshold, op),
                _worst(m, op) if m.parts else [],
                m.note,
            )
        )
    return QualityRun(
        str(root), f.as_of, f.as_of_source, gates, metrics, checks, f.absent, _events_per_day(f)
    )


def _events_per_day(f: PlatformFrames) -> pl.DataFrame:
    from ai_identity.quality.checks import ts

    ev = f.get("user_behavior_analysis")
    if ev is None:
        return pl.DataFrame(schema={"day": pl.Date, "events": pl.UInt32})
    return (
        ev.lazy()
        .select(ts("timestamp").dt.date().alias("day"))
        .drop_nulls()
        .group_by("day")
        .len("events")
        .sort("day")
        .collect(engine="streaming")
    )
