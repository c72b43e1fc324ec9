"""Human evaluation (the seed's 人工评估): a stratified sample of identity claims for annotators, and the
agreement of their labels read back.

Method. Sampling: each identity's stratum (e.g. industry x language) is read in SQL (``json_extract``); ``n``
identities are drawn without replacement, allocated to strata in proportion to their size (largest remainder,
at least one per stratum while ``n`` allows), with a seeded generator so a sample can be redrawn. Each sampled
identity contributes its single-valued claims (profile, career, behavior, AI preferences) and its top skills,
with the evidence (store, record, field; never the quoted value) an annotator needs to check them; the
sensitive ``personal`` tier is never exported. Agreement: every annotator file holds the same ``item_id`` rows
with a ``label`` (``correct`` / ``incorrect`` / ``unsure``); accuracy per claim type is the share of ``correct``
among decided labels pooled over annotators; agreement is Cohen's kappa (scikit-learn) for two annotators and
Krippendorff's alpha (``krippendorff``, nominal) for more, over the items every annotator labelled.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ai_identity.errors import ConfigError, UsageError

STRATA = {
    "industry": "$.profile.industry.value",
    "language": "$.profile.language.value",
    "seniority": "$.career.seniority.value",
    "activity": "$.behavior.activity_level.value",
}
FACETS = ("profile", "career", "behavior", "ai_preferences")
LABELS = ("correct", "incorrect", "unsure")
COLUMNS = ("item_id", "user_id", "stratum", "claim_type", "value", "confidence", "evidence", "label", "note")
TOP_SKILLS = 3


def _allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    total = sum(sizes.values())
    if total == 0 or n <= 0:
        return {k: 0 for k in sizes}
    n = min(n, total)
    floor = {k: min(v, max(1 if n >= len(sizes) else 0, int(n * v / total))) for k, v in sizes.items()}
    rest = n - sum(floor.values())
    order = sorted(sizes, key=lambda k: n * sizes[k] / total - int(n * sizes[k] / total), reverse=True)
    while rest > 0:
        moved = False
        for k in order:
            if rest and floor[k] < sizes[k]:
                floor[k] += 1
                rest -= 1
                moved = True
        if not moved:
            break
    while rest < 0:  # minimums pushed us over: take back from the largest strata
        k = max(floor, key=lambda s: floor[s])
        floor[k] -= 1
        rest += 1
    return floor


def _claims(doc: dict[str, Any]) -> list[tuple[str, Any, float, list[dict[str, Any]]]]:
    out = []
    for facet in FACETS:
        claims = doc.get(facet) or {}
        for name, claim in claims.items():
            if isinstance(claim, dict) and "value" in claim and "evidence" in claim:
                out.append((f"{facet}.{name}", claim["value"], claim["confidence"], claim["evidence"]))
    for s in sorted(doc.get("skills") or [], key=lambda s: -s.get("score", 0))[:TOP_SKILLS]:
        out.append(("skills", f"{s['name_en']} ({s['level']})", s["confidence"], s["evidence"]))
    return out


def _evidence_text(evidence: list[dict[str, Any]]) -> str:
    return "; ".join(f"{e['source']}:{e['store']}:{e['record']}:{e['field']}" for e in evidence[:5])


def sample_claims(store: Path, n: int, stratify: list[str], seed: int = 0) -> list[dict[str, Any]]:
    """Rows for annotators: the claims of ``n`` identities drawn by stratum."""
    unknown = [s for s in stratify if s not in STRATA]
    if unknown:
        raise UsageError(f"--stratify: unknown key {unknown[0]!r}; expected some of {', '.join(STRATA)}")
    if n < 1:
        raise UsageError("--n: expected a positive number of identities")
    if not store.exists():
        raise UsageError(f"--platform: no identity store at {store.name}; run `ai-identity build` first")
    cols = ", ".join(f"coalesce(json_extract(document, '{STRATA[s]}'), '?')" for s in stratify) or "'all'"
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = con.execute(
            f"SELECT user_id, {cols} FROM identities WHERE json_extract(document, '$.stub') = 0 "
            "ORDER BY user_id"
        ).fetchall()
        by: dict[str, list[int]] = {}
        for r in rows:
            by.setdefault(" / ".join(str(v) for v in r[1:]), []).append(r[0])
        rng = random.Random(seed)
        picked: list[tuple[int, str]] = []
        for stratum, k in sorted(_allocate({s: len(v) for s, v in by.items()}, n).items()):
            picked += [(uid, stratum) for uid in rng.sample(by[stratum], k)]
        out: list[dict[str, Any]] = []
        for uid, stratum in sorted(picked):
            doc = json.loads(
                con.execute("SELECT document FROM identities WHERE user_id = ?", (uid,)).fetchone()[0]
            )
            for ctype, value, conf, ev in _claims(doc):
                out.append(
                    {
                        "item_id": f"{uid}:{ctype}:{len(out)}",
                        "user_id": uid,
                        "stratum": stratum,
                        "claim_type": ctype,
                        "value": value
                        if isinstance(value, str | int | float)
                        else json.dumps(value, ensure_ascii=False),
                        "confidence": conf,
                        "evidence": _evidence_text(ev),
                        "label": "",
                        "note": "",
                    }
                )
        return out
    finally:
        con.close()


def write_sample(rows: list[dict[str, Any]], out: Path) -> None:
    """CSV (spreadsheet-friendly) or JSONL, by the file's suffix."""
    if out.suffix.lower() == ".jsonl":
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return
    if out.suffix.lower() != ".csv":
        raise UsageError("--out: expected a file ending in .csv or .jsonl")
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    """item_id -> (claim_type, label) from one annotator's CSV or JSONL."""
    try:
        if path.suffix.lower() == ".jsonl":
            rows = [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
        else:
            with path.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path.name}: cannot read annotations: {exc}") from exc
    out = {}
    for i, r in enumerate(rows, 1):
        label = str(r.get("label") or "").strip().lower()
        if "item_id" not in r or "claim_type" not in r:
            raise ConfigError(f"{path.name}: row {i} lacks item_id or claim_type")
        if label and label not in LABELS:
            raise ConfigError(f"{path.name}: row {i} label: expected one of {', '.join(LABELS)}")
        if label:
            out[str(r["item_id"])] = (str(r["claim_type"]), label)
    return out


