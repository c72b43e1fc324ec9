"""The consent tier of every seed table column, Redis key, graph label and document field: the one mapping the
collector reads by. ``docs/consent.md`` carries its tables, rendered by :func:`markdown` (a test fails when the
page and this module disagree; ``python -m ai_identity.privacy.tiers --write docs/consent.md`` re-renders them).

A user's consent becomes a :class:`ReadPlan`: the tiers they allow (none at all without AI-analysis consent, when
only the consent itself and the ``users`` row's basic columns are read). Connectors select exactly the plan's
columns, keys, labels and fields; what is not allowed is never asked for.

Two kinds of reads happen below a column's tier, each in its own named component (see :func:`reading_for`):

- ``derive``: free text mixing tiers (resume text) and the profile's location are read by the collector only to
  derive basic claims (skills, experience years, education level, industry; the generalised province/country and
  time zone). For users without the sensitive tier the text is redacted (PII removed) inside the collector before
  it leaves it; the location only ever leaves it generalised.
- ``stitching``: the e-mail that keys the documents store is read by the stitching component, turned at once into
  a keyed HMAC digest (a per-process random key, never stored), and only the id mapping leaves it.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ai_identity.collect import Consent

BASIC, SENSITIVE, RELATIONAL = "basic", "sensitive", "relational"
TIERS = (BASIC, SENSITIVE, RELATIONAL)
B, S, R = BASIC, SENSITIVE, RELATIONAL

# (store, table) -> {column: tier}; every column of every seed table (a test checks this against the records)
COLUMNS: dict[tuple[str, str], dict[str, str]] = {
    ("mysql", "users"): {
        "id": B,
        "username": B,
        "created_at": B,
        "updated_at": B,
        "status": B,
        "email": S,
        "phone": S,
    },
    ("mysql", "user_profiles"): {
        "user_id": B,
        "industry": B,
        "experience_years": B,
        "education_level": B,
        "skills_summary": B,
        "real_name": S,
        "avatar": S,
        "bio": S,
        "location": S,
    },
    ("mysql", "user_settings"): {
        "user_id": B,
        "language": B,
        "timezone": B,
        "notification_preferences": B,
        "privacy_settings": B,
        "theme_preferences": B,
        "ai_assistance_level": B,
    },
    ("mysql", "user_sessions"): {
        "user_id": B,
        "session_id": B,
        "user_agent": B,
        "login_time": B,
        "logout_time": B,
        "duration": B,
        "activity_count": B,
        "ip_address": S,
    },
    ("mysql", "resumes"): {
        "id": B,
        "user_id": B,
        "title": B,
        "creation_mode": B,
        "template_id": B,
        "status": B,
        "is_public": B,
        "view_count": B,
        "like_count": B,
        "share_count": B,
        "created_at": B,
        "updated_at": B,
        "content": S,
    },
    ("mysql", "resume_skills"): {
        "resume_id": B,
        "skill_id": B,
        "proficiency_level": B,
        "years_of_experience": B,
        "is_verified": B,
    },
    ("mysql", "resume_analyses"): {
        "resume_id": B,
        "analysis_type": B,
        "analysis_result": B,
        "confidence_score": B,
        "ai_model_version": B,
        "created_at": B,
    },
    ("mysql", "skills"): {"id": B, "name": B, "category": B},
    ("sqlite", "resume_content"): {
        "resume_metadata_id": B,
        "title": B,
        "content_hash": B,
        "created_at": B,
        "updated_at": B,
        "content": S,
        "raw_content": S,
    },
    ("sqlite", "parsed_resume_data"): {
        "resume_content_id": B,
        "education": B,
        "skills": B,
        "certifications": B,
        "keywords": B,
        "confidence": B,
        "parsing_version": B,
        "work_experience": B,  # field by field: see SUBFIELDS
        "personal_info": S,
        "projects": S,
    },
    ("sqlite", "user_privacy_settings"): {
        "resume_content_id": B,
        "data_sharing_level": B,
        "ai_analysis_consent": B,
        "third_party_access": B,
    },
    ("postgres", "resume_data"): {
        "mysql_resume_id": B,
        "user_id": B,
        "content_vector": B,
        "skills_vector": B,
        "experience_vector": B,
        "keywords": B,
        "confidence": B,
        "ai_analysis": S,
    },
    ("postgres", "ai_analyses"): {
        "id": B,
        "user_id": B,
        "analysis_type": B,
        "analysis_result": B,
        "confidence_score": B,
        "model_version": B,
        "created_at": B,
    },
    ("postgres", "user_ai_profiles"): {
        "user_id": B,
        "skills_assessment": B,
        "learning_suggestions": B,
        "career_recommendations": B,
        "updated_at": B,
        "personality_traits": S,
    },
    ("postgres", "user_embeddings"): {
        "user_id": B,
        "content_vector": B,
        "skills_vector": B,
        "behavior_vector": B,
        "created_at": B,
    },
    ("events", "user_behavior_analysis"): {
        "user_id": B,
        "session_id": B,
        "action_type": B,
        "action_target": B,
        "action_target_id": B,
        "action_details": B,
        "user_agent": B,
        "duration": B,
        "success": B,
        "timestamp": B,
        "event_id": B,
        "ip_address": S,
    },
}

# JSON columns read field by field: (store, table, column) -> {field of each array element: tier}; "*" is the
# tier of every other field. Structured employment facts are basic (the career facet shows them to trusted
# viewers); descriptions, achievements and anything else an entry may carry are sensitive.
SUBFIELDS: dict[tuple[str, str, str], dict[str, str]] = {
    ("sqlite", "parsed_resume_data", "work_experience"): {
        "company": B,
        "title": B,
        "start": B,
        "end": B,
        "*": S,
    },
}

# Columns read below their tier by the collector, only to derive basic claims (see the module's docstring).
DERIVE: dict[tuple[str, str, str], str] = {
    ("mysql", "resumes", "content"): "skills, experience years, education level, industry; text PII-redacted "
    "inside the collector without the sensitive tier",
    ("sqlite", "resume_content", "content"): "as resumes.content (the private copy is preferred)",
    ("mysql", "user_profiles", "location"): "generalised province/region or country, and the time zone; the "
    "text never leaves the collector",
}

# Read only by the stitching component, as keyed digests (see the module's docstring).
STITCHING: dict[tuple[str, str, str], str] = {
    ("mysql", "users", "email"): "matched, as an HMAC digest, to the documents' user_id",
    ("mongodb", "documents", "user_id"): "an e-mail: matched, as an HMAC digest, to users.email",
}

# The consent itself: read for every user before anything else.
CONSENT_READ: dict[tuple[str, str], tuple[str, ...]] = {
    ("mysql", "users"): ("id", "username", "created_at", "updated_at", "status"),
    ("mysql", "user_settings"): ("user_id", "privacy_settings"),
    ("sqlite", "user_privacy_settings"): (
        "resume_content_id",
        "data_sharing_level",
        "ai_analysis_consent",
        "third_party_access",
    ),
}

# Redis: seed key pattern kind -> (pattern, tier, note)
REDIS_KEYS: dict[str, tuple[str, str, str]] = {
    "user_behavior": ("user:behavior:{user_id}", B, ""),
    "session": ("session:{session_id}", B, ""),
    "ai_cache": ("ai_cache:{user_id}", B, ""),
    "behavior": (
        "behavior:{user_id}:{timestamp}",
        S,
        "its value carries ip_address and a string value cannot be read field by field, so the key is read "
        "only with the sensitive tier",
    ),
}

# Graph: (label or relationship, property) -> tier. COLLABORATED_WITH needs the relational tier of both users.
GRAPH: dict[tuple[str, str], str] = {
    ("User", "id"): B,
    ("User", "username"): B,
    ("User", "industry"): B,
    ("User", "location"): S,
    ("Skill", "name"): B,
    ("Skill", "category"): B,
    ("HAS_SKILL", "proficiency"): B,
    ("HAS_SKILL", "years"): B,
    ("Company", "name"): B,
    ("Company", "industry"): B,
    ("WORKED_AT", "duration"): B,
    ("WORKED_AT", "position"): B,
    ("COLLABORATED_WITH", "projects"): R,
    ("COLLABORATED_WITH", "satisfaction"): R,
}

# MongoDB documents: field path -> tier
DOCUMENTS: dict[str, str] = {
    "_id": B,
    "user_id": S,
    "knowledge_base.topics": B,
    "knowledge_base.expertise_areas": B,
    "knowledge_base.learning_progress": B,
    "documents[].type": B,
    "documents[].metadata": B,
    "documents[].content": S,
    "documents[].collaboration_history": R,
}

# Weaviate UserVector: property -> tier
WEAVIATE: dict[str, str] = {
    "user_id": B,
    "content_vector": B,
    "skills_vector": B,
    "behavior_vector": B,
    "metadata.industry": B,
    "metadata.experience_level": B,
    "metadata.update_time": B,
}

# ---- components ---------------------------------------------------------------------------------------------
_COMPONENT: contextvars.ContextVar[str] = contextvars.ContextVar("reading_for", default="collector")
COMPONENTS = ("collector", "consent", "derive", "stitching")


def component() -> str:
    """The component on whose behalf a read happens now (what a read spy records with each call)."""
    return _COMPONENT.get()


@contextlib.contextmanager
def reading_for(name: str) -> Iterator[None]:
    """Reads inside this block are made by component ``name`` (``consent``, ``derive``, ``stitching``)."""
    token = _COMPONENT.set(name)
    try:
        yield
    finally:
        _COMPONENT.reset(token)


# ---- plans --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadPlan:
    """What may be read for users of one consent class: the tiers they allow (empty: a stub, consent only)."""

    tiers: frozenset[str]

    @property
    def stub(self) -> bool:
        return not self.tiers

    def allows(self, tier: str) -> bool:
        return tier in self.tiers

    def columns(self, store: str, table: str, wanted: Iterable[str]) -> list[str]:
        """``wanted`` (in order) narrowed to the columns this plan may read: the consented tiers' columns, plus
        derive-only columns when the basic tier is granted. Unknown columns are never read."""
        tiers = COLUMNS.get((store, table), {})
        out = []
        for c in wanted:
            tier = tiers.get(c)
            if tier in self.tiers or (BASIC in self.tiers and (store, table, c) in DERIVE):
                out.append(c)
        return out

    def derive_only(self, store: str, table: str, column: str) -> bool:
        """Whether ``column`` is read only to derive basic claims (its own tier is not granted)."""
        tier = COLUMNS.get((store, table), {}).get(column)
        return (store, table, column) in DERIVE and tier not in self.tiers

    def subfields(self, store: str, table: str, column: str) -> tuple[str, ...] | None:
        """For a JSON column read field by field: the element fields this plan may read; None: whole column."""
        spec = SUBFIELDS.get((store, table, column))
        if spec is None or spec.get("*") in self.tiers:
            return None
        return tuple(f for f, t in spec.items() if f != "*" and t in self.tiers)

    def graph(self, label: str, prop: str) -> bool:
        return GRAPH.get((label, prop)) in self.tiers

    def redis_kind(self, kind: str) -> bool:
        return kind in REDIS_KEYS and REDIS_KEYS[kind][1] in self.tiers

    def document_fields(self, wanted: Iterable[str]) -> list[str]:
        return [f for f in wanted if DOCUMENTS.get(f) in self.tiers]


STUB = ReadPlan(frozenset())
FULL = ReadPlan(frozenset(TIERS))


def plan_for(consent: Consent) -> ReadPlan:
    """The read plan of a user's consent: nothing beyond the consent without AI-analysis consent (a stub)."""
    if not consent.ai_analysis or BASIC not in consent.tiers:
        return STUB
    return ReadPlan(frozenset(consent.tiers) & frozenset(TIERS))


