"""Rate limits on ``/v1``: per client address, per token, and on the coach endpoint.

A request over a limit is refused before anything is read or looked up: 429
with ``Retry-After`` (the seconds until a request is allowed again). Three
limits (their numbers are in :mod:`foulee.ratelimit`):

* per client address, for every ``/v1`` request, authenticated or not, so
  guessing tokens or hammering without one is throttled too;
* per bearer token (keyed by a hash of what was presented, before any database
  work, so refusing costs nothing);
* per token for the coach endpoint, much tighter: every message may run the
  agent and, with a model configured, a paid LLM call (OWASP API4:2023);
* per token for the results-page import, tighter still: each one fetches a
  third party's page (docs/results.md).

The probes (``/v1/health``, ``/v1/ready``) are never limited: a balancer or an
orchestrator must see the service's state, not its limiter's.

The client address is the socket peer's, unless the peer is one of
``FOULEE_TRUSTED_PROXIES`` (uvicorn then puts the forwarded address in the
scope; see :mod:`foulee.server`): a rotated ``X-Forwarded-For`` from anyone
else changes nothing. The counts live in the shared limiter, so they hold
across processes when ``FOULEE_REDIS_URL`` is set.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response
from foulee.ratelimit import (
    API_PER_IP,
    API_PER_TOKEN,
    COACH_PER_USER,
    RESULTS_FETCH_PER_USER,
    Limiter,
    Rate,
    get_limiter,
)

#: The costliest route: limited per token on top of the general limit.
COACH_PATH: Final = "/v1/coach/messages"
#: The route that fetches a page from elsewhere: limited per token too.
RESULTS_PATH: Final = "/v1/races/import-url"
#: Liveness and readiness probes: never limited.
PROBE_PATHS: Final = frozenset({"/v1/health", "/v1/ready"})


@dataclass(frozen=True)
class RateLimits:
    """The limits of one app; ``None`` turns a kind off (benchmarks measure the app, not the limiter)."""

    per_token: Rate | None = API_PER_TOKEN
    per_ip: Rate | None = API_PER_IP
    coach_per_token: Rate | None = COACH_PER_USER
    results_per_token: Rate | None = RESULTS_FETCH_PER_USER

    @classmethod
    def off(cls) -> RateLimits:
        return cls(per_token=None, per_ip=None, coach_per_token=None, results_per_token=None)


def _token_key(headers: Headers) -> str | None:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return hashlib.sha256(credentials.strip().encode("utf-8", "replace")).hexdigest()


class RateLimitMiddleware:
    """ASGI middleware applying :class:`RateLimits` to ``/v1`` requests, counted in ``limiter``."""

    def __init__(self, app: ASGIApp, limits: RateLimits, limiter: Limiter | None = None) -> None:
        self.app = app
        self.limits = limits
        self.limiter = limiter or get_limiter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == "/v1" or path.startswith("/v1/")) or path in PROBE_PATHS:
            await self.app(scope, receive, send)
            return
        # A shared store is a network round trip: off the event loop. Memory is instant.
        wait = await run_in_threadpool(self._wait, scope) if self.limiter.shared else self._wait(scope)
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
        limits, take = self.limits, self.limiter.take
        client = scope.get("client")
        waits = [0.0]
        if limits.per_ip is not None:
            waits.append(take("api-ip", limits.per_ip, client[0] if client else "unknown"))
        token = _token_key(Headers(scope=scope))
        if token is not None:
            if limits.per_token is not None:
                waits.append(take("api-token", limits.per_token, token))
            if (
                limits.coach_per_token is not None
                and scope.get("path") == COACH_PATH
                and scope.get("method") == "POST"
            ):
                waits.append(take("coach-token", limits.coach_per_token, token))
            if (
                limits.results_per_token is not None
                and scope.get("path") == RESULTS_PATH
                and scope.get("method") == "POST"
            ):
                waits.append(take("results-token", limits.results_per_token, token))
        return max(waits)
