#!/usr/bin/env python
"""Reproduce every model file the resume parser ships, from the shared data, with fixed seeds.

    .venv/bin/python scripts/train_parser.py all  [--data ../shared/data] [--out src/ai_identity/data/models]
    .venv/bin/python scripts/train_parser.py zh   # crf_zh.crfsuite + zh_lexicon.json  (ResumeNER train split)
    .venv/bin/python scripts/train_parser.py en   # crf_en.crfsuite + en_lexicon.json  (dotin train_cvs/)

Only training material is read: ResumeNER train.char.bmes, the title lists of zh-resume-samples/lists and the
dotin train_cvs/ folder. The dev split and the set-aside cvs/ are for `ai-identity eval-parser` only.
CRFsuite's L-BFGS is deterministic for a given feature order; fold assignment uses seed 13.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ai_identity.features.resume import corpus, crf_en, crf_zh  # noqa: E402

ZH_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 150}
EN_PARAMS = {"c1": 0.3, "c2": 0.3, "max_iterations": 100}


def train_zh(data: Path, out: Path) -> None:
    sentences = corpus.read_bmes(data / "resumener-zh" / "train.char.bmes")
    lists = data / "zh-resume-samples" / "lists"
    titles = [
        line.strip()
        for name in ("Roles.txt", "RolesKeywords.txt")
        for line in (lists / name).read_text("utf-8").splitlines()
        if line.strip()
    ]
    t0 = time.time()
    crf_zh.train(sentences, out, crf_zh.base_lexicon(titles), **ZH_PARAMS)
    print(f"zh: {len(sentences)} sentences, {time.time() - t0:.0f} s -> {out / crf_zh.MODEL_NAME}")


def train_en(data: Path, out: Path) -> None:
    docs = [
        (text, spans)
        for _n, text, spans in corpus.read_tagged_xml_dir(data / "dotin-resumes-en" / "train_cvs")
    ]
    t0 = time.time()
    crf_en.train(docs, out, **EN_PARAMS)
    print(f"en: {len(docs)} CVs, {time.time() - t0:.0f} s -> {out / crf_en.MODEL_NAME}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", choices=["zh", "en", "all"])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "ai_identity" / "data" / "models")
    args = ap.parse_args()
    if args.which in ("zh", "all"):
        train_zh(args.data, args.out)
    if args.which in ("en", "all"):
        train_en(args.data, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
