"""The one small result object that detection hands to redaction, and the entity type names.

Phones of every kind (mainland mobile, landline, international) share one type, ``PHONE_NUMBER``: what is
redacted is the same, and the recogniser that found a number is an implementation detail. Cards are
``BANK_CARD`` (debit and credit, Luhn-checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PHONE_NUMBER: Final = "PHONE_NUMBER"
EMAIL_ADDRESS: Final = "EMAIL_ADDRESS"
CN_RESIDENT_ID: Final = "CN_RESIDENT_ID"
PASSPORT: Final = "PASSPORT"
US_SSN: Final = "US_SSN"
BANK_CARD: Final = "BANK_CARD"
IP_ADDRESS: Final = "IP_ADDRESS"
URL: Final = "URL"
ADDRESS: Final = "ADDRESS"
PERSON: Final = "PERSON"

ENTITY_TYPES: Final = (
    PHONE_NUMBER,
    EMAIL_ADDRESS,
    CN_RESIDENT_ID,
    PASSPORT,
    US_SSN,
    BANK_CARD,
    IP_ADDRESS,
    URL,
    ADDRESS,
    PERSON,
)
STRUCTURED_TYPES: Final = (PHONE_NUMBER, CN_RESIDENT_ID, EMAIL_ADDRESS, BANK_CARD, IP_ADDRESS)

DEFAULT_THRESHOLD: Final = 0.5


@dataclass(frozen=True, slots=True)
class PIIEntity:
    """A detected span ``text[start:end]`` of kind ``type`` with confidence ``score`` in [0, 1].

    It holds positions only, never the value, so it can be logged or returned safely.
    """

    type: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict[str, str | int | float]:
        return {"type": self.type, "start": self.start, "end": self.end, "score": round(self.score, 4)}
