"""``serve``'s options completed by the store configuration (no server is contacted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_identity.errors import UsageError
from ai_identity.service.worker import settings_from


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ai-identity.toml"
    path.write_text(text)
    return path


def test_when_a_config_names_servers_then_the_log_redis_and_platform_come_from_it(tmp_path):
    cfg = _config(
        tmp_path,
        f"""
events = "pg"
[[sources]]
kind = "mysql"
database = "app"
[[sources]]
kind = "postgres"
name = "pg"
database = "test"
schema = "svc"
[[sources]]
kind = "redis"
port = 6380
db = 2
password = "s3cret"
key_prefix = "web:"
[[sources]]
kind = "embedded"
path = "{tmp_path / "P"}"
""",
    )
    s = settings_from(config=cfg)
    assert s.event_log is not None and s.event_log.kind == "postgres" and s.event_log.db_schema == "svc"
    assert s.redis_url is not None and s.redis_url.get_secret_value() == "redis://:s3cret@127.0.0.1:6380/2"
    assert s.redis_prefix == "web:"
    assert s.platform == tmp_path / "P"
    assert "s3cret" not in repr(s)  # the password appears only in the URL handed to the client
    other = settings_from(platform=tmp_path / "Q", config=cfg, redis_url="none", redis_prefix="")
    assert other.platform == tmp_path / "Q" and other.redis_url is None and other.redis_prefix == ""


def test_when_there_is_no_config_then_the_embedded_default(tmp_path):
    s = settings_from(platform=tmp_path)
    assert s.event_log is None and s.updates
    assert s.redis_url is not None and s.redis_url.get_secret_value() == "redis://127.0.0.1:6379/0"


def test_when_neither_platform_nor_embedded_source_then_a_usage_error_names_the_option(tmp_path):
    cfg = _config(tmp_path, '[[sources]]\nkind = "postgres"\ndatabase = "test"\n')
    with pytest.raises(UsageError, match="--platform"):
        settings_from(config=cfg)
