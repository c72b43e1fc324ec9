"""Recognisers as data: a :class:`RecognizerSpec` is patterns + context words + a validator.

:class:`PatternRecognizer` compiles one spec and scores its matches:

* a match the validator rejects is dropped;
* a match the validator accepts gets at least ``validated_score``;
* the cue nearest before the match (within ``context_window`` characters) decides context: a positive cue
  raises the score by ``CONTEXT_BOOST``, a negative cue (``订单号``, ``order no.``) drops the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ai_identity.privacy.pii.entity import PIIEntity

CONTEXT_BOOST = 0.35

Validator = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Pattern:
    """One regular expression and the score a bare (context-free) match gets. ``group`` is the span."""

    name: str
    regex: str
    score: float
    group: int = 0


@dataclass(frozen=True, slots=True)
class RecognizerSpec:
    """Everything that defines a pattern recogniser; no code beyond the optional validator."""

    name: str
    entity: str
    patterns: tuple[Pattern, ...]
    context: tuple[str, ...] = ()
    negative_context: tuple[str, ...] = ()
    validator: Validator | None = None
    validated_score: float | None = None
    trigger: str | None = None
    """A cheap regex that must occur in the text before the patterns run (``@`` for e-mail)."""
    flags: int = 0
    context_window: int = 20
    trim: str = ""
    """Characters stripped from the end of a match (sentence punctuation after a URL)."""


class Recognizer(Protocol):
    """Anything that finds candidate entities in a text; the detector resolves overlaps and thresholds."""

    name: str
    entities: tuple[str, ...]

    def analyze(self, text: str) -> Iterable[PIIEntity]: ...


def context_decision(
    text: str, start: int, context: tuple[str, ...], negative: tuple[str, ...], window: int
) -> int:
    """+1 when the nearest cue before ``start`` is positive, -1 when negative, 0 when there is none."""
    if not context and not negative:
        return 0
    before = text[max(0, start - window) : start].lower()
    best_pos, best_sign = -1, 0
    for words, sign in ((context, 1), (negative, -1)):
        for word in words:
            at = _rfind_word(before, word)
            if at >= 0 and at + len(word) > best_pos:
                best_pos, best_sign = at + len(word), sign
    return best_sign


def _rfind_word(haystack: str, word: str) -> int:
    """Last occurrence of ``word``; a Latin word must start a word ("ver" is not in "server")."""
    at = haystack.rfind(word)
    if not word[:1].isascii() or not word[:1].isalpha():
        return at
    while at > 0 and haystack[at - 1].isascii() and haystack[at - 1].isalpha():
        at = haystack.rfind(word, 0, at)
    return at


@dataclass(slots=True)
class PatternRecognizer:
    """A compiled :class:`RecognizerSpec`."""

    spec: RecognizerSpec
    name: str = field(init=False)
    entities: tuple[str, ...] = field(init=False)
    _compiled: tuple[tuple[re.Pattern[str], Pattern], ...] = field(init=False, repr=False)
    _trigger: re.Pattern[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = self.spec.name
        self.entities = (self.spec.entity,)
        self._compiled = tuple((re.compile(p.regex, self.spec.flags), p) for p in self.spec.patterns)
        self._trigger = re.compile(self.spec.trigger) if self.spec.trigger else None

    def analyze(self, text: str) -> list[PIIEntity]:
        spec = self.spec
        if self._trigger is not None and self._trigger.search(text) is None:
            return []
        found: list[PIIEntity] = []
        for regex, pattern in self._compiled:
            for match in regex.finditer(text):
                start, end = match.span(pattern.group)
                if spec.trim:
                    end = start + len(text[start:end].rstrip(spec.trim))
                if end <= start:
                    continue
                score = self._score(text, start, end, pattern.score)
                if score > 0:
                    found.append(PIIEntity(spec.entity, start, end, score))
        return found

    def _score(self, text: str, start: int, end: int, score: float) -> float:
        spec = self.spec
        if spec.validator is not None:
            if not spec.validator(text[start:end]):
                return 0.0
            if spec.validated_score is not None:
                score = max(score, spec.validated_score)
        sign = context_decision(text, start, spec.context, spec.negative_context, spec.context_window)
        if sign < 0:
            return 0.0
        if sign > 0:
            score = min(1.0, score + CONTEXT_BOOST)
        return score
