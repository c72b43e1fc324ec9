"""Users' rights as one library the CLI and the HTTP service both call: consent state and consent changes
(recorded, rebuilt, audited). Erasure and export live in ``privacy.erasure``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def consent_state(consent: Any, history: list[Any]) -> dict[str, Any]:
    """The current consent (every purpose spelled out) and the record history, as JSON-ready data."""
    from ai_identity.privacy.consent import PURPOSES

    snap = consent.snapshot()
    purposes = snap.get("purposes") or {
        "identity_building": consent.ai_analysis,
        "analytics": consent.ai_analysis,
        "third_party_sharing": consent.third_party,
        "model_training": False,
    }
    return {
        "current": {**snap, "purposes": {p: purposes[p] for p in PURPOSES}},
        "history": [r.as_dict() for r in history],
    }


def user_consent_state(platform: Path, user_id: int) -> dict[str, Any]:
    """The user's consent state: the platform's settings overridden by consent records, with history."""
    from ai_identity.privacy.consent import ConsentStore, default_consent_path, user_consent

    path = default_consent_path(platform)
    if not path.exists():
        return consent_state(user_consent(platform, user_id), [])
    with ConsentStore(path) as store:
        return consent_state(user_consent(platform, user_id, store), store.history(user_id))


def change_consent(
    platform: Path, user_id: int, subject: str, status: str, source: str, note: str | None, actor: str
) -> dict[str, Any]:
    """Record a grant, revocation or denial; rebuild the identities it changes; audit it. Returns the new state
    with ``rebuilt`` (the user ids whose identities were rebuilt)."""
    from ai_identity.privacy.audit import AuditLog, default_audit_path
    from ai_identity.privacy.consent import (
        ConsentStore,
        check_status,
        check_subject,
        default_consent_path,
        user_consent,
    )

    check_subject(subject)
    check_status(status)
    with ConsentStore(default_consent_path(platform)) as store:
        before = user_consent(platform, user_id, store).snapshot()  # an unknown user fails before any write
        rec = store.record(user_id, subject, status, source, note)
        consent = user_consent(platform, user_id, store)
        history = store.history(user_id)
    rebuilt = rebuild_after_consent(platform, user_id, subject) if consent.snapshot() != before else []
    with AuditLog(default_audit_path(platform)) as log:
        log.record(
            "consent.change",
            actor=actor,
            subject=user_id,
            details={
                "subject": subject,
                "status": status,
                "source": rec.source,
                "record_seq": rec.seq,
                "identities_rebuilt": len(rebuilt),
            },
        )
    return {**consent_state(consent, history), "rebuilt": rebuilt}


def _mentioning(store: Any, user: int) -> list[int]:
    """Other users whose identity names this user (by pseudonym, as a collaborator)."""
    row = store.con.execute("SELECT document FROM identities WHERE user_id=?", (user,)).fetchone()
    pseudonym = json.loads(row[0])["user"].get("pseudonym") if row else None
    if not pseudonym:
        return []
    rows = store.con.execute(
        "SELECT user_id FROM identities WHERE user_id<>? AND instr(document, ?) > 0", (user, pseudonym)
    )
    return [int(r[0]) for r in rows]


def rebuild_after_consent(platform: Path, user: int, subject: str) -> list[int]:
    """Rebuild the user's identity (when one was built) and, for a change that affects the collaboration
    graph, the identities of the users it names or that name it. Returns the rebuilt user ids."""
    from ai_identity.pipeline import build
    from ai_identity.store.identities import IdentityStore, default_path

    if not default_path(platform).exists():
        return []
    graph = subject in ("relational", "basic", "identity_building")
    store = IdentityStore(default_path(platform))
    try:
        before = _mentioning(store, user) if graph else []
    finally:
        store.close()
    build(platform, user_ids=[user, *before])
    if not graph:
        return [user]
    store = IdentityStore(default_path(platform))
    try:
        ident = json.loads(
            store.con.execute("SELECT document FROM identities WHERE user_id=?", (user,)).fetchone()[0]
        )
        named = {c["user"] for c in (ident.get("network", {}).get("collaborators") or {}).get("value", [])}
        marks = ",".join("?" * len(named))
        rows = (
            store.con.execute(
                f"SELECT user_id FROM identities WHERE json_extract(document, '$.user.pseudonym') IN ({marks})",
                tuple(named),
            ).fetchall()
            if named
            else []
        )
        after = [int(r[0]) for r in rows if int(r[0]) not in before and int(r[0]) != user]
    finally:
        store.close()
    if after:
        build(platform, user_ids=after)
    return [user, *before, *after]
