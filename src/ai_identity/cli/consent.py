"""CLI commands: ``consent show`` and ``consent grant|revoke|deny`` (recorded, audited, identity rebuilt)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ai_identity.cli import app

consent_app = typer.Typer(help="Users' consent to tiers and purposes: records with history.")
app.add_typer(consent_app, name="consent")

PlatformOpt = Annotated[Path, typer.Option("--platform", help="Platform folder in the embedded layout.")]
UserArg = Annotated[int, typer.Argument(help="Platform user id.")]
SubjectArg = Annotated[
    str,
    typer.Argument(
        help="A tier (basic, sensitive, relational) or a purpose (identity_building, analytics, "
        "third_party_sharing, model_training)."
    ),
]
SourceOpt = Annotated[str, typer.Option("--source", help="Where the decision came from (cli, api, …).")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note kept with the record (not audited).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _state(consent: Any, history: list[Any]) -> dict[str, Any]:
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


def _print_state(user: int, state: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"user_id": user, **state}, ensure_ascii=False, indent=2))
        return
    cur = state["current"]
    typer.echo(f"user {user}: data_sharing_level {cur['data_sharing_level']}")
    typer.echo("tiers:    " + ", ".join(f"{t}={'yes' if v else 'no'}" for t, v in cur["tiers"].items()))
    typer.echo("purposes: " + ", ".join(f"{p}={'yes' if v else 'no'}" for p, v in cur["purposes"].items()))
    for r in state["history"]:
        note = f"  ({r['note']})" if r["note"] else ""
        typer.echo(f"  #{r['seq']} {r['at']} {r['subject']} {r['status']} via {r['source']}{note}")
    if not state["history"]:
        typer.echo("  no consent records: the platform's own settings apply")


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


@consent_app.command()
def show(user: UserArg, platform: PlatformOpt, as_json: JsonOpt = False) -> None:
    """Print the user's current consent (platform settings overridden by records) and the record history."""
    from ai_identity.privacy.consent import ConsentStore, default_consent_path, user_consent

    path = default_consent_path(platform)
    if path.exists():
        with ConsentStore(path) as store:
            state = _state(user_consent(platform, user, store), store.history(user))
    else:
        state = _state(user_consent(platform, user), [])
    _print_state(user, state, as_json)


def _change(
    user: int, subject: str, status: str, platform: Path, source: str, note: str | None, as_json: bool
) -> None:
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
        before = user_consent(platform, user, store).snapshot()
        rec = store.record(user, subject, status, source, note)
        consent = user_consent(platform, user, store)
        history = store.history(user)
    rebuilt = rebuild_after_consent(platform, user, subject) if consent.snapshot() != before else []
    with AuditLog(default_audit_path(platform)) as log:
        log.record(
            "consent.change",
            actor="cli",
            subject=user,
            details={
                "subject": subject,
                "status": status,
                "source": rec.source,
                "record_seq": rec.seq,
                "identities_rebuilt": len(rebuilt),
            },
        )
    state = _state(consent, history)
    state["rebuilt"] = rebuilt
    _print_state(user, state, as_json)
    if not as_json:
        typer.echo(f"rebuilt identities: {len(rebuilt)}" if rebuilt else "no identity rebuilt")


@consent_app.command()
def grant(
    user: UserArg,
    subject: SubjectArg,
    platform: PlatformOpt,
    source: SourceOpt = "cli",
    note: NoteOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the user granted a tier or purpose; rebuild their identity when it changes."""
    _change(user, subject, "granted", platform, source, note, as_json)


@consent_app.command()
def revoke(
    user: UserArg,
    subject: SubjectArg,
    platform: PlatformOpt,
    source: SourceOpt = "cli",
    note: NoteOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the user withdrew a tier or purpose; rebuild their identity without it."""
    _change(user, subject, "revoked", platform, source, note, as_json)


@consent_app.command()
def deny(
    user: UserArg,
    subject: SubjectArg,
    platform: PlatformOpt,
    source: SourceOpt = "cli",
    note: NoteOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that the user refused a tier or purpose; rebuild their identity when it changes."""
    _change(user, subject, "denied", platform, source, note, as_json)