@dataclass
class Agreement:
    annotators: int
    items: int  # labelled by every annotator
    statistic: str  # "cohen_kappa" or "krippendorff_alpha"
    value: float | None
    accuracy: dict[str, float] = field(default_factory=dict)  # claim type -> share correct among decided
    overall_accuracy: float | None = None


def agreement(files: list[Path]) -> Agreement:
    """Accuracy per claim type and inter-annotator agreement over two or more annotation files."""
    if len(files) < 2:
        raise UsageError("FILES: expected two or more annotators' files")
    labels = [read_labels(p) for p in files]
    common = sorted(set.intersection(*(set(x) for x in labels)))
    correct: dict[str, list[int]] = {}
    for lab in labels:
        for ctype, label in lab.values():
            if label != "unsure":
                correct.setdefault(ctype, []).append(int(label == "correct"))
    acc = {k: sum(v) / len(v) for k, v in sorted(correct.items())}
    decided = [x for v in correct.values() for x in v]
    code = {lab: i for i, lab in enumerate(LABELS)}
    value: float | None = None
    if len(files) == 2:
        from sklearn.metrics import cohen_kappa_score

        stat = "cohen_kappa"
        if common:
            a = [labels[0][i][1] for i in common]
            b = [labels[1][i][1] for i in common]
            value = 1.0 if a == b else float(cohen_kappa_score(a, b))
    else:
        import krippendorff

        stat = "krippendorff_alpha"
        items = sorted(set().union(*(set(x) for x in labels)))
        data = [[code[lab[i][1]] if i in lab else float("nan") for i in items] for lab in labels]
        if common:
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return Agreement(
        len(files), len(common), stat, value, acc, sum(decided) / len(decided) if decided else None
    )
