"""API keys with scopes, stored hashed (SHA-256 with a per-store salt) in ``identity/api_keys.sqlite``.

A key reads ``aiid_<key id>_<secret>``; only its hash is kept, so a lost key cannot be shown again, only
replaced. ``admin`` implies every other scope.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ai_identity.errors import AIIdentityError, UsageError

__all__ = ["SCOPES", "ApiKey", "AuthError", "ForbiddenError", "KeyStore", "default_keys_path"]

SCOPES = ("track:write", "identity:read", "identity:read:trusted", "admin")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
  key_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL, scopes TEXT NOT NULL, created_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0);
"""


class AuthError(AIIdentityError):
    """No key, or a key this service does not know (401)."""

    http_status = 401


class ForbiddenError(AIIdentityError):
    """A known key without the scope the request needs (403)."""

    http_status = 403


def default_keys_path(platform: Path) -> Path:
    return Path(platform) / "identity" / "api_keys.sqlite"


def parse_scopes(text: str) -> tuple[str, ...]:
    scopes = tuple(dict.fromkeys(s.strip() for s in text.split(",") if s.strip()))
    unknown = [s for s in scopes if s not in SCOPES]
    if not scopes or unknown:
        raise UsageError(f"--scopes: expected a comma-separated list of {', '.join(SCOPES)}")
    return scopes


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes


class KeyStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._meta: dict[str, str] = {}
        self._salt = self.meta("salt", lambda: secrets.token_hex(16))
        self.path.chmod(0o600)

    def meta(self, name: str, make: Callable[[], str]) -> str:
        """A value kept with the keys (the salt, the user-token secret), made by ``make`` on first use."""
        cached = self._meta.get(name)
        if cached is None:
            with self._lock:
                self._con.execute("INSERT OR IGNORE INTO store_meta VALUES (?, ?)", (name, make()))
                row = self._con.execute("SELECT value FROM store_meta WHERE name=?", (name,)).fetchone()
            cached = self._meta[name] = str(row[0])
        return cached

    def _hash(self, key: str) -> str:
        return hashlib.sha256((self._salt + key).encode()).hexdigest()

    def create(self, scopes: tuple[str, ...]) -> str:
        """A new key with these scopes; the returned text is the only time the key exists in the clear."""
        scopes = parse_scopes(",".join(scopes))
        key_id = secrets.token_hex(6)
        key = f"aiid_{key_id}_{secrets.token_urlsafe(32)}"
        with self._lock:
            self._con.execute(
                "INSERT INTO api_keys (key_id, key_hash, scopes, created_at) VALUES (?,?,?,?)",
                (key_id, self._hash(key), ",".join(scopes), datetime.now(UTC).isoformat()),
            )
        return key

    def check(self, key: str) -> ApiKey | None:
        """The key's record, or None for an unknown, malformed or revoked key."""
        parts = key.split("_")
        if len(parts) < 3 or parts[0] != "aiid":
            return None
        with self._lock:
            row = self._con.execute(
                "SELECT key_hash, scopes FROM api_keys WHERE key_id=? AND revoked=0", (parts[1],)
            ).fetchone()
        if row is None or not hmac.compare_digest(row[0], self._hash(key)):
            return None
        return ApiKey(parts[1], frozenset(row[1].split(",")))

    def close(self) -> None:
        self._con.close()
