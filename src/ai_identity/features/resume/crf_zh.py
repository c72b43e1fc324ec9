"""Chinese character CRF for resume entities (NAME, CONT, RACE, TITLE, EDU, ORG, PRO, LOC; BMES tags).

Method: a linear-chain CRF (CRFsuite, L-BFGS with L1+L2) over characters. Each character carries
  - the characters and character bigrams in a ±2 window, and the character-type trigram (Han, digit, Latin,
    punctuation);
  - gazetteer features in the SoftLexicon spirit: for every lexicon word that covers the character, its
    category and the character's position in it (B/M/E/S), plus the length of the longest such match;
  - suffix features: whether the character ends an organisation suffix (公司, 大学, 银行 …) or a title suffix.
The lexicon joins the hand-written lists of ``zh_words``, the job-title list shipped with the Chinese samples
(lists/Roles.txt, RolesKeywords.txt) and generic vocabulary mined from the training split: TITLE/EDU/PRO/
CONT/RACE surfaces seen at least three times and the two-to-four-character endings of ORG names (never names
of people, never sentences). During training the mined part is built jack-knife style (from the other folds
only) so the model does not learn to trust a lexicon that already contains every training entity.

``train`` can also build a small ensemble of three such CRFs trained on the same data with different
feature templates (``PROFILES``; only ``base`` is shipped, see docs/parser.md): ``base`` (the features above),
``wide`` (adds the characters at ±3 and the three character trigrams around the character) and ``lex`` (adds
the length of each lexicon match at its first and last character, and lexicon boundaries of the neighbouring
characters: "a word of category C ends just before" / "starts just after"). With several members present,
tagging averages their log label marginals per character and decodes the best BMES-valid label sequence
(Viterbi over the averaged scores, with only the legal B→M/E, M→M/E and O/E/S→O/B/S transitions). With one
member present the tagger runs that CRF's own Viterbi path.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ai_identity.features.resume import zh_words
from ai_identity.features.resume.tagging import Span, spans_from_tags

MODEL_NAME = "crf_zh.crfsuite"
LEXICON_NAME = "zh_lexicon.json"
MAX_WORD = 14
MINED_TYPES = ("TITLE", "EDU", "PRO", "CONT", "RACE")
# Ensemble members: name → extra feature templates on top of the base ones.
PROFILES: dict[str, frozenset[str]] = {
    "base": frozenset(),
    "wide": frozenset({"window3"}),
    "lex": frozenset({"lexshape"}),
}


def model_file(profile: str) -> str:
    """File name of one ensemble member (the base member keeps the historical name)."""
    return MODEL_NAME if profile == "base" else f"crf_zh.{profile}.crfsuite"


def char_type(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "A"
    if ch.isspace():
        return "S"
    if ch.isalpha():
        return "L"
    return "P"


@dataclass
class ZhLexicon:
    """Word → categories, with the longest word length for the matcher."""

    words: dict[str, set[str]] = field(default_factory=dict)

    def add(self, word: str, cat: str) -> None:
        word = word.strip()
        if 1 < len(word) <= MAX_WORD:
            self.words.setdefault(word, set()).add(cat)

    def to_json(self) -> dict[str, list[str]]:
        return {w: sorted(c) for w, c in sorted(self.words.items())}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> ZhLexicon:
        return cls({w: set(c) for w, c in data.items()})


def base_lexicon(extra_titles: Iterable[str] = ()) -> ZhLexicon:
    """The hand-written part of the lexicon, plus any extra title words (e.g. lists/Roles.txt)."""
    lex = ZhLexicon()
    for cat, words in (
        ("TITLE", zh_words.TITLE_WORDS),
        ("EDU", zh_words.EDU_WORDS),
        ("PRO", zh_words.PRO_WORDS),
        ("CONT", zh_words.CONT_WORDS),
        ("RACE", zh_words.RACE_WORDS),
        ("LOC", zh_words.LOC_WORDS),
        ("OSUF", zh_words.ORG_SUFFIXES),
        ("TSUF", zh_words.TITLE_SUFFIXES),
    ):
        for w in words:
            lex.add(w, cat)
    for w in extra_titles:
        lex.add(w, "TITLE")
    return lex


def mine_lexicon(sentences: list[tuple[str, list[Span]]], base: ZhLexicon, min_count: int = 3) -> ZhLexicon:
    """Add generic vocabulary mined from labelled sentences to a copy of ``base``."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, spans in sentences:
        for sp in spans:
            surface = text[sp.start : sp.end]
            if sp.type in MINED_TYPES:
                counts[(surface, sp.type)] += 1
            elif sp.type == "ORG":
                for k in (2, 3, 4):
                    if len(surface) > k:
                        counts[(surface[-k:], "OSUF")] += 1
    lex = ZhLexicon({w: set(c) for w, c in base.words.items()})
    for (w, cat), n in counts.items():
        if n >= (min_count if cat != "OSUF" else 2 * min_count):
            lex.add(w, cat)
    return lex


