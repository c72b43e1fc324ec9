"""The ``redis`` connector (redis-py): the seed's keys ``user:behavior:{user_id}``, ``session:{session_id}``,
``ai_cache:{user_id}`` and ``behavior:{user_id}:{timestamp}`` under a configurable prefix and patterns.

Reading SCANs each pattern (never KEYS) and fetches values and TTLs a batch of keys per round trip (one
read-only Lua script call doing GET and TTL per key), into :class:`~ai_identity.model.records.RedisKey` records carrying the seed's key names (so stitching
works unchanged). Writing (``load``) sends pipelined ``SET key value EX ttl``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from pydantic_core import from_json

from ai_identity.model import records as r
from ai_identity.sources.base import Connector, ReadReport, batched, require, validate_rows

SEED_PATTERNS = {
    "user_behavior": "user:behavior:{user_id}",
    "session": "session:{session_id}",
    "ai_cache": "ai_cache:{user_id}",
    "behavior": "behavior:{user_id}:{timestamp}",
}


def _regex(pattern: str) -> re.Pattern[str]:
    out, pos = "", 0
    for m in re.finditer(r"\{(\w+)\}", pattern):
        out += re.escape(pattern[pos : m.start()]) + f"(?P<{m.group(1)}>.+?)"
        pos = m.end()
    return re.compile(out + re.escape(pattern[pos:]) + r"\Z")


def _glob(pattern: str) -> str:
    escaped = re.sub(r"([*?\[\]\\])", r"\\\1", pattern)
    return re.sub(r"\\?\{\w+\\?\}|\{\w+\}", "*", escaped)


class KeyMap:
    """Seed key <-> stored key, through the configured prefix and patterns."""

    def __init__(self, prefix: str, patterns: dict[str, str]) -> None:
        self.prefix = prefix
        self.seed = {k: _regex(p) for k, p in SEED_PATTERNS.items()}
        self.conf = {k: _regex(prefix + p) for k, p in patterns.items()}
        self.patterns = {k: prefix + p for k, p in patterns.items()}

    def globs(self) -> list[str]:
        return [_glob(p) for p in self.patterns.values()]

    def to_store(self, seed_key: str) -> str | None:
        for kind, rx in self.seed.items():
            m = rx.match(seed_key)
            if m:
                return self.patterns[kind].format(**m.groupdict())
        return None

    def to_seed(self, stored: str) -> str | None:
        for kind, rx in self.conf.items():
            m = rx.match(stored)
            if m:
                return SEED_PATTERNS[kind].format(**m.groupdict())
        return None


# GET and TTL of every key of a batch in one call (read-only; Lua false becomes a nil reply for a missing key)
GET_TTL = """local out = {}
for i, k in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('GET', k)
  out[2 * i] = redis.call('TTL', k)
end
return out"""


class RedisConnector(Connector):
    kind: ClassVar[str] = "redis"

    def __init__(self, config: Any, report: ReadReport | None = None, **kw: Any) -> None:
        self.redis = require("redis")
        super().__init__(config, **kw)
        self.report = report if report is not None else ReadReport()
        self.transient = (self.redis.exceptions.ConnectionError, self.redis.exceptions.TimeoutError)
        self.keymap = KeyMap(config.key_prefix, config.keys.model_dump())
        self._get_ttl: Any = (
            None  # the registered GET_TTL script (EVALSHA, loaded again if the server lost it)
        )

    def connect(self) -> Any:
        c = self.config
        client = self.redis.Redis(
            host=c.host,
            port=c.port,
            db=c.db,
            password=c.password.get_secret_value() if c.password else None,
            socket_connect_timeout=c.connect_timeout,
            socket_timeout=max(c.connect_timeout, 30.0),
        )
        client.ping()
        return client

    def scan_keys(self) -> list[str]:
        """Every stored key matching a configured pattern (SCAN with MATCH, never KEYS), sorted."""

        # every SCAN walks the whole keyspace: under a prefix one walk (MATCH prefix*) serves every pattern
        globs = [_glob(self.keymap.prefix) + "*"] if self.keymap.prefix else self.keymap.globs()

        def run() -> list[str]:
            found: set[str] = set()
            for glob in globs:
                for k in self.conn.scan_iter(match=glob, count=max(self.config.batch_size, 1000)):
                    key = k.decode() if isinstance(k, bytes) else k
                    if self.keymap.to_seed(key) is not None:
                        found.add(key)
            return sorted(found)

        return self.retry("scan", run)

    def iter_keys(
        self, keys: list[str] | None = None, allow: Callable[[str], bool] | None = None
    ) -> Iterator[r.RedisKey]:
        """Keys as RedisKey records (seed names, JSON values, remaining TTL): one round trip per batch, a
        server-side script doing GET and TTL for each of the batch's keys (a plain pipeline of 2 commands per key
        spends most of its time in redis-py's per-command packing and parsing). ``allow``: a seed key name ->
        whether its value may be fetched (a read plan); a key not allowed is never GET, only its name was seen by
        SCAN."""
        stats = self.report["redis"]
        names = keys if keys is not None else self.scan_keys()
        if allow is not None:
            names = [k for k in names if (seed := self.keymap.to_seed(k)) is not None and allow(seed)]
        for batch in batched(names, self.config.batch_size):

            def run(batch: list[str] = batch) -> list[Any]:
                if self._get_ttl is None:
                    self._get_ttl = self.conn.register_script(GET_TTL)
                return list(self._get_ttl(keys=batch, client=self.conn))

            replies = self.retry("batched GET", run)
            rows = []
            for i, stored in enumerate(batch):
                value, ttl = replies[2 * i], replies[2 * i + 1]
                if value is None:  # expired between SCAN and GET
                    continue
                try:
                    parsed = from_json(value)  # pydantic's compiled JSON parser: the values json.loads gives
                except ValueError:
                    stats.reject("redis key: value is not JSON")
                    continue
                rows.append(
                    {"key": self.keymap.to_seed(stored), "value": parsed, "ttl": ttl if ttl >= 0 else None}
                )
            yield from validate_rows(r.RedisKey, rows, stats, "key")

    # ---- writing (ai-identity load) ----------------------------------------------------------------------------
    def delete_matching(self) -> int:
        """Remove every key under the configured patterns (SCAN + UNLINK), so a re-run replaces the data."""

        def run() -> int:
            n = 0
            for glob in self.keymap.globs():
                for chunk in batched(
                    list(self.conn.scan_iter(match=glob, count=self.config.batch_size)), 1000
                ):
                    n += self.conn.unlink(*chunk)
            return n

        return self.retry("delete", run)

    def write_keys(self, keys: Iterable[r.RedisKey], tick: Any = None) -> tuple[int, int]:
        """Pipelined ``SET key value EX ttl``; returns (written, skipped: expired or not a seed key)."""
        written = skipped = 0
        for batch in batched(list(keys), self.config.batch_size):
            cmds = []
            for k in batch:
                stored = self.keymap.to_store(k.key)
                if stored is None or k.ttl == 0:
                    skipped += 1
                    continue
                cmds.append((stored, json.dumps(k.value, ensure_ascii=False), k.ttl))

            def run(cmds: list[tuple[str, str, int | None]] = cmds) -> None:
                pipe = self.conn.pipeline(transaction=False)
                for stored, value, ttl in cmds:
                    pipe.set(stored, value, ex=ttl)
                pipe.execute()

            self.retry("pipelined SET", run)  # SET is idempotent: a retried batch is harmless
            written += len(cmds)
            if tick:
                tick(len(batch))
        return written, skipped
