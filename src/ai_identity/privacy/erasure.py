"""Erasure (the right to be forgotten) with a receipt, and the user's export (the right of access).

:func:`erase` removes one user from every store the engine writes under the platform folder:

* ``identity/identities.sqlite`` — the user's rows in ``identities``, ``identity_history`` and
  ``identity_vectors``; their pseudonym wherever another identity names them (a collaborator entry, in the
  current document and in history); their id in build summaries (``build_runs``);
* ``identity/consent.sqlite`` — every consent record of the user;
* ``identity/audit.sqlite`` — the user's token mapping (:meth:`AuditLog.forget`: the entries stay, the chain
  still verifies, nothing ties them to the user any more);
* ``events/user_behavior_analysis.parquet`` — the columnar copy of the event table, rewritten without the
  user's rows (its freshness stamp is kept, so a later build does not re-copy them from the platform);
* ``identity/dp_ledger.sqlite`` — holds no per-user data (state ``none``);
* files under ``identity/`` — the user's exports (``identity/exports/user-<id>.json``) and, in any other
  JSON-lines or CSV file there, the lines naming the user.

With ``source_stores=True`` it also deletes the user from the embedded platform itself (the "source stores"):
their rows in ``platform.sqlite`` (by ``user_id``, ``id`` and their resumes' ids), their ``users/<id>.sqlite``,
their graph node and its edges, their document (keyed by their e-mail), their Redis keys and their vector
object. Without it, the platform still holds the user and a later full build would derive them again: that
delete is the platform's to make.

SQLite deletes run with ``secure_delete`` on and the write-ahead log is checkpointed, so removed values do not
linger in free pages. The receipt lists each store and how many items were removed; erasing the same user
again removes nothing (an all-zero receipt). The erasure itself is audited with counts only, after the user's
token has been forgotten, so the entry names nobody.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ai_identity import errors as ai_errors
from ai_identity.errors import UsageError
from ai_identity.privacy.audit import AuditLog, default_audit_path
from ai_identity.privacy.consent import ConsentStore, default_consent_path
from ai_identity.privacy.ledger import default_ledger_path
from ai_identity.settings import Settings
from ai_identity.sources.embedded import layout as L

__all__ = ["ErasureReceipt", "StoreCount", "UserMarkers", "erase", "export_path", "export_user"]

_ERASED = "[erased]"


@dataclass(frozen=True)
class StoreCount:
    store: str
    removed: int
    state: str | None = None  # e.g. "none" for a store that holds no per-user data

    def as_dict(self) -> dict[str, Any]:
        return {"store": self.store, "removed": self.removed} | ({"state": self.state} if self.state else {})


@dataclass
class ErasureReceipt:
    user_id: int
    erased_at: str
    source_stores: bool
    stores: list[StoreCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.removed for s in self.stores)

    @property
    def empty(self) -> bool:
        return self.total == 0

    def add(self, store: str, removed: int, state: str | None = None) -> None:
        self.stores.append(StoreCount(store, int(removed), state))

    def as_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "erased_at": self.erased_at,
            "source_stores": self.source_stores,
            "stores": [s.as_dict() for s in self.stores],
            "total_removed": self.total,
            "empty": self.empty,
        }


@dataclass(frozen=True)
class UserMarkers:
    """What names the user in derived files: pseudonym, e-mail, phone, username and graph node id."""

    user_id: int
    pseudonym: str | None = None
    email: str | None = None
    phone: str | None = None
    username: str | None = None
    graph_id: str | None = None

    def texts(self) -> list[str]:
        return [v for v in (self.pseudonym, self.email, self.phone, self.graph_id) if v and len(v) >= 5]


def export_path(platform: Path, user_id: int) -> Path:
    """Where ``export --save`` writes a user's export (erasure deletes it)."""
    return Path(platform) / "identity" / "exports" / f"user-{user_id}.json"


@contextlib.contextmanager
def secure_sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    con = sqlite3.connect(path, timeout=60)
    con.execute("PRAGMA secure_delete=ON")
    try:
        with con:
            yield con
        with contextlib.suppress(sqlite3.DatabaseError):
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def _markers(platform: Path, user_id: int, settings: Settings) -> UserMarkers:
    from ai_identity.privacy.pseudonym import Pseudonymizer, PseudonymKey
    from ai_identity.settings import platform_secret

    email = phone = username = None
    db = platform / L.PLATFORM_DB
    if db.exists():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT email, phone, username FROM users WHERE id=?", (user_id,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        finally:
            con.close()
        if row:
            email, phone, username = (v if isinstance(v, str) and v.strip() else None for v in row)
    pseudonym = None
    # only when a key exists: asking for one would create it, and with no key no pseudonym was ever written
    if settings.pseudonym_secret is not None or (platform / "identity" / "pseudonym.key").exists():
        key_id, secret = platform_secret(settings, platform)
        pseudonym = Pseudonymizer([PseudonymKey.from_secret_text(key_id, secret.decode())], key_id).pseudonym(
            "user", user_id
        )
    graph_id = None
    users_csv = platform / L.GRAPH_DIR / L.GRAPH_FILES["User"]
    if username and users_csv.exists():
        with users_csv.open(encoding="utf-8", newline="") as f:
            graph_id = next((r["id"] for r in csv.DictReader(f) if r.get("username") == username), None)
    return UserMarkers(user_id, pseudonym, email, phone, username, graph_id)


