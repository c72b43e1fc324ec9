"""The ``postgres`` connector (psycopg 3): reads the seed's PostgreSQL tables a batch of users at a time, and
writes them for ``load`` with COPY.

Vector columns are ``real[]`` by default (any PostgreSQL; the system server here has no pgvector) or, with the
source's ``vector_type = "vector"``, pgvector ``vector(N)`` columns (``load`` creates the extension). Reads
select every vector column as ``col::real[]``, which is exact for both types (pgvector stores float32), so the
records equal the embedded reader's whichever type the table holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ai_identity.errors import SourceError
from ai_identity.model import records as r
from ai_identity.sources import ddl
from ai_identity.sources.base import VECTOR_FIELDS, RelationalConnector, require

TABLES: dict[str, tuple[type[r.SeedRecord], str, str, str | None, str]] = {
    "resume_data": (r.ResumeData, "resume_data", "user_id", None, "user_id, mysql_resume_id"),
    "ai_analyses": (r.AIAnalysis, "ai_analyses", "user_id", "created_at", "user_id, id"),
    "user_ai_profiles": (r.UserAIProfile, "ai_profiles", "user_id", "updated_at", "user_id, updated_at"),
    "user_embeddings": (r.UserEmbedding, "embeddings", "user_id", "created_at", "user_id, created_at"),
}
SEED_TABLES = tuple(TABLES)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresConnector(RelationalConnector):
    kind: ClassVar[str] = "postgres"
    source: ClassVar[str] = "postgres"
    TABLES = TABLES

    def __init__(self, config: Any, **kw: Any) -> None:
        self.psycopg = require("psycopg", "psycopg[binary]")
        super().__init__(config, **kw)
        self.transient = (self.psycopg.OperationalError, self.psycopg.InterfaceError)
        self.notes: dict[str, str] = {}  # seed table -> what load should report about it

    def connect(self) -> Any:
        c = self.config
        return self.psycopg.connect(
            host=c.host,
            port=c.port,
            user=c.user,
            password=c.password.get_secret_value() or None,
            dbname=c.database,
            connect_timeout=max(1, int(c.connect_timeout)),
            autocommit=True,
        )

    def qualified(self, table: str) -> str:
        return f"{_ident(self.config.db_schema)}.{_ident(table)}"

    def cursor(self) -> Any:
        return self.conn.cursor(binary=True)  # real[] in binary: about 2x the rows/s of text arrays

    def table_columns(self) -> dict[str, list[str]]:
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = %s ORDER BY table_name, ordinal_position",
                (self.config.db_schema,),
            )
            out: dict[str, list[str]] = {}
            for table, col in cur.fetchall():
                out.setdefault(table, []).append(col)
            return out

    def rows(
        self, seed: str, where: str, args: tuple[Any, ...], cols: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """As the base's, but vector columns are selected as ``real[]`` (a no-op on ``real[]``, the exact
        float32 values of a pgvector ``vector``)."""
        cols = self.usable()[seed] if cols is None else cols
        select = ", ".join(f"{c}::real[] AS {c}" if c in VECTOR_FIELDS else c for c in cols)
        order = self.TABLES[seed][4]
        sql = f"SELECT {select} FROM {self.qualified(self.table_name(seed))} WHERE {where}"
        return [
            dict(zip(cols, row, strict=True))
            for row in self.query(sql + (f" ORDER BY {order}" if order else ""), args)
        ]

    # ---- writing (ai-identity load) ----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        def run() -> None:
            with self.conn.cursor() as cur:
                cur.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(self.config.db_schema)}")
                if self.config.vector_type == "vector":
                    try:
                        cur.execute("CREATE EXTENSION IF NOT EXISTS vector")
                    except self.psycopg.Error as exc:
                        if exc.sqlstate is None or exc.sqlstate.startswith("08"):
                            raise  # the connection itself: retried
                        raise SourceError(
                            f'source {self.name} (postgres): vector_type = "vector" needs the pgvector '
                            f"extension, and CREATE EXTENSION vector failed ({exc.__class__.__name__} "
                            f"{exc.sqlstate}); install pgvector on the server (a superuser may have to "
                            f'create the extension), or set vector_type = "real[]"'
                        ) from None

        self.retry("create schema", run)

    def replace_table(
        self, model: type[r.SeedRecord], batches: Iterable[list[tuple[Any, ...]]], tick: Any = None
    ) -> int:
        """Drop, re-create and fill the table in one transaction (readers never see it half-written)."""
        name = self.qualified(self.table_name(model.__record__))
        kinds = ddl.column_kinds(model)
        cols = list(kinds)
        indexed = [c for c in ("user_id", "resume_id") if c in cols]
        vtype = self.config.vector_type
        seen: dict[str, set[int]] = {}  # pgvector: column -> dimensions met while writing

        def run() -> int:
            count = 0
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {name}")
                cur.execute(ddl.create_table_sql(model, "postgres", name, vtype))
                with cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for batch in batches:
                        for row in ddl.to_server(model, "postgres", cols, batch, vtype, seen):
                            copy.write_row(row)
                        count += len(batch)
                        if tick:
                            tick(len(batch))
                # vector(N) once N is known from the data (a column of several dimensions stays `vector`)
                alters, notes = ddl.vector_dimension_sql(name, seen)
                for sql in alters:
                    cur.execute(sql)
                self.notes[model.__record__] = "; ".join(notes)
                for c in indexed:
                    cur.execute(f"CREATE INDEX ON {name} ({c})")
            return count

        # not retried: the batches are an iterator consumed once; load is re-run whole on failure
        self.retry("connect", lambda: None)  # (re)connects with retries; the COPY itself runs once
        return run()
