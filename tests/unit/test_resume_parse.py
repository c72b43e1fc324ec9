"""parse_resume on hand-written Chinese, English and mixed resumes (invented people and companies)."""

from __future__ import annotations

import pytest

from ai_identity.features.resume import PARSING_VERSION, ParsedResume, parse_resume

ZH_RESUME = """个人简历
林小舟
男 | 1994年3月生 | 现居住地：杭州
手机：13900001111
邮箱：linxz@example.com

求职意向
期望职位：后端工程师

工作经历
2019.07-至今
星河软件有限公司 | 研发部 | 高级后端工程师
负责订单系统的设计与开发，使用Java、Spring Boot和MySQL。

2017年7月—2019年6月
青石数据科技有限公司 | 软件工程师
参与数据平台开发。

教育背景
2013.09-2017.06  东湖大学 | 计算机科学与技术 | 本科

项目经验
2020.03-2021.01 智能排班系统
担任职位：技术负责人
项目描述：为连锁门店做排班优化。

专业技能
Java、Python、MySQL、Redis、Docker

证书
2018/06 软件设计师证书
"""

EN_RESUME = """Maya Fernwood
Data Engineer
maya.fernwood@example.org | +1 415 555 0134 | Portland, OR

SUMMARY
Data engineer with six years of building pipelines.

WORK EXPERIENCE
Senior Data Engineer
Bluefin Analytics Inc.
Jul 2019 – Present
Built streaming pipelines with Kafka and Spark.

Data Engineer
Harbor Logistics Ltd
07/2016-06/2019
Maintained the warehouse in PostgreSQL.

EDUCATION
Bachelor of Science in Computer Science
Cascade State University
Sep 2012 - May 2016

SKILLS
Python, SQL, Apache Spark, Kafka, Docker

CERTIFICATIONS
AWS Certified Solutions Architect
"""

NO_HEADER_ZH = """王小禾  女  28岁
电话 13800002222
2014.09-2018.06 西岭大学 会计学 本科
2018.07-2020.12 北辰贸易有限公司 会计
2021.01-至今 南山物流集团 财务主管
"""

MIXED_SECTIONS_ZH = """赵小川
教育经历
2012.09-2016.07 北湖理工学院 机械工程 本科
2016.08-2019.03 远山机械有限公司 机械工程师
2019.04-至今 青云智能装备有限公司 研发经理
"""


def _check_spans(text: str, parsed: ParsedResume) -> None:
    items = [v for v in parsed.personal_info.model_dump().values() if v]
    for w in parsed.work_experience:
        items += [x.model_dump() for x in (w.company, w.title) if x]
    for e in parsed.education:
        items += [x.model_dump() for x in (e.school, e.degree, e.major) if x]
    for item in items:
        assert text[item["start"] : item["end"]] == item["value"]
        assert 0.0 <= item["confidence"] <= 1.0
    for s in parsed.skills:
        assert text[s.start : s.end] == s.surface


def test_when_a_chinese_resume_has_headers_then_every_part_is_found():
    parsed = parse_resume(ZH_RESUME)
    assert parsed.language == "zh" and parsed.parsing_version == PARSING_VERSION
    kinds = [s.kind for s in parsed.sections]
    for kind in ("personal", "objective", "work", "education", "projects", "skills", "certifications"):
        assert kind in kinds
    pi = parsed.personal_info
    assert (
        pi.name.value == "林小舟"
        and pi.email.value == "linxz@example.com"
        and pi.phone.value == "13900001111"
    )
    assert pi.location.value == "杭州"
    w0, w1 = parsed.work_experience
    assert (w0.start, w0.end, w0.is_current) == ("2019-07", None, True)
    assert w0.company.value == "星河软件有限公司" and w0.title.value == "高级后端工程师"
    assert (w1.start, w1.end) == ("2017-07", "2019-06") and w1.company.value == "青石数据科技有限公司"
    (edu,) = parsed.education
    assert (
        edu.school.value == "东湖大学" and edu.level == "bachelor" and edu.major.value == "计算机科学与技术"
    )
    assert parsed.projects and parsed.projects[0].role.value == "技术负责人"
    assert {"Java", "Python", "MySQL", "Redis", "Docker"} <= {s.surface for s in parsed.skills}
    assert [c.name for c in parsed.certifications] == ["软件设计师证书"]
    assert parsed.certifications[0].date == "2018-06"
    _check_spans(ZH_RESUME, parsed)


def test_when_an_english_resume_has_headers_then_entries_and_dates_are_found():
    parsed = parse_resume(EN_RESUME)
    assert parsed.language == "en"
    assert parsed.personal_info.email.value == "maya.fernwood@example.org"
    assert parsed.personal_info.name.value == "Maya Fernwood"
    assert [s.kind for s in parsed.sections][:3] == ["personal", "summary", "work"]
    starts = [(w.start, w.end, w.is_current) for w in parsed.work_experience]
    assert starts == [("2019-07", None, True), ("2016-07", "2019-06", False)]
    assert parsed.work_experience[0].company.value == "Bluefin Analytics Inc."
    assert parsed.work_experience[0].title.value == "Senior Data Engineer"
    assert parsed.education and parsed.education[0].level == "bachelor"
    assert parsed.education[0].school.value == "Cascade State University"
    assert "Python" in {s.surface for s in parsed.skills}
    assert parsed.certifications[0].name == "AWS Certified Solutions Architect"
    _check_spans(EN_RESUME, parsed)


def test_when_a_resume_has_no_headers_then_entries_are_classified_by_content():
    parsed = parse_resume(NO_HEADER_ZH)
    assert [e.school.value for e in parsed.education] == ["西岭大学"]
    assert [w.company.value for w in parsed.work_experience] == ["北辰贸易有限公司", "南山物流集团"]
    assert parsed.work_experience[1].is_current
    _check_spans(NO_HEADER_ZH, parsed)


def test_when_work_is_mixed_into_education_then_it_is_still_work():
    parsed = parse_resume(MIXED_SECTIONS_ZH)
    assert len(parsed.education) == 1 and len(parsed.work_experience) == 2
    assert parsed.work_experience[0].company.value == "远山机械有限公司"


def test_when_a_resume_mixes_languages_then_language_is_mixed():
    text = "Skills 技能\nPython, Java, 数据分析, 机器学习 and deep learning experience 项目经验丰富"
    assert parse_resume(text).language == "mixed"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t",
        "\x00\x01\x02",
        "2019-" * 500,
        "至今" * 1000,
        "|" * 10000,
        "工作经历\n" * 300,
        "a" * 300_000,
    ],
)
def test_when_text_is_odd_then_parse_resume_returns_without_raising(text):
    parsed = parse_resume(text)
    assert isinstance(parsed, ParsedResume)


def test_when_text_is_empty_then_the_reason_is_given():
    assert parse_resume("").issues == ["empty: no text"]


def test_when_input_is_not_text_then_the_reason_is_given():
    assert parse_resume(None).issues[0].startswith("not_text")  # type: ignore[arg-type]
