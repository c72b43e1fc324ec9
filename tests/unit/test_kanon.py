"""k-anonymous training export: every exported quasi-identifier tuple is shared by >= k rows, suppression
is a last resort, and a generated 2,000-user platform keeps >= 90% of its rows at k = 5."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_identity.cli import main
from ai_identity.errors import UsageError
from ai_identity.privacy.categories import CHINA_MACRO_REGIONS, INDUSTRY_GROUPS, WORLD_REGIONS
from ai_identity.privacy.kanon import QUASI_IDENTIFIERS, anonymise, training_records

_PLACES = [*sorted({*CHINA_MACRO_REGIONS, *WORLD_REGIONS}), "Atlantis"]
_record = st.fixed_dictionaries(
    {
        "pseudonym": st.just("k1:token"),
        "location": st.one_of(st.none(), st.sampled_from(_PLACES)),
        "industry": st.one_of(st.none(), st.sampled_from([*sorted(INDUSTRY_GROUPS), "forestry"])),
        "experience_years": st.one_of(st.none(), st.floats(0, 60, allow_nan=False)),
        "education_level": st.one_of(st.none(), st.sampled_from(["associate", "bachelor", "master", "phd"])),
        "seniority": st.one_of(st.none(), st.sampled_from(["junior", "mid", "senior", "lead"])),
        "top_skills": st.lists(st.sampled_from(["python", "sql", "go", "figma", "rare-skill"]), max_size=5),
    }
)


def _assert_k_anonymous(rows: list[dict], k: int) -> None:
    sizes = Counter(tuple(r[q] for q in QUASI_IDENTIFIERS) for r in rows)
    assert all(n >= k for n in sizes.values()), min(sizes.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(_record, max_size=60), k=st.integers(2, 6))
def test_when_any_records_are_exported_then_every_qi_tuple_appears_at_least_k_times(
    records: list[dict], k: int
) -> None:
    result = anonymise(records, k)
    _assert_k_anonymous(result.rows, k)
    assert len(result.rows) + result.suppressed == len(records)
    if len(records) >= k:
        assert result.suppressed < k  # suppression only of the last few that cannot hide anywhere
    held = Counter(s for r in result.rows for s in set(r["top_skills"]))
    assert all(n >= k for n in held.values())


def test_when_fewer_than_k_records_then_all_are_suppressed() -> None:
    records = [
        {
            "pseudonym": "p",
            "location": "Beijing",
            "industry": "software",
            "experience_years": 3.0,
            "education_level": "bachelor",
            "seniority": "mid",
            "top_skills": [],
        }
    ] * 3
    result = anonymise(records, 5)
    assert result.rows == [] and result.suppressed == 3


def test_when_records_are_alike_then_nothing_is_generalised() -> None:
    record = {
        "pseudonym": "p",
        "location": "Beijing",
        "industry": "software",
        "experience_years": 3.2,
        "education_level": "bachelor",
        "seniority": "mid",
        "top_skills": ["python"],
    }
    result = anonymise([dict(record) for _ in range(6)], 5)
    assert result.suppressed == 0
    assert result.rows[0]["location"] == "Beijing" and result.rows[0]["experience_years"] == "[3,4)"
    assert set(result.mean_level.values()) == {0.0}


def test_when_row_ids_are_not_stable_then_pseudonyms_are_fresh() -> None:
    record: dict[str, Any] = {
        "pseudonym": "k1:keep",
        "location": None,
        "industry": None,
        "experience_years": None,
        "education_level": None,
        "seniority": None,
        "top_skills": [],
    }
    assert {r["pseudonym"] for r in anonymise([record] * 5, 5).rows}.isdisjoint({"k1:keep"})
    assert {r["pseudonym"] for r in anonymise([record] * 5, 5, stable_ids=True).rows} == {"k1:keep"}


@pytest.mark.parametrize("k", [1, 0, True, 2.5])
def test_when_k_is_not_an_integer_of_at_least_two_then_usage_error(k: object) -> None:
    with pytest.raises(UsageError):
        anonymise([], k)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def platform_2000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ai_identity.pipeline import build
    from ai_identity.synth.writer import generate

    root = tmp_path_factory.mktemp("kanon") / "platform"
    generate(root, 2000, 17)
    build(root)
    return root


@pytest.mark.slow
def test_when_a_2000_user_platform_is_exported_at_k5_then_at_least_90_percent_of_rows_are_kept(
    platform_2000: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "train.jsonl"
    audit = tmp_path / "audit.sqlite"
    argv = ["export-training", "--platform", str(platform_2000), "--k", "5", "--out", str(out)]
    assert main([*argv, "--audit", str(audit), "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert report["kept_share"] >= 0.90
    assert len(rows) == report["exported_rows"] == report["input_rows"] - report["suppressed"]
    _assert_k_anonymous(rows, 5)
    assert set(rows[0]) == {"pseudonym", *QUASI_IDENTIFIERS, "top_skills"}
    from ai_identity.privacy.audit import AuditLog

    with AuditLog(audit) as log:
        assert [e.action for e in log.entries()] == ["export.training"]
        assert log.verify().ok


def test_when_identities_are_stubs_then_they_are_not_exported(built_platform) -> None:
    identities = list(built_platform.identities.values())
    records = training_records(identities)
    assert len(records) == sum(1 for i in identities if not i.stub)