def _scrub(value: Any, pseudonym: str) -> Any:
    """``value`` without list items that name the pseudonym; other mentions replaced by a marker."""
    if isinstance(value, list):
        return [_scrub(v, pseudonym) for v in value if not _names(v, pseudonym)]
    if isinstance(value, dict):
        return {k: _scrub(v, pseudonym) for k, v in value.items()}
    if isinstance(value, str) and pseudonym in value:
        return value.replace(pseudonym, _ERASED)
    return value


def _names(value: Any, pseudonym: str) -> bool:
    if value == pseudonym:
        return True
    return isinstance(value, dict) and any(v == pseudonym for v in value.values())


def _erase_identity_store(platform: Path, m: UserMarkers, receipt: ErasureReceipt) -> None:
    from ai_identity.store.identities import default_path

    path = default_path(platform)
    name = "identity/identities.sqlite"
    tables = ("identities", "identity_history", "identity_vectors")
    if not path.exists():
        for t in (*tables, "references", "build_runs"):
            receipt.add(f"{name}:{t}", 0)
        return
    with secure_sqlite(path) as con:
        for t in tables:
            receipt.add(f"{name}:{t}", con.execute(f"DELETE FROM {t} WHERE user_id=?", (m.user_id,)).rowcount)
        scrubbed = 0
        if m.pseudonym:
            for table, key in (("identities", "user_id"), ("identity_history", "user_id, identity_version")):
                rows = con.execute(
                    f"SELECT {key}, document FROM {table} WHERE instr(document, ?) > 0", (m.pseudonym,)
                ).fetchall()
                for *k, doc in rows:
                    new = json.dumps(_scrub(json.loads(doc), m.pseudonym), ensure_ascii=False)
                    where = " AND ".join(f"{c.strip()}=?" for c in key.split(","))
                    con.execute(f"UPDATE {table} SET document=? WHERE {where}", (new, *k))
                    scrubbed += 1
        receipt.add(f"{name}:references", scrubbed)
        runs = 0
        for run_id, summary in con.execute("SELECT run_id, summary FROM build_runs").fetchall():
            data = json.loads(summary or "{}")
            hit = [k for k in ("skipped", "private_skipped") if str(m.user_id) in (data.get(k) or {})]
            for k in hit:
                del data[k][str(m.user_id)]
            if hit:
                con.execute("UPDATE build_runs SET summary=? WHERE run_id=?", (json.dumps(data), run_id))
                runs += 1
        receipt.add(f"{name}:build_runs", runs)


def _erase_events_copy(platform: Path, user_id: int, receipt: ErasureReceipt, refresh: bool) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = platform / L.EVENTS_CACHE
    if not path.exists():
        receipt.add(L.EVENTS_CACHE, 0)
        return
    table = pq.read_table(path)
    keep = pc.fill_null(pc.not_equal(table["user_id"], user_id), True)
    removed = table.num_rows - pc.sum(keep.cast("int64")).as_py() if table.num_rows else 0
    if refresh:
        # the platform's table changed: drop the copy and let the reader re-copy it, stamp and all
        from ai_identity.sources.embedded.events import refresh_cache

        path.unlink()
        refresh_cache(platform)
    elif removed:
        tmp = path.with_suffix(".erasing")
        pq.write_table(table.filter(keep), tmp, compression="zstd")  # schema metadata (the stamp) is kept
        tmp.replace(path)
    receipt.add(L.EVENTS_CACHE, removed)


def filter_lines(path: Path, drop: Any) -> int:
    """Rewrite a line-oriented file without the lines ``drop(line)`` selects; returns how many were dropped."""
    if not path.exists():
        return 0
    kept, removed = [], 0
    with path.open(encoding="utf-8", newline="") as f:
        for line in f:
            if drop(line):
                removed += 1
            else:
                kept.append(line)
    if removed:
        tmp = path.with_name(path.name + ".erasing")
        tmp.write_text("".join(kept), encoding="utf-8", newline="")
        tmp.replace(path)
    return removed


def _erase_identity_files(platform: Path, m: UserMarkers, receipt: ErasureReceipt) -> None:
    exports = 0
    for p in (platform / "identity" / "exports").glob(f"user-{m.user_id}.*"):
        p.unlink()
        exports += 1
    receipt.add("identity/exports", exports)
    texts = m.texts()
    lines = 0
    if texts:
        for p in sorted((platform / "identity").rglob("*")):
            if p.is_file() and p.suffix in (".jsonl", ".csv", ".ndjson"):
                lines += filter_lines(p, lambda line: any(t in line for t in texts))
    receipt.add("identity/*.jsonl,*.csv", lines)


