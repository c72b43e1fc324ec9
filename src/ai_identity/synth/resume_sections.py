"""Section writers for :mod:`ai_identity.synth.resume_text`: one function per resume section.

Each writes into the context's :class:`~ai_identity.synth.resume_doc.Doc`; the skills section lives in
:mod:`ai_identity.synth.resume_skills`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from ai_identity.synth import resume_phrases as ph
from ai_identity.synth.pools import CITY_BY_NAME, INDUSTRY_NAMES, TRAIT_WORDS
from ai_identity.synth.resume_doc import Ctx, Piece, interleave, join_mentions
from ai_identity.synth.resume_layouts import bullet_prefix, degree_word, fmt_range
from ai_identity.synth.resume_skills import render_skills
from ai_identity.synth.surface_forms import SURFACES
from ai_identity.synth.truth import TruthPerson


def _years_of_experience(person: TruthPerson) -> int:
    if not person.jobs:
        return 0
    first = min(j.start for j in person.jobs)
    last = max((j.end.year if j.end else _reference_year(person)) for j in person.jobs)
    return max(1, last - first.year)


def _reference_year(person: TruthPerson) -> int:
    years = [s.last_used_year for s in person.skills] + [j.start.year for j in person.jobs]
    return max(years) if years else 2025


def _city_text(ctx: Ctx) -> str:
    city = CITY_BY_NAME.get(ctx.person.city)
    if city is None:
        return ctx.person.city
    if ctx.lang == "zh":
        region = city.region.rstrip("省市")
        return ctx.rng.choice(
            (city.name, city.name if region == city.name else f"{region}{city.name}", f"{city.name}市")
        )
    return ctx.rng.choice((f"{city.name}, {city.region}", f"{city.name}, {city.country}", city.name))


def _info(ctx: Ctx) -> None:
    p, lang, rng = ctx.person, ctx.lang, ctx.rng
    lab = ph.INFO_LABELS[lang]
    colon = "：" if lang == "zh" else ": "
    city = _city_text(ctx)
    style = ctx.layout.info
    if style != 1 and rng.random() < 0.5:
        ctx.doc.add(ctx.header("info"))
    if style == 0:
        lines = [
            f"{lab['name']}{colon}{p.name}",
            f"{lab['phone']}{colon}{p.phone}",
            f"{lab['email']}{colon}{p.email}",
        ]
        lines.append(f"{lab['city']}{colon}{city}")
        if rng.random() < 0.4:
            unit = "年" if lang == "zh" else " years"
            lines.append(f"{lab['years']}{colon}{_years_of_experience(p)}{unit}")
        ctx.doc.add("\n".join(lines), "\n")
    elif style == 1:
        sep = rng.choice((" | ", " · ", "  "))
        ctx.doc.add(sep.join((p.name, p.phone, p.email, city)), "\n")
    elif style == 2:
        ctx.doc.add(p.name, "\n", rng.choice((" · ", " | ", "  ")).join((p.phone, p.email, city)), "\n")
    else:
        pad = "    "
        ctx.doc.add(f"{lab['name']}{colon}{p.name}{pad}{lab['phone']}{colon}{p.phone}\n")
        ctx.doc.add(f"{lab['email']}{colon}{p.email}{pad}{lab['city']}{colon}{city}\n")


def _intent(ctx: Ctx) -> None:
    p, rng = ctx.person, ctx.rng
    if not p.jobs or rng.random() < (0.35 if ctx.lang == "zh" else 0.7):
        return
    title = p.jobs[0].title if not ctx.layout.chronological else p.jobs[-1].title
    ind_zh, ind_en = INDUSTRY_NAMES.get(p.industry, (p.industry, p.industry))
    ctx.doc.add(ctx.header("intent"))
    if ctx.lang == "zh":
        when = rng.choice(("一个月内到岗", "随时到岗", "两周内到岗"))
        if rng.random() < 0.5:
            ctx.doc.add(f"期望职位：{title}\n期望城市：{p.city}\n期望行业：{ind_zh}\n到岗时间：{when}\n")
        else:
            ctx.doc.add(f"{title} | {p.city} | {ind_zh} | 薪资面议 | {when}\n")
    else:
        article = "an" if title[:1] in "AEIOU" else "a"
        ctx.doc.add(f"Seeking {article} {title} role in {ind_en.lower()}, based in {p.city} or remote.\n")


def _summary(ctx: Ctx) -> None:
    p, rng, lang = ctx.person, ctx.rng, ctx.lang
    top = [s.skill_id for s in ctx.in_skills_section if s.level in ("expert", "advanced")][:2]
    extra = ctx.summary_extra
    if not extra and (rng.random() < 0.3 or not (p.summary_traits or top)):
        return
    ctx.doc.add(ctx.header("summary"))
    years = _years_of_experience(p)
    traits = [TRAIT_WORDS.get(t, (t, t))[0 if lang == "zh" else 1] for t in p.summary_traits]
    named = [ctx.surface(s, prose=False) for s in (*top[: rng.randrange(3)], *extra)]
    ind_zh, ind_en = INDUSTRY_NAMES.get(p.industry, (p.industry, p.industry))
    if lang == "zh":
        ctx.doc.add(f"{years}年{ind_zh}行业工作经验" if years else "应届毕业生")
        if traits:
            ctx.doc.add("，", "，".join(traits))
        if named:
            ctx.doc.add("。擅长", *join_mentions(named, lang, rng))
        ctx.doc.add("。\n")
        if ctx.layout.mixed:
            en_traits = [TRAIT_WORDS.get(t, (t, t))[1] for t in p.summary_traits[:2]]
            ctx.doc.add(
                f"Summary: {years}+ years in {ind_en}; " + (" and ".join(en_traits) or "hands-on") + ".\n"
            )
    else:
        ctx.doc.add(f"{years}+ years of experience in {ind_en.lower()}." if years else "Recent graduate.")
        if traits:
            ctx.doc.add(
                " I am ", ", ".join(traits[:-1]) + (" and " if len(traits) > 1 else ""), traits[-1], "."
            )
        if named:
            ctx.doc.add(" Strong background in ", *join_mentions(named, lang, rng), ".")
        ctx.doc.add("\n")


def _fill(template: str, ctx: Ctx) -> str:
    objs = ph.OBJECTS[ctx.lang].get(ctx.family, ph.OBJECTS[ctx.lang]["business"])
    out = ctx.rng.choice(ph.OUTCOMES[ctx.lang]).replace("{n}", str(ctx.rng.randrange(10, 60, 5)))
    return template.replace("{obj}", ctx.rng.choice(objs)).replace("{out}", out)


def _bullet(ctx: Ctx, sids: list[str], *, full_stop: bool = False) -> list[Piece]:
    """One bullet's pieces: named skills in a template, implying descriptions as clauses of their own."""
    lang, rng = ctx.lang, ctx.rng
    mentions = [ctx.surface(s, prose=True) for s in sids]
    soft = [m for m in mentions if m[2] != "implied" and _is_soft(m[0])]
    named = [m for m in mentions if m[2] != "implied" and not _is_soft(m[0])]
    clauses: list[list[Piece]] = []
    for group in ([m for m in soft if m[0] != "english"], [m for m in soft if m[0] == "english"]):
        if group:  # people skills and a spoken language get sentences of their own
            templates = ph.SOFT_TEMPLATES if group[0][0] != "english" else ph.SPOKEN_TEMPLATES
            pre, _, post = rng.choice(templates[lang]).partition("{X}")
            clauses.append([pre, *join_mentions(group, lang, rng), post])
    if named or not (sids or soft):
        tpl = _fill(rng.choice(ph.BULLET_TEMPLATES[lang] if named else ph.GENERIC_BULLETS[lang]), ctx)
        pre, _, post = tpl.partition("{X}")
        clauses.append([pre, *join_mentions(named, lang, rng), post] if named else [tpl])
    for sid, phrase, kind in mentions:
        if kind == "implied":
            if lang == "en" and not clauses:
                phrase = phrase[0].upper() + phrase[1:]
            clauses.append([(sid, phrase, kind)])
    sep = rng.choice(("；", "，")) if lang == "zh" else "; "
    out: list[Piece] = []
    for i, c in enumerate(clauses):
        if i:
            out.append(sep)
        out.extend(c)
    stop = full_stop or rng.random() < (0.6 if lang == "zh" else 0.5)
    out.append(("。" if lang == "zh" else ".") if stop else "")
    return out


