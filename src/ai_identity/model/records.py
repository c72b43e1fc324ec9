"""The seed's records as typed models, with the seed's names.

One model per table, Redis key, event, graph node/relationship, document and vector object named in the seed
(``LoomaCRM + Zervigo``). Models accept what the stores hold: JSON columns arrive as text and are parsed,
booleans as 0/1, timestamps as ISO-8601 text. ``validate_record`` turns a pydantic error into a
:class:`~ai_identity.errors.RecordError` naming the record, field and expected form (never the value).

Every model keeps the seed's field names; ``__record__`` is the seed's table, key pattern or label.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from ai_identity.errors import RecordError
from ai_identity.model.enums import ActionTarget, ActionType


def _json(value: Any) -> Any:
    if isinstance(value, str | bytes):
        return json.loads(value) if value.strip() else None
    return value


def _utc(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("Z"):
        value = value[:-1] + "+00:00"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


JsonDict = Annotated[dict[str, Any] | None, BeforeValidator(_json)]
JsonList = Annotated[list[Any] | None, BeforeValidator(_json)]
JsonAny = Annotated[Any, BeforeValidator(_json)]
Vector = Annotated[list[float] | None, BeforeValidator(_json)]
Timestamp = Annotated[datetime, BeforeValidator(_utc)]
OptTimestamp = Annotated[datetime | None, BeforeValidator(_utc)]


class SeedRecord(BaseModel):
    """Base of every seed record: unknown extra columns are ignored, values are not coerced silently."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    __record__: ClassVar[str] = ""
    __store__: ClassVar[str] = ""


# --- MySQL: users, profiles, settings, sessions ------------------------------------------------------------
class User(SeedRecord):
    __record__ = "users"
    __store__ = "mysql"
    id: int = Field(ge=1)
    username: str = Field(min_length=1, max_length=64)
    email: str | None = None
    phone: str | None = None
    created_at: Timestamp
    updated_at: OptTimestamp = None
    status: str = "active"


class UserProfile(SeedRecord):
    __record__ = "user_profiles"
    __store__ = "mysql"
    user_id: int = Field(ge=1)
    real_name: str | None = None
    avatar: str | None = None
    bio: str | None = None
    location: str | None = None
    industry: str | None = None
    experience_years: float | None = Field(default=None, ge=0, le=80)
    education_level: str | None = None
    skills_summary: str | None = None


class UserSetting(SeedRecord):
    __record__ = "user_settings"
    __store__ = "mysql"
    user_id: int = Field(ge=1)
    language: str | None = None
    timezone: str | None = None
    notification_preferences: JsonDict = None
    privacy_settings: JsonDict = None
    theme_preferences: JsonDict = None
    ai_assistance_level: str | None = None


class UserSession(SeedRecord):
    __record__ = "user_sessions"
    __store__ = "mysql"
    user_id: int = Field(ge=1)
    session_id: str = Field(min_length=1, max_length=128)
    ip_address: str | None = None
    user_agent: str | None = None
    login_time: Timestamp
    logout_time: OptTimestamp = None
    duration: int | None = Field(default=None, ge=0)
    activity_count: int | None = Field(default=None, ge=0)


# --- MySQL: resume metadata --------------------------------------------------------------------------------
class Resume(SeedRecord):
    __record__ = "resumes"
    __store__ = "mysql"
    id: int = Field(ge=1)
    user_id: int = Field(ge=1)
    title: str | None = None
    content: str | None = None
    creation_mode: str | None = None
    template_id: int | None = None
    status: str | None = None
    is_public: bool = False
    view_count: int = Field(default=0, ge=0)
    like_count: int = Field(default=0, ge=0)
    share_count: int = Field(default=0, ge=0)
    created_at: Timestamp
    updated_at: OptTimestamp = None


class ResumeSkill(SeedRecord):
    __record__ = "resume_skills"
    __store__ = "mysql"
    resume_id: int = Field(ge=1)
    skill_id: int = Field(ge=1)
    proficiency_level: str | None = None
    years_of_experience: float | None = Field(default=None, ge=0, le=60)
    is_verified: bool = False


class Skill(SeedRecord):
    """The platform's skill dictionary that ``resume_skills.skill_id`` refers to (implied by the seed)."""

    __record__ = "skills"
    __store__ = "mysql"
    id: int = Field(ge=1)
    name: str = Field(min_length=1)
    category: str | None = None


class ResumeAnalysis(SeedRecord):
    __record__ = "resume_analyses"
    __store__ = "mysql"
    resume_id: int = Field(ge=1)
    analysis_type: str
    analysis_result: JsonAny = None
    confidence_score: float | None = Field(default=None, ge=0, le=1)
    ai_model_version: str | None = None
    created_at: Timestamp


# --- SQLite, one database per user --------------------------------------------------------------------------
class ResumeContent(SeedRecord):
    __record__ = "resume_content"
    __store__ = "sqlite"
    resume_metadata_id: int = Field(ge=1)
    title: str | None = None
    content: str | None = None
    raw_content: str | None = None
    content_hash: str | None = None
    created_at: Timestamp
    updated_at: OptTimestamp = None


