"""Person names in Chinese and English text without an NER model: surname lists, cues and word shape.

Chinese: a surname (single or compound) plus one or two given-name characters, accepted only after a cue
("姓名：", "我是", "联系人"), before an honorific ("先生", "女士") or before a verb at a sentence start
("张伟负责…"). English: capitalised tokens after a cue ("Name:", "Dear", "Mr.", a sign-off line), a common
first name followed by a capitalised surname, or a pinyin surname next to a pinyin given name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ai_identity.privacy.pii import name_data as d
from ai_identity.privacy.pii.entity import PERSON, PIIEntity

SCORE_CUE = 0.85
SCORE_HONORIFIC = 0.8
SCORE_SHAPE = 0.6


def _alternation(words: tuple[str, ...] | frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_CUE = re.compile(r"(?:" + _alternation(d.ZH_CUES) + r")[:：\s]*")
_ZH_HONORIFIC = re.compile(_alternation(d.ZH_HONORIFICS))
_ZH_VERB = re.compile(
    r"(?:^|(?<=[，。；！？、\s:：“\"（(]))([\u4e00-\u9fff]{2,4}?)(?=" + _alternation(d.ZH_VERB_CUES) + ")"
)
# A name right before its gender, as in a resume header: "张伟，男，1990年生".
_ZH_GENDER = re.compile(
    r"(?:^|(?<=[，。；！？、\s:：“\"（(|]))([\u4e00-\u9fff]{2,4}?)(?=[ ，,|/（(]*[男女](?:[ ，,|/）)]|$))"
)
_ZH_LIST_JOINER = ("、", "和", "与", "及", "，", ",")

_TOKEN = r"(?:Mc|Mac|O')?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
_NAME = _TOKEN + r"(?: [A-Z]\.)?(?: " + _TOKEN + r"){0,2}"
_EN_CUE = re.compile(
    r"(?:(?i:\b(?:" + _alternation(d.EN_LABEL_CUES) + r"))[ \t]*[:：][ \t]*"
    r"|(?i:\b(?:" + _alternation(d.EN_PHRASE_CUES) + r"))[ \t]+"
    r"|\b(?:" + _alternation(d.EN_TITLES) + r")\.?[ \t]+"
    r"|(?i:\b(?:" + _alternation(d.EN_SIGNOFFS) + r"))[ \t]*,?[ \t]*\r?\n[ \t]*"
    r"|^--[ \t]*\r?\n?[ \t]*)"
    r"(?:(?:" + _alternation(d.EN_TITLES) + r")\.?[ \t]+)?"
    r"(" + _NAME + r")",
    re.MULTILINE,
)
_EN_FIRST_LAST = re.compile(
    r"\b(?:" + _alternation(d.EN_FIRST_NAMES) + r")(?: [A-Z]\.)? " + _TOKEN + r"(?![A-Za-z])"
)
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ue|ui|er|a|e|i|o|u|v)"
)
_PINYIN_WORD = re.compile(r"(?:" + _PINYIN_SYLLABLE + r"){1,2}(?:-?" + _PINYIN_SYLLABLE + r")?")
_PY_SURNAME = _alternation(d.EN_PINYIN_SURNAMES)
_EN_PINYIN = re.compile(
    r"\b(?:("
    + _PY_SURNAME
    + r") ([A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)|([A-Z][a-z]+(?:-[A-Za-z][a-z]+)?) ("
    + _PY_SURNAME
    + r"))\b"
)


def _is_pinyin_given(word: str) -> bool:
    return _PINYIN_WORD.fullmatch(word.lower().replace("-", "")) is not None


def _surname_len(text: str, i: int) -> int:
    if text[i : i + 2] in d.ZH_COMPOUND_SURNAMES:
        return 2
    return 1 if text[i : i + 1] in d.ZH_SURNAMES else 0


def _zh_name_at(text: str, i: int, limit: int | None = None) -> int:
    """End of a Chinese name starting at ``i`` (not past ``limit``), or -1. Greedy: two given characters."""
    sl = _surname_len(text, i)
    if not sl:
        return -1
    j, n = i + sl, len(text) if limit is None else limit
    if j >= n or text[j] in d.ZH_STRONG_STOP or not _CJK.match(text[j]):
        return -1
    j += 1
    if j < n and _CJK.match(text[j]) and text[j] not in d.ZH_STOP:
        j += 1
    if text[i : i + 2] in d.ZH_NOT_NAMES:
        return -1
    return j


def _zh_name_ending_at(text: str, end: int) -> int:
    """Start of a Chinese name ending right before ``end`` (an honorific), or -1."""
    candidates = [end - n for n in (4, 3, 2) if end - n >= 0]
    for start in candidates:
        stop = _zh_name_at(text, start, end)
        if stop != end:
            continue
        if text[start] in d.ZH_AMBIGUOUS_LEAD and _zh_name_at(text, start + 1, end) == end:
            return start + 1
        return start
    return -1


@dataclass(slots=True)
class NameRecognizer:
    """Finds ``PERSON`` spans in Chinese and English text."""

    name: str = "person"
    entities: tuple[str, ...] = field(default=(PERSON,))

    def analyze(self, text: str) -> list[PIIEntity]:
        found: list[PIIEntity] = []
        if _CJK.search(text):
            found.extend(self._chinese(text))
        found.extend(self._english(text))
        return found

    def _chinese(self, text: str) -> list[PIIEntity]:
        found: list[PIIEntity] = []
        for cue in _ZH_CUE.finditer(text):
            start = cue.end()
            if cue.group().startswith("由") and text[start : start + 1] in "于此衷":
                continue  # 由于, 由此, 由衷: conjunctions, not "by <name>"
            end = _zh_name_at(text, start)
            while end > 0:
                found.append(PIIEntity(PERSON, start, end, SCORE_CUE))
                if end >= len(text) or text[end] not in _ZH_LIST_JOINER:
                    break
                start = end + 1
                end = _zh_name_at(text, start)
        for hon in _ZH_HONORIFIC.finditer(text):
            start = _zh_name_ending_at(text, hon.start())
            if start >= 0:
                found.append(PIIEntity(PERSON, start, hon.start(), SCORE_HONORIFIC))
        for regex in (_ZH_VERB, _ZH_GENDER):
            for match in regex.finditer(text):
                start = match.start(1)
                end = _zh_name_at(text, start, match.end(1))
                if end == match.end(1):
                    found.append(PIIEntity(PERSON, start, end, SCORE_SHAPE))
        return found

    def _english(self, text: str) -> list[PIIEntity]:
        found: list[PIIEntity] = []
        for match in _EN_CUE.finditer(text):
            span = _trim_not_names(text, match.start(1), match.end(1))
            if span is not None:
                found.append(PIIEntity(PERSON, span[0], span[1], SCORE_CUE))
        for match in _EN_FIRST_LAST.finditer(text):
            span = _trim_not_names(text, match.start(), match.end())
            if span is not None and " " in text[span[0] : span[1]]:
                found.append(PIIEntity(PERSON, span[0], span[1], SCORE_SHAPE))
        for match in _EN_PINYIN.finditer(text):
            given = match.group(2) or match.group(3)
            if given not in d.EN_NOT_NAMES and _is_pinyin_given(given):
                found.append(PIIEntity(PERSON, match.start(), match.end(), SCORE_SHAPE))
        return found


def _trim_not_names(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop trailing tokens that are not names; reject when the first token is not a name."""
    tokens = text[start:end].split(" ")
    if tokens[0] in d.EN_NOT_NAMES:
        return None
    while tokens and tokens[-1] in d.EN_NOT_NAMES:
        tokens.pop()
    return start, start + len(" ".join(tokens))
