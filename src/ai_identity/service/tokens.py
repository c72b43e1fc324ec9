"""User tokens: a person reads, exports, erases and sets consent for themself only.

A user token is a JSON Web Token (RFC 7519) signed with HMAC-SHA-256 (``alg: HS256``) by PyJWT, with the claims

* ``sub``: the platform user id, as a decimal string;
* ``aud``: ``"ai-identity"``;
* ``iat`` and ``exp``: issued-at and expiry, seconds since the epoch (``exp`` is required);
* ``scope``: ``"self"``.

The signing secret is 32 random bytes kept in the key store (``identity/api_keys.sqlite``, mode 0600), made on
first use. ``ai-identity tokens create USER`` issues one; a platform's own login can issue the same tokens with
that secret (``ai-identity tokens secret`` prints it, once, for its configuration). A token that does not verify —
wrong signature, another audience, expired, no ``sub`` — is treated exactly as an unknown API key (401).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from ai_identity.errors import UsageError

__all__ = ["AUDIENCE", "MAX_TTL_S", "UserToken", "issue", "verify"]

AUDIENCE = "ai-identity"
ALGORITHM = "HS256"
MAX_TTL_S = 30 * 86_400
LEEWAY_S = 30  # clock skew between the issuer and this service


@dataclass(frozen=True)
class UserToken:
    """A verified user token: it acts for ``user_id`` only."""

    user_id: int

    @property
    def key_id(self) -> str:  # the rate limiter's bucket
        return f"user:{self.user_id}"


def secret(store: Any) -> bytes:
    """The key store's token secret (made once; every worker process reads the same one)."""
    return bytes.fromhex(store.meta("token_secret", lambda: secrets.token_hex(32)))


def issue(store: Any, user_id: int, ttl_s: int = 3600, now: float | None = None) -> str:
    import jwt

    if not 1 <= user_id <= 2**63 - 1:
        raise UsageError("USER: expected a platform user id (a positive integer)")
    if not 60 <= ttl_s <= MAX_TTL_S:
        raise UsageError(f"--ttl: expected 60 to {MAX_TTL_S} seconds")
    iat = int(time.time() if now is None else now)
    claims = {"sub": str(user_id), "aud": AUDIENCE, "iat": iat, "exp": iat + ttl_s, "scope": "self"}
    return jwt.encode(claims, secret(store), algorithm=ALGORITHM)


def verify(store: Any, token: str) -> UserToken | None:
    """The token's user, or None for anything that does not verify (never a reason: 401 says nothing)."""
    import jwt

    try:
        claims = jwt.decode(
            token,
            secret(store),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            leeway=LEEWAY_S,
            options={"require": ["exp", "sub", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    sub = claims.get("sub")
    if (
        not isinstance(sub, str)
        or not (sub.isascii() and sub.isdigit())
        or claims.get("scope", "self") != "self"
    ):
        return None
    uid = int(sub)
    return UserToken(uid) if 1 <= uid <= 2**63 - 1 else None
