"""Skills facet on hand-made cases in Chinese and English: source fusion, level/years reading, text mentions."""

from __future__ import annotations

import pytest

from ai_identity.analyse.skills import (
    CLAIM_THRESHOLD,
    SkillSignals,
    _level_near,
    level_from_years,
    normalize_level,
)
from ai_identity.features.taxonomy import Taxonomy, load_taxonomy
from ai_identity.model.identity import Evidence

TEXT_BASE = {
    "source": "sqlite",
    "store": "users/7.sqlite:resume_content",
    "record": "resume_metadata_id=70",
    "field": "content",
}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def ev(store: str, quote: object = None) -> Evidence:
    return Evidence(source="mysql", store=store, record="user_id=7", field="x", quote=quote)


def claims_by_id(sig: SkillSignals) -> dict[str, object]:
    return {c.skill_id: c for c in sig.claims()}


# --- fusion ------------------------------------------------------------------------------------------------


def test_when_skill_seen_only_in_ai_analyses_then_it_is_not_claimed(taxonomy: Taxonomy) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("python", "ai_analysis", ev("resume_analyses", "Python"), level="expert")
    sig.add("python", "ai_analysis", ev("user_ai_profiles", "expert"), level="expert")  # same kind: one vote
    assert sig.claims() == []


def test_when_resume_skills_and_has_skill_agree_then_skill_is_claimed_with_noisy_or_score(
    taxonomy: Taxonomy,
) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("java", "resume_skills", ev("resume_skills", "Java"))
    sig.add("java", "has_skill", ev("HAS_SKILL", "advanced"))
    claim = claims_by_id(sig)["java"]
    assert claim.score == pytest.approx(1 - (1 - 0.85) * (1 - 0.55), abs=1e-3)
    assert claim.name_zh == "Java" and claim.visibility == "public"
    assert [e.store for e in claim.evidence] == ["resume_skills", "HAS_SKILL"]  # strongest first


def test_when_only_a_graph_edge_names_a_skill_then_it_stays_below_the_threshold(taxonomy: Taxonomy) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("mysql", "has_skill", ev("HAS_SKILL"))
    assert CLAIM_THRESHOLD > 0.55
    assert sig.claims() == []
    sig.add("mysql", "ai_analysis", ev("resume_analyses"))  # weak evidence tips a real signal over
    assert "mysql" in claims_by_id(sig)


def test_when_sources_state_different_levels_then_weighted_vote_wins_and_conflict_is_recorded(
    taxonomy: Taxonomy,
) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("python", "resume_text", ev("resume_content", "Python"), level="advanced")
    sig.add("python", "has_skill", ev("HAS_SKILL", "intermediate"), level="intermediate")
    sig.add("python", "ai_analysis", ev("user_ai_profiles", "beginner"), level="beginner")
    claim = claims_by_id(sig)["python"]
    assert claim.level == "advanced"  # 0.8 against 0.55 and 0.3
    conflicts = {e.store: e.conflict for e in claim.evidence}
    assert conflicts == {
        "resume_content": None,
        "HAS_SKILL": "states level intermediate",
        "user_ai_profiles": "states level beginner",
    }


def test_when_weaker_sources_together_outvote_a_stronger_one_then_their_level_wins(
    taxonomy: Taxonomy,
) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("docker", "resume_text", ev("resume_content"), level="expert")  # 0.8
    sig.add("docker", "skills_summary", ev("user_profiles"), level="beginner")  # 0.7
    sig.add("docker", "has_skill", ev("HAS_SKILL"), level="beginner")  # 0.55
    assert claims_by_id(sig)["docker"].level == "beginner"


def test_when_years_stated_by_several_sources_then_median_is_taken_and_level_follows_years(
    taxonomy: Taxonomy,
) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("redis", "resume_skills", ev("resume_skills"), years=2.0)
    sig.add("redis", "has_skill", ev("HAS_SKILL"), years=9.0)
    sig.add("redis", "resume_text", ev("resume_content"), years=4.0)
    claim = claims_by_id(sig)["redis"]
    assert claim.years == 4.0
    assert claim.level == level_from_years(4.0) == "advanced"  # no source states a level


def test_when_resume_skills_row_is_verified_then_claim_is_verified(taxonomy: Taxonomy) -> None:
    sig = SkillSignals(taxonomy)
    sig.add("excel", "resume_skills", ev("resume_skills"), verified=True, when="2025-03-01")
    sig.add("excel", "resume_text", ev("resume_content"), when="2024-01-01")
    sig.add("python", "resume_skills", ev("resume_skills"), verified=False)
    claims = claims_by_id(sig)
    assert claims["excel"].verified is True and claims["python"].verified is False
    assert claims["excel"].last_evidenced == "2025-03-01"


@pytest.mark.parametrize(
    ("surface", "skill_id", "match"),
    [
        ("数据分析", "data-analysis", 1.0),
        ("Spring Boot", "spring-boot", 1.0),
        ("postgresql", "postgresql", 1.0),
        ("  ", None, None),
        ("完全不存在的技能名称", None, None),
    ],
)
def test_when_surface_resolved_then_exact_names_in_either_language_map_to_ids(
    taxonomy: Taxonomy, surface: str, skill_id: str | None, match: float | None
) -> None:
    hit = SkillSignals(taxonomy).resolve(surface)
    assert (hit[0] if hit else None) == skill_id
    if match is not None:
        assert hit is not None and hit[1] == match


