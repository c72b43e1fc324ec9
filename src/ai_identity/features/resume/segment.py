"""Section segmentation of a resume (Chinese and English).

Method: rules over lines. A line is a header when, stripped of decorations (【】, ■, ·, ：, dashes …), it is
short and names a section (工作经历, 教育背景, 项目经验, 专业技能, 证书, 自我评价 …; Work Experience,
Education, Projects, Skills, Certifications, Summary …). A header followed by a colon and content on the
same line ("专业技能：Java、Python") opens its section there. The text before the first header is the
``personal`` section. Resumes with no header at all, or with entries of one kind inside another's section,
are handled by the parser, which classifies every dated entry by its own content (see ``parser``).
"""

from __future__ import annotations

import re

from ai_identity.features.resume.models import Section

# First match wins: "工作/项目经验" is a projects header, "教育/工作经历" a work header.
_ZH_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("objective", ("求职意向", "求职目标", "期望工作", "职业目标", "近期目标", "应聘")),
    (
        "summary",
        ("自我评价", "个人评价", "自我介绍", "自我评定", "个人优势", "个人简介", "职业概述", "个人总结"),
    ),
    ("projects", ("项目",)),
    ("work", ("工作", "实习", "职业经历", "任职", "经历汇总", "个人经历", "从业经历", "科研")),
    ("education", ("教育", "学历", "学习经历", "主修课程", "在校")),
    ("training", ("培训",)),
    ("certifications", ("证书", "资格", "认证")),
    ("awards", ("获奖", "奖励", "奖项", "荣誉")),
    ("languages", ("语言",)),
    ("skills", ("技能", "能力", "特长", "专长", "技术")),
    ("personal", ("个人信息", "基本信息", "联系方式", "个人资料", "基本资料")),
    ("other", ("爱好", "兴趣", "其他", "其它", "论文", "社会实践", "人生格言", "附加信息")),
)
_EN_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("objective", ("objective", "career goal")),
    ("summary", ("summary", "profile", "about me", "overview", "professional summary")),
    ("projects", ("project",)),
    ("training", ("training", "courses")),
    ("work", ("experience", "employment", "work history", "career history", "internship")),
    ("education", ("education", "academic", "qualification", "schooling")),
    ("certifications", ("certification", "certificate", "license", "licence")),
    ("awards", ("award", "honor", "honour", "achievement", "accomplishment")),
    ("languages", ("languages",)),
    ("skills", ("skill", "technical", "technologies", "expertise", "competenc", "tools", "strengths")),
    ("personal", ("personal", "contact")),
    ("other", ("hobbies", "interests", "additional information", "references", "publications", "activities")),
)
_DECOR = re.compile(r"^[\s　#*=\-_~·•●■□◆◇▌▍|【\[(（<《]+|[\s　#*=\-_~·•●■□◆◇▌▍|】\])）>》:：]+$")
_INLINE = re.compile(r"^[\s　·•●■◆▌【\[]*([^\s:：】\]]{2,8})[】\]]?\s*[:：]\s*\S")
_HAN = re.compile(r"[\u4e00-\u9fff]")


# A Chinese header ends like a section name; field labels (工作描述, 工作性质, 最高学历 …) do not.
_ZH_HEADER_END = re.compile(
    r"(经历|经验|背景|技能|证书|评价|评定|意向|目标|信息|资料|能力|特长|专长|奖项|情况|介绍|简介|爱好|培训|教育|履历"
    r"|概况|状况|水平|课程|实践|荣誉|奖励|论文|档案|总结|优势|概述|项目|工作|其他|其它|格言)$"
)
_TRAILING_NOTE = re.compile(r"\s*([(（\[].*[)）\]])$")


def _kind_for(clean: str, strict: bool = False) -> str | None:
    if _HAN.search(clean):
        clean = _TRAILING_NOTE.sub("", clean)
        if len(clean) > 10 or not _ZH_HEADER_END.search(clean):
            return None
        if strict and len(clean) > 6:
            return None
        for kind, words in _ZH_KINDS:
            if any(w in clean for w in words):
                return kind
        return None
    low = clean.lower()
    tokens = low.split()
    if not tokens or len(tokens) > 4 or len(clean) > 40 or not re.fullmatch(r"[a-z &/,'-]+", low):
        return None
    if not (clean.isupper() or clean.istitle() or all(w[0].isupper() for w in clean.split() if len(w) > 3)):
        return None
    for kind, keys in _EN_KINDS:
        if any(k in low for k in keys):
            return kind
    return None


def classify_header(line: str) -> str | None:
    """The section kind a line announces, or None when it is not a header line."""
    clean = _DECOR.sub("", line.strip())
    clean = re.sub(r"[\s　]+", " ", clean).strip()
    if not clean or len(clean) > 40:
        return None
    if _HAN.search(clean):
        clean = clean.replace(" ", "")
    return _kind_for(clean)


def find_sections(text: str) -> list[Section]:
    """Split ``text`` into sections; the text before the first header is ``personal``."""
    heads: list[tuple[int, int, str, str]] = []  # (header start, content start, kind, header text)
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        kind = classify_header(body)
        if kind is not None:
            lead = len(body) - len(body.lstrip())
            heads.append((pos + lead, pos + len(line), kind, body.strip()))
        else:
            m = _INLINE.match(body)
            if m and (kind := _kind_for(m.group(1), strict=True)) is not None and kind != "personal":
                colon = body.find("：") if "：" in body[: m.end()] else body.find(":")
                heads.append((pos + m.start(1), pos + colon + 1, kind, m.group(1)))
        pos += len(line)
    sections: list[Section] = []
    first = heads[0][0] if heads else len(text)
    if text[:first].strip():
        sections.append(Section(kind="personal", header=None, start=0, end=first))
    for i, (h_start, c_start, kind, header) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append(Section(kind=kind, header=header, start=h_start, end=max(end, c_start)))  # type: ignore[arg-type]
    return sections
