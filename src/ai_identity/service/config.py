"""What the service is given: its settings (passed in, never read from the environment here) and the
services it talks to (stores, Redis, the similar-users index), opened once by :meth:`Services.open`."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ai_identity.config import MySQLSource, PostgresSource
from ai_identity.errors import UsageError
from ai_identity.service.events import (
    EventLog,
    GroupCommitter,
    RedisCopy,
    SqliteEventLog,
    default_event_log_path,
)
from ai_identity.service.keys import KeyStore, default_keys_path
from ai_identity.service.limits import RateLimiter
from ai_identity.service.similar import SimilarIndex
from ai_identity.service.updates import IdentityUpdater, UpdatingCommitter
from ai_identity.service.views import ViewCache

__all__ = ["ServiceSettings", "Services"]


class ServiceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: Path
    # None: no Redis (every event answers "deferred"); a secret, as a URL may carry a password
    redis_url: SecretStr | None = SecretStr("redis://127.0.0.1:6379/0")
    redis_prefix: str = ""  # put before every key the service writes (tests use a unique one)
    # the durable event log: None = identity/event_log.sqlite beside the store; a postgres or mysql source
    # (from --config) = a table in that database (service/eventlog_sql.py)
    event_log: PostgresSource | MySQLSource | None = None
    event_log_table: str = Field(default="aiid_event_log", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
    updates: bool = True  # incremental identity updates after each event (service/updates.py)
    max_body_bytes: int = Field(default=1 << 20, ge=1024)
    max_batch: int = Field(default=1000, ge=1, le=10_000)
    clock_skew_s: float = Field(default=300.0, ge=0)
    similar_max_k: int = Field(default=100, ge=1)
    rate_per_key: float = Field(default=5000.0, gt=0)  # requests per second per API key, on average
    rate_burst: int = Field(default=10_000, ge=1)  # and at most this many at once


class _PerThread:
    """One identity-store connection per thread (sqlite3 connections stay in the thread that opened them)."""

    def __init__(self, path: Path) -> None:
        self.path, self._local = path, threading.local()

    def get(self) -> Any:
        from ai_identity.store.identities import IdentityStore

        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = IdentityStore(self.path)
        return store


@dataclass
class Services:
    settings: ServiceSettings
    keys: KeyStore
    event_log: EventLog
    redis: RedisCopy
    committer: GroupCommitter
    similar: SimilarIndex
    identities: _PerThread
    limiter: RateLimiter
    updater: IdentityUpdater | None = None  # incremental identity updates; started by the app's lifespan
    views: ViewCache = field(default_factory=ViewCache)  # rendered identities by (user, viewer) and stamp

    @property
    def platform(self) -> Path:
        return self.settings.platform

    @classmethod
    def open(cls, settings: ServiceSettings, redis_client: Any | None = None) -> Services:
        """Open the stores beside the platform and build the similar-users index from the skills vectors."""
        from ai_identity.store.identities import IdentityStore, default_path

        platform = Path(settings.platform)
        if not default_path(platform).exists():
            raise UsageError(f"--platform: no identity store in {platform} (run ai-identity build first)")
        store = IdentityStore(default_path(platform))
        try:
            similar = SimilarIndex(*store.vectors("skills"))
        finally:
            store.close()
        if redis_client is None and settings.redis_url:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # one quick retry, no backoff: while Redis is down a request must not wait on it (the event is
            # already durable in the log; the answer says "deferred")
            redis_client = redis.Redis.from_url(
                settings.redis_url.get_secret_value(),
                socket_connect_timeout=0.5,
                socket_timeout=2.0,
                retry=Retry(NoBackoff(), 1),
            )
        log: EventLog
        if settings.event_log is None:
            log = SqliteEventLog(default_event_log_path(platform))
        else:
            from ai_identity.service.eventlog_sql import SqlEventLog

            log = SqlEventLog(settings.event_log, settings.event_log_table)
        copy = RedisCopy(redis_client, settings.redis_prefix)
        updater = IdentityUpdater(platform, log, default_path(platform)) if settings.updates else None
        return cls(
            settings=settings,
            keys=KeyStore(default_keys_path(platform)),
            event_log=log,
            redis=copy,
            committer=UpdatingCommitter(log, copy, updater),
            similar=similar,
            identities=_PerThread(default_path(platform)),
            limiter=RateLimiter(settings.rate_per_key, settings.rate_burst),
            updater=updater,
        )

    def close(self) -> None:
        if self.updater is not None:
            self.updater.stop()
        self.committer.close()
        self.event_log.close()
        self.keys.close()
        if self.redis.client is not None:
            self.redis.client.close()