def json_projection(column: str, fields: Iterable[str], dialect: str = "sqlite") -> str:
    """An SQL expression selecting only ``fields`` of each element of the JSON array ``column`` (the rest of the
    value never leaves the database engine). A value that is not a JSON array becomes a JSON string (rejected by
    validation, as the value itself would be)."""
    if dialect != "sqlite":
        raise ValueError(f"json_projection: dialect {dialect!r} is not supported")
    pairs = ", ".join(f"'{f}', json_extract(value, '$.{f}')" for f in fields)
    return (
        f"CASE WHEN {column} IS NULL THEN NULL "
        f"WHEN json_valid({column}) AND json_type({column}) = 'array' THEN "
        f"(SELECT json_group_array(json_object({pairs})) FROM json_each({column})) "
        f"ELSE '\"not an array\"' END"
    )


# ---- the page -----------------------------------------------------------------------------------------------
BEGIN, END = "<!-- tiers:begin (generated from src/ai_identity/privacy/tiers.py) -->", "<!-- tiers:end -->"
_STORE_TITLES = {
    "mysql": "MySQL",
    "sqlite": "SQLite, one database per user",
    "postgres": "PostgreSQL",
    "events": "Statistics service",
}


def _cols(cols: Iterable[str], store: str, table: str) -> str:
    out = []
    for c in cols:
        mark = ""
        if (store, table, c) in DERIVE:
            mark = " (derive)"
        elif (store, table, c) in STITCHING:
            mark = " (stitching)"
        elif (store, table, c) in SUBFIELDS:
            spec = SUBFIELDS[(store, table, c)]
            mark = " (fields " + ", ".join(f for f, t in spec.items() if t == BASIC) + ")"
        out.append(f"`{c}`{mark}")
    return ", ".join(out)


