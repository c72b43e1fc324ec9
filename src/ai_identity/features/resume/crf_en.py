"""English token CRF for whole resumes (the dotin label set: Name, Designation, Companies worked at, …).

Method: a linear-chain CRF (CRFsuite) over tokens of the whole resume, BIO tags. Token features:
  - word, lower case, shape, 2-4 character prefixes and suffixes, case flags, neighbours ±2;
  - layout: token position in its line and in the document (bucketed), line length, blank line before,
    multiple spaces before (column breaks of flattened PDFs), an all-caps line, the current section as
    announced by the last header-like word (EXPERIENCE, EDUCATION, SKILLS …, see ``segment``);
  - gazetteers: degree words, school words, company suffixes, job-title heads, month names, years, e-mail
    shape, and skill words mined from the training CVs' Tech Tools / Job Specific Skills / Soft Skills spans
    (jack-knifed during training, as in ``crf_zh``);
  - line context: the gazetteer categories (plus "a year", "a date range") of the token's line, the line before
    and the line after, and the comma-separated field of the line the token is in.
Rules after the CRF: e-mail addresses by pattern; spans of one-line types cut at a line break; names grown over
the capitalised words that follow them, or found from a "Name:" field / the opening line when the CRF found
none; repeats of found names, skills and job titles; "Position:" fields; college-name patterns and graduation
years near the degrees and colleges the CRF found (``_education_rules``).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ai_identity.features.resume import en_words
from ai_identity.features.resume.tagging import Span, tags_from_spans

_DEGREE, _SCHOOL, _COMPANY, _TITLE, _MONTHS = (
    en_words.DEGREE,
    en_words.SCHOOL,
    en_words.COMPANY,
    en_words.TITLE,
    en_words.MONTHS,
)
_HEADERS = en_words.HEADERS
_NOT_NAME = _TITLE | _SCHOOL | _COMPANY | set(_HEADERS) | en_words.NOT_NAME_EXTRA

MODEL_NAME = "crf_en.crfsuite"
LEXICON_NAME = "en_lexicon.json"
SKILL_TYPES = ("Tech Tools", "Job Specific Skills", "Soft Skills")

# The look-behind keeps the scan linear on long runs of word characters (no restart inside a run).
EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,255}\.[A-Za-z]{2,}")
_TOKEN_RE = re.compile(
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|https?://\S+|\w+(?:[.'’&+#/\-]\w+)*[+#]*\.?|\S"
)


class Token(NamedTuple):  # a tuple: built fast, one per word of every resume
    text: str
    start: int
    end: int


_new_tuple = (
    tuple.__new__
)  # Token(...) goes through a Python-level __new__; this builds the same tuple faster


def tokenize(text: str) -> list[Token]:
    return [_new_tuple(Token, (m.group(), *m.span())) for m in _TOKEN_RE.finditer(text)]


_SHAPE_TABLE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)
_REPEATS = re.compile(r"(.)\1{2,}")


@lru_cache(maxsize=1 << 16)
def _shape(w: str) -> str:
    """Xxxx-style word shape with runs of three or more collapsed to two ("Python" → "Xxx")."""
    return _REPEATS.sub(r"\1\1", w.translate(_SHAPE_TABLE))


@lru_cache(maxsize=1 << 16)
def _gaz(low: str) -> tuple[str, ...]:
    return tuple(
        name
        for word_set, name in (
            (_DEGREE, "deg"),
            (_SCHOOL, "sch"),
            (_COMPANY, "co"),
            (_TITLE, "ttl"),
            (_MONTHS, "mon"),
        )
        if low in word_set
    )


_OFFSETS = (-2, -1, 1, 2)
_PAD = tuple(f"w{o:+d}=<pad>" for o in _OFFSETS)


@lru_cache(maxsize=1 << 16)
def _word_feats(w: str, low: str) -> tuple[str, ...]:
    """The features that depend on the token's own text only (cached: resumes repeat their words)."""
    if not w[:1].isalnum():  # punctuation: its text is all there is to say
        return ("bias", "w=" + low)
    f = ["bias", "w=" + low, "sh=" + _shape(w), "p3=" + low[:3], "s3=" + low[-3:], "s4=" + low[-4:]]
    if w.isupper():
        f.append("up")
    if w[:1].isupper():
        f.append("title")
    if w.isdigit():
        f.append("num" + str(len(w)))
    f += ["g:" + name for name in _gaz(low)]
    if "@" in w and EMAIL_RE.fullmatch(w):
        f.append("email")
    if len(w) == 4 and w.isdigit() and w[:2] in ("19", "20"):
        f.append("year")
    return tuple(f)


