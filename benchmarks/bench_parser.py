#!/usr/bin/env python
"""Resume parser throughput on one core: resumes per second for text resumes.

    taskset -c 0 .venv/bin/python benchmarks/bench_parser.py [--data ../shared/data] [--repeat 3]

Wall-clock and CPU-time rates are both printed: on a shared machine the CPU-time rate is the one-core
figure. Parses every Chinese sample (zh-resume-samples/txt) and every set-aside English CV (dotin cvs/, tags
stripped) ``--repeat`` times after one warm-up pass (model loading is not timed). Without the shared data it
falls back to the hand-written resumes of the unit tests, so the script always runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from ai_identity.features.resume import parse_resume  # noqa: E402
from ai_identity.features.resume.corpus import read_tagged_xml_dir  # noqa: E402


def load(data: Path) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    zh = data / "zh-resume-samples" / "txt"
    if zh.is_dir():
        sets["zh"] = [p.read_text("utf-8", errors="replace") for p in sorted(zh.glob("*.txt"))]
    en = data / "dotin-resumes-en" / "cvs"
    if en.is_dir():
        sets["en"] = [text for _n, text, _s in read_tagged_xml_dir(en)]
    if not sets:
        from test_resume_parse import EN_RESUME, NO_HEADER_ZH, ZH_RESUME

        sets["builtin"] = [ZH_RESUME, EN_RESUME, NO_HEADER_ZH] * 20
    return sets


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    total_n, total_s, total_c = 0, 0.0, 0.0
    for name, texts in load(args.data).items():
        for t in texts:  # warm-up: loads the models and compiles the patterns
            parse_resume(t)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            for t in texts:
                parse_resume(t)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        n = len(texts) * args.repeat
        chars = sum(map(len, texts)) / len(texts)
        print(
            f"{name:8s} {n:5d} resumes  {n / secs:8.1f} /s wall  {n / cpu:8.1f} /s CPU  (mean {chars:.0f} chars)"
        )
        total_n, total_s, total_c = total_n + n, total_s + secs, total_c + cpu
    print(
        f"{'all':8s} {total_n:5d} resumes  {total_n / total_s:8.1f} /s wall  {total_n / total_c:8.1f} /s CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
