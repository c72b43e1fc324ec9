"""The ``neo4j`` connector (official ``neo4j`` driver, Bolt): the seed's graph —
``(:User)-[:HAS_SKILL]->(:Skill)``, ``-[:WORKED_AT]->(:Company)``, ``-[:COLLABORATED_WITH]->(:User)`` — read with
the very Cypher queries the embedded engine runs (:data:`ai_identity.sources.embedded.stitch.CYPHER_TEMPLATES`),
with the configured labels filled in.

It offers the embedded graph's interface (``query(name) -> rows``), so stitching and the analysers are unchanged.
Each query runs through ``Driver.execute_query`` as a read (routed to a reader on a cluster), retried with the
shared backoff on ``ServiceUnavailable``/``SessionExpired``/transient errors. Not tested against a live Neo4j:
see docs/stores.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ai_identity.sources.base import Connector, require
from ai_identity.sources.embedded.stitch import cypher


class Neo4jConnector(Connector):
    kind: ClassVar[str] = "neo4j"
    source: ClassVar[str] = "graph"

    def __init__(self, config: Any, driver: Any = None, **kw: Any) -> None:
        """``driver``: an already built driver (tests); by default one is made from the configuration."""
        self.neo4j = require("neo4j", extra="neo4j")
        super().__init__(config, **kw)
        exc = self.neo4j.exceptions
        self.transient = (exc.ServiceUnavailable, exc.SessionExpired, exc.TransientError)
        self._driver = driver

    def connect(self) -> Any:
        if self._driver is not None:
            return self._driver
        c = self.config
        driver = self.neo4j.GraphDatabase.driver(
            c.uri,
            auth=(c.user, c.password.get_secret_value()),
            connection_timeout=c.connect_timeout,
        )
        driver.verify_connectivity()
        return driver

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None and conn is not self._driver:
            conn.close()

    def describe(self, exc: BaseException) -> str:
        code = getattr(exc, "code", None)  # a Neo4j status code names the class of error, never a value
        return exc.__class__.__name__ + (f" {code}" if isinstance(code, str) else "")

    def query(self, name: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        """Rows of one of the shared queries (``users``, ``has_skill``, ``worked_at``, ``collaborated`` with its
        ``$ids`` parameter)."""
        q = cypher(name, self.config.labels)

        def run() -> list[list[Any]]:
            records, _summary, _keys = self.conn.execute_query(
                q,
                parameters_=params or {},
                routing_=self.neo4j.RoutingControl.READ,
                database_=self.config.database,
            )
            return [list(rec.values()) for rec in records]

        return self.retry(f"query {name}", run)
