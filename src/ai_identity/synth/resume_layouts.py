"""Layout choices for rendered resumes: section order, headers, dates, entry and bullet styles, level words.

A :class:`Layout` is a combination of independent choices; its :attr:`Layout.id` names the combination, so
layout variety can be measured (see :func:`layout_shares`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

SECTION_ORDERS: tuple[tuple[str, ...], ...] = (
    ("summary", "work", "projects", "education", "skills", "certs"),
    ("education", "work", "projects", "skills", "certs", "summary"),
    ("summary", "skills", "work", "projects", "education", "certs"),
    ("work", "education", "skills", "projects", "certs", "summary"),
    ("skills", "work", "education", "projects", "certs", "summary"),
    ("education", "skills", "work", "projects", "summary", "certs"),
    ("summary", "work", "skills", "education", "certs", "projects"),
)

_HEADER_WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "zh": {
        "info": ("个人信息", "基本信息", "个人资料"),
        "intent": ("求职意向", "求职意向", "期望工作"),
        "summary": ("自我评价", "个人评价", "个人优势"),
        "work": ("工作经历", "工作经验", "职业经历"),
        "projects": ("项目经验", "项目经历", "主要项目"),
        "education": ("教育背景", "教育经历", "学历背景"),
        "skills": ("专业技能", "技能特长", "技能清单"),
        "certs": ("证书", "资格证书", "证书与荣誉"),
    },
    "en": {
        "info": ("Contact", "Personal Details", "Contact Information"),
        "intent": ("Objective", "Career Objective", "Target Role"),
        "summary": ("Summary", "Profile", "Professional Summary"),
        "work": ("Experience", "Work History", "Employment"),
        "projects": ("Projects", "Selected Projects", "Key Projects"),
        "education": ("Education", "Education", "Academic Background"),
        "skills": ("Skills", "Technical Skills", "Core Competencies"),
        "certs": ("Certifications", "Certificates", "Licenses & Certifications"),
    },
}
_ZH_NUMERALS = "一二三四五六七八九十"
_EN_UPPER_OF = {k: v[0].upper() for k, v in _HEADER_WORDS["en"].items()}
N_HEADER_STYLES = 10
DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "zh": ("dot", "cn", "slash", "dash", "year", "dotnp", "cn0"),
    "en": ("mon", "mmyy", "full", "year", "slash", "dash"),
}
_CURRENT_WORDS = {
    "zh": ("至今", "至今", "现在", "今"),
    "en": ("Present", "Present", "Now", "Current", "present"),
}
N_JOB_STYLES = 6
BULLETS: tuple[str, ...] = ("- ", "• ", "· ", "#. ", "* ", "▪ ", "", "(#) ")
SKILL_STYLES: tuple[str, ...] = ("list", "grouped", "lines", "prose", "categorised", "none")
_SKILL_STYLE_WEIGHTS = (0.22, 0.2, 0.2, 0.16, 0.17, 0.05)
N_INFO_STYLES = 4


@dataclass(frozen=True)
class Layout:
    lang: str
    order: int
    header: int
    wording: int
    info: int
    date: str
    current_word: str
    job: int
    bullet: int
    skills: str
    chronological: bool
    mixed: bool  # a Chinese resume mixing in English lines

    @property
    def id(self) -> str:
        return (
            f"{self.lang}{'x' if self.mixed else ''}-o{self.order}-h{self.header}-i{self.info}-{self.date}"
            f"-j{self.job}-b{self.bullet}-{self.skills}{'-c' if self.chronological else ''}"
        )

    @property
    def sections(self) -> tuple[str, ...]:
        return ("info", "intent", *SECTION_ORDERS[self.order])  # an objective, when stated, comes first


def choose_layout(lang: str, rng: random.Random) -> Layout:
    """Draw every layout choice independently."""
    return Layout(
        lang=lang,
        order=rng.randrange(len(SECTION_ORDERS)),
        header=rng.randrange(N_HEADER_STYLES),
        wording=rng.randrange(3),
        info=rng.randrange(N_INFO_STYLES),
        date=rng.choice(DATE_FORMATS[lang]),
        current_word=rng.choice(_CURRENT_WORDS[lang]),
        job=rng.randrange(N_JOB_STYLES),
        bullet=rng.randrange(len(BULLETS)),
        skills=rng.choices(SKILL_STYLES, _SKILL_STYLE_WEIGHTS)[0],
        chronological=rng.random() < 0.2,
        mixed=lang == "zh" and rng.random() < 0.1,
    )


def layout_shares(layout_ids: Iterable[str]) -> tuple[str, float]:
    """The most common layout id and its share of all resumes."""
    counts = Counter(layout_ids)
    total = sum(counts.values())
    top, n = counts.most_common(1)[0]
    return top, n / total


def header(layout: Layout, section: str, index: int) -> str:
    """The section header line(s), ending with a newline, or '' for the no-header style."""
    word = _HEADER_WORDS[layout.lang][section][layout.wording]
    style = layout.header
    if layout.lang == "zh":
        if layout.mixed and style in (2, 7):
            return f"{word} {_EN_UPPER_OF[section].title()}\n"
        return (
            f"【{word}】\n",
            f"■ {word}\n",
            f"{word}：\n",
            f"{_ZH_NUMERALS[index % 10]}、{word}\n",
            f"## {word}\n",
            f"{word}\n{'—' * 12}\n",
            f"—— {word} ——\n",
            "",
            f"◆{word}\n",
            f"{word} / {_EN_UPPER_OF[section]}\n",
        )[style]
    return (
        f"## {word}\n",
        f"{word.upper()}\n",
        f"{word}:\n",
        f"{word}\n{'=' * len(word)}\n",
        f"[{word}]\n",
        f"▌{word}\n",
        f"— {word} —\n",
        "",
        f"**{word}**\n",
        f"{word.upper()}\n{'-' * 24}\n",
    )[style]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_FULL = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def fmt_month(d: date, fmt: str) -> str:
    y, m = d.year, d.month
    if fmt == "dot":
        return f"{y}.{m:02d}"
    if fmt == "dotnp":
        return f"{y}.{m}"
    if fmt == "cn":
        return f"{y}年{m}月"
    if fmt == "cn0":
        return f"{y}年{m:02d}月"
    if fmt == "slash":
        return f"{y}/{m:02d}"
    if fmt == "dash":
        return f"{y}-{m:02d}"
    if fmt == "mon":
        return f"{_MONTHS[m - 1]} {y}"
    if fmt == "mmyy":
        return f"{m:02d}/{y}"
    if fmt == "full":
        return f"{_MONTHS_FULL[m - 1]} {y}"
    return str(y)


_RANGE_SEPS = {
    "dot": "-",
    "dotnp": " - ",
    "cn": "—",
    "cn0": " - ",
    "slash": " - ",
    "dash": " ~ ",
    "mon": " – ",
    "mmyy": "-",
    "full": " to ",
    "year": " - ",
}


def fmt_range(start: date, end: date | None, layout: Layout) -> str:
    """A date range in the layout's date format; an open end becomes the layout's word for 'now'."""
    fmt = layout.date
    sep = _RANGE_SEPS[fmt]
    if fmt == "year" and layout.lang == "en" and end is None:
        sep = " — "
    end_text = layout.current_word if end is None else fmt_month(end, fmt)
    return f"{fmt_month(start, fmt)}{sep}{end_text}"


def bullet_prefix(layout: Layout, n: int) -> str:
    b = BULLETS[layout.bullet]
    if "#" in b:
        return b.replace("#", str(n)) if layout.lang == "en" or b.startswith("#") else f"（{n}）"
    return b


_LEVEL_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "zh": (("了解", "接触过"), ("熟悉", "掌握"), ("熟练", "熟练掌握", "擅长"), ("精通", "深入掌握")),
    "en": (
        ("Basic knowledge", "Basic", "Beginner"),
        ("Familiar", "Intermediate", "Working knowledge"),
        ("Proficient", "Advanced", "Strong"),
        ("Expert", "Expert-level", "Deep expertise"),
    ),
}
LEVEL_INDEX = {"beginner": 0, "intermediate": 1, "advanced": 2, "expert": 3}


def noisy_level(level: str, rng: random.Random, noise: float) -> int:
    """The level index a resume claims: the true one, or one step off with probability ``noise``."""
    i = LEVEL_INDEX.get(level, 1)
    if rng.random() < noise:
        i = min(3, i + 1) if (rng.random() < 0.6 or i == 0) and i < 3 else max(0, i - 1)
    return i


def level_word(lang: str, index: int, rng: random.Random) -> str:
    return rng.choice(_LEVEL_WORDS[lang][index])


_DEGREES: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "associate": ("大专", "专科"),
        "bachelor": ("本科", "学士", "统招本科"),
        "master": ("硕士", "研究生", "硕士研究生"),
        "phd": ("博士", "博士研究生"),
    },
    "en": {
        "associate": ("Associate Degree", "A.A.S.", "Associate of Science"),
        "bachelor": ("Bachelor of Science", "B.Sc.", "BSc", "B.S.", "B.A."),
        "master": ("M.S.", "MSc", "Master of Science", "M.Eng.", "MBA"),
        "phd": ("PhD", "Ph.D.", "Doctor of Philosophy"),
    },
}


def degree_word(lang: str, degree: str, rng: random.Random) -> str:
    return rng.choice(_DEGREES[lang].get(degree, (degree,)))
