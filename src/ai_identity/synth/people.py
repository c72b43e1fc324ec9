"""Draws each synthetic user's hidden truth: who they are, how they work, what they prefer, what they allow.

Method: a seeded ``random.Random`` per user (seed and user id mixed with SHA-256, so user *k*'s truth does not
depend on how many users are drawn). Roles come from :mod:`catalog`, names and places from :mod:`pools`.
Careers are walked forward from graduation to the platform's "now" in jobs of one to five years; seniority
follows years in work; each skill's years follow the jobs that used it and its level follows its years with
noise. Behaviour, preferences and consent are drawn independently of the career, except where life makes them
correlate (a night-owl's notifications land at night more often).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from ai_identity.synth import pools
from ai_identity.synth.catalog import LEVELS, ROLE_BY_KEY, ROLES, SENIORITIES, SOFT_SKILLS, Role
from ai_identity.synth.truth import (
    BehaviorTruth,
    ConsentTruth,
    PreferenceTruth,
    TruthEducation,
    TruthJob,
    TruthPerson,
    TruthProject,
    TruthSkill,
    UserTruth,
)

RHYTHMS: dict[str, tuple[tuple[float, float], ...]] = {
    # (centre hour, weight) bumps of the local-time activity curve
    "early_bird": ((7.0, 1.0), (12.5, 0.45)),
    "office": ((10.0, 1.0), (15.0, 0.6)),
    "evening": ((20.5, 1.0), (13.0, 0.3)),
    "night_owl": ((23.5, 1.0), (14.0, 0.3)),
}
NOTIFY_WINDOWS: dict[str, tuple[int, ...]] = {
    "morning": (7, 8, 9, 10),
    "afternoon": (13, 14, 15, 16),
    "evening": (18, 19, 20, 21),
    "night": (22, 23, 0, 1),
}
RHYTHM_NOTIFY = {"early_bird": "morning", "office": "afternoon", "evening": "evening", "night_owl": "night"}
PROJECT_NAMES_ZH = (
    "用户增长平台",
    "智能推荐系统",
    "数据中台",
    "订单结算系统",
    "客服机器人",
    "供应链可视化",
    "会员运营体系",
    "风控引擎",
    "内容审核平台",
    "移动端改版",
    "招聘管理系统",
    "报表自动化",
)
PROJECT_NAMES_EN = (
    "Growth Platform",
    "Recommendation Engine",
    "Data Hub",
    "Billing Service",
    "Support Chatbot",
    "Supply Chain Dashboard",
    "Loyalty Program",
    "Risk Engine",
    "Content Moderation Tool",
    "Mobile App Redesign",
    "Hiring Portal",
    "Reporting Automation",
)
_HANDLE_SYLLABLES = (
    "an",
    "bo",
    "chen",
    "da",
    "fei",
    "gang",
    "hao",
    "hui",
    "jia",
    "jun",
    "kai",
    "lan",
    "lei",
    "lin",
    "ming",
    "na",
    "ping",
    "qi",
    "rui",
    "shan",
    "tao",
    "wei",
    "xin",
    "yan",
    "yu",
    "zhi",
)


def user_rng(seed: int, user_id: int, stream: str) -> random.Random:
    """A generator private to one user and one purpose, independent of every other draw."""
    digest = hashlib.sha256(f"{seed}:{user_id}:{stream}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def rhythm_curve(rhythm: str) -> list[float]:
    """The true relative activity rate for each local hour 0..23 (circular Gaussian bumps plus a floor)."""
    curve = []
    for h in range(24):
        v = 0.03 if 1 <= h <= 5 and rhythm != "night_owl" else 0.08
        for centre, w in RHYTHMS[rhythm]:
            d = min(abs(h - centre), 24 - abs(h - centre))
            v += w * pow(2.718281828, -0.5 * (d / 1.1) ** 2)
        curve.append(v)
    return curve


def _years_between(a: date, b: date) -> float:
    return (b - a).days / 365.25


def _seniority(years: float, rng: random.Random) -> str:
    cut = years + rng.uniform(-0.8, 0.8)
    return SENIORITIES[0 if cut < 2 else 1 if cut < 5 else 2 if cut < 10 else 3]


def _draw_person(uid: int, rng: random.Random, now: date) -> TruthPerson:
    lang = "zh" if rng.random() < 0.5 else "en"
    role = rng.choice(ROLES)
    city = rng.choice(pools.CITIES_ZH if lang == "zh" else pools.CITIES_EN)
    if lang == "zh":
        name = rng.choice(pools.ZH_SURNAMES) + rng.choice(pools.ZH_GIVEN_NAMES)
        handle = "".join(rng.choice(_HANDLE_SYLLABLES) for _ in range(2)) + str(rng.randint(1, 999))
        email = f"{handle}@example.{rng.choice(('cn', 'com', 'net'))}"
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
    else:
        first, last = rng.choice(pools.EN_FIRST_NAMES), rng.choice(pools.EN_LAST_NAMES)
        name = f"{first} {last}"
        email = (
            f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.{rng.choice(('com', 'org', 'net'))}"
        )
        phone = (
            f"+1 555-01{rng.randint(0, 99):02d}"
            if city.country in ("US", "CA")
            else f"+44 7700 900{rng.randint(0, 999):03d}"
        )

    degree = rng.choices(("associate", "bachelor", "master", "phd"), (10, 60, 25, 5))[0]
    age_at_grad = {"associate": 21, "bachelor": 22, "master": 25, "phd": 28}[degree]
    career_years = rng.choices(
        (rng.uniform(0.3, 2), rng.uniform(2, 5), rng.uniform(5, 10), rng.uniform(10, 20)), (25, 35, 28, 12)
    )[0]
    career_start = now - timedelta(days=int(career_years * 365.25))
    grad_year = career_start.year if career_start.month > 6 else career_start.year - 1
    study_len = {"associate": 3, "bachelor": 4, "master": 3, "phd": 5}[degree]
    if lang == "zh":
        school = rng.choice(pools.SCHOOLS_ZH_VOCATIONAL if degree == "associate" else pools.SCHOOLS_ZH)
    else:
        school = rng.choice(pools.SCHOOLS_EN_COMMUNITY if degree == "associate" else pools.SCHOOLS_EN)
    major_zh, major_en = rng.choice(pools.MAJORS[role.family])
    education = [
        TruthEducation(
            school, degree, major_zh if lang == "zh" else major_en, grad_year - study_len, grad_year
        )
    ]
    if degree in ("master", "phd") and rng.random() < 0.7:
        first_school = rng.choice(pools.SCHOOLS_ZH if lang == "zh" else pools.SCHOOLS_EN)
        start = grad_year - study_len - 4
        education.append(TruthEducation(first_school, "bachelor", education[0].major, start, start + 4))
    del age_at_grad

    # careers: one role change for some, jobs of 1-5 years walked forward to now
    roles: list[Role] = [role]
    if rng.random() < 0.15:
        roles.insert(0, rng.choice([r for r in ROLES if r.family == role.family and r is not role] or [role]))
    jobs: list[TruthJob] = []
    cursor = career_start
    industry = rng.choice(role.industries)
    used_companies: set[str] = set()
    while cursor < now:
        length = rng.uniform(1.0, 5.0)
        end = cursor + timedelta(days=int(length * 365.25))
        cur_role = roles[0] if len(roles) > 1 and len(jobs) < 1 else roles[-1]
        if rng.random() < 0.25:
            industry = rng.choice(cur_role.industries)
        companies = (pools.COMPANIES_ZH if lang == "zh" else pools.COMPANIES_EN)[industry]
        company = rng.choice([c for c in companies if c not in used_companies] or list(companies))
        used_companies.add(company)
        years_so_far = _years_between(career_start, cursor) + min(length, _years_between(cursor, now)) / 2
        sen = _seniority(years_so_far, rng)
        titles = cur_role.titles_zh if lang == "zh" else cur_role.titles_en
        current = end >= now
        jobs.append(
            TruthJob(
                company,
                f"{industry}:{company}",
                industry,
                titles[SENIORITIES.index(sen)],
                cur_role.key,
                sen,
                cursor.replace(day=1),
                None if current else end.replace(day=1),
                city.name,
            )
        )
        cursor = end + timedelta(days=rng.choice((0, 0, 30, 60, 120)))
    if jobs and jobs[-1].end is None and rng.random() < 0.08:  # between jobs right now
        jobs[-1].end = (now - timedelta(days=rng.randint(30, 200))).replace(day=1)
        if jobs[-1].end <= jobs[-1].start:
            jobs[-1].end = None

    skills, projects = _draw_skills(jobs, roles, rng, now)
    certs_pool = (pools.CERTIFICATIONS_ZH if lang == "zh" else pools.CERTIFICATIONS_EN)[role.family]
    certifications = rng.sample(certs_pool, k=min(len(certs_pool), rng.choice((0, 0, 1, 1, 2))))
    traits = rng.sample([k for k, _, _ in pools.TRAITS], k=rng.randint(2, 4))
    return TruthPerson(
        uid,
        lang,
        name,
        email,
        phone,
        city.name,
        city.country,
        city.timezone,
        role.key,
        jobs[-1].seniority if jobs else "junior",
        jobs[-1].industry if jobs else industry,
        jobs,
        education,
        skills,
        projects,
        certifications,
        traits,
    )


def _draw_skills(
    jobs: list[TruthJob], roles: list[Role], rng: random.Random, now: date
) -> tuple[list[TruthSkill], list[TruthProject]]:
    years: dict[str, float] = {}
    last: dict[str, int] = {}
    for job in jobs:
        role = ROLE_BY_KEY[job.role_key]
        picked = [s for s in role.core if rng.random() < 0.85]
        picked += rng.sample(role.optional, k=min(len(role.optional), rng.randint(2, 4)))
        job.skills = sorted(set(picked))
        span = _years_between(job.start, job.end or now)
        for s in job.skills:
            years[s] = years.get(s, 0.0) + span
            last[s] = (job.end or now).year
    for s in rng.sample(SOFT_SKILLS, k=rng.randint(0, 2)):
        years[s] = max(1.0, _years_between(jobs[0].start, now) if jobs else 1.0)
        last[s] = now.year
    skills = []
    for sid in sorted(years):
        y = years[sid]
        idx = 0 if y < 1 else 1 if y < 3 else 2 if y < 6 else 3
        if rng.random() < 0.25:
            idx = max(0, min(3, idx + rng.choice((-1, 1))))
        skills.append(TruthSkill(sid, LEVELS[idx], max(1, round(y)), last[sid]))
    owned = [s.skill_id for s in skills]
    lang_names = (
        PROJECT_NAMES_ZH
        if jobs and any("\u4e00" <= ch <= "\u9fff" for ch in jobs[0].title)
        else PROJECT_NAMES_EN
    )
    projects = [
        TruthProject(
            rng.choice(lang_names),
            rng.sample(owned, k=min(len(owned), rng.randint(2, 4))),
            rng.randint(max(jobs[0].start.year, now.year - 6) if jobs else now.year, now.year),
        )
        for _ in range(rng.randint(1, 3))
    ]
    del roles
    return skills, projects


def _draw_behavior(person: TruthPerson, rng: random.Random) -> BehaviorTruth:
    rhythm = rng.choices(tuple(RHYTHMS), (15, 45, 28, 12))[0]
    curve = rhythm_curve(rhythm)
    peaks = sorted(range(24), key=lambda h: -curve[h])[:3]
    device = rng.choices(("desktop", "mobile", "tablet", "bot"), (52, 36, 10, 2))[0]
    return BehaviorTruth(
        timezone=person.timezone,
        rhythm=rhythm,
        peak_hours=peaks,
        weekly_pattern=rng.choices(("workweek", "weekend", "all_week"), (55, 15, 30))[0],
        activity_level=rng.choices(("low", "medium", "high"), (35, 45, 20))[0],
        primary_device=device,
        success_rate=round(rng.uniform(0.82, 0.99), 3),
    )


def _draw_preferences(person: TruthPerson, behavior: BehaviorTruth, rng: random.Random) -> PreferenceTruth:
    language = person.lang if rng.random() < 0.85 else ("en" if person.lang == "zh" else "zh")
    notify = RHYTHM_NOTIFY[behavior.rhythm] if rng.random() < 0.6 else rng.choice(tuple(NOTIFY_WINDOWS))
    return PreferenceTruth(
        language,
        rng.choices(("low", "medium", "high"), (30, 45, 25))[0],
        rng.choice(("formal", "friendly")),
        notify,
    )


def draw_users(n: int, seed: int, now: date) -> list[UserTruth]:
    """The hidden truth of ``n`` users (ids 1..n), deterministic for ``seed``."""
    users = []
    for uid in range(1, n + 1):
        rng = user_rng(seed, uid, "truth")
        person = _draw_person(uid, rng, now)
        behavior = _draw_behavior(person, rng)
        prefs = _draw_preferences(person, behavior, rng)
        consent = ConsentTruth(
            data_sharing_level=rng.choices(("basic", "sensitive", "relational", "full"), (25, 10, 40, 25))[0],
            ai_analysis_consent=rng.random() >= 0.03,
            third_party_access=rng.random() < 0.2,
        )
        first_day = min([j.start for j in person.jobs] + [now - timedelta(days=400)])
        signup = max(first_day, now - timedelta(days=rng.randint(120, 1500)))
        held = {s.skill_id for s in person.skills}
        nearby = sorted({s for j in person.jobs for s in ROLE_BY_KEY[j.role_key].optional} - held)
        learning = rng.sample(nearby, k=min(len(nearby), rng.randint(0, 2)))
        users.append(
            UserTruth(
                person,
                behavior,
                prefs,
                consent,
                community=-1,
                graph_id=f"g-{hashlib.sha256(f'{seed}:g:{uid}'.encode()).hexdigest()[:10]}",
                document_key=person.email,
                vector_key=f"uv-{uid:07d}",
                signup=signup,
                learning=learning,
            )
        )
    _assign_communities(users, seed)
    return users


def _assign_communities(users: list[UserTruth], seed: int) -> None:
    """Communities are groups of 20-60 people of one industry (teams, alumni, project circles)."""
    rng = random.Random(seed * 7919 + 17)
    by_industry: dict[str, list[UserTruth]] = {}
    for u in users:
        by_industry.setdefault(u.person.industry, []).append(u)
    next_id = 0
    for industry in sorted(by_industry):
        members = by_industry[industry]
        rng.shuffle(members)
        i = 0
        while i < len(members):
            size = rng.randint(20, 60)
            if len(members) - (i + size) < 20:
                size = len(members) - i
            for u in members[i : i + size]:
                u.community = next_id
            next_id += 1
            i += size