def markdown() -> str:
    """The tables of ``docs/consent.md``, rendered from this module."""
    lines: list[str] = []
    for store, title in _STORE_TITLES.items():
        lines += [f"### {title}", "", "| table | basic | sensitive | relational |", "|---|---|---|---|"]
        for (st, table), cols in COLUMNS.items():
            if st != store:
                continue
            by = {t: [c for c, ct in cols.items() if ct == t] for t in TIERS}
            cells = " | ".join(_cols(by[t], store, table) for t in TIERS)
            lines.append(f"| `{table}` | {cells} |")
        lines.append("")
    lines += ["### JSON fields read field by field", "", "| column | basic fields | every other field |"]
    lines.append("|---|---|---|")
    for (store, table, col), spec in SUBFIELDS.items():
        basic = ", ".join(f"`{f}`" for f, t in spec.items() if t == BASIC)
        lines.append(f"| `{store}:{table}.{col}[]` | {basic} | {spec.get('*', BASIC)} |")
    lines += ["", "### Read below their tier, only inside the collector", "", "| column | component | why |"]
    lines.append("|---|---|---|")
    for (store, table, col), why in DERIVE.items():
        lines.append(f"| `{store}:{table}.{col}` | derive | {why} |")
    for (store, table, col), why in STITCHING.items():
        lines.append(f"| `{store}:{table}.{col}` | stitching | {why} |")
    lines += ["", "### Redis", "", "| key | tier | note |", "|---|---|---|"]
    for pattern, tier, note in REDIS_KEYS.values():
        lines.append(f"| `{pattern}` | {tier} | {note} |")
    lines += ["", "### Graph (Neo4j; Kùzu embedded)", "", "| label or relationship | property | tier |"]
    lines.append("|---|---|---|")
    for (label, prop), tier in GRAPH.items():
        shown = f"[:{label}]" if label.isupper() else f"(:{label})"
        note = ", of both users" if label == "COLLABORATED_WITH" else ""
        lines.append(f"| `{shown}` | `{prop}` | {tier}{note} |")
    lines += ["", "### MongoDB (`documents`)", "", "| field | tier |", "|---|---|"]
    for path, tier in DOCUMENTS.items():
        note = " (an e-mail: stitching only)" if path == "user_id" else ""
        lines.append(f"| `{path}` | {tier}{note} |")
    lines += ["", "### Weaviate (`UserVector`)", "", "| property | tier |", "|---|---|"]
    for prop, tier in WEAVIATE.items():
        lines.append(f"| `{prop}` | {tier} |")
    return "\n".join(lines) + "\n"


def render_into(page: str) -> str:
    """``page`` with the text between the markers replaced by :func:`markdown`."""
    head, sep, rest = page.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"the page lacks the markers {BEGIN!r} and {END!r}")
    return f"{head}{BEGIN}\n{markdown()}{END}{tail}"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        p = Path(sys.argv[2])
        p.write_text(render_into(p.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(markdown())
