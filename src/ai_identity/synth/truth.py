"""The hidden truth the synthetic generator draws per user, before any noise is applied.

These dataclasses are what ``ai-identity evaluate`` scores identities against (serialised to the ground-truth
file, which ``build`` never opens) and what the resume renderer writes free text from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class TruthSkill:
    skill_id: str  # canonical id in the shipped taxonomy
    level: str  # one of catalog.LEVELS
    years: int
    last_used_year: int


@dataclass
class TruthJob:
    company: str  # display name in the user's language
    company_key: str  # stable key of the company across users
    industry: str
    title: str  # in the resume's language
    role_key: str
    seniority: str  # one of catalog.SENIORITIES
    start: date
    end: date | None  # None: current job
    city: str
    skills: list[str] = field(default_factory=list)  # skill ids used in this job


@dataclass
class TruthEducation:
    school: str
    degree: str  # associate | bachelor | master | phd
    major: str
    start_year: int
    end_year: int


@dataclass
class TruthProject:
    name: str
    skills: list[str]  # skill ids the project used
    year: int


@dataclass
class TruthPerson:
    user_id: int
    lang: str  # "zh" | "en"
    name: str
    email: str
    phone: str
    city: str
    country: str
    timezone: str
    role_key: str
    seniority: str
    industry: str
    jobs: list[TruthJob]
    education: list[TruthEducation]
    skills: list[TruthSkill]
    projects: list[TruthProject]
    certifications: list[str]
    summary_traits: list[str] = field(
        default_factory=list
    )  # e.g. "detail-oriented", for self-evaluation text


@dataclass
class BehaviorTruth:
    timezone: str  # IANA time zone the user lives in
    rhythm: str  # early_bird | office | evening | night_owl
    peak_hours: list[int]  # local hours of the highest true activity rate, most active first (top 3)
    weekly_pattern: str  # workweek | weekend | all_week
    activity_level: str  # low | medium | high
    primary_device: str  # desktop | mobile | tablet | bot
    success_rate: float


@dataclass
class PreferenceTruth:
    language: str  # zh | en
    assistance_level: str  # low | medium | high
    tone: str  # formal | friendly
    notification_time: str  # morning | afternoon | evening | night


@dataclass
class ConsentTruth:
    data_sharing_level: str  # basic | sensitive | relational | full
    ai_analysis_consent: bool
    third_party_access: bool

    @property
    def sensitive(self) -> bool:
        return self.data_sharing_level in ("sensitive", "full")

    @property
    def relational(self) -> bool:
        return self.data_sharing_level in ("relational", "full")


@dataclass
class UserTruth:
    """Everything hidden about one user; ``graph_id``/``document_key``/``vector_key`` are the user's keys in the
    graph, document and vector stores (the mapping only the ground truth holds)."""

    person: TruthPerson
    behavior: BehaviorTruth
    preferences: PreferenceTruth
    consent: ConsentTruth
    community: int
    graph_id: str
    document_key: str
    vector_key: str
    signup: date
    learning: list[str] = field(default_factory=list)  # skill ids the user is learning (not yet held)
    stated_contradictions: list[str] = field(
        default_factory=list
    )  # settings whose stated value is not the truth
