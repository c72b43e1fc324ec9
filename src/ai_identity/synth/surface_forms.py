"""How a skill is written in a resume: names, aliases, abbreviations, typos, rare aliases, descriptions.

The authored forms live in :mod:`ai_identity.synth.surface_table`; typos are made here, programmatically, so
that the engine's alias tables cannot contain them. :func:`pick_surface` draws one surface form with its kind.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ai_identity.synth.surface_table import SURFACE_TABLE

KINDS: tuple[str, ...] = ("canonical", "alias", "abbreviation", "typo", "rare_alias", "implied")
#: kinds whose surfaces an engine's alias table is not expected to contain
HARD_KINDS: frozenset[str] = frozenset({"abbreviation", "typo", "rare_alias", "implied"})


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@dataclass(frozen=True)
class SkillSurfaces:
    skill_id: str
    category: str
    canonical: dict[str, str]  # lang -> canonical name
    aliases: dict[str, tuple[str, ...]]
    abbreviations: tuple[str, ...]
    rare: dict[str, tuple[str, ...]]
    implied: dict[str, tuple[str, ...]]


def _split(field: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in field.split(";") if s.strip())


def _by_lang(forms: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    # English resumes never carry Chinese aliases; Chinese resumes freely carry English ones.
    return {"zh": forms, "en": tuple(f for f in forms if not has_cjk(f))}


def _parse(table: str) -> dict[str, SkillSurfaces]:
    out: dict[str, SkillSurfaces] = {}
    for line in table.strip().splitlines():
        sid, cat, en, zh, aliases, abbr, rare, imp_en, imp_zh = (f.strip() for f in line.split("|"))
        zh = zh or en
        alias_forms = _by_lang(_split(aliases))
        if zh != en:  # the English name is an ordinary alias in a Chinese resume
            alias_forms["zh"] = (en, *alias_forms["zh"])
        out[sid] = SkillSurfaces(
            skill_id=sid,
            category=cat,
            canonical={"en": en, "zh": zh},
            aliases=alias_forms,
            abbreviations=_split(abbr),
            rare=_by_lang(_split(rare)),
            implied={"en": _split(imp_en), "zh": _split(imp_zh)},
        )
    return out


SURFACES: dict[str, SkillSurfaces] = _parse(SURFACE_TABLE)
_KNOWN_LOWER: frozenset[str] = frozenset(
    f.lower()
    for s in SURFACES.values()
    for f in (*s.canonical.values(), *s.aliases["zh"], *s.abbreviations, *s.rare["zh"])
)

# Homophones a Chinese IME picks by mistake (机器学习 -> 机器学系).
_HOMOPHONES: dict[str, str] = {
    "习": "系",
    "析": "晰",
    "据": "剧",
    "理": "里",
    "测": "侧",
    "试": "式",
    "计": "记",
    "销": "消",
    "务": "物",
    "营": "赢",
    "聘": "骋",
    "管": "馆",
    "模": "摸",
    "型": "形",
    "户": "护",
    "研": "妍",
    "场": "厂",
    "构": "购",
    "谈": "谭",
    "核": "合",
    "预": "予",
    "绩": "积",
    "效": "校",
    "培": "陪",
    "训": "讯",
    "链": "连",
    "觉": "绝",
    "媒": "煤",
    "容": "溶",
    "器": "气",
    "优": "忧",
    "财": "材",
    "设": "社",
    "语": "雨",
    "队": "对",
    "通": "同",
    "调": "掉",
    "采": "彩",
    "运": "云",
    "编": "变",
}


def _latin_typo(word: str, rng: random.Random) -> str | None:
    letters = [i for i, ch in enumerate(word) if ch.isalpha() and ch.isascii()]
    if len(letters) < 4:
        return None
    op = rng.randrange(3)
    i = rng.choice(letters[1:-1])
    if op == 0 and word[i + 1].isalpha():  # swap with the next letter
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif op == 1:  # drop a letter
        typo = word[:i] + word[i + 1 :]
    else:  # double a letter
        typo = word[:i] + word[i] + word[i:]
    return typo if typo != word and typo.lower() not in _KNOWN_LOWER else None


def _cjk_typo(word: str, rng: random.Random) -> str | None:
    spots = [i for i, ch in enumerate(word) if ch in _HOMOPHONES]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + _HOMOPHONES[word[i]] + word[i + 1 :]


def make_typo(word: str, rng: random.Random) -> str | None:
    """A plausible misspelling of ``word`` (letter swap/drop/double, or a homophone character), or None."""
    if has_cjk(word) and rng.random() < 0.8:
        return _cjk_typo(word, rng) or _latin_typo(word, rng)
    return _latin_typo(word, rng) or (_cjk_typo(word, rng) if has_cjk(word) else None)


# Kind weights: lists never hold descriptions; prose and bullets do.
_LIST_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("canonical", 0.46),
    ("alias", 0.18),
    ("abbreviation", 0.10),
    ("typo", 0.12),
    ("rare_alias", 0.14),
)
_PROSE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("canonical", 0.36),
    ("alias", 0.16),
    ("abbreviation", 0.07),
    ("typo", 0.09),
    ("rare_alias", 0.10),
    ("implied", 0.22),
)


_CUMULATIVE: dict[tuple[bool, float], tuple[tuple[str, float], ...]] = {}


def _draw_kind(rng: random.Random, prose: bool, typo_scale: float) -> str:
    cum = _CUMULATIVE.get((prose, typo_scale))
    if cum is None:
        weights = _PROSE_WEIGHTS if prose else _LIST_WEIGHTS
        scaled = [(k, w * (typo_scale if k == "typo" else 1.0)) for k, w in weights]
        total, acc, rows = sum(w for _, w in scaled), 0.0, []
        for k, w in scaled:
            acc += w / total
            rows.append((k, acc))
        cum = _CUMULATIVE[(prose, typo_scale)] = tuple(rows)
    x = rng.random()
    for kind, edge in cum:
        if x <= edge:
            return kind
    return cum[-1][0]


def pick_surface(
    skill_id: str,
    lang: str,
    rng: random.Random,
    *,
    prose: bool,
    typo_scale: float = 1.0,
    kind: str | None = None,
) -> tuple[str, str]:
    """One (surface, kind) for a skill; ``kind`` forces a kind when that kind exists for the skill."""
    s = SURFACES[skill_id]
    want = kind or _draw_kind(rng, prose, typo_scale)
    if want == "implied" and s.implied[lang]:
        return rng.choice(s.implied[lang]), "implied"
    if want == "alias" and s.aliases[lang]:
        return rng.choice(s.aliases[lang]), "alias"
    if want == "abbreviation" and s.abbreviations:
        return rng.choice(s.abbreviations), "abbreviation"
    if want == "rare_alias" and s.rare[lang]:
        return rng.choice(s.rare[lang]), "rare_alias"
    base = s.canonical[lang]
    if want == "typo":
        src = base if rng.random() < 0.7 or not s.aliases[lang] else rng.choice(s.aliases[lang])
        typo = make_typo(src, rng)
        if typo:
            return typo, "typo"
    if want in ("implied", "rare_alias", "abbreviation") and s.aliases[lang] and rng.random() < 0.5:
        # keep the mix of hard kinds near its target when a skill lacks the drawn one
        alt = make_typo(base, rng)
        if alt:
            return alt, "typo"
    return base, "canonical"
