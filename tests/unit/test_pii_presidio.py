"""Our recognisers plugged into Presidio's AnalyzerEngine (no spaCy model) and its AnonymizerEngine."""

from __future__ import annotations

import pytest

from ai_identity.privacy.pii.presidio_bridge import presidio_analyzer


@pytest.fixture(scope="module")
def engine():
    return presidio_analyzer()


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("简历发到hr@x.cn即可，手机13812345678", "zh", ["EMAIL_ADDRESS", "PHONE_NUMBER"]),
        ("Name: Emily Carter, SSN 219-09-9999", "en", ["PERSON", "US_SSN"]),
        ("订单号 202401150001 已发货", "zh", []),
    ],
)
def test_when_analyzed_through_presidio_then_same_types(engine, text, language, expected) -> None:
    results = engine.analyze(text, language=language, score_threshold=0.5)
    assert sorted(r.entity_type for r in results) == expected


def test_when_presidio_anonymizer_applied_then_values_gone(engine) -> None:
    from presidio_anonymizer import AnonymizerEngine

    text = "简历发到hr@x.cn即可，手机13812345678"
    results = engine.analyze(text, language="zh", score_threshold=0.5)
    out = AnonymizerEngine().anonymize(text=text, analyzer_results=results).text
    assert out == "简历发到<EMAIL_ADDRESS>即可，手机<PHONE_NUMBER>"
