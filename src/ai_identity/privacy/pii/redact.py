"""Redaction: operators replace each detected span; the result says what was replaced where, not the value.

Operators are small classes behind :class:`Operator`; pass one in, or a mapping from entity type to operator.
"""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ai_identity.errors import ConfigError
from ai_identity.privacy.pii.detector import PIIDetector
from ai_identity.privacy.pii.entity import PIIEntity

MIN_KEY_BYTES = 16


class Operator(ABC):
    """Turns one detected value into its replacement."""

    name: str = "operator"

    @abstractmethod
    def apply(self, value: str, entity_type: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Replace(Operator):
    """``13812345678`` → ``<PHONE_NUMBER>``."""

    template: str = "<{type}>"
    name: str = "replace"

    def apply(self, value: str, entity_type: str) -> str:
        return self.template.format(type=entity_type)


@dataclass(frozen=True, slots=True)
class Mask(Operator):
    """``13812345678`` → ``*******5678`` with ``keep_last=4``; separators are masked too."""

    char: str = "*"
    keep_first: int = 0
    keep_last: int = 0
    name: str = "mask"

    def __post_init__(self) -> None:
        if len(self.char) != 1:
            raise ConfigError("Mask.char: expected exactly one character")
        if self.keep_first < 0 or self.keep_last < 0:
            raise ConfigError("Mask.keep_first/keep_last: expected non-negative integers")

    def apply(self, value: str, entity_type: str) -> str:
        n = len(value)
        # Never reveal most of the value: mask at least a third of it and at least four characters
        # (enough for the familiar 138****5678).
        keep = max(0, n - max(4, -(-n // 3)))
        first = min(self.keep_first, keep)
        last = min(self.keep_last, keep - first)
        return value[:first] + self.char * (n - first - last) + value[n - last :]


@dataclass(frozen=True, slots=True)
class HmacKey:
    """A secret for keyed pseudonyms, taken from configuration by the caller. ``repr`` hides it."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_KEY_BYTES:
            raise ConfigError(f"HmacKey.secret: expected at least {MIN_KEY_BYTES} bytes")

    @classmethod
    def from_text(cls, secret: str) -> HmacKey:
        return cls(secret.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class KeyedHash(Operator):
    """``13812345678`` → ``<PHONE_NUMBER:3f9a…>``: HMAC-SHA256 of type and value, stable across processes."""

    key: HmacKey
    length: int = 16
    name: str = "keyed_hash"

    def __post_init__(self) -> None:
        if not 8 <= self.length <= 64:
            raise ConfigError("KeyedHash.length: expected 8..64 hex characters")

    def digest(self, value: str, entity_type: str) -> str:
        message = f"{entity_type}\x00{value}".encode()
        return hmac.new(self.key.secret, message, hashlib.sha256).hexdigest()[: self.length]

    def apply(self, value: str, entity_type: str) -> str:
        return f"<{entity_type}:{self.digest(value, entity_type)}>"


@dataclass(frozen=True, slots=True)
class RedactedItem:
    """One replaced span: where it was in the input, where its replacement is in the output."""

    type: str
    start: int
    end: int
    new_start: int
    new_end: int
    operator: str


@dataclass(frozen=True, slots=True)
class Redacted:
    text: str
    items: tuple[RedactedItem, ...]


REPLACE = Replace()


@lru_cache(maxsize=1)
def _default_detector() -> PIIDetector:
    return PIIDetector()


def with_repeats(text: str, entities: Sequence[PIIEntity], min_length: int = 4) -> list[PIIEntity]:
    """``entities`` plus every other occurrence of their values, so a value found once is hidden everywhere.

    A number glued to a letter (``X13812345678``) is not detected on its own; once the same value is detected
    elsewhere in the text, it is known to be personal.
    """
    taken = sorted((e.start, e.end) for e in entities)
    extra: list[PIIEntity] = []
    for entity in sorted(entities, key=lambda e: e.start - e.end):
        value = text[entity.start : entity.end]
        if len(value) < min_length:
            continue
        at = text.find(value)
        while at >= 0:
            end = at + len(value)
            if all(end <= s or at >= e for s, e in taken):
                extra.append(PIIEntity(entity.type, at, end, entity.score))
                taken.append((at, end))
            at = text.find(value, at + 1)
    return sorted([*entities, *extra], key=lambda e: (e.start, e.end))


def redact(
    text: str,
    entities: Sequence[PIIEntity] | None = None,
    *,
    operator: Operator = REPLACE,
    operators: Mapping[str, Operator] | None = None,
    detector: PIIDetector | None = None,
    repeats: bool = True,
) -> Redacted:
    """Replace each entity of ``text`` (detected with ``detector`` when not given) using its operator.

    With ``repeats`` (the default) every other occurrence of a detected value is replaced as well.
    """
    if entities is None:
        entities = (detector or _default_detector()).analyze(text)
    if repeats:
        entities = with_repeats(text, entities)
    pieces: list[str] = []
    items: list[RedactedItem] = []
    cursor = out_len = 0
    for entity in sorted(entities, key=lambda e: (e.start, e.end)):
        if entity.start < cursor or entity.end > len(text) or entity.start >= entity.end:
            continue  # overlapping or out of range: the earlier span already covers it
        op = (operators or {}).get(entity.type, operator)
        replacement = op.apply(text[entity.start : entity.end], entity.type)
        pieces.append(text[cursor : entity.start])
        out_len += entity.start - cursor
        pieces.append(replacement)
        items.append(
            RedactedItem(entity.type, entity.start, entity.end, out_len, out_len + len(replacement), op.name)
        )
        out_len += len(replacement)
        cursor = entity.end
    pieces.append(text[cursor:])
    return Redacted("".join(pieces), tuple(items))
