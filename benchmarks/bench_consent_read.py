"""Benchmark: what reading by consent costs a build (issue 6, enforcement at collection).

    python benchmarks/bench_consent_read.py --baseline-src /path/to/other/checkout/src --users 1000 --repeats 3

Times ``build`` on one generated platform with this tree and with a baseline source tree (e.g. the commit
before consent-scoped reads), alternating runs so both see the same machine load, and the collector's masking
of free text (``collect.mask_personal``) against a full resume parse on the same texts. Prints medians as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

BUILD = """
import json, shutil, sys, time
from pathlib import Path
from ai_identity.pipeline import build
root = Path(sys.argv[1])
shutil.rmtree(root / 'identity', ignore_errors=True)
t = time.perf_counter()
s = build(root)
print(json.dumps({'seconds': time.perf_counter() - t, 'built': s.built}))
"""

MASK = """
import json, sqlite3, statistics, sys, time
from pathlib import Path
from ai_identity.collect import mask_personal
from ai_identity.features.resume.parser import parse_resume
texts = [t for p in sorted((Path(sys.argv[1]) / 'users').glob('*.sqlite'))[:200]
         for (t,) in sqlite3.connect(p).execute('SELECT content FROM resume_content') if t]
mask_personal(texts[0]); parse_resume(texts[0])
out = {'texts': len(texts)}
for name, fn in (('mask_ms', mask_personal), ('parse_ms', parse_resume)):
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        for x in texts:
            fn(x)
        runs.append((time.perf_counter() - t) / len(texts) * 1000)
    out[name] = round(statistics.median(runs), 2)
print(json.dumps(out))
"""


def run(code: str, src: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline-src", type=Path, required=True, help="src/ folder of the baseline checkout")
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(
            [sys.executable, "-m", "ai_identity", "generate", "--users", str(args.users), "--seed", str(args.seed),
             "--out", str(base)],
            env={**os.environ, "PYTHONPATH": str(SRC)}, check=True, capture_output=True,
        )  # fmt: skip
        mine = Path(tmp) / "mine"
        shutil.copytree(base, mine)
        times: dict[str, list[float]] = {"baseline": [], "consent_reads": []}
        for _ in range(args.repeats):
            times["baseline"].append(run(BUILD, args.baseline_src, str(base))["seconds"])
            times["consent_reads"].append(run(BUILD, SRC, str(mine))["seconds"])
        result = {
            "users": args.users,
            "repeats": args.repeats,
            "build_seconds_median": {k: round(statistics.median(v), 2) for k, v in times.items()},
            "build_seconds_runs": {k: [round(x, 2) for x in v] for k, v in times.items()},
            "masking": run(MASK, SRC, str(mine)),
            "load_average": os.getloadavg(),
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
