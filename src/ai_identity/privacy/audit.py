"""The audit log: append-only, hash-chained, naming users only by erasable per-user tokens.

Format. One SQLite file (``<platform>/identity/audit.sqlite`` by default) with three tables:

* ``audit_log`` — one row per entry: ``seq`` (1, 2, 3, …), ``at`` (UTC ISO-8601), ``action`` (e.g.
  ``dp.release``), ``actor`` (who acted: a role or component, never a person's name), ``subject`` and
  ``viewer`` (per-user tokens or null), ``details`` (canonical JSON without personal values), ``prev_hash``
  and ``hash``. ``hash = SHA-256(canonical(entry) + "\\n" + prev_hash)``, where ``canonical(entry)`` is the
  JSON of ``{seq, at, action, actor, subject, viewer, details}`` with sorted keys, no spaces, UTF-8; the
  first entry's ``prev_hash`` is 64 zeros. Triggers refuse UPDATE and DELETE on the table.
* ``audit_head`` — the last ``seq`` and ``hash``, written in the same transaction as each entry, so cutting
  entries off the end is detected too.
* ``audit_tokens`` — user id → random token. Entries hold only the token. :meth:`AuditLog.forget` deletes
  the mapping (erasure), after which no entry can be tied back to the user, while every hash still verifies
  because the entries themselves are untouched.

Appends take SQLite's write lock (``BEGIN IMMEDIATE``), so processes appending at once keep one chain.
:meth:`AuditLog.verify` walks the chain and reports the first bad ``seq``: an edited entry fails its own hash,
a removed or reordered one breaks the sequence or the next entry's ``prev_hash``.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ai_identity.errors import UsageError
from ai_identity.privacy._sqlite import SqliteFile

__all__ = [
    "ACTIONS",
    "GENESIS_HASH",
    "AuditEntry",
    "AuditLog",
    "Verification",
    "default_audit_path",
    "entry_hash",
]

GENESIS_HASH = "0" * 64
# The actions the engine records; others may add their own (dotted lower-case names).
ACTIONS = (
    "consent.change",
    "erasure",
    "export.user",
    "export.training",
    "dp.release",
    "dp.budget",
    "identity.read",
)
_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_MAX_TEXT = 200
# Details are meant to carry kinds, counts and ids of things, never a personal value; these shapes (an
# e-mail address, 9+ digits in a run as in phone, ID, card and social security numbers) are refused outright.
# Hex digests and tokens are exempt; dates (8 digits) pass.
_LOOKS_PERSONAL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+|(?:\d[\s-]?){8,}\d")
_HEX_DIGEST = re.compile(r"^[0-9a-f]{32,128}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, actor TEXT NOT NULL, subject TEXT,
  viewer TEXT, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_tokens (
  user_key TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""


def default_audit_path(platform: Path) -> Path:
    return Path(platform) / "identity" / "audit.sqlite"


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    action: str
    actor: str
    subject: str | None
    viewer: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def canonical(self) -> str:
        return _canonical(
            {
                "seq": self.seq,
                "at": self.at,
                "action": self.action,
                "actor": self.actor,
                "subject": self.subject,
                "viewer": self.viewer,
                "details": self.details,
            }
        )


@dataclass(frozen=True)
class Verification:
    """The result of walking the chain: ``first_bad_seq`` is None when it is intact."""

    entries: int
    head_hash: str
    first_bad_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(canonical: str, prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical entry and the previous entry's hash."""
    return hashlib.sha256(f"{canonical}\n{prev_hash}".encode()).hexdigest()


