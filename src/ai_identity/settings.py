"""The one module that reads the environment: settings, loaded once at the edge and passed down.

Environment variables use the prefix ``AI_IDENTITY_`` (nested keys with ``__``). Secrets are ``SecretStr`` and
never printed. Library code receives a ``Settings`` object; it never reads ``os.environ`` itself.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AI_IDENTITY_", env_nested_delimiter="__", extra="forbid")

    pseudonym_secret: SecretStr | None = None
    pseudonym_key_id: str = "k1"
    batch_size: int = 250
    workers: int | None = None  # build processes; default: one per CPU core
    quality_in_build: bool = (
        True  # run the data-quality checks once per build and fold findings into identities
    )


def load_settings() -> Settings:
    return Settings()


def platform_secret(settings: Settings, platform: Path) -> tuple[str, bytes]:
    """The pseudonym key: from configuration, else a random key kept beside the platform's identity store
    (created once with mode 0600, so pseudonyms stay stable across processes and machines sharing the folder)."""
    if settings.pseudonym_secret is not None:
        return settings.pseudonym_key_id, settings.pseudonym_secret.get_secret_value().encode()
    path = Path(platform) / "identity" / "pseudonym.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(secrets.token_hex(32).encode())
        path.chmod(0o600)
    return "local1", path.read_bytes().strip()
