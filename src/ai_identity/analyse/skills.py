"""Skills facet: fuses every source's skill signals into canonical taxonomy skills.

Method. Each source yields (skill id, evidence, level?, years?) signals: the platform's ``resume_skills`` (via
its skill dictionary), our own parse of the resume text (exact and fuzzy mentions, with level words and "N
years" read from the mention's line), the platform's earlier parse (``parsed_resume_data.skills``), the
profile's ``skills_summary``, ``HAS_SKILL`` edges, the knowledge base's expertise areas and the platform's
earlier AI analyses. Surface forms map to ids through the bilingual taxonomy (exact, then fuzzy).
A source's weight follows the seed's source priority (resume and base data > interaction data > AI
analyses) times its own confidence; a skill's score is the noisy-OR of its sources' weights and it is claimed
when the score reaches ``CLAIM_THRESHOLD``. Level is the weighted vote of the sources that state one (years
decide when none does); years the median of stated years; ``verified`` comes from ``resume_skills``.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ai_identity.features.taxonomy import Taxonomy
from ai_identity.model.identity import Evidence, SkillClaim

LEVELS = ("beginner", "intermediate", "advanced", "expert")
CLAIM_THRESHOLD = 0.6
WEIGHTS = {
    "resume_skills": 0.85,
    "resume_text": 0.8,
    "resume_text_fuzzy": 0.5,
    "parsed_resume": 0.7,
    "skills_summary": 0.7,
    "has_skill": 0.55,
    "knowledge_base": 0.45,
    "ai_analysis": 0.3,
}
# How far a source's *level* is trusted, on top of its weight: self-reported levels in the platform's skills
# table run high (people rate themselves up), earlier AI assessments are guesses.
LEVEL_TRUST = {"resume_skills": 0.6, "ai_analysis": 0.5}
LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("精通", "expert"),
    ("expert", "expert"),
    ("资深", "expert"),
    ("mastery", "expert"),
    ("熟练", "advanced"),
    ("proficient", "advanced"),
    ("advanced", "advanced"),
    ("strong", "advanced"),
    ("熟悉", "intermediate"),
    ("familiar", "intermediate"),
    ("intermediate", "intermediate"),
    ("working knowledge", "intermediate"),
    ("good", "intermediate"),
    ("了解", "beginner"),
    ("basic", "beginner"),
    ("beginner", "beginner"),
    ("入门", "beginner"),
    ("exposure", "beginner"),
    ("learning", "beginner"),
)
_LEVEL_RE = re.compile("|".join(re.escape(w) for w, _ in LEVEL_WORDS), re.IGNORECASE)
_LEVEL_OF = {w.lower(): lv for w, lv in LEVEL_WORDS}
_YEARS_RE = re.compile(r"(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:年|yrs?\b|years?\b)", re.IGNORECASE)
_PROFICIENCY_ALIASES = {
    "master": "expert",
    "精通": "expert",
    "熟练": "advanced",
    "熟悉": "intermediate",
    "了解": "beginner",
    "novice": "beginner",
    "proficient": "advanced",
    "familiar": "intermediate",
}


def normalize_level(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    if v in LEVELS:
        return v
    return _PROFICIENCY_ALIASES.get(v)


def level_from_years(years: float | None) -> str:
    if years is None:
        return "intermediate"
    return LEVELS[0 if years < 1 else 1 if years < 3 else 2 if years < 6 else 3]


@dataclass
class Signal:
    skill_id: str
    source: str
    weight: float
    evidence: Evidence
    level: str | None = None
    years: float | None = None
    verified: bool = False
    when: str | None = None


@dataclass
class SkillSignals:
    """Collects signals from every source, then fuses them into claims."""

    taxonomy: Taxonomy
    signals: dict[str, list[Signal]] = field(default_factory=lambda: defaultdict(list))

    def resolve(self, surface: str) -> tuple[str, float] | None:
        """Map a surface form to (skill id, match confidence): exact 1.0, fuzzy its similarity."""
        if not surface or not surface.strip():
            return None
        hit = self.taxonomy.lookup(surface)
        if hit is not None:
            return hit.id, 1.0
        fuzzy = self.taxonomy.lookup_fuzzy(surface)
        if fuzzy is not None:
            return fuzzy[0].id, float(fuzzy[1]) / (100.0 if fuzzy[1] > 1 else 1.0)
        return None

    def add(
        self,
        skill_id: str,
        source: str,
        evidence: Evidence,
        *,
        match: float = 1.0,
        level: str | None = None,
        years: float | None = None,
        verified: bool = False,
        when: str | None = None,
    ) -> None:
        weight = WEIGHTS[source] * match
        evidence.weight = round(weight, 3)
        self.signals[skill_id].append(
            Signal(skill_id, source, weight, evidence, level, years, verified, when)
        )

    def add_surface(self, surface: str, source: str, evidence: Evidence, **kw: Any) -> bool:
        hit = self.resolve(surface)
        if hit is None:
            return False
        self.add(hit[0], source, evidence, match=hit[1], **kw)
        return True

    def add_text_mentions(self, text: str, mentions: list[Any], evidence_base: dict[str, str]) -> None:
        """Mentions from our parse of free text; level words and years read from the mention's own line."""
        for m in mentions:
            if not m.skill_id:
                continue
            line_start = text.rfind("\n", 0, m.start) + 1
            line_end = text.find("\n", m.end)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            level, years = _level_near(line, m.start - line_start, m.end - line_start)
            exact = getattr(m, "method", "exact") == "exact"
            self.add(
                m.skill_id,
                "resume_text" if exact else "resume_text_fuzzy",
                Evidence(**evidence_base, span=(m.start, m.end), quote=text[m.start : m.end]),
                match=1.0 if exact else float(getattr(m, "confidence", 0.8)),
                level=level,
                years=years,
            )

    def claims(self, visibility: str = "public") -> list[SkillClaim]:
        out = []
        for sid, sigs in self.signals.items():
            best: dict[str, Signal] = {}
            for s in sigs:  # one vote per source kind: the strongest
                if s.source not in best or s.weight > best[s.source].weight:
                    best[s.source] = s
            miss = 1.0
            for s in best.values():
                miss *= 1.0 - s.weight
            score = 1.0 - miss
            if score < CLAIM_THRESHOLD or sid not in self.taxonomy:
                continue
            entry = self.taxonomy.get(sid)
            years_stated = [s.years for s in sigs if s.years is not None]
            years = statistics.median(years_stated) if years_stated else None
            votes: dict[str, float] = defaultdict(float)
            for s in sigs:
                if s.level:
                    votes[s.level] += s.weight * LEVEL_TRUST.get(s.source, 1.0)
            level = max(sorted(votes), key=lambda k: votes[k]) if votes else level_from_years(years)
            when = max((s.when for s in sigs if s.when), default=None)
            evidence = [s.evidence for s in sorted(sigs, key=lambda s: -s.weight)][:6]
            for e in evidence:
                lv = next((s.level for s in sigs if s.evidence is e), None)
                if lv and lv != level:
                    e.conflict = f"states level {lv}"
            out.append(
                SkillClaim(
                    skill_id=sid,
                    name_en=entry.name_en,
                    name_zh=entry.name_zh,
                    category=entry.category,
                    level=level,
                    score=round(score, 3),
                    years=None if years is None else round(float(years), 1),
                    last_evidenced=when,
                    verified=any(s.verified for s in sigs),
                    confidence=round(min(0.99, score), 3),
                    visibility=visibility,  # type: ignore[arg-type]
                    evidence=evidence,
                )
            )
        out.sort(key=lambda c: (-c.score, -LEVELS.index(c.level), c.skill_id))
        return out


