"""Work, education and project entries, anchored on date ranges.

Method: every date range (``dates``) opens an entry; the entry runs to the next range or to the end of its
section. The entry's kind is its section's (work / education / projects) unless its own header lines say
otherwise — a school or a degree word makes it education, an organisation suffix or a job title makes it
work — which also handles resumes with no headers and sections mixed together. Fields come from the entry's
header lines (the dated line, the line before it when it is short, and the next line): segments split at
``|``, tabs and wide gaps are matched against suffix and title lists, then the CRF spans (Chinese CRF on the
header text, English CRF on the whole resume) fill what the rules left empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ai_identity.features.resume import zh_words
from ai_identity.features.resume.dates import DateRange, find_dates, find_ranges
from ai_identity.features.resume.models import EduEntry, EduLevel, ProjectEntry, Section, SpanItem, WorkEntry
from ai_identity.features.resume.segment import classify_header
from ai_identity.features.resume.tagging import Span

ZhTag = Callable[[str], Sequence[tuple[Span, float]]]

_SCHOOL_RE = re.compile(
    r"[\u4e00-\u9fff（）()·A-Za-z]{2,30}?(?:大学|学院|学校|中学|职校|技校|党校|研究生院|分校)"
    r"(?:[\u4e00-\u9fff]{0,6}(?:学院|分校))?"
    r"|(?:[A-Z][\w.&'\-]*[ \t]+){0,6}(?:University|College|Institute|School|Academy|Polytechnic)"
    r"(?:[ \t]+of(?:[ \t]+[A-Z][\w.&'\-]*){1,5})?"
)
_ORG_END = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|银行|证券|事务所|研究院|研究所|医院|中心|工作室|网|厂|局|委员会|协会)"
    r"(?:[（(][^）)]{1,10}[）)])?$"
    r"|\b(?:Ltd\.?|Limited|Pvt|Inc\.?|LLC|Corp\.?|Corporation|Technologies|Solutions|Services|Systems|Bank|Group)$"
)
_DEGREE_RE = re.compile(
    r"博士后|博士研究生|博士|硕士研究生|硕士|研究生|本科|学士|大专|专科|中专|高中|职高|初中|EMBA|MBA"
    r"|\b(?:Ph\.?\s?D\.?|Doctorate|Master(?:'s)?(?: of [A-Z][a-z]+(?: [A-Z][a-z]+)*)?|M\.?\s?Tech|M\.?Sc\.?"
    r"|MCA|M\.E\.?|Bachelor(?:'s)?(?: of [A-Z][a-z]+(?: [A-Z][a-z]+)*)?|B\.?\s?Tech|B\.E\.?|B\.?Sc\.?|BCA|BBA"
    r"|B\.?Com|Associate(?:'s)? (?:Degree|of [A-Z][a-z]+)|Diploma"
    r"|High School|HSC|SSC)\b",
)
_LEVELS: tuple[tuple[EduLevel, tuple[str, ...]], ...] = (
    ("phd", ("博士", "ph", "doctor")),
    ("master", ("硕士", "研究生", "mba", "emba", "master", "m.tech", "mtech", "m.sc", "msc", "mca", "m.e")),
    (
        "bachelor",
        ("本科", "学士", "bachelor", "b.tech", "btech", "b.e", "b.sc", "bsc", "bca", "bba", "b.com", "bcom"),
    ),
    ("associate", ("大专", "专科", "associate", "diploma")),
    ("high_school", ("高中", "中专", "职高", "high school", "hsc", "ssc")),
)
_SEG_SPLIT = re.compile(
    r"\s*(?:[|｜/\t\r\n，；]|\s{2,}|　+)\s*|(?<=[\u4e00-\u9fff)）\d])[ ]+(?=[\u4e00-\u9fff(（A-Za-z])"
    r"|(?<=[\u4e00-\u9fff)）])[ ]+(?=[\u4e00-\u9fff(（A-Za-z\d])"
)
_TITLE_SUFFIX = tuple(
    sorted(set(zh_words.TITLE_SUFFIXES) | {"工程师", "设计师", "实习生", "总监", "专员"}, key=len)
)
_TITLE_EN = re.compile(
    r"\b(?:Engineer|Developer|Manager|Analyst|Consultant|Lead|Executive|Intern|Associate|Administrator|Architect"
    r"|Officer|Specialist|Tester|Designer|Trainee|Director|Representative|Coordinator|Supervisor|Programmer)\b"
)
_FIELD = re.compile(
    r"(?:专业|项目名称|担任职位|职位名称|职位|职务|公司名称|学校名称|Role|Position)\s*[:：]\s*([^\n|｜\t]{1,40})"
)


@dataclass
class _Block:
    rng: DateRange
    start: int  # entry span
    end: int
    head_start: int  # header lines
    head_end: int
    kind: str


def level_of(degree: str) -> EduLevel | None:
    """Normalise a degree surface to high_school/associate/bachelor/master/phd (None when unknown)."""
    low = degree.lower()
    for level, keys in _LEVELS:
        if any(k in low for k in keys):
            return level
    return None


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, len(text) if e < 0 else e


# Whether a line names a school, without running ``_SCHOOL_RE``'s slow Chinese branch over long English lines: that
# branch needs one of the Chinese words, and the English branch matches wherever one of its English words stands
# (its leading capitalised words and its "of …" tail are optional).
_ZH_SCHOOL_WORDS = ("大学", "学院", "学校", "中学", "职校", "技校", "党校", "研究生院", "分校")
_EN_SCHOOL_WORDS = ("University", "College", "Institute", "School", "Academy", "Polytechnic")


def _names_school(head: str) -> bool:
    if any(w in head for w in _EN_SCHOOL_WORDS):
        return True
    return any(w in head for w in _ZH_SCHOOL_WORDS) and _SCHOOL_RE.search(head) is not None


def _content_kind(head: str) -> str | None:
    if _names_school(head) or (_DEGREE_RE.search(head) and "公司" not in head):
        return "education"
    segs = [s.strip() for s in _SEG_SPLIT.split(head) if s and s.strip()]
    if any(_ORG_END.search(s) for s in segs) or _TITLE_EN.search(head):
        return "work"
    if any(len(s) <= 12 and s.endswith(_ZH_TITLES) for s in segs):
        return "work"
    return None


def _crf_kind(line: str, zh_tag: ZhTag | None) -> str | None:
    """Prose lines ("2000年至2001年在某某公司担任…"): the Chinese CRF decides whether an ORG is named."""
    if zh_tag is None or not _HAN_RE.search(line):
        return None
    orgs = [line[sp.start : sp.end] for sp, _c in zh_tag(line[:200]) if sp.type == "ORG"]
    if not orgs:
        return None
    return "education" if any(o.endswith(_SCHOOL_ENDS) for o in orgs) else "work"


_ZH_TITLES = tuple(w for w in zh_words.TITLE_WORDS if len(w) >= 2 and w.isascii() is False)
_ZH_SCHOOL_RE = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:大学|学院)(?![\u4e00-\u9fff]{0,2}(?:教授|讲师|老师))")
_GRAD_FIELD = re.compile(r"(?:毕业(?:学校|院校)|学校名称|毕业于)\s*[:：\t ]?\s*")
_LEVEL_FIELD = re.compile(r"(?:学\s*历|学\s*位)(?:\s*[（(]学位[)）])?\s*[:：\t ]\s*")
_MAJOR_FIELD = re.compile(r"专业(?:名称)?\s*[:：\t ]\s*([\u4e00-\u9fffA-Za-z]{2,15})")


def undated_education(text: str) -> list[EduEntry]:
    """ "毕业学校：X" / "毕业于X大学" fields when no dated education entry exists (one entry at most);
    failing those, the first school named in the resume, with a low confidence."""
    field = _GRAD_FIELD.search(text)
    named = _SCHOOL_RE.match(text, field.end()) if field else None
    fallback = field is None or named is None or "\n" in named.group()
    if fallback or field is None or named is None:
        named = _ZH_SCHOOL_RE.search(text)
        if named is None:
            return []
        field = named
    m, sm = field, named
    window_s, window_e = max(0, m.start() - 300), min(len(text), m.end() + 300)
    school = _item(text, sm.start(), sm.end(), 0.8)
    degree = None
    lm = _LEVEL_FIELD.search(text, window_s, window_e)
    dm = _DEGREE_RE.search(text, lm.end(), min(lm.end() + 10, len(text))) if lm else None
    dm = dm or _DEGREE_RE.search(text, sm.end(), min(sm.end() + 40, len(text)))
    if dm:
        degree = _item(text, dm.start(), dm.end(), 0.8)
    major = None
    mm = _MAJOR_FIELD.search(text, window_s, window_e)
    if mm:
        major = _item(text, mm.start(1), mm.end(1), 0.7)
    dates = [d for d in find_dates(text[sm.end() : window_e]) if d.month is not None][:2]
    start = f"{dates[0].year:04d}-{dates[0].month:02d}" if dates else None
    end = f"{dates[1].year:04d}-{dates[1].month:02d}" if len(dates) > 1 else None
    return [
        EduEntry(
            school=school,
            degree=degree,
            level=level_of(degree.value) if degree else None,
            major=major,
            start=start,
            end=end,
            span_start=m.start(),
            span_end=max(x.end for x in (school, degree, major) if x is not None),
            confidence=0.4 if fallback else 0.6,
        )
    ]


_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_SCHOOL_ENDS = ("大学", "学院", "学校", "中学", "分校")
_CONTENT_ONLY = ("personal", "other", "objective", "summary", "languages", "skills")


def find_blocks(text: str, sections: list[Section], zh_tag: ZhTag | None = None) -> list[_Block]:
    """Dated entries with their kind (see module doc); ranges in other sections are skipped."""
    ranges = find_ranges(text)
    blocks: list[_Block] = []
    for i, rng in enumerate(ranges):
        sec = next((s for s in sections if s.start <= rng.span_start < s.end), None)
        sec_kind = sec.kind if sec else "personal"
        line_s, line_e = _line_bounds(text, rng.span_start)
        head_s, head_e = line_s, line_e
        head_s = _lines_above(text, head_s, blocks[-1].head_end if blocks else 0)
        if blocks and blocks[-1].end > head_s:
            blocks[-1].end = max(head_s, blocks[-1].head_end)
        nxt_s = line_e + 1
        while nxt_s < len(text) and text[nxt_s] in "\r\n \t　" and nxt_s - line_e < 6:
            nxt_s += 1  # blank lines between the date and the line it belongs with
        if nxt_s < len(text):
            _, nxt_e = _line_bounds(text, nxt_s)
            if len(text[nxt_s:nxt_e].strip()) <= 80 and not find_ranges(text[nxt_s:nxt_e]):
                head_e = nxt_e
        end = len(text) if sec is None else sec.end
        if i + 1 < len(ranges):
            nl_s, _ = _line_bounds(text, ranges[i + 1].span_start)
            end = min(end, max(nl_s, line_e))
        head_e = min(max(head_e, line_e), max(end, line_e))
        head = text[head_s:head_e]
        kind: str = sec_kind
        content = _content_kind(head)
        if sec_kind in ("work", "education") and content and content != sec_kind:
            kind = content
        elif sec_kind == "training" and content == "education":
            kind = content  # "教育/培训" sections list schools too
        elif sec_kind not in ("work", "education", "projects"):
            if sec_kind not in _CONTENT_ONLY:
                continue
            content = content or _crf_kind(text[line_s:line_e], zh_tag)
            if content is None:
                continue
            kind = content
        if blocks and blocks[-1].head_start <= rng.span_start < blocks[-1].head_end:
            continue  # a second range inside the same header (e.g. a repeated period)
        blocks.append(_Block(rng, head_s, max(end, line_e), head_s, head_e, kind))
    return blocks


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _SEG_SPLIT.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _strip_range(text: str, s: int, e: int, rng: DateRange) -> tuple[int, int]:
    if s < rng.span_end and e > rng.span_start:  # segment holds the date: keep what follows or precedes it
        s, e = (rng.span_end, e) if e - rng.span_end >= rng.span_start - s else (s, rng.span_start)
    while s < e and text[s] in " ：:，,;；-—()（）[]【】·•":
        s += 1
    while e > s and text[e - 1] in " ：:，,;；-—()（）[]【】·•":
        e -= 1
    return s, e


def _lines_above(text: str, head_s: int, floor: int) -> int:
    """Start of up to two short lines above the dated line (title, company), skipping blank lines."""
    taken = 0
    pos = head_s
    while taken < 2 and pos > floor:
        prev_s, _e = _line_bounds(text, pos - 1)
        prev = text[prev_s:pos].strip()
        if prev_s < floor:
            break
        if not prev:
            if head_s - prev_s > 400:
                break
            pos = prev_s
            continue
        if len(prev) > 60 or find_ranges(prev) or classify_header(prev) is not None:
            break
        pos = head_s = prev_s
        taken += 1
    return head_s


def _item(text: str, s: int, e: int, conf: float) -> SpanItem:
    """A field value; a date written inside it ("Sr. Consultant (June 2008 - Sep 2013)") is cut off."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    dates = find_dates(text[s:e])
    if dates and dates[0].start > 0:
        e = s + dates[0].start
        while e > s and text[e - 1] in " \t(（-–—,，:：|":
            e -= 1
    return SpanItem(value=text[s:e], start=s, end=e, confidence=round(conf, 3))


