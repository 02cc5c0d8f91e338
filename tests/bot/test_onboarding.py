"""/start end to end: language, a new profile with its estimates, or a web account linked by code."""

from __future__ import annotations

from collections.abc import Callable

from bot.accounts import Athlete
from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from web.accounts.consent import NOTICE_VERSION, may_process_health
from web.accounts.models import AthleteProfile, ConsentRecord, TelegramLink, User


def test_onboarding_creates_a_profile_with_estimates(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    user = new_user("fr", first_name="Jo")
    telegram.push_command(user, "/start")
    welcome = telegram.wait_for_message(user.id)
    assert [data for _, data in welcome.buttons()] == ["lang:fr", "lang:en"]
    assert welcome.text.startswith("Bonjour")  # the Telegram app's language until the athlete chooses

    telegram.push_callback(user, welcome, "lang:en")
    choice = telegram.wait_for_message(user.id)
    assert choice.method == "editMessageText" and "Language: English" in choice.text
    assert [data for _, data in choice.buttons()] == ["onb:new", "onb:link"]

    telegram.push_callback(user, choice, "onb:new")
    consent = telegram.wait_for_message(user.id)
    assert "health data" in consent.text and "/privacy" in consent.text
    assert [data for _, data in consent.buttons()] == ["hc:yes", "hc:no"]
    telegram.push_callback(user, consent, "hc:yes")
    given, birth = telegram.wait_for_messages(user.id, 2)
    assert given.method == "editMessageText" and "Thank you" in given.text
    assert "What year were you born" in birth.text and birth.buttons()[0][1] == "skip:birth_year"

    telegram.push_text(user, "nineteen")
    assert "could not read that number" in telegram.wait_for_message(user.id).text
    telegram.push_text(user, "1985")
    sex = telegram.wait_for_message(user.id)
    assert [data for _, data in sex.buttons()] == ["sex:F", "sex:M", "skip:sex"]

    telegram.push_callback(user, sex, "sex:F")
    hr_max = telegram.wait_for_message(user.id)
    # Tanaka's 208 - 0.7 x age for a 41-year-old, as analytics would use it.
    assert "estimated from your age" in hr_max.text and "bpm" in hr_max.text

    telegram.push_text(user, "186")
    hr_rest = telegram.wait_for_message(user.id)
    assert "60 bpm (default value)" in hr_rest.text

    telegram.push_callback(user, hr_rest, "skip:hr_rest")
    done = telegram.wait_for_message(user.id)
    assert "Your profile is ready" in done.text
    assert len(telegram.callback_answers) >= 4  # every button press is acknowledged

    link = TelegramLink.objects.select_related("user").get(telegram_user_id=user.id)
    assert link.chat_id == user.id and link.user.full_name == "Jo"
    profile = AthleteProfile.objects.get(user=link.user)
    assert (profile.birth_year, profile.sex, profile.hr_max, profile.hr_rest, profile.language) == (
        1985, "F", 186, None, "en",
    )  # fmt: skip

    telegram.push_command(user, "/profile")
    shown = telegram.wait_for_message(user.id).text
    assert "HR max: 186 bpm (measured)" in shown and "HR rest: 60 bpm (default value)" in shown


def test_a_web_account_is_linked_with_its_one_time_code(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser], make_user: Callable[..., User]
) -> None:
    web_user = make_user(email="runner@example.org")
    AthleteProfile.objects.update_or_create(user=web_user, defaults={"language": "en"})
    link = TelegramLink(user=web_user)
    code = link.new_link_code()
    link.save()

    someone = new_user("en")
    telegram.push_command(someone, "/start WRONGCODE")
    assert "unknown or expired" in telegram.wait_for_message(someone.id).text
    telegram.push_command(someone, "/week")
    assert "send /start" in telegram.wait_for_message(someone.id).text  # a stranger reaches no data

    telegram.push_command(someone, "/start")
    welcome = telegram.wait_for_message(someone.id)
    assert welcome.text.startswith("Hello!")
    telegram.push_callback(someone, welcome, "lang:en")
    choice = telegram.wait_for_message(someone.id)
    telegram.push_callback(someone, choice, "onb:link")
    assert "8-character code" in telegram.wait_for_message(someone.id).text
    telegram.push_text(someone, code.lower())
    assert "linked to the account runner@example.org" in telegram.wait_for_message(someone.id).text

    link.refresh_from_db()
    assert link.telegram_user_id == someone.id and link.chat_id == someone.id and link.link_code_hash == ""
    telegram.push_command(someone, "/start")
    assert "Welcome back" in telegram.wait_for_message(someone.id).text

    # The code was one-time: another Telegram user cannot reuse it.
    intruder = new_user("en")
    telegram.push_command(intruder, f"/start {code}")
    assert "unknown or expired" in telegram.wait_for_message(intruder.id).text
    assert not TelegramLink.objects.filter(telegram_user_id=intruder.id).exists()


def test_a_known_athlete_is_welcomed_back_in_their_language(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, _ = onboarded("fr")
    telegram.push_command(user, "/start")
    assert "Re-bonjour" in telegram.wait_for_message(user.id).text


def test_onboarding_without_health_consent_skips_the_heart_rate_questions(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    user = new_user("fr", first_name="Noa")
    telegram.push_command(user, "/start")
    telegram.push_callback(user, telegram.wait_for_message(user.id), "lang:fr")
    telegram.push_callback(user, telegram.wait_for_message(user.id), "onb:new")
    consent = telegram.wait_for_message(user.id)
    assert "données de santé" in consent.text
    telegram.push_callback(user, consent, "hc:no")
    refused, birth = telegram.wait_for_messages(user.id, 2)
    assert "année" in birth.text
    assert "je ne traite pas tes données de santé" in refused.text and "VMA" in refused.text
    telegram.push_text(user, "1990")
    sex = telegram.wait_for_message(user.id)
    telegram.push_callback(user, sex, "sex:M")
    done = telegram.wait_for_message(user.id)
    assert "Ton profil est prêt" in done.text  # no HR max nor HR rest question without consent

    web_user = User.objects.get(telegram_link__telegram_user_id=user.id)
    [record] = ConsentRecord.objects.filter(user=web_user)
    assert (record.granted, record.channel, record.notice_version) == (False, "bot", NOTICE_VERSION)
    assert not may_process_health(web_user)

    telegram.push_command(user, "/zones")
    assert "consentement" in telegram.wait_for_message(user.id).text.lower()

    telegram.push_command(user, "/consentement")
    state = telegram.wait_for_message(user.id)
    assert [data for _, data in state.buttons()] == ["hc:yes"]
    telegram.push_callback(user, state, "hc:yes")
    assert "Merci" in telegram.wait_for_message(user.id).text
    assert may_process_health(web_user)
    assert ConsentRecord.objects.filter(user=web_user).count() == 2  # appended, never edited

    telegram.push_command(user, "/consent")
    state = telegram.wait_for_message(user.id)
    assert [data for _, data in state.buttons()] == ["hc:no"]
    telegram.push_callback(user, state, "hc:no")
    assert "VMA" in telegram.wait_for_message(user.id).text
    assert not may_process_health(web_user)


def test_privacy_command_shows_the_notice_to_anyone(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    stranger = new_user("en")
    telegram.push_command(stranger, "/privacy")
    notice = telegram.wait_for_message(stranger.id).text
    assert f"notice {NOTICE_VERSION}" in notice and "9(2)(a)" in notice and "730 days" in notice
    french = new_user("fr")
    telegram.push_command(french, "/confidentialite")
    assert "Responsable du traitement" in telegram.wait_for_message(french.id).text
