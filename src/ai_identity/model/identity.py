"""The AI identity document (DESIGN.md §4): typed, versioned, with per-claim evidence and visibility.

Every claim carries ``confidence``, ``visibility`` and a non-empty ``evidence`` list; the JSON Schema in
``schemas/identity.schema.json`` is generated from these models (``ai-identity schema`` prints it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1.0"
Visibility = Literal["public", "trusted", "self"]
VIEWER_RANK = {"public": 0, "trusted": 1, "self": 2}
VOLATILE = {"built_at", "identity_version", "content_hash"}  # change on every build without new content


class Evidence(BaseModel):
    """Where a claim came from: enough to re-read the record and field and check the value."""

    model_config = ConfigDict(extra="forbid")
    source: str  # source kind: mysql, sqlite, postgres, events, redis, graph, mongodb, weaviate, derived
    store: str  # table, key pattern, label, relationship or file
    record: str  # the record's key in that store
    field: str
    span: tuple[int, int] | None = None  # character span in free text
    quote: Any = None  # the value as read (never a sensitive value in a claim visible beyond self)
    count: int | None = None  # for aggregates: how many records support it
    weight: float | None = None  # how much this source counts (source priority x its own confidence)
    conflict: str | None = None  # set when this source disagrees with the chosen value
    model_version: str | None = None  # for earlier AI analyses: the model that produced the record
    source_confidence: float | None = None  # the record's own confidence score, where it states one


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any
    confidence: float = Field(ge=0, le=1)
    visibility: Visibility = "trusted"
    evidence: list[Evidence] = Field(min_length=1)
    basis: str | None = None  # a sentence saying how the value was reached


class SkillClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    skill_id: str
    name_en: str
    name_zh: str
    category: str
    level: str  # beginner | intermediate | advanced | expert
    score: float = Field(ge=0, le=1)
    years: float | None = None
    last_evidenced: str | None = None
    verified: bool = False
    confidence: float = Field(ge=0, le=1)
    visibility: Visibility = "public"
    evidence: list[Evidence] = Field(min_length=1)


class JobClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company: str | None
    title: str | None
    start: str | None  # YYYY-MM
    end: str | None  # YYYY-MM, None while current
    is_current: bool = False
    confidence: float = Field(ge=0, le=1)
    visibility: Visibility = "trusted"
    evidence: list[Evidence] = Field(min_length=1)


class EducationClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    school: str | None
    level: str | None
    major: str | None
    end: str | None
    confidence: float = Field(ge=0, le=1)
    visibility: Visibility = "trusted"
    evidence: list[Evidence] = Field(min_length=1)


class Career(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_title: Claim | None = None
    seniority: Claim | None = None
    total_years: Claim | None = None
    trajectory: Claim | None = None
    education_level: Claim | None = None
    industries: Claim | None = None
    history: list[JobClaim] = Field(default_factory=list)
    education: list[EducationClaim] = Field(default_factory=list)

    def claims(self) -> dict[str, Claim]:
        """The single-valued claims that are set, by name."""
        return {k: v for k, v in self if isinstance(v, Claim)}

    def get(self, name: str) -> Claim | None:
        value = getattr(self, name, None)
        return value if isinstance(value, Claim) else None


class VectorRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    model: str
    dimension: int
    stored_in: str
    norm: float | None = None


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid")
    summary_en: str
    summary_zh: str
    system_prompt: str
    built_for: Visibility


class Quality(BaseModel):
    model_config = ConfigDict(extra="forbid")
    completeness: float = Field(ge=0, le=1)
    freshness_hours: float | None = None
    confidence: float = Field(ge=0, le=1)
    missing_facets: dict[str, str] = Field(default_factory=dict)
    contradictions: list[str] = Field(default_factory=list)
    rejected_records: int = 0


class Identity(BaseModel):
    """One user's AI identity."""

    model_config = ConfigDict(extra="forbid")
    schema_version: str = SCHEMA_VERSION
    identity_version: int = 1
    content_hash: str = ""
    built_at: datetime
    as_of: datetime
    user: dict[str, Any]  # platform_id, pseudonym
    sources: dict[str, Any]
    consent: dict[str, Any]
    partial: bool = False
    stub: bool = False  # no analysis allowed (ai_analysis_consent = false)
    profile: dict[str, Claim] = Field(default_factory=dict)
    personal: dict[str, Claim] = Field(
        default_factory=dict
    )  # sensitive tier: name, e-mail, phone (self only)
    skills: list[SkillClaim] = Field(default_factory=list)
    career: Career = Field(default_factory=Career)
    behavior: dict[str, Claim] = Field(default_factory=dict)
    network: dict[str, Claim] = Field(default_factory=dict)
    traits: list[Claim] = Field(default_factory=list)
    ai_preferences: dict[str, Claim] = Field(default_factory=dict)
    vectors: dict[str, VectorRef] = Field(default_factory=dict)
    persona: Persona | None = None
    quality: Quality
    _core_json: str | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:  # the cached serialisation is not part of what an identity is
        return isinstance(other, Identity) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]

    def core_json(self) -> str:
        """The document without build time, version and hash (what the content hash covers); computed once."""
        if self._core_json is None:
            self._core_json = self.model_dump_json(exclude=VOLATILE)
        return self._core_json

    def document_json(self) -> str:
        """The whole document as stored: the volatile fields spliced in front of ``core_json()``."""
        head = self.model_dump_json(include=VOLATILE)
        core = self.core_json()
        return head[:-1] + ("," + core[1:] if len(core) > 2 else "}")
