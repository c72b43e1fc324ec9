"""The ``mysql`` connector (MySQL and MariaDB, through PyMySQL): reads the seed's MySQL tables — and the event
table when the configuration puts it here — a batch of users at a time, and writes them for ``load``.

Reads go through ``asyncmy`` when it is installed (part of the ``stores`` extra): the same MySQL protocol, with
its row decoding compiled (Cython), about five times PyMySQL's rows/s here (benchmarks/bench_stores.py). It runs
on a private event loop, so callers stay synchronous; inside a running event loop, and for every write, the
connector uses PyMySQL. Both return the same Python values for the seed's column types.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import Iterable
from typing import Any, ClassVar

from ai_identity.model import records as r
from ai_identity.sources import ddl
from ai_identity.sources.base import RelationalConnector, require

TABLES: dict[str, tuple[type[r.SeedRecord], str, str, str | None, str]] = {
    "users": (r.User, "user", "id", "created_at", "id"),
    "user_profiles": (r.UserProfile, "profiles", "user_id", None, "user_id"),
    "user_settings": (r.UserSetting, "settings", "user_id", None, "user_id"),
    "user_sessions": (r.UserSession, "sessions", "user_id", "login_time", "user_id, login_time, session_id"),
    "resumes": (r.Resume, "resumes", "user_id", "COALESCE(updated_at, created_at)", "user_id, id"),
    "resume_skills": (r.ResumeSkill, "resume_skills", "resume_id", None, "resume_id, skill_id"),
    "resume_analyses": (
        r.ResumeAnalysis,
        "resume_analyses",
        "resume_id",
        "created_at",
        "resume_id, created_at",
    ),
}
SEED_TABLES = (*TABLES, "skills")
TRANSIENT_CODES = {
    2003,
    2006,
    2013,
    2014,
    2055,
    1205,
    1213,
}  # the seed's MySQL tables (skills: the dictionary resume_skills refers to)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class MySQLConnector(RelationalConnector):
    kind: ClassVar[str] = "mysql"
    source: ClassVar[str] = "mysql"
    TABLES = TABLES

    def __init__(self, config: Any, **kw: Any) -> None:
        self.pymysql = require("pymysql")
        super().__init__(config, **kw)
        self.transient = (self.pymysql.err.OperationalError, self.pymysql.err.InterfaceError)
        self.fast: Any = None  # asyncmy, for reads, when installed
        with contextlib.suppress(ImportError):
            self.fast = importlib.import_module("asyncmy")
            errors = importlib.import_module("asyncmy.errors")
            self.transient += (errors.OperationalError, errors.InterfaceError)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reader: Any = None

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read: through asyncmy when installed and no event loop runs in this thread, else
        PyMySQL; retried with the shared backoff either way."""
        if self.fast is None or _loop_running():
            return super().query(sql, args)
        return self.retry("query", lambda: self._run(self._fetch(sql, args)), connect=False)

    def _run(self, coro: Any) -> Any:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(coro)

    async def _fetch(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        if self._reader is None:
            c = self.config
            self._reader = await self.fast.connect(
                host=c.host,
                port=c.port,
                user=c.user,
                password=c.password.get_secret_value(),
                database=c.database,
                charset="utf8mb4",
                connect_timeout=c.connect_timeout,
                autocommit=True,
            )
        async with self._reader.cursor() as cur:
            await cur.execute(sql, args or None)
            return list(await cur.fetchall())

    def close(self) -> None:
        super().close()
        reader, self._reader = self._reader, None
        if reader is not None:
            with contextlib.suppress(Exception):
                reader.close()
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.close()

    def connect(self, database: bool = True) -> Any:
        c = self.config
        return self.pymysql.connect(
            host=c.host,
            port=c.port,
            user=c.user,
            password=c.password.get_secret_value(),
            database=c.database if database else None,
            charset="utf8mb4",
            connect_timeout=c.connect_timeout,
            autocommit=True,
        )

    def is_transient(self, exc: BaseException) -> bool:
        # connection refused / lost / gone away, lock wait timeout, deadlock; not: access denied, bad SQL
        return bool(exc.args) and exc.args[0] in TRANSIENT_CODES

    def qualified(self, table: str) -> str:
        return "`" + table.replace("`", "``") + "`"

    def table_columns(self) -> dict[str, list[str]]:
        cur = self.conn.cursor()
        try:
            cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position"
            )
            out: dict[str, list[str]] = {}
            for table, col in cur.fetchall():
                out.setdefault(table, []).append(col)
            return out
        finally:
            cur.close()

    def skill_dictionary(self) -> dict[int, r.Skill]:
        cols = ["id", "name", "category"]
        rows = self.query(
            f"SELECT {', '.join(cols)} FROM {self.qualified(self.table_name('skills'))} ORDER BY id"
        )
        return {row[0]: r.Skill.model_validate(dict(zip(cols, row, strict=True))) for row in rows}

    # ---- writing (ai-identity load) ----------------------------------------------------------------------------
    def ensure_database(self) -> None:
        """Create the configured database if it does not exist (connecting without one)."""

        def run() -> None:
            con = self.connect(database=False)
            try:
                with con.cursor() as cur:
                    cur.execute(
                        f"CREATE DATABASE IF NOT EXISTS {self.qualified(self.config.database)} CHARACTER SET utf8mb4 "
                        "COLLATE utf8mb4_bin"
                    )
            finally:
                con.close()

        self.retry("create database", run, connect=False)

    def replace_table(
        self, model: type[r.SeedRecord], batches: Iterable[list[tuple[Any, ...]]], tick: Any = None
    ) -> int:
        """Drop and re-create the table under its configured name, then insert the rows batch by batch."""
        name = self.qualified(self.table_name(model.__record__))
        cols = list(ddl.column_kinds(model))
        indexed = [c for c in ("user_id", "resume_id") if c in cols]

        def create() -> None:
            with self.conn.cursor() as cur:
                cur.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'")
                cur.execute(f"DROP TABLE IF EXISTS {name}")
                cur.execute(
                    ddl.create_table_sql(model, "mysql", name)
                    + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
                )
                for c in indexed:
                    cur.execute(f"CREATE INDEX ix_{model.__record__}_{c} ON {name} ({c})")

        self.retry("create table", create)
        sql = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
        n = 0
        for batch in batches:
            values = ddl.to_server(model, "mysql", cols, batch)

            def insert(values: list[tuple[Any, ...]] = values) -> None:
                with self.conn.cursor() as cur:
                    cur.executemany(sql, values)

            # a retried batch could duplicate rows after a lost reply: load is re-run whole (it replaces tables)
            self.retry("insert", insert)
            n += len(values)
            if tick:
                tick(len(values))
        return n
