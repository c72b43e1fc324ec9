"""Property tests: parse_resume never raises and every span it returns points at its own surface."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ai_identity.features.resume import parse_resume
from ai_identity.features.resume.dates import find_ranges

_PIECES = st.sampled_from(
    [
        "工作经历\n", "教育背景\n", "专业技能：", "2019.07-至今 ", "2019年7月—2021年3月 ",
        "Jul 2019 – Present ", "07/2019-03/2021 ", "星河软件有限公司 ", "东湖大学 ", "本科 ",
        "后端工程师\n", "EXPERIENCE\n", "Python, SQL\n",
        "林小舟\n", "a@b.io ", "13900001111 ", "|", "\t", "\n\n", "——", "：", "Bachelor of Science\n",
    ]
)  # fmt: skip
_TEXT = st.one_of(st.text(max_size=400), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_when_any_text_is_parsed_then_no_exception_and_spans_are_exact(text: str):
    parsed = parse_resume(text)
    assert not any(i.startswith("internal_error") for i in parsed.issues)
    for item in parsed.personal_info.model_dump().values():
        if item:
            assert text[item["start"] : item["end"]] == item["value"]
    for w in parsed.work_experience:
        for x in (w.company, w.title):
            if x:
                assert text[x.start : x.end] == x.value
        assert 0 <= w.span_start <= w.span_end <= len(text)
    for e in parsed.education:
        for x in (e.school, e.degree, e.major):
            if x:
                assert text[x.start : x.end] == x.value
    for s in parsed.skills:
        assert text[s.start : s.end] == s.surface
    for c in parsed.certifications:
        assert text[c.start : c.end] == c.name
    for sec in parsed.sections:
        assert 0 <= sec.start <= sec.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_when_ranges_are_found_then_start_is_not_after_end(text: str):
    for r in find_ranges(text):
        assert r.end is None or r.start <= r.end
        assert 0 <= r.span_start < r.span_end <= len(text)
