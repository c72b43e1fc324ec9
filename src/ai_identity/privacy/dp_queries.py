"""The ``ai-identity stats`` queries: from a built platform to a priced DP plan (see ``privacy.dp``).

Each function here reads what a query needs (identities; behaviour events for the hour histogram) and turns
every user's data into their bounded rows; nothing is released until ``privacy.dp.release`` runs the plan.
Only identities that are not stubs (analysis consented) and allow the basic tier take part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ai_identity.errors import UsageError
from ai_identity.model.identity import Identity
from ai_identity.privacy.categories import INDUSTRIES, industry_category
from ai_identity.privacy.dp import (
    EXPERIENCE_BOUNDS,
    HOUR_UNITS,
    SKILL_CAP,
    Plan,
    count_plan,
    histogram_plan,
    mean_plan,
)

__all__ = ["QUERIES", "Cohort", "hour_rows", "plan_query", "skill_rows"]

QUERIES = ("count", "activity-by-hour", "skills-by-industry", "mean-experience")
HOURS: tuple[str, ...] = tuple(str(h) for h in range(24))


@dataclass(frozen=True)
class Cohort:
    """A filter fixed before the query runs (declared values, compared case-insensitively)."""

    industry: str | None = None
    seniority: str | None = None
    education_level: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}

    def matches(self, ident: Identity) -> bool:
        wanted = {
            "industry": (self.industry, _value(ident, "profile", "industry")),
            "seniority": (self.seniority, _value(ident, "career", "seniority")),
            "education_level": (self.education_level, _value(ident, "profile", "education_level")),
        }
        return all(
            want is None or (have is not None and str(have).lower() == want.lower())
            for want, have in wanted.values()
        )


def _value(ident: Identity, facet: str, name: str) -> object:
    claim = ident.career.get(name) if facet == "career" else ident.profile.get(name)
    return claim.value if claim is not None else None


def _eligible(ident: Identity) -> bool:
    tiers = ident.consent.get("tiers") or {}
    purposes = ident.consent.get("purposes") or {}  # set when consent records override the platform
    return (
        not ident.stub
        and tiers.get("basic", True) is not False
        and purposes.get("analytics", True) is not False
    )


def eligible_identities(platform: Path, cohort: Cohort) -> list[Identity]:
    from ai_identity.store.identities import IdentityStore, default_path

    path = default_path(platform)
    if not path.exists():
        raise UsageError(f"--platform: no identities at {path}; run `ai-identity build` first")
    store = IdentityStore(path)
    try:
        return [i for i in store.all() if _eligible(i) and cohort.matches(i)]
    finally:
        store.close()


def hour_rows(events: pl.DataFrame, tz_by_user: dict[int, str]) -> list[str]:
    """Each user's events spread over the 24 local hours as exactly ``HOUR_UNITS`` rows (largest remainder).

    ``events`` needs ``user_id`` and ``ts`` (UTC); users missing from ``tz_by_user`` are dropped (their
    local hour is unknown).
    """
    if events.is_empty() or not tz_by_user:
        return []
    zones = pl.DataFrame(
        {"user_id": list(tz_by_user), "tz": list(tz_by_user.values())},
        schema={"user_id": events.schema["user_id"], "tz": pl.String},
    )
    df = events.select("user_id", "ts").join(zones, on="user_id", how="inner")
    parts = [
        part.with_columns(pl.col("ts").dt.convert_time_zone(str(zone)).dt.hour().alias("hour"))
        for (zone,), part in df.partition_by("tz", as_dict=True).items()
    ]
    if not parts:
        return []
    per = pl.concat(parts).group_by("user_id", "hour").len("n")
    exact = pl.col("n") * HOUR_UNITS / pl.col("n").sum().over("user_id")
    per = per.with_columns(exact.floor().cast(pl.Int64).alias("base"), (exact - exact.floor()).alias("rem"))
    short = HOUR_UNITS - pl.col("base").sum().over("user_id")
    rank = pl.struct(-pl.col("rem"), "hour").rank("ordinal").over("user_id")
    per = per.with_columns((pl.col("base") + (rank <= short).cast(pl.Int64)).alias("units"))
    rows = per.filter(pl.col("units") > 0).select(pl.col("hour").cast(pl.String).repeat_by("units").explode())
    return rows.to_series().to_list()


def skill_rows(identities: Iterable[Identity], skill_ids: set[str]) -> list[str]:
    """``industry|skill_id`` for each user's strongest ``SKILL_CAP`` catalogue skills."""
    rows: list[str] = []
    for ident in identities:
        industry = industry_category(_value(ident, "profile", "industry"))
        known = sorted((s for s in ident.skills if s.skill_id in skill_ids), key=lambda s: -s.score)
        rows.extend(f"{industry}|{s.skill_id}" for s in known[:SKILL_CAP])
    return rows


def _tz_by_user(identities: Iterable[Identity]) -> dict[int, str]:
    out = {}
    for ident in identities:
        tz = _value(ident, "profile", "timezone")
        if isinstance(tz, str) and tz:
            out[int(ident.user["platform_id"])] = tz
    return out


def _activity_plan(platform: Path, people: list[Identity], epsilon: float, cohort: Cohort) -> Plan:
    from ai_identity.sources.embedded.events import read_events
    from ai_identity.sources.embedded.reader import EmbeddedPlatform

    as_of = EmbeddedPlatform(platform).reference_time()
    zones = _tz_by_user(people)
    frame = read_events(platform, as_of, list(zones), columns=["user_id", "timestamp"]).frame
    rows = hour_rows(frame, zones) if "ts" in frame.columns else []
    return histogram_plan(
        "activity-by-hour",
        rows,
        HOURS,
        HOUR_UNITS,
        epsilon,
        divisor=HOUR_UNITS,
        contribution=f"each user's events normalised to {HOUR_UNITS} units over local hours (d_in = 24)",
        cohort=cohort.as_dict(),
    )


def plan_query(platform: Path, query: str, epsilon: float, cohort: Cohort | None = None) -> Plan:
    """Read what ``query`` needs from the built platform and return its priced plan."""
    cohort = cohort or Cohort()
    if query not in QUERIES:
        raise UsageError(f"--query: expected one of {', '.join(QUERIES)}")
    people = eligible_identities(Path(platform), cohort)
    if query == "count":
        return count_plan([int(i.user["platform_id"]) for i in people], epsilon, cohort.as_dict())
    if query == "mean-experience":
        years = [_value(i, "profile", "experience_years") for i in people]
        values = [float(y) for y in years if isinstance(y, int | float) and not isinstance(y, bool)]
        return mean_plan(values, epsilon, EXPERIENCE_BOUNDS, cohort=cohort.as_dict())
    if query == "activity-by-hour":
        return _activity_plan(Path(platform), people, epsilon, cohort)
    from ai_identity.features.taxonomy import load_taxonomy

    skill_ids = sorted(load_taxonomy().ids())
    categories = [f"{ind}|{sid}" for ind in INDUSTRIES for sid in skill_ids]
    return histogram_plan(
        "skills-by-industry",
        skill_rows(people, set(skill_ids)),
        categories,
        SKILL_CAP,
        epsilon,
        contribution=f"each user's industry x at most {SKILL_CAP} strongest skills (d_in = {SKILL_CAP})",
        cohort=cohort.as_dict(),
    )
