"""The bot's pure parts: message splitting and escaping, the rate limit, the command line without a token."""

from __future__ import annotations

import asyncio

import pytest

from bot.formatting import MESSAGE_LIMIT, html_pieces, split_text
from bot.ratelimit import ChatRateLimiter, RateLimit
from bot.texts import TEXTS
from foulee.cli import main
from foulee.config import get_settings


def test_long_text_is_split_at_line_breaks_within_the_limit() -> None:
    paragraph = "Sortie facile de 8 km en zone 2. " * 40
    text = "\n\n".join([paragraph] * 6)
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(piece) <= MESSAGE_LIMIT for piece in pieces)
    assert "".join(piece.replace(" ", "").replace("\n", "") for piece in pieces) == text.replace(
        " ", ""
    ).replace("\n", "")
    assert split_text("x" * (MESSAGE_LIMIT + 10)) == ["x" * MESSAGE_LIMIT, "x" * 10]  # no break to cut at
    assert split_text("   ") == []


def test_html_is_escaped_after_splitting() -> None:
    assert html_pieces("Z1 < Z2 & <b>bold</b>") == ["Z1 &lt; Z2 &amp; &lt;b&gt;bold&lt;/b&gt;"]
    # A text of exactly the limit in visible characters stays one message even though escaping lengthens it.
    assert len(html_pieces("&" * MESSAGE_LIMIT)) == 1


def test_rate_limit_refills_and_says_how_long_to_wait() -> None:
    now = [0.0]
    limiter = ChatRateLimiter(RateLimit(burst=2, rate_per_s=0.5), clock=lambda: now[0])
    assert [limiter.allow(1) for _ in range(4)] == [(True, 0.0), (True, 0.0), (False, 2.0), (False, 2.0)]
    assert limiter.allow(2) == (True, 0.0)  # other chats have their own bucket
    now[0] = 1.0
    assert limiter.allow(1) == (False, 1.0)  # half a token back: one more second
    now[0] = 2.0
    assert limiter.allow(1) == (True, 0.0)


def test_every_text_has_both_languages() -> None:
    assert all(set(entry) == {"fr", "en"} and all(entry.values()) for entry in TEXTS.values())


def test_foulee_bot_without_a_token_says_how_to_set_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["bot"]) == 2
    finally:
        get_settings.cache_clear()
    assert "TELEGRAM_BOT_TOKEN is not set" in capsys.readouterr().err


def test_updates_of_one_chat_run_in_order_and_other_chats_alongside() -> None:
    from telegram import Update

    from bot.app import PerChatUpdateProcessor

    def update(update_id: int, chat_id: int) -> Update:
        message = {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private"},
            "text": "x",
        }
        return Update.de_json({"update_id": update_id, "message": message}, None)

    events: list[str] = []

    async def handle(name: str, seconds: float) -> None:
        events.append(f"{name} start")
        await asyncio.sleep(seconds)
        events.append(f"{name} end")

    async def scenario() -> None:
        processor = PerChatUpdateProcessor()
        await asyncio.gather(
            processor.do_process_update(update(1, 10), handle("a1", 0.05)),
            processor.do_process_update(update(2, 10), handle("a2", 0.0)),
            processor.do_process_update(update(3, 20), handle("b1", 0.0)),
        )
        assert processor._chats == {}  # idle chats are forgotten

    asyncio.run(scenario())
    assert events.index("a1 end") < events.index("a2 start")  # one chat: in order
    assert events.index("b1 end") < events.index("a1 end")  # another chat: not behind it
