"""Telegram first contact, end to end on the fake Bot API: a question typed at any onboarding step is
answered in its own language, and onboarding goes on where it was."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from web.accounts.models import AthleteProfile, TelegramLink, User
from web.coaching.models import Message

#: The first answer may load the router's model (seconds on a cold process).
FIRST_ANSWER_S = 90.0


def test_a_question_right_after_start_is_answered_then_the_language_is_asked_again(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    user = new_user("fr")  # a French Telegram app, an English question
    telegram.push_command(user, "/start")
    welcome = telegram.wait_for_message(user.id)
    assert [data for _, data in welcome.buttons()] == ["lang:fr", "lang:en"]

    telegram.push_text(user, "how do I avoid shin splints when I add mileage?")
    answer, again = telegram.wait_for_messages(user.id, 2, timeout=FIRST_ANSWER_S)
    assert "Sources:" in answer.text and ".md" in answer.text  # knowledge, cited, in English
    assert "Je " not in answer.text
    assert again.text.startswith("Hello!") and [data for _, data in again.buttons()] == ["lang:fr", "lang:en"]
    assert not TelegramLink.objects.filter(
        telegram_user_id=user.id
    ).exists()  # nothing made behind their back

    telegram.push_callback(user, again, "lang:en")
    choice = telegram.wait_for_message(user.id)
    assert [data for _, data in choice.buttons()] == ["onb:new", "onb:link"]


def test_a_red_flag_from_a_newcomer_gets_the_medical_answer(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    user = new_user("en")
    telegram.push_text(user, "j'ai eu la tete qui tourne a la fin de ma sortie, c'est grave ?")
    answer, start = telegram.wait_for_messages(user.id, 2, timeout=FIRST_ANSWER_S)
    assert "médecin" in answer.text and "15" in answer.text
    assert start.text.startswith("Bonjour") and [data for _, data in start.buttons()] == [
        "lang:fr",
        "lang:en",
    ]


def test_questions_during_the_profile_steps_are_answered_and_onboarding_continues(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    user = new_user("en", first_name="Ana")
    telegram.push_command(user, "/start")
    welcome = telegram.wait_for_message(user.id)
    telegram.push_callback(user, welcome, "lang:fr")
    choice = telegram.wait_for_message(user.id)

    # A question at the "new profile or link" step, before any account exists.
    telegram.push_text(user, "c'est quoi la VMA exactement ?")
    answer, keyboard = telegram.wait_for_messages(user.id, 2, timeout=FIRST_ANSWER_S)
    assert "Source :" in answer.text or "Sources :" in answer.text  # cited
    assert [data for _, data in keyboard.buttons()] == ["onb:new", "onb:link"]

    telegram.push_callback(user, choice, "onb:new")
    consent = telegram.wait_for_message(user.id)
    assert [data for _, data in consent.buttons()] == ["hc:yes", "hc:no"]
    telegram.push_callback(user, consent, "hc:yes")
    _given, birth = telegram.wait_for_messages(user.id, 2)
    assert "année" in birth.text

    # An English question at the birth-year step: answered in English, then the step again.
    telegram.push_text(user, "wait, what is a tempo run?")
    answer, asked_again = telegram.wait_for_messages(user.id, 2, timeout=FIRST_ANSWER_S)
    assert "Source:" in answer.text or "Sources:" in answer.text  # cited
    assert asked_again.text == birth.text and asked_again.buttons()[0][1] == "skip:birth_year"
    stored = Message.objects.filter(session__athlete__telegram_link__telegram_user_id=user.id)
    assert stored.filter(content="wait, what is a tempo run?").exists()  # the coach's own conversation

    telegram.push_text(user, "nineteen")  # one word: a wrong answer, not a question
    assert "nombre" in telegram.wait_for_message(user.id).text
    telegram.push_text(user, "1990")
    sex = telegram.wait_for_message(user.id)
    assert [data for _, data in sex.buttons()] == ["sex:F", "sex:M", "skip:sex"]
    telegram.push_callback(user, sex, "sex:M")
    hr_max = telegram.wait_for_message(user.id)
    assert "bpm" in hr_max.text

    telegram.push_text(user, "je sais pas")  # "I don't know": the step is skipped, the estimate stays
    hr_rest = telegram.wait_for_message(user.id)
    assert hr_rest.buttons()[0][1] == "skip:hr_rest"
    telegram.push_text(user, "52")
    assert "profil est prêt" in telegram.wait_for_message(user.id).text

    profile = AthleteProfile.objects.get(user__telegram_link__telegram_user_id=user.id)
    assert (profile.birth_year, profile.sex, profile.hr_max, profile.hr_rest) == (1990, "M", None, 52)


def test_a_question_while_a_link_code_is_awaited(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser], make_user: Callable[..., User]
) -> None:
    web_user = make_user(email="linker@example.org")
    link = TelegramLink(user=web_user)
    code = link.new_link_code()
    link.save()
    user = new_user("en")
    telegram.push_command(user, "/start")
    welcome = telegram.wait_for_message(user.id)
    telegram.push_callback(user, welcome, "lang:en")
    choice = telegram.wait_for_message(user.id)
    telegram.push_callback(user, choice, "onb:link")
    asked = telegram.wait_for_message(user.id)

    telegram.push_text(user, "where do I find the code on the website?")
    answer, asked_again = telegram.wait_for_messages(user.id, 2, timeout=FIRST_ANSWER_S)
    assert answer.text and "unknown or expired" not in answer.text
    assert asked_again.text == asked.text
    telegram.push_text(user, code)
    assert "linker@example.org" in telegram.wait_for_message(user.id).text  # in the web account's language
    assert TelegramLink.objects.get(user=web_user).telegram_user_id == user.id


def test_a_link_code_or_a_number_is_never_taken_for_a_question() -> None:
    from bot.onboarding import is_question

    assert not any(
        is_question(text) for text in ("AB3CD5EF", "ab3cd5ef", "K7M2PQ9X", "1988", "186 bpm", "nineteen")
    )
    assert all(is_question(text) for text in ("what is a tempo run", "VMA ?", "c'est quoi la VMA"))
