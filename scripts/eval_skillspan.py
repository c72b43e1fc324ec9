#!/usr/bin/env python
"""Skill extraction on job postings: exact span F1 on SkillSpan's Knowledge and Skill layers.

    .venv/bin/python scripts/eval_skillspan.py [--data ../shared/data] [--json]

Each sentence's tokens are joined by single spaces. Knowledge predictions: the project taxonomy's
``find_mentions`` plus the English resume CRF's Tech Tools spans; Skill predictions: the English CRF's Job
Specific Skills and Soft Skills spans. A prediction counts when its token start and end equal a gold span's
(conlleval-style), per layer, over both test files (house + tech).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ai_identity.features.resume.evaluate import SpanScorer  # noqa: E402
from ai_identity.features.resume.parser import en_tagger  # noqa: E402
from ai_identity.features.resume.skills import taxonomy  # noqa: E402
from ai_identity.features.resume.tagging import Span, spans_from_tags  # noqa: E402


def read_conll(path: Path) -> list[tuple[list[str], list[str], list[str]]]:
    sents, toks, skill, know = [], [], [], []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if not line.strip():
            if toks:
                sents.append((toks, skill, know))
            toks, skill, know = [], [], []
            continue
        parts = line.split("\t")
        toks.append(parts[0])
        skill.append(parts[1] if len(parts) > 1 else "O")
        know.append(parts[2] if len(parts) > 2 else "O")
    return sents


def _to_tokens(starts: list[int], ends: list[int], typ: str, s: int, e: int) -> Span | None:
    if s in starts and e in ends:
        return Span(typ, starts.index(s), ends.index(e) + 1)
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tax, tagger = taxonomy(), en_tagger()
    scorers = {"Knowledge": SpanScorer(), "Skill": SpanScorer()}
    for name in ("skillspan_house_test.conll", "skillspan_tech_test.conll"):
        for toks, skill, know in read_conll(args.data / "skillspan-en" / name):
            text = " ".join(toks)
            starts, ends, pos = [], [], 0
            for t in toks:
                starts.append(pos)
                ends.append(pos + len(t))
                pos += len(t) + 1
            pred: dict[str, set[Span]] = {"Knowledge": set(), "Skill": set()}
            if tax is not None:
                for m in tax.find_mentions(text):
                    if sp := _to_tokens(starts, ends, "Knowledge", m.start, m.end):
                        pred["Knowledge"].add(sp)
            if tagger is not None:
                for sp, _c in tagger.tag(text):
                    layer = "Knowledge" if sp.type == "Tech Tools" else "Skill"
                    skill_type = sp.type in ("Tech Tools", "Job Specific Skills", "Soft Skills")
                    if skill_type and (tok := _to_tokens(starts, ends, layer, sp.start, sp.end)):
                        pred[layer].add(tok)
            gold = {
                "Knowledge": [Span("Knowledge", s.start, s.end) for s in spans_from_tags(know)],
                "Skill": [Span("Skill", s.start, s.end) for s in spans_from_tags(skill)],
            }
            for layer, scorer in scorers.items():
                scorer.add(gold[layer], pred[layer])
    result = {
        layer: sc.result()["micro"] | {"support": sum(sc.gold.values())} for layer, sc in scorers.items()
    }
    if args.json:
        print(json.dumps(result))
    else:
        for layer, r in result.items():
            prf = f"P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}"
            print(f"{layer:10s} {prf}  gold {r['support']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
