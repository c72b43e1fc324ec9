"""Career facet on hand-made cases in Chinese and English: seniority, total years, merging and title voting."""

from __future__ import annotations

from datetime import date

import pytest

from ai_identity.analyse.career import (
    CareerInputs,
    Job,
    career_facet,
    edu_level,
    merge_jobs,
    seniority_from_years,
    seniority_of,
    total_years,
)
from ai_identity.model.identity import Evidence

CUTOFF = date(2026, 11, 1)


def ev(store: str, quote: object = None, weight: float | None = None, field: str = "title") -> Evidence:
    return Evidence(source="mysql", store=store, record="id=1", field=field, quote=quote, weight=weight)


def job(
    company: str | None,
    title: str | None,
    start: str | None,
    end: str | None,
    *,
    current: bool = False,
    weight: float = 0.8,
    store: str = "resume_content",
) -> Job:
    return Job(company, title, start, end, current, weight, [ev(store, title, weight, "start")])


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("高级Java工程师", "senior"),
        ("资深前端工程师", "senior"),
        ("产品总监", "lead"),
        ("技术负责人", "lead"),
        ("财务经理", "lead"),
        ("产品经理", "mid"),
        ("客户经理", "mid"),
        ("数据分析师", "mid"),
        ("销售代表", "junior"),
        ("运营助理", "junior"),
        ("Junior Data Analyst", "junior"),
        ("Marketing Intern", "junior"),
        ("Associate Product Manager", "junior"),
        ("Finance Manager", "lead"),
        ("HR Manager", "lead"),
        ("Head of Engineering", "lead"),
        ("Account Manager", "mid"),
        ("Key Account Manager", "mid"),
        ("Product Manager", "mid"),
        ("Senior Product Manager", "senior"),
        ("Sr. Software Engineer", "senior"),
        ("Staff Engineer", "senior"),
        ("Software Engineer", "mid"),
        (None, None),
        ("", None),
    ],
)
def test_when_title_read_then_seniority_follows_title_words_in_both_languages(
    title: str | None, level: str | None
) -> None:
    assert seniority_of(title) == level


@pytest.mark.parametrize(
    ("years", "level"), [(None, "mid"), (0.5, "junior"), (3, "mid"), (7, "senior"), (12, "lead")]
)
def test_when_no_title_then_seniority_follows_years(years: float | None, level: str) -> None:
    assert seniority_from_years(years) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("本科", "bachelor"),
        ("硕士研究生", "master"),
        ("博士", "phd"),
        ("大专", "associate"),
        ("B.Sc. Computer Science", "bachelor"),
        ("MBA", "master"),
        ("Ph.D. in Physics", "phd"),
        ("master", "master"),
        ("Certificate", None),
        (None, None),
    ],
)
def test_when_degree_text_read_then_education_level_is_recognised(
    text: str | None, level: str | None
) -> None:
    assert edu_level(text) == level


def test_when_intervals_overlap_then_total_years_counts_their_union_once() -> None:
    jobs = [
        job("A", "x", "2018-01", "2020-01"),
        job("B", "y", "2019-01", "2021-01"),  # overlap: 2018-01..2021-01
        job("C", "z", "2022-01", "2023-01"),
    ]  # gap of a year, then 1 year
    assert total_years(jobs, CUTOFF) == 4.0


def test_when_an_interval_contains_another_then_it_adds_nothing() -> None:
    jobs = [job("A", "x", "2015-01", "2020-01"), job("B", "y", "2016-06", "2017-06")]
    assert total_years(jobs, CUTOFF) == 5.0


def test_when_job_is_open_then_it_runs_to_the_cutoff_and_future_ends_are_capped() -> None:
    assert total_years([job("A", "x", "2024-11", None)], CUTOFF) == 2.0
    assert total_years([job("A", "x", "2025-11", "2030-01")], CUTOFF) == 1.0


def test_when_no_job_is_dated_then_total_years_is_unknown() -> None:
    assert total_years([job("A", "x", None, None)], CUTOFF) is None
    assert total_years([], CUTOFF) is None


