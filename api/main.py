"""The one ASGI application: FastAPI serves ``/v1`` (and ``/docs``), Django everything else.

``create_app`` builds it; ``web.asgi.application`` is the instance ``foulee run``
serves. Django is set up before any route module is imported, since the routes
use its models.

Order of the layers a ``/v1`` request crosses, outside in: the security headers
(api/headers.py), the rate limiter (refuses before anything is read or looked
up), the body cap, then FastAPI
(auth and scoping in the routes' dependencies). A ``/v1`` path that matches
no route is answered in the API's error shape, never by Django's HTML 404; any
other path goes to Django.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Final, cast

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from api.bodylimit import MAX_JSON_BODY_BYTES, MULTIPART_OVERHEAD_BYTES, BodyLimitMiddleware
from api.errors import error_response
from api.headers import SecurityHeadersMiddleware
from api.ratelimit import RateLimitMiddleware, RateLimits
from foulee.config import get_settings
from foulee.ratelimit import Limiter

if TYPE_CHECKING:
    from bot.webhook import WebhookBot

UPLOAD_PATH: Final = "/v1/activities/upload"
OPENAPI_PATH: Final = "/openapi.json"

DESCRIPTION: Final = """
The coach's tools over HTTP: analytics, activities, plans, the coach itself, the
knowledge base, and the caller's own account.

**Authentication.** Every route but the probes (`/v1/health`, `/v1/ready`) needs a bearer token
(`Authorization: Bearer fle_…`), issued by `foulee token create --user EMAIL`.
Tokens expire and can be revoked; only their hash is stored.

**Whose data.** A route reads the caller's own data. A coach passes
`athlete_id=` to read one of their athletes; any other id answers 404, exactly
as an id that does not exist.

**Errors** all have one shape: `{"error": {"status", "code", "message", "fields"}}`;
`fields` names each invalid input (`query.distance_m`, `body.hr_rest`…).

**Limits.** Requests are rate-limited per token and per client address (429 with
`Retry-After`), the coach endpoint hardest, the probes (`/v1/health`, `/v1/ready`) never; list
pages hold at most 100 items; JSON bodies at most 64 KiB, uploads at most `FOULEE_MAX_UPLOAD_MB`.

Units are SI (metres, seconds, m/s) unless a name says otherwise (`_km`, `_kmh`, `_h`). Each
number is rounded to what its unit needs, said in its description (and in `x-decimals`).

