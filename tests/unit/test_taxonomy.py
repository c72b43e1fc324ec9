"""Unit tests for the bilingual skill taxonomy (ai_identity.features.taxonomy)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ai_identity.features.taxonomy import CATEGORIES, SkillMention, Taxonomy, load_taxonomy
from ai_identity.synth.catalog import all_skill_ids

REPO = Path(__file__).resolve().parents[2]
SHARED_TAXONOMY = REPO.parent / "shared/data/taxonomy"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _ids(mentions: list[SkillMention]) -> list[str]:
    return [m.skill_id for m in mentions]


# -- contents -----------------------------------------------------------------------------------------
def test_when_loaded_then_at_least_1000_skills(taxonomy: Taxonomy) -> None:
    assert len(taxonomy) >= 1000


def test_when_loaded_twice_then_same_cached_object() -> None:
    assert load_taxonomy() is load_taxonomy()


def test_when_catalog_ids_checked_then_every_one_is_a_canonical_id(taxonomy: Taxonomy) -> None:
    missing = [skill_id for skill_id in all_skill_ids() if skill_id not in taxonomy]
    assert missing == []


def test_when_entries_inspected_then_each_has_names_category_slug_and_source(taxonomy: Taxonomy) -> None:
    for entry in taxonomy:
        assert entry.name_en.strip() and entry.name_zh.strip(), entry.id
        assert entry.category in CATEGORIES, entry.id
        assert re.fullmatch(r"[0-9a-z]+(-[0-9a-z]+)*", entry.id), entry.id
        assert entry.sources and set(entry.sources) <= {"curated", "onet", "esco"}, entry.id


def test_when_sources_counted_then_all_three_contribute(taxonomy: Taxonomy) -> None:
    sources = {source for entry in taxonomy for source in entry.sources}
    assert sources == {"curated", "onet", "esco"}


def test_when_unknown_id_requested_then_key_error_names_it(taxonomy: Taxonomy) -> None:
    with pytest.raises(KeyError, match="no-such-skill"):
        taxonomy.get("no-such-skill")


# -- exact lookup -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Python", "python"),
        ("K8s", "kubernetes"),
        ("k8s", "kubernetes"),
        ("Postgres", "postgresql"),
        ("PG", "postgresql"),
        ("ML", "machine-learning"),
        ("Natural Language Processing", "nlp"),
        ("MS Excel", "excel"),
        ("Microsoft Excel", "excel"),
        ("Golang", "go"),
        ("C++", "cpp"),
        ("C#", "csharp"),
        (".NET", "dotnet"),
        ("Node.js", "nodejs"),
        ("nodejs", "nodejs"),
        ("node js", "nodejs"),
        ("Spring Boot", "spring-boot"),
        ("A/B testing", "ab-testing"),
        ("CI/CD", "ci-cd"),
        ("Objective-C", "objective-c"),
        ("Structured query language SQL", "sql"),
    ],
)
def test_when_english_form_looked_up_then_canonical_id(
    taxonomy: Taxonomy, surface: str, expected: str
) -> None:
    entry = taxonomy.lookup(surface)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("机器学习", "machine-learning"),
        ("自然语言处理", "nlp"),
        ("销售", "sales"),
        ("微信小程序", "wechat-mini-program"),
        ("新媒体运营", "new-media-operations"),
        ("供应链管理", "supply-chain-management"),
        ("阿里云", "alibaba-cloud"),
        ("团队合作", "teamwork"),
        ("英语六级", "english"),
        ("数据仓库", "data-warehouse"),
    ],
)
def test_when_chinese_form_looked_up_then_canonical_id(
    taxonomy: Taxonomy, surface: str, expected: str
) -> None:
    entry = taxonomy.lookup(surface)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("ＰＹＴＨＯＮ", "python"),
        ("Ｋ８ｓ", "kubernetes"),
        ("ｍｙｓｑｌ", "mysql"),
        ("JAVASCRIPT", "javascript"),
        ("  (Java) ", "java"),
        ("Python.", "python"),
        ("“Docker”", "docker"),
        ("NODE.JS", "nodejs"),
    ],
)
def test_when_width_case_or_punctuation_varies_then_same_id(
    taxonomy: Taxonomy, surface: str, expected: str
) -> None:
    entry = taxonomy.lookup(surface)
    assert entry is not None and entry.id == expected


@pytest.mark.parametrize("surface", ["the", "and", "experience", "负责", "项目", "", "   ", "NET"])
def test_when_common_word_looked_up_then_no_skill(taxonomy: Taxonomy, surface: str) -> None:
    assert taxonomy.lookup(surface) is None
    assert taxonomy.lookup_fuzzy(surface) is None


# -- fuzzy lookup -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("Kubernets", "kubernetes"),
        ("Pyhton", "python"),
        ("Tensorflw", "tensorflow"),
        ("Elasticsaerch", "elasticsearch"),
    ],
)
def test_when_typo_looked_up_then_fuzzy_finds_skill_with_score_below_one(
    taxonomy: Taxonomy, typo: str, expected: str
) -> None:
    assert taxonomy.lookup(typo) is None
    found = taxonomy.lookup_fuzzy(typo)
    assert found is not None
    entry, score = found
    assert entry.id == expected and 0.8 <= score < 1.0


@pytest.mark.parametrize("word", ["Java", "Jav", "Pyth", "docket", "dynamic", "experiences", "management"])
def test_when_short_word_or_real_word_then_no_fuzzy_guess(taxonomy: Taxonomy, word: str) -> None:
    found = taxonomy.lookup_fuzzy(word)
    assert found is None or found[1] == 1.0  # only an exact hit, never a guess


# -- free text ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "负责后端开发，熟练使用Python、Go和MySQL，熟悉K8s与Docker。",
            [
                ("backend-development", "后端开发"),
                ("python", "Python"),
                ("go", "Go"),
                ("mysql", "MySQL"),
                ("kubernetes", "K8s"),
                ("docker", "Docker"),
            ],
        ),
        (
            "精通Java开发和Spring Boot，使用ＲｅａｃｔＪＳ与Vue.js，具备良好的沟通能力。",
            [
                ("java", "Java开发"),
                ("spring-boot", "Spring Boot"),
                ("react", "ＲｅａｃｔＪＳ"),
                ("vue", "Vue.js"),
                ("communication", "沟通能力"),
            ],
        ),
        (
            "Skills: Python, R, SQL, C++, C#, .NET, Node.js",
            [
                ("python", "Python"),
                ("r", "R"),
                ("sql", "SQL"),
                ("cpp", "C++"),
                ("csharp", "C#"),
                ("dotnet", ".NET"),
                ("nodejs", "Node.js"),
            ],
        ),
        (
            "Ran A/B testing and data analysis in Excel; 负责供应链管理和采购。",
            [
                ("ab-testing", "A/B testing"),
                ("data-analysis", "data analysis"),
                ("excel", "Excel"),
                ("supply-chain-management", "供应链管理"),
                ("procurement", "采购"),
            ],
        ),
        (
            "技能：①Java ②ＭｙＳＱＬ ③Ｃ＋＋、Ｃ＃与．ＮＥＴ",
            [
                ("java", "Java"),
                ("mysql", "ＭｙＳＱＬ"),
                ("cpp", "Ｃ＋＋"),
                ("csharp", "Ｃ＃"),
                ("dotnet", "．ＮＥＴ"),
            ],
        ),
        (
            "擅长机器学习与自然语言处理(NLP)，英语六级，熟悉微信小程序开发。",
            [
                ("machine-learning", "机器学习"),
                ("nlp", "自然语言处理"),
                ("nlp", "NLP"),
                ("english", "英语六级"),
                ("wechat-mini-program", "微信小程序"),
            ],
        ),
    ],
)
def test_when_mixed_text_scanned_then_ids_and_exact_spans(
    taxonomy: Taxonomy, text: str, expected: list[tuple[str, str]]
) -> None:
    mentions = taxonomy.find_mentions(text)
    assert [(m.skill_id, m.surface) for m in mentions] == expected
    for m in mentions:
        assert text[m.start : m.end] == m.surface and m.method == "exact" and m.score == 1.0


def test_when_longer_alias_overlaps_then_longest_wins(taxonomy: Taxonomy) -> None:
    assert _ids(taxonomy.find_mentions("Built apps with React Native and Spring Boot.")) == [
        "react-native",
        "spring-boot",
    ]


def test_when_typos_in_text_then_fuzzy_mentions_with_exact_spans(taxonomy: Taxonomy) -> None:
    text = "Deployed services on Kubernets, wrote Pyhton scripts."
    mentions = taxonomy.find_mentions(text)
    assert [(m.skill_id, m.surface, m.method) for m in mentions] == [
        ("kubernetes", "Kubernets", "fuzzy"),
        ("python", "Pyhton", "fuzzy"),
    ]
    assert all(text[m.start : m.end] == m.surface and m.score < 1.0 for m in mentions)


@pytest.mark.parametrize(
    "text",
    [
        "the and experience",
        "I have experience in the project and the team.",
        "负责项目的日常工作，参与公司项目。",
        "I go to the gym and excel at swift decisions.",
        "We spent 500 ml on R&D; I got a C in maths.",
        "Contact: someone@gmail.com or https://example.org/python",
        "Javanese and Pythonic are not skills; neither is a docket.",
    ],
)
def test_when_common_words_in_text_then_nothing_flagged(taxonomy: Taxonomy, text: str) -> None:
    assert taxonomy.find_mentions(text) == []


def test_when_empty_text_then_no_mentions(taxonomy: Taxonomy) -> None:
    assert taxonomy.find_mentions("") == []


# -- reproducibility ----------------------------------------------------------------------------------
def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_taxonomy", REPO / "scripts/build_taxonomy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script is executed
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not SHARED_TAXONOMY.is_dir(),
    reason=f"O*NET/ESCO sources not present at {SHARED_TAXONOMY}: cannot rebuild skills.json to compare",
)
def test_when_script_rebuilds_then_committed_skills_json_is_identical() -> None:
    build = _load_build_script()
    text, summary = build.build(SHARED_TAXONOMY)
    assert build.OUTPUT.read_text(encoding="utf-8") == text
    assert summary["total"] >= 1000
    assert len(text.encode("utf-8")) < 2_000_000
