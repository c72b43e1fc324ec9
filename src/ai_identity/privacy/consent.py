"""The consent store: append-only consent records per user, with history, overriding the platform's settings.

A record says that a user granted, denied or revoked a **tier** (``basic``, ``sensitive``, ``relational``) or
a **purpose** (``identity_building``, ``analytics``, ``third_party_sharing``, ``model_training``), when
(UTC), from where (``cli``, ``api``, ``platform:user_privacy_settings``…) and with an optional note. Records
are never updated or deleted, except by erasure of the user (triggers refuse anything else).

A user's current consent is the platform's own setting (what :func:`ai_identity.collect.consent_of` reads)
overridden, subject by subject, by the latest record. Purposes map onto the platform's settings like this:

============================  ====================================  ==========================================
purpose                       default from the platform             effect when not granted
============================  ====================================  ==========================================
``identity_building``         ``ai_analysis_consent``               stub identity, as ``ai_analysis_consent``
                                                                    = false
``analytics``                 ``ai_analysis_consent``               (recorded; cohort statistics)
``third_party_sharing``       ``third_party_access``                ``third_party_access`` = false
``model_training``            false (separate, explicit consent)    (recorded; training exports)
============================  ====================================  ==========================================

A ``basic`` tier that is revoked or denied leaves nothing to analyse, so it also yields a stub.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ai_identity.collect import Consent
from ai_identity.errors import UsageError
from ai_identity.model.identity import Evidence
from ai_identity.privacy._sqlite import SqliteFile

__all__ = [
    "PURPOSES",
    "STATUSES",
    "SUBJECTS",
    "TIERS",
    "ConsentRecord",
    "ConsentSnapshot",
    "ConsentStore",
    "check_status",
    "check_subject",
    "default_consent_path",
    "level_of",
    "open_readonly",
    "user_consent",
]

TIERS = ("basic", "sensitive", "relational")
PURPOSES = ("identity_building", "analytics", "third_party_sharing", "model_training")
SUBJECTS = TIERS + PURPOSES
STATUSES = ("granted", "denied", "revoked")
_MAX_NOTE = 500
_MAX_SOURCE = 64
# a name, never free text: it is copied into the audit log
_SOURCE = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS consent_records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, subject TEXT NOT NULL,
  status TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL, note TEXT);
CREATE INDEX IF NOT EXISTS consent_records_user ON consent_records(user_id, seq);
CREATE TRIGGER IF NOT EXISTS consent_records_no_update BEFORE UPDATE ON consent_records
  BEGIN SELECT RAISE(ABORT, 'consent_records is append-only'); END;
"""
# Erasure is the one delete allowed: it drops this trigger inside its transaction (see ``erase``).
_NO_DELETE = """
CREATE TRIGGER IF NOT EXISTS consent_records_no_delete BEFORE DELETE ON consent_records
  BEGIN SELECT RAISE(ABORT, 'consent_records is append-only (only erasure deletes)'); END;
"""


def default_consent_path(platform: Path) -> Path:
    return Path(platform) / "identity" / "consent.sqlite"


def check_subject(subject: str) -> str:
    if subject not in SUBJECTS:
        raise UsageError(
            f"subject: expected a tier ({', '.join(TIERS)}) or a purpose ({', '.join(PURPOSES)})"
        )
    return subject


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise UsageError(f"status: expected one of {', '.join(STATUSES)}")
    return status


def _check_user(user_id: int) -> int:
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
        raise UsageError("user id: expected a positive integer platform user id")
    return user_id


def _check_source(source: str) -> str:
    if not isinstance(source, str) or not _SOURCE.match(source):
        raise UsageError(
            "source: expected a short name such as 'cli', 'api' or 'platform:user_privacy_settings' "
            f"(a letter, then letters, digits, '_', '.', ':' or '-'; at most {_MAX_SOURCE} characters)"
        )
    return source


def level_of(tiers: set[str]) -> str:
    """The seed's ``data_sharing_level`` that a set of tiers amounts to."""
    if "basic" not in tiers:
        return "none"
    extra = tiers & {"sensitive", "relational"}
    return {frozenset(): "basic", frozenset({"sensitive"}): "sensitive"}.get(
        frozenset(extra), "relational" if extra == {"relational"} else "full"
    )


@dataclass(frozen=True)
class ConsentRecord:
    seq: int
    user_id: int
    subject: str
    status: str
    at: str
    source: str
    note: str | None = None

    @property
    def allowed(self) -> bool:
        return self.status == "granted"

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "subject": self.subject,
            "kind": "tier" if self.subject in TIERS else "purpose",
            "status": self.status,
            "at": self.at,
            "source": self.source,
            "note": self.note,
        }


def _apply(base: Consent, latest: dict[str, ConsentRecord], store_name: str) -> Consent:
    """The platform's consent overridden by the latest record per subject (pure)."""
    if not latest:
        return base
    tiers = set(base.tiers)
    for tier in TIERS:
        if tier in latest:
            (tiers.add if latest[tier].allowed else tiers.discard)(tier)
    purposes = {
        "identity_building": base.ai_analysis,
        "analytics": base.ai_analysis,
        "third_party_sharing": base.third_party,
        "model_training": False,
    }
    for purpose in PURPOSES:
        if purpose in latest:
            purposes[purpose] = latest[purpose].allowed
    last = max(latest.values(), key=lambda r: r.seq)
    ev = Evidence(
        source="consent",
        store=store_name,
        record=f"seq={last.seq}",
        field=last.subject,
        quote=last.status,
    )
    return replace(
        base,
        tiers=tiers,
        ai_analysis=purposes["identity_building"] and "basic" in tiers,
        third_party=purposes["third_party_sharing"],
        level=level_of(tiers),
        evidence=ev,
        purposes=purposes,
    )


