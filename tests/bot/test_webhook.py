"""Webhook delivery: updates POSTed to an ASGI route (uvicorn, real HTTP) reach the same handlers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine
from starlette.applications import Starlette

from bot.accounts import Athlete
from bot.config import BotConfig
from bot.webhook import SECRET_HEADER, WEBHOOK_PATH, WebhookBot, running, webhook_route
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from tests.net import free_port

SECRET = "a-webhook-secret-for-tests"


@pytest.fixture
def webhook_server(
    transactional_db: None, store: Engine, telegram: FakeTelegram, bot_config: BotConfig
) -> Iterator[str]:
    """An ASGI host (Starlette under uvicorn) with the bot's route and lifespan, as the API would add them."""
    bot = WebhookBot(bot_config, public_url="https://foulee.example/telegram/webhook", secret_token=SECRET)

    def lifespan(app: Starlette) -> AbstractAsyncContextManager[None]:
        return running(bot)

    app = Starlette(routes=[webhook_route(bot)], lifespan=lifespan)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    server.should_exit = True
    thread.join(15)


def test_a_signed_update_is_handled_and_others_refused(
    webhook_server: str, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    (registered,) = telegram.webhooks  # setWebhook once, at start-up, with the secret Telegram will sign with
    assert (
        registered["url"] == "https://foulee.example/telegram/webhook"
        and registered["secret_token"] == SECRET
    )
    assert "callback_query" in registered["allowed_updates"]
    user, _ = onboarded("en")
    update = telegram.command_update(user, "/help")
    forged = httpx.post(webhook_server, json=update, headers={SECRET_HEADER: "guess"})
    unsigned = httpx.post(webhook_server, json=update)
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert telegram.no_more_messages(user.id, within=0.3)

    assert httpx.post(webhook_server, content=b"not json", headers={SECRET_HEADER: SECRET}).status_code == 400
    accepted = httpx.post(webhook_server, json=update, headers={SECRET_HEADER: SECRET})
    assert accepted.status_code == 200
    assert "What I can do" in telegram.wait_for_message(user.id).text


def test_the_api_process_serves_the_webhook_at_its_secret_path(
    transactional_db: None,
    store: Engine,
    telegram: FakeTelegram,
    bot_config: BotConfig,
    onboarded: Callable[..., tuple[FakeUser, Athlete]],
) -> None:
    """The one ASGI app (API and Django) with the bot mounted: the fake Bot API server delivers an
    update to the URL the bot registered, over a real socket, and the bot answers through it."""
    from api.main import create_app
    from api.ratelimit import RateLimits
    from bot.webhook import webhook_path
    from tests.api.conftest import serve

    port = free_port()
    secret = "mounted-webhook-secret-0123456789"
    bot = WebhookBot(
        bot_config, public_url=f"http://127.0.0.1:{port}{webhook_path(secret)}", secret_token=secret
    )
    app = create_app(rate_limits=RateLimits.off(), webhook=bot)
    with serve(app, port=port, lifespan="on") as base:
        (registered,) = telegram.webhooks
        assert registered["url"] == f"{base}/telegram/{secret}"
        user, _ = onboarded("en")
        assert telegram.deliver(telegram.command_update(user, "/help")) == 200
        assert "What I can do" in telegram.wait_for_message(user.id).text
        # The route is the secret's only: another path under /telegram/ is Django's 404.
        assert httpx.post(f"{base}/telegram/webhook", json={}).status_code == 404
        assert (
            httpx.post(f"{base}/telegram/{secret}", json={}, headers={SECRET_HEADER: "guess"}).status_code
            == 403
        )