@lru_cache(maxsize=1 << 17)
def _neighbour_feats(k: int, w: str) -> tuple[str, ...]:
    """Word (and, next door, shape) and gazetteer features of the neighbour at offset ``_OFFSETS[k]``."""
    o = _OFFSETS[k]
    low = w.lower().rstrip(".") if len(w) > 1 else w.lower()
    f = [f"w{o:+d}=" + low]
    if o in (-1, 1):
        f.append(f"sh{o:+d}=" + _shape(w))
    f += [f"g{o:+d}:" + name for name in _gaz(low) if name != "mon"]
    return tuple(f)


@lru_cache(maxsize=1 << 17)
def _neighbour_with_skill(k: int, w: str, skill_tag: str, tax_tag: str) -> tuple[str, ...]:
    """``_neighbour_feats`` plus the neighbour's skill-phrase and taxonomy tags (next door: k 1 or 2)."""
    o = _OFFSETS[k]
    f = _neighbour_feats(k, w)
    if skill_tag != "O":
        f += (f"sk{o:+d}=" + skill_tag,)
    if tax_tag != "O":
        f += (f"tx{o:+d}=" + tax_tag,)
    return f


_SK = {t: "sk=" + t for t in ("O", "BT", "IT", "BJ", "IJ", "BS", "IS")}
_TX = {t: "tx=" + t for t in ("O", "BT", "IT", "BJ", "IJ", "BS", "IS", "BL", "IL")}
_DT = {t: "dt=" + t for t in "ORD"}
_FLD = ("fld=0", "fld=1", "fld=2")


def token_features(
    text: str, toks: list[Token], skills: dict[str, str], tax: dict[str, str] | None = None
) -> list[list[str]]:
    """One list of string features per token (built line by line; the per-word parts are cached).

    ``skills``: skill phrases mined from training CVs; ``tax``: the taxonomy's English skill phrases
    (``taxonomy_phrases``). Punctuation tokens get a short list (their word, layout and next neighbours).
    """
    n = len(toks)
    if not n:
        return []
    lows = [t.text.lower().rstrip(".") if len(t.text) > 1 else t.text.lower() for t in toks]
    skill_tags = _skill_matches(lows, skills)
    tax_tags = _skill_matches(lows, tax) if tax else ["O"] * n
    lines = _line_spans(text, toks)
    date_tags = _date_tags(text, toks)
    gazs = [_gaz(low) for low in lows]
    line_ctx = _line_context(toks, gazs, date_tags, lines)
    texts = [t.text for t in toks]
    nb_m2 = [_neighbour_feats(0, w) for w in texts]
    nb_m1 = [
        _neighbour_with_skill(1, w, sk, tx) for w, sk, tx in zip(texts, skill_tags, tax_tags, strict=True)
    ]
    nb_p1 = [
        _neighbour_with_skill(2, w, sk, tx) for w, sk, tx in zip(texts, skill_tags, tax_tags, strict=True)
    ]
    nb_p2 = [_neighbour_feats(3, w) for w in texts]
    pad_m2, pad_m1, pad_p1, pad_p2 = _PAD
    feats: list[list[str]] = []
    sec_feat = "sec=none"
    line_no = 0
    prev_end = 0
    headers = _HEADERS
    for (s, e), ctx in zip(lines, line_ctx, strict=True):
        ll = _LL[min(e - s, 40)]
        field = 0
        for i in range(s, e):
            tok = toks[i]
            w, low = tok.text, lows[i]
            gap = text[prev_end : tok.start]
            if i == s:
                line_no += gap.count("\n")
            if low in headers and (w.isupper() or (i == s and w[:1].isupper()) or "  " in gap):
                sec_feat = "sec=" + headers[low]
            if w in (",", "|"):
                field += 1
            punct = not w[:1].isalnum()
            if punct:
                f = [*_word_feats(w, low), *(_LP[i - s] if i - s < 4 else ()), sec_feat]
            else:
                f = [
                    *_word_feats(w, low),
                    *(_LP[i - s] if i - s < 4 else ()),
                    *(_LN[line_no] if line_no < 6 else ()),
                    *(_DP[i] if i < 40 else ()),
                    ll,
                    sec_feat,
                    *ctx,
                ]
            # One-hot features leave out their commonest value ("O", field 0): the bias stands for it.
            if skill_tags[i] != "O":
                f.append(_SK.get(skill_tags[i]) or "sk=" + skill_tags[i])
            if tax_tags[i] != "O":
                f.append(_TX.get(tax_tags[i]) or "tx=" + tax_tags[i])
            if date_tags[i] != "O":
                f.append(_DT[date_tags[i]])
            if field:
                f.append(_FLD[field] if field < 2 else "fld=2")
            if i:
                pw = texts[i - 1]
                if pw in ",|•-–:(":
                    f.append("after=" + pw)
                f += nb_m1[i - 1]
                if not punct:
                    f += nb_m2[i - 2] if i > 1 else (pad_m2,)
            else:
                f += (pad_m2, pad_m1)
            if "\n\n" in gap or "\n \n" in gap:
                f.append("blank_before")
            if "  " in gap or "\t" in gap:
                f.append("gap_before")
            if i + 1 < n:
                f += nb_p1[i + 1]
                if not punct:
                    f += nb_p2[i + 2] if i + 2 < n else (pad_p2,)
            else:
                f += (pad_p1, pad_p2)
            feats.append(f)
            prev_end = tok.end
    return feats


