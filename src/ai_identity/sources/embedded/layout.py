"""The embedded platform layout: file names, table DDL and value encodings (the contract in
``docs/embedded-layout.md``). The DDL is derived from the typed seed records, so names cannot drift."""

from __future__ import annotations

import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ai_identity.model import records as r

LAYOUT_VERSION = 1
PLATFORM_DB = "platform.sqlite"
USERS_DIR = "users"
GRAPH_DIR = "graph"
DOCUMENTS_FILE = "documents/user_documents.jsonl"
REDIS_FILE = "redis/keys.jsonl"
VECTORS_FILE = "vectors/UserVector.jsonl"
META_FILE = "platform.json"
EVENTS_CACHE = "events/user_behavior_analysis.parquet"
TRUTH_DIR = "_truth"  # the generator's ground truth: never opened by build

PLATFORM_TABLES: tuple[type[r.SeedRecord], ...] = (
    r.User,
    r.UserProfile,
    r.UserSetting,
    r.UserSession,
    r.Resume,
    r.ResumeSkill,
    r.Skill,
    r.ResumeAnalysis,
    r.ResumeData,
    r.AIAnalysis,
    r.UserAIProfile,
    r.UserEmbedding,
    r.UserBehaviorAnalysis,
)
PRIVATE_TABLES: tuple[type[r.SeedRecord], ...] = (r.ResumeContent, r.ParsedResumeData, r.UserPrivacySettings)
GRAPH_FILES = {
    "User": "User.csv",
    "Skill": "Skill.csv",
    "Company": "Company.csv",
    "HAS_SKILL": "HAS_SKILL.csv",
    "WORKED_AT": "WORKED_AT.csv",
    "COLLABORATED_WITH": "COLLABORATED_WITH.csv",
}
VECTOR_FIELDS = {"content_vector", "skills_vector", "behavior_vector", "experience_vector"}
# Indexes that make per-user reads cheap; names are ours, columns the seed's.
INDEXES = {
    "user_profiles": "user_id",
    "user_settings": "user_id",
    "user_sessions": "user_id",
    "resumes": "user_id",
    "resume_skills": "resume_id",
    "resume_analyses": "resume_id",
    "resume_data": "user_id",
    "ai_analyses": "user_id",
    "user_ai_profiles": "user_id",
    "user_embeddings": "user_id",
    "user_behavior_analysis": "user_id",
}


def _sql_type(name: str, annotation: Any) -> str:
    if name in VECTOR_FIELDS:
        return "BLOB"
    args = typing.get_args(annotation)
    base = annotation
    if typing.get_origin(annotation) is typing.Annotated:
        base = args[0]
    if isinstance(base, types.UnionType) or typing.get_origin(base) is typing.Union:
        base = next((a for a in typing.get_args(base) if a is not type(None)), str)
    if base is bool or base is int:
        return "INTEGER"
    if base is float:
        return "REAL"
    return "TEXT"  # text, timestamps (ISO-8601) and JSON documents


def columns(model: type[r.SeedRecord]) -> list[str]:
    """The seed's column names of one table, in the seed's order."""
    return [f.alias or n for n, f in model.model_fields.items()]


def create_table_sql(model: type[r.SeedRecord]) -> str:
    cols = []
    for name, f in model.model_fields.items():
        col = f.alias or name
        sql = f"{col} {_sql_type(name, f.annotation if not f.metadata else typing.Annotated[f.annotation, ...])}"
        if (model is r.User and col == "id") or (model in (r.Resume, r.AIAnalysis, r.Skill) and col == "id"):
            sql += " PRIMARY KEY"
        cols.append(sql)
    return f"CREATE TABLE IF NOT EXISTS {model.__record__} ({', '.join(cols)})"


def create_index_sql() -> list[str]:
    return [f"CREATE INDEX IF NOT EXISTS ix_{t}_{c} ON {t}({c})" for t, c in INDEXES.items()]


def encode_vector(vec: np.ndarray | list[float] | None) -> bytes | None:
    """Vectors are stored as little-endian float32 BLOBs (JSON arrays are accepted on read)."""
    if vec is None:
        return None
    return np.asarray(vec, dtype="<f4").tobytes()


def decode_vector(value: bytes | str | list[float] | None) -> list[float] | None:
    if value is None:
        return None
    if isinstance(value, bytes | memoryview):
        if len(value) % 4:
            raise ValueError("vector BLOB length is not a multiple of 4 bytes (float32)")
        return np.frombuffer(bytes(value), dtype="<f4").astype(float).tolist()
    if isinstance(value, str):
        import json

        value = json.loads(value)
    return [float(x) for x in value]  # type: ignore[union-attr]


def iso(ts: datetime | None) -> str | None:
    """Timestamps are ISO-8601 text in UTC with a trailing Z and microseconds."""
    if ts is None:
        return None
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def user_db_path(root: Path, user_id: int) -> Path:
    return root / USERS_DIR / f"{user_id}.sqlite"
