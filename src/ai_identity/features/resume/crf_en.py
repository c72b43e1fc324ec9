"""English token CRF for whole resumes (the dotin label set: Name, Designation, Companies worked at, …).

Method: a linear-chain CRF (CRFsuite) over tokens of the whole resume, BIO tags. Token features:
  - word, lower case, shape, 2-4 character prefixes and suffixes, case flags, neighbours ±2;
  - layout: token position in its line and in the document (bucketed), line length, blank line before,
    multiple spaces before (column breaks of flattened PDFs), an all-caps line, the current section as
    announced by the last header-like word (EXPERIENCE, EDUCATION, SKILLS …, see ``segment``);
  - gazetteers: degree words, school words, company suffixes, job-title heads, month names, years, e-mail
    shape, and skill words mined from the training CVs' Tech Tools / Job Specific Skills / Soft Skills spans
    (jack-knifed during training, as in ``crf_zh``).
Rules override the CRF where they are exact: e-mail addresses by pattern.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ai_identity.features.resume import en_words
from ai_identity.features.resume.tagging import Span, spans_from_tags, tags_from_spans

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


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


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


_NEIGHBOURS = tuple((o, (f"w{o:+d}=", f"sh{o:+d}=", f"sk{o:+d}=", f"g{o:+d}:")) for o in (-2, -1, 1, 2))


def token_features(text: str, toks: list[Token], skills: dict[str, str]) -> list[list[str]]:
    """One list of string features per token."""
    n = len(toks)
    lows = [t.text.lower().rstrip(".") if len(t.text) > 1 else t.text.lower() for t in toks]
    skill_tags = _skill_matches(lows, skills)
    feats: list[list[str]] = []
    line_pos = 0
    line_no = 0
    section = "none"
    prev_end = 0
    line_tokens = _line_token_counts(text, toks)
    date_tags = _date_tags(text, toks)
    line_title = _line_title(text, toks)
    shapes = [_shape(t.text) for t in toks]
    gazs = [_gaz(low) for low in lows]
    for i, tok in enumerate(toks):
        gap = text[prev_end : tok.start]
        newline = i == 0 or _soft_break(gap)
        if newline:
            line_pos = 0
            line_no += gap.count("\n")
        low, w = lows[i], tok.text
        if low in _HEADERS and (w.isupper() or (newline and w[:1].isupper()) or "  " in gap):
            section = _HEADERS[low]
        f = [
            "bias",
            "w=" + low,
            "sh=" + shapes[i],
            "p2=" + low[:2],
            "p3=" + low[:3],
            "s2=" + low[-2:],
            "s3=" + low[-3:],
            "s4=" + low[-4:],
            "lp=" + str(min(line_pos, 4)),
            "ln=" + str(min(line_no, 6)),
            "dp=" + _bucket(i),
            "ll=" + _bucket(line_tokens[i]),
            "sec=" + section,
            "sk=" + skill_tags[i],
            "dt=" + date_tags[i],
        ]
        if line_title[i]:
            f.append("line_title")
        if i and toks[i - 1].text in ",|•-–:(":
            f.append("after=" + toks[i - 1].text)
        if w.isupper():
            f.append("up")
        if w[:1].isupper():
            f.append("title")
        if w.isdigit():
            f.append("num" + str(len(w)))
        if "\n\n" in gap or "\n \n" in gap:
            f.append("blank_before")
        if "  " in gap or "\t" in gap:
            f.append("gap_before")
        for name in gazs[i]:
            f.append("g:" + name)
        if "@" in w and EMAIL_RE.fullmatch(w):
            f.append("email")
        if len(w) == 4 and w.isdigit() and w[:2] in ("19", "20"):
            f.append("year")
        for off, (pw, psh, psk, pg) in _NEIGHBOURS:
            j = i + off
            if 0 <= j < n:
                f.append(pw + lows[j])
                f.append(psh + shapes[j])
                f.append(psk + skill_tags[j])
                for name in gazs[j]:
                    if name != "mon":
                        f.append(pg + name)
            else:
                f.append(pw + "<pad>")
        feats.append(f)
        line_pos += 1
        prev_end = tok.end
    return feats


def _soft_break(gap: str) -> bool:
    """A line break, or a tab / run of spaces that stands for one in text flattened out of a PDF."""
    return "\n" in gap or "\t" in gap or "  " in gap


def _line_title(text: str, toks: list[Token]) -> list[bool]:
    """True for tokens of a line whose words are all capitalised (names, titles, company lines)."""
    flags: list[bool] = []
    start = 0
    for i in range(1, len(toks) + 1):
        if i == len(toks) or _soft_break(text[toks[i - 1].end : toks[i].start]):
            words = [t.text for t in toks[start:i] if t.text[:1].isalpha()]
            ok = bool(words) and len(words) <= 8 and all(w[:1].isupper() for w in words)
            flags.extend([ok] * (i - start))
            start = i
    return flags


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


def _line_token_counts(text: str, toks: list[Token]) -> list[int]:
    counts: list[int] = []
    start = 0
    for i in range(1, len(toks) + 1):
        if i == len(toks) or _soft_break(text[toks[i - 1].end : toks[i].start]):
            counts.extend([i - start] * (i - start))
            start = i
    return counts


def _skill_matches(lows: list[str], skills: dict[str, str]) -> list[str]:
    """Longest-match skill phrases (up to 4 tokens) as B/I tags with the phrase's majority type."""
    tags = ["O"] * len(lows)
    i = 0
    while i < len(lows):
        for ln in (4, 3, 2, 1):
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


