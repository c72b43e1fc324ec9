"""A platform read from real servers: the seed's MySQL and PostgreSQL tables through the ``mysql`` and
``postgres`` connectors; Redis keys, the graph, documents and vectors through the ``redis``, ``neo4j``,
``mongodb`` and ``weaviate`` connectors when configured, else from the embedded folder named by the configuration's
``embedded`` source; the per-user private SQLite files and the events always from that folder. It offers the
reading interface of :class:`~ai_identity.sources.embedded.reader.EmbeddedPlatform` that ``build`` uses, and fills
the same :class:`~ai_identity.sources.base.UserRecords` bundles.

A server that stays down after its retries (``Connector.guarded``) is left out for the rest of the run: the
affected users are built as partial identities naming it (or skipped, for MySQL, which holds ``users``) and
``build`` exits 3 with the source marked ``down`` in its summary.
"""

from __future__ import annotations

import importlib
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
from ai_identity.sources.embedded.stitch import CYPHER_TEMPLATES, SideStores, _redis_user

if TYPE_CHECKING:
    from ai_identity.sources.mysql import MySQLConnector
    from ai_identity.sources.postgres import PostgresConnector
    from ai_identity.sources.redis import RedisConnector


def _naive_utc(t: datetime) -> datetime:
    """MySQL DATETIME columns hold UTC without a zone (docs/stores.md)."""
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t


class _Rows:
    """A graph's query results fetched up front: ``query(name)`` as the embedded engine offers it."""

    def __init__(self, rows: dict[str, list[list[Any]]]) -> None:
        self.rows = rows

    def query(self, name: str) -> list[list[Any]]:
        return self.rows[name]


# side stores whose records feed identities: down during a build, they make the affected identities partial
_FEEDS_IDENTITIES = {"graph": {"graph_id", "graph_node", "has_skill", "worked_at"}, "mongodb": {"documents"}}


class ServerSideStores(SideStores):
    """The folder's side stores, with each one a server is configured for read from that server instead: Redis
    keys (``redis``), the graph (``neo4j``, through the shared Cypher), documents (``mongodb``) and vectors
    (``weaviate``). A server that stays down is left out for the run and named on every bundle it would feed."""

    def __init__(self, root: Path, report: ReadReport, redis_conn: Any, **servers: Any) -> None:
        super().__init__(root, report)
        self.redis_conn = redis_conn
        self.graph_conn = servers.get("graph")
        self.mongo_conn = servers.get("mongodb")
        self.vector_conn = servers.get("weaviate")
        self.down: dict[str, str] = {}  # side source -> why it is left out of this run
        self._docs: dict[str, dict[str, Any]] = {}

    def _guarded(self, source: str, conn: Any, fn: Any) -> Any:
        out = conn.guarded(fn, self.report)
        if out is None:
            self.down[source] = conn.down
        return out

    def _load_redis(self) -> None:
        if self.redis_conn is None:
            self.report["redis"].present, self.report["redis"].note = False, "no redis source configured"
            return
        self.redis_conn.report = self.report
        keys = self._guarded("redis", self.redis_conn, lambda: list(self.redis_conn.iter_keys()))
        if keys is None:  # down after its retries: the build goes on without the keys (no facet uses them)
            self.redis_by_user.clear()
            return
        for key in keys:
            uid = _redis_user(key)
            if uid is not None:
                self.redis_by_user[uid][key.key] = key.value

    def _open_graph(self) -> Any:
        if self.graph_conn is None:
            return super()._open_graph()
        conn = self.graph_conn
        rows = self._guarded("graph", conn, lambda: {n: conn.query(n) for n in CYPHER_TEMPLATES})
        return None if rows is None else _Rows(rows)

    def _index_documents(self) -> None:
        if self.mongo_conn is None:
            super()._index_documents()
            return
        keys = self._guarded("mongodb", self.mongo_conn, self.mongo_conn.keys)
        for key in keys or []:
            if isinstance(key, str) and key.strip():
                self.doc_offsets[key.strip().lower()].append(key)  # the stored key: what documents() asks for
            else:
                self.report["mongodb"].reject("documents: a document without a string user_id")

    def _load_vectors(self) -> None:
        if self.vector_conn is None:
            super()._load_vectors()
            return
        objects = self._guarded("weaviate", self.vector_conn, self.vector_conn.objects)
        dims: dict[str, int] = {}
        for props in objects or []:
            self._add_vector(props, dims)

    def attach(self, bundles: list[UserRecords], as_of: datetime | None) -> None:
        if self.mongo_conn is not None and "mongodb" not in self.down:
            wanted = [
                self.doc_offsets[e][0]
                for b in bundles
                if b.user and b.user.email and (e := b.user.email.strip().lower()) in self.doc_offsets
            ]
            docs = self._guarded("mongodb", self.mongo_conn, lambda: self.mongo_conn.documents(wanted))
            self._docs = docs or {}
        super().attach(bundles, as_of)
        for source, reason in self.down.items():
            self.report[source].down = reason  # each batch's report names it (build merges them)
            if source in _FEEDS_IDENTITIES:
                without_source({b.user_id: b for b in bundles}, source, reason, _FEEDS_IDENTITIES[source])

    def _read_document(self, offset: Any) -> r.UserDocuments | None:
        if self.mongo_conn is None:
            return super()._read_document(offset)
        doc = self._docs.get(offset)
        if doc is None:
            return None
        return self._valid(
            r.UserDocuments, {**doc, "_id": str(doc["_id"])} if "_id" in doc else doc, "mongodb"
        )


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
        self.servers: dict[str, Any] = {}  # side source -> its connector, for the kinds configured
        for kind, source, module, cls in (
            ("neo4j", "graph", "neo4j_graph", "Neo4jConnector"),
            ("mongodb", "mongodb", "mongodb", "MongoConnector"),
            ("weaviate", "weaviate", "weaviate_vectors", "WeaviateConnector"),
        ):
            if (conf := cfg.source(kind)) is not None:
                mod = importlib.import_module(f"ai_identity.sources.{module}")
                self.servers[source] = getattr(mod, cls)(conf)
        self.side = ServerSideStores(self.root, self.report, self.redis, **self.servers)
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

        def read() -> bool:
            conn.fill(bundles, as_of)
            return True

        if conn.guarded(read, self.report) is None:
            without_source(bundles, conn.source, conn.down, {t[1] for t in conn.TABLES.values()})

    def close(self) -> None:
        for conn in (*self.sql, self.redis, *self.servers.values()):
            if conn is not None:
                conn.close()
        self.side.close()