def _latest(records: list[ConsentRecord]) -> dict[str, ConsentRecord]:
    out: dict[str, ConsentRecord] = {}
    for rec in sorted(records, key=lambda r: r.seq):
        out[rec.subject] = rec
    return out


def _row(r: tuple[Any, ...]) -> ConsentRecord:
    return ConsentRecord(int(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), r[6])


_SELECT = "SELECT seq, user_id, subject, status, at, source, note FROM consent_records"


class ConsentStore(SqliteFile):
    """Append consent records and read a user's history and current consent."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, _SCHEMA + _NO_DELETE)

    def _append(
        self, user_id: int, subject: str, status: str, source: str, note: str | None
    ) -> ConsentRecord:
        _check_user(user_id)
        check_subject(subject)
        check_status(status)
        source = _check_source(source)
        if note is not None and (not isinstance(note, str) or len(note) > _MAX_NOTE):
            raise UsageError(f"note: expected text of at most {_MAX_NOTE} characters")
        at = datetime.now(UTC).isoformat()
        with self.immediate() as con:
            cur = con.execute(
                "INSERT INTO consent_records (user_id, subject, status, at, source, note) VALUES (?,?,?,?,?,?)",
                (user_id, subject, status, at, source, note),
            )
            seq = int(cur.lastrowid or 0)
        return ConsentRecord(seq, user_id, subject, status, at, source, note)

    def grant(self, user_id: int, subject: str, source: str, note: str | None = None) -> ConsentRecord:
        """Record that the user granted a tier or purpose."""
        return self._append(user_id, subject, "granted", source, note)

    def revoke(self, user_id: int, subject: str, source: str, note: str | None = None) -> ConsentRecord:
        """Record that the user withdrew a tier or purpose they had granted."""
        return self._append(user_id, subject, "revoked", source, note)

    def deny(self, user_id: int, subject: str, source: str, note: str | None = None) -> ConsentRecord:
        """Record that the user refused a tier or purpose when asked."""
        return self._append(user_id, subject, "denied", source, note)

    def record(
        self, user_id: int, subject: str, status: str, source: str, note: str | None = None
    ) -> ConsentRecord:
        """Append a record with the given status (granted | denied | revoked)."""
        return self._append(user_id, subject, status, source, note)

    def history(self, user_id: int) -> list[ConsentRecord]:
        """Every record of the user, oldest first."""
        rows = self._con.execute(f"{_SELECT} WHERE user_id=? ORDER BY seq", (user_id,)).fetchall()
        return [_row(r) for r in rows]

    def current(self, user_id: int, platform_default: Consent) -> Consent:
        """The platform's consent for the user overridden by their latest record per subject."""
        return _apply(platform_default, _latest(self.history(user_id)), f"identity/{self.path.name}")

    def erase(self, user_id: int) -> int:
        """Delete every record of the user (erasure only); returns how many were removed."""
        with self.immediate() as con:
            con.execute("DROP TRIGGER IF EXISTS consent_records_no_delete")
            n = int(con.execute("DELETE FROM consent_records WHERE user_id=?", (user_id,)).rowcount)
            con.execute(_NO_DELETE.strip())
        return n


@dataclass
class ConsentSnapshot:
    """Every record of a consent store read once (for build workers): the same ``current``/``history`` API."""

    records: dict[int, list[ConsentRecord]] = field(default_factory=dict)
    store_name: str = "identity/consent.sqlite"

    def history(self, user_id: int) -> list[ConsentRecord]:
        return list(self.records.get(user_id, []))

    def current(self, user_id: int, platform_default: Consent) -> Consent:
        return _apply(platform_default, _latest(self.records.get(user_id, [])), self.store_name)

    def relational_users(self, default: set[int]) -> set[int]:
        """The users whose relationships may enter the collaboration graph, after the records."""
        out = set(default)
        for uid, recs in self.records.items():
            latest = _latest(recs)
            if "relational" in latest and latest["relational"].allowed:
                out.add(uid)
            if any(
                s in latest and not latest[s].allowed for s in ("relational", "basic", "identity_building")
            ):
                out.discard(uid)
        return out


def open_readonly(platform: Path) -> ConsentSnapshot | None:
    """The platform's consent records read once, or None when there is no consent store."""
    path = default_consent_path(platform)
    if not path.exists():
        return None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        rows = con.execute(f"{_SELECT} ORDER BY seq").fetchall()
    except sqlite3.OperationalError:
        return None  # created but not yet initialised by a writer
    finally:
        con.close()
    snap = ConsentSnapshot(store_name=f"identity/{path.name}")
    for r in rows:
        rec = _row(r)
        snap.records.setdefault(rec.user_id, []).append(rec)
    return snap


def user_consent(platform: Path, user_id: int, store: ConsentStore | None = None) -> Consent:
    """The user's current consent: their platform settings overridden by the consent store's records."""
    from ai_identity.collect import consent_of
    from ai_identity.errors import NotFoundError
    from ai_identity.sources.embedded.reader import EmbeddedPlatform

    plat = EmbeddedPlatform(Path(platform))
    try:
        recs = plat.read_batch([_check_user(user_id)])
    finally:
        plat.close()
    if not recs or recs[0].user is None:
        raise NotFoundError(f"no platform user with id {user_id}")
    return consent_of(recs[0], store)
