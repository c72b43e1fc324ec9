#!/usr/bin/env python
"""Chinese CRF tagging speed: sentences per second, the tagger as loaded (every member present) against base alone.

    taskset -c 0 .venv/bin/python benchmarks/bench_zh_tagger.py [--data ../shared/data] [--repeat 5]

Tags every sentence of ResumeNER dev (text only; labels are not read) ``--repeat`` times per tagger, the two
taggers alternating, after one warm-up pass, and prints the median CPU-time rate of each (on a shared machine
the CPU time is the one-core figure). With the shipped folder (base only) both rows time the same CRF; put the
ensemble members (`train_parser.py`'s ZH_PROFILES) into the folder to time the ensemble against its base member
(same features, same training data). Without the shared data it falls back to invented sentences.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ai_identity.features.resume.crf_zh import ZhTagger  # noqa: E402
from ai_identity.features.resume.parser import MODEL_DIR  # noqa: E402

INVENTED = [
    "林小舟，男，中国国籍，无境外居留权，本科学历，高级工程师。",
    "2015年起任星河软件有限公司副总经理、董事会秘书，现任公司董事、总经理。",
    "陈一帆女士：硕士研究生，曾任青禾科技有限公司财务部经理。",
]


def sentences(data: Path) -> list[str]:
    dev = data / "resumener-zh" / "dev.char.bmes"
    if dev.is_file():
        from ai_identity.features.resume.corpus import read_bmes

        return [text for text, _tags in read_bmes(dev)]
    return INVENTED * 150


def rate(tagger: ZhTagger, texts: list[str]) -> float:
    c0 = time.process_time()
    for t in texts:
        tagger.tag(t)
    return len(texts) / max(time.process_time() - c0, 1e-9)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    texts = sentences(args.data)
    ensemble = ZhTagger(MODEL_DIR)
    base = ZhTagger(MODEL_DIR)
    base._members = base._members[:1]
    rates: dict[str, list[float]] = {"as loaded": [], "base member alone": []}
    rate(ensemble, texts)
    rate(base, texts)
    for _ in range(args.repeat):
        rates["as loaded"].append(rate(ensemble, texts))
        rates["base member alone"].append(rate(base, texts))
    chars = sum(len(t) for t in texts) / len(texts)
    print(f"{len(texts)} sentences, {chars:.0f} characters on average; {len(ensemble._members)} members")
    for name, values in rates.items():
        low, high = min(values), max(values)
        print(
            f"{name:<18} median {statistics.median(values):8.1f} sentences/s (CPU time; {low:.0f}-{high:.0f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
