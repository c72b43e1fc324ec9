"""CLI commands ``keys create``: API keys for the HTTP service, stored hashed beside the platform."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ai_identity.cli import app

keys_app = typer.Typer(help="API keys for the HTTP service (scopes: track:write, identity:read, …).")
app.add_typer(keys_app, name="keys")


@keys_app.command()
def create(
    platform: Annotated[Path, typer.Option("--platform", help="Platform folder in the embedded layout.")],
    scopes: Annotated[
        str,
        typer.Option(
            "--scopes", help="Comma-separated: track:write, identity:read, identity:read:trusted, admin."
        ),
    ],
) -> None:
    """Create a key and print it once on stdout (only its salted hash is kept)."""
    from ai_identity.service.keys import KeyStore, default_keys_path, parse_scopes

    wanted = parse_scopes(scopes)
    store = KeyStore(default_keys_path(platform))
    try:
        typer.echo(store.create(wanted))
    finally:
        store.close()
