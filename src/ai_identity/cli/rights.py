"""CLI commands for users' rights: ``erase`` (with a receipt) and ``export`` (identity, evidence, consent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ai_identity.cli import app

PlatformOpt = Annotated[Path, typer.Option("--platform", help="Platform folder in the embedded layout.")]
UserArg = Annotated[int, typer.Argument(help="Platform user id.")]


@app.command()
def erase(
    user: UserArg,
    platform: PlatformOpt,
    source_stores: Annotated[
        bool,
        typer.Option(
            "--source-stores", help="Also delete the user from the platform's own stores (off by default)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the receipt as JSON.")] = False,
) -> None:
    """Remove the user from every store the engine writes and print the receipt (a repeat removes nothing)."""
    from ai_identity.privacy.erasure import erase as run

    receipt = run(platform, user, source_stores=source_stores)
    if as_json:
        typer.echo(json.dumps(receipt.as_dict(), indent=2))
        return
    typer.echo(f"erasure receipt for user {user} at {receipt.erased_at}")
    for s in receipt.stores:
        typer.echo(f"  {s.store:<48} {s.removed:>7}" + (f"  ({s.state})" if s.state else ""))
    typer.echo(
        f"total removed: {receipt.total}" + ("  (nothing held: already erased)" if receipt.empty else "")
    )


@app.command("export")
def export_cmd(
    user: UserArg,
    platform: PlatformOpt,
    save: Annotated[
        bool, typer.Option("--save", help="Also write it to <platform>/identity/exports/user-<id>.json.")
    ] = False,
) -> None:
    """Print the user's identity (self view), its evidence and their consent history as JSON."""
    from ai_identity.privacy.erasure import export_path, export_user

    data = json.dumps(export_user(platform, user), ensure_ascii=False, indent=2, default=str)
    if save:
        path = export_path(platform, user)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data + "\n", encoding="utf-8")
    typer.echo(data)
