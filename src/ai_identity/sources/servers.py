"""A platform read from real servers: the seed's MySQL and PostgreSQL tables through the ``mysql`` and
``postgres`` connectors, Redis keys through the ``redis`` connector; the per-user private SQLite files, the graph,
documents and vectors still from the embedded folder named by the configuration's ``embedded`` source
(phase 1 of issue 5). It offers the reading interface of
:class:`~ai_identity.sources.embedded.reader.EmbeddedPlatform` that ``build`` uses, and fills the same
:class:`~ai_identity.sources.base.UserRecords` bundles.

A server that stays down after its retries (``Connector.guarded``) is left out for the rest of the run: the
affected users are built as partial identities naming it (or skipped, for MySQL, which holds ``users``) and
``build`` exits 3 with the source marked ``down`` in its summary.

Not yet served from a server: the event table (``build`` reads events from the folder's ``platform.sqlite``), and
the graph, documents and vectors (Neo4j, MongoDB, Weaviate connectors are later work).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ai_identity.config import StoresConfig
from ai_identity.errors import ConfigError
from ai_identity.model import records as r
from ai_identity.sources.base import (
    ReadReport,
    RelationalConnector,
    UserRecords,
    validate_row,
    without_source,
)
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.sources.embedded.stitch import SideStores, _redis_user

if TYPE_CHECKING:
    from ai_identity.sources.mysql import MySQLConnector
    from ai_identity.sources.postgres import PostgresConnector
    from ai_identity.sources.redis import RedisConnector


def _naive_utc(t: datetime) -> datetime:
    """MySQL DATETIME columns hold UTC without a zone (docs/stores.md)."""
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t


class ServerSideStores(SideStores):
    """The folder's side stores, with the Redis keys read from the server instead of ``redis/keys.jsonl``."""

    def __init__(self, root: Path, report: ReadReport, redis_conn: Any) -> None:
        super().__init__(root, report)
        self.redis_conn = redis_conn

    def _load_redis(self) -> None:
        if self.redis_conn is None:
            self.report["redis"].present, self.report["redis"].note = False, "no redis source configured"
            return
        self.redis_conn.report = self.report
        keys = self.redis_conn.guarded(lambda: list(self.redis_conn.iter_keys()), self.report)
        if keys is None:  # down after its retries: the build goes on without the keys (no facet uses them)
            self.redis_by_user.clear()
            return
        for key in keys:
            uid = _redis_user(key)
            if uid is not None:
                self.redis_by_user[uid][key.key] = key.value