def _is_soft(sid: str) -> bool:
    return sid in SURFACES and SURFACES[sid].category == "soft"


def _chunks(sids: list[str], rng: random.Random, max_bullets: int = 4) -> list[list[str]]:
    sids = list(sids)
    rng.shuffle(sids)
    out: list[list[str]] = []
    while sids:
        take = rng.randint(1, 3) if len(out) < max_bullets - 1 else len(sids)
        out.append(sids[:take])
        sids = sids[take:]
    if (len(out) < max_bullets and rng.random() < 0.25) or not out:
        out.append([])
    return out


def _bullets(ctx: Ctx, sids: list[str], max_bullets: int = 4) -> None:
    groups = _chunks(sids, ctx.rng, max_bullets)
    if ctx.layout.bullet == 6:  # paragraph style: sentences run together
        for i, g in enumerate(groups):
            ctx.doc.add(
                *_bullet(ctx, g, full_stop=True),
                "" if i == len(groups) - 1 else (" " if ctx.lang == "en" else ""),
            )
        ctx.doc.add("\n")
        return
    for n, g in enumerate(groups, 1):
        ctx.doc.add(bullet_prefix(ctx.layout, n), *_bullet(ctx, g), "\n")


def _job_head(ctx: Ctx, company: str, title: str, dates: str) -> None:
    zh = ctx.lang == "zh"
    style = ctx.layout.job
    if style == 0:
        sep = ctx.rng.choice((" | ", "｜")) if zh else " | "
        ctx.doc.add(f"{company}{sep}{title}{sep}{dates}\n")
    elif style == 1:
        ctx.doc.add(f"{dates}\n{company}\n{title}\n")
    elif style == 2:
        ctx.doc.add(f"{dates}    {company}    {title}\n")
    elif style == 3:
        ctx.doc.add(f"{title} — {company}（{dates}）\n" if zh else f"{title}, {company} ({dates})\n")
    elif style == 4:
        ctx.doc.add(f"{company}  {title}\n{dates}\n" if zh else f"{company} — {title}\n{dates}\n")
    else:
        lab = ("公司名称：", "职位：", "在职时间：") if zh else ("Company: ", "Role: ", "Dates: ")
        ctx.doc.add(f"{lab[0]}{company}\n{lab[1]}{title}\n{lab[2]}{dates}\n")