def _line_context(
    toks: list[Token], gazs: list[tuple[str, ...]], date_tags: list[str], lines: list[tuple[int, int]]
) -> list[tuple[str, ...]]:
    """Per line: the gazetteer categories (a year, a date range) of the line, the line before and the line
    after ("lg:", "pg:", "ng:"), and "line_title" when every word of the line is capitalised.

    An education line ("B.Sc. in Physics, Lakeside College, 2011") is recognised by its neighbours' words
    as much as by its own; the same for a title line above a company line.
    """
    cats: list[frozenset[str]] = []
    titled: list[bool] = []
    for s, e in lines:
        c: set[str] = set()
        words = 0
        upper = True
        for k in range(s, e):
            if gazs[k]:
                c.update(gazs[k])
            w = toks[k].text
            if w[:1].isalpha():
                words += 1
                upper = upper and w[:1].isupper()
            elif len(w) == 4 and w.isdigit() and w[:2] in ("19", "20"):
                c.add("yr")
        c.discard("mon")
        if "R" in date_tags[s:e]:
            c.add("range")
        cats.append(frozenset(c))
        titled.append(0 < words <= 8 and upper)
    last = len(lines) - 1
    empty: frozenset[str] = frozenset()
    return [
        _context_feats(
            cats[li - 1] if li else empty, cats[li], cats[li + 1] if li < last else empty, titled[li]
        )
        for li in range(len(lines))
    ]


@lru_cache(maxsize=4096)
def _context_feats(
    prev: frozenset[str], cur: frozenset[str], nxt: frozenset[str], titled: bool
) -> tuple[str, ...]:
    feats = sorted(["lg:" + c for c in cur] + ["pg:" + c for c in prev] + ["ng:" + c for c in nxt])
    return (*feats, "line_title") if titled else tuple(feats)


def _line_spans(text: str, toks: list[Token]) -> list[tuple[int, int]]:
    """(first, past-last) token index of each line, lines split at soft breaks."""
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(toks)
    for i in range(1, n):
        a, b = toks[i - 1].end, toks[i].start
        # Most gaps are empty or one space: decide those without slicing the text.
        if b - a == 1:
            if text[a] not in "\n\t":
                continue
        elif b == a or not _soft_break(text[a:b]):
            continue
        lines.append((start, i))
        start = i
    if n:
        lines.append((start, n))
    return lines


def _soft_break(gap: str) -> bool:
    """A line break, or a tab / run of spaces that stands for one in text flattened out of a PDF."""
    return "\n" in gap or "\t" in gap or "  " in gap


