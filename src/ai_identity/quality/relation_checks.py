"""Cross-source consistency, logical consistency and staleness checks: joins and comparisons, columnar.

Method: every rule is a Polars join or comparison over whole columns. Consistency: the MySQL resume copy's
SHA-256 against the private ``resume_content.content_hash`` (DuckDB's ``sha256`` over the Arrow column), one
platform user per e-mail (the earliest account, lowest ``users.id``, keeps it; later accounts claiming it are
flagged), one profile row per user, one event per ``event_id``, every graph ``User`` node naming a platform
username, every event naming a platform user. Logical: career entries ending before they start; the profile's
``experience_years`` against the career dates *as of the profile's last update* (``users.updated_at``); events
before sign-up or after the reference time (beyond the clock-skew allowance); negative durations; session
logout before login. Timeliness: embeddings and AI analyses older than their configured maximum age.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from ai_identity.quality.career_check import experience_check, months
from ai_identity.quality.checks import EVENT, CheckResult, event_key, key, result, ts
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import ROW, PlatformFrames

WORK = pl.List(pl.Struct({"company": pl.String, "title": pl.String, "start": pl.String, "end": pl.String}))


def _event_key() -> pl.Expr:
    return event_key()


def consistency_checks(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    out: list[CheckResult] = []
    users = f.tables["users"]
    resumes, copies = f.get("resumes"), f.get("resume_content")
    if resumes is not None and copies is not None:
        both = resumes.select("id", "user_id", pl.col("content_sha256").alias("h")).join(
            copies.select(pl.col("resume_metadata_id").alias("id"), "content_hash"), on="id"
        )
        out.append(
            result(
                "resumes.content = resume_content copy",
                "consistency",
                "mysql+sqlite",
                "resumes",
                "content",
                "sha256(resumes.content) equals the private copy's content_hash",
                both.height,
                both.filter(pl.col("h") != pl.col("content_hash").str.to_lowercase()),
                key("resumes", pl.col("id")),
            )
        )
    norm = users.filter(pl.col("email").is_not_null()).with_columns(
        pl.col("email").str.strip_chars().str.to_lowercase().alias("_e")
    )
    owner = pl.col("id") != pl.col("id").min().over("_e")
    out.append(
        result(
            "users.email one account",
            "consistency",
            "mysql",
            "users",
            "email",
            "an e-mail belongs to one account (the earliest keeps it)",
            norm.height,
            norm.filter(owner),
            key("users", pl.col("id"), "email"),
            pl.col("id"),
        )
    )
    profiles = f.get("user_profiles")
    if profiles is not None:
        dup = profiles.filter(pl.len().over("user_id") > 1)
        out.append(
            result(
                "user_profiles one row per user",
                "consistency",
                "mysql",
                "user_profiles",
                "user_id",
                "one profile row per user",
                profiles["user_id"].n_unique(),
                dup,
                key("user_profiles", pl.col("user_id")),
            )
        )
    events = f.get(EVENT)
    if events is not None:
        out.append(_unique_events(events))
        orphan = events.filter(~pl.col("user_id").is_in(users["id"].implode()))
        out.append(
            result(
                "events.user_id known",
                "consistency",
                "events",
                EVENT,
                "user_id",
                "the event's user exists in users",
                events.height,
                orphan,
                _event_key(),
            )
        )
    nodes = f.get("graph:User")
    if nodes is not None:
        stray = nodes.join(users.select("username"), on="username", how="anti")
        out.append(
            result(
                "graph User.username known",
                "consistency",
                "graph",
                "graph:User",
                "username",
                "the node's username is a platform username",
                nodes.height,
                stray,
                key("graph:User", pl.col("id")),
                pl.lit(None),
            )
        )
    return out


def _unique_events(events: pl.DataFrame) -> CheckResult:
    """Duplicated ``event_id``s, compared by the ids' 64-bit hash (``event_key``; two distinct ids among 10 M
    share a hash with a chance of about 3 in a million). Sorting the hashes finds the repeated ones with one
    copy of the column, where a hash table over 10 M keys would hold several."""
    keys = events["event_key"].drop_nulls().sort()
    same = keys.slice(1) == keys.slice(0, max(keys.len() - 1, 0))
    repeated = keys.slice(1).filter(same).unique()
    return result(
        "events.event_id unique",
        "consistency",
        "events",
        EVENT,
        "event_id",
        "one row per event_id",
        keys.len() - int(same.sum()),
        events.filter(pl.col("event_key").is_in(repeated.implode())),
        _event_key(),
    )


def _career(f: PlatformFrames) -> pl.DataFrame | None:
    parsed = f.get("parsed_resume_data")
    if parsed is None or parsed.is_empty():
        return None
    return (
        parsed.filter(pl.col("work_experience").is_not_null())
        .with_columns(pl.col("work_experience").str.json_decode(WORK).alias("w"))
        .explode("w")
        .unnest("w")
        .with_columns(months(pl.col("start")).alias("s"), months(pl.col("end")).alias("e"))
    )


def logical_checks(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    out: list[CheckResult] = []
    career = _career(f)
    if career is not None:
        dated = career.filter(pl.col("s").is_not_null() & pl.col("e").is_not_null())
        out.append(
            result(
                "parsed work end >= start",
                "logical",
                "sqlite",
                "parsed_resume_data",
                "work_experience",
                "a job ends on or after its start",
                dated.height,
                dated.filter(pl.col("e") < pl.col("s")),
                key("parsed_resume_data", pl.col("user_id"), pl.col("resume_content_id")),
            )
        )
        out += experience_check(f, career, cfg)
    out += _event_logic(f, cfg)
    sessions = f.get("user_sessions")
    if sessions is not None:
        both = sessions.filter(ts("login_time").is_not_null() & ts("logout_time").is_not_null())
        out.append(
            result(
                "user_sessions logout >= login",
                "logical",
                "mysql",
                "user_sessions",
                "logout_time",
                "a session ends after it starts",
                both.height,
                both.filter(ts("logout_time") < ts("login_time")),
                key("user_sessions", pl.col("session_id")),
            )
        )
    return out


def _event_logic(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    """Counts come from masks over the whole column and only failing rows are materialised (10 M events)."""
    events = f.get(EVENT)
    if events is None:
        return []
    skew = timedelta(seconds=cfg.clock_skew_seconds)
    users = f.tables["users"].select(pl.col("id").alias("user_id"), ts("created_at").alias("_signup"))
    # lazy and streamed: the joined 10 M rows are never materialised, only the counts and the failing rows
    # (a hash join: replace_strict is 30x slower)
    joined = (
        events.lazy()
        .select(ROW, "user_id", "duration", ts("timestamp"))
        .join(users.lazy(), on="user_id", how="left")
    )
    signup = pl.col("_signup")
    t = ts("timestamp")
    limit = pl.lit(f.as_of + skew).dt.cast_time_unit("us")
    rules = [
        (
            "events after sign-up",
            "timestamp",
            "not before users.created_at",
            t.is_not_null() & signup.is_not_null(),
            t < signup - skew,
        ),
        ("events not in the future", "timestamp", "not after the reference time", t.is_not_null(), t > limit),
        (
            "events.duration >= 0",
            "duration",
            "a duration is never negative",
            pl.col("duration").is_not_null(),
            pl.col("duration") < 0,
        ),
    ]
    counts = joined.select([scope.sum().alias(name) for name, _, _, scope, _ in rules]).collect(
        engine="streaming"
    )
    failing = joined.filter(pl.any_horizontal([scope & bad for _, _, _, scope, bad in rules])).collect(
        engine="streaming"
    )
    return [
        result(
            name,
            "logical",
            "events",
            EVENT,
            field,
            rule,
            int(n or 0),
            failing.filter(scope & bad),
            _event_key(),
        )
        for (name, field, rule, scope, bad), n in zip(rules, counts.row(0), strict=True)
    ]


def timeliness_checks(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    out = []
    for table, field, days, rec in (
        (
            "user_embeddings",
            "created_at",
            cfg.embedding_max_age_days,
            key("user_embeddings", pl.col("user_id")),
        ),
        ("ai_analyses", "created_at", cfg.ai_analysis_max_age_days, key("ai_analyses", pl.col("id"))),
    ):
        df = f.get(table)
        if df is None:
            continue
        dated = df.filter(ts(field).is_not_null())
        cutoff = pl.lit(f.as_of - timedelta(days=days)).dt.cast_time_unit("us")
        out.append(
            result(
                f"{table}.{field} age",
                "timeliness",
                "postgres",
                table,
                field,
                f"no older than {days} days at the reference time",
                dated.height,
                dated.filter(ts(field) < cutoff),
                rec,
            )
        )
    return out
