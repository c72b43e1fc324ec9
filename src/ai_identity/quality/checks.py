"""The shared shape of a quality check and the helpers every check uses.

A check is a rule over one table column (or a pair of sources). It reports how many values it looked at
(``checked``) and the failing records as a frame of ``record`` keys (``<table>:<primary key>[:<field>]``,
never a value) with their ``user_id``. Metrics are rates over these counts; the report lists the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import ROW, TS_SUFFIX, PlatformFrames

EVENT = "user_behavior_analysis"
DIMENSIONS = ("completeness", "consistency", "format", "logical", "timeliness")
FAILED_SCHEMA = {"record": pl.String, "user_id": pl.Int64}


@dataclass
class CheckResult:
    """One rule's outcome: values checked and the failing records' keys."""

    name: str  # e.g. "users.email format"
    dimension: str  # one of DIMENSIONS
    source: str  # the store kind: mysql, postgres, sqlite, events, graph, ...
    table: str
    field: str
    rule: str  # the rule in one sentence, for the report
    checked: int
    failed: pl.DataFrame  # columns: record, user_id

    @property
    def n_failed(self) -> int:
        return self.failed.height

    @property
    def pass_rate(self) -> float | None:
        return None if self.checked == 0 else 1 - self.n_failed / self.checked


CheckFn = Callable[[PlatformFrames, QualityConfig], list[CheckResult]]


def result(
    name: str,
    dimension: str,
    source: str,
    table: str,
    field: str,
    rule: str,
    checked: int,
    failed: pl.DataFrame,
    record: pl.Expr,
    user_id: pl.Expr | None = None,
) -> CheckResult:
    """Build a result from the failing rows of a frame, computing their keys with ``record``."""
    uid = (user_id if user_id is not None else pl.col("user_id")).cast(pl.Int64)
    keys = failed.select(record.cast(pl.String).alias("record"), uid.alias("user_id")).unique(
        "record", maintain_order=True
    )
    return CheckResult(name, dimension, source, table, field, rule, checked, keys)


def key(table: str, *parts: pl.Expr | str) -> pl.Expr:
    """``table:part:part`` as a string expression (strings are literal parts, expressions are columns)."""
    exprs: list[pl.Expr] = [pl.lit(table)]
    for p in parts:
        exprs.append(pl.lit(p) if isinstance(p, str) else p.cast(pl.String))
    return pl.concat_str(exprs, separator=":")


def ts(col: str) -> pl.Expr:
    """A layout timestamp column as a UTC datetime (parsed once at load into ``<col>__ts``); null if it
    does not parse."""
    return pl.col(col + TS_SUFFIX)


def blank(col: str, dtype: pl.DataType | None = None) -> pl.Expr:
    """Null, or (for text) empty after trimming."""
    c = pl.col(col)
    if dtype is not None and dtype not in (pl.String, pl.Categorical):
        return c.is_null()
    return c.is_null() | (c.cast(pl.String).str.strip_chars() == "")


def empty_result(name: str, dimension: str, source: str, table: str, field: str, rule: str) -> CheckResult:
    return CheckResult(name, dimension, source, table, field, rule, 0, pl.DataFrame(schema=FAILED_SCHEMA))


def event_key(*parts: pl.Expr | str) -> pl.Expr:
    """A failing event's provisional key, ``user_behavior_analysis:<row>[:part…]``; ``resolve_event_keys``
    puts the event's ``event_id`` in place of the row."""
    return key(EVENT, pl.col(ROW), *parts)


def resolve_event_keys(f: PlatformFrames, checks: list[CheckResult]) -> list[CheckResult]:
    """Replace the row in every event check's keys by the event's ``event_id``, reading the ids of all the
    failing events in one pass over the columnar copy (an event with no id keeps a null key, as before)."""
    pattern = rf"^{EVENT}:(\d+)(.*)$"
    todo = [i for i, c in enumerate(checks) if c.table == EVENT and c.n_failed]
    if not todo:
        return checks
    rows = pl.concat(
        [
            checks[i].failed.select(pl.col("record").str.extract(pattern, 1).cast(pl.UInt32).alias(ROW))
            for i in todo
        ]
    )[ROW]
    ids = f.event_ids(rows)
    out = list(checks)
    for i in todo:
        c = checks[i]
        failed = (
            c.failed.with_columns(
                pl.col("record").str.extract(pattern, 1).cast(pl.UInt32).alias(ROW),
                pl.col("record").str.extract(pattern, 2).alias("_rest"),
            )
            .join(ids, on=ROW, how="left", maintain_order="left")
            .select(
                pl.concat_str([pl.lit(EVENT + ":"), pl.col("event_id"), pl.col("_rest")]).alias("record"),
                "user_id",
            )
            .unique("record", maintain_order=True)
        )
        out[i] = CheckResult(c.name, c.dimension, c.source, c.table, c.field, c.rule, c.checked, failed)
    return out
