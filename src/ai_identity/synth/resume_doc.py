"""The text buffer and render context shared by the resume section writers.

:class:`Doc` records the span of every skill mention as it is appended, so spans are exact by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ai_identity.synth.resume_layouts import Layout, header
from ai_identity.synth.surface_forms import SURFACES, pick_surface
from ai_identity.synth.truth import TruthPerson, TruthSkill

Named = tuple[str, str, str]  # (skill_id, surface, kind)
Piece = str | Named
Span = tuple[str, str, str, int, int]  # (skill_id, surface, kind, start, end)


_COMMON_NOUNS = ("biz", "soft", "design")  # categories written lower-case mid-sentence in English


class Doc:
    """Appends text and records mention spans as it goes (cheaper than searching afterwards)."""

    __slots__ = ("parts", "pos", "spans")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[Span] = []

    def add(self, *pieces: Piece) -> None:
        for p in pieces:
            if isinstance(p, str):
                self.parts.append(p)
                self.pos += len(p)
            else:
                sid, surface, kind = p
                end = self.pos + len(surface)
                self.spans.append((sid, surface, kind, self.pos, end))
                self.parts.append(surface)
                self.pos = end


@dataclass
class Ctx:
    person: TruthPerson  # jobs already in render order
    layout: Layout
    rng: random.Random
    noise: float
    doc: Doc
    family: str
    in_skills_section: list[TruthSkill]
    job_plans: list[list[str]]  # skill ids each job's bullets mention, parallel to person.jobs
    project_plans: list[list[str]]
    summary_extra: list[str]  # skills with no job or project to be mentioned in
    used_phrases: set[str] = field(default_factory=set)  # a description is not repeated within a resume
    headers: int = 0

    @property
    def lang(self) -> str:
        return self.layout.lang

    def surface(self, sid: str, *, prose: bool) -> Named:
        if sid not in SURFACES:
            return sid, sid, "canonical"
        lang = "en" if self.layout.mixed and not prose and self.rng.random() < 0.3 else self.lang
        typo_scale = self.noise / 0.15
        surface, kind = pick_surface(sid, lang, self.rng, prose=prose, typo_scale=typo_scale)
        if kind == "implied":
            if surface in self.used_phrases:
                surface, kind = pick_surface(sid, lang, self.rng, prose=False, typo_scale=typo_scale)
            else:
                self.used_phrases.add(surface)
        lower_ok = len(surface) > 1 and surface[1].islower()  # leave acronyms alone
        if (
            prose
            and lang == "en"
            and kind != "implied"
            and lower_ok
            and SURFACES[sid].category in _COMMON_NOUNS
        ):
            surface = surface[0].lower() + surface[1:]
        return sid, surface, kind

    def header(self, section: str) -> str:
        """The section header (numbered styles count only sections that got a header)."""
        text = header(self.layout, section, self.headers)
        self.headers += bool(text)
        return text

    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "


def join_mentions(items: list[Named], lang: str, rng: random.Random) -> list[Piece]:
    """Join named mentions the way people write lists inside sentences."""
    if len(items) == 1:
        return [items[0]]
    last_sep = (
        rng.choice(("和", "及", "与", "、")) if lang == "zh" else rng.choice((" and ", " & ", "/", ", "))
    )
    sep = "、" if lang == "zh" else ", "
    out: list[Piece] = []
    for i, it in enumerate(items):
        if i:
            out.append(last_sep if i == len(items) - 1 else sep)
        out.append(it)
    return out


def interleave(items: list[Named], sep: str) -> list[Piece]:
    out: list[Piece] = []
    for i, it in enumerate(items):
        if i:
            out.append(sep)
        out.append(it)
    return out
