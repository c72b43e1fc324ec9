"""The ``mongodb`` connector (``pymongo``): the seed's user documents
``{user_id, documents[...], knowledge_base{...}}``, one collection (``user_documents`` by default).

The platform keys documents by the user's e-mail (stitching, ``stitch.py``): ``keys()`` lists every stored
``user_id`` once (a projection, no document bodies), and ``documents(keys)`` fetches one batch of users' documents
with a single ``{"user_id": {"$in": [...]}}`` query, in ``_id`` order. Connection errors are retried with the
shared backoff. Not tested against a live MongoDB: see docs/stores.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ai_identity.sources.base import Connector, batched, require


class MongoConnector(Connector):
    kind: ClassVar[str] = "mongodb"
    source: ClassVar[str] = "mongodb"

    def __init__(self, config: Any, client: Any = None, **kw: Any) -> None:
        """``client``: an already built ``MongoClient`` (tests); by default one is made from the configuration."""
        self.pymongo = require("pymongo", extra="mongodb")
        super().__init__(config, **kw)
        errors = self.pymongo.errors
        self.transient = (
            errors.ConnectionFailure,
            errors.NetworkTimeout,
        )  # AutoReconnect, ServerSelection...
        self._client = client

    def connect(self) -> Any:
        if self._client is not None:
            return self._client
        c = self.config
        auth: dict[str, Any] = {}
        if c.user:
            auth = {
                "username": c.user,
                "password": c.password.get_secret_value() if c.password else "",
                "authSource": c.auth_source,
            }
        ms = int(c.connect_timeout * 1000)
        client = self.pymongo.MongoClient(
            c.host, c.port, serverSelectionTimeoutMS=ms, connectTimeoutMS=ms, **auth
        )
        client.admin.command("ping")
        return client

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None and conn is not self._client:
            conn.close()

    def _collection(self) -> Any:
        return self.conn[self.config.database][self.config.collection]

    def keys(self) -> list[Any]:
        """Every document's ``user_id`` as stored, in ``_id`` order (one per document)."""

        def run() -> list[Any]:
            cur = self._collection().find({}, {"user_id": 1, "_id": 0}, sort=[("_id", 1)])
            return [d.get("user_id") for d in cur.batch_size(self.config.batch_size)]

        return self.retry("list user_id", run)

    def documents(self, keys: list[str], fields: list[str] | None = None) -> dict[str, dict[str, Any]]:
        """The first document (by ``_id``) of each stored ``user_id`` in ``keys``, one query per batch;
        ``fields``: a projection (dotted paths; the read plan's) — no other field leaves the server."""
        projection = None if fields is None else dict.fromkeys(["user_id", "_id", *fields], 1)
        out: dict[str, dict[str, Any]] = {}
        for chunk in batched(sorted(set(keys)), self.config.batch_size):

            def run(chunk: list[str] = chunk) -> list[dict[str, Any]]:
                cur = self._collection().find({"user_id": {"$in": chunk}}, projection, sort=[("_id", 1)])
                return list(cur.batch_size(self.config.batch_size))

            for doc in self.retry("find documents", run):
                out.setdefault(doc["user_id"], doc)
        return out
