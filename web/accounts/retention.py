"""Retention: what Foulée deletes once it has kept it long enough (docs/gdpr/register.md, "Retention").

Each rule selects what is past its period. ``foulee purge`` counts first and acts only with
``--apply``; every run is logged, rule by rule, so an operator can show what was purged and
when. The periods are settings (``FOULEE_RETENTION_*``), their defaults in ``foulee/limits.py``.

Two kinds of rule:
- row rules (old messages, dead tokens, expired sessions, unused link codes, old access
  records) delete rows, all in one transaction;
- account rules (``web.accounts.inactivity``) warn inactive athletes, then delete the accounts
  that stayed inactive, and delete accounts that were never used, each through the one
  account-deletion service (``web.accounts.services.delete_account``), so both databases and
  the files forget them. Coaches, staff and superusers are never deleted automatically: an
  operator's or coach's account going away would orphan athletes or lock the server.

Not here, and why:
- the analytics store needs no rule: it holds only what the system of record holds,
  and forgets what the system of record deletes (the sync's tombstones);
- Foulée writes its logs to the standard streams only: their retention is the host's log
  store's (journald, Docker's log driver…), which the register asks to bound to 90 days.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from foulee.config import Settings, get_settings
from web.accounts import inactivity
from web.accounts.models import AccessRecord, ApiToken, TelegramLink
from web.coaching.models import Message

logger = logging.getLogger("foulee.retention")


@dataclass(frozen=True)
class Period:
    """A retention period as the privacy page states it: what is kept, and for how many days."""

    what: Any
    days: int


def periods(settings: Settings | None = None) -> list[Period]:
    """The periods in force, read from the same settings ``foulee purge`` applies."""
    from django.utils.translation import gettext_lazy as _

    current = settings or get_settings()
    return [
        Period(_("Conversations with the coach"), current.retention_conversation_days),
        Period(_("Accounts never used after sign-up"), current.retention_unconfirmed_days),
        Period(_("Inactive accounts, before a warning"), current.retention_inactive_days),
        Period(
            _("Inactive accounts, after the warning, before deletion"), current.retention_inactive_grace_days
        ),
        Period(_("Records of who saw your data"), current.retention_access_log_days),
        Period(_("Expired or revoked API tokens"), current.retention_token_days),
    ]


@dataclass(frozen=True)
class Rule:
    name: str
    #: What the rule removes, for the command's output and the log.
    description: str
    rows: Callable[[dt.datetime, Settings], models.QuerySet[Any]]
    #: What applying the rule does to what it selects: ``delete`` or ``warn``.
    verb: str = "delete"


@dataclass(frozen=True)
class AccountRule:
    name: str
    description: str
    #: The accounts (or warnings) the rule selects at ``now``.
    rows: Callable[[dt.datetime, Settings], models.QuerySet[Any]]
    #: What applying does to each selected row; how many it did (a warning that could not go out is 0).
    act: Callable[[Any, dt.datetime], int]
    verb: str = "delete"


def _old_messages(now: dt.datetime, settings: Settings) -> models.QuerySet[Any]:
    return Message.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.retention_conversation_days)
    )


def _dead_tokens(now: dt.datetime, settings: Settings) -> models.QuerySet[Any]:
    cutoff = now - dt.timedelta(days=settings.retention_token_days)
    return ApiToken.objects.filter(models.Q(expires_at__lt=cutoff) | models.Q(revoked_at__lt=cutoff))


def _expired_sessions(now: dt.datetime, settings: Settings) -> models.QuerySet[Any]:
    return Session.objects.filter(expire_date__lt=now)


def _unused_link_codes(now: dt.datetime, settings: Settings) -> models.QuerySet[Any]:
    # A link whose one-time code expired before any Telegram account used it links nothing.
    return TelegramLink.objects.filter(telegram_user_id__isnull=True, link_code_expires_at__lt=now)


def _old_access_records(now: dt.datetime, settings: Settings) -> models.QuerySet[Any]:
    return AccessRecord.objects.filter(at__lt=now - dt.timedelta(days=settings.retention_access_log_days))


RULES: tuple[Rule, ...] = (
    Rule("conversations", "coaching messages older than the conversation retention", _old_messages),
    Rule("api-tokens", "API tokens expired or revoked longer ago than the token retention", _dead_tokens),
    Rule("sessions", "expired web sessions (they still hold the user's id)", _expired_sessions),
    Rule("telegram-codes", "Telegram link codes that expired unused", _unused_link_codes),
    Rule(
        "access-log", "records of who saw an athlete's data older than their retention", _old_access_records
    ),
)

ACCOUNT_RULES: tuple[AccountRule, ...] = (
    AccountRule(
        "returned",
        "warnings to athletes who came back since (their account is kept)",
        inactivity.returned,
        inactivity.forget_warning,
        verb="clear",
    ),
    AccountRule(
        "unused-accounts",
        "accounts never used after the day of their sign-up, holding no data, older than a month",
        inactivity.unused,
        inactivity.delete,
    ),
    AccountRule(
        "inactive-warning",
        "athletes inactive longer than the inactivity retention, warned by e-mail or Telegram",
        inactivity.to_warn,
        inactivity.warn,
        verb="warn",
    ),
    AccountRule(
        "inactive-accounts",
        "accounts still inactive a grace period after their warning",
        inactivity.to_delete,
        inactivity.delete,
    ),
)


@dataclass(frozen=True)
class Purged:
    rule: Rule | AccountRule
    count: int
    applied: bool

    @property
    def outcome(self) -> str:
        """``deleted 3``, ``would delete 3``, ``warned 2``, ``would warn 2``."""
        if self.applied:
            return f"{self.rule.verb.removesuffix('e')}ed {self.count}"
        return f"would {self.rule.verb} {self.count}"


def _log(result: Purged) -> None:
    logger.info("retention %s: %s (%s)", result.rule.name, result.outcome, result.rule.description)


def purge(*, apply: bool, now: dt.datetime | None = None) -> list[Purged]:
    """Count (``apply=False``) or apply (``apply=True``) every rule, row rules first.

    Row rules delete in one transaction; each account is then deleted by the account-deletion
    service in a transaction of its own (it also syncs the analytics store), so one failure
    leaves the others done.
    """
    now = now or timezone.now()
    settings = get_settings()
    results = []
    with transaction.atomic():
        for rule in RULES:
            rows = rule.rows(now, settings)
            count = rows.count()
            if apply:
                rows.delete()
            results.append(Purged(rule, count, apply))
            _log(results[-1])
    for account_rule in ACCOUNT_RULES:
        selected = list(account_rule.rows(now, settings))
        count = sum(account_rule.act(row, now) for row in selected) if apply else len(selected)
        results.append(Purged(account_rule, count, apply))
        _log(results[-1])
    return results
