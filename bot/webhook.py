"""Webhook delivery: Telegram POSTs each update to an HTTPS route of an ASGI process.

The alternative to long polling when the bot shares the API's ASGI process:
the host adds ``webhook_route(bot)`` to its routes and enters
``running(bot)`` in its lifespan (mounted sub-applications get no lifespan
events in Starlette, hence a route and a context manager rather than an app).
Telegram signs each call with the secret given to ``setWebhook``, in the
``X-Telegram-Bot-Api-Secret-Token`` header
(https://core.telegram.org/bots/api#setwebhook); anything else is refused.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import BotConfig

WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name, not a secret)
#: Telegram's updates are small; a larger body is not one of them.
MAX_UPDATE_BYTES: Final = 1_000_000


class WebhookBot:
    """The bot's application without an updater, fed by ``receive``."""

    def __init__(self, config: BotConfig, *, public_url: str, secret_token: str) -> None:
        if not secret_token:
            raise ValueError("a webhook needs a secret token")
        self.config = config
        self.public_url = public_url
        self.secret_token = secret_token
        self.application: Application | None = None  # type: ignore[type-arg]

    async def start(self) -> None:
        application = build_application(self.config, polling=False)
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.bot.set_webhook(
            self.public_url, secret_token=self.secret_token, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        self.application = application

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is None:
            return
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)

    async def receive(self, body: bytes, secret: str | None) -> int:
        """Queue one update; the HTTP status to answer Telegram with."""
        if secret is None or not hmac.compare_digest(secret.encode(), self.secret_token.encode()):
            return 403
        if self.application is None:
            return 503
        if len(body) > MAX_UPDATE_BYTES:
            return 413
        try:
            update = Update.de_json(json.loads(body), self.application.bot)
        except (ValueError, TypeError, KeyError):
            return 400
        await self.application.update_queue.put(update)
        return 200


def webhook_path(secret: str) -> str:
    """The mounted route: the secret in the path too, so a stranger cannot even find the route."""
    return f"/telegram/{secret}"


def webhook_route(bot: WebhookBot, path: str = WEBHOOK_PATH) -> Route:
    async def endpoint(request: Request) -> Response:
        status = await bot.receive(await request.body(), request.headers.get(SECRET_HEADER))
        return Response(status_code=status)

    return Route(path, endpoint, methods=["POST"])


@asynccontextmanager
async def running(bot: WebhookBot) -> AsyncIterator[None]:
    await bot.start()
    try:
        yield
    finally:
        await bot.stop()
