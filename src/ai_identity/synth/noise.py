"""Controlled imperfections: what the generator breaks on purpose, at documented rates, and where.

Every injected fault is recorded with its record key in the ground truth's injection list (which the quality
code never reads), so data-quality checks can be scored for record-level precision and recall.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# class -> (rate, what it does); rates are per eligible record of the named kind
RATES: dict[str, tuple[float, str]] = {
    "missing_profile_field": (
        0.06,
        "a user_profiles field (location, industry, experience_years, education_level) is NULL",
    ),
    "missing_timezone": (0.05, "user_settings.timezone is NULL"),
    "malformed_timezone": (0.01, "user_settings.timezone is not an IANA zone (e.g. 'GMT+8')"),
    "malformed_email": (0.02, "users.email is not an e-mail address"),
    "malformed_phone": (0.02, "users.phone is too short to be a phone number"),
    "shared_email": (0.005, "users.email is also claimed by another user (stitching conflict)"),
    "duplicate_profile": (0.01, "a second user_profiles row for the same user with a different industry"),
    "inconsistent_experience": (
        0.04,
        "user_profiles.experience_years is off from the career dates by 4+ years",
    ),
    "stale_resume_copy": (0.02, "resumes.content differs from resume_content.content (hash mismatch)"),
    "parsed_end_before_start": (0.02, "a parsed_resume_data work_experience entry ends before it starts"),
    "duplicate_event": (0.005, "an event row is written twice (same event_id)"),
    "malformed_action_type": (0.002, "user_behavior_analysis.action_type is not an allowed value"),
    "malformed_action_details": (0.003, "user_behavior_analysis.action_details is not JSON"),
    "negative_duration": (0.001, "user_behavior_analysis.duration < 0"),
    "future_event": (0.001, "user_behavior_analysis.timestamp is after the platform's now"),
    "event_before_signup": (0.002, "an event is timestamped before the user signed up"),
    "vector_wrong_dimension": (0.01, "a user_embeddings vector has the wrong dimension"),
    "stale_embedding": (0.10, "user_embeddings.created_at is more than 180 days old"),
    "stale_ai_analysis": (0.15, "ai_analyses.created_at is more than 365 days old"),
    "stale_graph_username": (0.03, "the graph User node carries an old username"),
}


@dataclass
class Injector:
    """Decides, deterministically, which records get which fault, and remembers it."""

    seed: int
    log: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed * 1_000_003 + 11)

    def hit(self, cls: str) -> bool:
        return self._rng.random() < RATES[cls][0]

    def record(self, cls: str, key: str) -> None:
        self.log.setdefault(cls, []).append(key)

    def maybe(self, cls: str, key: str) -> bool:
        """Roll for ``cls`` on record ``key``; on a hit, log it and return True."""
        if self.hit(cls):
            self.record(cls, key)
            return True
        return False

    def summary(self, eligible: dict[str, int]) -> dict[str, dict[str, float | int | str]]:
        """Per class: target rate, injected count, eligible count and the realised rate."""
        out: dict[str, dict[str, float | int | str]] = {}
        for cls, (rate, what) in RATES.items():
            n = len(self.log.get(cls, []))
            e = eligible.get(cls, 0)
            out[cls] = {
                "target_rate": rate,
                "injected": n,
                "eligible": e,
                "rate": round(n / e, 4) if e else 0.0,
                "what": what,
            }
        return out
