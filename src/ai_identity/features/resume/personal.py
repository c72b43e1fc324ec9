"""Personal information of a resume: name, e-mail, phone, location.

Method: rules first, then the CRFs. E-mail and phone numbers by pattern (mainland mobiles, landlines with an
area code, international and North-American forms); labelled fields (姓名：, 现居住地：, Name:, Address:);
otherwise the Chinese CRF's first NAME/LOC in the opening lines, or the English CRF's first Name/Location,
or a short first line that looks like a name. The values are personal data: they are returned to the caller
and never logged or put into a message.
"""

from __future__ import annotations

import re

from ai_identity.features.resume import zh_words
from ai_identity.features.resume.models import PersonalInfo, SpanItem
from ai_identity.features.resume.tagging import Span

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
PHONE_RE = re.compile(
    r"(?<![\d\w])(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?!\d)"
    r"|(?<![\d\w])0\d{2,3}[\s\-]\d{7,8}(?!\d)"
    r"|(?<![\d\w])\+\d{1,3}[\s\-]?\(?\d{1,4}\)?(?:[\s\-]?\d{2,4}){2,4}(?!\d)"
    r"|(?<![\d\w])\(?\d{3}\)?[\s\-.]?\d{3}[\s\-.]\d{4}(?!\d)"
)
_ZH_NAME_FIELD = re.compile(
    r"姓\s*名\s*[\]】]?\s*[:：]?\s*([\u4e00-\u9fff](?:[ 　]{0,2}[\u4e00-\u9fff]){1,3})"
)
_EN_NAME_FIELD = re.compile(r"\bName\s*[:：]\s*([A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-.]+){1,3})")
_ZH_LOC_FIELD = re.compile(
    r"(?:现居住地|居住地|现居住于|所在地|现居|目前所在地|所在城市|现住址|居住城市)\s*[:：]?\s*"
    r"([\u4e00-\u9fff]{2,12}(?:[ \-—/][\u4e00-\u9fff]{2,8})?)"
)
_EN_LOC_FIELD = re.compile(r"\b(?:Address|Location|City)\s*[:：]\s*([^\n|•]{3,60})")
# "李小酷 男 | 未婚", "刘小虎，男，29岁", "丁小中 （男 ，35岁）": a name right before the gender.
_ZH_NAME_GENDER = re.compile(
    r"(?:^|(?<=[\s:：]))([\u4e00-\u9fff](?:[ 　]?[\u4e00-\u9fff]){1,3})[ \t　]*[，,|｜/（(]?[ \t　]*(?:男|女|标签|简历编号|性\s*别)(?![\u4e00-\u9fff]{3})",
    re.MULTILINE,
)
_ZH_NAME_LINE = re.compile(r"^\s*([\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3})\s*$")
_EN_NAME_LINE = re.compile(r"^\s*([A-Z][a-zA-Z'\-]+(?:\s[A-Z][a-zA-Z'\-.]*){1,3})\s*$")
_NOT_NAME = tuple(
    "简历 个人 求职 基本 信息 资料 应聘 智联 前程 招聘 职位 全职 兼职 工作 Resume Curriculum".split()  # noqa: SIM905
)
_SURNAMES = frozenset(zh_words.SURNAMES)


def _item(text: str, start: int, end: int, conf: float) -> SpanItem:
    return SpanItem(value=text[start:end], start=start, end=end, confidence=conf)


def find_personal(
    text: str, zh_spans: list[tuple[Span, float]], en_spans: list[tuple[Span, float]]
) -> PersonalInfo:
    """Personal information from the rules and the CRF spans of the resume's opening (see module doc)."""
    info = PersonalInfo()
    m = EMAIL_RE.search(text)
    if m:
        info.email = _item(text, m.start(), m.end(), 0.99)
    for m in PHONE_RE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        if 7 <= digits <= 15:
            info.phone = _item(text, m.start(), m.end(), 0.9)
            break
    info.name = _name(text, zh_spans, en_spans)
    info.location = _location(text, zh_spans, en_spans)
    return info


def _name(
    text: str, zh_spans: list[tuple[Span, float]], en_spans: list[tuple[Span, float]]
) -> SpanItem | None:
    m = _ZH_NAME_FIELD.search(text) or _EN_NAME_FIELD.search(text)
    if m:
        return _item(text, m.start(1), m.end(1), 0.95)
    head = text[:600]
    for mg in _ZH_NAME_GENDER.finditer(head):
        if mg.group(1)[:1] in _SURNAMES and not any(w in mg.group(1) for w in _NOT_NAME):
            return _item(text, mg.start(1), mg.end(1), 0.85)
    offset = 0
    for line in head.splitlines(keepends=True)[:8]:
        body = line.rstrip("\r\n")
        mz = _ZH_NAME_LINE.match(body)
        if mz and mz.group(1)[:1] in _SURNAMES and not any(w in body for w in _NOT_NAME):
            return _item(text, offset + mz.start(1), offset + mz.end(1), 0.85)
        me = _EN_NAME_LINE.match(body)
        if (
            me
            and not any(w.lower() in body.lower() for w in _NOT_NAME)
            and len(body.split()) <= 4
            and not any(ch.isdigit() for ch in body)
            and body.strip().split()[0].lower() not in _EN_NOT_FIRST
        ):
            return _item(text, offset + me.start(1), offset + me.end(1), 0.75)
        offset += len(line)
    for sp, conf in zh_spans:
        value = text[sp.start : sp.end]
        if sp.type == "NAME" and sp.start < 400 and _zh_name_ok(value):
            return _item(text, sp.start, sp.end, min(conf, 0.8))
    for sp, conf in en_spans:
        if sp.type == "Name" and sp.start < 1500 and _EN_FULL_NAME.fullmatch(text[sp.start : sp.end]):
            return _item(text, sp.start, sp.end, min(conf, 0.8))
    return None


def _zh_name_ok(value: str) -> bool:
    return (
        bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", value))
        and value[:1] in _SURNAMES
        and not any(w in value for w in _NOT_NAME)
    )


_EN_FULL_NAME = re.compile(r"[A-Z][A-Za-z'\-.]+(?:\s+[A-Z][A-Za-z'\-.]*){1,5}")


_EN_NOT_FIRST = frozenset(
    [
        "work",
        "education",
        "skills",
        "experience",
        "summary",
        "objective",
        "projects",
        "profile",
        "contact",
        "personal",
        "technical",
        "professional",
        "career",
        "additional",
        "certifications",
        "languages",
    ]
)


def _location(
    text: str, zh_spans: list[tuple[Span, float]], en_spans: list[tuple[Span, float]]
) -> SpanItem | None:
    m = _ZH_LOC_FIELD.search(text) or _EN_LOC_FIELD.search(text)
    if m:
        end = m.end(1)
        while end > m.start(1) and text[end - 1] in " \t,;，；":
            end -= 1
        return _item(text, m.start(1), end, 0.85)
    for sp, conf in en_spans:
        if sp.type == "Location" and sp.start < 1500:
            return _item(text, sp.start, sp.end, min(conf, 0.7))
    for sp, conf in zh_spans:
        if sp.type == "LOC" and sp.start < 400:
            return _item(text, sp.start, sp.end, min(conf, 0.7))
    return None
