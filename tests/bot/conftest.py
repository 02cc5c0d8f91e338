"""The bot end to end: the real PTB Application in a thread of its own, against the fake Bot API server.

Nothing in the bot is patched: it reaches the fake server over local HTTP
through ``base_url``/``base_file_url``, and the database through Django (hence
``transactional_db``: the bot's thread must see what the test committed).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine

from analytics.sync import sync
from bot import accounts
from bot.accounts import Athlete
from bot.app import serve
from bot.config import BotConfig
from bot.ratelimit import RateLimit
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from tests.conftest import activity_fields
from web.accounts.consent import record as record_consent
from web.accounts.models import User
from web.activities.models import Activity

#: Test bots answer quickly and shut down quickly: a short long-poll, a generous rate limit.
TEST_RATE_LIMIT = RateLimit(burst=50, rate_per_s=50.0)
_user_ids = itertools.count(7_000_001)


class BotThread:
    """Runs ``bot.app.serve`` on an event loop in a daemon thread until ``stop()``."""

    def __init__(self, config: BotConfig) -> None:
        self.config = config
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="foulee-bot", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            started = asyncio.Event()
            task = asyncio.create_task(serve(self.config, self._stop, started))
            await started.wait()
            self._started.set()
            await task

        try:
            asyncio.run(main())
        except BaseException as error:  # surfaced by start()/stop() in the test's thread
            self._error = error
            self._started.set()

    def start(self, timeout: float = 20.0) -> BotThread:
        self._thread.start()
        if not self._started.wait(timeout):
            raise TimeoutError("the bot did not start")
        if self._error is not None:
            raise self._error
        return self

    def stop(self, timeout: float = 15.0) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the bot did not stop"
        if self._error is not None:
            raise self._error


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def bot_config(telegram: FakeTelegram) -> BotConfig:
    return BotConfig(
        token=telegram.token,
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        rate_limit=TEST_RATE_LIMIT,
        poll_timeout=1.0,
        warm_up_coach=False,
    )


@pytest.fixture
def start_bot(
    transactional_db: None, store: Engine, telegram: FakeTelegram
) -> Iterator[Callable[..., BotThread]]:
    """Start the bot with a config (``start_bot(config, **changes)``); it is stopped after the test,
    before the fake server goes away (hence the dependency on ``telegram``)."""
    running: list[BotThread] = []

    def start(config: BotConfig, **changes: Any) -> BotThread:
        bot = BotThread(replace(config, **changes) if changes else config).start()
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.stop()


@pytest.fixture
def bot(start_bot: Callable[..., BotThread], bot_config: BotConfig) -> BotThread:
    return start_bot(bot_config)


@pytest.fixture
def new_user() -> Callable[..., FakeUser]:
    def make(language_code: str = "fr", first_name: str = "Camille") -> FakeUser:
        return FakeUser(next(_user_ids), first_name=first_name, language_code=language_code)

    return make


@pytest.fixture
def onboarded(
    transactional_db: None, new_user: Callable[..., FakeUser]
) -> Callable[..., tuple[FakeUser, Athlete]]:
    """A Telegram user who already has a Foulée account made by the bot, in ``language``."""

    def make(language: str = "fr", *, consent: bool = True) -> tuple[FakeUser, Athlete]:
        """``consent=False``: the athlete refused the health-data step (no decision recorded)."""
        user = new_user(language)
        athlete = accounts.create_athlete(
            user.id,
            user.id,
            first_name=user.first_name,
            username="",
            language="en" if language == "en" else "fr",
        )
        if consent:
            record_consent(User.objects.get(pk=athlete.user_id), granted=True, channel="bot")
        return user, athlete

    return make


@pytest.fixture
def recent_runs(store: Engine) -> Callable[[Athlete], None]:
    """Give an athlete four 10 km runs in the last ten days, synced to the analytics store."""

    def give(athlete: Athlete) -> None:
        now = dt.datetime.now(dt.UTC)
        for days_ago in (1, 3, 6, 9):
            activity = Activity(
                user_id=athlete.user_id, **activity_fields(start_time=now - dt.timedelta(days=days_ago))
            )
            activity.full_clean()
            activity.save()
        sync(store)

    return give
