"""The ``weaviate`` connector (``weaviate-client`` v4): the seed's ``UserVector`` objects
``{user_id, content_vector, skills_vector, behavior_vector, metadata}``.

The objects are read whole with the collection's cursor iterator (``Collection.iterator``, which pages through
every object by id), with their vectors. A vector the seed names may be stored as a ``number[]`` property (the
seed's layout) or as a named vector of the collection (``content_vector`` etc.); a property wins when both exist.
Connection errors are retried with the shared backoff. Not tested against a live Weaviate: see docs/stores.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from ai_identity.sources.base import Connector, require

VECTORS = ("content_vector", "skills_vector", "behavior_vector")


def object_properties(obj: Any) -> dict[str, Any]:
    """A Weaviate object (``properties`` and ``vector``) as the seed's ``UserVector`` properties."""
    props = dict(obj.properties or {})
    named = obj.vector if isinstance(obj.vector, dict) else {}
    for name in VECTORS:
        if props.get(name) is None and named.get(name) is not None:
            props[name] = list(named[name])
    return props


class WeaviateConnector(Connector):
    kind: ClassVar[str] = "weaviate"
    source: ClassVar[str] = "weaviate"

    def __init__(self, config: Any, client: Any = None, **kw: Any) -> None:
        """``client``: an already built ``WeaviateClient`` (tests); by default one is made from the config."""
        self.weaviate = require("weaviate", "weaviate-client", extra="weaviate")
        super().__init__(config, **kw)
        exc = require("weaviate.exceptions", "weaviate-client", extra="weaviate")
        self.transient = (
            exc.WeaviateConnectionError,
            exc.WeaviateTimeoutError,
            exc.WeaviateGRPCUnavailableError,
        )
        self._client = client

    def connect(self) -> Any:
        if self._client is not None:
            return self._client
        c = self.config
        from weaviate.classes.init import AdditionalConfig, Auth, Timeout

        return self.weaviate.connect_to_custom(
            http_host=c.host,
            http_port=c.port,
            http_secure=c.secure,
            grpc_host=c.host,
            grpc_port=c.grpc_port,
            grpc_secure=c.secure,
            auth_credentials=Auth.api_key(c.api_key.get_secret_value()) if c.api_key else None,
            additional_config=AdditionalConfig(timeout=Timeout(init=c.connect_timeout)),
        )

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None and conn is not self._client:
            conn.close()

    def objects(self) -> list[dict[str, Any]]:
        """Every object's properties (with its vectors), read in one pass; a pass cut off is retried whole."""

        def run() -> list[dict[str, Any]]:
            coll = self.conn.collections.use(self.config.collection)
            it: Iterator[Any] = coll.iterator(include_vector=True, cache_size=self.config.batch_size)
            return [object_properties(obj) for obj in it]

        return self.retry("iterate objects", run)
