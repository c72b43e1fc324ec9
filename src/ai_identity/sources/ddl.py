"""The seed's tables on real SQL servers: column kinds derived from the typed records, per-dialect types, and
the value conversions ``load`` applies on the way in (the embedded layout's text/BLOB encodings to native
server types).

Choices (docs/stores.md): timestamps become native temporal columns — MySQL/MariaDB ``DATETIME(6)`` holding
UTC (no zone is stored; the connector reads them back as UTC), PostgreSQL ``TIMESTAMPTZ``; JSON documents stay
text (``LONGTEXT`` / ``TEXT``) so a malformed document reaches the record validator and is rejected with the
same reason as from the embedded folder; booleans ``TINYINT(1)`` / ``BOOLEAN``; vectors ``real[]`` on
PostgreSQL (the system server has no pgvector) and a float32 ``LONGBLOB`` on MySQL.
"""

from __future__ import annotations

import typing
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ai_identity.errors import SourceError
from ai_identity.model import records as r
from ai_identity.sources.base import VECTOR_FIELDS

PRIMARY_KEYS = {"users": "id", "resumes": "id", "ai_analyses": "id", "skills": "id"}
TYPES = {
    "mysql": {
        "int": "BIGINT",
        "float": "DOUBLE",
        "bool": "TINYINT(1)",
        "ts": "DATETIME(6)",
        "text": "LONGTEXT",
        "vector": "LONGBLOB",
    },
    "postgres": {
        "int": "BIGINT",
        "float": "DOUBLE PRECISION",
        "bool": "BOOLEAN",
        "ts": "TIMESTAMPTZ",
        "text": "TEXT",
        "vector": "REAL[]",
    },
}


def column_kinds(model: type[r.SeedRecord]) -> dict[str, str]:
    """Seed column -> int / float / bool / ts / text / vector."""
    out = {}
    for name, f in model.model_fields.items():
        col = f.alias or name
        args = set(typing.get_args(f.annotation)) | {f.annotation}
        if name in VECTOR_FIELDS:
            out[col] = "vector"
        elif bool in args:
            out[col] = "bool"
        elif int in args:
            out[col] = "int"
        elif float in args:
            out[col] = "float"
        elif datetime in args:
            out[col] = "ts"
        else:
            out[col] = "text"
    return out


def create_table_sql(model: type[r.SeedRecord], dialect: str, qualified_name: str) -> str:
    types = TYPES[dialect]
    cols = []
    for col, kind in column_kinds(model).items():
        sql = f"{col} {types[kind]}"
        if PRIMARY_KEYS.get(model.__record__) == col:
            sql += " PRIMARY KEY"
        cols.append(sql)
    return f"CREATE TABLE {qualified_name} ({', '.join(cols)})"


def to_server(
    model: type[r.SeedRecord], dialect: str, cols: list[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Embedded-layout values (ISO text, 0/1, float32 BLOBs) to the server's native values."""
    kinds = column_kinds(model)
    conv = [_converter(model.__record__, c, kinds[c], dialect) for c in cols]
    return [tuple(f(v) for f, v in zip(conv, row, strict=True)) for row in rows]


def _converter(table: str, col: str, kind: str, dialect: str) -> Any:
    if kind == "ts":

        def ts(v: Any) -> Any:
            if v is None:
                return None
            try:
                t = r._utc(v)
            except (TypeError, ValueError):
                raise SourceError(
                    f"{table}.{col}: a value is not an ISO-8601 timestamp; cannot load it"
                ) from None
            if not isinstance(t, datetime):
                raise SourceError(f"{table}.{col}: a value is not an ISO-8601 timestamp; cannot load it")
            t = t.astimezone(UTC)
            return t.replace(tzinfo=None) if dialect == "mysql" else t

        return ts
    if kind == "vector":
        from ai_identity.sources.embedded.layout import decode_vector, encode_vector

        def vec(v: Any) -> Any:
            if v is None:
                return None
            values = decode_vector(v)
            return encode_vector(values) if dialect == "mysql" else np.asarray(values, "<f4").tolist()

        return vec
    if kind == "bool" and dialect == "postgres":
        return lambda v: None if v is None else bool(v)
    return lambda v: v
