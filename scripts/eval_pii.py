#!/usr/bin/env python3
"""Precision / recall / F1 per entity type of the PII detector on the labelled set.

python scripts/eval_pii.py [tests/data/pii_cases.jsonl] [--json] [--lang zh|en] [--errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ai_identity.privacy.pii import PIIDetector
from ai_identity.privacy.pii.evaluate import Report, evaluate, load_cases

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "pii_cases.jsonl"


def _table(report: Report) -> str:
    lines = [
        f"{report.cases} cases",
        f"{'type':<16}{'exact P':>9}{'R':>7}{'F1':>7}{'overlap P':>11}{'R':>7}{'F1':>7}{'n':>6}",
    ]
    for etype in sorted(report.exact):
        e, o = report.exact[etype], report.overlap[etype]
        lines.append(
            f"{etype:<16}{e.precision:>9.3f}{e.recall:>7.3f}{e.f1:>7.3f}"
            f"{o.precision:>11.3f}{o.recall:>7.3f}{o.f1:>7.3f}{e.tp + e.fn:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--lang", choices=("zh", "en"), help="only cases of this language")
    parser.add_argument(
        "--errors", action="store_true", help="also list the misses and false alarms (types only)"
    )
    args = parser.parse_args(argv)
    cases = [c for c in load_cases(args.cases) if args.lang is None or c.lang == args.lang]
    detector = PIIDetector()
    report = evaluate(cases, detector)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else _table(report))
    if args.errors:
        for i, case in enumerate(cases):
            pred = {(e.type, e.start, e.end) for e in detector.analyze(case.text)}
            gold = {(e.type, e.start, e.end) for e in case.entities}
            for t, s, e in sorted(gold - pred):
                print(f"miss  #{i} {t} {case.text[s:e]!r} in {case.text!r}", file=sys.stderr)
            for t, s, e in sorted(pred - gold):
                print(f"false #{i} {t} {case.text[s:e]!r} in {case.text!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