def char_features(text: str, lex: ZhLexicon, extras: frozenset[str] = frozenset()) -> list[list[str]]:
    """One list of string features per character of ``text``; ``extras`` adds the templates of ``PROFILES``.

    A CRF ignores features it was not trained with, so one list built with every extra serves all members.
    """
    lexshape = "lexshape" in extras
    n = len(text)
    chars = ["<s2>", "<s1>", *text, "</s1>", "</s2>"]
    types = ["B", "B", *(char_type(c) for c in text), "E", "E"]
    feats: list[list[str]] = [[] for _ in range(n)]
    longest = [0] * n
    words = lex.words
    for i in range(n):
        for ln in range(2, min(MAX_WORD, n - i) + 1):
            cats = words.get(text[i : i + ln])
            if not cats:
                continue
            end = i + ln - 1
            for cat in sorted(cats):
                feats[i].append("LB:" + cat)
                feats[end].append("LE:" + cat)
                for k in range(i + 1, end):
                    feats[k].append("LM:" + cat)
                if lexshape:
                    size = str(min(ln, 6))
                    feats[i].append("LBn:" + cat + size)
                    feats[end].append("LEn:" + cat + size)
                    if end + 1 < n:
                        feats[end + 1].append("pLE:" + cat)
                    if i > 0:
                        feats[i - 1].append("nLB:" + cat)
            for k in range(i, end + 1):
                longest[k] = max(longest[k], ln)
    for i in range(n):
        j = i + 2
        c0, cm1, cp1, cm2, cp2 = chars[j], chars[j - 1], chars[j + 1], chars[j - 2], chars[j + 2]
        f = feats[i]
        f.extend(
            (
                "bias",
                "c0=" + c0,
                "c-1=" + cm1,
                "c+1=" + cp1,
                "c-2=" + cm2,
                "c+2=" + cp2,
                "b-1=" + cm1 + c0,
                "b+1=" + c0 + cp1,
                "b-2=" + cm2 + cm1,
                "b+2=" + cp1 + cp2,
                "c-1+1=" + cm1 + cp1,
                "t0=" + types[j],
                "t3=" + types[j - 1] + types[j] + types[j + 1],
                "len=" + str(min(longest[i], 8)),
            )
        )
        if c0 in _SURNAMES and types[j - 1] in "BP":
            f.append("sur")
        if "window3" in extras:
            cm3 = text[i - 3] if i >= 3 else "<s3>"
            cp3 = text[i + 3] if i + 3 < n else "</s3>"
            f.extend(
                (
                    "c-3=" + cm3,
                    "c+3=" + cp3,
                    "tr-1=" + cm2 + cm1 + c0,
                    "tr0=" + cm1 + c0 + cp1,
                    "tr+1=" + c0 + cp1 + cp2,
                )
            )
    return feats


_SURNAMES = frozenset(s for s in zh_words.SURNAMES if len(s) == 1)


