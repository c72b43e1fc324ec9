"""The quality checks find the generator's injected imperfections, record by record (issue 8, deliverable 5).

Only this test reads ``_truth/injections.json``; the checks see the platform's data alone. Each class is
scored by the one check that targets it, with the check's record keys mapped onto the generator's key form.
"""

from __future__ import annotations

import json

import pytest

from ai_identity.quality.config import QualityConfig
from ai_identity.quality.gates import QualityRun, evaluate
from ai_identity.synth.writer import generate

USERS, SEED = 1000, 3
TARGET = 0.95


def _first(n: int):  # type: ignore[no-untyped-def]
    return lambda k: ":".join(k.split(":")[:n])


# class -> (check names, how the check's record key maps onto the injection key)
CLASS_CHECKS = {
    "missing_profile_field": (
        {
            f"user_profiles.{f} filled"
            for f in ("location", "industry", "experience_years", "education_level")
        },
        _first(2),
    ),
    "missing_timezone": ({"user_settings.timezone filled"}, str),
    "malformed_timezone": ({"user_settings.timezone format"}, str),
    "malformed_email": ({"users.email format"}, str),
    "malformed_phone": ({"users.phone format"}, str),
    "shared_email": ({"users.email one account"}, str),
    "duplicate_profile": ({"user_profiles one row per user"}, lambda k: f"{k}:duplicate"),
    "inconsistent_experience": ({"user_profiles.experience_years vs career"}, str),
    "stale_resume_copy": ({"resumes.content = resume_content copy"}, str),
    "parsed_end_before_start": ({"parsed work end >= start"}, str),
    "duplicate_event": ({"events.event_id unique"}, str),
    "malformed_action_type": ({"user_behavior_analysis.action_type allowed value"}, _first(2)),
    "malformed_action_details": ({"user_behavior_analysis.action_details JSON"}, _first(2)),
    "negative_duration": ({"events.duration >= 0"}, str),
    "future_event": ({"events not in the future"}, str),
    "event_before_signup": ({"events after sign-up"}, str),
    "vector_wrong_dimension": (
        {f"user_embeddings.{c} dimension" for c in ("content_vector", "skills_vector", "behavior_vector")},
        _first(2),
    ),
    "stale_embedding": ({"user_embeddings.created_at age"}, str),
    "stale_ai_analysis": ({"ai_analyses.created_at age"}, str),
    "stale_graph_username": ({"graph User.username known"}, str),
}


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[float, float, int, int]]:
    root = tmp_path_factory.mktemp("quality") / "platform"
    generate(root, USERS, SEED)
    run = evaluate(root, QualityConfig())
    injected = json.loads((root / "_truth" / "injections.json").read_text())
    return {cls: _score(run, cls, set(injected.get(cls, []))) for cls in CLASS_CHECKS}


def _score(run: QualityRun, cls: str, truth: set[str]) -> tuple[float, float, int, int]:
    names, to_key = CLASS_CHECKS[cls]
    found = {to_key(k) for c in run.checks if c.name in names for k in c.failed["record"].to_list()}
    hit = len(found & truth)
    precision = hit / len(found) if found else float(not truth)
    recall = hit / len(truth) if truth else 1.0
    return precision, recall, len(found), len(truth)


def test_every_class_has_a_check(scored: dict[str, tuple[float, float, int, int]]) -> None:
    from ai_identity.synth.noise import RATES

    assert set(CLASS_CHECKS) == set(RATES)


@pytest.mark.parametrize("cls", sorted(CLASS_CHECKS))
def test_when_injected_then_found_with_precision_and_recall_095(
    scored: dict[str, tuple[float, float, int, int]], cls: str
) -> None:
    precision, recall, found, truth = scored[cls]
    assert truth > 0, f"{cls}: nothing injected at {USERS} users; raise USERS"
    assert precision >= TARGET and recall >= TARGET, (
        f"{cls}: P={precision:.3f} R={recall:.3f} ({found} vs {truth})"
    )
