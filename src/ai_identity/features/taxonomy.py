"""The bilingual (zh/en) skill taxonomy: the one place where skill surface forms become canonical ids.

Method
------
The taxonomy ships as ``ai_identity/data/taxonomy/skills.json`` (built by ``scripts/build_taxonomy.py`` from a
hand-curated core plus O*NET and ESCO facts). Every name and alias of a skill is reduced to a *key*:

1. Unicode NFKC (full-width letters, digits and punctuation become half-width) and ``casefold``;
2. the separators ``- _ / ·`` and whitespace become one space, and so does a ``.`` between two letters or
   digits, so "Node.js", "node js" and "node-js" share the key ``node js``;
3. surrounding punctuation is stripped (a trailing "+"/"#" is kept for "C++" and "C#", a leading "." for
   ".NET").

Every key is indexed twice, as is and with its spaces removed, so "NodeJS" and "Node.js" also meet.
``Taxonomy.lookup`` is an exact match on keys. ``Taxonomy.lookup_fuzzy`` adds a typo-tolerant match with
``rapidfuzz`` against single-word names of technical skills: Damerau-Levenshtein distance at most 1 for
5-11 letters and 2 for longer words, same first letter, never for tokens under 5 letters, everyday words,
or a mere inflection ("dynamic" vs "dynamics"); the score is the indel similarity (0-1).
``Taxonomy.find_mentions`` scans free text (see ``skill_mentions``).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from ai_identity.features._skill_words import AMBIGUOUS, COMMON_WORDS

__all__ = [
    "CATEGORIES",
    "SkillEntry",
    "SkillMention",
    "Taxonomy",
    "load_taxonomy",
    "normalize_key",
    "normalize_text",
]

CATEGORIES: tuple[str, ...] = (
    "programming-language",
    "framework-library",
    "database",
    "cloud-devops",
    "data-ai",
    "software-tool",
    "design",
    "business",
    "management",
    "soft-skill",
    "domain-knowledge",
    "language",
)

# Characters that join the parts of one name ("node-js", "A/B", "UI/UX"); all become a space.
_JOINERS = re.compile(r"[\s\-_/·]")
_DOT_INSIDE = re.compile(r"(?<=[0-9a-z])\.(?=[0-9a-z])")
_SPACES = re.compile(r" {2,}")
_LEAD_STRIP = "\"'`([{<《「『【（“‘*•·,，;；:：!！?？、 \t\r\n-_/|"
_TRAIL_STRIP = "\"'`)]}>》」』】）”’*•·,，;；:：!！?？、。. \t\r\n-_/|"
# List markers such as "①" or "⒈" would become digits glued to the next word ("1Java"): make them spaces.
_ENCLOSED = {
    cp: " " for r in ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3251, 0x325F)) for cp in range(r[0], r[1] + 1)
}
_MIN_FUZZY_LEN = 5
_FUZZY_CACHE_SIZE = 65536
_FUZZY_CATEGORIES = frozenset(CATEGORIES[:7])  # programming-language ... design
_INFLECTIONS = frozenset(
    {"s", "es", "ed", "d", "ing", "er", "ers", "r", "y", "al", "ly", "ic", "ics", "ion", "ions"}
)


@dataclass(frozen=True)
class SkillEntry:
    """One canonical skill with its display names, category, aliases and the sources it derives from."""

    id: str
    name_en: str
    name_zh: str
    category: str
    aliases_en: tuple[str, ...]
    aliases_zh: tuple[str, ...]
    sources: tuple[str, ...]

    def surface_forms(self) -> Iterator[str]:
        """Every name and alias, English first."""
        yield self.name_en
        yield from self.aliases_en
        yield self.name_zh
        yield from self.aliases_zh


@dataclass(frozen=True)
class SkillMention:
    """A skill found in text: ``text[start:end] == surface``; ``method`` is "exact" or "fuzzy"."""

    skill_id: str
    start: int
    end: int
    surface: str
    method: str
    score: float


def normalize_text(text: str) -> str:
    """NFKC + casefold + separators to spaces, keeping the length (and so every offset) when possible."""
    text = text.translate(_ENCLOSED)
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) != len(text):  # a character expanded (e.g. a ligature): fold character by character
        folded = "".join(_fold_char(ch) for ch in text)
    return _JOINERS.sub(" ", _DOT_INSIDE.sub(" ", folded))


def _fold_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch).casefold()
    return out if len(out) == 1 else ch.casefold()[:1] or " "


def normalize_key(surface: str) -> str:
    """The lookup key of a skill surface form (see the module docstring)."""
    key = _SPACES.sub(" ", normalize_text(surface))
    key = key.lstrip(_LEAD_STRIP).rstrip(_TRAIL_STRIP)
    if key.startswith("."):  # keep ".net" but not "...python"
        stripped = key.lstrip(".")
        key = "." + stripped if stripped[:1].isalnum() and key[1:2] != "." else stripped
    return key


def key_variants(surface: str) -> set[str]:
    """The keys a surface form is indexed under: spaced and compact."""
    key = normalize_key(surface)
    if not key:
        return set()
    return {key, key.replace(" ", "")}


class Taxonomy:
    """The loaded skill taxonomy with exact, fuzzy and free-text lookup."""

    def __init__(self, entries: Iterable[SkillEntry]) -> None:
        self._entries: dict[str, SkillEntry] = {}
        self._index: dict[str, str] = {}
        for entry in entries:
            if entry.id in self._entries:
                raise ValueError(f"duplicate skill id in taxonomy: {entry.id!r}")
            self._entries[entry.id] = entry
        # Index names before aliases and earlier entries first, so that a key shared by two skills goes to
        # the name holder; skills.json lists curated skills first, so curated wins over derived ones.
        for pass_names in (True, False):
            for entry in self._entries.values():
                forms = (
                    (entry.name_en, entry.name_zh) if pass_names else (*entry.aliases_en, *entry.aliases_zh)
                )
                for form in forms:
                    for key in key_variants(form):
                        self._index.setdefault(key, entry.id)
        self._fuzzy_vocab = self._fuzzy_vocabulary()
        self._fuzzy_cache: dict[str, tuple[str, float] | None] = {}
        from ai_identity.features.skill_mentions import MentionScanner

        self._scanner = MentionScanner(self)

    # -- mapping protocol ------------------------------------------------------------------------------
    def get(self, skill_id: str) -> SkillEntry:
        """The entry for an id; ``KeyError`` naming the id when it is unknown."""
        try:
            return self._entries[skill_id]
        except KeyError:
            raise KeyError(f"unknown skill id: {skill_id!r}") from None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._entries

    def __iter__(self) -> Iterator[SkillEntry]:
        return iter(self._entries.values())

    def ids(self) -> list[str]:
        """All canonical ids, in taxonomy order (curated first)."""
        return list(self._entries)

    @property
    def index(self) -> dict[str, str]:
        """Normalised key -> skill id (read-only by convention; used by the mention scanner)."""
        return self._index

    # -- lookup ----------------------------------------------------------------------------------------
    def lookup(self, surface: str) -> SkillEntry | None:
        """Exact match of a surface form (any language, case, width or separator style)."""
        key = normalize_key(surface)
        skill_id = self._index.get(key) or self._index.get(key.replace(" ", ""))
        return self._entries[skill_id] if skill_id else None

    def lookup_fuzzy(self, surface: str) -> tuple[SkillEntry, float] | None:
        """Exact match, else the closest Latin name within a length-scaled typo threshold (score 0-1)."""
        exact = self.lookup(surface)
        if exact is not None:
            return exact, 1.0
        key = normalize_key(surface).replace(" ", "")
        hit = self._fuzzy_best(key)
        return None if hit is None else (self._entries[hit[0]], hit[1])

    def find_mentions(self, text: str) -> list[SkillMention]:
        """Skill mentions in zh/en/mixed free text, non-overlapping, ordered by start."""
        return self._scanner.scan(text)

    def fuzzy_token(self, token: str) -> tuple[str, float] | None:
        """Fuzzy match of one already-normalised Latin token: (skill id, score 0-1) or None."""
        return self._fuzzy_best(token)

    def _fuzzy_best(self, token: str) -> tuple[str, float] | None:
        if len(token) < _MIN_FUZZY_LEN or token in COMMON_WORDS or not token.isascii():
            return None
        if token in self._fuzzy_cache:
            return self._fuzzy_cache[token]
        hit = _closest(token, self._fuzzy_vocab.get(token[0], ()))
        if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[token] = hit
        return hit

    def _fuzzy_vocabulary(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Single-word Latin names of technical skills (5+ letters, not everyday words), by first letter."""
        vocabulary: dict[str, str] = {}
        for entry in self._entries.values():
            if entry.category not in _FUZZY_CATEGORIES:
                continue  # soft and business skills are everyday words: their near-misses are other words
            for form in entry.surface_forms():
                key = normalize_key(form)
                if (
                    len(key) >= _MIN_FUZZY_LEN
                    and key.isascii()
                    and key.isalpha()
                    and key not in COMMON_WORDS
                    and key not in AMBIGUOUS
                ):
                    vocabulary.setdefault(key, self._index[key])
        buckets: dict[str, list[tuple[str, str]]] = {}
        for key, skill_id in vocabulary.items():
            buckets.setdefault(key[0], []).append((key, skill_id))
        return {letter: tuple(pairs) for letter, pairs in buckets.items()}