def _date_tags(text: str, toks: list[Token]) -> list[str]:
    """R for tokens inside a date range, D inside a single date, O otherwise."""
    from ai_identity.features.resume.dates import find_dates, find_ranges

    marks = ["O"] * len(toks)
    starts = [t.start for t in toks]
    import bisect

    for spans, mark in (
        ([(d.start, d.end) for d in find_dates(text)], "D"),
        ([(r.span_start, r.span_end) for r in find_ranges(text)], "R"),
    ):
        for s, e in spans:
            k = bisect.bisect_left(starts, s)
            while k < len(toks) and toks[k].start < e:
                marks[k] = mark
                k += 1
    return marks


def _bucket(k: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 20, 40):
        if k < limit:
            return str(limit)
    return "many"


# Layout feature strings, built once. The last, open-ended value of a position (5th word of a line or later,
# 7th line or later, 41st token or later) is left out, as the commonest value of a one-hot feature.
_LP = tuple((f"lp={k}",) if k < 4 else () for k in range(5))
_LN = tuple((f"ln={k}",) if k < 6 else () for k in range(7))
_DP = tuple(("dp=" + _bucket(k),) if k < 40 else () for k in range(41))
_LL = tuple("ll=" + _bucket(k) for k in range(41))


_PHRASE_LENGTHS: dict[int, tuple[dict[str, str], dict[str, tuple[int, ...]]]] = {}


def _phrase_lengths(skills: dict[str, str]) -> dict[str, tuple[int, ...]]:
    """First word of each listed phrase → the phrase lengths to try, longest first (cached per lexicon)."""
    hit = _PHRASE_LENGTHS.get(id(skills))
    if hit is not None and hit[0] is skills:
        return hit[1]
    index: dict[str, set[int]] = {}
    for phrase in skills:
        words = phrase.split(" ")
        index.setdefault(words[0], set()).add(len(words))
    out = {w: tuple(sorted(ls, reverse=True)) for w, ls in index.items()}
    if len(_PHRASE_LENGTHS) > 16:
        _PHRASE_LENGTHS.clear()
    _PHRASE_LENGTHS[id(skills)] = (skills, out)
    return out


def _skill_matches(lows: list[str], skills: dict[str, str]) -> list[str]:
    """Longest-match skill phrases (up to 4 tokens) as B/I tags with the phrase's majority type."""
    tags = ["O"] * len(lows)
    lengths = _phrase_lengths(skills)
    i = 0
    while i < len(lows):
        for ln in lengths.get(lows[i], ()):
            if ln > 4:
                continue
            phrase = " ".join(lows[i : i + ln])
            kind = skills.get(phrase)
            if kind and i + ln <= len(lows):
                tags[i] = "B" + kind
                for k in range(i + 1, i + ln):
                    tags[k] = "I" + kind
                i += ln
                break
        else:
            i += 1
    return tags


_KIND = {"Tech Tools": "T", "Job Specific Skills": "J", "Soft Skills": "S"}
# Taxonomy categories as the dotin skill types they mostly correspond to (L: a spoken language).
_TAX_KIND = {
    "programming-language": "T",
    "framework-library": "T",
    "database": "T",
    "cloud-devops": "T",
    "software-tool": "T",
    "data-ai": "T",
    "design": "J",
    "business": "J",
    "management": "J",
    "domain-knowledge": "J",
    "soft-skill": "S",
    "language": "L",
}


def _phrase(surface: str) -> str:
    """A surface as the CRF's skill matcher sees it: lower-case tokens joined by one space."""
    return " ".join(
        t.text.lower().rstrip(".") if len(t.text) > 1 else t.text.lower() for t in tokenize(surface)
    )


def taxonomy_phrases() -> dict[str, str]:
    """The project taxonomy's English names and aliases (up to four tokens) with a skill kind, for the
    ``tx`` feature; empty when the taxonomy is not installed. Snapshotted into the lexicon at training."""
    try:
        from ai_identity.features.taxonomy import load_taxonomy

        tax = load_taxonomy()
    except Exception:  # the parser still runs without the taxonomy
        return {}
    out: dict[str, str] = {}
    for entry in sorted(tax, key=lambda e: e.id):
        for surface in (entry.name_en, *entry.aliases_en):
            if surface and surface.isascii():
                phrase = _phrase(surface)
                if phrase and phrase.count(" ") < 4:
                    out.setdefault(phrase, _TAX_KIND.get(entry.category, "J"))
    return out


