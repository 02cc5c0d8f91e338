"""Rate limits per token and per client address: token buckets, in this process.

Each bucket holds ``burst`` requests and refills at ``per_minute``; a request
takes one, and when none is left the answer is 429 with ``Retry-After`` (the
seconds until one is back). Three kinds of bucket:

* per client IP, for every ``/v1`` request, authenticated or not, so guessing
  tokens or hammering without one is throttled too;
* per bearer token (keyed by a hash of what was presented, before any database
  work, so refusing costs nothing);
* per token for the coach endpoint, much tighter: every message may run the
  agent and, with a model configured, a paid LLM call (OWASP API4:2023).

The buckets live in this process's memory, which is right for the single
process ``foulee run`` starts. Several processes behind a balancer would each
count on their own: such a deployment needs a shared store (Redis, or the
proxy's own limiter) instead. The tables are bounded (least recently used
keys are forgotten first), so a flood of fake tokens cannot exhaust memory.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

#: The costliest route: limited per token on top of the general limit.
COACH_PATH: Final = "/v1/coach/messages"
MAX_KEYS: Final = 10_000


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: int


@dataclass(frozen=True)
class RateLimits:
    """The limits of one app; ``None`` turns a kind off (benchmarks measure the app, not the limiter)."""

    per_token: Rate | None = Rate(per_minute=120, burst=60)
    per_ip: Rate | None = Rate(per_minute=300, burst=120)
    coach_per_token: Rate | None = Rate(per_minute=10, burst=5)

    @classmethod
    def off(cls) -> RateLimits:
        return cls(per_token=None, per_ip=None, coach_per_token=None)


class TokenBuckets:
    """Buckets for one kind of key, bounded in number."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Take one request from ``key``'s bucket: 0 if allowed, else the seconds to wait."""
        now = self.clock()
        per_second = self.rate.per_minute / 60.0
        tokens, updated = self._buckets.pop(key, (float(self.rate.burst), now))
        tokens = min(float(self.rate.burst), tokens + (now - updated) * per_second)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / per_second
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        return wait


def _token_key(headers: Headers) -> str | None:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return hashlib.sha256(credentials.strip().encode("utf-8", "replace")).hexdigest()


class RateLimitMiddleware:
    """ASGI middleware applying :class:`RateLimits` to ``/v1`` requests.

    It runs on the event loop, one request at a time, so the buckets need no lock.
    """

    def __init__(self, app: ASGIApp, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.per_ip = TokenBuckets(limits.per_ip, clock) if limits.per_ip else None
        self.per_token = TokenBuckets(limits.per_token, clock) if limits.per_token else None
        self.coach = TokenBuckets(limits.coach_per_token, clock) if limits.coach_per_token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/v1" or path.startswith("/v1/")):
            await self.app(scope, receive, send)
            return
        wait = self._wait(scope)
        if wait > 0:
            response = error_response(
                429,
                "Too many requests; retry after the delay in Retry-After.",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _wait(self, scope: Scope) -> float:
        client = scope.get("client")
        waits = [0.0]
        if self.per_ip is not None:
            waits.append(self.per_ip.take(client[0] if client else "unknown"))
        token = _token_key(Headers(scope=scope))
        if token is not None:
            if self.per_token is not None:
                waits.append(self.per_token.take(token))
            if self.coach is not None and scope.get("path") == COACH_PATH and scope.get("method") == "POST":
                waits.append(self.coach.take(token))
        return max(waits)
