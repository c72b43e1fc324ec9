"""``experience_years`` against the career dates as of the profile's last update (``users.updated_at``).

Method, two stages. (1) Columnar screen over the platform's own earlier parse (``parsed_resume_data``), which
lists only some jobs but with month-precise dates: two estimates, the summed months of the listed jobs and the
span from the first listed start to the last listed end, both clipped to ``users.updated_at``. A profile is a
candidate when it is off from the span by the tolerance, has no dated job, or claims less than the time since
its latest listed school ended minus the tolerance (a dropped job makes the listed dates run low, so a figure
too low for the career would otherwise pass the screen). (2) Confirmation: each candidate's full resume text
(the private ``resume_content.content``) is read with the project's resume parser, and its jobs are merged
with the earlier parse's. The text's jobs are the parser's work entries and every other date range of the text
that lies in none of the parser's education, project or work entries and does not end in the year a listed
school ended (on layouts whose headings the parser does not know it may miss jobs, and sometimes a school). A
text job whose start and end years match a listed job is that job (the listed months are kept: many resumes
give years only); the others are added; a listed job the parser missed stays. The profile fails when its
figure is off by the tolerance from both the summed months and the span of the merged jobs (overlapping jobs
make the sum run high, gaps make the span run high; a figure far from both is wrong). At most
``experience_parse_max`` candidates are read, largest disagreement first; the rest are judged on the earlier
parse's jobs alone. A profile whose resume shows no dated job at all is judged against zero years.
"""

from __future__ import annotations

import sqlite3

import polars as pl

from ai_identity.quality.checks import CheckResult, key, result, ts
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import PlatformFrames
from ai_identity.sources.embedded import layout as L

JOB_COLUMNS = ("user_id", "start", "end", "s", "e")
SCHOOLS = pl.List(pl.Struct({"end": pl.String}))


def months(col: pl.Expr) -> pl.Expr:
    """``YYYY-MM…`` text to a month count (year * 12 + month); null when it does not parse."""
    return col.str.slice(0, 4).cast(pl.Int32, strict=False) * 12 + col.str.slice(5, 2).cast(
        pl.Int32, strict=False
    )


def _estimates(jobs: pl.DataFrame) -> pl.DataFrame:
    """Per user with a dated job: the summed months of the jobs up to ``u`` and the span from the first start
    to the last end (``u`` while a job is open), in years. Jobs starting after ``u`` count 0: the profile was
    written before them."""
    jobs = jobs.filter(pl.col("s").is_not_null() & (pl.col("e").is_null() | (pl.col("e") >= pl.col("s"))))
    until = pl.min_horizontal(pl.col("e").fill_null(pl.col("u")), pl.col("u"))
    began = pl.col("s") <= pl.col("u")
    return jobs.group_by("user_id").agg(
        ((until - pl.col("s")).clip(0).sum() / 12).alias("summed"),
        ((until.filter(began).max() - pl.col("s").filter(began).min()).clip(0).fill_null(0) / 12).alias(
            "span"
        ),
    )


def _off(tol: float) -> pl.Expr:
    """Off by the tolerance from both estimates."""
    a = (pl.col("experience_years") - pl.col("summed")).abs() >= tol
    b = (pl.col("experience_years") - pl.col("span")).abs() >= tol
    return a & b


def _schools(f: PlatformFrames) -> pl.DataFrame:
    """(user_id, year) of every school the earlier parse lists as ended."""
    parsed = f.get("parsed_resume_data")
    if parsed is None or "education" not in parsed.columns:
        return pl.DataFrame(schema={"user_id": pl.Int64, "school_end": pl.Int32})
    return (
        parsed.filter(pl.col("education").is_not_null())
        .select("user_id", pl.col("education").str.json_decode(SCHOOLS).alias("d"))
        .explode("d")
        .unnest("d")
        .select("user_id", pl.col("end").str.slice(0, 4).cast(pl.Int32, strict=False).alias("school_end"))
        .drop_nulls()
        .unique()
    )


def _text_jobs(text: str) -> list[tuple[str | None, str | None, bool]]:
    """A resume text's jobs as (start, end, found by the parser as a job)."""
    from ai_identity.features.resume.dates import find_ranges
    from ai_identity.features.resume.parser import parse_resume

    parsed = parse_resume(text)
    taken = [(w.span_start, w.span_end) for w in parsed.work_experience]
    taken += [(e.span_start, e.span_end) for e in parsed.education]
    taken += [(p.span_start, p.span_end) for p in parsed.projects]
    rest = [r for r in find_ranges(text) if not any(a <= r.span_start < b for a, b in taken)]
    return [(w.start, w.end, True) for w in parsed.work_experience] + [(r.start, r.end, False) for r in rest]