def _work(ctx: Ctx) -> None:
    if not ctx.person.jobs:
        return
    ctx.doc.add(ctx.header("work"))
    spaced = ctx.layout.job in (1, 4, 5)
    for job, plan in zip(ctx.person.jobs, ctx.job_plans, strict=True):
        _job_head(ctx, job.company, job.title, fmt_range(job.start, job.end, ctx.layout))
        if ctx.layout.job in (1, 5) and ctx.rng.random() < 0.5:
            ctx.doc.add("工作内容：\n" if ctx.lang == "zh" else "Responsibilities:\n")
        _bullets(ctx, plan)
        if spaced:
            ctx.doc.add("\n")


def _projects(ctx: Ctx) -> None:
    projects = ctx.person.projects
    if not projects:
        return
    ctx.doc.add(ctx.header("projects"))
    zh, rng = ctx.lang == "zh", ctx.rng
    for proj, plan in zip(projects, ctx.project_plans, strict=True):
        style = ctx.layout.job % 3
        if style == 0:
            ctx.doc.add(f"{proj.name}（{proj.year}）\n" if zh else f"{proj.name} ({proj.year})\n")
        elif style == 1:
            ctx.doc.add(f"{proj.year}  {proj.name}\n" if zh else f"{proj.name} — {proj.year}\n")
        else:
            ctx.doc.add(
                f"项目名称：{proj.name}\n时间：{proj.year}年\n"
                if zh
                else f"Project: {proj.name}\nYear: {proj.year}\n"
            )
        desc, stack = (plan[:3], plan[3:]) if len(plan) > 3 and rng.random() < 0.6 else (plan, [])
        if zh and rng.random() < 0.5:
            ctx.doc.add("项目描述：" if ctx.layout.bullet == 6 else "项目描述：\n")
        _bullets(ctx, desc, max_bullets=2)
        if stack:
            tech = ctx.family in ("engineering", "data")
            label = rng.choice(ph.STACK_LABELS[ctx.lang][0 if tech else 1])
            sep = rng.choice(ph.LIST_SEPARATORS[ctx.lang])
            ctx.doc.add(label, *interleave([ctx.surface(s, prose=False) for s in stack], sep), "\n")


def _education(ctx: Ctx) -> None:
    edu = ctx.person.education
    if not edu:
        return
    ctx.doc.add(ctx.header("education"))
    zh, rng = ctx.lang == "zh", ctx.rng
    for e in edu:
        if ctx.layout.date == "year" or rng.random() < 0.3:
            dates = f"{e.start_year} - {e.end_year}"
        else:
            dates = fmt_range(date(e.start_year, 9, 1), date(e.end_year, rng.choice((6, 7)), 1), ctx.layout)
        deg = degree_word(ctx.lang, e.degree, rng)
        style = ctx.layout.job % 3
        if style == 0:
            ctx.doc.add(
                f"{dates} | {e.school} | {e.major} | {deg}\n"
                if zh
                else f"{deg} in {e.major}, {e.school}, {dates}\n"
            )
        elif style == 1:
            ctx.doc.add(
                f"{e.school}\n{deg} · {e.major}\n{dates}\n"
                if zh
                else f"{e.school}\n{deg}, {e.major}\n{dates}\n"
            )
        else:
            ctx.doc.add(
                f"{dates}    {e.school}    {e.major}    {deg}\n"
                if zh
                else f"{e.school}    {deg} {e.major}    {dates}\n"
            )


def _certs(ctx: Ctx) -> None:
    certs = ctx.person.certifications
    if not certs:
        return
    ctx.doc.add(ctx.header("certs"))
    if ctx.layout.bullet % 2:
        ctx.doc.add(("、" if ctx.lang == "zh" else ", ").join(certs), "\n")
    else:
        ctx.doc.add("".join(f"{bullet_prefix(ctx.layout, n)}{c}\n" for n, c in enumerate(certs, 1)))


SECTIONS: dict[str, Callable[[Ctx], None]] = {
    "info": _info,
    "intent": _intent,
    "summary": _summary,
    "work": _work,
    "projects": _projects,
    "education": _education,
    "skills": render_skills,
    "certs": _certs,
}