def mine_skills(docs: list[tuple[str, list[Span]]], min_count: int = 2) -> dict[str, str]:
    """Skill phrases (lower case) seen at least ``min_count`` times, with their most frequent type."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, spans in docs:
        for sp in spans:
            if sp.type in _KIND:
                phrase = _phrase(text[sp.start : sp.end])
                if phrase and len(phrase.split()) <= 4:
                    counts[(phrase, _KIND[sp.type])] += 1
    best: dict[str, tuple[int, str]] = {}
    for (phrase, kind), c in counts.items():
        if c >= min_count and c > best.get(phrase, (0, ""))[0]:
            best[phrase] = (c, kind)
    return {p: k for p, (c, k) in best.items()}


def token_tags(toks: list[Token], spans: list[Span]) -> list[str]:
    """BIO tags of tokens from character spans (a token belongs to a span when it starts inside it)."""
    tok_spans = []
    for sp in spans:
        idx = [i for i, t in enumerate(toks) if sp.start <= t.start < sp.end]
        if idx:
            tok_spans.append(Span(sp.type, idx[0], idx[-1] + 1))
    return tags_from_spans(len(toks), tok_spans, "BIO")


def train(
    docs: list[tuple[str, list[Span]]],
    out_dir: Path,
    *,
    c1: float = 0.05,
    c2: float = 0.05,
    max_iterations: int = 120,
    folds: int = 4,
    seed: int = 13,
) -> Path:
    """Train on (text, spans) CVs and write ``crf_en.crfsuite`` + ``en_lexicon.json`` into ``out_dir``.

    The lexicon holds the skill phrases mined from all the CVs ("mined", jack-knifed over ``folds`` while
    training so that the CRF does not learn to trust a list built from its own labels) and the taxonomy's
    English phrases ("taxonomy").
    """
    import pycrfsuite

    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    fold_of = {idx: k % folds for k, idx in enumerate(order)}
    lex = [mine_skills([d for i, d in enumerate(docs) if fold_of[i] != k]) for k in range(folds)]
    tax = taxonomy_phrases()
    trainer = pycrfsuite.Trainer(verbose=False)
    for i, (text, spans) in enumerate(docs):
        toks = tokenize(text)
        trainer.append(token_features(text, toks, lex[fold_of[i]], tax), token_tags(toks, spans))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations})
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out_dir / MODEL_NAME))
    lexicon = {"mined": dict(sorted(mine_skills(docs).items())), "taxonomy": dict(sorted(tax.items()))}
    (out_dir / LEXICON_NAME).write_text(json.dumps(lexicon, indent=0), "utf-8")
    return out_dir / MODEL_NAME


def _name_word(w: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z][a-zA-Z]*(?:['\-][A-Z]?[a-zA-Z]+)?", w))
        and len(w) > 1
        and w.lower() not in _NOT_NAME
        and w.strip("X")  # masked "XXXX"
    )


def _extend_name(text: str, toks: list[Token], sp: Span) -> Span:
    """Grow a Name span over the capitalised words that follow it on the same line (names run long)."""
    import bisect

    starts = [t.start for t in toks]
    k = bisect.bisect_left(starts, sp.end)
    end = sp.end
    while k < len(toks) and text[end : toks[k].start] == " " and _name_word(toks[k].text):
        end = toks[k].end
        k += 1
    return Span("Name", sp.start, end) if end != sp.end else sp


_NAME_TAIL = re.compile(r"\s+(\S+)$")


def _trim_name(text: str, sp: Span) -> Span:
    """A name span without the section, title, school or company words the CRF ran it into ("… Education").

    3-fold cross-validation: Name F1 0.911 -> 0.913."""
    end = sp.end
    while (m := _NAME_TAIL.search(text, sp.start, end)) and m.group(1).lower().strip(".,:") in _NOT_NAME:
        end = m.start()
    return Span("Name", sp.start, end) if end != sp.end else sp


_NAME_RUN = re.compile(r"(?<![\w@.])[A-Z][a-zA-Z'\-]+(?: [A-Z]\.?)?(?: [A-Z][a-zA-Z'\-]+){1,3}(?![\w@])")
_NAME_LABEL = re.compile(r"\bName\s*:\s*")


def _fallback_name(text: str, spans: list[tuple[Span, float]]) -> list[tuple[Span, float]]:
    """When the CRF found no name: the value of a "Name:" field, else the first run of two to four
    capitalised name-like words in the opening 300 characters (the resume's owner heads the page)."""
    taken = [(sp.start, sp.end) for sp, _c in spans]
    lab = _NAME_LABEL.search(text)
    starts = [lab.end()] if lab else []
    starts.append(0)
    for k, pos in enumerate(starts):
        limit = pos + 60 if k == 0 and lab else 300
        for m in _NAME_RUN.finditer(text, pos, min(len(text), limit)):
            words = m.group().split()
            before, after = text[max(0, m.start() - 3) : m.start()], text[m.end() : m.end() + 1]
            line_start = (
                m.start() == 0 or before[-1:] in '\n\t"' or before[-2:] == "  " or before.lower() == "of "
            )
            if (
                (line_start or (k == 0 and lab))
                and after != ":"
                and not m.group().isupper()
                and all(_name_word(w) or re.fullmatch(r"[A-Z]\.?", w) for w in words)
                and _free(taken, *m.span())
            ):
                return [(Span("Name", m.start(), m.end()), 0.6)]
            if k == 0 and lab:
                break
    return []


def _propagate(text: str, spans: list[tuple[Span, float]], types: frozenset[str]) -> list[tuple[Span, float]]:
    """Every other occurrence of a predicted surface of these types, with the same type.

    A resume repeats its owner's name and its tools; the annotators labelled every occurrence.
    """
    taken = bytearray(len(text) + 1)  # 1 where a character is already inside a span
    for sp, _c in spans:
        taken[sp.start : sp.end] = b"\x01" * (sp.end - sp.start)
    surfaces = {
        text[sp.start : sp.end]: sp.type for sp, _c in spans if sp.type in types and sp.end - sp.start > 1
    }
    extra: list[tuple[Span, float]] = []
    n = len(text)
    for surface, typ in surfaces.items():
        s = text.find(surface)
        while s != -1:  # str.find with word-boundary checks: no regex compiled per surface
            e = s + len(surface)
            if (
                (s == 0 or not _is_word(text[s - 1]))
                and (e == n or not _is_word(text[e]))
                and taken.find(1, s, e) == -1
            ):
                extra.append((Span(typ, s, e), 0.7))
                taken[s:e] = b"\x01" * (e - s)
                s = text.find(surface, e)
            else:
                s = text.find(surface, s + 1)
    return extra


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


class EnTagger:
    """A loaded English CRF: ``tag(text)`` → character spans with the dotin type names."""

    # A resume repeats its owner's name, its tools and its job titles, and the annotators labelled most repeats
    # (names all, titles 69 %, tools 52 % in the training CVs); job-specific and soft skills they labelled
    # once (17 % of repeats), so propagating those cost precision in cross-validation (3 folds: skills
    # 0.483 -> 0.491 F1 without them).
    propagate: frozenset[str] = frozenset({"Name", "Tech Tools", "Designation"})

    def __init__(self, model_dir: Path) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_dir / MODEL_NAME))
        lexicon = json.loads((model_dir / LEXICON_NAME).read_text("utf-8"))
        self.skills: dict[str, str] = lexicon["mined"]
        self.taxonomy: dict[str, str] = lexicon["taxonomy"]

    def tag(self, text: str, with_confidence: bool = False) -> list[tuple[Span, float]]:
        toks = tokenize(text)
        if not toks:
            return []
        labels = self._tagger.tag(token_features(text, toks, self.skills, self.taxonomy))
        out: list[tuple[Span, float]] = []
        for sp in _bio_spans(labels):
            conf = 1.0
            if with_confidence:
                ms = [self._tagger.marginal(labels[k], k) for k in range(sp.start, sp.end)]
                conf = round(sum(ms) / len(ms), 4)
            if sp.type == "Email Address":
                continue  # the rule below is exact
            start, end = toks[sp.start].start, _end(toks[sp.end - 1])
            if sp.type in _ONE_LINE and "\n" in text[start:end]:
                end = start + len(text[start:end].split("\n", 1)[0].rstrip())
            out.append((Span(sp.type, start, end), conf))
        out = [(_extend_name(text, toks, sp), c) if sp.type == "Name" else (sp, c) for sp, c in out]
        out = [(_trim_name(text, sp), c) if sp.type == "Name" else (sp, c) for sp, c in out]
        if not any(sp.type == "Name" for sp, _c in out):
            out += _fallback_name(text, out)
        out += _propagate(text, out, self.propagate)
        out = _education_rules(text, out)
        out += _labelled_titles(text, out)
        for m in EMAIL_RE.finditer(text):
            out.append((Span("Email Address", m.start(), m.end()), 0.99))
        out.sort(key=lambda x: x[0].start)
        return out


