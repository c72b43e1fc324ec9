"""English CRF features, decoding and scoring on hand-written resume text (invented names and firms)."""

from __future__ import annotations

import random

from ai_identity.features.resume import crf_en
from ai_identity.features.resume.entries import _content_kind
from ai_identity.features.resume.evaluate import SpanScorer
from ai_identity.features.resume.tagging import Span, spans_from_tags

RESUME = (
    "Odile Brackenridge\n"
    "WORK EXPERIENCE\n"
    "Payroll Analyst, Larchmont Freight Ltd (2018 - 2021)\n"
    "Skills: Python, project management, SQL\n"
)


def _feats(text: str, tax: dict[str, str] | None = None) -> dict[str, list[str]]:
    toks = crf_en.tokenize(text)
    return {
        t.text: f for t, f in zip(toks, crf_en.token_features(text, toks, {"python": "T"}, tax), strict=True)
    }


def test_when_a_token_is_punctuation_then_it_gets_a_short_feature_list():
    feats = _feats(RESUME)
    comma, word = feats[","], feats["Larchmont"]
    assert "w=," in comma and not any(f.startswith(("sh=", "p3=", "w-2=", "w+2=")) for f in comma)
    assert len(comma) < len(word) / 2
    assert {"sh=Xxx", "p3=lar", "w-2=analyst", "w+2=ltd"} <= set(word)


def test_when_a_phrase_is_in_the_taxonomy_then_its_tokens_carry_the_taxonomy_tag():
    tax = crf_en.taxonomy_phrases()
    assert tax.get("python") == "T" and tax.get("project management") == "J"
    toks = crf_en.tokenize(RESUME)
    feats = crf_en.token_features(RESUME, toks, {}, tax)
    by_word = {t.text: f for t, f in zip(toks, feats, strict=True)}
    assert "tx=BJ" in by_word["project"] and "tx=IJ" in by_word["management"]
    assert "tx-1=BJ" in by_word["management"] and "tx+1=BT" in by_word[":"]
    assert not any(f.startswith("tx=") for f in by_word["Analyst"])  # not a skill: no tag at all


def test_when_a_one_hot_feature_has_its_commonest_value_then_it_is_left_out():
    feats = _feats(RESUME)
    name = feats["Odile"]
    assert {"lp=0", "ln=0", "dp=1"} <= set(name)
    late = feats["SQL"]  # 5th word of its line or later, 4th line, 20th token or later
    assert not any(f.startswith(("lp=", "sk=O", "tx=", "dt=", "fld=0")) for f in late if f != "sk=BT")
    assert "sk=BT" not in late  # the mined lexicon here holds only "python"
    assert "sk=BT" in feats["Python"] and "fld=2" in feats["SQL"]
    year = feats["2018"]
    assert "dt=R" in year  # inside a date range


def test_when_bio_labels_are_decoded_then_spans_match_the_general_decoder():
    rng = random.Random(7)
    for _ in range(2000):
        labels = [
            rng.choice(["O", "B-Name", "I-Name", "B-Degree", "I-Degree"]) for _ in range(rng.randint(0, 10))
        ]
        assert crf_en._bio_spans(labels) == spans_from_tags(labels)


def test_when_skills_are_scored_then_the_two_skill_types_also_count_as_one():
    scorer = SpanScorer()
    gold = [Span("Job Specific Skills", 0, 5), Span("Tech Tools", 10, 14), Span("Name", 20, 30)]
    pred = [Span("Tech Tools", 0, 5), Span("Tech Tools", 10, 14), Span("Name", 20, 29)]
    scorer.add(gold, pred)
    result = scorer.result()
    assert result["per_type"]["Job Specific Skills"]["recall"] == 0.0
    assert result["per_type"]["Tech Tools"]["precision"] == 0.5
    both = result["combined"]["Job Specific Skills + Tech Tools"]
    assert both == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}


def test_when_no_skill_type_is_present_then_there_is_no_combined_entry():
    scorer = SpanScorer()
    scorer.add([Span("NAME", 0, 2)], [Span("NAME", 0, 2)])
    assert "combined" not in scorer.result()


def test_when_a_header_line_names_a_school_or_a_firm_then_its_kind_follows():
    assert _content_kind("Bachelor of Arts, Fenwick Polytechnic") == "education"
    assert _content_kind("Quarry Lane Academy of Music  2009 - 2012") == "education"
    assert _content_kind("Larchmont Freight Ltd | Payroll Analyst") == "work"
    assert _content_kind("Volunteer, food bank") is None


def test_when_tokens_are_split_into_lines_then_tabs_wide_gaps_and_breaks_end_a_line():
    for text, want in [
        ("", []),
        ("Odile", [(0, 1)]),
        ("Odile Brackenridge", [(0, 2)]),
        ("Odile\nBrackenridge", [(0, 1), (1, 2)]),
        ("Odile\tBrackenridge", [(0, 1), (1, 2)]),
        ("Odile  Brackenridge", [(0, 1), (1, 2)]),
        ("Payroll, Larchmont\n\nLeeds", [(0, 3), (3, 4)]),
    ]:
        assert crf_en._line_spans(text, crf_en.tokenize(text)) == want, text


def test_when_a_line_names_a_school_in_either_language_then_it_is_education():
    from ai_identity.features.resume.entries import _names_school

    assert _names_school("2012 - 2016  Fenwick Polytechnic")
    assert _names_school("2012.09-2016.06 青石大学 计算机科学")
    assert not _names_school("2016 - 2019  Larchmont Freight Ltd")
    assert not _names_school("大学生创业比赛")  # a school word with nothing before it is not a school name