def _read_jobs(f: PlatformFrames, cands: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """The candidates' jobs as read from their full resume texts, and the users whose text was read."""
    rows: list[tuple[int, str | None, str | None, bool]] = []
    read: list[int] = []
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
        if texts:
            read.append(uid)
        for text in texts:
            rows += [(uid, start, end, work) for start, end, work in _text_jobs(text)]
    schema = {"user_id": pl.Int64, "start": pl.String, "end": pl.String, "work": pl.Boolean}
    df = pl.DataFrame(rows, schema=schema, orient="row")
    jobs = df.with_columns(months(pl.col("start")).alias("s"), months(pl.col("end")).alias("e"))
    return jobs, pl.Series("user_id", read, dtype=pl.Int64)


def _merged(listed: pl.DataFrame, read: pl.DataFrame, schools: pl.DataFrame) -> pl.DataFrame:
    """The earlier parse's jobs plus the text's jobs that match none of them by start and end year, less the
    unattributed ranges that end when a listed school ended; one row per distinct job."""
    years = (
        pl.col("start").str.slice(0, 4).alias("_sy"),
        pl.col("end").str.slice(0, 4).fill_null("").alias("_ey"),
    )
    on = ["user_id", "_sy", "_ey"]
    extra = read.with_columns(*years).join(listed.with_columns(*years).select(on), on=on, how="anti")
    school = pl.col("end").str.slice(0, 4).cast(pl.Int32, strict=False).alias("school_end")
    at_school = extra.filter(~pl.col("work")).with_columns(school).join(schools, on=["user_id", "school_end"])
    extra = extra.join(at_school.select(JOB_COLUMNS), on=list(JOB_COLUMNS), how="anti", nulls_equal=True)
    return pl.concat([listed.select(JOB_COLUMNS), extra.select(JOB_COLUMNS)]).unique(
        ["user_id", "s", "e"], maintain_order=True
    )


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
    listed = career.select(JOB_COLUMNS)
    schools = _schools(f)
    since_school = schools.group_by("user_id").agg(pl.col("school_end").max())
    screened = rows.join(_estimates(listed.join(upd, on="user_id")), on="user_id", how="left").join(
        since_school, on="user_id", how="left"
    )
    after_school = (pl.col("u") - pl.col("school_end") * 12 - 6) / 12  # a school year ends mid-year
    gap = (pl.col("experience_years") - pl.col("span")).abs()
    cands = (
        screened.filter(
            (gap >= tol)
            # no listed job: a figure of less than the tolerance is off only if too low for the schooling
            | (
                pl.col("span").is_null()
                & ((pl.col("experience_years") >= tol) | pl.col("school_end").is_null())
            )
            | (pl.col("experience_years") < after_school - tol)
        )
        .with_columns(
            pl.max_horizontal(gap, after_school - pl.col("experience_years")).fill_null(0).alias("_gap")
        )
        .sort("_gap", descending=True)
        .select("user_id", "experience_years")
    )
    to_parse = cands.head(cfg.experience_parse_max)
    jobs, read = _read_jobs(f, to_parse) if to_parse.height else (None, None)
    merged = listed if jobs is None else _merged(listed, jobs, schools)
    verdict = cands.join(_estimates(merged.join(upd, on="user_id")), on="user_id", how="left")
    if read is not None:  # a resume that was read and shows no dated job: a career of zero years
        nothing = pl.col("user_id").is_in(read.implode()) & pl.col("summed").is_null()
        verdict = verdict.with_columns(
            pl.when(nothing).then(0.0).otherwise(pl.col(c)).alias(c) for c in ("summed", "span")
        )
    # a candidate left unread is judged on the listed jobs, which can only undercount: only a figure below
    # both listed estimates is certainly wrong (one above them may be a job the earlier parse dropped)
    unread = ~pl.col("user_id").is_in(to_parse["user_id"].implode())
    below = (pl.col("experience_years") <= pl.col("summed") - tol) & (
        pl.col("experience_years") <= pl.col("span") - tol
    )
    bad = verdict.filter(_off(tol) & (~unread | below))
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
