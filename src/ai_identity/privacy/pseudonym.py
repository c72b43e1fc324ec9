"""Keyed pseudonyms: the same value always maps to the same opaque token, on every process and machine.

A pseudonym is ``"{key_id}:{token}"`` where ``token`` is the first 26 characters (130 bits) of the lower-case,
unpadded base32 of ``HMAC-SHA256(secret, namespace + "\\x1f" + str(value))``. The namespace ("user",
"company", ...) keeps the same value in two roles from linking. The key id in front names the secret that
made it, so a ring holding retired keys still verifies old pseudonyms after a rotation. Python's built-in
``hash()`` is salted per process and never used here. See docs/pseudonyms.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ai_identity.errors import ConfigError, UsageError

__all__ = ["MIN_SECRET_BYTES", "TOKEN_LENGTH", "PseudonymKey", "Pseudonymizer"]

MIN_SECRET_BYTES = 16
TOKEN_LENGTH = 26
_SEPARATOR = "\x1f"
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")
# The names ai_identity.settings gives these values in the environment; errors point there.
DEFAULT_SETTING = "AI_IDENTITY_PSEUDONYM_SECRET"
KEY_ID_SETTING = "AI_IDENTITY_PSEUDONYM_KEY_ID"


@dataclass(frozen=True)
class PseudonymKey:
    """One named HMAC secret. Its repr shows the id only."""

    key_id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not _KEY_ID.match(self.key_id):
            raise ConfigError(
                f"{KEY_ID_SETTING}: key id expected 1-64 letters, digits, '.', '_' or '-' (no ':')"
            )
        if not isinstance(self.secret, bytes) or len(self.secret) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"{DEFAULT_SETTING}: the secret of key {self.key_id!r} must be at least "
                f"{MIN_SECRET_BYTES} bytes"
            )

    @classmethod
    def from_secret_text(cls, key_id: str, text: str, *, setting: str = DEFAULT_SETTING) -> PseudonymKey:
        """A key from configuration text: hex, base64 (standard or URL-safe) or raw text of >= 16 bytes.

        A ``hex:``, ``base64:`` or ``raw:`` prefix removes any doubt about which was meant. The error for a
        short secret names ``setting`` and the key id and never repeats the secret.
        """
        secret = _decode_secret(text.strip())
        if len(secret) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"{setting}: the secret of key {key_id!r} decodes to {len(secret)} bytes; expected at least "
                f"{MIN_SECRET_BYTES} (hex, base64 or raw text)"
            )
        return cls(key_id, secret)


def _decode_secret(text: str) -> bytes:
    scheme, _, rest = text.partition(":")
    if scheme in ("hex", "base64", "raw") and rest:
        return _decode_as(scheme, rest) or b""
    for kind in ("hex", "base64"):
        decoded = _decode_as(kind, text)
        if decoded is not None and len(decoded) >= MIN_SECRET_BYTES:
            return decoded
    return text.encode("utf-8")


def _decode_as(kind: str, text: str) -> bytes | None:
    """The bytes ``text`` stands for under ``kind``, or None when it is not valid in that form."""
    try:
        if kind == "hex":
            return bytes.fromhex(text) if _HEX.match(text) and len(text) % 2 == 0 else None
        if kind == "base64":
            if not _BASE64.match(text) or len(text) % 4:
                return None
            return base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
        return text.encode("utf-8")
    except (ValueError, binascii.Error):
        return None


def _token(secret: bytes, namespace: str, value: str | int) -> str:
    message = f"{namespace}{_SEPARATOR}{value}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()[:TOKEN_LENGTH]


def _check_input(namespace: str, value: object) -> None:
    if not isinstance(namespace, str) or not namespace or _SEPARATOR in namespace:
        raise UsageError("namespace: expected a non-empty string without the unit separator (0x1f)")
    # bool is an int, but str(True) == "True" would quietly pseudonymise a flag as text.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UsageError(f"value: expected a str or int, got {type(value).__name__}")


class Pseudonymizer:
    """Makes and checks pseudonyms with a ring of keys, one of which is active."""

    def __init__(self, keys: Sequence[PseudonymKey], active: str) -> None:
        ring: dict[str, PseudonymKey] = {}
        for key in keys:
            if key.key_id in ring:
                raise ConfigError(f"{KEY_ID_SETTING}: key id {key.key_id!r} appears more than once")
            ring[key.key_id] = key
        self._ring = ring
        self._active = self._key(active)

    def _key(self, key_id: str) -> PseudonymKey:
        try:
            return self._ring[key_id]
        except KeyError:
            raise ConfigError(
                f"{KEY_ID_SETTING}: no key with id {key_id!r}; the ring holds {sorted(self._ring)}"
            ) from None

    @property
    def active_key_id(self) -> str:
        return self._active.key_id

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ring)

    def pseudonym(self, namespace: str, value: str | int) -> str:
        """``"{key_id}:{token}"`` for ``value`` in ``namespace`` under the active key."""
        _check_input(namespace, value)
        return f"{self._active.key_id}:{_token(self._active.secret, namespace, value)}"

    def verify(self, pseudonym: str, namespace: str, value: str | int) -> bool:
        """Whether ``pseudonym`` was made from ``value`` in ``namespace`` by any key still in the ring."""
        _check_input(namespace, value)
        key_id, sep, token = pseudonym.partition(":")
        key = self._ring.get(key_id)
        if not sep or key is None:
            return False
        return hmac.compare_digest(token, _token(key.secret, namespace, value))

    def rotate_to(self, key_id: str) -> None:
        """Make ``key_id`` (already in the ring) the key new pseudonyms are made with."""
        self._active = self._key(key_id)

    def __repr__(self) -> str:
        return f"Pseudonymizer(keys={list(self._ring)!r}, active={self._active.key_id!r})"