class ParsedResumeData(SeedRecord):
    __record__ = "parsed_resume_data"
    __store__ = "sqlite"
    resume_content_id: int = Field(ge=1)
    personal_info: JsonDict = None
    work_experience: JsonList = None
    education: JsonList = None
    skills: JsonList = None
    projects: JsonList = None
    certifications: JsonList = None
    keywords: JsonList = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    parsing_version: str | None = None


class UserPrivacySettings(SeedRecord):
    __record__ = "user_privacy_settings"
    __store__ = "sqlite"
    resume_content_id: int = Field(ge=1)
    data_sharing_level: str = "basic"
    ai_analysis_consent: bool = True
    third_party_access: bool = False


# --- PostgreSQL: vectors and AI analyses ---------------------------------------------------------------------
class ResumeData(SeedRecord):
    __record__ = "resume_data"
    __store__ = "postgres"
    mysql_resume_id: int = Field(ge=1)
    user_id: int = Field(ge=1)
    content_vector: Vector = None
    skills_vector: Vector = None
    experience_vector: Vector = None
    ai_analysis: JsonAny = None
    keywords: JsonList = None
    confidence: float | None = Field(default=None, ge=0, le=1)


class AIAnalysis(SeedRecord):
    __record__ = "ai_analyses"
    __store__ = "postgres"
    id: int = Field(ge=1)
    user_id: int = Field(ge=1)
    analysis_type: str
    analysis_result: JsonAny = None
    confidence_score: float | None = Field(default=None, ge=0, le=1)
    model_version: str | None = None
    created_at: Timestamp


class UserAIProfile(SeedRecord):
    __record__ = "user_ai_profiles"
    __store__ = "postgres"
    user_id: int = Field(ge=1)
    personality_traits: JsonAny = None
    skills_assessment: JsonAny = None
    career_recommendations: JsonAny = None
    learning_suggestions: JsonAny = None
    updated_at: OptTimestamp = None


class UserEmbedding(SeedRecord):
    __record__ = "user_embeddings"
    __store__ = "postgres"
    user_id: int = Field(ge=1)
    content_vector: Vector = None
    skills_vector: Vector = None
    behavior_vector: Vector = None
    created_at: OptTimestamp = None


# --- Statistics service: behaviour events --------------------------------------------------------------------
class UserBehaviorAnalysis(SeedRecord):
    """The Go struct ``UserBehaviorAnalysis`` with its JSON names; ``event_id`` makes retries idempotent."""

    __record__ = "user_behavior_analysis"
    __store__ = "events"
    user_id: int = Field(ge=1)
    session_id: str = Field(min_length=1, max_length=128)
    action_type: ActionType
    action_target: ActionTarget
    action_target_id: int | None = Field(default=None, ge=0)
    action_details: str | None = Field(default=None, max_length=8192)
    user_agent: str | None = Field(default=None, max_length=1024)
    ip_address: str | None = Field(default=None, max_length=64)
    duration: int = Field(ge=0)
    success: bool = True
    timestamp: Timestamp
    event_id: str | None = Field(default=None, max_length=64)

    @field_validator("action_details")
    @classmethod
    def _details_is_json(cls, v: str | None) -> str | None:
        if v:
            json.loads(v)  # a JSON document, as the seed says ("JSON格式")
        return v


# --- Redis ---------------------------------------------------------------------------------------------------
class UserBehaviorCache(SeedRecord):
    __record__ = "user:behavior:{user_id}"
    __store__ = "redis"
    recent_actions: list[Any] = Field(default_factory=list)
    session_data: dict[str, Any] = Field(default_factory=dict)
    preferences: dict[str, Any] = Field(default_factory=dict)


class SessionCache(SeedRecord):
    __record__ = "session:{session_id}"
    __store__ = "redis"
    user_id: str
    actions: list[Any] = Field(default_factory=list)
    duration: int = Field(default=0, ge=0)
    pages_visited: list[str] = Field(default_factory=list)


class AICache(SeedRecord):
    __record__ = "ai_cache:{user_id}"
    __store__ = "redis"
    analysis_results: dict[str, Any] = Field(default_factory=dict)
    recommendations: list[Any] = Field(default_factory=list)
    interaction_history: list[Any] = Field(default_factory=list)


class RedisKey(SeedRecord):
    """One key as the embedded layout stores it: the key, its JSON value and its remaining TTL."""

    __record__ = "redis key"
    __store__ = "redis"
    key: str = Field(min_length=1)
    value: JsonAny
    ttl: int | None = Field(default=None, ge=0)


# --- Neo4j ---------------------------------------------------------------------------------------------------
class UserNode(SeedRecord):
    __record__ = "(:User)"
    __store__ = "graph"
    id: str = Field(min_length=1)
    username: str | None = None
    industry: str | None = None
    location: str | None = None


class SkillNode(SeedRecord):
    __record__ = "(:Skill)"
    __store__ = "graph"
    name: str = Field(min_length=1)
    category: str | None = None


class CompanyNode(SeedRecord):
    __record__ = "(:Company)"
    __store__ = "graph"
    name: str = Field(min_length=1)
    industry: str | None = None


