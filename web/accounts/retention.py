"""Retention: what Foulée deletes once it has kept it long enough (docs/gdpr.md, "Retention").

Each rule is a query of rows past their period. ``foulee purge`` counts them
first and deletes only with ``--apply``; every run is logged, rule by rule, so
an operator can show what was purged and when. The periods are settings
(``FOULEE_RETENTION_*``), their defaults in ``foulee/limits.py``.

Not here, and why:
- an account is kept while it exists: its owner deletes it (every front offers it);
- the analytics store needs no rule: it holds only what the system of record holds,
  and forgets what the system of record deletes (the sync's tombstones);
- Foulée writes its logs to the standard streams only, so their retention is the
  operator's log store's (the register of processing says 90 days).
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
from web.accounts.models import ApiToken, TelegramLink
from web.coaching.models import Message

logger = logging.getLogger("foulee.retention")


@dataclass(frozen=True)
class Rule:
    name: str
    #: What the rule removes, for the command's output and the log.
    description: str
    rows: Callable[[dt.datetime, Settings], models.QuerySet[Any]]


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


RULES: tuple[Rule, ...] = (
    Rule("conversations", "coaching messages older than the conversation retention", _old_messages),
    Rule("api-tokens", "API tokens expired or revoked longer ago than the token retention", _dead_tokens),
    Rule("sessions", "expired web sessions (they still hold the user's id)", _expired_sessions),
    Rule("telegram-codes", "Telegram link codes that expired unused", _unused_link_codes),
)


@dataclass(frozen=True)
class Purged:
    rule: Rule
    count: int


def purge(*, apply: bool, now: dt.datetime | None = None) -> list[Purged]:
    """Count (``apply=False``) or delete (``apply=True``, in one transaction) what every rule selects."""
    now = now or timezone.now()
    settings = get_settings()
    results = []
    with transaction.atomic():
        for rule in RULES:
            rows = rule.rows(now, settings)
            count = rows.count()
            if apply:
                rows.delete()
            results.append(Purged(rule, count))
            logger.info(
                "retention %s: %s %d (%s)",
                rule.name,
                "deleted" if apply else "would delete",
                count,
                rule.description,
            )
    return results