_TRAILING_GAP = re.compile(r"^\s*[(（:：\-—–|/]*\s*$")  # "Kafka — Strong", "Python (Expert)", "NumPy: 3 yrs"
_YEARS_GAP = re.compile(r"^\s*[\u4e00-\u9fff]{0,2}\s*[(（:：\-—–|/]*\s*$")  # "Go语言（3年）"
_CLAUSE_BREAK = re.compile(r"[，,；;。.!?！？]")


def _level_near(line: str, start: int, end: int) -> tuple[str | None, float | None]:
    """The level word and years that belong to a mention on its line.

    A level word *right after* the mention, separated only by a dash, colon, bracket or spaces ("Kafka — Strong",
    "Python (Expert)"), wins; otherwise the nearest level word *before* it on the line ("精通：Python、Java",
    "熟练使用Docker，了解Kubernetes" gives Kubernetes 了解, not 熟练). Years count only right next to the mention
    ("Python (5 yrs)", "5年Python经验"), never from another clause.
    """
    level = None
    for m in _LEVEL_RE.finditer(line, end):
        if _TRAILING_GAP.match(line[end : m.start()]) and m.start() - end <= 4:
            level = _LEVEL_OF[m.group(0).lower()]
        break
    if level is None:
        before = list(_LEVEL_RE.finditer(line, 0, start))
        if before:
            m = before[-1]
            heads_list = line[m.end() : m.end() + 2].lstrip()[:1] in (":", "：")
            if heads_list or not _CLAUSE_BREAK.search(line[m.end() : start]):
                level = _LEVEL_OF[m.group(0).lower()]
    years = None
    for m in _YEARS_RE.finditer(line):
        if m.start() >= end:
            gap = line[end : m.start()]
            if (
                len(gap) <= 16
                and not _CLAUSE_BREAK.search(gap)
                and (_YEARS_GAP.match(gap) or _LEVEL_RE.search(gap))
            ):
                years = float(m.group(1))
                break
        elif m.end() <= start and start - m.end() <= 3 and not _CLAUSE_BREAK.search(line[m.end() : start]):
            years = float(m.group(1))
            break
    return level, years