def train(
    sentences: list[tuple[str, list[str]]],
    out_dir: Path,
    base: ZhLexicon,
    *,
    profiles: Iterable[str] = tuple(PROFILES),
    c1: float = 0.05,
    c2: float = 0.02,
    max_iterations: int = 100,
    folds: int = 4,
    seed: int = 13,
) -> Path:
    """Train one CRF per profile and write ``crf_zh*.crfsuite`` + ``zh_lexicon.json`` into ``out_dir``."""
    import pycrfsuite

    labelled = [(text, spans_from_tags(tags)) for text, tags in sentences]
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    fold_of = {idx: k % folds for k, idx in enumerate(order)}
    fold_lex = []
    for k in range(folds):
        others = [labelled[i] for i in range(len(labelled)) if fold_of[i] != k]
        fold_lex.append(mine_lexicon(others, base, min_count=2))
    out_dir.mkdir(parents=True, exist_ok=True)
    for profile in profiles:
        trainer = pycrfsuite.Trainer(verbose=False)
        for i, (text, tags) in enumerate(sentences):
            trainer.append(char_features(text, fold_lex[fold_of[i]], PROFILES[profile]), tags)
        trainer.set_params(
            {"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True}
        )
        trainer.train(str(out_dir / model_file(profile)))
    full = mine_lexicon(labelled, base, min_count=3)
    (out_dir / LEXICON_NAME).write_text(json.dumps(full.to_json(), ensure_ascii=False, indent=0), "utf-8")
    return out_dir / MODEL_NAME


def _legal(prev: str, nxt: str) -> bool:
    """Whether BMES label ``nxt`` may follow ``prev`` ("" = sentence start/end)."""
    if prev[:1] in ("B", "M"):
        return nxt[:1] in ("M", "E") and nxt[2:] == prev[2:]
    return nxt[:1] in ("O", "B", "S", "")


class ZhTagger:
    """A loaded Chinese CRF ensemble: ``tag(text)`` → spans with a confidence (mean label marginal)."""

    def __init__(self, model_dir: Path) -> None:
        import numpy as np
        import pycrfsuite

        self._members = []
        for profile in PROFILES:
            path = model_dir / model_file(profile)
            if path.exists():
                tagger = pycrfsuite.Tagger()
                tagger.open(str(path))
                self._members.append(tagger)
        if not self._members:
            raise FileNotFoundError(f"no Chinese CRF model ({MODEL_NAME}) in {model_dir}")
        self._extras = frozenset().union(*PROFILES.values())
        data = json.loads((model_dir / LEXICON_NAME).read_text("utf-8"))
        self.lexicon = ZhLexicon.from_json(data)
        self.labels = sorted({label for t in self._members for label in t.labels()})
        blocked = -1e9
        self._trans = np.array([[0.0 if _legal(a, b) else blocked for b in self.labels] for a in self.labels])
        self._start = np.array([0.0 if _legal("", b) else blocked for b in self.labels])
        self._end = np.array([0.0 if _legal(a, "") else blocked for a in self.labels])

    def _scores(self, text: str):  # -> np.ndarray (chars × labels): mean log marginal over the members
        import numpy as np

        feats = char_features(text, self.lexicon, self._extras)
        n = len(text)
        total = np.zeros((n, len(self.labels)))
        for tagger in self._members:
            tagger.set(feats)
            known = set(tagger.labels())
            for j, label in enumerate(self.labels):
                if label in known:
                    total[:, j] += np.log(np.maximum([tagger.marginal(label, k) for k in range(n)], 1e-12))
                else:
                    total[:, j] += np.log(1e-12)
        return total / len(self._members)

    def _viterbi(self, scores) -> list[int]:  # scores: np.ndarray (chars × labels)
        n = len(scores)
        best = scores[0] + self._start
        back = []
        for k in range(1, n):
            cand = best[:, None] + self._trans
            back.append(cand.argmax(axis=0))
            best = cand.max(axis=0) + scores[k]
        path = [int((best + self._end).argmax())]
        for ptr in reversed(back):
            path.append(int(ptr[path[-1]]))
        return path[::-1]

    def tag_labels(self, text: str) -> list[str]:
        return [label for label, _p in self._tag_with_prob(text)]

    def _tag_with_prob(self, text: str) -> list[tuple[str, float]]:
        import math

        if not text:
            return []
        if len(self._members) == 1:
            tagger = self._members[0]
            labels = tagger.tag(char_features(text, self.lexicon, self._extras))
            return [(label, tagger.marginal(label, k)) for k, label in enumerate(labels)]
        scores = self._scores(text)
        path = self._viterbi(scores)
        return [(self.labels[j], math.exp(scores[k, j])) for k, j in enumerate(path)]

    def tag(self, text: str, with_confidence: bool = True) -> list[tuple[Span, float]]:
        tagged = self._tag_with_prob(text)
        out = []
        for sp in spans_from_tags([label for label, _p in tagged]):
            conf = 1.0
            if with_confidence:
                ms = [tagged[k][1] for k in range(sp.start, sp.end)]
                conf = sum(ms) / len(ms)
            out.append((sp, round(conf, 4)))
        return out
