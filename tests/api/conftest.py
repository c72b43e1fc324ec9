"""Fixtures for the HTTP service tests: one built platform per session, the real Redis under a unique key
prefix (cleaned up after each test), and the real app through ``TestClient``."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def built_platform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ai_identity.cli import main

    out = tmp_path_factory.mktemp("svc") / "P"
    assert main(["generate", "--users", "60", "--seed", "4", "--out", str(out)]) == 0
    assert main(["build", "--platform", str(out)]) == 0
    return out


@pytest.fixture
def platform(built_platform: Path, tmp_path: Path) -> Path:
    """A private copy: tests that erase or change consent leave the session's platform as it was."""
    dst = tmp_path / "P"
    shutil.copytree(built_platform, dst)
    return dst


@pytest.fixture(scope="session")
def redis_client() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1.0)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {REDIS_URL} is required in CI and unreachable: {type(exc).__name__}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({type(exc).__name__}); start redis-server to run")
    return client


@pytest.fixture
def prefix(redis_client: Any) -> Iterator[str]:
    pre = f"aiid-test-{uuid.uuid4().hex[:12]}:"
    yield pre
    keys = list(redis_client.scan_iter(match=f"{pre}*", count=1000))
    if keys:
        redis_client.delete(*keys)


@dataclass
class Api:
    client: Any
    services: Any
    keys: dict[str, str]
    prefix: str

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}


def _make_api(platform: Path, prefix: str, **settings: Any) -> Iterator[Api]:
    from fastapi.testclient import TestClient

    from ai_identity.service import Services, ServiceSettings, create_app

    settings.setdefault("redis_url", REDIS_URL)
    cfg = ServiceSettings(platform=platform, redis_prefix=prefix, **settings)
    services = Services.open(cfg)
    keys = {
        "admin": services.keys.create(("admin",)),
        "track": services.keys.create(("track:write",)),
        "read": services.keys.create(("identity:read",)),
        "trusted": services.keys.create(("identity:read", "identity:read:trusted")),
    }
    with TestClient(create_app(cfg, services)) as client:
        yield Api(client, services, keys, prefix)
    services.close()


@pytest.fixture
def api(platform: Path, prefix: str) -> Iterator[Api]:
    yield from _make_api(platform, prefix)


@pytest.fixture
def make_api(platform: Path, prefix: str) -> Any:
    def make(**settings: Any) -> Iterator[Api]:
        return _make_api(platform, prefix, **settings)

    return make


def _event(**over: Any) -> dict[str, Any]:
    body = {
        "user_id": 7,
        "session_id": "s-test",
        "action_type": "view",
        "action_target": "job",
        "action_target_id": 12,
        "action_details": '{"q": "python"}',
        "duration": 5,
        "success": True,
        "timestamp": "2026-11-20T10:00:00.123456Z",
    }
    body.update(over)
    return body


@pytest.fixture
def event() -> Any:
    """A valid event of the seed's schema, with fields overridden by keyword."""
    return _event
