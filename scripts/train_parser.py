#!/usr/bin/env python
"""Reproduce every model file the resume parser ships, from the shared data, with fixed seeds.

    .venv/bin/python scripts/train_parser.py all  [--data ../shared/data] [--out src/ai_identity/data/models]
    .venv/bin/python scripts/train_parser.py zh   # crf_zh.crfsuite + zh_lexicon.json  (ResumeNER train split)
    .venv/bin/python scripts/train_parser.py en   # crf_en.crfsuite + en_lexicon.json  (dotin train_cvs/)
    .venv/bin/python scripts/train_parser.py en --holdout 60 --out /tmp/en_ho
        # tuning run: train on 250 training CVs, score the other 60 (seed-13 shuffle) — never on cvs/
    .venv/bin/python scripts/train_parser.py en --cv 5 --jobs 2 --out /tmp/en_cv
        # 5-fold cross-validation on the 310 training CVs: fold models in /tmp/en_cv/fold{k}, pooled scores
    .venv/bin/python scripts/train_parser.py en --cv 5 --score-only --out /tmp/en_cv   # re-score (rule changes)

Only training material is read: ResumeNER train.char.bmes, the title lists of zh-resume-samples/lists and the
dotin train_cvs/ folder. The dev split and the set-aside cvs/ are for `ai-identity eval-parser` only.
CRFsuite's L-BFGS is deterministic for a given feature order; fold assignment uses seed 13.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ai_identity.features.resume import corpus, crf_en, crf_zh  # noqa: E402

ZH_PARAMS = {"c1": 0.02, "c2": 0.02, "max_iterations": 100}
# Shipped: the base CRF alone. The three-member ensemble (all of crf_zh.PROFILES) scored 0.9367 against 0.9360 in
# 4-fold CV on train but tags 6.5 times slower, which takes Chinese resumes below 100/s (docs/parser.md).
ZH_PROFILES = ("base",)
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
    lexicon = crf_zh.base_lexicon(titles)
    # ensemble members are independent CRFs: one process each (the same files as training them in turn)
    with ProcessPoolExecutor(max_workers=min(len(ZH_PROFILES), os.cpu_count() or 1)) as pool:
        jobs = [
            pool.submit(crf_zh.train, sentences, out, lexicon, profiles=(p,), **ZH_PARAMS)
            for p in ZH_PROFILES
        ]
        for job in jobs:
            job.result()
    members = ", ".join(crf_zh.model_file(p) for p in ZH_PROFILES)
    print(f"zh: {len(sentences)} sentences, {time.time() - t0:.0f} s -> {out} ({members})")


HOLDOUT_SEED = 13


def split_holdout(docs: list, n: int) -> tuple[list, list]:
    """(train, hold-out): the last ``n`` CVs of a seed-13 shuffle of the file-name order are held out."""
    order = list(range(len(docs)))
    random.Random(HOLDOUT_SEED).shuffle(order)
    held = set(order[len(docs) - n :]) if n else set()
    return [d for i, d in enumerate(docs) if i not in held], [d for i, d in enumerate(docs) if i in held]


def train_en(data: Path, out: Path, holdout: int = 0) -> None:
    docs = [
        (text, spans)
        for _n, text, spans in corpus.read_tagged_xml_dir(data / "dotin-resumes-en" / "train_cvs")
    ]
    docs, held = split_holdout(docs, holdout)
    t0 = time.time()
    crf_en.train(docs, out, **EN_PARAMS)
    print(f"en: {len(docs)} CVs, {time.time() - t0:.0f} s -> {out / crf_en.MODEL_NAME}")
    if held:
        print_scores(score_en(out, held))


def score_en(model_dir: Path, held: list, scorer=None) -> dict:
    from ai_identity.features.resume.evaluate import SpanScorer

    tagger = crf_en.EnTagger(model_dir)
    scorer = scorer or SpanScorer()
    for text, spans in held:
        scorer.add(spans, [sp for sp, _c in tagger.tag(text)])
    return scorer.result()


def cv_folds(docs: list, k: int) -> list[tuple[list, list]]:
    """(train, test) per fold: a seed-13 shuffle of the file-name order dealt round-robin into ``k`` folds."""
    order = list(range(len(docs)))
    random.Random(HOLDOUT_SEED).shuffle(order)
    fold = {idx: n % k for n, idx in enumerate(order)}
    return [
        ([d for i, d in enumerate(docs) if fold[i] != f], [d for i, d in enumerate(docs) if fold[i] == f])
        for f in range(k)
    ]


def _train_fold(job: tuple[list, Path]) -> None:
    docs, out = job
    crf_en.train(docs, out, **EN_PARAMS)


def cv_en(data: Path, out: Path, k: int, jobs: int, score_only: bool) -> None:
    """K-fold cross-validation on the training CVs; scores pooled over the folds."""
    from multiprocessing import Pool

    from ai_identity.features.resume.evaluate import SpanScorer

    docs = [(t, s) for _n, t, s in corpus.read_tagged_xml_dir(data / "dotin-resumes-en" / "train_cvs")]
    folds = cv_folds(docs, k)
    if not score_only:
        t0 = time.time()
        with Pool(jobs) as pool:
            pool.map(_train_fold, [(tr, out / f"fold{f}") for f, (tr, _te) in enumerate(folds)])
        print(f"en cv: {k} folds, {time.time() - t0:.0f} s -> {out}/fold*")
    scorer = SpanScorer()
    for f, (_tr, te) in enumerate(folds):
        score_en(out / f"fold{f}", te, scorer)
    print_scores(scorer.result())


def print_scores(result: dict) -> None:
    print(f"{'type':<22} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for typ, s in result["per_type"].items():
        print(f"{typ:<22} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['support']:5d}")
    for typ, s in result.get("combined", {}).items():
        print(f"{typ:<22} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['support']:5d}")
    m = result["micro"]
    print(f"{'micro':<22} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", choices=["zh", "en", "all"])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "ai_identity" / "data" / "models")
    ap.add_argument(
        "--holdout", type=int, default=0, help="en: hold out this many training CVs and score them (tuning)"
    )
    ap.add_argument(
        "--score-only", action="store_true", help="en: score the hold-out with the model already in --out"
    )
    ap.add_argument("--cv", type=int, default=0, help="en: K-fold cross-validation on the training CVs")
    ap.add_argument("--jobs", type=int, default=1, help="--cv: folds trained in parallel")
    args = ap.parse_args()
    if args.cv:
        cv_en(args.data, args.out, args.cv, args.jobs, args.score_only)
        return 0
    if args.score_only:
        docs = [
            (t, s) for _n, t, s in corpus.read_tagged_xml_dir(args.data / "dotin-resumes-en" / "train_cvs")
        ]
        print_scores(score_en(args.out, split_holdout(docs, args.holdout or 60)[1]))
        return 0
    if args.which in ("zh", "all"):
        train_zh(args.data, args.out)
    if args.which in ("en", "all"):
        train_en(args.data, args.out, args.holdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
