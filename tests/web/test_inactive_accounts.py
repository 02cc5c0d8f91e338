"""Retention of accounts (web/accounts/inactivity.py, `foulee purge`): inactive athletes are warned once,
then deleted a grace period later unless they came back; unused accounts go after a month; coaches
and staff never. Dates are moved with an explicit ``now``: nothing sleeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from sqlalchemy import Engine

from bot import accounts as bot_accounts
from foulee import cli, limits
from foulee.config import get_settings
from tests.bot.fake_telegram import FakeTelegram
from web.accounts.models import ApiToken, InactivityWarning, Role, TelegramLink, User
from web.accounts.retention import purge
from web.activities.models import Activity
from web.coaching.models import CoachingSession, Message

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=limits.RETENTION_INACTIVE_DAYS + 10)
GRACE = dt.timedelta(days=limits.RETENTION_INACTIVE_GRACE_DAYS)


@pytest.fixture(autouse=True)
def analytics(store: Engine) -> Engine:
    """Deleting an account syncs the analytics store."""
    return store


@pytest.fixture
def mail_on(settings: Any) -> None:
    settings.FOULEE_MAIL_ENABLED = True


def counts(now: dt.datetime, *, apply: bool) -> dict[str, int]:
    return {result.rule.name: result.count for result in purge(apply=apply, now=now)}


def last_used(user: User, when: dt.datetime) -> User:
    """``user`` signed up, logged in and uploaded a run at ``when``, and did nothing since."""
    User.objects.filter(pk=user.pk).update(date_joined=when, last_login=when)
    activity = Activity.objects.create(
        user=user,
        start_time=when,
        distance_m=5000.0,
        duration_s=1500.0,
        moving_time_s=1500.0,
    )
    Activity.objects.filter(pk=activity.pk).update(created_at=when)
    return User.objects.get(pk=user.pk)


def test_an_inactive_athlete_is_warned_once_then_deleted(athlete: User, mail_on: None) -> None:
    last_used(athlete, LONG_AGO)
    assert counts(NOW, apply=False)["inactive-warning"] == 1
    assert not mail.outbox and not InactivityWarning.objects.exists(), "a dry run sends nothing"

    assert counts(NOW, apply=True)["inactive-warning"] == 1
    (sent,) = mail.outbox
    assert sent.to == [athlete.email] and "supprimé" in sent.subject
    # The date of deletion is the grace period's end, in the athlete's language.
    assert "6 janvier 2027" in sent.body
    assert InactivityWarning.objects.get(user=athlete).channels == "email"

    # Later runs inside the grace period neither warn again nor delete.
    assert counts(NOW + GRACE / 2, apply=True)["inactive-warning"] == 0
    assert len(mail.outbox) == 1 and User.objects.filter(pk=athlete.pk).exists()

    result = counts(NOW + GRACE + dt.timedelta(days=1), apply=True)
    assert result["inactive-accounts"] == 1
    assert not User.objects.filter(pk=athlete.pk).exists()
    assert not Activity.objects.exists() and not InactivityWarning.objects.exists()


@pytest.mark.parametrize("how", ["log-in", "api", "bot", "message", "upload"])
def test_coming_back_keeps_the_account(athlete: User, mail_on: None, how: str) -> None:
    last_used(athlete, LONG_AGO)
    purge(apply=True, now=NOW)
    back = NOW + dt.timedelta(days=3)
    if how == "log-in":
        User.objects.filter(pk=athlete.pk).update(last_login=back)
    elif how == "api":
        token, _ = ApiToken.issue(athlete, "watch")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=back)
    elif how == "bot":
        TelegramLink.objects.create(user=athlete, telegram_user_id=99, chat_id=99, last_seen_at=back)
    elif how == "message":
        session = CoachingSession.objects.create(athlete=athlete, channel="telegram")
        message = Message.objects.create(session=session, role="user", content="je reviens")
        Message.objects.filter(pk=message.pk).update(created_at=back)
    else:
        upload = Activity.objects.create(
            user=athlete, start_time=back, distance_m=3000.0, duration_s=900.0, moving_time_s=900.0
        )
        Activity.objects.filter(pk=upload.pk).update(created_at=back)
    result = counts(NOW + GRACE + dt.timedelta(days=1), apply=True)
    assert result["inactive-accounts"] == 0 and result["returned"] == 1
    assert User.objects.filter(pk=athlete.pk).exists()
    assert not InactivityWarning.objects.exists(), "the warning is cleared: a later absence warns again"


@pytest.mark.parametrize("who", ["coach", "staff", "superuser"])
def test_coaches_and_staff_are_never_deleted(make_user: Callable[..., User], mail_on: None, who: str) -> None:
    fields: dict[str, dict[str, Any]] = {
        "coach": {"role": Role.COACH},
        "staff": {"is_staff": True},
        "superuser": {"is_superuser": True},
    }
    user = last_used(make_user(**fields[who]), LONG_AGO - dt.timedelta(days=365))
    for moment in (NOW, NOW + GRACE * 2):
        result = counts(moment, apply=True)
        assert result["inactive-warning"] == result["inactive-accounts"] == result["unused-accounts"] == 0
    assert User.objects.filter(pk=user.pk).exists() and not mail.outbox


def test_an_athlete_nothing_can_reach_is_recorded_as_warned_and_deleted_after_the_grace(
    athlete: User, settings: Any
) -> None:
    settings.FOULEE_MAIL_ENABLED = False
    last_used(athlete, LONG_AGO)
    assert counts(NOW, apply=True)["inactive-warning"] == 1
    assert InactivityWarning.objects.get(user=athlete).channels == ""
    purge(apply=True, now=NOW + GRACE + dt.timedelta(days=1))
    assert not User.objects.filter(pk=athlete.pk).exists()


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_a_failed_mail_is_not_recorded_and_is_tried_again(
    athlete: User, settings: Any, mail_on: None
) -> None:
    last_used(athlete, LONG_AGO)
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    assert counts(NOW, apply=True)["inactive-warning"] == 0
    assert not InactivityWarning.objects.exists()
    # Nobody was told, so nobody is deleted; the next run, with the server back, warns.
    assert counts(NOW + GRACE * 2, apply=True)["inactive-accounts"] == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert counts(NOW + GRACE * 2, apply=True)["inactive-warning"] == 1 and len(mail.outbox) == 1


@pytest.fixture
def telegram(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", server.token)
        monkeypatch.setenv("TELEGRAM_BASE_URL", server.base_url)
        get_settings.cache_clear()
        yield server
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_telegram_athlete_is_warned_on_telegram(
    make_user: Callable[..., User], telegram: FakeTelegram
) -> None:
    user = last_used(make_user(email="telegram-4242@telegram.invalid"), LONG_AGO)
    TelegramLink.objects.create(user=user, telegram_user_id=4242, chat_id=4242, last_seen_at=LONG_AGO)
    assert counts(NOW, apply=True)["inactive-warning"] == 1
    message = telegram.wait_for_message(4242)
    assert "Votre compte Foulée va être supprimé" in message.text
    assert InactivityWarning.objects.get(user=user).channels == "telegram"
    assert not mail.outbox, "a .invalid address receives no mail"


def test_a_failed_telegram_warning_is_tried_again(
    make_user: Callable[..., User], telegram: FakeTelegram
) -> None:
    user = last_used(make_user(email="telegram-77@telegram.invalid"), LONG_AGO)
    TelegramLink.objects.create(user=user, telegram_user_id=77, chat_id=77)
    telegram.fail_next("sendMessage", times=10)
    assert counts(NOW, apply=True)["inactive-warning"] == 0
    assert not InactivityWarning.objects.exists()


def test_the_bot_notes_when_an_athlete_writes(make_user: Callable[..., User]) -> None:
    user = make_user()
    link = TelegramLink.objects.create(user=user, telegram_user_id=5, chat_id=5)
    assert bot_accounts.find_athlete(5) is not None
    link.refresh_from_db()
    assert link.last_seen_at is not None and timezone.now() - link.last_seen_at < dt.timedelta(minutes=5)


def test_unused_accounts_go_after_a_month(make_user: Callable[..., User], make_activity: Any) -> None:
    joined = NOW - dt.timedelta(days=limits.RETENTION_UNCONFIRMED_DAYS + 1)

    def signed_up(when: dt.datetime, **fields: Any) -> User:
        user = make_user(**fields)
        User.objects.filter(pk=user.pk).update(date_joined=when, last_login=fields.get("last_login"))
        return user

    abandoned = signed_up(joined)
    logged_in_once = signed_up(joined, last_login=joined + dt.timedelta(minutes=2))
    telegram_guest = signed_up(joined, email="telegram-1@telegram.invalid")
    TelegramLink.objects.create(
        user=telegram_guest, telegram_user_id=1, chat_id=1, last_seen_at=joined + dt.timedelta(hours=1)
    )
    too_recent = signed_up(NOW - dt.timedelta(days=limits.RETENTION_UNCONFIRMED_DAYS - 1))
    came_back = signed_up(joined, last_login=joined + dt.timedelta(days=5))
    with_a_run = signed_up(joined)
    run = make_activity(with_a_run)
    Activity.objects.filter(pk=run.pk).update(created_at=joined)
    coach = signed_up(joined, role=Role.COACH)

    assert counts(NOW, apply=False)["unused-accounts"] == 3
    assert User.objects.count() == 7, "a dry run deletes nothing"
    purge(apply=True, now=NOW)
    gone = {abandoned.pk, logged_in_once.pk, telegram_guest.pk}
    kept = {too_recent.pk, came_back.pk, with_a_run.pk, coach.pk}
    assert set(User.objects.values_list("pk", flat=True)) >= kept
    assert not User.objects.filter(pk__in=gone).exists()


def test_the_command_warns_only_with_apply(
    athlete: User, mail_on: None, capsys: pytest.CaptureFixture[str]
) -> None:
    last_used(athlete, timezone.now() - dt.timedelta(days=limits.RETENTION_INACTIVE_DAYS + 1))
    assert cli.main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "inactive-warning: would warn 1" in out and "foulee purge --apply" in out
    assert not mail.outbox
    assert cli.main(["purge", "--apply"]) == 0
    out = capsys.readouterr().out
    assert "inactive-warning: warned 1" in out and "inactive-accounts: deleted 0" in out
    assert len(mail.outbox) == 1
