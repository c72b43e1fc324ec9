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
from ai_identity.privacy import tiers as T
from ai_identity.privacy.tiers import FULL, ReadPlan, reading_for
from ai_identity.sources.base import (
    ReadReport,
    RelationalConnector,
    UserRecords,
    validate_row,
    without_source,
)
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.reader import EmbeddedPlatform, users_columns
from ai_identity.sources.embedded.stitch import (
    CYPHER_TEMPLATES,
    DOCUMENT_FIELDS,
    SideStores,
    _redis_kind,
    _redis_user,
    project,
    stitch_digest,
)

if TYPE_CHECKING:
    from ai_identity.sources.mysql import MySQLConnector
    from ai_identity.sources.postgres import PostgresConnector
    from ai_identity.sources.redis import RedisConnector


def _naive_utc(t: datetime) -> datetime:
    """MySQL DATETIME columns hold UTC without a zone (docs/stores.md)."""
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo else t


class _Rows:
    """A graph's query results fetched up front: ``query(name)`` as the embedded engine offers it."""

    def __init__(self, rows: dict[str, list[list[Any]]], conn: Any, guarded: Any) -> None:
        self.rows, self.conn, self.guarded = rows, conn, guarded

    def query(self, name: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """A prefetched query's rows; a query with parameters goes to the server (retried, guarded)."""
        if params is None and name in self.rows:
            return self.rows[name]
        out = self.guarded(lambda: self.conn.query(name, params))
        return out if out is not None else []


# queries that take parameters: asked of the server when needed, not prefetched
_PARAMETRIC = {"collaborated"}
# side stores whose records feed identities: down during a build, they make the affected identities partial
_FEEDS_IDENTITIES = {"graph": {"graph_id", "graph_node", "has_skill", "worked_at"}, "mongodb": {"documents"}}


class ServerSideStores(SideStores):
    """The folder's side stores, with each one a server is configured for read from that server instead: Redis
    keys (``redis``), the graph (``neo4j``, through the shared Cypher), documents (``mongodb``) and vectors
    (``weaviate``). A server that stays down is left out for the run and named on every bundle it would feed."""

    def __init__(
        self,
        root: Path,
        report: ReadReport,
        redis_conn: Any,
        skip: frozenset[str] = frozenset(),
        plans: Any = None,
        **servers: Any,
    ) -> None:
        super().__init__(root, report, skip=skip)
        self.redis_conn = redis_conn
        self.plans = plans  # callable () -> {user id: ReadPlan}, asked only when Redis is read
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
        plans: dict[int, ReadPlan] = self.plans() if self.plans is not None else {}

        def allow(seed_key: str) -> bool:
            """A key is fetched only when its owner's consent allows its kind (session keys name no user in
            their key: they are basic, fetched for anyone)."""
            kind = _redis_kind(seed_key)
            owner = _redis_user(r.RedisKey.model_construct(key=seed_key, value=None))
            if owner is None:
                return kind == "session"
            return owner in plans and plans[owner].redis_kind(kind)

        conn = self.redis_conn
        keys = self._guarded(
            "redis", conn, lambda: list(conn.iter_keys(allow=allow if self.plans is not None else None))
        )
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
        rows = self._guarded(
            "graph", conn, lambda: {n: conn.query(n) for n in CYPHER_TEMPLATES if n not in _PARAMETRIC}
        )
        return None if rows is None else _Rows(rows, conn, lambda fn: self._guarded("graph", conn, fn))

    def _index_documents(self) -> None:
        if self.mongo_conn is None:
            super()._index_documents()
            return
        with reading_for("stitching"):
            keys = self._guarded("mongodb", self.mongo_conn, self.mongo_conn.keys)
        for key in keys or []:
            if isinstance(key, str) and key.strip():
                # indexed by the stitching digest; the stored key is what documents() asks for
                self.doc_offsets[stitch_digest(key) or ""].append(key)
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

    def attach(self, bundles: list[UserRecords], as_of: datetime | None, plan: ReadPlan = FULL) -> None:
        if self.mongo_conn is not None and "mongodb" not in self.down:
            wanted = [
                self.doc_offsets[d][0]
                for b in bundles
                if (d := self.digest_of.get(b.user_id))
                and len(self.email_to_uids.get(d, [])) == 1
                and d in self.doc_offsets
            ]
            fields = plan.document_fields(DOCUMENT_FIELDS)
            docs = self._guarded(
                "mongodb",
                self.mongo_conn,
                lambda: self.mongo_conn.documents(wanted, fields) if wanted else {},
            )
            self._docs = docs or {}
        super().attach(bundles, as_of, plan)
        for source, reason in self.down.items():
            self.report[source].down = reason  # each batch's report names it (build merges them)
            if source in _FEEDS_IDENTITIES:
                without_source({b.user_id: b for b in bundles}, source, reason, _FEEDS_IDENTITIES[source])

    def _read_document(self, offset: Any, fields: list[str], digest: str) -> r.UserDocuments | None:
        if self.mongo_conn is None:
            return super()._read_document(offset, fields, digest)
        doc = self._docs.get(offset)
        if doc is None:
            return None
        doc = project(doc, fields) | {"user_id": "stitched:" + digest[:12]}
        return self._valid(r.UserDocuments, doc, "mongodb")


class ServerPlatform(EmbeddedPlatform):
    """Relational records and Redis keys from servers, the rest from the configured embedded folder."""

    def __init__(self, cfg: StoresConfig, skip: frozenset[str] = frozenset()) -> None:
        """``skip``: tables and side stores not to read (as :class:`EmbeddedPlatform`'s)."""
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
        self.skip = skip
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
        self.side = ServerSideStores(self.root, self.report, self.redis, skip, self.plans, **self.servers)
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
        """(id, username, e-mail digest) of every user, read by the stitching component (see the reader's)."""
        with reading_for("stitching"):
            rows = self.mysql.query(f"SELECT id, username, email FROM {self._users_table()}")
        return [(uid, name, stitch_digest(email)) for uid, name, email in rows]

    def plans(self) -> dict[int, ReadPlan]:
        """Every user's read plan (their consent read first): what a platform-wide read filters by."""
        from ai_identity.collect import group_by_plan

        out: dict[int, ReadPlan] = {}
        ids = self.user_ids()
        for i in range(0, len(ids), 500):
            bundles = {uid: UserRecords(uid) for uid in ids[i : i + 500]}
            with reading_for("consent"):
                self._read_consent(bundles, None)
            for plan, group in group_by_plan(bundles, self.consent_of):
                out.update(dict.fromkeys(group, plan))
        return out

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
        with reading_for("derive"):  # the location only ever leaves the collector as a time zone
            locations = self._column("user_profiles", "location")
        for uid, loc in locations.items():
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

    def _read_consent(self, bundles: dict[int, UserRecords], as_of: datetime | None) -> None:
        """As the reader's: the ``users`` row's basic columns and ``user_settings.privacy_settings`` from MySQL,
        ``user_privacy_settings`` from the private files."""

        def consent_columns(seed: str, have: list[str]) -> list[str]:
            return [c for c in T.CONSENT_READ.get(("mysql", seed), ()) if c in have]

        self._fill(self.mysql, bundles, None if as_of is None else _naive_utc(as_of), consent_columns)
        for bundle in bundles.values():
            self._read_private(bundle, as_of, None)

    def _read_allowed(self, group: dict[int, UserRecords], plan: ReadPlan, as_of: datetime | None) -> None:
        """One consent class's records: each connector selects only the columns ``plan`` allows."""

        def columns(store: str) -> Any:
            def pick(seed: str, have: list[str]) -> list[str]:
                if seed in self.skip:
                    return []
                if seed == "users":
                    return users_columns(plan, have)
                return plan.columns(store, seed, have)

            return pick

        for b in group.values():
            b.settings.clear()  # read again in full: the consent read held privacy_settings only
        self._fill(self.mysql, group, None if as_of is None else _naive_utc(as_of), columns("mysql"))
        if self.postgres is not None:
            self._fill(self.postgres, group, as_of, columns("postgres"))

    def _fill(
        self,
        conn: RelationalConnector,
        bundles: dict[int, UserRecords],
        as_of: datetime | None,
        columns: Any = None,
    ) -> None:
        """One server's records of a batch. A server still down after its retries is left out of this batch
        and every later one: the bundles lose what it had added (never half a source), and name it as
        ``missing``/``down`` — the users of a batch without MySQL (no ``users`` row) are skipped by ``build``,
        the others become partial identities."""

        def read() -> bool:
            conn.fill(bundles, as_of, columns)
            return True

        if conn.guarded(read, self.report) is None:
            without_source(bundles, conn.source, conn.down, {t[1] for t in conn.TABLES.values()})

    def close(self) -> None:
        for conn in (*self.sql, self.redis, *self.servers.values()):
            if conn is not None:
                conn.close()
        self.side.close()