def _bio_spans(labels: list[str]) -> list[Span]:
    """Token spans of a BIO label sequence (conlleval: an I- of another type also opens a span); the same
    as ``tagging.spans_from_tags`` for BIO, faster on the long O runs of a whole resume."""
    out: list[Span] = []
    cur: str | None = None
    start = 0
    for i, lab in enumerate(labels):
        if lab == "O":
            if cur is not None:
                out.append(Span(cur, start, i))
                cur = None
            continue
        typ = lab[2:]
        if lab[0] == "B" or typ != cur:
            if cur is not None:
                out.append(Span(cur, start, i))
            cur, start = typ, i
    if cur is not None:
        out.append(Span(cur, start, len(labels)))
    return out


# Types whose spans (almost) never run over a line break in the annotations: a span the CRF carried over
# one ("Northwind Limited⏎⏎Leeds") is cut at the break.
_ONE_LINE = frozenset({"Companies worked at", "Degree", "Graduation Year", "Location", "Name", "Soft Skills"})
_KEEP_DOT = _DEGREE | {"ltd", "inc", "co", "corp", "pvt", "jr", "sr", "st", "dr", "bros", "intl", "dept"}


def _end(tok: Token) -> int:
    # A sentence-final full stop stuck to a word is not part of the entity ("Oracle." → "Oracle").
    core = tok.text[:-1]
    if tok.text.endswith(".") and len(tok.text) > 1 and core.lower() not in _KEEP_DOT and "." not in core:
        return tok.end - 1
    return tok.end


