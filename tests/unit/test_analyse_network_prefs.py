"""Network facet, AI preferences and the persona's viewer filtering, on hand-made cases (plus one built identity)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ai_identity.analyse.behavior import BehaviorStats
from ai_identity.analyse.network import network_stats
from ai_identity.analyse.persona import view
from ai_identity.analyse.preferences import (
    assistance_claim,
    language_claim,
    notification_claim,
    tone_claim,
    traits,
)
from ai_identity.errors import UsageError
from ai_identity.model.identity import VIEWER_RANK, Evidence

AS_OF = datetime(2026, 11, 1, 12, tzinfo=UTC)
LEFT, RIGHT = (1, 2, 3, 4), (5, 6, 7, 8)


def _clique(members: tuple[int, ...]) -> list[tuple[int, int, int, float]]:
    return [(a, b, 2, 4.0) for i, a in enumerate(members) for b in members[i + 1 :]]


@pytest.fixture(scope="module")
def two_cliques() -> dict[int, Any]:
    edges = _clique(LEFT) + _clique(RIGHT) + [(4, 5, 1, 3.0), (1, 9, 5, 5.0)]  # 9 did not consent
    skills = {
        1: {"python"},
        2: {"python", "docker"},
        3: {"docker", "sql"},
        4: {"docker", "sql"},
        5: {"excel"},
        6: {"excel", "crm"},
        7: {"crm"},
        8: {"crm"},
        9: {"kubernetes"},
    }
    return network_stats(edges, set(LEFT) | set(RIGHT), skills)


def test_when_two_cliques_joined_by_one_edge_then_two_communities(two_cliques: dict[int, Any]) -> None:
    left = {two_cliques[u].community for u in LEFT}
    right = {two_cliques[u].community for u in RIGHT}
    assert len(left) == 1 and len(right) == 1 and left != right
    assert all(two_cliques[u].community_size == 4 for u in LEFT + RIGHT)


def test_when_bridge_node_measured_then_it_is_more_central(two_cliques: dict[int, Any]) -> None:
    assert two_cliques[4].degree > two_cliques[1].degree
    assert two_cliques[4].pagerank > two_cliques[2].pagerank


def test_when_collaborator_did_not_consent_then_edge_is_dropped(two_cliques: dict[int, Any]) -> None:
    assert 9 not in two_cliques
    assert [c[0] for c in two_cliques[1].collaborators] == [2, 3, 4]
    assert two_cliques[4].collaborators[-1] == (5, 1, 3.0)  # the bridge, fewest projects last


def test_when_community_holds_a_skill_the_user_lacks_then_it_is_suggested(
    two_cliques: dict[int, Any],
) -> None:
    assert two_cliques[1].suggestions == [("docker", 0.75), ("sql", 0.5)]
    assert two_cliques[5].suggestions == [("crm", 0.75)]
    assert "kubernetes" not in {s for u in two_cliques for s, _ in two_cliques[u].suggestions}  # only from 9
    assert two_cliques[1].related_skills == [("docker", 3), ("sql", 2)]


def test_when_network_computed_twice_then_result_is_identical() -> None:
    edges = _clique(LEFT) + _clique(RIGHT) + [(4, 5, 1, 3.0)]
    a = network_stats(edges, set(LEFT) | set(RIGHT), {})
    b = network_stats(list(reversed(edges)), set(LEFT) | set(RIGHT), {})
    assert a == b


def test_when_nobody_consented_then_no_network() -> None:
    assert network_stats(_clique(LEFT), set(), {}) == {}


# --- preferences -------------------------------------------------------------------------------------------


def stats(**kw: Any) -> BehaviorStats:
    base: dict[str, Any] = dict(
        user_id=1,
        events=40,
        sessions=12,
        notify_opens=0,
        first=AS_OF - timedelta(days=60),
        last=AS_OF,
        hourly=[0.0] * 24,
        weekly=[0.0] * 7,
        peak_hours=[21],
        weekend_share=0.1,
        weekly_pattern="workweek",
        sessions_per_week=1.4,
        activity_level="medium",
        devices={"desktop": 12},
        primary_device="desktop",
        action_mix={},
        target_mix={},
        success_rate=1.0,
        failure_types={},
        templates={},
        template_languages={},
        ai_events=0,
        ai_accepted_share=None,
        tone_ratings={},
        ai_languages={},
        notify_hours=[],
        median_session_seconds=60.0,
        window_start=AS_OF - timedelta(days=90),
        window_end=AS_OF,
        interests={},
    )
    base.update(kw)
    return BehaviorStats(**base)


def setting(field: str, value: str) -> tuple[str, Evidence]:
    return value, Evidence(
        source="mysql", store="user_settings", record="user_id=1", field=field, quote=value
    )


def test_when_behaviour_shows_another_language_then_it_overrides_the_setting() -> None:
    b = stats(template_languages={"zh": 9, "en": 1}, ai_languages={"zh": 4})
    claim = language_claim(1, setting("language", "en"), None, b)
    assert claim is not None and claim.value == "zh"
    assert {e.source for e in claim.evidence} == {"mysql", "events"}
    ev = next(e for e in claim.evidence if e.field == "action_details.language")
    assert ev.quote == {"zh": 9, "en": 1} and ev.count == 10


def test_when_no_behaviour_then_stated_language_stands() -> None:
    claim = language_claim(1, setting("language", "en"), None, None)
    assert claim is not None and claim.value == "en" and claim.evidence[0].store == "user_settings"
    assert language_claim(1, None, None, None) is None


def test_when_behaviour_posterior_is_clear_then_it_overrides_the_stated_assistance_level() -> None:
    b = stats(ai_events=30, ai_accepted_share=0.8)
    b.extra["assistance_posterior"] = {"low": 0.02, "medium": 0.08, "high": 0.9}
    stated = setting("ai_assistance_level", "low")
    claim = assistance_claim(1, stated, b, reliability=0.7)
    assert claim is not None and claim.value == "high"
    assert stated[1].conflict == "stated low, behaviour shows high"
    assert claim.evidence[0].source == "events" and claim.evidence[0].count == 30


def test_when_behaviour_is_ambiguous_then_a_reliable_setting_decides() -> None:
    b = stats(ai_events=3)
    b.extra["assistance_posterior"] = {"low": 0.3, "medium": 0.4, "high": 0.3}
    claim = assistance_claim(1, setting("ai_assistance_level", "low"), b, reliability=0.9)
    assert claim is not None and claim.value == "low"


def test_when_no_behaviour_then_stated_assistance_level_stands() -> None:
    claim = assistance_claim(1, setting("ai_assistance_level", "medium"), None)
    assert claim is not None and (claim.value, claim.confidence) == ("medium", 0.5)


@pytest.mark.parametrize(
    ("ratings", "stated", "tone"),
    [
        ({"formal": 2.0, "friendly": 4.5}, "formal", "friendly"),
        ({"formal": 4.8, "friendly": 3.0}, "friendly", "formal"),
        ({"formal": 2.0}, "formal", "friendly"),
        ({"friendly": 4.0}, "formal", "friendly"),
        ({}, "formal", "formal"),
    ],
)
def test_when_user_rates_answers_then_tone_follows_ratings_over_the_setting(
    ratings: dict[str, float], stated: str, tone: str
) -> None:
    claim = tone_claim(
        1, setting("theme_preferences.ai_tone", stated), stats(tone_ratings=ratings, ai_events=5)
    )
    assert claim is not None and claim.value == tone


@pytest.mark.parametrize(
    ("hours", "window"),
    [([19, 20, 8], "evening"), ([7, 9, 23], "morning"), ([23, 0], "night"), ([], "afternoon")],
)
def test_when_notifications_opened_then_time_window_follows_local_hours(
    hours: list[int], window: str
) -> None:
    claim = notification_claim(
        1, setting("notification_preferences.time", "afternoon"), stats(notify_hours=hours)
    )
    assert claim is not None and claim.value == window


def test_when_peak_hour_is_late_evening_then_trait_is_evening() -> None:
    values = [t.value for t in traits(1, stats(peak_hours=[20, 21]), [], None)]
    assert values == ["evening", "workweek_rhythm", "medium_engagement"]


# --- persona and viewer filtering on a built identity --------------------------------------------------------


def _pii(root: Any, uid: int) -> list[str]:
    con = sqlite3.connect(root / "platform.sqlite")
    email, phone, username = con.execute(
        "SELECT email, phone, username FROM users WHERE id=?", (uid,)
    ).fetchone()
    row = con.execute("SELECT real_name, location FROM user_profiles WHERE user_id=?", (uid,)).fetchone()
    con.close()
    return [v for v in (email, phone, username, *(row or ())) if v]


@pytest.fixture(scope="module")
def sensitive_identity(built_platform: Any) -> Any:
    """A built identity whose user granted the sensitive tier and whose personal facet is filled."""
    for ident in built_platform.identities.values():
        if (
            ident.consent["tiers"]["sensitive"]
            and ident.personal
            and ident.behavior
            and ident.career.current_title
        ):
            return ident
    raise AssertionError("the generated platform has no user with sensitive consent and a full identity")


def test_when_viewed_publicly_then_trusted_and_self_claims_are_dropped(sensitive_identity: Any) -> None:
    pub = view(sensitive_identity, "public")
    assert not pub.personal and not pub.behavior and not pub.network and not pub.ai_preferences
    assert pub.career.history == [] and pub.career.current_title is None
    for claim in [*pub.profile.values(), *pub.skills, *pub.traits, *pub.career.claims().values()]:
        assert claim.visibility == "public"
    assert pub.vectors == {} and set(pub.user) == {"pseudonym"}
    assert sensitive_identity.personal  # the stored document is untouched


def test_when_viewed_publicly_then_persona_holds_no_sensitive_or_hidden_value(
    sensitive_identity: Any, built_platform: Any
) -> None:
    pub = view(sensitive_identity, "public")
    assert pub.persona is not None and pub.persona.built_for == "public"
    text = pub.persona.summary_en + pub.persona.summary_zh + pub.persona.system_prompt
    for value in _pii(built_platform.root, sensitive_identity.user["platform_id"]):
        assert value not in text
    for claim in sensitive_identity.personal.values():
        assert str(claim.value) not in pub.model_dump_json()
    assert str(sensitive_identity.career.current_title.value) not in text  # a trusted claim
    assert "active around" not in text  # behaviour is trusted


def test_when_viewed_by_self_then_personal_claims_remain_and_persona_is_for_self(
    sensitive_identity: Any,
) -> None:
    own = view(sensitive_identity, "self")
    assert own.personal == sensitive_identity.personal
    assert own.persona is not None and own.persona.built_for == "self"
    assert str(sensitive_identity.career.current_title.value) in own.persona.summary_en


def test_when_viewed_by_trusted_then_only_self_claims_are_dropped(sensitive_identity: Any) -> None:
    trusted = view(sensitive_identity, "trusted")
    assert not trusted.personal
    assert trusted.behavior == sensitive_identity.behavior
    assert all(VIEWER_RANK[c.visibility] <= VIEWER_RANK["trusted"] for c in trusted.profile.values())


def test_when_viewer_is_unknown_then_usage_error(sensitive_identity: Any) -> None:
    with pytest.raises(UsageError, match="--viewer"):
        view(sensitive_identity, "everyone")
