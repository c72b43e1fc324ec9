"""The side stores of the embedded layout — graph, documents, Redis keys, Weaviate objects — and the identity
stitching that maps their user keys onto platform user ids.

The graph is loaded into an embedded Kùzu database from its node/edge CSV files (the stand-in for the Neo4j
server) and read with Cypher (the same queries serve Neo4j), asking only for the labels and properties the
consent allows (``privacy/tiers.py``): collaborations only between users who both granted the relational tier.
Stitching rules, strongest first, and never on a weak key alone:
- graph ``User.username`` equals ``users.username`` (exact);
- document ``user_id`` equals ``users.email`` (case-insensitive), matched as keyed HMAC digests made by the
  stitching component (the e-mails never leave it) — an e-mail claimed by two users is a conflict: reported,
  not merged;
- vector ``user_id`` carries the platform id as its trailing digits (``uv-0000123`` -> 123), the rule the
  platform's vector service uses.
Conflicts are recorded on each affected user's bundle and counted in the read report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from ai_identity.errors import RecordError
from ai_identity.model import records as r
from ai_identity.privacy.tiers import FULL, ReadPlan, reading_for
from ai_identity.sources.base import ReadReport, UserRecords
from ai_identity.sources.embedded import layout as L

# One set of Cypher queries for the embedded engine (Kùzu) and Neo4j; labels and relationship types are filled in
# from the configuration (``GraphNames``; the seed's by default), backtick-quoted unless plain identifiers.
CYPHER_TEMPLATES = {
    # ORDER BY: both engines return rows in no fixed order otherwise, and identities must be reproducible
    "users": "MATCH (u:{user}) RETURN u.id, u.username, u.industry ORDER BY u.id",
    "has_skill": "MATCH (u:{user})-[r:{has_skill}]->(s:{skill}) "
    "RETURN u.id, s.name, s.category, r.proficiency, r.years ORDER BY u.id, s.name, r.proficiency",
    "worked_at": "MATCH (u:{user})-[r:{worked_at}]->(c:{company}) "
    "RETURN u.id, c.name, c.industry, r.duration, r.position ORDER BY u.id, c.name, r.position",
    # relational, of both users: only edges between users in $ids (those who granted the tier)
    "collaborated": "MATCH (a:{user})-[r:{collaborated_with}]->(b:{user}) WHERE a.id IN $ids AND b.id IN $ids "
    "RETURN a.id, b.id, r.projects, r.satisfaction ORDER BY a.id, b.id, r.projects",
}


def _label(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "`" + name.replace("`", "``") + "`"


def cypher(name: str, names: Any = None) -> str:
    """The query ``name`` with the configured labels (a ``config.GraphNames``; the seed's when None)."""
    from ai_identity.config import GraphNames

    labels = (names or GraphNames()).model_dump()
    return CYPHER_TEMPLATES[name].format(**{k: _label(v) for k, v in labels.items()})


CYPHER = {name: cypher(name) for name in CYPHER_TEMPLATES}  # with the seed's labels (docs/embedded-layout.md)

# the document fields any analyser uses (requested as a projection; never documents[].content)
DOCUMENT_FIELDS = (
    "_id",
    "knowledge_base.topics",
    "knowledge_base.expertise_areas",
    "knowledge_base.learning_progress",
)
_STITCH_KEY = secrets.token_bytes(32)  # per process, never stored: digests are comparable only within it


def stitch_digest(email: str | None) -> str | None:
    """The stitching key of an e-mail: HMAC-SHA256 of its normalised form under a per-process random key."""
    if not isinstance(email, str) or not email.strip():
        return None
    return hmac.new(_STITCH_KEY, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def project(obj: dict[str, Any], fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """A document with only ``fields`` (dotted paths, as a MongoDB projection)."""
    out: dict[str, Any] = {}
    for path in fields:
        head, _, rest = path.partition(".")
        if head not in obj:
            continue
        if not rest:
            out[head] = obj[head]
        elif isinstance(obj[head], dict) and rest in obj[head]:
            out.setdefault(head, {})[rest] = obj[head][rest]
    return out


_KUZU_SCHEMA = (
    "CREATE NODE TABLE User(id STRING, username STRING, industry STRING, location STRING, PRIMARY KEY(id))",
    "CREATE NODE TABLE Skill(name STRING, category STRING, PRIMARY KEY(name))",
    "CREATE NODE TABLE Company(name STRING, industry STRING, PRIMARY KEY(name))",
    "CREATE REL TABLE HAS_SKILL(FROM User TO Skill, proficiency STRING, years DOUBLE)",
    "CREATE REL TABLE WORKED_AT(FROM User TO Company, duration STRING, position STRING)",
    "CREATE REL TABLE COLLABORATED_WITH(FROM User TO User, projects INT64, satisfaction DOUBLE)",
)
VECTOR_ID = re.compile(r"(\d+)$")


class GraphStore:
    """The embedded Cypher engine over the layout's node/edge files."""

    def __init__(self, gdir: Path, report: ReadReport) -> None:
        import kuzu

        self.db = kuzu.Database()
        self.con = kuzu.Connection(self.db)
        stats = report["graph"]
        for ddl in _KUZU_SCHEMA:
            self.con.execute(ddl)
        for label, fname in L.GRAPH_FILES.items():
            path = gdir / fname
            if not path.exists():
                stats.reject(f"graph file {fname} is absent")
                continue
            self.con.execute(f"COPY {label} FROM '{path.as_posix()}' (HEADER=true, IGNORE_ERRORS=true)")
        res: Any = self.con.execute("CALL show_warnings() RETURN message")
        while res.has_next():
            msg = str(res.get_next()[0])
            stats.reject("graph row skipped: " + msg.split(".")[0][:80])

    def query(self, name: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        res: Any = self.con.execute(cypher(name), params or {})  # one statement: one QueryResult
        out: list[list[Any]] = []
        while res.has_next():
            out.append(res.get_next())
        return out


class SideStores:
    """Loads the side stores once, stitches their keys to user ids, and attaches them to user bundles."""

    def __init__(self, root: Path, report: ReadReport, skip: frozenset[str] = frozenset()) -> None:
        self.skip = skip
        self.root = root
        self.report = report
        self.username_to_uid: dict[str, int] = {}
        self.email_to_uids: dict[str, list[int]] = defaultdict(list)  # e-mail digest -> platform ids
        self.digest_of: dict[int, str] = {}
        self._graph_loaded = False
        self.graph: GraphStore | None = None
        self.graph_users: dict[str, r.UserNode] = {}
        self.has_skill: dict[str, list[tuple[r.HasSkill, r.SkillNode | None]]] = defaultdict(list)
        self.worked_at: dict[str, list[tuple[r.WorkedAt, r.CompanyNode | None]]] = defaultdict(list)
        self.collaborations: list[r.CollaboratedWith] = []
        self.doc_offsets: dict[str, list[Any]] = defaultdict(list)  # line offsets (a server's stored keys)
        self.vectors: dict[int, r.UserVector] = {}
        self.redis_by_user: dict[int, dict[str, Any]] = defaultdict(dict)
        self._prepared = False

    # ---- loading ---------------------------------------------------------------------------------------------
    def prepare(self, users: list[tuple[int, str | None, str | None]]) -> None:
        """Index the side stores against the platform's users: ``(id, username, e-mail digest)`` triples
        (see :func:`stitch_digest`)."""
        for uid, username, digest in users:
            if username:
                self.username_to_uid[username] = uid
            if digest:
                self.email_to_uids[digest].append(uid)
                self.digest_of[uid] = digest
        self._load_graph()
        self._index_documents()
        for name, load in (("weaviate", self._load_vectors), ("redis", self._load_redis)):
            if name in self.skip:
                rel = L.VECTORS_FILE if name == "weaviate" else L.REDIS_FILE
                if (self.root / rel).exists():
                    self.report[name].note = "not read: no analyser uses it (data minimisation)"
                else:
                    self.report[name].present = False
                    self.report[name].note = f"{rel} is absent (not needed by the analysers)"
            else:
                load()
        self._prepared = True

    def _open_graph(self) -> Any:
        """The graph to query: anything with ``query(name) -> rows`` of :data:`CYPHER` (None: no graph)."""
        gdir = self.root / L.GRAPH_DIR
        if not gdir.exists():
            self.report["graph"].present, self.report["graph"].note = False, "graph/ is absent"
            return None
        return GraphStore(gdir, self.report)

    def _load_graph(self) -> None:
        self.graph = self._open_graph()
        if self.graph is None:
            return
        for row in self.graph.query("users"):
            node = self._valid(
                r.UserNode, dict(zip(("id", "username", "industry"), row, strict=True)), "graph"
            )
            if node:
                self.graph_users[node.id] = node
        for uid_, name, cat, prof, years in self.graph.query("has_skill"):
            rel = self._valid(
                r.HasSkill, {"from": uid_, "to": name, "proficiency": prof, "years": years}, "graph"
            )
            if rel:
                self.has_skill[uid_].append((rel, r.SkillNode(name=name, category=cat)))
        for uid_, name, ind, dur, pos in self.graph.query("worked_at"):
            rel = self._valid(
                r.WorkedAt, {"from": uid_, "to": name, "duration": dur, "position": pos}, "graph"
            )
            if rel:
                self.worked_at[uid_].append((rel, r.CompanyNode(name=name, industry=ind)))

    def collaborations_among(self, uids: set[int]) -> list[r.CollaboratedWith]:
        """``COLLABORATED_WITH`` edges between users who all granted the relational tier (asked of the graph
        for those users only: an edge touching anyone else is never read)."""
        if self.graph is None:
            return []
        gids = sorted(
            g for g, n in self.graph_users.items() if self.username_to_uid.get(n.username or "") in uids
        )
        if not gids:
            self.collaborations = []
            return []  # no one consents: the graph is not asked at all
        out = []
        for a, b, projects, sat in self.graph.query("collaborated", {"ids": gids}):
            rel = self._valid(
                r.CollaboratedWith, {"from": a, "to": b, "projects": projects, "satisfaction": sat}, "graph"
            )
            if rel:
                out.append(rel)
        self.collaborations = out
        return out

    def _index_documents(self) -> None:
        path = self.root / L.DOCUMENTS_FILE
        stats = self.report["mongodb"]
        if not path.exists():
            stats.present, stats.note = False, f"{L.DOCUMENTS_FILE} is absent"
            return
        with open(path, "rb") as f, reading_for("stitching"):
            offset = 0
            for line in f:
                try:
                    obj = json.loads(line)
                except ValueError:
                    obj = None
                key = project(obj, ("user_id",)).get("user_id") if isinstance(obj, dict) else None
                del obj
                if isinstance(key, str) and key:
                    self.doc_offsets[stitch_digest(key) or ""].append(offset)
                else:
                    stats.reject("documents: line is not a JSON object with a string user_id")
                offset += len(line)

    def _load_vectors(self) -> None:
        path = self.root / L.VECTORS_FILE
        stats = self.report["weaviate"]
        if not path.exists():
            stats.present, stats.note = False, f"{L.VECTORS_FILE} is absent"
            return
        dims: dict[str, int] = {}
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    obj = json.loads(line)
                    props = obj["properties"] if isinstance(obj, dict) and "properties" in obj else obj
                except (ValueError, KeyError, TypeError):
                    stats.reject("UserVector: line is not a JSON object")
                    continue
                self._add_vector(props, dims)

    def _add_vector(self, props: Any, dims: dict[str, int]) -> None:
        """Validate one ``UserVector`` object's properties and index it by the platform id in its user_id;
        a vector whose dimension differs from the first seen of its kind is rejected."""
        stats = self.report["weaviate"]
        vec = self._valid(r.UserVector, props, "weaviate")
        if vec is None:
            return
        bad_dim = False
        for fname in ("content_vector", "skills_vector", "behavior_vector"):
            v = getattr(vec, fname)
            if v is not None:
                expected = dims.setdefault(fname, len(v))
                bad_dim = bad_dim or len(v) != expected
        if bad_dim:
            stats.read -= 1  # counted as read by _valid; a record is either read or rejected
            stats.reject("UserVector: a vector has the wrong dimension")
            return
        m = VECTOR_ID.search(vec.user_id)
        if m:
            self.vectors[int(m.group(1))] = vec

    def _load_redis(self) -> None:
        path = self.root / L.REDIS_FILE
        stats = self.report["redis"]
        if not path.exists():
            stats.present, stats.note = False, f"{L.REDIS_FILE} is absent"
            return
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    key = self._valid(r.RedisKey, json.loads(line), "redis")
                except ValueError:
                    stats.reject("redis key: line is not JSON")
                    continue
                if key is None:
                    continue
                uid = _redis_user(key)
                if uid is not None:
                    self.redis_by_user[uid][key.key] = key.value

    def _valid(self, model: type[r.SeedRecord], data: Any, store: str) -> Any:
        try:
            rec = r.validate_record(model, data)
        except RecordError as exc:
            self.report[store].reject(f"{exc.record}.{exc.field}: expected {exc.expected}")
            return None
        self.report[store].read += 1
        return rec

    # ---- attaching -------------------------------------------------------------------------------------------
    def attach(self, bundles: list[UserRecords], as_of: datetime | None, plan: ReadPlan = FULL) -> None:
        """Attach the side stores' records of one consent class (``plan``) to its users' bundles."""
        if not self._prepared:
            raise RuntimeError("SideStores.prepare() must run before attach()")
        by_username = {n.username: gid for gid, n in self.graph_users.items() if n.username}
        for b in bundles:
            u = b.user
            if u is None:
                continue
            gid = by_username.get(u.username)
            if gid is not None:
                b.graph_id, b.graph_node = gid, self.graph_users[gid]
                if plan.graph("HAS_SKILL", "proficiency"):
                    b.has_skill = list(self.has_skill.get(gid, []))
                if plan.graph("WORKED_AT", "position"):
                    b.worked_at = list(self.worked_at.get(gid, []))
            elif self.graph is not None:
                b.missing["graph"] = "no graph node with this username"
            digest = self.digest_of.get(b.user_id)
            if digest and self.doc_offsets:  # e-mail stitching matters only where documents are keyed by it
                owners = self.email_to_uids.get(digest, [])
                if len(owners) > 1:
                    b.conflicts.append("documents: e-mail claimed by more than one platform user; not merged")
                    self.report["mongodb"].reasons["stitching conflict: shared e-mail"] += 1
                elif digest in self.doc_offsets:
                    fields = plan.document_fields(DOCUMENT_FIELDS)
                    b.documents = self._read_document(self.doc_offsets[digest][0], fields, digest)
            if b.documents is None and self.doc_offsets:
                b.missing.setdefault("mongodb", "no document keyed by this user's e-mail")
            vec = self.vectors.get(b.user_id)
            if vec is not None:
                b.vector = vec
            b.redis = {
                k: v
                for k, v in self.redis_by_user.get(b.user_id, {}).items()
                if plan.redis_kind(_redis_kind(k))
            }
        del as_of

    def _read_document(self, offset: int, fields: list[str], digest: str) -> r.UserDocuments | None:
        """The document at ``offset``, projected to ``fields``; its ``user_id`` (an e-mail) is replaced by a
        stitching token (the embedded file's stand-in for a MongoDB ``find`` with a projection)."""
        with open(self.root / L.DOCUMENTS_FILE, "rb") as f:
            f.seek(offset)
            line = f.readline()
        doc = project(json.loads(line), fields) | {"user_id": "stitched:" + digest[:12]}
        return self._valid(r.UserDocuments, doc, "mongodb")

    def close(self) -> None:
        self.graph = None


def _redis_kind(key: str) -> str:
    """The seed pattern kind of a (seed-named) Redis key."""
    parts = key.split(":")
    if parts[:2] == ["user", "behavior"]:
        return "user_behavior"
    return parts[0]


def _redis_user(key: r.RedisKey) -> int | None:
    """The platform user a Redis key belongs to, from the seed's key patterns."""
    parts = key.key.split(":")
    try:
        if parts[0] == "behavior" and len(parts) == 3:
            return int(parts[1])
        if parts[:2] == ["user", "behavior"] and len(parts) == 3:
            return int(parts[2])
        if parts[0] == "ai_cache" and len(parts) == 2:
            return int(parts[1])
        if parts[0] == "session" and isinstance(key.value, dict):
            return int(key.value.get("user_id"))
    except (TypeError, ValueError):
        return None
    return None
