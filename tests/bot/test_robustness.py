"""Failures, floods and concurrency: one bad update never stops the bot, chats do not wait for each other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.accounts import Athlete
from bot.config import BotConfig
from bot.ratelimit import RateLimit
from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"


def test_a_failing_update_gets_an_apology_and_the_bot_goes_on(
    bot: BotThread,
    telegram: FakeTelegram,
    onboarded: Callable[..., tuple[FakeUser, Athlete]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    user, _ = onboarded("fr")
    telegram.fail_next("getFile")  # Telegram hiccups while the bot fetches the file
    telegram.push_document(user, (DATA / "fitparse_fenix2_run.fit").read_bytes(), "run.fit")
    assert telegram.wait_for_message(user.id).text.startswith("Désolé, quelque chose s'est mal passé")
    failure = next(record for record in caplog.records if record.name == "bot.errors")
    assert f"chat {user.id}" in failure.getMessage() and "document 'run.fit'" in failure.getMessage()
    assert failure.exc_info is not None  # the traceback is logged too
    telegram.push_command(user, "/aide")
    assert "Ce que je sais faire" in telegram.wait_for_message(user.id).text


def test_two_chats_are_served_at_once(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    slow, _ = onboarded("en")
    quick, _ = onboarded("fr")
    telegram.delay("getFile", 2.0)
    telegram.push_document(slow, (DATA / "fitparse_fenix2_run.fit").read_bytes(), "run.fit")
    telegram.push_command(quick, "/aide")
    quick_reply = telegram.wait_for_message(quick.id)
    slow_reply = telegram.wait_for_message(slow.id, timeout=30)
    assert "Ce que je sais faire" in quick_reply.text and slow_reply.text.startswith("Run imported")
    assert quick_reply.at < slow_reply.at  # the quick chat did not wait behind the slow import


def test_a_flooding_chat_is_slowed_down_and_others_are_not(
    start_bot: Callable[..., BotThread],
    bot_config: BotConfig,
    telegram: FakeTelegram,
    onboarded: Callable[..., tuple[FakeUser, Athlete]],
) -> None:
    flooder, _ = onboarded("en")
    neighbour, _ = onboarded("en")
    start_bot(bot_config, rate_limit=RateLimit(burst=3, rate_per_s=0.01))
    for _ in range(4):
        telegram.push_command(flooder, "/help")
    telegram.push_text(flooder, "et là tu m'entends ?")
    telegram.push_text(flooder, "are you there?")
    replies = telegram.wait_for_messages(flooder.id, 6)
    texts = [reply.text for reply in replies]
    # Never silence: three answers, then every refused message is told to wait, in its own language.
    assert [text.split(":")[0] for text in texts[:3]] == ["What I can do"] * 3
    assert texts[3].startswith("Easy 🙂 I didn't read that message: send it again in")
    assert texts[4].startswith("Doucement 🙂 Je n'ai pas lu ce message : renvoie-le dans")
    assert texts[5].startswith("Easy 🙂") and texts[5].endswith(" s.")
    assert telegram.no_more_messages(flooder.id)
    telegram.push_command(neighbour, "/help")
    assert "What I can do" in telegram.wait_for_message(neighbour.id).text


def test_groups_are_ignored(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    """An athlete's data must not be posted where a whole group reads it."""
    user, _ = onboarded("en")
    telegram.push_group_text(user, -100123, "/week")
    telegram.push_group_text(user, -100123, "how much did I run this week?")
    telegram.push_command(user, "/help")  # the same person, privately: answered
    assert "What I can do" in telegram.wait_for_message(user.id).text
    assert telegram.no_more_messages(-100123, within=0.3)
