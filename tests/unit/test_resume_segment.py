"""Section segmentation rules, Chinese and English."""

from __future__ import annotations

import pytest

from ai_identity.features.resume.segment import classify_header, find_sections


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("工作经历", "work"),
        ("【工作经验】", "work"),
        ("■ 教育背景", "education"),
        ("项 目 经 验", "projects"),
        ("专业技能：", "skills"),
        ("证书", "certifications"),
        ("自我评价", "summary"),
        ("求职意向", "objective"),
        ("WORK EXPERIENCE", "work"),
        ("Education", "education"),
        ("Technical Skills", "skills"),
        ("Certifications", "certifications"),
        ("PROFESSIONAL SUMMARY", "summary"),
        ("Projects:", "projects"),
    ],
)
def test_when_a_line_is_a_header_then_its_kind_is_named(line, kind):
    assert classify_header(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "工作描述：负责后台开发",
        "工作性质：全职",
        "最高学历：本科",
        "Experience in building data pipelines with Spark",
        "",
        "3、用户的培训方案",
    ],
)
def test_when_a_line_is_a_field_or_prose_then_it_is_not_a_header(line):
    assert classify_header(line) is None


def test_when_headers_exist_then_sections_cover_the_text_in_order():
    text = (
        "林小舟\n电话 13900001111\n\n工作经历\n2019.07-至今 星河软件有限公司 后端工程师\n\n"
        "教育背景\n2015.09-2019.06 东湖大学 本科\n"
    )
    sections = find_sections(text)
    assert [s.kind for s in sections] == ["personal", "work", "education"]
    assert sections[0].header is None and sections[1].header == "工作经历"
    assert text[sections[2].start : sections[2].end].startswith("教育背景")


def test_when_a_header_carries_inline_content_then_the_section_starts_there():
    text = "张小桥\n专业技能：Java、Python、MySQL\n"
    sections = find_sections(text)
    assert sections[-1].kind == "skills"
