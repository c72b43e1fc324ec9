"""The detector: runs every recogniser, keeps candidates at or above the threshold, resolves overlaps."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from ai_identity.privacy.pii.entity import DEFAULT_THRESHOLD, PIIEntity
from ai_identity.privacy.pii.names import NameRecognizer
from ai_identity.privacy.pii.recognizers import DEFAULT_SPECS
from ai_identity.privacy.pii.spec import PatternRecognizer, Recognizer


def default_recognizers() -> list[Recognizer]:
    """The built-in recognisers, most specific first (the order breaks ties between equal candidates)."""
    recognizers: list[Recognizer] = [PatternRecognizer(spec) for spec in DEFAULT_SPECS]
    recognizers.append(NameRecognizer())
    return recognizers


def resolve_overlaps(candidates: Iterable[tuple[PIIEntity, int]]) -> list[PIIEntity]:
    """Keep the best of overlapping candidates: higher score, then longer span, then recogniser order."""
    ranked = sorted(candidates, key=lambda c: (-c[0].score, c[0].start - c[0].end, c[1], c[0].start))
    kept: list[PIIEntity] = []
    for entity, _ in ranked:
        if all(entity.end <= k.start or entity.start >= k.end for k in kept):
            kept.append(entity)
    kept.sort(key=lambda e: (e.start, e.end))
    return kept


class PIIDetector:
    """Finds personal data in Chinese and English free text.

    ``recognizers`` are passed in (default: :func:`default_recognizers`); ``entities`` restricts the types
    reported; ``threshold`` is the default minimum score.
    """

    def __init__(
        self,
        recognizers: Sequence[Recognizer] | None = None,
        *,
        entities: Collection[str] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError("threshold: expected a number between 0 and 1")
        chosen = list(recognizers) if recognizers is not None else default_recognizers()
        if entities is not None:
            wanted = set(entities)
            chosen = [r for r in chosen if wanted & set(r.entities)]
        self._recognizers = chosen
        self._entities = frozenset(entities) if entities is not None else None
        self.threshold = threshold

    @property
    def recognizers(self) -> tuple[Recognizer, ...]:
        return tuple(self._recognizers)

    def analyze(self, text: str, *, threshold: float | None = None) -> list[PIIEntity]:
        """Non-overlapping entities of ``text`` scoring at least ``threshold``, in reading order."""
        if not isinstance(text, str):
            raise TypeError("text: expected a str")
        minimum = self.threshold if threshold is None else threshold
        wanted = self._entities
        candidates: list[tuple[PIIEntity, int]] = []
        for rank, recognizer in enumerate(self._recognizers):
            for entity in recognizer.analyze(text):
                if entity.score >= minimum and (wanted is None or entity.type in wanted):
                    candidates.append((entity, rank))
        return resolve_overlaps(candidates)

    def analyze_batch(self, texts: Iterable[str], *, threshold: float | None = None) -> list[list[PIIEntity]]:
        """:meth:`analyze` for each text, in order."""
        return [self.analyze(text, threshold=threshold) for text in texts]
