"""Date and date-range rules of the resume parser, table-driven."""

from __future__ import annotations

import pytest

from ai_identity.features.resume.dates import find_ranges, parse_range


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("2019.07-至今 星河软件", "2019-07", None, True),
        ("2019年7月—2021年3月", "2019-07", "2021-03", False),
        ("Jul 2019 – Present", "2019-07", None, True),
        ("07/2019-03/2021", "2019-07", "2021-03", False),
        ("2011/05 -- 2012/05", "2011-05", "2012-05", False),
        ("2016-09 ~ 2020-06", "2016-09", "2020-06", False),
        ("Sept 2015 to Dec 2017", "2015-09", "2017-12", False),
        ("2014 - 2018", "2014-01", "2018-12", False),
        ("2018年9月至今", "2018-09", None, True),
        ("March 2020 - Current", "2020-03", None, True),
        ("September 2017 onwards", "2017-09", None, True),
    ],
)
def test_when_a_range_is_written_then_start_end_and_current_are_read(text, start, end, current):
    rng = find_ranges(text)[0]
    assert (rng.start, rng.end, rng.is_current) == (start, end, current)
    assert text[rng.span_start : rng.span_end].startswith(text.strip()[:4])


@pytest.mark.parametrize(
    "text",
    ["电话 13812345678", "月薪 4001-6000元/月", "规模 20-99人", "", "no dates here"],
)
def test_when_numbers_are_not_dates_then_no_range_is_found(text):
    assert find_ranges(text) == []


def test_when_only_one_date_then_parse_range_has_no_end():
    rng = parse_range("毕业于 2015年6月")
    assert rng is not None and (rng.start, rng.end, rng.is_current) == ("2015-06", None, False)