def max_typo_edits(length: int) -> int:
    """Edits (Damerau-Levenshtein) a typo of a word this long may have: none under 5 letters."""
    if length < _MIN_FUZZY_LEN:
        return 0
    return 1 if length <= 11 else 2


def _closest(token: str, pairs: tuple[tuple[str, str], ...]) -> tuple[str, float] | None:
    """Best typo-distance candidate that is not just an inflection of the token (score = indel ratio)."""
    if not pairs:
        return None
    limit = max_typo_edits(len(token))
    keys = [key for key, _ in pairs]
    best: tuple[str, float] | None = None
    for _, distance, position in process.extract(
        token, keys, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=5
    ):
        key, skill_id = pairs[position]
        if _is_inflection(token, key):
            continue
        score = round(fuzz.ratio(token, key) / 100.0, 4)
        if distance <= limit and (best is None or score > best[1]):
            best = (skill_id, score)
    return best


def _is_inflection(token: str, key: str) -> bool:
    """ "dynamic"/"dynamics", "inventor"/"inventory": a different word, not a typo."""
    short, long = sorted((token, key), key=len)
    return long.startswith(short) and long[len(short) :] in _INFLECTIONS


def entries_from_json(payload: bytes | str) -> list[SkillEntry]:
    """Parse the packaged skills.json document into entries."""
    data = json.loads(payload)
    return [
        SkillEntry(
            id=row["id"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            category=row["category"],
            aliases_en=tuple(row["aliases_en"]),
            aliases_zh=tuple(row["aliases_zh"]),
            sources=tuple(row["sources"]),
        )
        for row in data["skills"]
    ]


@functools.lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The packaged taxonomy, loaded once per process."""
    resource = resources.files("ai_identity").joinpath("data/taxonomy/skills.json")
    return Taxonomy(entries_from_json(resource.read_bytes()))
