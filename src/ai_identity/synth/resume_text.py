"""Render a person's hidden truth as a free-text resume, in Chinese or English, with varied layout.

Every skill mention is recorded with its exact span and the kind of surface form used, so the generator can
score a parser against it. Pure function of ``(person, rng)``: deterministic for a seed, no I/O.

Layout pieces live in :mod:`resume_layouts`, surface forms in :mod:`surface_forms` (authored in
:mod:`surface_table`), sentence material in :mod:`resume_phrases`, section writers in :mod:`resume_sections`.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from ai_identity.synth.catalog import ROLE_BY_KEY
from ai_identity.synth.resume_doc import Ctx, Doc
from ai_identity.synth.resume_layouts import Layout, choose_layout, layout_shares
from ai_identity.synth.resume_sections import SECTIONS
from ai_identity.synth.surface_forms import HARD_KINDS, KINDS
from ai_identity.synth.truth import TruthPerson

__all__ = [
    "HARD_KINDS",
    "KINDS",
    "MentionTruth",
    "RenderedResume",
    "layout_shares",
    "render_resume",
    "share_outside_aliases",
]

OMIT_RATE = 0.1  # share of a person's skills left out of the text (other sources carry them)
UNLISTED_RATE = 0.15  # share left out of the skills section, so only job/project text shows them


@dataclass
class MentionTruth:
    skill_id: str
    surface: str
    kind: str  # canonical | alias | abbreviation | typo | rare_alias | implied
    start: int
    end: int  # text[start:end] == surface (for implied, the describing phrase)


@dataclass
class RenderedResume:
    text: str
    layout: str
    mentions: list[MentionTruth]
    omitted_skills: list[str] = field(default_factory=list)  # truth skills deliberately absent from the text


def render_resume(person: TruthPerson, rng: random.Random, *, style_noise: float = 0.15) -> RenderedResume:
    """Render ``person`` as resume text; ``style_noise`` is the level-word noise and scales the typo rate."""
    layout = choose_layout(person.lang, rng)
    ctx, omitted = _plan(person, layout, rng, style_noise)
    for section in layout.sections:
        start = ctx.doc.pos
        SECTIONS[section](ctx)
        if ctx.doc.pos > start:
            ctx.doc.add("\n")
    text = "".join(ctx.doc.parts).rstrip() + "\n"
    mentions = [MentionTruth(*span) for span in ctx.doc.spans]
    return RenderedResume(
        text, layout.id, mentions, [s.skill_id for s in person.skills if s.skill_id in omitted]
    )


def _plan(person: TruthPerson, layout: Layout, rng: random.Random, noise: float) -> tuple[Ctx, set[str]]:
    """Decide where each skill is said before anything is written, so every shown skill is covered."""
    skills = person.skills
    max_omit = int(len(skills) * OMIT_RATE + 0.5)
    omitted = set(sorted(s.skill_id for s in skills if rng.random() < OMIT_RATE * 1.4)[:max_omit])
    listed = [
        s
        for s in skills
        if s.skill_id not in omitted and layout.skills != "none" and rng.random() >= UNLISTED_RATE
    ]
    jobs = sorted(person.jobs, key=lambda j: j.start, reverse=not layout.chronological)
    job_plans = [list(dict.fromkeys(s for s in j.skills if s not in omitted)) for j in jobs]
    project_plans = [list(dict.fromkeys(s for s in p.skills if s not in omitted)) for p in person.projects]
    covered = {s.skill_id for s in listed} | {s for plan in (*job_plans, *project_plans) for s in plan}
    summary_extra: list[str] = []
    for sid in (s.skill_id for s in skills):
        if sid in omitted or sid in covered:
            continue
        targets = job_plans or project_plans
        if targets:  # an unlisted skill the truth puts in no job: say it in one of the recent ones
            rng.choice(targets[: len(targets) // 2 + 1]).append(sid)
        else:
            summary_extra.append(sid)
    role = ROLE_BY_KEY.get(person.role_key)
    ctx = Ctx(
        person=dataclasses.replace(person, jobs=jobs),
        layout=layout,
        rng=rng,
        noise=noise,
        doc=Doc(),
        family=role.family if role else "engineering",
        in_skills_section=listed,
        job_plans=job_plans,
        project_plans=project_plans,
        summary_extra=summary_extra,
    )
    return ctx, omitted


def share_outside_aliases(mentions: Iterable[MentionTruth], known_surfaces: Collection[str]) -> float:
    """Share of mentions whose surface is not in an alias table (``known_surfaces``, compared case-folded)."""
    known = {k.casefold() for k in known_surfaces}
    total = outside = 0
    for m in mentions:
        total += 1
        outside += m.surface.casefold() not in known
    return outside / total if total else 0.0
