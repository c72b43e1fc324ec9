"""Consent as the collector sees it: which tiers a user's records may feed into their identity.

The tiers are the seed's: ``basic`` (skills, experience years, education level, industry — used by default),
``sensitive`` (name, e-mail, phone, address, raw resume text — explicit consent), ``relational`` (contacts,
collaborators, social graph — special consent). A user's choice is read from ``user_privacy_settings``
(``data_sharing_level``: basic | sensitive | relational | full, plus ``ai_analysis_consent`` and
``third_party_access``) and, where that is absent, from ``user_settings.privacy_settings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ai_identity.model.identity import Evidence
from ai_identity.sources.base import UserRecords

if TYPE_CHECKING:
    from ai_identity.privacy.consent import ConsentSnapshot, ConsentStore

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