def mine_skills(docs: list[tuple[str, list[Span]]], min_count: int = 2) -> dict[str, str]:
    """Skill phrases (lower case) seen at least ``min_count`` times, with their most frequent type."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, spans in docs:
        for sp in spans:
            if sp.type in _KIND:
                phrase = " ".join(t.text.lower().rstrip(".") for t in tokenize(text[sp.start : sp.end]))
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
    """Train on (text, spans) CVs and write ``crf_en.crfsuite`` + ``en_lexicon.json`` into ``out_dir``."""
    import pycrfsuite

    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    fold_of = {idx: k % folds for k, idx in enumerate(order)}
    lex = [mine_skills([d for i, d in enumerate(docs) if fold_of[i] != k]) for k in range(folds)]
    trainer = pycrfsuite.Trainer(verbose=False)
    for i, (text, spans) in enumerate(docs):
        toks = tokenize(text)
        trainer.append(token_features(text, toks, lex[fold_of[i]]), token_tags(toks, spans))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations})
    out_dir.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out_dir / MODEL_NAME))
    full = mine_skills(docs)
    (out_dir / LEXICON_NAME).write_text(json.dumps(dict(sorted(full.items())), indent=0), "utf-8")
    return out_dir / MODEL_NAME


def _name_word(w: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z][a-zA-Z]*(?:['\-][A-Z]?[a-zA-Z]+)?", w))
        and len(w) > 1
        and w.lower() not in _NOT_NAME
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


def _propagate(text: str, spans: list[tuple[Span, float]], types: frozenset[str]) -> list[tuple[Span, float]]:
    """Every other occurrence of a predicted surface of these types, with the same type.

    A resume repeats its owner's name and its tools; the annotators labelled every occurrence.
    """
    taken = [(sp.start, sp.end) for sp, _c in spans]
    surfaces = {
        text[sp.start : sp.end]: sp.type for sp, _c in spans if sp.type in types and sp.end - sp.start > 1
    }
    extra: list[tuple[Span, float]] = []
    for surface, typ in surfaces.items():
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if not any(m.start() < e and m.end() > s for s, e in taken):
                extra.append((Span(typ, m.start(), m.end()), 0.7))
                taken.append((m.start(), m.end()))
    return extra


class EnTagger:
    """A loaded English CRF: ``tag(text)`` → character spans with the dotin type names."""

    propagate: frozenset[str] = frozenset({"Name", "Tech Tools", "Job Specific Skills", "Soft Skills"})

    def __init__(self, model_dir: Path) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_dir / MODEL_NAME))
        self.skills: dict[str, str] = json.loads((model_dir / LEXICON_NAME).read_text("utf-8"))

    def tag(self, text: str, with_confidence: bool = False) -> list[tuple[Span, float]]:
        toks = tokenize(text)
        if not toks:
            return []
        labels = self._tagger.tag(token_features(text, toks, self.skills))
        out: list[tuple[Span, float]] = []
        for sp in spans_from_tags(labels):
            conf = 1.0
            if with_confidence:
                ms = [self._tagger.marginal(labels[k], k) for k in range(sp.start, sp.end)]
                conf = round(sum(ms) / len(ms), 4)
            if sp.type == "Email Address":
                continue  # the rule below is exact
            out.append((Span(sp.type, toks[sp.start].start, _end(toks[sp.end - 1])), conf))
        out = [(_extend_name(text, toks, sp), c) if sp.type == "Name" else (sp, c) for sp, c in out]
        out += _propagate(text, out, self.propagate)
        for m in EMAIL_RE.finditer(text):
            out.append((Span("Email Address", m.start(), m.end()), 0.99))
        out.sort(key=lambda x: x[0].start)
        return out


_KEEP_DOT = _DEGREE | {"ltd", "inc", "co", "corp", "pvt", "jr", "sr", "st", "dr", "bros", "intl", "dept"}


def _end(tok: Token) -> int:
    # A sentence-final full stop stuck to a word is not part of the entity ("Oracle." → "Oracle").
    core = tok.text[:-1]
    if tok.text.endswith(".") and len(tok.text) > 1 and core.lower() not in _KEEP_DOT and "." not in core:
        return tok.end - 1
    return tok.end
