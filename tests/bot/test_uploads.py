"""Activity files sent in the chat: imported, summarised with a chart, or refused with the reason."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from django.utils import translation

from bot.accounts import Athlete
from foulee import formatting
from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from web.activities.models import Activity

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_a_fit_run_is_imported_and_summarised_with_a_chart(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, athlete = onboarded("en")
    data = (DATA / "fitparse_fenix2_run.fit").read_bytes()
    telegram.push_document(user, data, "fenix2.fit")
    summary = telegram.wait_for_message(user.id, timeout=30)
    activity = Activity.objects.get(user_id=athlete.user_id)
    assert summary.text.startswith("Run imported:")
    # The distance the importer stored, as the activity pages show it (two decimals, rounded).
    with translation.override("en"):
        assert f"{formatting.km(activity.distance_m, 2)}" in summary.text
    assert "load" in summary.text and "HR" in summary.text  # load and heart rate, from the analytics store
    chart = telegram.wait_for_message(user.id)
    assert chart.method == "sendPhoto" and chart.file_bytes is not None
    assert chart.file_bytes.startswith(PNG_SIGNATURE) and chart.text == "Pace and heart rate"

    telegram.push_document(user, data, "again.fit")
    assert f"already have this run (activity {activity.pk})" in telegram.wait_for_message(user.id).text
    assert Activity.objects.filter(user_id=athlete.user_id).count() == 1


def test_a_gzipped_tcx_is_imported_in_french(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, athlete = onboarded("fr")
    data = gzip.compress((DATA / "tcxparser_fr410_run.tcx").read_bytes())
    telegram.push_document(user, data, "sortie.tcx.gz")
    summary = telegram.wait_for_message(user.id, timeout=30)
    assert summary.text.startswith("Sortie importée :"), summary.text
    assert Activity.objects.filter(user_id=athlete.user_id).count() == 1


def test_bad_files_get_a_clear_reason(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    user, athlete = onboarded("en")
    telegram.push_document(user, (DATA / "fitparse_invalid_unexpected_eof.fit").read_bytes(), "broken.fit")
    refused = telegram.wait_for_message(user.id, timeout=30).text
    assert refused.startswith('I could not read "broken.fit": ') and len(refused.splitlines()) == 1
    telegram.push_document(user, b"<xml>not a run", "notes.txt")
    assert '"notes.txt" is not one of them' in telegram.wait_for_message(user.id).text
    assert not Activity.objects.filter(user_id=athlete.user_id).exists()


def test_a_stranger_cannot_upload(
    bot: BotThread, telegram: FakeTelegram, new_user: Callable[..., FakeUser]
) -> None:
    stranger = new_user("en")
    telegram.push_document(stranger, (DATA / "fitparse_fenix2_run.fit").read_bytes(), "run.fit")
    assert "send /start" in telegram.wait_for_message(stranger.id).text
    assert "getFile" not in telegram.calls and not Activity.objects.exists()


def test_without_health_consent_the_summary_and_chart_leave_heart_rate_out(
    bot: BotThread, telegram: FakeTelegram, onboarded: Callable[..., tuple[FakeUser, Athlete]]
) -> None:
    from web.accounts import consent
    from web.accounts.models import User

    user, athlete = onboarded("en")
    consent.record(User.objects.get(pk=athlete.user_id), granted=False, channel="bot")
    telegram.push_document(user, (DATA / "fitparse_fenix2_run.fit").read_bytes(), "fenix2.fit")
    summary = telegram.wait_for_message(user.id, timeout=30)
    assert summary.text.startswith("Run imported:"), summary.text
    assert "HR" not in summary.text and "load" not in summary.text and "TRIMP" not in summary.text
    assert "Z1" not in summary.text and "heart rate out" in summary.text
    chart = telegram.wait_for_message(user.id)
    assert chart.method == "sendPhoto" and chart.text == "Pace"