# --- Education rules after the CRF --------------------------------------------------------------------------
# The CRF finds most degree and school lines but misses some of them and many of their years; these rules
# add what is missing, only near what the CRF (or a degree word) already marked as education, and never
# over a span the CRF has already labelled.

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR_EXPR = re.compile(
    rf"(?<![\w/.\-])(?:{_MONTH},? {{1,2}})?(?:19|20)\d\d"
    rf"(?:(?: ?[-–—] ?| to | {{2,4}})(?:{_MONTH},? {{1,2}})?(?:(?:19|20)\d\d|present|current))?(?![\w/])",
    re.IGNORECASE,
)
_CAP = r"(?:[A-Z][\w'’.\-]*|of|the|and|at|for|&)"
_COLLEGE_RE = re.compile(
    r"(?<![\w.])(?:"
    # University of X / Institute of Y / College of Z …
    rf"(?:(?:The|THE) )?(?:[A-Z][\w'’.\-]* ){{0,4}}(?:University|UNIVERSITY|Institute|INSTITUTE|College|COLLEGE"
    rf"|School|SCHOOL|Academy|ACADEMY) (?:of|OF|for|FOR) [A-Z][\w'’.\-]*(?: {_CAP}){{0,5}}"
    # X Y University / X College / X Institute of Technology
    rf"|(?:(?:The|THE) )?[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){{0,5}} (?:University|UNIVERSITY"
    rf"|College|COLLEGE|Institute|INSTITUTE|Polytechnic|POLYTECHNIC|Academy|ACADEMY)"
    r")(?![\w])"
)
_TRAIL = re.compile(r"(?:\s+(?:of|the|and|at|for|&|OF|THE|AND|AT|FOR))+$")
_LEAD = re.compile(r"^(?:(?:education|educational|academic|qualifications?|background|details)\b:? ?)+", re.I)
_DEGREE_RE = re.compile(
    r"(?<![\w.])(?:"
    r"(?:Bachelor|Master|Doctor|Associate|BACHELOR|MASTER|DOCTOR|ASSOCIATE)(?:'s|’s|s|S)?"
    r"(?: (?:Degree|degree|DEGREE))?(?: (?:of|in|OF|IN) [A-Z][\w&'’.\-]*(?: (?:[A-Z][\w&'’.\-]*|of|and|in|&))*)?"
    r"|(?:B|M)\.? ?(?:A|S|Sc|E|Tech|Com|Ed|Phil|B\.?A|C\.?A)\.?(?: (?:in|of) [A-Z][\w&'’.\-]*(?: (?:[A-Z][\w&'’.\-]*|and|&))*)?"
    r"|MBA|MCA|BCA|BBA|Ph\.? ?D\.?|LL\.?B\.?|LL\.?M\.?"
    r")(?![\w])"
)
_TRAIL_WORDS = re.compile(r"(?:\s+(?:of|in|and|&))+$")


