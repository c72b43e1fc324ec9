"""CLI command ``serve``: the HTTP service over a platform's identity store (docs/service.md)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from ai_identity.cli import app


@app.command()
def serve(
    platform: Annotated[
        Path | None, typer.Option("--platform", help="Platform folder with a built identity store.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Store configuration (ai-identity.toml): the event log goes to its mysql/postgres database, "
            "the seed's keys to its redis source.",
        ),
    ] = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (loopback by default).")
    ] = "127.0.0.1",
    redis_url: Annotated[
        str | None,
        typer.Option(
            "--redis-url",
            help="Redis for the seed's behavior keys; 'none' for no Redis "
            "[default: the config's redis source, else redis://127.0.0.1:6379/0]",
        ),
    ] = None,
    redis_prefix: Annotated[
        str | None, typer.Option("--redis-prefix", help="Prefix for every Redis key.")
    ] = None,
    rate_per_key: Annotated[
        float | None,
        typer.Option(
            "--rate-per-key", min=0.001, help="Requests per second per key, on average (default 5000)."
        ),
    ] = None,
    rate_burst: Annotated[
        int | None, typer.Option("--rate-burst", min=1, help="Requests per key at once (default 10000).")
    ] = None,
    updates: Annotated[
        bool,
        typer.Option(
            "--updates/--no-updates",
            help="Refresh identities' behaviour facet after each event (incremental).",
        ),
    ] = True,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve ingest (/v1/track), identities, similar users, consent, erasure, export, health and metrics."""
    import uvicorn

    from ai_identity.service.worker import SETTINGS_ENV, settings_from

    args = {
        "platform": platform,
        "config": config,
        "redis_url": redis_url,
        "redis_prefix": redis_prefix,
        "rate_per_key": rate_per_key,
        "rate_burst": rate_burst,
        "updates": updates,
    }
    settings = settings_from(**args)  # checked here, so a bad option fails before any worker starts
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # uvicorn's access log prints paths and query strings (user ids): the app logs route templates instead
    if workers > 1:
        import json
        import os

        # the options, not the settings (a password in them would be masked): each worker reads them again
        os.environ[SETTINGS_ENV] = json.dumps(
            {k: str(v) if isinstance(v, Path) else v for k, v in args.items()}
        )
        uvicorn.run(
            "ai_identity.service.worker:make_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            access_log=False,
            log_level="info",
        )
        return
    from ai_identity.service import Services, create_app

    services = Services.open(settings)
    try:
        uvicorn.run(create_app(settings, services), host=host, port=port, access_log=False, log_level="info")
    finally:
        services.close()
