"""The Neo4j, MongoDB and Weaviate connectors at the driver boundary — no such server can run here.

- Neo4j: a driver whose ``execute_query`` runs the received Cypher on the embedded engine (Kùzu) loaded with the
  platform's graph, returning real ``neo4j.Record`` objects: the shared queries serve both engines;
- MongoDB: ``mongomock`` (an in-memory implementation of the pymongo API) holding the platform's documents;
- Weaviate: a client whose collection iterator yields the v4 client's own ``Object`` records, some vectors as
  properties (the seed's layout), some as named vectors.

Each side store read through its connector must equal the one read from the embedded folder, bundle by bundle.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from ai_identity.config import GraphNames, MongoSource, Neo4jSource, WeaviateSource, load_config
from ai_identity.errors import MissingDependencyError
from ai_identity.sources.base import ReadReport
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.sources.embedded.stitch import CYPHER, CYPHER_TEMPLATES, GraphStore, cypher
from ai_identity.sources.mongodb import MongoConnector
from ai_identity.sources.neo4j_graph import Neo4jConnector
from ai_identity.sources.servers import ServerSideStores
from ai_identity.sources.weaviate_vectors import WeaviateConnector
from ai_identity.synth.writer import generate

NEO4J = Neo4jSource(kind="neo4j", retries=1, backoff_seconds=0)
MONGO = MongoSource(kind="mongodb", database="platform", retries=1, backoff_seconds=0)
WEAVIATE = WeaviateSource(kind="weaviate", retries=1, backoff_seconds=0, batch_size=7)


@pytest.fixture(scope="module")
def platform(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("side") / "platform"
    generate(root, 40, seed=9)
    return root


class KuzuDriver:
    """The Bolt driver's ``execute_query``, answered by the embedded Cypher engine."""

    def __init__(self, graph: GraphStore, fail: int = 0) -> None:
        self.graph, self.fail, self.queries = graph, fail, []

    def execute_query(
        self, query: str, parameters_: Any = None, routing_: Any = None, database_: Any = None
    ) -> Any:
        import neo4j

        if self.fail:
            self.fail -= 1
            raise neo4j.exceptions.ServiceUnavailable("connection refused")
        assert routing_ == neo4j.RoutingControl.READ
        self.queries.append(query)
        res: Any = self.graph.con.execute(query, parameters_ or {})
        keys = res.get_column_names()
        records = []
        while res.has_next():
            records.append(neo4j.Record(zip(keys, res.get_next(), strict=True)))
        return records, None, keys


class Collection:
    def __init__(self, objects: list[Any]) -> None:
        self.objects = objects

    def iterator(self, include_vector: bool = False, cache_size: int | None = None) -> Any:
        assert include_vector
        return iter(self.objects)


class WeaviateClient:
    def __init__(self, objects: list[Any]) -> None:
        outer = self

        class Collections:
            def use(self, name: str) -> Collection:
                assert name == "UserVector"
                return Collection(outer.objects)

        self.objects, self.collections = objects, Collections()


def _weaviate_objects(root: Path) -> list[Any]:
    from weaviate.collections.classes.internal import Object

    out = []
    for i, line in enumerate((root / L.VECTORS_FILE).read_text().splitlines()):
        try:
            props = json.loads(line)["properties"]
        except (ValueError, KeyError, TypeError):
            continue  # the injected malformed lines: a Weaviate collection cannot hold them
        named = {}
        if i % 2:  # every other object keeps its vectors as named vectors, not properties
            named = {k: props.pop(k) for k in ("content_vector", "skills_vector") if props.get(k) is not None}
        out.append(Object(uuid.uuid4(), None, props, None, named, "UserVector"))
    return out


def _mongo(root: Path) -> Any:
    import mongomock

    client = mongomock.MongoClient()
    docs = []
    for line in (root / L.DOCUMENTS_FILE).read_text().splitlines():
        try:
            docs.append(json.loads(line))
        except ValueError:
            continue
    client["platform"]["user_documents"].insert_many([d for d in docs if isinstance(d, dict)])
    return client


def _stores(root: Path, side: Any) -> tuple[list[Any], ReadReport]:
    emb = EmbeddedPlatform(root)
    bundles = emb.read_batch(emb.user_ids())  # relational + private records; side stores replaced below
    for b in bundles:
        b.graph_id = b.graph_node = b.documents = b.vector = None
        b.has_skill, b.worked_at, b.redis = [], [], {}
        b.missing, b.conflicts = {}, []
    side.prepare(emb.user_keys())
    side.attach(bundles, None)
    emb.close()
    return bundles, side.report


FIELDS = ("graph_id", "graph_node", "has_skill", "worked_at", "documents", "vector", "missing", "conflicts")


