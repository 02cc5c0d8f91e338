"""Commands in French and English, and their inline buttons: distance, session done, deletion, language."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable

from bot.accounts import Athlete
from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser, SentMessage
from web.accounts.models import AthleteProfile, TelegramLink, User
from web.plans.models import PlannedSession, SessionStatus, TrainingPlan


def _plan_with_session(athlete: Athlete, day: dt.date) -> PlannedSession:
    plan = TrainingPlan.objects.create(
        athlete_id=athlete.user_id,
        name="10 km de printemps",
        goal_distance_m=10_000,
        goal_date=day + dt.timedelta(days=60),
        start_date=day - dt.timedelta(days=7),
    )
    return PlannedSession.objects.create(
        plan=plan, date=day, session_type="easy", description="45 min", target_distance_m=8000
    )


def test_help_in_both_languages(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    french, _ = onboarded("fr")
    english, _ = onboarded("en")
    telegram.push_command(french, "/aide")
    telegram.push_command(english, "/help")
    french_help = telegram.wait_for_message(french.id)
    assert "Ce que je sais faire" in french_help.text and french_help.parse_mode == "HTML"
    assert "What I can do" in telegram.wait_for_message(english.id).text
    # The command menu was registered in both languages at start-up.
    assert {c.get("language_code") for c in telegram.commands} == {None, "fr"}


def test_week_in_french_with_its_chart(
    bot: BotThread,
    telegram: FakeTelegram,
    recent_runs: Callable[[Athlete], None],
    onboarded: Callable[..., tuple[FakeUser, Athlete]],
) -> None:
    user, athlete = onboarded("fr")
    recent_runs(athlete)
    telegram.push_command(user, "/semaine")
    text, chart = telegram.wait_for_messages(user.id, 2)
    assert "km" in text.text and text.parse_mode == "HTML"
    assert (
        chart.method == "sendPhoto"
        and chart.file_bytes is not None
        and chart.file_bytes.startswith(b"\x89PNG")
    )
    assert {"chat_id": user.id, "action": "typing"} in telegram.chat_actions


def test_prediction_distance_button(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, _ = onboarded("en")
    telegram.push_command(user, "/prediction")
    keyboard = telegram.wait_for_message(user.id)
    assert [data for _, data in keyboard.buttons()] == [
        "pred:5000",
        "pred:10000",
        "pred:21097.5",
        "pred:42195",
    ]
    before = len(telegram.callback_answers)
    telegram.push_callback(user, keyboard, "pred:10000")
    answer = telegram.wait_for_message(user.id)
    assert len(telegram.callback_answers) == before + 1
    # No runs yet: the coach's tool says there is not enough data, in English.
    assert answer.method == "sendMessage" and "run" in answer.text.lower()


def test_next_session_marked_done_with_its_button(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, athlete = onboarded("fr")
    session = _plan_with_session(athlete, dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2))
    telegram.push_command(user, "/prochaine")
    shown = telegram.wait_for_message(user.id)
    assert "Prochaine séance" in shown.text and shown.buttons() == [("✅ Faite", f"done:{session.pk}")]
    telegram.push_command(user, "/plan")
    listing = telegram.wait_for_message(user.id)
    assert "10 km de printemps" in listing.text and "Footing facile" in listing.text

    telegram.push_callback(user, shown, f"done:{session.pk}")
    assert "notée comme faite" in telegram.wait_for_message(user.id).text
    session.refresh_from_db()
    assert session.status == SessionStatus.DONE


def test_someone_elses_session_cannot_be_marked(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    _, owner = onboarded("fr")
    session = _plan_with_session(owner, dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2))
    intruder, _ = onboarded("en")
    # A hand-made callback carrying another athlete's session id, on a message of the intruder's chat.
    message = {"message_id": 1, "date": 0, "chat": intruder.chat(), "text": "forged"}
    forged = SentMessage("sendMessage", intruder.id, 1, raw=message)
    telegram.push_callback(intruder, forged, f"done:{session.pk}")
    assert "can no longer find" in telegram.wait_for_message(intruder.id).text
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_profile_fix_language_switch_and_export(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, athlete = onboarded("fr")
    telegram.push_command(user, "/profil fcmax 300")
    assert "Valeur refusée" in telegram.wait_for_message(user.id).text
    telegram.push_command(user, "/profil fcmax 188")
    updated, shown = telegram.wait_for_messages(user.id, 2)
    assert updated.text == "Profil mis à jour." and "FC max : 188 bpm (mesurée)" in shown.text
    telegram.push_command(user, "/profil fuseau Mars/Olympus")
    assert "Valeur refusée" in telegram.wait_for_message(user.id).text
    telegram.push_command(user, "/profil fuseau America/Montreal")
    _, shown = telegram.wait_for_messages(user.id, 2)
    assert "fuseau : America/Montreal" in shown.text

    telegram.push_command(user, "/lang")
    keyboard = telegram.wait_for_message(user.id)
    telegram.push_callback(user, keyboard, "lang:en")
    assert telegram.wait_for_message(user.id).text == "Language: English."
    assert AthleteProfile.objects.get(user_id=athlete.user_id).language == "en"

    telegram.push_command(user, "/export")
    export = telegram.wait_for_message(user.id)
    # The same zip as the web's export (web.accounts.services.export_account).
    assert export.method == "sendDocument" and export.file_name == "foulee-export.zip"
    assert export.file_bytes is not None
    with zipfile.ZipFile(io.BytesIO(export.file_bytes)) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["format"] == "foulee-export-v2"
    assert data["tables"]["accounts.athleteprofile"][0]["hr_max"] == 188
    assert data["tables"]["accounts.user"][0]["email"] == athlete.email


def test_delete_asks_first_then_erases(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, athlete = onboarded("en")
    telegram.push_command(user, "/delete")
    confirm = telegram.wait_for_message(user.id)
    assert [data for _, data in confirm.buttons()] == ["del:yes", "del:no"]
    telegram.push_callback(user, confirm, "del:no")
    assert telegram.wait_for_message(user.id).text == "Nothing was erased."
    assert User.objects.filter(pk=athlete.user_id).exists()

    telegram.push_command(user, "/supprimer")
    confirm = telegram.wait_for_message(user.id)
    telegram.push_callback(user, confirm, "del:yes")
    assert "Your account and data are erased" in telegram.wait_for_message(user.id).text
    assert not User.objects.filter(pk=athlete.user_id).exists()
    assert not TelegramLink.objects.filter(telegram_user_id=user.id).exists()
    telegram.push_command(user, "/week")
    assert "send /start" in telegram.wait_for_message(user.id).text


def test_strava_says_how_to_connect_then_how_far_the_import_is(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    from web.strava.models import StravaConnection

    french, athlete = onboarded("fr")
    telegram.push_command(french, "/strava")
    assert "Profil → Strava" in telegram.wait_for_message(french.id).text
    connection = StravaConnection(user_id=athlete.user_id, strava_athlete_id=7, scopes="activity:read_all")
    connection.set_tokens("access", "refresh", 2_000_000_000)
    connection.backfill_imported, connection.backfill_done = 12, True
    connection.save()
    telegram.push_command(french, "/strava")
    assert "12 activités importées" in telegram.wait_for_message(french.id).text
