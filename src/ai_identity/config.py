"""Store configuration: one TOML file (``ai-identity.toml``) plus environment overrides, loaded once at the edge.

The file holds a ``sources`` list; each entry has a ``kind`` that selects its own config class (unknown keys
rejected) and an optional ``name`` (default: the kind). Environment variables override file values, nested with
``__`` and addressed by the source's name::

    AI_IDENTITY_SOURCES__MYSQL__PASSWORD=...          sources entry named "mysql", key password
    AI_IDENTITY_SOURCES__MYSQL__TABLES__USERS=app_users
    AI_IDENTITY_EVENTS=postgres                       top-level key

Credentials are ``SecretStr``: masked in ``repr``/``str`` and never part of an error message. An unknown key or a
missing required value raises :class:`~ai_identity.errors.ConfigError` naming the key and every place it was
looked for (the file, with the entry, and the environment variable). Besides ``settings.py`` this is the only
module that reads the environment, and only when the caller passes no ``environ`` mapping.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, TypeAdapter, ValidationError

from ai_identity.errors import ConfigError

ENV_PREFIX = "AI_IDENTITY_"
DEFAULT_FILE = "ai-identity.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- table and key names: the seed's by default, each overridable -----------------------------------------
class MySQLTables(_Strict):
    users: str = "users"
    user_profiles: str = "user_profiles"
    user_settings: str = "user_settings"
    user_sessions: str = "user_sessions"
    resumes: str = "resumes"
    resume_skills: str = "resume_skills"
    resume_analyses: str = "resume_analyses"
    skills: str = "skills"
    user_behavior_analysis: str = "user_behavior_analysis"


class PostgresTables(_Strict):
    resume_data: str = "resume_data"
    ai_analyses: str = "ai_analyses"
    user_ai_profiles: str = "user_ai_profiles"
    user_embeddings: str = "user_embeddings"
    user_behavior_analysis: str = "user_behavior_analysis"


class RedisKeys(_Strict):
    """Key patterns; each keeps the seed pattern's placeholders."""

    user_behavior: str = "user:behavior:{user_id}"
    session: str = "session:{session_id}"
    ai_cache: str = "ai_cache:{user_id}"
    behavior: str = "behavior:{user_id}:{timestamp}"


class GraphNames(_Strict):
    """Node labels and relationship types of the graph; the Cypher queries (``stitch.CYPHER``) use these."""

    user: str = "User"
    skill: str = "Skill"
    company: str = "Company"
    has_skill: str = "HAS_SKILL"
    worked_at: str = "WORKED_AT"
    collaborated_with: str = "COLLABORATED_WITH"


# ---- one config class per store kind ----------------------------------------------------------------------
class SourceConfig(_Strict):
    kind: str
    name: str = ""
    retries: int = Field(default=4, ge=0, le=20)  # attempts after the first, with exponential backoff
    backoff_seconds: float = Field(default=0.2, ge=0)
    batch_size: int = Field(default=1000, ge=1)

    def label(self) -> str:
        return self.name or self.kind


class EmbeddedSource(SourceConfig):
    kind: Literal["embedded"]
    path: Path


class MySQLSource(SourceConfig):
    kind: Literal["mysql"]
    host: str = "127.0.0.1"
    port: int = 3306
    user: str = "root"
    password: SecretStr = SecretStr("")
    database: str  # required: the schema holding the seed's MySQL tables
    connect_timeout: float = 5.0
    tables: MySQLTables = MySQLTables()
    default_port: ClassVar[int] = 3306


class PostgresSource(SourceConfig):
    kind: Literal["postgres"]
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: SecretStr = SecretStr("")
    database: str  # required
    db_schema: str = Field(default="public", alias="schema")
    connect_timeout: float = 5.0
    # how vector columns are stored: "real[]" (any PostgreSQL) or "vector" (pgvector: `load` runs CREATE
    # EXTENSION IF NOT EXISTS vector and writes vector(N) columns); the connector reads either
    vector_type: Literal["real[]", "vector"] = "real[]"
    tables: PostgresTables = PostgresTables()
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RedisSource(SourceConfig):
    kind: Literal["redis"]
    host: str = "127.0.0.1"
    port: int = 6379
    db: int = Field(default=0, ge=0)
    password: SecretStr | None = None
    key_prefix: str = ""  # prepended to every key pattern (a namespace on a shared server)
    connect_timeout: float = 5.0
    keys: RedisKeys = RedisKeys()
    batch_size: int = Field(default=2000, ge=1)


class Neo4jSource(SourceConfig):
    """Neo4j over Bolt (official ``neo4j`` driver): the graph, read with the same Cypher as the embedded engine."""

    kind: Literal["neo4j"]
    uri: str = "bolt://127.0.0.1:7687"  # bolt:// or neo4j:// (routing); +s / +ssc for TLS
    user: str = "neo4j"
    password: SecretStr = SecretStr("")
    database: str | None = None  # None: the server's default database
    connect_timeout: float = 5.0
    labels: GraphNames = GraphNames()


class MongoSource(SourceConfig):
    """MongoDB (``pymongo``): the seed's user documents, keyed by the user's e-mail."""

    kind: Literal["mongodb"]
    host: str = "127.0.0.1"
    port: int = 27017
    user: str | None = None
    password: SecretStr | None = None
    auth_source: str = "admin"
    database: str  # required
    collection: str = "user_documents"
    connect_timeout: float = 5.0