class HasSkill(SeedRecord):
    __record__ = "[:HAS_SKILL]"
    __store__ = "graph"
    user: str = Field(alias="from", min_length=1)
    skill: str = Field(alias="to", min_length=1)
    proficiency: str | None = None
    years: float | None = Field(default=None, ge=0, le=60)


class WorkedAt(SeedRecord):
    __record__ = "[:WORKED_AT]"
    __store__ = "graph"
    user: str = Field(alias="from", min_length=1)
    company: str = Field(alias="to", min_length=1)
    duration: str | None = None
    position: str | None = None


class CollaboratedWith(SeedRecord):
    __record__ = "[:COLLABORATED_WITH]"
    __store__ = "graph"
    user: str = Field(alias="from", min_length=1)
    other: str = Field(alias="to", min_length=1)
    projects: int | None = Field(default=None, ge=0)
    satisfaction: float | None = Field(default=None, ge=0, le=5)


# --- MongoDB -------------------------------------------------------------------------------------------------
class Document(SeedRecord):
    type: str
    content: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    collaboration_history: list[Any] = Field(default_factory=list)


class KnowledgeBase(SeedRecord):
    topics: list[str] = Field(default_factory=list)
    expertise_areas: list[str] = Field(default_factory=list)
    learning_progress: dict[str, Any] = Field(default_factory=dict)


class UserDocuments(SeedRecord):
    __record__ = "documents"
    __store__ = "mongodb"
    id: str | None = Field(default=None, alias="_id")
    user_id: str = Field(min_length=1)
    documents: list[Document] = Field(default_factory=list)
    knowledge_base: KnowledgeBase = Field(default_factory=KnowledgeBase)


# --- Weaviate ------------------------------------------------------------------------------------------------
class UserVectorMetadata(SeedRecord):
    industry: str | None = None
    experience_level: str | None = None
    update_time: OptTimestamp = None


class UserVector(SeedRecord):
    __record__ = "UserVector"
    __store__ = "weaviate"
    user_id: str = Field(min_length=1)
    content_vector: list[float] | None = None
    skills_vector: list[float] | None = None
    behavior_vector: list[float] | None = None
    metadata: UserVectorMetadata = Field(default_factory=UserVectorMetadata)


T = TypeVar("T", bound=SeedRecord)

_EXPECTED = {
    "int_parsing": "an integer",
    "int_type": "an integer",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "a boolean (true/false or 0/1)",
    "bool_type": "a boolean",
    "string_type": "a string",
    "datetime_parsing": "an ISO-8601 timestamp",
    "datetime_type": "an ISO-8601 timestamp",
    "datetime_from_date_parsing": "an ISO-8601 timestamp",
    "missing": "a value (the field is required)",
    "enum": "one of the allowed values",
    "json_invalid": "a JSON document",
    "list_type": "a list",
    "dict_type": "an object",
    "value_error": "a well-formed value",
}


def describe_error(exc: ValidationError) -> tuple[str, str]:
    """The first error's field path and expected form, without the offending value."""
    err = exc.errors(include_input=False, include_url=False)[0]
    field = ".".join(str(p) for p in err["loc"]) or "<record>"
    kind = err["type"]
    expected = _EXPECTED.get(kind)
    if expected is None:
        ctx = err.get("ctx") or {}
        if "ge" in ctx or "le" in ctx:
            lo, hi = ctx.get("ge"), ctx.get("le")
            expected = f"a number{' >= ' + str(lo) if lo is not None else ''}{' <= ' + str(hi) if hi is not None else ''}"
        elif "min_length" in ctx or "max_length" in ctx:
            expected = f"a string of length {ctx.get('min_length', 0)}..{ctx.get('max_length', 'any')}"
        elif "expected" in ctx:
            expected = f"one of {ctx['expected']}"
        else:
            expected = kind.replace("_", " ")
    if kind == "enum" and (ctx := err.get("ctx")) and "expected" in ctx:
        expected = f"one of {ctx['expected']}"
    return field, expected


def validate_record(model: type[T], data: Any, key: str | int | None = None) -> T:
    """Validate one record; on failure raise :class:`RecordError` naming record, field and expected form."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        field, expected = describe_error(exc)
        raise RecordError(
            model.__record__ or model.__name__, field, expected, None if key is None else str(key)
        ) from None
    except (ValueError, TypeError) as exc:  # JSON text that does not parse, before pydantic sees it
        raise RecordError(
            model.__record__ or model.__name__,
            "<record>",
            "well-formed JSON values",
            None if key is None else str(key),
        ) from exc


TABLE_MODELS: dict[str, type[SeedRecord]] = {
    m.__record__: m
    for m in (
        User,
        UserProfile,
        UserSetting,
        UserSession,
        Resume,
        ResumeSkill,
        Skill,
        ResumeAnalysis,
        ResumeData,
        AIAnalysis,
        UserAIProfile,
        UserEmbedding,
        UserBehaviorAnalysis,
    )
}
PRIVATE_TABLE_MODELS: dict[str, type[SeedRecord]] = {
    m.__record__: m for m in (ResumeContent, ParsedResumeData, UserPrivacySettings)
}