def test_when_side_stores_come_from_their_servers_then_every_bundle_equals_the_folder(platform) -> None:
    from ai_identity.sources.embedded.stitch import SideStores

    folder = SideStores(platform, ReadReport())
    want, want_report = _stores(platform, folder)
    driver = KuzuDriver(GraphStore(platform / L.GRAPH_DIR, ReadReport()))
    side = ServerSideStores(
        platform,
        ReadReport(),
        None,
        graph=Neo4jConnector(NEO4J, driver=driver),
        mongodb=MongoConnector(MONGO, client=_mongo(platform)),
        weaviate=WeaviateConnector(WEAVIATE, client=WeaviateClient(_weaviate_objects(platform))),
    )
    got, report = _stores(platform, side)
    # prefetched at prepare(); the relational edges are asked for only among consenting users, on demand
    assert driver.queries == [CYPHER[n] for n in ("users", "has_skill", "worked_at")]
    everyone = {b.user_id for b in want}
    folder.collaborations_among(everyone)
    side.collaborations_among(everyone)
    assert driver.queries[-1] == CYPHER["collaborated"]
    assert sum(b.graph_id is not None for b in got) > 30
    assert sum(b.documents is not None for b in got) > 30
    assert sum(b.vector is not None for b in got) > 30
    for w, g in zip(want, got, strict=True):
        for f in FIELDS:
            assert getattr(g, f) == getattr(w, f), (w.user_id, f)
    assert side.collaborations == folder.collaborations and side.collaborations
    for source in ("graph", "mongodb"):
        assert report[source].read == want_report[source].read, source
    assert report["weaviate"].read == want_report["weaviate"].read
    assert not report.down()


def test_when_the_graph_server_drops_once_then_the_query_is_retried(platform) -> None:
    driver = KuzuDriver(GraphStore(platform / L.GRAPH_DIR, ReadReport()), fail=1)
    conn = Neo4jConnector(NEO4J.model_copy(update={"retries": 2}), driver=driver, sleep=lambda s: None)
    assert conn.query("users") == GraphStore(platform / L.GRAPH_DIR, ReadReport()).query("users")


def test_when_the_graph_and_documents_servers_stay_down_then_bundles_name_them(platform) -> None:
    class DownClient:
        def __getitem__(self, name: str) -> Any:
            import pymongo

            raise pymongo.errors.ServerSelectionTimeoutError("no server")

    driver = KuzuDriver(GraphStore(platform / L.GRAPH_DIR, ReadReport()), fail=99)
    side = ServerSideStores(
        platform,
        ReadReport(),
        None,
        graph=Neo4jConnector(NEO4J, driver=driver, sleep=lambda s: None),
        mongodb=MongoConnector(MONGO, client=DownClient(), sleep=lambda s: None),
    )
    got, report = _stores(platform, side)
    assert set(report.down()) == {"graph", "mongodb"}
    assert (
        report.down()["graph"]
        == "source neo4j (neo4j): query users failed after 2 attempt(s) (ServiceUnavailable)"
    )
    for b in got:
        assert b.graph_id is None and b.has_skill == [] and b.documents is None
        assert set(b.down) == {"graph", "mongodb"}
        assert b.missing["graph"].startswith("unreachable during the build")


def test_when_labels_are_configured_then_one_query_set_serves_both_engines(platform) -> None:
    assert set(CYPHER) == set(CYPHER_TEMPLATES)
    names = GraphNames(user="Person", has_skill="KNOWS SKILL")
    q = cypher("has_skill", names)
    assert q.startswith("MATCH (u:Person)-[r:`KNOWS SKILL`]->(s:Skill) RETURN")
    # the embedded engine accepts the quoted form the renamed labels produce
    graph = GraphStore(platform / L.GRAPH_DIR, ReadReport())
    quoted = CYPHER_TEMPLATES["has_skill"].format(
        **{k: f"`{v}`" for k, v in GraphNames().model_dump().items()}
    )
    assert graph.query("has_skill") == [row for row in _run(graph, quoted)]


def _run(graph: GraphStore, query: str) -> list[list[Any]]:
    res: Any = graph.con.execute(query)
    out = []
    while res.has_next():
        out.append(res.get_next())
    return out


def test_when_configured_then_the_new_kinds_load_with_defaults_and_env(tmp_path) -> None:
    cfg_file = tmp_path / "ai-identity.toml"
    cfg_file.write_text(
        '[[sources]]\nkind = "neo4j"\n[sources.labels]\nuser = "Person"\n'
        '[[sources]]\nkind = "mongodb"\ndatabase = "platform"\n'
        '[[sources]]\nkind = "weaviate"\n'
    )
    cfg = load_config(cfg_file, environ={"AI_IDENTITY_SOURCES__NEO4J__PASSWORD": "s3cret-value"})
    neo = cfg.source("neo4j")
    assert neo.uri == "bolt://127.0.0.1:7687" and neo.labels.user == "Person" and neo.labels.skill == "Skill"
    assert neo.password.get_secret_value() == "s3cret-value" and "s3cret" not in repr(cfg)
    assert cfg.source("mongodb").collection == "user_documents"
    assert cfg.source("weaviate").collection == "UserVector"
    cfg_file.write_text('[[sources]]\nkind = "mongodb"\n')
    with pytest.raises(Exception, match=r"sources\.mongodb\.database: required value missing"):
        load_config(cfg_file, environ={})


@pytest.mark.parametrize(
    ("cls", "conf", "module", "extra"),
    [
        (Neo4jConnector, NEO4J, "neo4j", "neo4j"),
        (MongoConnector, MONGO, "pymongo", "mongodb"),
        (WeaviateConnector, WEAVIATE, "weaviate", "weaviate"),
    ],
)
def test_when_a_driver_is_missing_then_the_error_gives_the_pip_line(
    monkeypatch, cls, conf, module, extra
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import of a None entry raises ImportError
    with pytest.raises(MissingDependencyError) as exc:
        cls(conf)
    assert str(exc.value).endswith(f'is not installed: pip install "ai-identity[{extra}]"')
