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
        Path, typer.Option("--platform", help="Platform folder with a built identity store.")
    ],
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (loopback by default).")
    ] = "127.0.0.1",
    redis_url: Annotated[
        str, typer.Option("--redis-url", help="Redis for the seed's behavior keys; 'none' for no Redis.")
    ] = "redis://127.0.0.1:6379/0",
    redis_prefix: Annotated[str, typer.Option("--redis-prefix", help="Prefix for every Redis key.")] = "",
) -> None:
    """Serve ingest (/v1/track), identities, similar users, consent, erasure, export, health and metrics."""
    import uvicorn

    from ai_identity.service import Services, ServiceSettings, create_app

    settings = ServiceSettings(
        platform=platform,
        redis_url=None if redis_url.lower() == "none" else redis_url,
        redis_prefix=redis_prefix,
    )
    services = Services.open(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        # uvicorn's access log prints paths and query strings (user ids): the app logs route templates instead
        uvicorn.run(create_app(settings, services), host=host, port=port, access_log=False, log_level="info")
    finally:
        services.close()
