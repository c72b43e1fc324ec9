"""Human evaluation: stratified claim sampling and inter-annotator agreement against hand-computed values."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from ai_identity.cli import main
from ai_identity.errors import UsageError
from ai_identity.quality.human import _allocate, agreement, sample_claims
from ai_identity.store.identities import SCHEMA

EVIDENCE = [
    {
        "source": "mysql",
        "store": "user_profiles",
        "record": "user_id=1",
        "field": "industry",
        "quote": "SECRET-VALUE",
    }
]


def _doc(uid: int, industry: str, lang: str) -> dict:
    claim = {"value": industry, "confidence": 0.8, "visibility": "public", "evidence": EVIDENCE}
    return {
        "stub": False,
        "profile": {"industry": claim, "language": {**claim, "value": lang}},
        "personal": {"email": {**claim, "value": "someone@example.com"}},
        "career": {"seniority": {**claim, "value": "mid"}, "history": []},
        "behavior": {},
        "ai_preferences": {},
        "skills": [
            {"name_en": "Python", "level": "advanced", "score": 0.9, "confidence": 0.9, "evidence": EVIDENCE}
        ],
        "user": {"platform_id": uid},
    }


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "identity" / "identities.sqlite"
    path.parent.mkdir()
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    strata = [("internet", "zh")] * 6 + [("retail", "en")] * 3 + [("gaming", "en")]
    for uid, (ind, lang) in enumerate(strata, 1):
        con.execute(
            "INSERT INTO identities VALUES (?, 1, 'h', 't', 't', 0, ?)",
            (uid, json.dumps(_doc(uid, ind, lang))),
        )
    con.commit()
    con.close()
    return path


def test_allocation_is_proportional_with_one_per_stratum() -> None:
    assert _allocate({"a": 6, "b": 3, "c": 1}, 5) == {"a": 3, "b": 1, "c": 1}
    assert sum(_allocate({"a": 50, "b": 30, "c": 20}, 10).values()) == 10
    assert _allocate({"a": 2}, 10) == {"a": 2}


def test_when_sampling_then_every_stratum_is_drawn_and_no_value_of_evidence_leaks(store: Path) -> None:
    rows = sample_claims(store, 5, ["industry", "language"], seed=1)
    users = {r["user_id"]: r["stratum"] for r in rows}
    assert sorted(users.values()).count("internet / zh") == 3 and len(users) == 5
    assert {"gaming / en", "retail / en"} <= set(users.values())
    text = json.dumps(rows)
    assert "SECRET-VALUE" not in text and "someone@example.com" not in text and "personal" not in text
    assert {r["claim_type"] for r in rows} == {
        "profile.industry",
        "profile.language",
        "career.seniority",
        "skills",
    }


def test_when_stratify_key_is_unknown_then_usage_error(store: Path) -> None:
    with pytest.raises(UsageError, match="--stratify"):
        sample_claims(store, 5, ["shoe_size"])


def test_sample_cli_writes_csv(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    platform = store.parent.parent
    assert main(["quality", "sample", "--platform", str(platform), "--n", "4", "--out", str(out)]) == 0
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["user_id"] for r in rows}) == 4 and rows[0]["label"] == ""


def _labels(path: Path, labels: list[str], types: list[str] | None = None) -> Path:
    types = types or ["profile.industry"] * len(labels)
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["item_id", "claim_type", "label"])
        w.writeheader()
        for i, (lab, t) in enumerate(zip(labels, types, strict=True)):
            w.writerow({"item_id": f"i{i}", "claim_type": t, "label": lab})
    return path


def test_cohen_kappa_matches_the_hand_computed_value(tmp_path: Path) -> None:
    # po = 8/10; both annotators' marginals are correct 7, incorrect 2, unsure 1 -> pe = 0.54; kappa = 0.26/0.46
    word = {"c": "correct", "i": "incorrect", "u": "unsure"}
    a = _labels(tmp_path / "a.csv", [word[x] for x in "cccccciiuc"])
    b = _labels(tmp_path / "b.csv", [word[x] for x in "ccccciicuc"])
    res = agreement([a, b])
    assert res.statistic == "cohen_kappa" and res.items == 10
    assert res.value == pytest.approx(0.26 / 0.46)
    assert res.accuracy["profile.industry"] == pytest.approx(
        14 / 18
    )  # correct among decided, both annotators


def test_krippendorff_alpha_matches_the_hand_computed_value(tmp_path: Path) -> None:
    # units: (c,c,c) (c,c,i) (i,i,i) (c,i,-): coincidences o_cc=4, o_ci=o_ic=2, o_ii=3; n_c=6, n_i=5, n=11
    # D_o = 4/11, D_e = 2*6*5/(11*10) = 6/11, alpha = 1 - 4/6 = 1/3
    files = []
    for k, labs in enumerate(
        (
            ["correct", "correct", "incorrect", "correct"],
            ["correct", "correct", "incorrect", "incorrect"],
            ["correct", "incorrect", "incorrect", ""],
        )
    ):
        files.append(_labels(tmp_path / f"{k}.csv", labs, ["skills", "skills", "career.seniority", "skills"]))
    res = agreement(files)
    assert res.statistic == "krippendorff_alpha" and res.items == 3
    assert res.value == pytest.approx(1 / 3)
    assert res.accuracy["career.seniority"] == 0.0 and res.accuracy["skills"] == pytest.approx(6 / 8)


def test_agreement_cli_prints_the_statistic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _labels(tmp_path / "a.csv", ["correct", "incorrect"])
    b = _labels(tmp_path / "b.csv", ["correct", "incorrect"])
    assert main(["quality", "agreement", str(a), str(b)]) == 0
    assert "cohen_kappa = 1.000" in capsys.readouterr().out


def test_when_one_file_or_a_bad_label_then_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _labels(tmp_path / "a.csv", ["correct"])
    assert main(["quality", "agreement", str(a)]) == 2
    b = _labels(tmp_path / "b.csv", ["maybe"])
    assert main(["quality", "agreement", str(a), str(b)]) == 2
    assert "label" in capsys.readouterr().err