def test_when_sources_name_the_same_company_then_entries_merge_and_gaps_are_filled() -> None:
    inputs = CareerInputs(
        parsed_jobs=[job("北京字节跳动科技有限公司", "高级Java工程师", "2021-03", None, current=True)],
        platform_jobs=[
            job("北京字节跳动科技", None, "2021-01", None, store="parsed_resume_data"),
            job("Acme Inc", "Software Engineer", "2018-07", "2021-02", store="parsed_resume_data"),
        ],
        graph_jobs=[job("acme", "Engineer", None, None, store="WORKED_AT")],
    )
    merged = merge_jobs(inputs)
    assert [(j.company, j.title, j.start, j.end) for j in merged] == [
        ("Acme Inc", "Software Engineer", "2018-07", "2021-02"),
        ("北京字节跳动科技有限公司", "高级Java工程师", "2021-03", None),
    ]
    assert [e.store for e in merged[0].evidence] == ["parsed_resume_data", "WORKED_AT"]
    assert [e.store for e in merged[1].evidence] == ["resume_content", "parsed_resume_data"]
    assert not inputs.contradictions


def test_when_entry_ends_before_it_starts_then_it_is_dropped_with_a_contradiction() -> None:
    inputs = CareerInputs(
        parsed_jobs=[
            job("Globex", "Analyst", "2020-05", "2019-01"),
            job("Initech", "Data Analyst", "2019-01", "2020-01"),
        ]
    )
    merged = merge_jobs(inputs)
    assert [j.company for j in merged] == ["Initech"]
    assert inputs.contradictions == ["a work entry ends before it starts; dropped"]


def test_when_undated_graph_edge_matches_nothing_then_it_does_not_extend_a_dated_history() -> None:
    inputs = CareerInputs(
        parsed_jobs=[job("Initech", "Data Analyst", "2019-01", None)],
        graph_jobs=[job("Umbrella", "Chemist", None, None, store="WORKED_AT")],
    )
    assert [j.company for j in merge_jobs(inputs)] == ["Initech"]


def test_when_sources_vote_on_the_current_title_then_the_heavier_vote_wins() -> None:
    inputs = CareerInputs(
        parsed_jobs=[
            job("云图商贸", "销售代表", "2019-01", "2021-12"),
            job("知微百货", "运营经理", "2022-01", None, current=True, weight=0.8),
        ],
        title_votes=[
            ("运营经理 - 简历", 0.4, ev("resumes", "运营经理 - 简历")),
            ("Operations Specialist", 0.4, ev("resumes", "Operations Specialist")),
        ],
    )
    career = career_facet(inputs, CUTOFF)
    assert career.current_title is not None and career.current_title.value == "运营经理"
    assert {e.store for e in career.current_title.evidence} == {
        "resume_content",
        "resumes",
    }  # both voters cited
    assert (
        career.seniority is not None and career.seniority.value == "lead"
    )  # 经理, not a product/account one
    assert career.trajectory is not None and career.trajectory.value == "rising"  # 销售代表 (junior) -> lead
    assert career.total_years is not None and career.total_years.value == pytest.approx(
        7.8
    )  # 2019-01..2026-11
    assert [j.is_current for j in career.history] == [False, True]


def test_when_only_resume_titles_vote_then_majority_title_wins_and_seniority_is_read_from_it() -> None:
    inputs = CareerInputs(
        title_votes=[
            ("Senior Data Analyst", 0.4, ev("resumes", "Senior Data Analyst")),
            ("Senior Data Analyst | CV", 0.4, ev("resumes", "Senior Data Analyst | CV")),
            ("Data Analyst", 0.4, ev("resumes", "Data Analyst")),
        ]
    )
    career = career_facet(inputs, CUTOFF)
    assert career.current_title is not None and career.current_title.value == "Senior Data Analyst"
    assert career.seniority is not None and career.seniority.value == "senior"


def test_when_profile_years_disagree_with_dates_then_contradiction_is_reported() -> None:
    stated = ev("user_profiles", 12, field="experience_years")
    inputs = CareerInputs(
        parsed_jobs=[job("Initech", "Engineer", "2022-01", None)], stated_years=(12, stated)
    )
    career = career_facet(inputs, CUTOFF)
    assert career.total_years is not None and career.total_years.value == pytest.approx(4.8)
    assert inputs.contradictions == [
        "user_profiles.experience_years disagrees with the career dates by 3+ years"
    ]


def test_when_no_dated_entry_then_stated_years_are_used_with_their_evidence() -> None:
    stated = ev("user_profiles", 6, field="experience_years")
    career = career_facet(CareerInputs(stated_years=(6, stated)), CUTOFF)
    assert career.total_years is not None and career.total_years.value == 6
    assert career.total_years.evidence == [stated]
    assert career.seniority is None  # no title and no dated entry: nothing to read it from
