"""Rules that run after the English CRF, on hand-written English resume snippets (no model needed)."""

from __future__ import annotations

from ai_identity.features.resume import crf_en
from ai_identity.features.resume.crf_en import Span, _education_rules, _fallback_name


def _surfaces(text: str, spans: list[tuple[Span, float]], typ: str) -> list[str]:
    return [text[sp.start : sp.end] for sp, _c in spans if sp.type == typ]


def _span(text: str, surface: str, typ: str) -> tuple[Span, float]:
    start = text.index(surface)
    return Span(typ, start, start + len(surface)), 1.0


def test_when_a_college_line_is_near_a_found_degree_then_the_college_is_added():
    text = "EDUCATION\n\nBachelor of Science in Geology\nRiverbend State University, Oakfield\n2014\n"
    out = _education_rules(text, [_span(text, "Bachelor of Science in Geology", "Degree")])
    assert _surfaces(text, out, "College Name") == ["Riverbend State University"]


def test_when_a_college_is_written_university_of_then_the_whole_name_is_taken():
    text = "Master of Arts, 2009    University of North Lakeland, Springvale"
    out = _education_rules(text, [_span(text, "Master of Arts", "Degree")])
    assert "University of North Lakeland" in _surfaces(text, out, "College Name")


def test_when_the_header_word_runs_into_the_college_then_it_is_left_out():
    text = "Education  Harbor Point College, Westfield    Associate of Applied Science"
    out = _education_rules(text, [_span(text, "Associate of Applied Science", "Degree")])
    assert _surfaces(text, out, "College Name") == ["Harbor Point College"]


def test_when_a_school_name_is_far_from_any_education_span_then_it_is_not_added():
    text = (
        "Bachelor of Commerce\n"
        + "Managed a team of nine people. " * 20
        + "Volunteered at Pinecrest College."
    )
    out = _education_rules(text, [_span(text, "Bachelor of Commerce", "Degree")])
    assert _surfaces(text, out, "College Name") == []


def test_when_a_year_follows_a_degree_then_it_becomes_the_graduation_year():
    text = (
        "EDUCATION\nB.Sc. in Chemistry, Eastvale College    May 2016\n\nEXPERIENCE\nLab Assistant 2016 - 2019"
    )
    spans = [_span(text, "B.Sc. in Chemistry", "Degree"), _span(text, "Eastvale College", "College Name")]
    out = _education_rules(text, spans)
    assert _surfaces(text, out, "Graduation Year") == ["May 2016"]


def test_when_the_crf_already_found_the_year_then_no_second_one_is_added():
    text = "MBA, Northgate University, 2011 - 2013"
    spans = [
        _span(text, "MBA", "Degree"),
        _span(text, "Northgate University", "College Name"),
        _span(text, "2011 - 2013", "Graduation Year"),
    ]
    assert _education_rules(text, spans) == spans


def test_when_a_year_range_is_written_with_a_column_gap_then_it_is_one_graduation_year():
    text = "Diploma in Nursing    Lakeshore Polytechnic\n2008  2011"
    out = _education_rules(text, [_span(text, "Diploma in Nursing", "Degree")])
    assert _surfaces(text, out, "Graduation Year") == ["2008  2011"]


def test_when_no_education_span_was_found_then_the_rules_add_nothing():
    text = "Sales Manager at Brightline Traders, 2015 - 2020. Studied at Kestrel University."
    assert _education_rules(text, []) == []


def test_when_the_crf_finds_no_name_then_the_first_heading_line_is_taken():
    text = "Marisol T. Vandenberg\n42 Orchard Lane, Fairhaven\nmarisol@example.org\n\nSUMMARY\nAccountant."
    assert _surfaces(text, _fallback_name(text, []), "Name") == ["Marisol T. Vandenberg"]


def test_when_a_name_field_is_written_then_its_value_is_the_name():
    text = "CURRICULUM VITAE\nPERSONAL DETAILS:  Name: Oswin Haverly    Nationality: Irish"
    assert _surfaces(text, _fallback_name(text, []), "Name") == ["Oswin Haverly"]


def test_when_the_opening_line_is_a_street_or_a_masked_word_then_it_is_not_a_name():
    assert _fallback_name("17 Willow Drive Cell: 555-0100\nSUMMARY", []) == []
    assert _fallback_name("Quill XXXX  Mobile: +00-00000", []) == []
    assert _fallback_name("Student Seeking Internship\nSKILLS", []) == []


def test_when_a_line_holds_a_degree_word_then_its_neighbours_see_it():
    text = "Bachelor of Arts\nGreenfield College\n2012"
    toks = crf_en.tokenize(text)
    feats = crf_en.token_features(text, toks, {})
    college = next(i for i, t in enumerate(toks) if t.text == "Greenfield")
    assert {"pg:deg", "lg:sch", "ng:yr"} <= set(feats[college])


def test_when_a_job_title_repeats_then_every_occurrence_is_labelled():
    text = "Store Supervisor\nRan the night shift.\n\nPromoted to Store Supervisor in 2019."
    spans = [_span(text, "Store Supervisor", "Designation")]
    extra = crf_en._propagate(text, spans, crf_en.EnTagger.propagate)
    assert [(sp.type, text[sp.start : sp.end]) for sp, _c in extra] == [("Designation", "Store Supervisor")]


def test_when_a_name_runs_into_a_section_word_then_the_word_is_cut_off():
    text = "Wynne Alcott Education\nBrookfield College"
    sp = crf_en._trim_name(text, crf_en.Span("Name", 0, len("Wynne Alcott Education")))
    assert text[sp.start : sp.end] == "Wynne Alcott"
    plain = crf_en.Span("Name", 0, len("Wynne Alcott"))
    assert crf_en._trim_name(text, plain) == plain