def _check_details(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise UsageError(f"{where}: expected a finite number")
        return
    if isinstance(value, str):
        if len(value) > _MAX_TEXT or (_LOOKS_PERSONAL.search(value) and not _HEX_DIGEST.match(value)):
            raise UsageError(
                f"{where}: expected a short identifier or count (at most {_MAX_TEXT} characters, no e-mail "
                "address or long digit run); audit details never carry personal values"
            )
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_details(item, f"{where}[{i}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or not _KEY.match(key):
                raise UsageError(f"{where}: expected keys made of letters, digits, '_', '.' or '-'")
            _check_details(item, f"{where}.{key}")
        return
    raise UsageError(f"{where}: expected JSON scalars, lists or objects, got {type(value).__name__}")


def _user_key(user_id: int | str) -> str:
    if isinstance(user_id, bool) or not isinstance(user_id, int | str) or user_id == "":
        raise UsageError("user id: expected a non-empty str or an int")
    return str(user_id)


class AuditLog(SqliteFile):
    """Append entries, map users to tokens, forget users, verify the chain."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA)

    def _token(self, user_id: int | str) -> str:
        """Inside a transaction: the user's token, made on first use."""
        key = _user_key(user_id)
        row = self._con.execute("SELECT token FROM audit_tokens WHERE user_key=?", (key,)).fetchone()
        if row:
            return str(row[0])
        token = "u_" + secrets.token_hex(16)
        self._con.execute(
            "INSERT INTO audit_tokens VALUES (?,?,?)", (key, token, datetime.now(UTC).isoformat())
        )
        return token

    def token_for(self, user_id: int | str) -> str:
        """The user's audit token (made on first use), for other logs that must name users the same way."""
        with self.immediate():
            return self._token(user_id)

    def forget(self, user_id: int | str) -> int:
        """Delete the user's token mapping (erasure); returns how many mappings were removed (0 or 1)."""
        key = _user_key(user_id)
        with self.immediate() as con:
            return int(con.execute("DELETE FROM audit_tokens WHERE user_key=?", (key,)).rowcount)

    def record(
        self,
        action: str,
        *,
        actor: str = "system",
        subject: int | str | None = None,
        viewer: int | str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Append one entry. ``subject`` and ``viewer`` are user ids, stored only as their tokens.

        ``actor`` names a role or component (``cli``, ``service``, ``erasure``), never a person; ``details``
        carries kinds, counts and ids of things (checked: no e-mail addresses or long digit runs).
        """
        if not isinstance(action, str) or not _ACTION.match(action):
            raise UsageError("action: expected a dotted lower-case name such as 'dp.release'")
        if not isinstance(actor, str) or not _KEY.match(actor):
            raise UsageError("actor: expected a role or component name (letters, digits, '_', '.', '-')")
        body = dict(details or {})
        _check_details(body, "details")
        with self.immediate():
            return self._append(action, actor, subject, viewer, body)

    def _append(
        self,
        action: str,
        actor: str,
        subject: int | str | None,
        viewer: int | str | None,
        details: dict[str, Any],
    ) -> AuditEntry:
        head = self._con.execute("SELECT seq, hash FROM audit_head WHERE id=1").fetchone()
        seq, prev = (int(head[0]) + 1, str(head[1])) if head else (1, GENESIS_HASH)
        details = json.loads(_canonical(details))  # exactly what verification will read back
        draft = AuditEntry(
            seq=seq,
            at=datetime.now(UTC).isoformat(),
            action=action,
            actor=actor,
            subject=None if subject is None else self._token(subject),
            viewer=None if viewer is None else self._token(viewer),
            details=details,
            prev_hash=prev,
            hash="",
        )
        digest = entry_hash(draft.canonical(), prev)
        self._con.execute(
            "INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?)",
            (seq, draft.at, action, actor, draft.subject, draft.viewer, _canonical(details), prev, digest),
        )
        self._con.execute("INSERT OR REPLACE INTO audit_head VALUES (1, ?, ?)", (seq, digest))
        return AuditEntry(**{**draft.__dict__, "hash": digest})

    def entries(self) -> list[AuditEntry]:
        """Every entry in ``seq`` order, as stored."""
        rows = self._con.execute(
            "SELECT seq, at, action, actor, subject, viewer, details, prev_hash, hash FROM audit_log "
            "ORDER BY seq"
        ).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], _load(r[6]), r[7], r[8]) for r in rows]

    def verify(self) -> Verification:
        """Walk the chain from the first entry; report the first ``seq`` that does not hold."""
        prev, expected, n = GENESIS_HASH, 1, 0
        for entry in self.entries():
            if entry.seq != expected:
                return Verification(n, prev, expected, f"entry {expected} is missing or out of order")
            if entry.prev_hash != prev:
                return Verification(n, prev, entry.seq, "prev_hash does not match the previous entry's hash")
            if entry_hash(entry.canonical(), prev) != entry.hash:
                return Verification(n, prev, entry.seq, "the entry's content does not match its hash")
            prev, expected, n = entry.hash, expected + 1, n + 1
        head = self._con.execute("SELECT seq, hash FROM audit_head WHERE id=1").fetchone()
        head_seq, head_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS_HASH)
        if head_seq != n or head_hash != prev:
            bad = min(head_seq, n) + 1 if head_seq != n else max(n, 1)
            return Verification(n, prev, bad, "the chain does not end at the recorded head")
        return Verification(n, prev)


def _load(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        # an edited, unparseable details column still has to fail verification, not crash it
        return {"__unparseable__": text[:_MAX_TEXT]}
    return value if isinstance(value, dict) else {"__not_an_object__": value}
