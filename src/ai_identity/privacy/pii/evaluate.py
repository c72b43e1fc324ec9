"""Precision / recall / F1 per entity type against a labelled set (exact-span and overlap matching)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ai_identity.errors import RecordError
from ai_identity.privacy.pii.detector import PIIDetector
from ai_identity.privacy.pii.entity import PIIEntity


@dataclass(frozen=True, slots=True)
class LabelledCase:
    text: str
    entities: tuple[PIIEntity, ...]
    lang: str = ""


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(slots=True)
class Report:
    exact: dict[str, Counts] = field(default_factory=dict)
    overlap: dict[str, Counts] = field(default_factory=dict)
    cases: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "exact": {t: c.to_dict() for t, c in sorted(self.exact.items())},
            "overlap": {t: c.to_dict() for t, c in sorted(self.overlap.items())},
        }


def load_cases(path: Path) -> list[LabelledCase]:
    """Read ``{"text", "entities": [{"type", "start", "end"}]}`` lines."""
    cases: list[LabelledCase] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            ents = tuple(PIIEntity(e["type"], int(e["start"]), int(e["end"]), 1.0) for e in obj["entities"])
            cases.append(LabelledCase(obj["text"], ents, obj.get("lang", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordError(
                "pii_cases", "entities", "text and entities [{type, start, end}]", key=str(number)
            ) from exc
    return cases


def _match(
    gold: Sequence[PIIEntity], pred: Sequence[PIIEntity], exact: bool, into: dict[str, Counts]
) -> None:
    unmatched = list(pred)
    for g in gold:
        hit = next(
            (
                p
                for p in unmatched
                if p.type == g.type
                and ((p.start, p.end) == (g.start, g.end) if exact else p.start < g.end and g.start < p.end)
            ),
            None,
        )
        counts = into.setdefault(g.type, Counts())
        if hit is None:
            counts.fn += 1
        else:
            counts.tp += 1
            unmatched.remove(hit)
    for p in unmatched:
        into.setdefault(p.type, Counts()).fp += 1


def evaluate(cases: Iterable[LabelledCase], detector: PIIDetector | None = None) -> Report:
    """Run ``detector`` on every case and count matches per type."""
    detector = detector or PIIDetector()
    report = Report()
    for case in cases:
        report.cases += 1
        pred = detector.analyze(case.text)
        _match(case.entities, pred, True, report.exact)
        _match(case.entities, pred, False, report.overlap)
    return report