def _pick(
    spans: list[tuple[Span, float]], types: tuple[str, ...], lo: int, hi: int
) -> tuple[Span, float] | None:
    return next(((sp, c) for sp, c in spans if sp.type in types and lo <= sp.start < hi), None)


def build_work(text: str, b: _Block, zh_tag: ZhTag | None, en_spans: list[tuple[Span, float]]) -> WorkEntry:
    company = title = None
    segs = [_strip_range(text, s, e, b.rng) for s, e in _segments(text, b.head_start, b.head_end)]
    segs = [(s, e) for s, e in segs if e - s >= 2 and not _FIELD.match(text[s:e])]
    for s, e in segs:
        seg = text[s:e]
        if company is None and _ORG_END.search(seg) and len(seg) <= 60:
            company = _item(text, s, e, 0.85)
        elif title is None and len(seg) <= 30 and (seg.endswith(_TITLE_SUFFIX) or _TITLE_EN.search(seg)):
            title = _item(text, s, e, 0.8)
    m = _FIELD.search(text, b.head_start, b.end)
    if title is None and m and m.group(0).startswith(("担任职位", "职位", "职务", "Role", "Position")):
        title = _item(text, m.start(1), m.end(1) - (len(m.group(1)) - len(m.group(1).rstrip())), 0.85)
    spans = list(en_spans)
    if zh_tag is not None and (company is None or title is None):
        pos = b.head_start
        for line in text[b.head_start : b.head_end].splitlines(keepends=True):  # one line at a time
            spans += [(Span(sp.type, sp.start + pos, sp.end + pos), c) for sp, c in zh_tag(line)]
            pos += len(line)
    if company is None and (hit := _pick(spans, ("ORG", "Companies worked at"), b.head_start, b.end)):
        company = _item(text, hit[0].start, hit[0].end, hit[1] * 0.9)
    if title is None and (hit := _pick(spans, ("TITLE", "Designation"), b.head_start, b.end)):
        title = _item(text, hit[0].start, hit[0].end, hit[1] * 0.9)
    conf = (
        0.5
        + 0.2 * (company is not None)
        + 0.2 * (title is not None)
        + 0.1 * (b.rng.end is not None or b.rng.is_current)
    )
    return WorkEntry(
        company=company,
        title=title,
        start=b.rng.start,
        end=b.rng.end,
        is_current=b.rng.is_current,
        description=_description(text, b),
        span_start=b.start,
        span_end=b.end,
        confidence=round(conf, 3),
    )


