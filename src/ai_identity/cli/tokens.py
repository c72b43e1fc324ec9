"""CLI commands ``tokens create`` and ``tokens secret``: user tokens for the HTTP service (docs/service.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ai_identity.cli import app

tokens_app = typer.Typer(
    help="User tokens: a person reads, exports, erases and sets consent for themself only."
)
app.add_typer(tokens_app, name="tokens")

_PLATFORM = typer.Option(
    "--platform", help="Platform folder the service runs on (its key store signs tokens)."
)


@tokens_app.command()
def create(
    user: Annotated[int, typer.Argument(help="The platform user id the token acts for.", min=1)],
    platform: Annotated[Path, _PLATFORM],
    ttl: Annotated[
        int, typer.Option("--ttl", help="Seconds until the token expires (60 to 30 days).")
    ] = 3600,
) -> None:
    """Issue a signed user token (JWT, HS256) and print it once on stdout."""
    from ai_identity.service.keys import KeyStore, default_keys_path
    from ai_identity.service.tokens import issue

    store = KeyStore(default_keys_path(platform))
    try:
        typer.echo(issue(store, user, ttl))
    finally:
        store.close()


@tokens_app.command()
def secret(platform: Annotated[Path, _PLATFORM]) -> None:
    """Print the token-signing secret (hex) for a platform login that issues user tokens itself."""
    from ai_identity.service.keys import KeyStore, default_keys_path
    from ai_identity.service.tokens import secret as token_secret

    store = KeyStore(default_keys_path(platform))
    try:
        typer.echo(token_secret(store).hex())
    finally:
        store.close()
