"""Consent as the collector sees it: which tiers a user's records may feed into their identity.

The tiers are the seed's: ``basic`` (skills, experience years, education level, industry — used by default),
``sensitive`` (name, e-mail, phone, address, raw resume text — explicit consent), ``relational`` (contacts,
collaborators, social graph — special consent). A user's choice is read from ``user_privacy_settings``
(``data_sharing_level``: basic | sensitive | relational | full, plus ``ai_analysis_consent`` and
``third_party_access``) and, where that is absent, from ``user_settings.privacy_settings``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ai_identity.model.identity import Evidence
from ai_identity.sources.base import UserRecords

if TYPE_CHECKING:
    from ai_identity.privacy.consent import ConsentSnapshot, ConsentStore
    from ai_identity.privacy.tiers import ReadPlan

LEVEL_TIERS = {
    "basic": {"basic"},
    "sensitive": {"basic", "sensitive"},
    "relational": {"basic", "relational"},
    "full": {"basic", "sensitive", "relational"},
    "none": set(),
}


@dataclass
class Consent:
    tiers: set[str]
    ai_analysis: bool
    third_party: bool
    level: str
    evidence: Evidence | None = None
    # set only when consent records override the platform's settings (keeps other identities' hashes stable)
    purposes: dict[str, bool] = field(default_factory=dict)

    @property
    def sensitive(self) -> bool:
        return "sensitive" in self.tiers

    @property
    def relational(self) -> bool:
        return "relational" in self.tiers

    def snapshot(self) -> dict[str, Any]:
        return {
            "data_sharing_level": self.level,
            "ai_analysis_consent": self.ai_analysis,
            "third_party_access": self.third_party,
            "tiers": {t: t in self.tiers for t in ("basic", "sensitive", "relational")},
            "source": self.evidence.model_dump(exclude_none=True) if self.evidence else None,
        } | ({"purposes": dict(self.purposes)} if self.purposes else {})


def consent_of(rec: UserRecords, overrides: ConsentStore | ConsentSnapshot | None = None) -> Consent:
    """The user's consent from their records; with no record at all, the basic tier only (the default).
    ``overrides``: a consent store whose latest record per tier or purpose takes precedence."""
    base = _platform_consent(rec)
    return base if overrides is None else overrides.current(rec.user_id, base)


def _platform_consent(rec: UserRecords) -> Consent:
    if rec.privacy:
        p = rec.privacy[-1]
        level = p.data_sharing_level if p.data_sharing_level in LEVEL_TIERS else "basic"
        ev = Evidence(
            source="sqlite",
            store=f"users/{rec.user_id}.sqlite:user_privacy_settings",
            record=f"resume_content_id={p.resume_content_id}",
            field="data_sharing_level",
            quote=level,
        )
        return Consent(set(LEVEL_TIERS[level]), p.ai_analysis_consent, p.third_party_access, level, ev)
    settings = rec.settings[0].privacy_settings if rec.settings and rec.settings[0].privacy_settings else {}
    tiers = {"basic"}
    if settings.get("share_sensitive"):
        tiers.add("sensitive")
    if settings.get("share_relational"):
        tiers.add("relational")
    level = {
        frozenset({"basic"}): "basic",
        frozenset({"basic", "sensitive"}): "sensitive",
        frozenset({"basic", "relational"}): "relational",
    }.get(frozenset(tiers), "full")
    ev = (
        Evidence(
            source="mysql",
            store="user_settings",
            record=f"user_id={rec.user_id}",
            field="privacy_settings",
            quote=level,
        )
        if settings
        else None
    )
    return Consent(tiers, True, False, level, ev)


# ---- reading by consent ---------------------------------------------------------------------------------------
def group_by_plan(
    bundles: dict[int, UserRecords], consent: Callable[[UserRecords], Consent]
) -> list[tuple[ReadPlan, dict[int, UserRecords]]]:
    """The batch's users grouped by read plan (one query per table per consent class), stubs left out: a user
    without a ``users`` row, or without AI-analysis consent, gets nothing read beyond their consent."""
    from ai_identity.privacy.tiers import STUB, plan_for

    groups: dict[ReadPlan, dict[int, UserRecords]] = {}
    for uid, b in bundles.items():
        plan = plan_for(consent(b)) if b.user is not None else STUB
        if not plan.stub:
            groups.setdefault(plan, {})[uid] = b
    return sorted(groups.items(), key=lambda kv: sorted(kv[0].tiers))


MASK = "*"


def redact_derived(bundles: Iterable[UserRecords], plan: ReadPlan) -> None:
    """Free text read only to derive basic claims (resume text without the sensitive tier): its sensitive
    values are masked here, inside the collector, so that only what is derived from it leaves. Masked: every
    PII entity the detector finds (Chinese and English) and every occurrence of the resume's own name, e-mail
    and phone as the parser finds them; those values are also removed from the platform's parsed fields (a
    parse error can put a name into ``education.major``). The mask keeps lengths, so evidence spans stay those
    of the stored text."""
    if plan.allows("sensitive"):
        return
    for b in bundles:
        known: set[str] = set()
        done: dict[str, tuple[str, set[str]]] = {}  # the private copy usually repeats resumes.content
        for rec in (*b.resume_content, *b.resumes):
            if rec.content:
                if rec.content not in done:
                    done[rec.content] = mask_personal(rec.content)
                rec.content, found = done[rec.content]
                known |= found
        if known:
            for pr in b.parsed_resumes:
                for attr in ("work_experience", "education", "skills", "certifications", "keywords"):
                    setattr(pr, attr, _scrub(getattr(pr, attr), known))


def _scrub(value: Any, known: set[str]) -> Any:
    """``value`` with every string holding one of ``known`` replaced by None (dropped from lists)."""
    if isinstance(value, str):
        return None if any(k in value for k in known) else value
    if isinstance(value, list):
        return [_scrub(x, known) for x in value if not (isinstance(x, str) and _scrub(x, known) is None)]
    if isinstance(value, dict):
        return {k: _scrub(v, known) for k, v in value.items()}
    return value


def mask_personal(text: str) -> tuple[str, set[str]]:
    """``text`` with its PII entities and its owner's name, e-mail and phone masked (same length), and those
    three values (to remove them elsewhere; they never leave the collector)."""
    from ai_identity.features.resume.parser import personal_info
    from ai_identity.privacy.pii import PIIEntity, redact
    from ai_identity.privacy.pii.redact import Mask
    from ai_identity.privacy.pii.redact import _default_detector as detector

    entities = list(detector().analyze(text))
    info = personal_info(text)
    found: set[str] = set()
    values = [
        ("PERSON", header_name(text)),
        *(
            (k, i.value if i is not None else None)
            for k, i in (("PERSON", info.name), ("EMAIL_ADDRESS", info.email), ("PHONE_NUMBER", info.phone))
        ),
    ]
    for kind, raw in values:
        value = raw.strip() if raw else ""
        at = text.find(value) if len(value) >= 2 else -1
        if at >= 0:
            found.add(value)
        while at >= 0:  # every occurrence, also outside the header
            entities.append(PIIEntity(kind, at, at + len(value), 1.0))
            at = text.find(value, at + len(value))
    # overlapping spans: keep the earliest, longest (redact skips a span overlapping an earlier one)
    entities.sort(key=lambda e: (e.start, -e.end))
    return redact(text, entities, operator=Mask(char=MASK)).text, found


_HEADER_NAME = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})(?=[ \t　|｜,，]|$)")


def header_name(text: str) -> str | None:
    """A Chinese name opening the resume's first line (``韦雅婷  138…  x@y.cn``): two to four Han characters
    starting with a common surname, standing alone. The parser's own rules miss a name sharing its line with
    the contact details."""
    from ai_identity.features.resume.zh_words import SURNAMES

    first = next((line for line in text.splitlines() if line.strip()), "")
    m = _HEADER_NAME.match(first)
    if m is None:
        return None
    name = m.group(1)
    return name if name[0] in SURNAMES or name[:2] in SURNAMES else None