class WeaviateSource(SourceConfig):
    """Weaviate (``weaviate-client`` v4, REST + gRPC): the seed's ``UserVector`` objects."""

    kind: Literal["weaviate"]
    host: str = "127.0.0.1"
    port: int = 8080
    grpc_port: int = 50051
    secure: bool = False
    api_key: SecretStr | None = None
    collection: str = "UserVector"
    connect_timeout: float = 5.0


AnySource = Annotated[
    EmbeddedSource | MySQLSource | PostgresSource | RedisSource | Neo4jSource | MongoSource | WeaviateSource,
    Field(discriminator="kind"),
]
KINDS = ("embedded", "mysql", "postgres", "redis", "neo4j", "mongodb", "weaviate")


class StoresConfig(_Strict):
    sources: list[AnySource] = Field(default_factory=list)
    events: str | None = (
        None  # the source (by name) holding user_behavior_analysis; default: the mysql source
    )

    def source(self, kind: str) -> Any:
        """The first source of a kind, or None."""
        return next((s for s in self.sources if s.kind == kind), None)

    def events_source(self) -> MySQLSource | PostgresSource | None:
        if self.events is None:
            return self.source("mysql") or self.source("postgres")
        src = next((s for s in self.sources if s.label() == self.events), None)
        return src if isinstance(src, MySQLSource | PostgresSource) else None  # checked in load_config


# ---- loading ----------------------------------------------------------------------------------------------
def _env_overrides(environ: Mapping[str, str]) -> dict[tuple[str, ...], tuple[str, str]]:
    """{(lowercased path parts): (env var name, value)} for every AI_IDENTITY_ variable this module owns."""
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for name, value in environ.items():
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX):
            continue
        parts = tuple(p.lower() for p in upper[len(ENV_PREFIX) :].split("__"))
        if parts[0] == "sources" or parts == ("events",):
            out[parts] = (name, value)
    return out


def _env_name(*parts: str) -> str:
    return ENV_PREFIX + "__".join(p.upper() for p in parts)


def _set(entry: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    for p in path[:-1]:
        nxt = entry.setdefault(p, {})
        if not isinstance(nxt, dict):
            nxt = entry[p] = {}
        entry = nxt
    entry[path[-1]] = value


def load_config(path: Path | str | None, environ: Mapping[str, str] | None = None) -> StoresConfig:
    """Read the file (if given) and apply environment overrides; raise ConfigError naming key and places."""
    if environ is None:
        import os

        environ = os.environ
    data: dict[str, Any] = {}
    where = "no configuration file"
    if path is not None:
        p = Path(path)
        where = str(p)
        if not p.is_file():
            raise ConfigError(f"--config: {p} does not exist or is not a file")
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{p}: not valid TOML ({exc})") from None
    sources = data.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise ConfigError(f"sources: expected a list of tables ([[sources]]) in {where}")
    names = [str(s.get("name") or s.get("kind") or f"#{i + 1}").lower() for i, s in enumerate(sources)]
    for parts, (var, value) in _env_overrides(environ).items():
        if parts == ("events",):
            data["events"] = value
            continue
        if len(parts) < 3 or parts[1] not in names:
            raise ConfigError(
                f"{var}: unknown key — names no configured source (sources in {where}: "
                f"{', '.join(names) or 'none'}); expected {ENV_PREFIX}SOURCES__<NAME>__<KEY>"
            )
        _set(sources[names.index(parts[1])], parts[2:], value)
    data["sources"] = sources
    try:
        cfg = TypeAdapter(StoresConfig).validate_python(data)
    except ValidationError as exc:
        raise _config_error(exc, data, names, where) from None
    labels = [s.label() for s in cfg.sources]
    if len(set(labels)) != len(labels):
        raise ConfigError(f"sources: two entries share a name in {where}; give each a distinct `name`")
    if cfg.events is not None:
        ev = next((s for s in cfg.sources if s.label() == cfg.events), None)
        if ev is None or ev.kind not in ("mysql", "postgres"):
            raise ConfigError(
                f"events: expected the name of a mysql or postgres source (looked in {where}, key `events`, "
                f"and environment variable {_env_name('events')})"
            )
    return cfg


def _config_error(exc: ValidationError, data: dict[str, Any], names: list[str], where: str) -> ConfigError:
    """One message per problem: the key, what is wrong, and every place it was looked for. Never a value."""
    lines = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = [str(x) for x in err["loc"]]
        if loc and loc[0] == "sources" and len(loc) >= 2 and loc[1].isdigit():
            i = int(loc[1])
            keys = [x for x in loc[2:] if x not in KINDS]  # the discriminator's tag is not a key
            entry = f"[[sources]] entry {i + 1} ({names[i]})"
            key = ".".join(keys) or "kind"
            env = _env_name("sources", names[i], *keys) if keys else None
            dotted = f"sources.{names[i]}.{key}"
        else:
            keys, entry = loc, "top level"
            key = ".".join(loc)
            env = _env_name(*loc)
            dotted = key
        places = f"{where} ({entry}, key `{key}`)" + (f" and environment variable {env}" if env else "")
        t = err["type"]
        if t == "extra_forbidden":
            lines.append(f"{dotted}: unknown key (found in {places}); check its spelling")
        elif t == "missing":
            lines.append(f"{dotted}: required value missing; looked in {places}")
        elif t in ("union_tag_invalid", "union_tag_not_found"):
            lines.append(f"{dotted}: expected kind one of {', '.join(KINDS)}; looked in {places}")
        else:
            lines.append(f"{dotted}: {err['msg'].lower()} (from {places})")
    return ConfigError("configuration: " + "; ".join(lines))