def _free(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    return not any(s < te and e > ts for ts, te in taken)


_TITLE_FIELD = re.compile(
    r"\b(?:Position|Designation|Job Title)[ \t]*:[ \t]*([A-Za-z][\w.&/\- ]{1,60}?)(?=\s{2,}|\s*[\n\t,;(|]|\s+at\s|$)"
)


def _labelled_titles(text: str, spans: list[tuple[Span, float]]) -> list[tuple[Span, float]]:
    """The value of a "Position:" / "Designation:" / "Role:" field is a job title when nothing else took it."""
    taken = [(sp.start, sp.end) for sp, _c in spans]
    out: list[tuple[Span, float]] = []
    for m in _TITLE_FIELD.finditer(text):
        s, e = m.span(1)
        if _free(taken, s, e):
            out.append((Span("Designation", s, e), 0.6))
    return out


_MONTH_BEFORE = re.compile(rf"(?<![\w.])({_MONTH}),? {{1,2}}$", re.IGNORECASE)


def _with_month(text: str, sp: Span) -> Span:
    """A graduation year grown over the month written before it ("June 2015", "December, 1988")."""
    m = _MONTH_BEFORE.search(text[max(0, sp.start - 14) : sp.start])
    return Span(sp.type, sp.start - len(m.group()), sp.end) if m else sp


def _education_rules(text: str, spans: list[tuple[Span, float]]) -> list[tuple[Span, float]]:
    """Degrees, college names and graduation years the CRF left out, near the education it found."""
    spans = [
        (_with_month(text, sp), c)
        if sp.type == "Graduation Year" and text[sp.start : sp.start + 1].isdigit()
        else (sp, c)
        for sp, c in spans
    ]
    taken = [(sp.start, sp.end) for sp, _c in spans]
    anchors = [sp for sp, _c in spans if sp.type in ("Degree", "College Name")]
    if not anchors:
        return spans
    extra: list[tuple[Span, float]] = []

    def near(s: int, e: int, dist: int) -> bool:
        return any(a.start - dist <= e and s <= a.end + dist for a in anchors)

    for rx, typ, trail in ((_COLLEGE_RE, "College Name", _TRAIL),):
        for m in rx.finditer(text):
            lead = len(_LEAD.match(m.group()).group()) if _LEAD.match(m.group()) else 0
            s, e = m.start() + lead, m.start() + len(trail.sub("", m.group()))
            if e - s > 2 and _free(taken, s, e) and near(s, e, 200):
                extra.append((Span(typ, s, e), 0.6))
                taken.append((s, e))
    anchors += [sp for sp, _c in extra]
    years = [sp for sp, _c in spans if sp.type == "Graduation Year"]
    cands = [(m.start(), m.end()) for m in _YEAR_EXPR.finditer(text) if _free(taken, m.start(), m.end())]
    for a in sorted(anchors, key=lambda sp: sp.start):
        if any(a.start - 150 <= y.end and y.start <= a.end + 150 for y in years):
            continue
        best = None
        for s, e in cands:
            d = s - a.end if s >= a.end else a.start - e + 20  # a year after the school is the usual layout
            if 0 <= d <= 150 and _free(taken, s, e) and (best is None or d < best[0]):
                best = (d, s, e)
        if best:
            sp = Span("Graduation Year", best[1], best[2])
            extra.append((sp, 0.6))
            years.append(sp)
            taken.append((best[1], best[2]))
    return spans + extra
