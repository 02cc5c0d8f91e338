"""The fake Bot API server answers python-telegram-bot's real calls the way Telegram does."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from tests.bot.fake_telegram import BOT_USER, FakeTelegram, FakeUser


def _bot(server: FakeTelegram, token: str | None = None) -> Bot:
    return Bot(token or server.token, base_url=server.base_url, base_file_url=server.base_file_url)


def test_ptb_round_trip(telegram: FakeTelegram) -> None:
    user = FakeUser(42, language_code="en")
    telegram.push_text(user, "hello")
    telegram.push_document(user, b"file bytes", "run.fit")

    async def scenario() -> tuple[object, ...]:
        async with _bot(telegram) as bot:
            me = await bot.get_me()
            updates = await bot.get_updates(timeout=1)
            later = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
            message = updates[1].message
            assert message is not None and message.document is not None
            document = message.document
            data = await (await bot.get_file(document.file_id)).download_as_bytearray()
            sent = await bot.send_message(42, "<b>hi</b>", parse_mode="HTML")
            photo = await bot.send_photo(42, photo=b"\x89PNG fake", caption="chart")
            return me, updates, later, bytes(data), sent, photo

    me, updates, later, data, sent, _photo = asyncio.run(scenario())
    assert me.username == BOT_USER["username"]  # type: ignore[attr-defined]
    assert [u.message.text for u in updates][:1] == ["hello"]  # type: ignore[attr-defined]
    assert later == ()  # the offset confirmed both updates: Telegram forgets them
    assert data == b"file bytes"
    assert sent.text == "<b>hi</b>" and sent.chat.id == 42  # type: ignore[attr-defined]
    assert telegram.photos(42) == [b"\x89PNG fake"]
    messages = telegram.wait_for_messages(42, 2, timeout=1)
    assert [m.method for m in messages] == ["sendMessage", "sendPhoto"] and messages[0].parse_mode == "HTML"


def test_long_poll_waits_for_an_update(telegram: FakeTelegram) -> None:
    async def scenario() -> list[str]:
        async with _bot(telegram) as bot:
            poll = asyncio.create_task(bot.get_updates(timeout=5))
            await asyncio.sleep(0.3)
            telegram.push_text(FakeUser(7), "late")
            return [u.message.text for u in await poll]  # type: ignore[union-attr, misc]

    assert asyncio.run(scenario()) == ["late"]


def test_a_wrong_token_is_refused(telegram: FakeTelegram) -> None:
    async def scenario() -> None:
        async with _bot(telegram, token="999:wrong"):
            pass

    with pytest.raises(InvalidToken):
        asyncio.run(scenario())


def test_injected_failure_is_a_server_error(telegram: FakeTelegram) -> None:
    telegram.fail_next("sendMessage")

    async def scenario() -> None:
        async with _bot(telegram) as bot:
            await bot.send_message(1, "x")

    with pytest.raises(NetworkError):
        asyncio.run(scenario())
