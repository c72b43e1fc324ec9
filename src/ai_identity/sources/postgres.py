"""The ``postgres`` connector (psycopg 3): reads the seed's PostgreSQL tables — vectors as ``real[]`` columns
(the system PostgreSQL here has no pgvector; pgvector columns are phase 2) — a batch of users at a time, and
writes them for ``load`` with COPY."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ai_identity.model import records as r
from ai_identity.sources import ddl
from ai_identity.sources.base import RelationalConnector, require

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

    # ---- writing (ai-identity load) ----------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        def run() -> None:
            with self.conn.cursor() as cur:
                cur.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(self.config.db_schema)}")

        self.retry("create schema", run)

    def replace_table(
        self, model: type[r.SeedRecord], batches: Iterable[list[tuple[Any, ...]]], tick: Any = None
    ) -> int:
        """Drop, re-create and fill the table in one transaction (readers never see it half-written)."""
        name = self.qualified(self.table_name(model.__record__))
        cols = list(ddl.column_kinds(model))
        indexed = [c for c in ("user_id", "resume_id") if c in cols]

        def run() -> int:
            count = 0
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {name}")
                cur.execute(ddl.create_table_sql(model, "postgres", name))
                with cur.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for batch in batches:
                        for row in ddl.to_server(model, "postgres", cols, batch):
                            copy.write_row(row)
                        count += len(batch)
                        if tick:
                            tick(len(batch))
                for c in indexed:
                    cur.execute(f"CREATE INDEX ON {name} ({c})")
            return count

        # not retried: the batches are an iterator consumed once; load is re-run whole on failure
        self.retry("connect", lambda: None)  # (re)connects with retries; the COPY itself runs once
        return run()
