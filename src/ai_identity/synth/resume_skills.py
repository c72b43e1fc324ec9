"""The skills section of a rendered resume: a list, level groups, lines, prose or categories."""

from __future__ import annotations

from collections.abc import Callable

from ai_identity.synth import resume_phrases as ph
from ai_identity.synth.resume_doc import Ctx, Piece, interleave, join_mentions
from ai_identity.synth.resume_layouts import bullet_prefix, level_word, noisy_level
from ai_identity.synth.surface_forms import SURFACES
from ai_identity.synth.truth import TruthSkill


def _with_years(ctx: Ctx, skill: TruthSkill) -> list[Piece]:
    named = ctx.surface(skill.skill_id, prose=False)
    if skill.years <= 0 or ctx.rng.random() >= 0.2:
        return [named]
    if ctx.lang == "zh":
        return [named, ctx.rng.choice((f"（{skill.years}年）", f"({skill.years}年)"))]
    return [
        named,
        ctx.rng.choice((f" ({skill.years} yrs)", f" ({skill.years}+ years)", f" - {skill.years}y")),
    ]


def _skill_list(ctx: Ctx) -> None:
    sep = ctx.rng.choice(ph.LIST_SEPARATORS[ctx.lang])
    if ctx.layout.header == 7:
        ctx.doc.add("技能：" if ctx.lang == "zh" else "Skills: ")
    for i, s in enumerate(ctx.in_skills_section):
        if i:
            ctx.doc.add(sep)
        ctx.doc.add(*_with_years(ctx, s))
    ctx.doc.add("\n")


def _by_level(ctx: Ctx) -> list[tuple[int, list[TruthSkill]]]:
    groups: dict[int, list[TruthSkill]] = {}
    for s in ctx.in_skills_section:
        groups.setdefault(noisy_level(s.level, ctx.rng, ctx.noise), []).append(s)
    return sorted(groups.items(), reverse=True)


def _skill_grouped(ctx: Ctx) -> None:
    sep = "、" if ctx.lang == "zh" else ", "
    for lvl, skills in _by_level(ctx):
        ctx.doc.add(level_word(ctx.lang, lvl, ctx.rng), ctx.colon())
        ctx.doc.add(*interleave([ctx.surface(s.skill_id, prose=False) for s in skills], sep), "\n")


def _skill_lines(ctx: Ctx) -> None:
    rng, zh = ctx.rng, ctx.lang == "zh"
    for n, s in enumerate(ctx.in_skills_section, 1):
        lw = level_word(ctx.lang, noisy_level(s.level, rng, ctx.noise), rng)
        named = ctx.surface(s.skill_id, prose=False)
        years = s.years if s.years > 0 and rng.random() < 0.3 else 0
        ctx.doc.add(bullet_prefix(ctx.layout, n) if ctx.layout.bullet != 6 else "- ")
        if zh:
            if years and rng.random() < 0.5:
                ctx.doc.add(f"{years}年", named, f"经验，{lw}\n")
            elif rng.random() < 0.5:
                ctx.doc.add(lw, named, f"，{years}年使用经验\n" if years else "\n")
            else:
                ctx.doc.add(named, f"：{lw}\n")
        else:
            ctx.doc.add(named, f" — {lw}" + (f" ({years} yrs)" if years else "") + "\n")


def _skill_prose(ctx: Ctx) -> None:
    zh = ctx.lang == "zh"
    for n, (lvl, skills) in enumerate(_by_level(ctx)):
        if n:
            ctx.doc.add("；" if zh else "; ")
        word = level_word("zh", lvl, ctx.rng) if zh else ctx.rng.choice(ph.EN_PROSE_LEVELS[lvl])
        if not zh and n == 0:
            word = word[0].upper() + word[1:]
        named = [ctx.surface(s.skill_id, prose=False) for s in skills]
        ctx.doc.add(word, "" if zh else " ", *join_mentions(named, ctx.lang, ctx.rng))
    ctx.doc.add("。\n" if zh else ".\n")


def _skill_categorised(ctx: Ctx) -> None:
    cats: dict[str, list[TruthSkill]] = {}
    for s in ctx.in_skills_section:
        cats.setdefault(SURFACES[s.skill_id].category if s.skill_id in SURFACES else "tool", []).append(s)
    sep = "、" if ctx.lang == "zh" else ", "
    for cat, skills in cats.items():
        ctx.doc.add(ph.CATEGORY_NAMES[ctx.lang][cat], ctx.colon())
        for i, s in enumerate(skills):
            if i:
                ctx.doc.add(sep)
            ctx.doc.add(*_with_years(ctx, s))
        ctx.doc.add("\n")


_SKILL_STYLES: dict[str, Callable[[Ctx], None]] = {
    "list": _skill_list,
    "grouped": _skill_grouped,
    "lines": _skill_lines,
    "prose": _skill_prose,
    "categorised": _skill_categorised,
}


def render_skills(ctx: Ctx) -> None:
    if not ctx.in_skills_section or ctx.layout.skills == "none":
        return
    ctx.doc.add(ctx.header("skills"))
    _SKILL_STYLES[ctx.layout.skills](ctx)