def test_when_fuzzy_surface_resolved_then_match_is_a_fraction_below_one(taxonomy: Taxonomy) -> None:
    hit = SkillSignals(taxonomy).resolve("Kubernetse")
    assert hit is not None and hit[0] == "kubernetes"
    assert 0.5 < hit[1] < 1.0


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("精通", "expert"),
        ("熟练", "advanced"),
        ("熟悉", "intermediate"),
        ("了解", "beginner"),
        ("Master", "expert"),
        (" Advanced ", "advanced"),
        ("novice", "beginner"),
        ("guru", None),
        (3, None),
    ],
)
def test_when_proficiency_normalized_then_both_languages_map_to_levels(
    value: object, level: str | None
) -> None:
    assert normalize_level(value) == level


# --- level words and years on the mention's line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "skill", "expected"),
    [
        ("精通Python", "Python", ("expert", None)),
        ("熟悉MySQL和Redis", "MySQL", ("intermediate", None)),
        ("- 了解：Kubernetes", "Kubernetes", ("beginner", None)),
        ("5年Java开发经验", "Java", (None, 5.0)),
        ("精通Go语言（3年）", "Go", ("expert", 3.0)),
        ("Expert in Java", "Java", ("expert", None)),
        ("Proficient with Docker", "Docker", ("advanced", None)),
        ("Java (3 yrs)", "Java", (None, 3.0)),
        ("• Python — Advanced (4 years)", "Python", ("advanced", 4.0)),
        ("Used Excel daily", "Excel", (None, None)),
    ],
)
def test_when_line_states_level_or_years_then_level_near_reads_them(
    line: str, skill: str, expected: tuple[str | None, float | None]
) -> None:
    start = line.index(skill)
    assert _level_near(line, start, start + len(skill)) == expected


@pytest.mark.parametrize(
    ("line", "skill", "expected"),
    [
        ("熟练使用Docker，了解Kubernetes", "Docker", ("advanced", None)),
        ("- Proficient with Docker, familiar with PostgreSQL", "Docker", ("advanced", None)),
        ("精通Python（5年），熟悉MySQL", "MySQL", ("intermediate", None)),
    ],
)
def test_when_neighbouring_clause_states_level_or_years_then_own_clause_wins(
    line: str, skill: str, expected: tuple[str | None, float | None]
) -> None:
    start = line.index(skill)
    assert _level_near(line, start, start + len(skill)) == expected


# --- free text through the taxonomy scanner ----------------------------------------------------------------


def test_when_chinese_resume_scanned_then_mentions_have_exact_spans_levels_and_years(
    taxonomy: Taxonomy,
) -> None:
    text = "专业技能\n精通Python（5年）\n熟悉MySQL\n了解Kubernetes"
    mentions = taxonomy.find_mentions(text)
    assert [(m.skill_id, m.start, m.end) for m in mentions] == [
        ("python", 7, 13),
        ("mysql", 20, 25),
        ("kubernetes", 28, 38),
    ]
    sig = SkillSignals(taxonomy)
    sig.add_text_mentions(text, mentions, TEXT_BASE)
    found = {sid: sigs[0] for sid, sigs in sig.signals.items()}
    for m in mentions:
        e = found[m.skill_id].evidence
        assert e.span == (m.start, m.end) and text[m.start : m.end] == e.quote
        assert e.store == TEXT_BASE["store"] and e.weight == 0.8
    assert (found["python"].level, found["python"].years) == ("expert", 5.0)
    assert (found["mysql"].level, found["mysql"].years) == ("intermediate", None)
    assert found["kubernetes"].level == "beginner"
    claims = claims_by_id(sig)
    assert set(claims) == {"python", "mysql", "kubernetes"}  # resume text alone (0.8) is enough to claim
    assert claims["python"].level == "expert" and claims["python"].years == 5.0


def test_when_english_resume_scanned_then_mentions_have_exact_spans_levels_and_years(
    taxonomy: Taxonomy,
) -> None:
    text = "SKILLS\n- Expert in Java (6 yrs)\n- Proficient with Docker\n- PostgreSQL: familiar"
    mentions = taxonomy.find_mentions(text)
    spans = {m.skill_id: (m.start, m.end) for m in mentions}
    assert spans == {"java": (19, 23), "docker": (50, 56), "postgresql": (59, 69)}
    assert {text[a:b] for a, b in spans.values()} == {"Java", "Docker", "PostgreSQL"}
    sig = SkillSignals(taxonomy)
    sig.add_text_mentions(text, mentions, TEXT_BASE)
    got = {sid: (s[0].level, s[0].years, s[0].evidence.span) for sid, s in sig.signals.items()}
    assert got == {
        "java": ("expert", 6.0, (19, 23)),
        "docker": ("advanced", None, (50, 56)),
        "postgresql": ("intermediate", None, (59, 69)),
    }


def test_when_mention_has_no_skill_id_then_it_is_ignored(taxonomy: Taxonomy) -> None:
    from ai_identity.features.taxonomy import SkillMention

    sig = SkillSignals(taxonomy)
    sig.add_text_mentions("foo bar", [SkillMention("", 0, 3, "foo", "exact", 1.0)], TEXT_BASE)
    assert not sig.signals