def build_edu(text: str, b: _Block, zh_tag: ZhTag | None, en_spans: list[tuple[Span, float]]) -> EduEntry:
    school = degree = major = None
    m = _SCHOOL_RE.search(text, b.head_start, b.head_end)
    if m:
        s, e = _strip_range(text, m.start(), m.end(), b.rng)
        school = _item(text, s, e, 0.85) if e > s else None
    if school is None and (hit := _pick(en_spans, ("College Name",), b.head_start, b.end)):
        school = _item(text, hit[0].start, hit[0].end, hit[1] * 0.9)
    m = _DEGREE_RE.search(text, b.head_start, b.end if b.end - b.head_start < 400 else b.head_end)
    if m:
        degree = _item(text, m.start(), m.end(), 0.9)
    elif hit := _pick(en_spans, ("Degree",), b.head_start, b.end):
        degree = _item(text, hit[0].start, hit[0].end, hit[1] * 0.9)
    fm = next((f for f in _FIELD.finditer(text, b.head_start, b.end) if f.group(0).startswith("专业")), None)
    if fm:
        major = _item(text, fm.start(1), fm.start(1) + len(fm.group(1).strip()), 0.85)
    else:
        for s, e in _segments(text, b.head_start, b.head_end):
            s, e = _strip_range(text, s, e, b.rng)
            seg = text[s:e]
            taken = [x for x in (school, degree) if x is not None and s < x.end and e > x.start]
            if not taken and 2 <= len(seg) <= 20 and re.fullmatch(r"[\u4e00-\u9fffA-Za-z（）()&、 ]+", seg):
                major = _item(text, s, e, 0.6)
                break
    conf = 0.5 + 0.25 * (school is not None) + 0.15 * (degree is not None) + 0.1 * (major is not None)
    return EduEntry(
        school=school,
        degree=degree,
        level=level_of(degree.value) if degree else None,
        major=major,
        start=b.rng.start,
        end=b.rng.end,
        span_start=b.start,
        span_end=b.end,
        confidence=round(conf, 3),
    )


def build_project(text: str, b: _Block) -> ProjectEntry:
    name = role = None
    for f in _FIELD.finditer(text, b.head_start, b.end):
        val_e = f.start(1) + len(f.group(1).rstrip())
        if f.group(0).startswith("项目名称") and name is None:
            name = _item(text, f.start(1), val_e, 0.9)
        elif f.group(0).startswith(("担任职位", "职位", "职务", "Role")) and role is None:
            role = _item(text, f.start(1), val_e, 0.85)
    if name is None:
        for s, e in _segments(text, b.head_start, b.head_end):
            s, e = _strip_range(text, s, e, b.rng)
            if e - s >= 2 and not _FIELD.match(text[s:e]):
                name = _item(text, s, min(e, s + 80), 0.6)
                break
    return ProjectEntry(
        name=name,
        role=role,
        start=b.rng.start,
        end=b.rng.end,
        description=_description(text, b),
        span_start=b.start,
        span_end=b.end,
        confidence=round(0.6 + 0.2 * (name is not None) + 0.2 * (role is not None), 3),
    )


def _description(text: str, b: _Block) -> str:
    return text[b.head_end : b.end].strip()[:2000]
