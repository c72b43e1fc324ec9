"""Scoring entity extraction against labelled resumes (``ai-identity eval-parser``).

Method: conlleval-style exact-span matching — a prediction counts only when its type, start and end all equal
a gold span's. Per type: precision, recall, F1, support (gold count); micro averages over all spans. A BMES
file is tagged sentence by sentence with the Chinese CRF; a folder of inline-tagged XML CVs is tagged CV by
CV with the English CRF and rules. Also: a smoke run over a folder of raw resumes (failures and sections).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ai_identity.features.resume.tagging import Span, spans_from_tags

Scores = dict[str, Any]


# Types scored together as well as apart: the English targets count Job Specific Skills and Tech Tools as one
# "skills" type (a span found with the other of the two types is still a skill found).
COMBINED: dict[str, frozenset[str]] = {
    "Job Specific Skills + Tech Tools": frozenset({"Job Specific Skills", "Tech Tools"})
}


class SpanScorer:
    """Accumulates exact-span true positives, predictions and gold counts per type (and per ``COMBINED``
    group, where a span's type is replaced by the group's name)."""

    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.pred: Counter[str] = Counter()
        self.gold: Counter[str] = Counter()
        self.group_tp: Counter[str] = Counter()

    def add(self, gold: Iterable[Span], pred: Iterable[Span]) -> None:
        g, p = set(gold), set(pred)
        for sp in g & p:
            self.tp[sp.type] += 1
        for sp in p:
            self.pred[sp.type] += 1
        for sp in g:
            self.gold[sp.type] += 1
        for name, types in COMBINED.items():
            gg = {(sp.start, sp.end) for sp in g if sp.type in types}
            self.group_tp[name] += len(gg & {(sp.start, sp.end) for sp in p if sp.type in types})

    def result(self) -> Scores:
        per_type = {}
        for typ in sorted(set(self.gold) | set(self.pred)):
            per_type[typ] = {**_prf(self.tp[typ], self.pred[typ], self.gold[typ]), "support": self.gold[typ]}
        micro = _prf(sum(self.tp.values()), sum(self.pred.values()), sum(self.gold.values()))
        out: Scores = {"per_type": per_type, "micro": micro}
        combined = {}
        for name, types in COMBINED.items():
            gold = sum(self.gold[t] for t in types)
            if gold or any(self.pred[t] for t in types):
                pred = sum(self.pred[t] for t in types)
                combined[name] = {**_prf(self.group_tp[name], pred, gold), "support": gold}
        if combined:
            out["combined"] = combined
        return out


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def evaluate_bmes(path: Path, tag: Callable[[str], list[str]]) -> Scores:
    """Score a tagger (text → one tag per character) on a BMES file."""
    from ai_identity.features.resume.corpus import read_bmes

    scorer = SpanScorer()
    for text, tags in read_bmes(path):
        scorer.add(spans_from_tags(tags), spans_from_tags(tag(text)))
    return scorer.result()


def evaluate_xml_dir(folder: Path, tag: Callable[[str], list[Span]]) -> Scores:
    """Score a tagger (text → character spans) on a folder of inline-tagged XML CVs."""
    from ai_identity.features.resume.corpus import read_tagged_xml_dir

    scorer = SpanScorer()
    for _name, text, spans in read_tagged_xml_dir(folder):
        scorer.add(spans, tag(text))
    return scorer.result()


def smoke_folder(folder: Path) -> dict[str, Any]:
    """Parse every file of a folder of raw resumes; report failures and the sections found."""
    from ai_identity.features.resume.extract import ResumeInputError, extract_text
    from ai_identity.features.resume.parser import parse_resume

    files: list[dict[str, Any]] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        row: dict[str, Any] = {"file": path.name}
        try:
            parsed = parse_resume(extract_text(path).text)
        except ResumeInputError as exc:
            row["error"] = exc.reason
        except Exception as exc:  # a bug: reported per file so the batch goes on
            row["error"] = type(exc).__name__
        else:
            row.update(
                sections=sorted({s.kind for s in parsed.sections}),
                work=len(parsed.work_experience),
                education=len(parsed.education),
                issues=parsed.issues,
            )
        files.append(row)
    failures = [f for f in files if "error" in f]
    return {"files": len(files), "failures": len(failures), "per_file": files}
