"""Retention (web/accounts/retention.py, `foulee purge`): counted first, deleted only when asked,
and never a row still inside its period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from foulee import cli, limits
from web.accounts.models import ApiToken, TelegramLink, User
from web.accounts.retention import purge
from web.coaching.models import CoachingSession, Message

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def message_at(athlete: User, when: dt.datetime, text: str) -> Message:
    session, _ = CoachingSession.objects.get_or_create(athlete=athlete, channel="web")
    message = Message.objects.create(session=session, role="user", content=text)
    Message.objects.filter(pk=message.pk).update(created_at=when)
    return message


def give_old_and_new_data(athlete: User) -> None:
    days = limits.RETENTION_CONVERSATION_DAYS
    message_at(athlete, NOW - dt.timedelta(days=days + 1), "too old")
    message_at(athlete, NOW - dt.timedelta(days=days - 1), "still kept")
    dead, _ = ApiToken.issue(athlete, "old watch")
    ApiToken.objects.filter(pk=dead.pk).update(
        expires_at=NOW - dt.timedelta(days=limits.RETENTION_TOKEN_DAYS + 1)
    )
    recent, _ = ApiToken.issue(athlete, "just expired")
    ApiToken.objects.filter(pk=recent.pk).update(expires_at=NOW - dt.timedelta(days=1))
    ApiToken.issue(athlete, "live")
    for expiry in (NOW - dt.timedelta(hours=1), NOW + dt.timedelta(days=1)):
        store = SessionStore()
        store.create()
        Session.objects.filter(session_key=store.session_key).update(expire_date=expiry)
    TelegramLink.objects.create(
        user=athlete, link_code_hash="x" * 64, link_code_expires_at=NOW - dt.timedelta(1)
    )


def test_a_dry_run_counts_and_deletes_nothing(athlete: User) -> None:
    give_old_and_new_data(athlete)
    counts = {result.rule.name: result.count for result in purge(apply=False, now=NOW)}
    assert counts == {
        "conversations": 1,
        "api-tokens": 1,
        "sessions": 1,
        "telegram-codes": 1,
        "access-log": 0,
        "returned": 0,
        "unused-accounts": 0,
        "inactive-warning": 0,
        "inactive-accounts": 0,
    }
    assert Message.objects.count() == 2 and ApiToken.objects.count() == 3 and Session.objects.count() == 2


def test_applying_deletes_only_what_is_past_its_period(athlete: User) -> None:
    give_old_and_new_data(athlete)
    purge(apply=True, now=NOW)
    assert list(Message.objects.values_list("content", flat=True)) == ["still kept"]
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["just expired", "live"]
    assert Session.objects.count() == 1 and not TelegramLink.objects.exists()
    # A second run finds nothing more.
    assert all(result.count == 0 for result in purge(apply=True, now=NOW))


def test_a_linked_telegram_account_is_not_purged(athlete: User) -> None:
    TelegramLink.objects.create(user=athlete, telegram_user_id=7, link_code_expires_at=NOW - dt.timedelta(1))
    purge(apply=True, now=NOW)
    assert TelegramLink.objects.filter(user=athlete).exists()


def test_the_period_is_a_setting(athlete: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from foulee.config import get_settings

    message_at(athlete, NOW - dt.timedelta(days=40), "a month and more")
    monkeypatch.setenv("FOULEE_RETENTION_CONVERSATION_DAYS", "30")
    get_settings.cache_clear()
    try:
        purge(apply=True, now=NOW)
    finally:
        get_settings.cache_clear()
    assert not Message.objects.exists()


def test_the_command_says_it_only_counted(athlete: User, capsys: pytest.CaptureFixture[str]) -> None:
    message_at(athlete, timezone.now() - dt.timedelta(days=limits.RETENTION_CONVERSATION_DAYS + 5), "old")
    assert cli.main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "conversations: would delete 1" in out and "foulee purge --apply" in out
    assert Message.objects.count() == 1
    assert cli.main(["purge", "--apply"]) == 0
    assert "conversations: deleted 1" in capsys.readouterr().out
    assert not Message.objects.exists()
