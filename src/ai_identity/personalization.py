"""Personalization (the seed's 个性化程度): can a user's own identity be told apart from everyone else's?

Split. Per user, 20% of behaviour sessions (chosen by a SHA-256 of the session id) and 20% of the resume's
non-blank lines (a SHA-256 of user and line number; at least one line) are held out — never Python's salted
``hash()``. Every user's *profile* is built only from the other 80% plus the records the split does not touch
(structured skills: ``resume_skills`` and ``HAS_SKILL``; companies from ``WORKED_AT``); the *probe* is built only
from the held-out 20% of events and text. Nothing derived from the full resume text (parsed resumes, the stored
identity's claims) enters a profile; the user's stored name, username, e-mail and phone are blanked from the
text first; and the probe's events are read in UTC (a slice of events carries no time zone), so the probe never
knows whose it is.

Match. Profiles and probes are the fingerprints of :mod:`ai_identity.analyse.fingerprint` (job/company
interests, UTC session hours, user agents, action mix, outcomes, templates, activity, resume tokens and
companies, canonical skill ids), fused by a fixed weighted sum. The score is the share of users whose own
profile ranks first (a tie counts as a miss).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from ai_identity.analyse.assemble import resume_text
from ai_identity.analyse.fingerprint import Fingerprints, Matcher, event_fingerprints, subset
from ai_identity.analyse.vectors import HashedNgramEmbedder
from ai_identity.evaluation_split import holdout_of
from ai_identity.features.taxonomy import load_taxonomy
from ai_identity.sources.base import UserRecords
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform

HOLDOUT_SHARE = 0.2
CHUNK = 1024


def _split_text(uid: int, text: str) -> tuple[str, str]:
    """80/20 split of a resume's non-blank lines, chosen by a SHA-256 of (user, line number)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    held = {i for i in range(len(lines)) if holdout_of(f"{uid}:{i}", HOLDOUT_SHARE)}
    if not held and lines:
        held = {len(lines) - 1}
    keep = [ln for i, ln in enumerate(lines) if i not in held]
    return "\n".join(keep), "\n".join(lines[i] for i in sorted(held))


def _without_personal(text: str, rec: UserRecords) -> str:
    """The text with the user's stored name, username, e-mail and phone blanked: a fingerprint holds no
    personal data (and an identity must not be told apart by it)."""
    values = [rec.user.username, rec.user.email, rec.user.phone] if rec.user else []
    values += [p.real_name for p in rec.profiles]
    values = sorted({v for v in values if v and len(v) > 1}, key=len, reverse=True)
    if not values:
        return text
    # whole values only (a username "li" must not blank the "li" of "Linux"), longest first, one pass
    alternatives = "|".join(map(re.escape, values))
    return re.sub(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", " ", text, flags=re.IGNORECASE)


def split_fingerprints(platform: Path, ids: list[int]) -> tuple[Fingerprints, Fingerprints]:
    """(profiles from the kept 80% and the records the split leaves alone, probes from the held-out 20%)."""
    plat = EmbeddedPlatform(platform)
    as_of = plat.reference_time() or datetime.now(UTC)
    frame = read_events(plat.root, as_of).frame.filter(pl.col("user_id").is_in(ids))
    sessions = frame["session_id"].unique().to_list()
    held = [s for s in sessions if holdout_of(str(s), HOLDOUT_SHARE)]
    test = frame.filter(pl.col("session_id").is_in(held))
    train = frame.filter(~pl.col("session_id").is_in(held))
    tax = load_taxonomy()
    names = {k: s.name for k, s in plat.skill_dictionary().items()}
    kept, probe_text, companies, skills = {}, {}, {}, {}
    for batch in plat.iter_batches(ids, as_of):
        for rec in batch:
            t = resume_text(rec)
            text = _without_personal(t[0], rec) if t else ""
            kept[rec.user_id], probe_text[rec.user_id] = _split_text(rec.user_id, text)
            companies[rec.user_id] = [c.name for _, c in rec.worked_at if c is not None and c.name]
            structured = [names.get(rs.skill_id, "") for rs in rec.resume_skills]
            structured += [s.name for _, s in rec.has_skill if s is not None and s.name]
            skills[rec.user_id] = [e.id for n in structured if n and (e := tax.lookup(n)) is not None]
    plat.close()
    emb = HashedNgramEmbedder()

    def mentions(text: str) -> list[str]:
        return [m.skill_id for m in tax.find_mentions(text)]

    profiles, probes = event_fingerprints(train, ids), event_fingerprints(test, ids)
    profiles.bags["content"] = [emb.tokens("\n".join([kept[u], *companies[u]])) for u in ids]
    probes.bags["content"] = [emb.tokens(probe_text[u]) for u in ids]
    profiles.bags["skills"] = [mentions(kept[u]) + skills[u] for u in ids]
    probes.bags["skills"] = [mentions(probe_text[u]) for u in ids]
    return profiles, probes


def rank_first(
    profiles: Fingerprints, probes: Fingerprints, weights: dict[str, float] | None = None
) -> np.ndarray:
    """For each probe, whether its own profile (same position) scores strictly above every other profile."""
    matcher = Matcher(profiles, HOLDOUT_SHARE, weights)
    out = np.zeros(len(probes.users), dtype=bool)
    for start in range(0, len(probes.users), CHUNK):
        rows = slice(start, start + CHUNK)
        fused = matcher.fused(subset(probes, rows))
        own = np.arange(start, start + fused.shape[0])
        own_score = fused[np.arange(fused.shape[0]), own]
        fused[np.arange(fused.shape[0]), own] = -np.inf
        out[rows] = own_score > fused.max(axis=1)
    return out


def personalization(platform: Path, ids: list[int]) -> float:
    if not ids:
        return 0.0
    return round(float(rank_first(*split_fingerprints(platform, ids)).mean()), 4)
