"""A per-chat token bucket, so that one chat flooding the bot cannot starve the others.

Each chat may send ``burst`` updates at once and then one every
``1 / rate_per_s`` seconds. The bucket is in memory: a restart forgives
everyone, which is fine for a limit whose job is to smooth bursts. A refused
update is not handled but is told so (``bot.app``): a short "slow down" with the
seconds to wait, never silence.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    burst: int = 8
    rate_per_s: float = 0.5


@dataclass
class _Bucket:
    tokens: float
    updated: float


class ChatRateLimiter:
    """``allow(chat_id)`` says whether this update may be handled, and if not, how long to wait."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, chat_id: int) -> tuple[bool, float]:
        """(allowed, seconds): when refused, the seconds until the chat may send one more update."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(chat_id)
            if bucket is None:
                bucket = self._buckets[chat_id] = _Bucket(float(self.limit.burst), now)
            bucket.tokens = min(
                float(self.limit.burst), bucket.tokens + (now - bucket.updated) * self.limit.rate_per_s
            )
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return True, 0.0
            return False, (1.0 - bucket.tokens) / self.limit.rate_per_s
