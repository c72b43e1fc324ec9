"""PII detection and redaction for Chinese and English free text.

detector = PIIDetector()
entities = detector.analyze("请联系我：13812345678")   # [PIIEntity("PHONE_NUMBER", 5, 16, 1.0)]
redact("请联系我：13812345678").text                    # "请联系我：<PHONE_NUMBER>"
"""

from ai_identity.privacy.pii.detector import PIIDetector, default_recognizers, resolve_overlaps
from ai_identity.privacy.pii.entity import (
    DEFAULT_THRESHOLD,
    ENTITY_TYPES,
    STRUCTURED_TYPES,
    PIIEntity,
)
from ai_identity.privacy.pii.names import NameRecognizer
from ai_identity.privacy.pii.redact import (
    HmacKey,
    KeyedHash,
    Mask,
    Operator,
    Redacted,
    RedactedItem,
    Replace,
    redact,
)
from ai_identity.privacy.pii.spec import Pattern, PatternRecognizer, Recognizer, RecognizerSpec

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENTITY_TYPES",
    "STRUCTURED_TYPES",
    "HmacKey",
    "KeyedHash",
    "Mask",
    "NameRecognizer",
    "Operator",
    "PIIDetector",
    "PIIEntity",
    "Pattern",
    "PatternRecognizer",
    "Recognizer",
    "RecognizerSpec",
    "Redacted",
    "RedactedItem",
    "Replace",
    "default_recognizers",
    "redact",
    "resolve_overlaps",
]
