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


@consent_app.command()
def show(user: UserArg, platform: PlatformOpt, as_json: JsonOpt = False) -> None:
    """Print the user's current consent (platform settings overridden by records) and the record history."""
    from ai_identity.rights import user_consent_state

    _print_state(user, user_consent_state(platform, user), as_json)


def _change(
    user: int, subject: str, status: str, platform: Path, source: str, note: str | None, as_json: bool
) -> None:
    from ai_identity.rights import change_consent

    state = change_consent(platform, user, subject, status, source, note, actor="cli")
    _print_state(user, state, as_json)
    if not as_json:
        rebuilt = state["rebuilt"]
        typer.echo(f"rebuilt identities: {len(rebuilt)}" if rebuilt else "no identity rebuilt")


def _status_command(status: str, doc: str) -> Any:
    """One ``consent <verb>`` command: grant, revoke and deny differ only in the status they record."""

    def command(
        user: UserArg,
        subject: SubjectArg,
        platform: PlatformOpt,
        source: SourceOpt = "cli",
        note: NoteOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        _change(user, subject, status, platform, source, note, as_json)

    command.__doc__ = doc
    return command


for _verb, _status, _doc in (
    (
        "grant",
        "granted",
        "Record that the user granted a tier or purpose; rebuild their identity when it changes.",
    ),
    (
        "revoke",
        "revoked",
        "Record that the user withdrew a tier or purpose; rebuild their identity without it.",
    ),
    (
        "deny",
        "denied",
        "Record that the user refused a tier or purpose; rebuild their identity when it changes.",
    ),
):
    consent_app.command(_verb)(_status_command(_status, _doc))
