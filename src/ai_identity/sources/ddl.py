"""The seed's tables on real SQL servers: column kinds derived from the typed records, per-dialect types, and
the value conversions ``load`` applies on the way in (the embedded layout's text/BLOB encodings to native
server types).

Choices (docs/stores.md): timestamps become native temporal columns — MySQL/MariaDB ``DATETIME(6)`` holding
UTC (no zone is stored; the connector reads them back as UTC), PostgreSQL ``TIMESTAMPTZ``; JSON documents stay
text (``LONGTEXT`` / ``TEXT``) so a malformed document reaches the record validator and is rejected with the
same reason as from the embedded folder; booleans ``TINYINT(1)`` / ``BOOLEAN``; vectors ``real[]`` on
PostgreSQL by default (the system server has no pgvector), pgvector ``vector(N)`` with the postgres source's
``vector_type = "vector"`` (N: the data's dimension; values written in pgvector's text form ``[x,y,…]``), and a
float32 ``LONGBLOB`` on MySQL.
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


def create_table_sql(
    model: type[r.SeedRecord],
    dialect: str,
    qualified_name: str,
    vector_type: str = "real[]",
    dims: dict[str, int] | None = None,
) -> str:
    """``vector_type = "vector"`` (PostgreSQL only) makes vector columns pgvector ``vector(N)``, N from ``dims``;
    a column missing from ``dims`` is an unconstrained ``vector`` (``load`` creates them so and fixes N with
    :func:`vector_dimension_sql` once it has seen the data)."""
    types = TYPES[dialect]
    cols = []
    for col, kind in column_kinds(model).items():
        typ = types[kind]
        if kind == "vector" and dialect == "postgres" and vector_type == "vector":
            n = (dims or {}).get(col)
            typ = f"vector({n})" if n else "vector"
        sql = f"{col} {typ}"
        if PRIMARY_KEYS.get(model.__record__) == col:
            sql += " PRIMARY KEY"
        cols.append(sql)
    return f"CREATE TABLE {qualified_name} ({', '.join(cols)})"


def to_server(
    model: type[r.SeedRecord],
    dialect: str,
    cols: list[str],
    rows: list[tuple[Any, ...]],
    vector_type: str = "real[]",
    seen: dict[str, set[int]] | None = None,
) -> list[tuple[Any, ...]]:
    """Embedded-layout values (ISO text, 0/1, float32 BLOBs) to the server's native values. With
    ``vector_type = "vector"`` vectors become pgvector text (``[x,y,…]``, each float32 written exactly), and
    the dimensions met are added to ``seen`` (column -> dimensions)."""
    kinds = column_kinds(model)
    seen = seen if seen is not None else {}
    conv = [_converter(model.__record__, c, kinds[c], dialect, vector_type, seen) for c in cols]
    return [tuple(f(v) for f, v in zip(conv, row, strict=True)) for row in rows]


def pgvector_text(values: list[float]) -> str:
    """pgvector's text form. Each value goes through float32 and is written as the shortest decimal of that
    float32's exact double, which pgvector parses back to the same float32."""
    return "[" + ",".join(map(repr, np.asarray(values, "<f4").astype(float).tolist())) + "]"


def vector_dimension_sql(qualified_name: str, seen: dict[str, set[int]]) -> tuple[list[str], list[str]]:
    """After a pgvector load: ``ALTER … TYPE vector(N)`` for each column whose values all have dimension N, and
    a note for each column holding several dimensions (the generator injects such rows; the embedded reader
    accepts them, so they are kept, and that column stays an unconstrained ``vector``, which an HNSW or
    IVFFlat index cannot cover)."""
    alters, notes = [], []
    for col, dims in seen.items():
        if len(dims) == 1:
            n = next(iter(dims))
            alters.append(f"ALTER TABLE {qualified_name} ALTER COLUMN {col} TYPE vector({n})")
        elif len(dims) > 1:
            notes.append(
                f"{col} holds vectors of {'/'.join(map(str, sorted(dims)))} dimensions: left as vector"
            )
    return alters, notes


def _converter(
    table: str,
    col: str,
    kind: str,
    dialect: str,
    vector_type: str = "real[]",
    seen: dict[str, set[int]] | None = None,
) -> Any:
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

        pgvector = dialect == "postgres" and vector_type == "vector"
        dims = (seen if seen is not None else {}).setdefault(col, set()) if pgvector else set()

        def vec(v: Any) -> Any:
            if v is None:
                return None
            values = decode_vector(v)
            if dialect == "mysql":
                return encode_vector(values)
            if not pgvector:
                return np.asarray(values, "<f4").tolist()
            if not values:
                raise SourceError(f"{table}.{col}: an empty vector; pgvector holds 1 dimension or more")
            dims.add(len(values))
            return pgvector_text(values)

        return vec
    if kind == "bool" and dialect == "postgres":
        return lambda v: None if v is None else bool(v)
    return lambda v: v