**Dates in queries** (`since=`, `until=`) are a date-time with its offset
(`2026-11-20T07:30:00+01:00`) or a date (`2026-11-20`): the athlete's local day, in their time
zone (`since=` from the midnight that starts it, `until=` through the midnight that ends it).
"""


def _setup_django() -> ASGIApp:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    from django.core.asgi import get_asgi_application

    # Django's handler is an ASGI app; its stubs type the scope more narrowly than Starlette's.
    return cast(ASGIApp, get_asgi_application())


def body_limit_for(path: str) -> int:
    """The largest body a ``/v1`` path accepts: an activity file for uploads, a small JSON elsewhere."""
    if path == UPLOAD_PATH:
        return get_settings().max_upload_bytes + MULTIPART_OVERHEAD_BYTES
    return MAX_JSON_BODY_BYTES


def telegram_webhook() -> WebhookBot | None:
    """The bot behind a webhook, when the token, the public URL and the secret are all set."""
    settings = get_settings()
    url, secret = settings.telegram_webhook_url, settings.telegram_webhook_secret
    if not (settings.telegram_bot_token and url and secret):
        return None
    from bot.config import BotConfig
    from bot.webhook import WebhookBot, webhook_path

    public_url = url.rstrip("/") + webhook_path(secret)
    return WebhookBot(BotConfig.from_settings(settings), public_url=public_url, secret_token=secret)


def create_app(
    *,
    rate_limits: RateLimits | None = None,
    limiter: Limiter | None = None,
    webhook: WebhookBot | None = None,
) -> FastAPI:
    """The API with Django behind it, limited by ``rate_limits`` (the defaults when None).

    ``limiter`` holds the counts: the process's shared one unless given (tests give their own).
    ``webhook`` is the Telegram bot this process serves at ``/telegram/<secret>`` (Telegram's
    calls, checked by their secret-token header): :func:`telegram_webhook` unless given.
    """
    bot = webhook or telegram_webhook()
    django_app = _setup_django()
    from api import docs, errors, rounding
    from api.deps import reject_unknown_query
    from api.routes import activities, analytics, coach, health, jobs, knowledge, me, plans, races

    app = _App(
        dependencies=[Depends(reject_unknown_query)],
        title="Foulée API",
        version="1",
        description=DESCRIPTION,
        docs_url=None,  # api/docs.py serves it, without a CDN
        redoc_url=None,
        openapi_url=OPENAPI_PATH,
        lifespan=_bot_lifespan(bot),
    )
    if bot is not None:
        from bot.webhook import webhook_path, webhook_route

        app.router.routes.append(webhook_route(bot, webhook_path(bot.secret_token)))
    docs.install(app, title=app.title, openapi_url=OPENAPI_PATH)
    rounding.install(app)
    errors.install(app)
    for module in (health, analytics, activities, jobs, races, plans, coach, knowledge, me):
        app.include_router(module.router, prefix="/v1")
    app.add_middleware(BodyLimitMiddleware, limit_for=body_limit_for)
    app.add_middleware(RateLimitMiddleware, limits=rate_limits or RateLimits(), limiter=limiter)
    app.mount("/", _Fallback(app, django_app))
    return app


def _bot_lifespan(bot: WebhookBot | None) -> Any:
    """Start the bot with the server (``setWebhook``, its handlers), stop it with the server."""
    if bot is None:
        return None
    from bot.webhook import running

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(bot):
            yield

    return lifespan


class _App(FastAPI):
    """FastAPI with the security headers outside everything, Starlette's error layer included.

    ``add_middleware`` puts a middleware inside ``ServerErrorMiddleware``, so the
    500 that layer answers for an unhandled exception would go out without the
    policy (``tests/api/test_headers.py``).
    """

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(
            super().build_middleware_stack(), https=get_settings().served_over_https
        )


class _Fallback:
    """What no API route took: Django's, except under ``/v1``, which answers in the API's error shape.

    405 (with ``Allow``) when the path exists with other methods, whatever the
    method (even ``TRACE``); 404 otherwise. Django never sees a ``/v1`` path.
    """

    def __init__(self, api: FastAPI, django_app: ASGIApp) -> None:
        self.api = api
        self.django_app = django_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if not (path == "/v1" or path.startswith("/v1/")):
            await self.django_app(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        allowed = _allowed_methods(self.api, path)
        if allowed and scope.get("method") not in allowed:
            response = error_response(405, "Method not allowed here.", headers={"Allow": ", ".join(allowed)})
        else:
            response = error_response(404, "No such route.")
        await response(scope, receive, send)


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods of the route at ``path``: a literal route (``/activities/upload``) before a template."""
    matches = [
        (literal, methods) for pattern, literal, methods in _route_table(app) if pattern.fullmatch(path)
    ]
    literal = [methods for is_literal, methods in matches if is_literal]
    return sorted(
        {method for methods in (literal or [methods for _, methods in matches]) for method in methods}
    )


def _route_table(app: FastAPI) -> list[tuple[re.Pattern[str], bool, list[str]]]:
    """Each documented path as (pattern, is literal, methods), read from the OpenAPI document once."""
    table: list[tuple[re.Pattern[str], bool, list[str]]] | None = getattr(app.state, "route_table", None)
    if table is None:
        table = [
            (
                re.compile(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path))),
                "{" not in path,
                [method.upper() for method in operations],
            )
            for path, operations in app.openapi()["paths"].items()
        ]
        app.state.route_table = table
    return table
