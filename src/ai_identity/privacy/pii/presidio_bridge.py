"""Our detector inside Presidio: one ``EntityRecognizer`` and an ``AnalyzerEngine`` that loads no NLP model.

Presidio's own recognisers cannot be used as they are for Chinese text (``\\b`` and ``\\w`` glue an e-mail to
the characters around it, context words need spaCy tokens, and there are no Chinese recognisers), so the
detection runs in :class:`~ai_identity.privacy.pii.PIIDetector`; this module lets callers who already use
Presidio's analyzer and anonymizer plug it in. Importing it imports Presidio (and spaCy), so it is not
imported by the package.
"""

from __future__ import annotations

from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, NoOpNlpEngine

from ai_identity.privacy.pii.detector import PIIDetector
from ai_identity.privacy.pii.entity import ENTITY_TYPES


class PresidioRecognizer(EntityRecognizer):
    """Adapts :class:`PIIDetector` to Presidio's recogniser interface (one instance per language)."""

    def __init__(self, detector: PIIDetector | None = None, language: str = "zh") -> None:
        self._detector = detector or PIIDetector(threshold=0.0)
        super().__init__(
            supported_entities=list(ENTITY_TYPES), name="ai_identity_pii", supported_language=language
        )

    def load(self) -> None:
        """Nothing to load: the recognisers are compiled when the detector is built."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        wanted = set(entities) if entities else set(ENTITY_TYPES)
        return [
            RecognizerResult(e.type, e.start, e.end, e.score)
            for e in self._detector.analyze(text, threshold=0.0)
            if e.type in wanted
        ]


def presidio_analyzer(
    languages: Sequence[str] = ("zh", "en"), detector: PIIDetector | None = None
) -> AnalyzerEngine:
    """A Presidio ``AnalyzerEngine`` whose only recogniser is ours, on the no-op NLP engine (no spaCy)."""
    nlp = NoOpNlpEngine(models=[{"lang_code": lang, "model_name": "none"} for lang in languages])
    nlp.load()
    shared = detector or PIIDetector(threshold=0.0)
    registry = RecognizerRegistry(supported_languages=list(languages))
    for lang in languages:
        registry.add_recognizer(PresidioRecognizer(shared, lang))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=list(languages))
