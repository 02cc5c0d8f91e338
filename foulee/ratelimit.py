"""Rate limits shared by every front: one limiter, in memory or in Redis.

A :class:`Rate` is "``burst`` requests, refilled at ``per_minute``"; it is
enforced as a moving window of ``burst`` hits over the time the refill takes
(``burst * 60 / per_minute`` seconds), with the maintained ``limits`` library.

The store is this process's memory by default, which is right for the single
process ``foulee run`` starts. With ``FOULEE_REDIS_URL`` set, every process
(several ``foulee run`` behind a balancer, the bot, workers) counts in the
same Redis, so running more processes does not multiply the limits.

Decision: when the shared store cannot be reached, the limiter lets requests
through and logs it once per outage (fail open). An outage of the limiter's
store must not take the product down (the throttles are a defence in depth:
passwords are still hashed slowly and tokens are long random secrets).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from foulee.config import without_password

log = logging.getLogger(__name__)

MEMORY: Final = "memory://"
#: A shared store that does not answer within this is treated as down, never waited on.
STORE_TIMEOUT_S: Final = 0.5


@dataclass(frozen=True)
class Rate:
    """``burst`` requests at once, then ``per_minute`` on average."""

    per_minute: float
    burst: int

    def item(self) -> RateLimitItem:
        window_s = max(1, round(self.burst * 60 / self.per_minute))
        return RateLimitItemPerSecond(self.burst, window_s)


# The limits each front applies; one place for the numbers.
#: Every ``/v1`` request, per client address (authenticated or not: token guessing is throttled too).
API_PER_IP: Final = Rate(per_minute=300, burst=120)
#: Every ``/v1`` request, per bearer token.
API_PER_TOKEN: Final = Rate(per_minute=120, burst=60)
#: A message to the coach (API or web chat), per token or user: it may run the agent and a paid model.
COACH_PER_USER: Final = Rate(per_minute=10, burst=5)
#: A race result from a results page (API or web form), per token or user: each one makes Foulée fetch
#: a third party's page, and Foulée must not become a way to hammer a results site.
RESULTS_FETCH_PER_USER: Final = Rate(per_minute=2, burst=5)
#: Sign-up, login and password-reset posts, per client address.
ACCOUNT_PER_IP: Final = Rate(per_minute=5, burst=10)
#: Login posts naming one account, from any address: ten tries, then one a minute.
LOGIN_PER_ACCOUNT: Final = Rate(per_minute=1, burst=10)


class Limiter:
    """Counts hits per (name, key) in one store; :meth:`take` says how long to wait, 0 when allowed."""

    def __init__(self, storage_url: str = MEMORY) -> None:
        self.storage_url = storage_url
        self.shared = not storage_url.startswith("memory")
        options: dict[str, float | str | bool] = {"wrap_exceptions": True}
        if self.shared:
            options |= {"socket_timeout": STORE_TIMEOUT_S, "socket_connect_timeout": STORE_TIMEOUT_S}
        storage = storage_from_string(storage_url, **options)
        if not isinstance(storage, Storage):
            raise ValueError(f"{storage_url} names an asyncio store; the limiter needs a synchronous one")
        self.storage = storage
        self._strategy = MovingWindowRateLimiter(self.storage)
        self._store_down = False

    def take(self, name: str, rate: Rate, key: str) -> float:
        """Count one hit of ``key`` under the limit ``name``: 0 if allowed, else the seconds to wait."""
        item = rate.item()
        try:
            if self._strategy.hit(item, name, key):
                wait = 0.0
            else:
                stats = self._strategy.get_window_stats(item, name, key)
                wait = max(1.0, stats.reset_time - time.time())
        except StorageError as error:
            if not self._store_down:
                log.error(
                    "Rate limits are off: the store %s does not answer (%s); requests are let through.",
                    without_password(self.storage_url),
                    error.storage_error,
                )
            self._store_down = True
            return 0.0
        if self._store_down:
            log.warning("Rate limits are back: the store %s answers.", without_password(self.storage_url))
            self._store_down = False
        return wait


@lru_cache(maxsize=1)
def get_limiter() -> Limiter:
    """The process's limiter: Redis at ``FOULEE_REDIS_URL`` when set, else memory."""
    from foulee.config import get_settings

    return Limiter(get_settings().redis_url or MEMORY)
