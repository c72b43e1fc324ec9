"""Free-text skill mention scanner behind ``Taxonomy.find_mentions``.

Method: the text is normalised to a same-length string (NFKC, casefold, separators to spaces; see
``taxonomy``), so every offset found in it is an offset in the original text. Candidates come from two
dictionaries of taxonomy keys, longest first: keys that start with a Latin word, tried only at word starts
and accepted only when the word ends there too (so "C++", "C#", ".NET" and "Node.js" work but "Java" is not
found inside "Javanese"); and keys that start with CJK text, tried at every CJK position by their first two
characters (substring matching, as Chinese has no spaces). Overlaps are resolved longest first. Forms that
are also everyday words ("Swift", "Excel") need a capital letter or a neighbouring skill in a list;
one-letter languages ("R", "C") need both the exact form and such a list; short acronyms ("ML", "PG")
need their exact case. Finally, Latin words of 5+ letters not covered by an exact match and not common
words are tried against the taxonomy with a typo threshold ("fuzzy").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ai_identity.features._skill_words import AMBIGUOUS, COMMON_WORDS, LIST_ONLY
from ai_identity.features.taxonomy import SkillMention, normalize_key, normalize_text

if TYPE_CHECKING:
    from ai_identity.features.taxonomy import Taxonomy

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+#&")
_LATIN_WORD = re.compile(r"\.?[0-9a-z&]+[+#]*")
# Candidate start points: a Latin word not glued to a preceding word character, or a run of CJK text.
_SEGMENTS = re.compile(r"(?<![0-9a-z+#&.])\.?[0-9a-z&]+[+#]*|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_LIST_GAP = re.compile(r"[ \t,，、/|;；&+()（）]*(?:(?:and|or|和|与|及|以及)[ \t,，、]*)?")
_LIST_MARK = re.compile(r"[\t,，、/|;；&+]|\band\b|\bor\b|和|与|及")
_ADDRESS = re.compile(
    r"[^\s@，。、；：（）]+@[^\s@，。、；：（）]+|(?:https?://|www\.)[^\s，。、；：（）]+", re.IGNORECASE
)
_MAX_LIST_GAP = 8
_SHORT_ACRONYM = 2


@dataclass
class _Candidate:
    skill_id: str
    start: int
    end: int
    key: str
    confirmed: bool = False
    listable: bool = True


class MentionScanner:
    """Finds skill mentions in text for one taxonomy (built once, reused for every text)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy
        by_word: dict[str, list[str]] = defaultdict(list)
        by_cjk: dict[str, list[str]] = defaultdict(list)
        for key in taxonomy.index:
            word = _LATIN_WORD.match(key)
            if word is not None:
                by_word[word.group()].append(key)
            elif len(key) >= 2 and not key[0].isascii():
                by_cjk[key[:2]].append(key)
        self._by_word = {w: sorted(keys, key=len, reverse=True) for w, keys in by_word.items()}
        self._by_cjk = {p: sorted(keys, key=len, reverse=True) for p, keys in by_cjk.items()}
        # Exact written forms of short acronyms and list-only forms ("ML", "PG", "R"): case matters for them.
        self._exact_forms: dict[str, set[str]] = defaultdict(set)
        for entry in taxonomy:
            for form in entry.surface_forms():
                key = normalize_key(form)
                if key in LIST_ONLY or (len(key) <= _SHORT_ACRONYM and key.isascii()):
                    self._exact_forms[key].add(form.strip())

    def scan(self, text: str) -> list[SkillMention]:
        """All mentions in ``text``, non-overlapping, ordered by start offset."""
        norm = _mask_addresses(text, normalize_text(text))
        candidates, latin_words = self._candidates(norm)
        chosen = _resolve_overlaps(candidates)
        for cand in chosen:
            cand.confirmed, cand.listable = self._stands_alone(cand, text)
        _confirm_by_list_context(chosen, text)
        mentions = [
            SkillMention(c.skill_id, c.start, c.end, text[c.start : c.end], "exact", 1.0)
            for c in chosen
            if c.confirmed
        ]
        mentions.extend(self._fuzzy(latin_words, mentions, text, norm))
        mentions.sort(key=lambda m: m.start)
        return mentions

    # -- exact candidates ------------------------------------------------------------------------------
    def _candidates(self, norm: str) -> tuple[list[_Candidate], list[tuple[int, int]]]:
        index = self._taxonomy.index
        found: list[_Candidate] = []
        latin_words: list[tuple[int, int]] = []
        for seg in _SEGMENTS.finditer(norm):
            start = seg.start()
            if norm[start].isascii():
                latin_words.append((start, seg.end()))
                key = self._longest(norm, start, self._by_word.get(seg.group(), ()))
                if key is not None:
                    found.append(_Candidate(index[key], start, start + len(key), key))
                continue
            for pos in range(start, seg.end()):
                key = self._longest(norm, pos, self._by_cjk.get(norm[pos : pos + 2], ()))
                if key is not None:
                    found.append(_Candidate(index[key], pos, pos + len(key), key))
        return found, latin_words

    @staticmethod
    def _longest(norm: str, pos: int, keys: list[str] | tuple[()]) -> str | None:
        for key in keys:
            if norm.startswith(key, pos):
                end = pos + len(key)
                if key[-1] in _WORD_CHARS and end < len(norm) and norm[end] in _WORD_CHARS:
                    continue  # the key ends inside a longer Latin word
                return key
        return None

    def _stands_alone(self, cand: _Candidate, text: str) -> tuple[bool, bool]:
        """(counts on its own, may count inside a list of skills); see the module docstring."""
        compact = cand.key.replace(" ", "")
        surface = text[cand.start : cand.end]
        if compact in LIST_ONLY:
            glued = text[cand.end : cand.end + 3].lstrip()[:1] in {"&", "'", "’"}  # "R&D", "C's"
            return False, not glued and surface in self._exact_forms.get(cand.key, ())
        if compact in AMBIGUOUS:
            return any(ch.isupper() for ch in surface), True
        if len(compact) <= _SHORT_ACRONYM and compact.isascii():
            return surface in self._exact_forms.get(cand.key, ()), True
        return True, True

    # -- fuzzy -----------------------------------------------------------------------------------------
    def _fuzzy(
        self, latin_words: list[tuple[int, int]], exact: list[SkillMention], text: str, norm: str
    ) -> list[SkillMention]:
        covered = bytearray(len(text))
        for m in exact:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
        found: list[SkillMention] = []
        for start, end in latin_words:
            token = norm[start:end]
            if end - start < 5 or not token.isalpha() or token in COMMON_WORDS or token in AMBIGUOUS:
                continue
            if any(covered[start:end]) or token in self._taxonomy.index:
                continue  # matched already, or an exact form that was judged not to be a skill here
            hit = self._taxonomy.fuzzy_token(token)
            if hit is not None:
                found.append(SkillMention(hit[0], start, end, text[start:end], "fuzzy", hit[1]))
        return found


