"""``evaluate``: scores built identities against the generator's ground truth, next to a naive baseline.

Facet scores (each in 0..1; ``overall`` is their unweighted mean):
- skills_f1: micro F1 over (user, canonical skill) pairs; skill_level: level accuracy on matched pairs;
- years: share of users whose total experience is within 1 year of the truth (MAE reported too);
- title: current title equals the true latest title (case/space-insensitive); seniority: accuracy;
- peak_hour: the first predicted peak hour is one of the true top-3 local hours;
- weekday: weekly pattern (workweek / weekend / all_week) accuracy;
- device: primary device accuracy;
- community: adjusted Rand index between predicted and true communities (users with a network facet);
- preferences: mean accuracy of language, assistance level, tone and notification time.
Baseline: structured fields copied as stored (resume_skills and their levels, profile experience years, the
platform's parsed latest title, stated settings), the most frequent true class elsewhere, one community.
Personalization: per user, 20% of sessions and 20% of resume lines are held out (SHA-256 choices); probes built
from the held-out slice only are matched against profiles built without it (``personalization.py``,
``analyse/fingerprint.py``); the share whose own profile ranks first is reported (the seed's 个性化程度).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

from ai_identity.analyse.career import normalize_title
from ai_identity.errors import UsageError
from ai_identity.model.identity import Identity
from ai_identity.sources.embedded import layout as L

FACETS = (
    "skills_f1",
    "skill_level",
    "years",
    "title",
    "seniority",
    "peak_hour",
    "weekday",
    "device",
    "community",
    "preferences",
)
PREF_FIELDS = ("language", "assistance_level", "tone", "notification_time")


@dataclass
class Evaluation:
    facets: dict[str, float]
    details: dict[str, Any]
    baseline_facets: dict[str, float]
    personalization: float | None
    users: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> float:
        return round(float(np.mean([self.facets[f] for f in FACETS])), 4)

    @property
    def baseline(self) -> float:
        return round(float(np.mean([self.baseline_facets[f] for f in FACETS])), 4)

    def as_dict(self) -> dict[str, Any]:
        return {
            "facets": self.facets,
            "overall": self.overall,
            "baseline": self.baseline,
            "baseline_facets": self.baseline_facets,
            "personalization": self.personalization,
            "users": self.users,
            "details": self.details,
            **self.extra,
        }


def load_truth(platform: Path) -> dict[int, dict[str, Any]]:
    path = Path(platform) / L.TRUTH_DIR / "users.jsonl.gz"
    if not path.exists():
        raise UsageError(
            f"--platform: no ground truth at {L.TRUTH_DIR}/users.jsonl.gz (only generated platforms have one)"
        )
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {d["person"]["user_id"]: d for d in map(json.loads, f)}


def _years(truth: dict[str, Any], as_of: datetime) -> float:
    total = 0
    for j in truth["person"]["jobs"]:
        s = datetime.fromisoformat(j["start"]).date()
        e = datetime.fromisoformat(j["end"]).date() if j["end"] else as_of.date()
        total += (e - s).days
    return total / 365.25


def _val(d: Any, k: str) -> Any:
    c = d.get(k)
    return c.value if c is not None and hasattr(c, "value") else None


def score(
    identities: list[Identity], truth: dict[int, dict[str, Any]]
) -> tuple[dict[str, float], dict[str, Any]]:
    tp = fp = fn = 0
    lvl_ok = lvl_n = 0
    yrs_ok, yrs_err = [], []
    title_ok, sen_ok, peak_ok, wk_ok, dev_ok = [], [], [], [], []
    pref_ok: dict[str, list[bool]] = {f: [] for f in PREF_FIELDS}
    comm_pred, comm_true = [], []
    for ident in identities:
        t = truth.get(ident.user["platform_id"])
        if t is None or ident.stub:
            continue
        true_sk = {s["skill_id"]: s["level"] for s in t["person"]["skills"]}
        pred_sk = {s.skill_id: s.level for s in ident.skills}
        hit = set(true_sk) & set(pred_sk)
        tp, fp, fn = tp + len(hit), fp + len(set(pred_sk) - hit), fn + len(set(true_sk) - hit)
        lvl_n += len(hit)
        lvl_ok += sum(true_sk[s] == pred_sk[s] for s in hit)
        ty = _years(t, ident.as_of)
        py = _val(ident.career, "total_years")
        yrs_ok.append(py is not None and abs(py - ty) <= 1.0)
        if py is not None:
            yrs_err.append(abs(py - ty))
        last = t["person"]["jobs"][-1]
        title_ok.append(
            normalize_title(_val(ident.career, "current_title")) == normalize_title(last["title"])
        )
        sen_ok.append(_val(ident.career, "seniority") == last["seniority"])
        b = t["behavior"]
        peaks = _val(ident.behavior, "peak_hours") or []
        peak_ok.append(bool(peaks) and peaks[0] in b["peak_hours"])
        wk_ok.append(_val(ident.behavior, "weekly_pattern") == b["weekly_pattern"])
        dev_ok.append(_val(ident.behavior, "primary_device") == b["primary_device"])
        for f in PREF_FIELDS:
            pref_ok[f].append(_val(ident.ai_preferences, f) == t["preferences"][f])
        comm = _val(ident.network, "community")
        if comm is not None:
            comm_pred.append(comm["id"])
            comm_true.append(t["community"])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    mean = lambda xs: round(float(np.mean(xs)), 4) if xs else 0.0  # noqa: E731
    facets = {
        "skills_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "skill_level": round(lvl_ok / lvl_n, 4) if lvl_n else 0.0,
        "years": mean(yrs_ok),
        "title": mean(title_ok),
        "seniority": mean(sen_ok),
        "peak_hour": mean(peak_ok),
        "weekday": mean(wk_ok),
        "device": mean(dev_ok),
        "community": round(float(adjusted_rand_score(comm_true, comm_pred)), 4)
        if len(comm_true) > 1
        else 0.0,
        "preferences": mean([x for f in PREF_FIELDS for x in pref_ok[f]]),
    }
    details = {
        "skills_precision": round(p, 4),
        "skills_recall": round(r, 4),
        "years_mae": mean(yrs_err),
        "preferences_by_field": {f: mean(v) for f, v in pref_ok.items()},
        "community_users": len(comm_true),
    }
    return facets, details


def baseline(platform: Path, truth: dict[int, dict[str, Any]], ids: list[int]) -> dict[str, float]:
    """The naive baseline (see module docstring), read straight from the platform's tables."""
    import sqlite3

    from ai_identity.features.taxonomy import load_taxonomy

    tax = load_taxonomy()
    con = sqlite3.connect(f"file:{Path(platform) / L.PLATFORM_DB}?mode=ro", uri=True)
    names = dict(con.execute("SELECT id, name FROM skills"))
    owner = dict(con.execute("SELECT id, user_id FROM resumes"))
    pred: dict[int, dict[str, str]] = {}
    for rid, sid, prof in con.execute("SELECT resume_id, skill_id, proficiency_level FROM resume_skills"):
        e = tax.lookup(names.get(sid, ""))
        if e is not None and rid in owner:
            pred.setdefault(owner[rid], {})[e.id] = prof
    years = dict(con.execute("SELECT user_id, experience_years FROM user_profiles"))
    stated = {
        uid: (lang, level, json.loads(theme or "{}").get("ai_tone"), json.loads(notify or "{}").get("time"))
        for uid, lang, level, theme, notify in con.execute(
            "SELECT user_id, language, ai_assistance_level, theme_preferences, notification_preferences FROM user_settings"
        )
    }
    tp = fp = fn = lvl_ok = lvl_n = 0
    yrs: list[bool] = []
    title: list[bool] = []
    prefs: list[bool] = []
    as_of = datetime.fromisoformat(
        json.loads((Path(platform) / L.META_FILE).read_text())["as_of"].replace("Z", "+00:00")
    )
    for uid in ids:
        t = truth[uid]
        true_sk = {s["skill_id"]: s["level"] for s in t["person"]["skills"]}
        p = pred.get(uid, {})
        hit = set(true_sk) & set(p)
        tp, fp, fn = tp + len(hit), fp + len(set(p) - hit), fn + len(set(true_sk) - hit)
        lvl_n += len(hit)
        lvl_ok += sum(true_sk[s] == p[s] for s in hit)
        y = years.get(uid)
        yrs.append(y is not None and abs(y - _years(t, as_of)) <= 1.0)
        title.append(_platform_title(platform, uid) == normalize_title(t["person"]["jobs"][-1]["title"]))
        s = stated.get(uid, (None,) * 4)
        prefs.extend(a == t["preferences"][f] for a, f in zip(s, PREF_FIELDS, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0

    def most_frequent(get: Any) -> float:
        values = [get(truth[u]) for u in ids]
        return Counter(values).most_common(1)[0][1] / len(values) if values else 0.0

    mean = lambda xs: round(float(np.mean(xs)), 4) if xs else 0.0  # noqa: E731
    return {
        "skills_f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0,
        "skill_level": round(lvl_ok / lvl_n, 4) if lvl_n else 0.0,
        "years": mean(yrs),
        "title": mean(title),
        "seniority": round(most_frequent(lambda t: t["person"]["jobs"][-1]["seniority"]), 4),
        "peak_hour": round(most_frequent(lambda t: t["behavior"]["peak_hours"][0]), 4),
        "weekday": round(most_frequent(lambda t: t["behavior"]["weekly_pattern"]), 4),
        "device": round(most_frequent(lambda t: t["behavior"]["primary_device"]), 4),
        "community": 0.0,
        "preferences": mean(prefs),
    }


def _platform_title(platform: Path, uid: int) -> str:
    import sqlite3

    path = L.user_db_path(Path(platform), uid)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = con.execute(
            "SELECT work_experience FROM parsed_resume_data ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        con.close()
    except sqlite3.DatabaseError:
        return ""
    work = json.loads(row[0]) if row and row[0] else []
    return normalize_title(work[-1].get("title")) if work else ""


def evaluate(platform: Path, with_personalization: bool = True) -> Evaluation:
    from ai_identity.store.identities import IdentityStore, default_path

    truth = load_truth(platform)
    path = default_path(platform)
    if not path.exists():
        raise UsageError(f"--platform: no identity store under {platform} (run `ai-identity build` first)")
    store = IdentityStore(path)
    identities = [i for i in store.all() if i.user["platform_id"] in truth]
    store.close()
    facets, details = score(identities, truth)
    ids = [i.user["platform_id"] for i in identities if not i.stub]
    base = baseline(platform, truth, ids)
    pers = None
    if with_personalization:
        from ai_identity.personalization import personalization

        pers = personalization(platform, ids)
    return Evaluation(facets, details, base, pers, len(ids))
