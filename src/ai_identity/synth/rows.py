"""Turns one user's hidden truth into the noisy rows the platform would hold about them.

Observed data is deliberately partial and sometimes wrong, the way a real platform's is: stated settings that
behaviour contradicts, a skills table that lists a subset with guessed levels, earlier AI analyses from older
models, a graph node with an old username. Faults with a class in :mod:`noise` are logged by the injector.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from ai_identity.synth.catalog import LEVELS
from ai_identity.synth.noise import Injector
from ai_identity.synth.pools import CITIES_EN, CITIES_ZH
from ai_identity.synth.surface_forms import SURFACES
from ai_identity.synth.truth import UserTruth

DIMS = {"content": 256, "skills": 64, "behavior": 16, "experience": 32}
NOTIFY_CHOICES = ("morning", "afternoon", "evening", "night")
_CITY = {c.name: c for c in CITIES_ZH + CITIES_EN}
LEVEL_WORD = {
    "beginner": "beginner",
    "intermediate": "intermediate",
    "advanced": "advanced",
    "expert": "expert",
}


def skill_name(skill_id: str, lang: str = "en") -> str:
    s = SURFACES[skill_id]
    return s.canonical.get(lang) or s.canonical["en"]


def skill_category(skill_id: str) -> str:
    return SURFACES[skill_id].category


def ts(d: date | datetime, rng: random.Random | None = None) -> str:
    if isinstance(d, datetime):
        moment = d
    else:
        moment = datetime(d.year, d.month, d.day, tzinfo=UTC)
        if rng:
            moment += timedelta(seconds=rng.randrange(86400))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def location_text(u: UserTruth) -> str:
    city = _CITY[u.person.city]
    if u.person.lang == "zh":
        return city.region if city.region.startswith(city.name) else f"{city.region}{city.name}市"
    return f"{city.name}, {city.region}" if city.region != city.name else city.name


def total_years(u: UserTruth, now: date) -> float:
    return round(sum(((j.end or now) - j.start).days for j in u.person.jobs) / 365.25, 1)


def years_until(u: UserTruth, moment: date) -> float:
    """Years in work up to ``moment`` (jobs clipped to it)."""
    days = sum(
        max(0, (min(j.end or moment, moment) - j.start).days) for j in u.person.jobs if j.start <= moment
    )
    return round(days / 365.25, 1)


def span_until(u: UserTruth, moment: date) -> float:
    """Years from the first job's start to the last job's end (``moment`` while one is open), up to ``moment``."""
    jobs = [j for j in u.person.jobs if j.start <= moment]
    if not jobs:
        return 0.0
    last = max(min(j.end or moment, moment) for j in jobs)
    return round(max(0, (last - min(j.start for j in jobs)).days) / 365.25, 1)


def _other(value: str, choices: tuple[str, ...], rng: random.Random) -> str:
    return rng.choice([c for c in choices if c != value])


def stated_settings(u: UserTruth, rng: random.Random) -> dict[str, Any]:
    """What the user once set; for many users it no longer matches what their behaviour shows."""
    p = u.preferences
    language = p.language if rng.random() < 0.8 else _other(p.language, ("zh", "en"), rng)
    assist = (
        p.assistance_level
        if rng.random() < 0.7
        else _other(p.assistance_level, ("low", "medium", "high"), rng)
    )
    notify = p.notification_time if rng.random() < 0.75 else _other(p.notification_time, NOTIFY_CHOICES, rng)
    tone = p.tone if rng.random() < 0.75 else _other(p.tone, ("formal", "friendly"), rng)
    u.stated_contradictions = [
        k
        for k, a, b in (
            ("language", language, p.language),
            ("assistance_level", assist, p.assistance_level),
            ("notification_time", notify, p.notification_time),
            ("tone", tone, p.tone),
        )
        if a != b
    ]
    return {"language": language, "assistance": assist, "notify": notify, "tone": tone}


def username(u: UserTruth) -> str:
    return f"{u.person.email.split('@')[0].replace('.', '_')}_{u.person.user_id}"


def normalize_content(raw: str) -> str:
    """The platform's cleaned resume text: trailing blanks removed, runs of blank lines collapsed."""
    lines = [ln.rstrip() for ln in raw.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def user_row(
    u: UserTruth, inj: Injector, rng: random.Random, emails_taken: list[str], updated: date
) -> tuple:
    p = u.person
    email, phone = p.email, p.phone
    if inj.maybe("malformed_email", f"users:{p.user_id}:email"):
        email = email.replace("@", "#")
    elif emails_taken and inj.maybe("shared_email", f"users:{p.user_id}:email"):
        email = rng.choice(emails_taken)
    if inj.maybe("malformed_phone", f"users:{p.user_id}:phone"):
        phone = phone[:5]
    status = "active" if rng.random() < 0.95 else "inactive"
    return (p.user_id, username(u), email, phone, ts(u.signup, rng), ts(updated, rng), status)


def profile_rows(u: UserTruth, inj: Injector, rng: random.Random, now: date, updated: date) -> list[tuple]:
    """``experience_years`` is what the user typed when they last edited the profile (``updated``)."""
    p = u.person
    years: float | None = years_until(u, updated)
    inconsistent = inj.maybe("inconsistent_experience", f"user_profiles:{p.user_id}:experience_years")
    if inconsistent:
        # an injected fault must be a real one: 4-7 years beyond both readings of the career (the summed jobs and
        # the span from the first start), so beyond the 3-year tolerance even on a resume that gives years only
        # (a year-only date is up to 11 months off), and downwards only when that cannot hit the floor
        shift = rng.uniform(4, 7)
        low, high = sorted((years_until(u, updated), span_until(u, updated)))
        down = low - shift >= 0 and rng.random() < 0.5
        years = round(low - shift if down else high + shift, 1)
    degree = max(p.education, key=lambda e: e.end_year).degree if p.education else None
    names = [skill_name(s.skill_id, p.lang) for s in p.skills]
    summary = ("、" if p.lang == "zh" else ", ").join(rng.sample(names, k=min(len(names), rng.randint(3, 6))))
    industry = p.jobs[0].industry if len(p.jobs) > 1 and rng.random() < 0.1 else p.industry  # stale industry
    bio = rng.choice(
        ["热爱技术，持续学习。", "专注本职，乐于分享。", "求职中，欢迎联系。"]
        if p.lang == "zh"
        else ["Always learning.", "Open to new opportunities.", "Building useful things."]
    )
    row: list[Any] = [
        p.user_id,
        p.name,
        f"https://cdn.example.com/avatars/{p.user_id}.png",
        bio,
        location_text(u),
        industry,
        years,
        degree,
        summary,
    ]
    if inj.maybe("missing_profile_field", f"user_profiles:{p.user_id}"):
        # never the figure just made inconsistent: the record would carry neither fault
        row[rng.choice((4, 5, 7) if inconsistent else (4, 5, 6, 7))] = None
    rows = [tuple(row)]
    if inj.maybe("duplicate_profile", f"user_profiles:{p.user_id}:duplicate"):
        dup = list(row)
        dup[5] = rng.choice(["internet", "retail", "education", "consulting"])
        rows.append(tuple(dup))
    return rows


def settings_row(u: UserTruth, stated: dict[str, Any], inj: Injector, rng: random.Random) -> tuple:
    tz: str | None = u.behavior.timezone
    if inj.maybe("missing_timezone", f"user_settings:{u.person.user_id}:timezone"):
        tz = None
    elif inj.maybe("malformed_timezone", f"user_settings:{u.person.user_id}:timezone"):
        tz = "GMT+8" if u.person.lang == "zh" else "EST"
    notify = {
        "channel": rng.choice(("email", "app", "wechat" if u.person.lang == "zh" else "sms")),
        "time": stated["notify"],
        "frequency": rng.choice(("daily", "weekly", "instant")),
    }
    privacy = {
        "profile_visibility": rng.choice(("public", "connections", "private")),
        "share_sensitive": u.consent.sensitive,
        "share_relational": u.consent.relational,
    }
    theme = {
        "theme": rng.choice(("light", "dark", "system")),
        "font_size": rng.choice(("normal", "large")),
        "ai_tone": stated["tone"],
    }
    return (
        u.person.user_id,
        stated["language"],
        tz,
        json.dumps(notify),
        json.dumps(privacy),
        json.dumps(theme),
        stated["assistance"],
    )


def noisy_level(level: str, rng: random.Random, p: float = 0.2) -> str:
    if rng.random() >= p:
        return level
    i = LEVELS.index(level) + rng.choice((-1, 1))
    return LEVELS[max(0, min(3, i))]


def resume_skill_rows(
    u: UserTruth, resume_id: int, skill_ids: dict[str, int], rng: random.Random
) -> list[tuple]:
    """The platform's skills table: about half the true skills, self-reported levels (often a notch high)."""
    rows = []
    for s in u.person.skills:
        if rng.random() < 0.5:
            years = None if rng.random() < 0.2 else max(0.0, s.years + rng.choice((-1, 0, 0, 1)))
            level = noisy_level(s.level, rng, 0.15)
            if rng.random() < 0.25:  # self-reported levels run high
                level = LEVELS[min(3, LEVELS.index(level) + 1)]
            rows.append((resume_id, skill_ids[s.skill_id], level, years, int(rng.random() < 0.25)))
    if rng.random() < 0.06:  # a skill listed that the person does not really have
        extra = rng.choice([k for k in skill_ids if k not in {s.skill_id for s in u.person.skills}])
        rows.append((resume_id, skill_ids[extra], "beginner", 1.0, 0))
    return rows


def vector(rng: np.random.Generator, dim: int, basis: np.ndarray | None = None) -> np.ndarray:
    v = rng.normal(size=dim)
    if basis is not None:
        v = 0.5 * v + basis[:dim]
    return (v / np.linalg.norm(v)).astype(np.float32)


def skills_basis(u: UserTruth, all_ids: list[str], dim: int) -> np.ndarray:
    """The old platform model's skills vector: a fixed random projection of the multi-hot skill set."""
    proj = np.random.default_rng(12345).normal(size=(len(all_ids), dim))
    idx = [all_ids.index(s.skill_id) for s in u.person.skills if s.skill_id in all_ids]
    v = proj[idx].sum(axis=0) if idx else np.zeros(dim)
    n = np.linalg.norm(v)
    return v / n if n else v


def parsed_resume(u: UserTruth, rng: random.Random, inj: Injector, content_id: int) -> dict[str, Any]:
    """The platform's earlier parse (``zervigo-parser``): partial, sometimes wrong, never our parser's output."""
    p = u.person
    work = []
    for k, j in enumerate(p.jobs):
        if rng.random() < 0.8:
            title: str | None = j.title
            roll = rng.random()
            if roll < 0.12:  # v0.9 swapped company and title on some layouts
                title = j.company
            elif roll < 0.2:  # ... or carried the previous entry's title forward
                title = p.jobs[k - 1].title if k else None
            elif roll < 0.26:
                title = None
            entry = {
                "company": j.company,
                "title": title,
                "start": j.start.strftime("%Y-%m"),
                "end": j.end.strftime("%Y-%m") if j.end else None,
            }
            work.append(entry)
    if work and inj.maybe("parsed_end_before_start", f"parsed_resume_data:{p.user_id}:{content_id}"):
        work[0]["end"] = (date.fromisoformat(work[0]["start"] + "-01") - timedelta(days=400)).strftime(
            "%Y-%m"
        )
    edu = [
        {"school": e.school, "degree": e.degree, "major": e.major, "end": str(e.end_year)}
        for e in p.education
        if rng.random() < 0.9
    ]
    skills = [skill_name(s.skill_id, p.lang) for s in p.skills if rng.random() < 0.55]
    return {
        "personal_info": {"name": p.name, "email": p.email, "phone": p.phone, "location": p.city},
        "work_experience": work,
        "education": edu,
        "skills": skills,
        "projects": [{"name": pr.name} for pr in p.projects],
        "certifications": list(p.certifications),
        "keywords": skills[:5],
        "confidence": round(rng.uniform(0.55, 0.85), 2),
        "parsing_version": "zervigo-parser-0.9",
    }


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
