"""The deterministic held-out split shared by evaluation code."""

from __future__ import annotations

import hashlib


def holdout_of(key: str, share: float = 0.2) -> bool:
    """True for about ``share`` of keys, the same on every machine (SHA-256, never Python's salted hash())."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "little") / 2**32 < share
