"""The service's settings from ``serve``'s options, and the app factory of ``ai-identity serve --workers N``
(each uvicorn worker process reads the options from its environment, opens its own services and closes them
when it stops)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from ai_identity.errors import UsageError
from ai_identity.service.app import create_app
from ai_identity.service.config import Services, ServiceSettings

__all__ = ["DEFAULT_REDIS", "SETTINGS_ENV", "make_app", "settings_from"]

SETTINGS_ENV = "AI_IDENTITY_SERVE_OPTIONS"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _redis_url(source: Any) -> str:
    """The URL of a configured ``redis`` source (its password goes only to the client)."""
    from urllib.parse import quote

    auth = f":{quote(source.password.get_secret_value(), safe='')}@" if source.password is not None else ""
    return f"redis://{auth}{source.host}:{source.port}/{source.db}"


def settings_from(
    platform: Path | str | None = None,
    config: Path | str | None = None,
    redis_url: str | None = None,
    redis_prefix: str | None = None,
    rate_per_key: float | None = None,
    rate_burst: int | None = None,
    updates: bool = True,
) -> ServiceSettings:
    """``serve``'s options, completed by the store configuration: its ``events`` database (else its first
    mysql/postgres source) holds the event log, its ``redis`` source gets the seed's keys (with its
    ``key_prefix``), and its ``embedded`` source is the platform folder when ``--platform`` is not given."""
    event_log = redis_source = None
    if config is not None:
        from ai_identity.config import load_config

        cfg = load_config(Path(config))
        event_log = cfg.events_source()
        redis_source = cfg.source("redis")
        if platform is None and cfg.source("embedded") is not None:
            platform = cfg.source("embedded").path
    if platform is None:
        raise UsageError("--platform: expected the platform folder (or an embedded source in --config)")
    if redis_url is None:
        redis_url = _redis_url(redis_source) if redis_source is not None else DEFAULT_REDIS
    if redis_prefix is None:
        redis_prefix = redis_source.key_prefix if redis_source is not None else ""
    limits: dict[str, Any] = {}
    if rate_per_key is not None:
        limits["rate_per_key"] = float(rate_per_key)
    if rate_burst is not None:
        limits["rate_burst"] = int(rate_burst)
    return ServiceSettings(
        **limits,
        updates=updates,
        platform=Path(platform),
        redis_url=None if redis_url.lower() == "none" else redis_url,
        redis_prefix=redis_prefix,
        event_log=event_log,
    )


def make_app() -> FastAPI:
    settings = settings_from(**json.loads(os.environ[SETTINGS_ENV]))
    return create_app(settings, Services.open(settings), close_services=True)
