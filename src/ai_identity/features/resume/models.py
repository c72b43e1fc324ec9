"""Typed results of resume parsing; they mirror the seed's ``parsed_resume_data`` columns.

Method: plain pydantic v2 models. Every extracted item keeps its character span in the parsed text
(``text[start:end]`` is its surface) and a confidence in [0, 1].
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SectionKind = Literal[
    "personal",
    "summary",
    "objective",
    "work",
    "education",
    "projects",
    "skills",
    "certifications",
    "awards",
    "training",
    "languages",
    "other",
]
EduLevel = Literal["high_school", "associate", "bachelor", "master", "phd"]


class SpanItem(BaseModel):
    """One extracted value with its span in the source text and a confidence."""

    value: str
    start: int
    end: int
    confidence: float = Field(ge=0.0, le=1.0)


class PersonalInfo(BaseModel):
    name: SpanItem | None = None
    email: SpanItem | None = None
    phone: SpanItem | None = None
    location: SpanItem | None = None


class WorkEntry(BaseModel):
    company: SpanItem | None = None
    title: SpanItem | None = None
    start: str | None = None  # "YYYY-MM"
    end: str | None = None
    is_current: bool = False
    description: str = ""
    span_start: int
    span_end: int
    confidence: float = Field(ge=0.0, le=1.0)


class EduEntry(BaseModel):
    school: SpanItem | None = None
    degree: SpanItem | None = None
    level: EduLevel | None = None
    major: SpanItem | None = None
    start: str | None = None
    end: str | None = None
    span_start: int
    span_end: int
    confidence: float = Field(ge=0.0, le=1.0)


class SkillItem(BaseModel):
    skill_id: str | None = None
    surface: str
    start: int
    end: int
    confidence: float = Field(ge=0.0, le=1.0)
    method: str


class ProjectEntry(BaseModel):
    name: SpanItem | None = None
    role: SpanItem | None = None
    start: str | None = None
    end: str | None = None
    description: str = ""
    span_start: int
    span_end: int
    confidence: float = Field(ge=0.0, le=1.0)


class CertificationItem(BaseModel):
    name: str
    start: int
    end: int
    date: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)


class Section(BaseModel):
    kind: SectionKind
    header: str | None  # None when the section was inferred without a header line
    start: int
    end: int


class ParsedResume(BaseModel):
    """The parse of one resume; ``issues`` says why a field is empty when the input was odd."""

    personal_info: PersonalInfo = Field(default_factory=PersonalInfo)
    work_experience: list[WorkEntry] = Field(default_factory=list)
    education: list[EduEntry] = Field(default_factory=list)
    skills: list[SkillItem] = Field(default_factory=list)
    projects: list[ProjectEntry] = Field(default_factory=list)
    certifications: list[CertificationItem] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    language: Literal["zh", "en", "mixed"] = "en"
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    parsing_version: str
    issues: list[str] = Field(default_factory=list)