class ServerPlatform(EmbeddedPlatform):
    """Relational records and Redis keys from servers, the rest from the configured embedded folder."""

    def __init__(self, cfg: StoresConfig) -> None:
        from ai_identity.sources.mysql import MySQLConnector
        from ai_identity.sources.postgres import PostgresConnector
        from ai_identity.sources.redis import RedisConnector

        folder = cfg.source("embedded")
        if folder is None:
            raise ConfigError(
                "sources: an entry of kind embedded (path = the folder holding users/, graph/, documents/, "
                "vectors/) is required with mysql/postgres sources in this version"
            )
        if cfg.source("mysql") is None:
            raise ConfigError("sources: a mysql source (holding users) is required to build from servers")
        self.root = Path(folder.path)
        self._report = ReadReport()
        self.meta: dict[str, Any] = {}
        if (self.root / L.META_FILE).exists():
            self.meta = json.loads((self.root / L.META_FILE).read_text())
        self.mysql: MySQLConnector = MySQLConnector(cfg.source("mysql"), report=self.report)
        pg = cfg.source("postgres")
        self.postgres: PostgresConnector | None = (
            PostgresConnector(pg, report=self.report) if pg is not None else None
        )
        rs = cfg.source("redis")
        self.redis: RedisConnector | None = RedisConnector(rs, report=self.report) if rs is not None else None
        self.sql: list[RelationalConnector] = [self.mysql, *([self.postgres] if self.postgres else [])]
        for conn in self.sql:
            conn.usable()
        if "users" not in self.mysql.usable():
            raise ConfigError(
                f"sources.{self.mysql.name}: table {self.mysql.table_name('users')} is absent or lacks a seed "
                "column; no user can be built"
            )
        if self.postgres is None:
            self.report["postgres"].present, self.report["postgres"].note = (
                False,
                "no postgres source configured",
            )
        self.side = ServerSideStores(self.root, self.report, self.redis)
        if not (self.root / L.USERS_DIR).is_dir():
            self.report["sqlite"].present, self.report["sqlite"].note = False, f"{L.USERS_DIR}/ is absent"

    @property
    def report(self) -> ReadReport:
        return self._report

    @report.setter
    def report(self, report: ReadReport) -> None:
        """``build`` gives each batch a fresh report: the connectors count into it too."""
        self._report = report
        for name in ("mysql", "postgres", "redis"):
            conn = getattr(self, name, None)
            if conn is not None:
                conn.report = report

    def _users_table(self) -> str:
        return self.mysql.qualified(self.mysql.table_name("users"))

    def user_keys(self) -> list[tuple[int, str | None, str | None]]:
        """(id, username, email) of every user: what stitching indexes the side stores against."""
        return [
            tuple(row) for row in self.mysql.query(f"SELECT id, username, email FROM {self._users_table()}")
        ]

    def user_ids(self, as_of: datetime | None = None) -> list[int]:
        sql = f"SELECT id FROM {self._users_table()}"
        args: tuple[Any, ...] = ()
        if as_of is not None:
            sql += " WHERE (created_at IS NULL OR created_at <= %s)"
            args = (_naive_utc(as_of),)
        return [row[0] for row in self.mysql.query(sql + " ORDER BY id", args)]

    def _column(self, seed_table: str, column: str) -> dict[int, Any]:
        if seed_table not in self.mysql.usable() or column not in self.mysql.usable()[seed_table]:
            return {}
        name = self.mysql.qualified(self.mysql.table_name(seed_table))
        return dict(self.mysql.query(f"SELECT user_id, {column} FROM {name}"))

    def timezone_inputs(self) -> dict[int, tuple[str | None, str | None]]:
        out: dict[int, tuple[str | None, str | None]] = {}
        for uid, tz in self._column("user_settings", "timezone").items():
            out[uid] = (tz if isinstance(tz, str) else None, None)
        for uid, loc in self._column("user_profiles", "location").items():
            out[uid] = (out.get(uid, (None, None))[0], loc if isinstance(loc, str) else None)
        return out

    def setting_values(self, column: str) -> dict[int, Any]:
        return self._column("user_settings", column)

    def skill_dictionary(self) -> dict[int, r.Skill]:
        name = self.mysql.qualified(self.mysql.table_name("skills"))
        cols = ("id", "name", "category")
        out = {}
        for row in self.mysql.query(f"SELECT id, name, category FROM {name} ORDER BY id"):
            rec = validate_row(r.Skill, dict(zip(cols, row, strict=True)), self.report["mysql"], row[0])
            if rec:
                out[rec.id] = rec
        return out

    def read_batch(self, ids: list[int], as_of: datetime | None = None) -> list[UserRecords]:
        if not self.side._prepared:
            self.side.prepare(self.user_keys())
        bundles = {uid: UserRecords(uid) for uid in ids}
        self._fill(self.mysql, bundles, None if as_of is None else _naive_utc(as_of))
        if self.postgres is not None:
            self._fill(self.postgres, bundles, as_of)
        for b in bundles.values():
            self._read_private(b, as_of)
        self.side.attach(list(bundles.values()), as_of)
        return list(bundles.values())

    def _fill(
        self, conn: RelationalConnector, bundles: dict[int, UserRecords], as_of: datetime | None
    ) -> None:
        """One server's records of a batch. A server still down after its retries is left out of this batch
        and every later one: the bundles lose what it had added (never half a source), and name it as
        ``missing``/``down`` — the users of a batch without MySQL (no ``users`` row) are skipped by ``build``,
        the others become partial identities."""
        if conn.guarded(lambda: conn.fill(bundles, as_of) or True, self.report) is None:
            without_source(bundles, conn.source, conn.down, {t[1] for t in conn.TABLES.values()})

    def close(self) -> None:
        for conn in (*self.sql, self.redis):
            if conn is not None:
                conn.close()
        self.side.close()
