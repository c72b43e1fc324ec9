"""The labelled set (tests/data/pii_cases.jsonl) meets the issue's targets, so a regression fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_identity.privacy.pii import STRUCTURED_TYPES
from ai_identity.privacy.pii.evaluate import Report, evaluate, load_cases

CASES = Path(__file__).resolve().parents[1] / "data" / "pii_cases.jsonl"


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(load_cases(CASES))


def test_when_labelled_set_loaded_then_large_enough_and_half_chinese() -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 300
    assert sum(c.lang == "zh" for c in cases) * 2 >= len(cases)
    assert sum(not c.entities for c in cases) >= 60  # negatives that must stay unflagged
    for c in cases:
        assert all(0 <= e.start < e.end <= len(c.text) for e in c.entities)


@pytest.mark.parametrize("etype", STRUCTURED_TYPES)
def test_when_structured_type_then_recall_98_precision_95(report: Report, etype: str) -> None:
    counts = report.exact[etype]
    assert counts.tp + counts.fn >= 20, "too few labelled examples to measure"
    assert counts.recall >= 0.98, counts.to_dict()
    assert counts.precision >= 0.95, counts.to_dict()


@pytest.mark.parametrize("etype", ["PERSON", "ADDRESS"])
def test_when_names_and_addresses_then_recall_90(report: Report, etype: str) -> None:
    counts = report.exact[etype]
    assert counts.tp + counts.fn >= 30
    assert counts.recall >= 0.90, counts.to_dict()