def _mask_addresses(text: str, norm: str) -> str:
    """Blank e-mail addresses and URLs: "gmail" in an address is not a skill."""
    if "@" not in text and "://" not in text and "www." not in text:
        return norm
    return _blank(text, norm)


def _blank(text: str, norm: str) -> str:
    chars = list(norm)
    for m in _ADDRESS.finditer(text):
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def _resolve_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest candidates (earliest on ties) that do not overlap a kept one."""
    kept: list[_Candidate] = []
    taken = bytearray(max((c.end for c in candidates), default=0))
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(taken[cand.start : cand.end]):
            kept.append(cand)
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    kept.sort(key=lambda c: c.start)
    return kept


def _confirm_by_list_context(chosen: list[_Candidate], text: str) -> None:
    """Confirm doubtful candidates that sit in a list next to a confirmed skill ("Python, R, SQL")."""
    changed = True
    while changed:
        changed = False
        for i, cand in enumerate(chosen):
            if cand.confirmed or not cand.listable:
                continue
            neighbours = []
            if i > 0:
                neighbours.append((chosen[i - 1], text[chosen[i - 1].end : cand.start]))
            if i + 1 < len(chosen):
                neighbours.append((chosen[i + 1], text[cand.end : chosen[i + 1].start]))
            for other, gap in neighbours:
                if (
                    other.confirmed
                    and len(gap) <= _MAX_LIST_GAP
                    and _LIST_GAP.fullmatch(gap)
                    and _LIST_MARK.search(gap)
                ):
                    cand.confirmed = True
                    changed = True
                    break
