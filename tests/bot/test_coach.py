"""Free text goes to the coach (the offline engine): replies in the athlete's language, charts as photos.

The first question loads the coach's router (a sentence-embedding model):
the slowest test of the bot's, by design the only one that needs it.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.accounts import Athlete
from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from web.coaching.models import Message

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_questions_in_french_and_english_get_answers_in_kind(
    bot: BotThread,
    telegram: FakeTelegram,
    recent_runs: Callable[[Athlete], None],
    onboarded: Callable[..., tuple[FakeUser, Athlete]],
) -> None:
    french, french_athlete = onboarded("fr")
    english, english_athlete = onboarded("fr")  # profile in French, but they write in English
    recent_runs(english_athlete)

    telegram.push_text(french, "combien de kilomètres j'ai couru cette semaine ?")
    telegram.push_text(english, "how many km did I run this week?")
    french_reply = telegram.wait_for_message(french.id, timeout=90)
    english_reply = telegram.wait_for_message(english.id, timeout=90)
    assert french_reply.method == "sendMessage" and english_reply.method == "sendMessage"
    chart = telegram.wait_for_message(english.id)
    assert (
        chart.method == "sendPhoto"
        and chart.file_bytes is not None
        and chart.file_bytes.startswith(PNG_SIGNATURE)
    )
    assert "sendChatAction" in telegram.calls

    stored = {
        message.session.athlete_id: message
        for message in Message.objects.filter(role="assistant").select_related("session")
    }
    assert stored[french_athlete.user_id].language == "fr"
    assert stored[english_athlete.user_id].language == "en"
    assert stored[english_athlete.user_id].session.channel == "telegram"
    assert stored[french_athlete.user_id].content.strip() in french_reply.text
    assert {call["name"] for call in stored[english_athlete.user_id].tool_calls} == {"weekly_summary"}
