"""The synthetic resume renderer: deterministic, exact spans, full coverage, and measurably varied."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from ai_identity.synth import pools
from ai_identity.synth.catalog import LEVELS, ROLES, SENIORITIES, SOFT_SKILLS, all_skill_ids
from ai_identity.synth.resume_layouts import DATE_FORMATS, SECTION_ORDERS
from ai_identity.synth.resume_text import (
    HARD_KINDS,
    RenderedResume,
    layout_shares,
    render_resume,
    share_outside_aliases,
)
from ai_identity.synth.surface_forms import SURFACES, make_typo
from ai_identity.synth.truth import TruthEducation, TruthJob, TruthPerson, TruthProject, TruthSkill


def make_person(rng: random.Random, user_id: int, lang: str | None = None) -> TruthPerson:
    """An invented person drawn from the pools (no real people)."""
    lang = lang or rng.choice(("zh", "en"))
    zh = lang == "zh"
    role = rng.choice(ROLES)
    sen = rng.randrange(4)
    industry = rng.choice(role.industries)
    skill_ids = list(role.core) + rng.sample(role.optional, rng.randint(1, min(6, len(role.optional))))
    skill_ids += rng.sample(SOFT_SKILLS, rng.randint(0, 2))
    skills = [
        TruthSkill(s, rng.choice(LEVELS), rng.randint(0, 10), rng.randint(2019, 2025)) for s in skill_ids
    ]
    city = rng.choice(pools.CITIES_ZH if zh else pools.CITIES_EN)
    name = (
        rng.choice(pools.ZH_SURNAMES) + rng.choice(pools.ZH_GIVEN_NAMES)
        if zh
        else (f"{rng.choice(pools.EN_FIRST_NAMES)} {rng.choice(pools.EN_LAST_NAMES)}")
    )
    jobs, end = [], None
    year = 2025
    for k in range(rng.randint(0 if user_id % 17 == 0 else 1, 4)):
        start = date(year - rng.randint(1, 4), rng.randint(1, 12), 1)
        comp = rng.choice((pools.COMPANIES_ZH if zh else pools.COMPANIES_EN)[industry])
        titles = role.titles_zh if zh else role.titles_en
        jobs.append(
            TruthJob(
                comp,
                comp,
                industry,
                titles[max(0, sen - k)],
                role.key,
                SENIORITIES[max(0, sen - k)],
                start,
                end,
                city.name,
                rng.sample(skill_ids, rng.randint(2, min(6, len(skill_ids)))),
            )
        )
        end = date(start.year - 1, 12, 1) if start.month == 1 else date(start.year, start.month - 1, 1)
        year = start.year
    major = rng.choice(pools.MAJORS[role.family])[0 if zh else 1]
    edu = [
        TruthEducation(
            rng.choice(pools.SCHOOLS_ZH if zh else pools.SCHOOLS_EN),
            rng.choice(("associate", "bachelor", "bachelor", "master", "phd")),
            major,
            year - 4,
            year,
        )
    ]
    projects = [
        TruthProject(
            f"{'项目' if zh else 'Project '}{chr(65 + i)}",
            rng.sample(skill_ids, rng.randint(1, min(5, len(skill_ids)))),
            rng.randint(2018, 2025),
        )
        for i in range(rng.randint(0, 3))
    ]
    certs = rng.sample(
        (pools.CERTIFICATIONS_ZH if zh else pools.CERTIFICATIONS_EN)[role.family], rng.randint(0, 2)
    )
    traits = [t[0] for t in rng.sample(pools.TRAITS, rng.randint(0, 3))]
    return TruthPerson(
        user_id,
        lang,
        name,
        f"user{user_id}@example.com",
        f"138{user_id:08d}" if zh else f"+1 555 01{user_id % 100:02d}",
        city.name,
        city.country,
        city.timezone,
        role.key,
        SENIORITIES[sen],
        industry,
        jobs,
        edu,
        skills,
        projects,
        certs,
        traits,
    )


@pytest.fixture(scope="module")
def rendered() -> list[tuple[TruthPerson, RenderedResume]]:
    rng = random.Random(7)
    people = [make_person(rng, i) for i in range(1000)]
    return [(p, render_resume(p, random.Random(p.user_id))) for p in people]


def test_when_surface_table_then_every_catalog_skill_has_forms_in_both_languages():
    assert set(SURFACES) == set(all_skill_ids())
    for s in SURFACES.values():
        assert s.canonical["en"] and s.canonical["zh"] and s.implied["en"] and s.implied["zh"], s.skill_id


def test_when_same_seed_then_same_resume():
    p = make_person(random.Random(3), 3)
    a, b = render_resume(p, random.Random(42)), render_resume(p, random.Random(42))
    assert a == b
    assert render_resume(p, random.Random(43)).text != a.text


def test_when_rendered_then_spans_exact(rendered):
    for _, r in rendered:
        for m in r.mentions:
            assert r.text[m.start : m.end] == m.surface, (r.layout, m)


def test_when_rendered_then_every_shown_skill_is_mentioned(rendered):
    for p, r in rendered:
        mentioned = {m.skill_id for m in r.mentions}
        truth = {s.skill_id for s in p.skills}
        assert truth - set(r.omitted_skills) <= mentioned, r.layout
        assert len(r.omitted_skills) <= int(len(truth) * 0.1 + 0.5)


def test_when_rendered_then_personal_info_and_jobs_present(rendered):
    for p, r in rendered[:200]:
        assert p.name in r.text and p.email in r.text and p.phone in r.text
        for j in p.jobs:
            assert j.company in r.text and j.title in r.text


def test_when_both_languages_then_sections_in_each(rendered):
    langs = Counter(p.lang for p, _ in rendered)
    assert langs["zh"] > 300 and langs["en"] > 300
    zh_text = "".join(r.text for p, r in rendered if p.lang == "zh")
    en_text = "".join(r.text for p, r in rendered if p.lang == "en")
    for word in (
        "工作经历",
        "工作经验",
        "项目经验",
        "教育背景",
        "专业技能",
        "自我评价",
        "至今",
        "精通",
        "熟悉",
    ):
        assert word in zh_text, word
    for word in ("Experience", "Work History", "Education", "Skills", "Present", "Expert", "Proficient"):
        assert word in en_text, word
    assert sum(1 for p, r in rendered if p.lang == "zh" and r.layout.startswith("zhx")) > 10


def test_when_1000_people_then_no_layout_over_10_percent(rendered):
    _, share = layout_shares(r.layout for _, r in rendered)
    assert share <= 0.10
    # also the coarse structure (section order + header style + entry style), not just the full id
    _, coarse = layout_shares(
        "-".join(r.layout.split("-")[1:3] + r.layout.split("-")[5:6]) for _, r in rendered
    )
    assert coarse <= 0.10


def test_when_1000_people_then_hard_kinds_between_30_and_40_percent(rendered):
    kinds = Counter(m.kind for _, r in rendered for m in r.mentions)
    total = sum(kinds.values())
    hard = sum(kinds[k] for k in HARD_KINDS) / total
    assert 0.30 <= hard <= 0.45, kinds
    assert all(kinds[k] > 0 for k in ("canonical", "alias", "abbreviation", "typo", "rare_alias", "implied"))


def test_when_1000_people_then_every_date_format_and_section_order_appears(rendered):
    seen = {part for _, r in rendered for part in r.layout.split("-")}
    for lang, fmts in DATE_FORMATS.items():
        assert set(fmts) <= seen, lang
    assert {f"o{i}" for i in range(len(SECTION_ORDERS))} <= seen


def test_when_alias_table_holds_all_authored_names_then_over_30_percent_of_mentions_fall_outside(rendered):
    # the most generous alias table an engine could ship: every canonical name and ordinary alias we authored
    table = {f for s in SURFACES.values() for f in (*s.canonical.values(), *s.aliases["zh"])}
    share = share_outside_aliases((m for _, r in rendered for m in r.mentions), table)
    assert 0.30 <= share <= 0.45


@pytest.mark.parametrize(("word", "lang"), [("Kubernetes", "en"), ("PostgreSQL", "en"), ("机器学习", "zh")])
def test_when_typo_then_differs_and_is_not_a_known_form(word, lang):
    rng = random.Random(1)
    typos = {make_typo(word, rng) for _ in range(20)} - {None}
    assert typos and word not in typos


def test_when_level_words_then_they_follow_truth_levels(rendered):
    agree = total = 0
    for p, r in rendered:
        if p.lang != "zh" or "-lines" not in r.layout:
            continue
        by_id = {s.skill_id: s.level for s in p.skills}
        for m in r.mentions:
            line_start = r.text.rfind("\n", 0, m.start) + 1
            line = r.text[line_start : r.text.find("\n", m.end)]
            word = "精通" if "精通" in line else "熟练" if "熟练" in line else None
            if word:
                total += 1
                agree += by_id.get(m.skill_id) in (("expert",) if word == "精通" else ("advanced", "expert"))
    assert total > 50 and agree / total > 0.7
