"""Completeness and format checks: one column at a time, columnar.

Method: completeness is ``null or blank`` per expected field. Formats are Polars expressions where a pattern
suffices (e-mail, timestamps, enums, vector dimensions against the column's modal dimension); where a
maintained validator is the authority (``phonenumbers`` for phones, ``zoneinfo`` for IANA zones, ``json`` for
JSON documents) it is applied once per *distinct* value and the verdict joined back, so the Python work grows
with the number of distinct values, not with rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import available_timezones

import phonenumbers
import polars as pl

from ai_identity.model.enums import ACTION_TARGETS, ACTION_TYPES, Proficiency, UserStatus
from ai_identity.quality.checks import CheckResult, blank, key, result, ts
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import ROW, VECTOR_COLUMNS, PlatformFrames
from ai_identity.quality.load import TIMESTAMPS as LOADED_TIMESTAMPS

EMAIL = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
EDUCATION = ("associate", "bachelor", "master", "phd")
# table -> (source, record key columns, expected fields); a field listed here should be filled for every row
EXPECTED_FIELDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "users": ("mysql", ("id",), ("username", "email", "phone", "created_at", "updated_at", "status")),
    "user_profiles": (
        "mysql",
        ("user_id",),
        ("real_name", "location", "industry", "experience_years", "education_level", "skills_summary"),
    ),
    "user_settings": (
        "mysql",
        ("user_id",),
        ("language", "timezone", "notification_preferences", "ai_assistance_level"),
    ),
    "resumes": ("mysql", ("id",), ("title", "content", "created_at", "updated_at")),
    "user_embeddings": (
        "postgres",
        ("user_id",),
        ("content_vector", "skills_vector", "behavior_vector", "created_at"),
    ),
    "user_behavior_analysis": (
        "events",
        ("event_id",),
        ("session_id", "action_type", "action_target", "duration", "timestamp"),
    ),
}
ENUMS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("users", "status"): ("mysql", tuple(UserStatus)),
    ("user_profiles", "education_level"): ("mysql", EDUCATION),
    ("user_settings", "language"): ("mysql", ("zh", "en")),
    ("user_settings", "ai_assistance_level"): ("mysql", ("low", "medium", "high")),
    ("resume_skills", "proficiency_level"): ("mysql", tuple(Proficiency)),
    ("user_behavior_analysis", "action_type"): ("events", tuple(sorted(ACTION_TYPES))),
    ("user_behavior_analysis", "action_target"): ("events", tuple(sorted(ACTION_TARGETS))),
}
# every timestamp the loader parses, plus the event table's (parsed as it is read)
TIMESTAMPS: dict[str, tuple[str, ...]] = {**LOADED_TIMESTAMPS, "user_behavior_analysis": ("timestamp",)}
JSON_FIELDS = {
    ("user_behavior_analysis", "action_details"): "events",
    ("user_settings", "notification_preferences"): "mysql",
}
SOURCE_OF = {
    "users": "mysql",
    "user_profiles": "mysql",
    "user_settings": "mysql",
    "resumes": "mysql",
    "user_sessions": "mysql",
    "resume_skills": "mysql",
    "ai_analyses": "postgres",
    "user_embeddings": "postgres",
    "user_ai_profiles": "postgres",
    "resume_content": "sqlite",
    "resume_data": "postgres",
    "user_behavior_analysis": "events",
}


def record_key(table: str, field: str | None = None) -> pl.Expr:
    """The key of a row of ``table`` (its primary key, or its user for one-row-per-user tables)."""
    pk = {
        "users": "id",
        "resumes": "id",
        "ai_analyses": "id",
        "user_behavior_analysis": ROW,  # the row, until resolve_event_keys puts the event_id in its place
        "resume_skills": "resume_id",
        "resume_data": "mysql_resume_id",
        "user_sessions": "session_id",
    }
    col = pl.col(pk.get(table, "user_id"))
    if table == "resume_skills":
        col = pl.concat_str(
            [pl.col("resume_id").cast(pl.String), pl.col("skill_id").cast(pl.String)], separator="/"
        )
    return key(table, col, field) if field else key(table, col)


def _user(table: str) -> pl.Expr:
    return (
        pl.col("id")
        if table == "users"
        else (pl.lit(None) if table == "resume_skills" else pl.col("user_id"))
    )


def completeness_checks(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    """Per expected field: rows whose value is null or blank."""
    out = []
    for table, (source, _, fields) in EXPECTED_FIELDS.items():
        df = f.get(table)
        if df is None:
            continue
        for field in fields:
            bad = df.filter(blank(field, df.schema[field]))
            out.append(
                result(
                    f"{table}.{field} filled",
                    "completeness",
                    source,
                    table,
                    field,
                    "value is present and not blank",
                    df.height,
                    bad,
                    record_key(table, field),
                    _user(table),
                )
            )
    return out


@lru_cache(maxsize=4)
def _zones() -> frozenset[str]:
    # an Area/Location zone or UTC: legacy abbreviations (EST, GMT+8 style) name no place and shift with law
    return frozenset(
        z
        for z in available_timezones()
        if ("/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))) or z == "UTC"
    )


def _phone_ok(value: str, region: str, min_digits: int) -> bool:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return len(str(number.national_number)) >= min_digits


def _bad_distinct(col: pl.Series, ok: Callable[[str], bool]) -> list[str]:
    return [v for v in col.drop_nulls().unique().to_list() if not ok(v)]


def _json_ok(value: str) -> bool:
    if not value.strip():
        return True
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def format_checks(f: PlatformFrames, cfg: QualityConfig) -> list[CheckResult]:
    """E-mail, phone, IANA zone, enums, timestamps, JSON documents and vector dimensions."""
    out: list[CheckResult] = []
    users = f.tables["users"]
    present = users.filter(~blank("email"))
    out.append(
        result(
            "users.email format",
            "format",
            "mysql",
            "users",
            "email",
            "local@domain.tld, no spaces",
            present.height,
            present.filter(~pl.col("email").str.strip_chars().str.contains(EMAIL)),
            record_key("users", "email"),
            pl.col("id"),
        )
    )
    phones = users.filter(~blank("phone"))
    region, digits = cfg.phone_default_region, cfg.phone_min_digits
    bad = _bad_distinct(phones["phone"], lambda v: _phone_ok(v, region, digits))
    out.append(
        result(
            "users.phone format",
            "format",
            "mysql",
            "users",
            "phone",
            f"parses as a phone number (default region {region}) with >= {digits} national digits",
            phones.height,
            phones.filter(pl.col("phone").is_in(bad)),
            record_key("users", "phone"),
            pl.col("id"),
        )
    )
    settings = f.get("user_settings")
    if settings is not None:
        tz = settings.filter(~blank("timezone"))
        zones = _zones()
        bad = _bad_distinct(tz["timezone"], lambda v: v.strip() in zones)
        out.append(
            result(
                "user_settings.timezone format",
                "format",
                "mysql",
                "user_settings",
                "timezone",
                "an IANA Area/Location zone (zoneinfo) or UTC",
                tz.height,
                tz.filter(pl.col("timezone").is_in(bad)),
                record_key("user_settings", "timezone"),
            )
        )
    out += _enum_checks(f) + _timestamp_checks(f) + _json_checks(f) + _vector_checks(f)
    return out


def _enum_checks(f: PlatformFrames) -> list[CheckResult]:
    out = []
    for (table, field), (source, allowed) in ENUMS.items():
        df = f.get(table)
        if df is None:
            continue
        vals = df.filter(pl.col(field).is_not_null())
        out.append(
            result(
                f"{table}.{field} allowed value",
                "format",
                source,
                table,
                field,
                f"one of {', '.join(allowed)}",
                vals.height,
                vals.filter(~pl.col(field).is_in(list(allowed))),
                record_key(table, field),
                _user(table),
            )
        )
    return out


def _timestamp_checks(f: PlatformFrames) -> list[CheckResult]:
    out = []
    for table, cols in TIMESTAMPS.items():
        df = f.get(table)
        if df is None:
            continue
        for c in cols:
            vals = df.filter(pl.col(c).is_not_null())
            out.append(
                result(
                    f"{table}.{c} timestamp",
                    "format",
                    SOURCE_OF[table],
                    table,
                    c,
                    "ISO-8601 timestamp",
                    vals.height,
                    vals.filter(ts(c).is_null()),
                    record_key(table, c),
                    _user(table),
                )
            )
    return out


def _json_checks(f: PlatformFrames) -> list[CheckResult]:
    out = []
    for (table, field), source in JSON_FIELDS.items():
        df = f.get(table)
        if df is None or field not in df.columns:
            continue
        vals = df.filter(pl.col(field).is_not_null())
        bad = _bad_distinct(vals[field], _json_ok)
        out.append(
            result(
                f"{table}.{field} JSON",
                "format",
                source,
                table,
                field,
                "a JSON document",
                vals.height,
                vals.filter(pl.col(field).is_in(bad)),
                record_key(table, field),
                _user(table),
            )
        )
    return out


def _vector_checks(f: PlatformFrames) -> list[CheckResult]:
    """Each vector column's dimension against the column's modal dimension (its model's output size)."""
    out = []
    for table, cols in VECTOR_COLUMNS.items():
        df = f.get(table)
        if df is None:
            continue
        for c in cols:
            dims = df.filter(pl.col(c).is_not_null())
            if dims.is_empty():
                continue
            mode = dims[c].mode().sort()[0]
            bad = dims.filter((pl.col(c) != mode) | (pl.col(c) <= 0))
            out.append(
                result(
                    f"{table}.{c} dimension",
                    "format",
                    "postgres",
                    table,
                    c,
                    f"dimension equals the column's modal dimension ({mode})",
                    dims.height,
                    bad,
                    record_key(table, c),
                )
            )
    return out


__all__ = ["EXPECTED_FIELDS", "completeness_checks", "format_checks"]
