"""Per-key rate limits: a token bucket per API key, refilled continuously (in memory, per process)."""

from __future__ import annotations

import threading
import time

from ai_identity.errors import AIIdentityError


class RateLimitedError(AIIdentityError):
    """The key has used its request budget for now (429); the message says when to retry."""

    http_status = 429


class RateLimiter:
    """``rate`` requests per second on average, bursts up to ``burst``, per key id."""

    def __init__(self, rate: float, burst: int, clock: object = time.monotonic) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key id -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        """Spend one token of ``key_id``'s bucket or raise :class:`RateLimitedError`."""
        now = self._clock()  # type: ignore[operator]
        with self._lock:
            tokens, last = self._buckets.get(key_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
                raise RateLimitedError(
                    f"rate limit: this key may send {self.rate:g} requests/s; retry in {wait:.2f} s"
                )
            self._buckets[key_id] = (tokens - 1.0, now)