def _erase_consent(platform: Path, user_id: int, receipt: ErasureReceipt) -> None:
    path = default_consent_path(platform)
    if not path.exists():
        receipt.add("identity/consent.sqlite:consent_records", 0)
        return
    with ConsentStore(path) as store:
        store._con.execute("PRAGMA secure_delete=ON")
        receipt.add("identity/consent.sqlite:consent_records", store.erase(user_id))


def erase(
    platform: Path, user_id: int, *, source_stores: bool = False, settings: Settings | None = None
) -> ErasureReceipt:
    """Remove the user from every store the engine writes (and, if asked, the platform's own stores)."""
    from ai_identity.privacy.source_erasure import erase_source_stores

    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
        raise UsageError("user id: expected a positive integer platform user id")
    platform = Path(platform)
    if not (platform / L.PLATFORM_DB).exists() and not (platform / "identity").exists():
        raise UsageError(f"--platform: no platform or identity store in {platform}")
    settings = settings or Settings()
    m = _markers(platform, user_id, settings)
    receipt = ErasureReceipt(user_id, datetime.now(UTC).isoformat(), source_stores)
    _erase_identity_store(platform, m, receipt)
    _erase_consent(platform, user_id, receipt)
    if source_stores:
        erase_source_stores(platform, m, receipt)
    _erase_events_copy(platform, user_id, receipt, refresh=source_stores)
    # the ledger holds dataset names, ε and query names only: no per-user trace to remove
    receipt.add(default_ledger_path(platform).relative_to(platform).as_posix(), 0, state="none")
    _erase_identity_files(platform, m, receipt)
    audit_path = default_audit_path(platform)
    with AuditLog(audit_path) as log:
        log._con.execute("PRAGMA secure_delete=ON")
        receipt.add("identity/audit.sqlite:audit_tokens", log.forget(user_id))
        # after forgetting: the entry carries counts only and no token, so it names nobody
        log.record(
            "erasure",
            actor="erasure",
            details={
                "source_stores": source_stores,
                "total_removed": receipt.total,
                "stores": [s.as_dict() for s in receipt.stores],
            },
        )
    return receipt


def export_user(platform: Path, user_id: int) -> dict[str, Any]:
    """The user's identity as they see it (every claim with its evidence), its earlier versions and their
    consent (current state and full history), as one JSON-ready object. Audited as ``export.user``."""
    from ai_identity.analyse.persona import view
    from ai_identity.errors import NotFoundError
    from ai_identity.privacy.consent import user_consent
    from ai_identity.store.identities import IdentityStore, default_path

    platform = Path(platform)
    out: dict[str, Any] = {"user_id": user_id, "exported_at": datetime.now(UTC).isoformat()}
    ident = None
    versions: list[dict[str, Any]] = []
    if default_path(platform).exists():
        store = IdentityStore(default_path(platform))
        try:
            with contextlib.suppress(NotFoundError):
                ident = view(store.get(user_id), "self")
            versions = [
                {"identity_version": v, "built_at": b, "document": json.loads(d)}
                for v, b, d in store.con.execute(
                    "SELECT identity_version, built_at, document FROM identity_history WHERE user_id=? "
                    "ORDER BY identity_version",
                    (user_id,),
                )
            ]
        finally:
            store.close()
    out["identity"] = json.loads(ident.model_dump_json()) if ident else None
    out["evidence"] = _evidence_index(out["identity"]) if ident else []
    out["identity_history"] = versions
    consent_path = default_consent_path(platform)
    history = []
    if consent_path.exists():
        with ConsentStore(consent_path) as cs:
            history = [r.as_dict() for r in cs.history(user_id)]
            try:
                current: dict[str, Any] | None = user_consent(platform, user_id, cs).snapshot()
            except (NotFoundError, ai_errors.SourceError):
                current = None
    else:
        try:
            current = user_consent(platform, user_id).snapshot()
        except (NotFoundError, ai_errors.SourceError):
            current = None
    out["consent"] = {"current": current, "history": history}
    if ident is None and current is None and not history:
        raise NotFoundError(
            f"nothing held about user {user_id}: no identity, platform user or consent record"
        )
    with AuditLog(default_audit_path(platform)) as log:
        log.record(
            "export.user",
            actor="cli",
            subject=user_id,
            details={
                "identity": ident is not None,
                "evidence_items": len(out["evidence"]),
                "history_versions": len(versions),
                "consent_records": len(history),
            },
        )
    return out


def _evidence_index(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every claim's evidence, flattened: where each claim of the identity came from."""
    out: list[dict[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("evidence"), list) and "confidence" in node:
                out.extend({"claim": path, **ev} for ev in node["evidence"] if isinstance(ev, dict))
            for k, v in node.items():
                if k != "evidence":
                    walk(v, f"{path}.{k}" if path else k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk({k: v for k, v in doc.items() if k not in ("consent", "sources", "quality")}, "")
    return out
