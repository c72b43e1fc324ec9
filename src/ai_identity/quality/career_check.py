"""``experience_years`` against the career dates as of the profile's last update (``users.updated_at``).

Method, two stages. (1) Columnar screen: the platform's own earlier parse (``parsed_resume_data``) lists only
some jobs; from it come two estimates, the summed months of the listed jobs and the span from the first listed
start, both clipped to ``users.updated_at``. A profile off from the span by the tolerance, or without a dated
job, is a candidate (screening on the sum too would send about a quarter of all profiles on: a dropped job
makes the sum run low). (2) Confirmation: each candidate's full resume text (the private
``resume_content.content``) is parsed with the project's resume parser, and the profile is flagged when its
figure is off by the tolerance from both the summed months and the span of the parsed jobs (overlapping jobs
make the sum run high, gaps make the span run high; a figure far from both is wrong). At most
``experience_parse_max`` candidates are parsed, largest disagreement first; the rest keep the screen's
both-estimates verdict.
"""

from __future__ import annotations

import sqlite3

import polars as pl

from ai_identity.quality.checks import CheckResult, key, result, ts
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import PlatformFrames
from ai_identity.sources.embedded import layout as L


def months(col: pl.Expr) -> pl.Expr:
    """``YYYY-MM…`` text to a month count (year * 12 + month); null when it does not parse."""
    return col.str.slice(0, 4).cast(pl.Int32, strict=False) * 12 + col.str.slice(5, 2).cast(
        pl.Int32, strict=False
    )


def _estimates(jobs: pl.DataFrame) -> pl.DataFrame:
    """Per user: summed months of jobs up to ``u`` and the span from the first start, both in years (a job
    starting after ``u`` counts 0: the profile was written before it)."""
    jobs = jobs.filter(pl.col("s").is_not_null() & (pl.col("e").is_null() | (pl.col("e") >= pl.col("s"))))
    clipped = (pl.min_horizontal(pl.col("e").fill_null(pl.col("u")), pl.col("u")) - pl.col("s")).clip(0)
    return jobs.group_by("user_id").agg(
        (clipped.sum() / 12).alias("summed"),
        ((pl.col("u").first() - pl.col("s").min()).clip(0) / 12).alias("span"),
    )


def _off(tol: float, both: bool) -> pl.Expr:
    """Off from both estimates (the verdict), or from the span or without one (the screen: a dropped job
    makes the sum run low for most people, so screening on it would send a quarter of them to the parser)."""
    a = (pl.col("experience_years") - pl.col("summed")).abs() >= tol
    b = (pl.col("experience_years") - pl.col("span")).abs() >= tol
    return (a & b) if both else (b | pl.col("span").is_null())


def _parsed_jobs(f: PlatformFrames, cands: pl.DataFrame) -> pl.DataFrame:
    from ai_identity.features.resume.parser import parse_resume

    rows: list[tuple[int, str | None, str | None]] = []
    for uid in cands["user_id"].to_list():
        path = L.user_db_path(f.root, uid)
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
            try:
                texts = [r[0] for r in con.execute("SELECT content FROM resume_content") if r[0]]
            finally:
                con.close()
        except sqlite3.Error:
            continue
        for text in texts:
            rows += [(uid, w.start, w.end) for w in parse_resume(text).work_experience]
    df = pl.DataFrame(rows, schema={"user_id": pl.Int64, "start": pl.String, "end": pl.String}, orient="row")
    return df.with_columns(months(pl.col("start")).alias("s"), months(pl.col("end")).alias("e"))


def experience_check(f: PlatformFrames, career: pl.DataFrame | None, cfg: QualityConfig) -> list[CheckResult]:
    profiles = f.get("user_profiles")
    if profiles is None or career is None:
        return []
    upd = f.tables["users"].select(
        pl.col("id").alias("user_id"),
        (ts("updated_at").dt.year() * 12 + ts("updated_at").dt.month()).cast(pl.Int32).alias("u"),
    )
    rows = (
        profiles.filter(pl.col("experience_years").is_not_null())
        .unique("user_id", keep="first")
        .select("user_id", "experience_years")
        .join(upd, on="user_id")
    )
    tol = cfg.experience_tolerance_years
    screened = rows.join(_estimates(career.join(upd, on="user_id")), on="user_id", how="left")
    cands = (
        screened.filter(_off(tol, both=False))
        .with_columns((pl.col("experience_years") - pl.col("span")).abs().fill_null(0).alias("_gap"))
        .sort("_gap", descending=True)
    )
    to_parse = cands.head(cfg.experience_parse_max)
    rest = cands.slice(to_parse.height)
    flagged = [rest.filter(_off(tol, both=True))] if rest.height else []
    if to_parse.height:
        jobs = _parsed_jobs(f, to_parse).join(upd, on="user_id")
        confirmed = to_parse.select("user_id", "experience_years").join(_estimates(jobs), on="user_id")
        flagged.append(confirmed.filter(_off(tol, both=True)))
    bad = pl.concat([x.select("user_id") for x in flagged]) if flagged else rows.head(0).select("user_id")
    return [
        result(
            "user_profiles.experience_years vs career",
            "logical",
            "mysql+sqlite",
            "user_profiles",
            "experience_years",
            f"within {tol:g} years of the career dates as of users.updated_at",
            rows.height,
            bad,
            key("user_profiles", pl.col("user_id"), "experience_years"),
        )
    ]
