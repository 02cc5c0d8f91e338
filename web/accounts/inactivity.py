"""Inactive and unused accounts: who they are, the warning, the deletion (``foulee purge``'s account rules).

Decisions (docs/gdpr/register.md):
- *activity* is the latest of: sign-up, a log-in on the site or the admin (``User.last_login``),
  an API call (``ApiToken.last_used_at``), a message to the bot (``TelegramLink.last_seen_at``,
  noted once a day by ``bot.accounts.find_athlete``), a message to the coach on any channel, and
  an activity uploaded or logged (by the athlete or their coach);
- an athlete inactive ``FOULEE_RETENTION_INACTIVE_DAYS`` (3 years) is warned: by e-mail when the
  server sends mail (``FOULEE_EMAIL_URL``) and the address can receive it (a Telegram account's
  ``….invalid`` address cannot), and on Telegram when the account is linked and the server has a
  bot token. The warning is recorded (``InactivityWarning``), so it goes out once. When a channel
  that should work fails, nothing is recorded and the next run tries again; when no channel can
  reach the athlete at all, the warning is recorded with no channel: the deletion was announced by
  the privacy notice, and keeping an unreachable account forever is what the rule forbids;
- ``FOULEE_RETENTION_INACTIVE_GRACE_DAYS`` (30 days) after the warning, an account with no activity
  since is deleted through the account-deletion service; one that came back has its warning cleared;
- *unused* ("unconfirmed": Foulée has no e-mail confirmation) is an athlete account with no
  activity after the day it was created and no data (no activity, conversation message, plan or
  remembered fact), older than ``FOULEE_RETENTION_UNCONFIRMED_DAYS`` (30 days): a sign-up
  abandoned on the site, or a Telegram account started and left. It is deleted without warning:
  there is nothing in it to lose;
- coaches, staff and superusers are never selected.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from django.conf import settings as django_settings
from django.core.mail import send_mail
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, translation
from django.utils.translation import gettext as _

from foulee.config import Settings, get_settings
from web.accounts.models import ApiToken, InactivityWarning, Role, TelegramLink, User
from web.accounts.timezones import zone_of

logger = logging.getLogger("foulee.retention")

#: Use on the day of sign-up is the sign-up itself: an account is *unused* without use after it.
SIGN_UP_DAY = dt.timedelta(days=1)


def _latest(model: Any, user_path: str, field: str, **filters: Any) -> Subquery:
    rows = model.objects.filter(**{user_path: OuterRef("pk")}, **filters).order_by()
    return Subquery(rows.values(user_path).annotate(latest=Max(field)).values("latest")[:1])


def with_last_activity(users: QuerySet[User]) -> QuerySet[Any]:
    """``users`` annotated with ``last_active``: the latest of the moments the module's docstring lists."""
    from web.activities.models import Activity
    from web.coaching.models import Message

    joined = F("date_joined")
    moments = [
        Coalesce(F("last_login"), joined),
        Coalesce(_latest(ApiToken, "user", "last_used_at"), joined),
        Coalesce(_latest(TelegramLink, "user", "last_seen_at"), joined),
        Coalesce(_latest(Message, "session__athlete", "created_at", role="user"), joined),
        Coalesce(_latest(Activity, "user", "created_at"), joined),
    ]
    return users.annotate(last_active=Greatest(*moments, output_field=DateTimeField()))


def deletable_athletes() -> QuerySet[User]:
    """The accounts the rules may delete: athletes, never coaches, staff or superusers."""
    return User.objects.filter(role=Role.ATHLETE, is_staff=False, is_superuser=False)


def unused(now: dt.datetime, settings: Settings) -> QuerySet[User]:
    from web.activities.models import Activity
    from web.coaching.models import AthleteFact, Message
    from web.plans.models import TrainingPlan

    holds_data = (
        Exists(Activity.objects.filter(user=OuterRef("pk")))
        | Exists(Message.objects.filter(session__athlete=OuterRef("pk")))
        | Exists(TrainingPlan.objects.filter(athlete=OuterRef("pk")))
        | Exists(AthleteFact.objects.filter(athlete=OuterRef("pk")))
    )
    return (
        with_last_activity(deletable_athletes())
        .filter(date_joined__lt=now - dt.timedelta(days=settings.retention_unconfirmed_days))
        .filter(last_active__lt=F("date_joined") + SIGN_UP_DAY)
        .exclude(holds_data)
        .order_by("pk")
    )


def to_warn(now: dt.datetime, settings: Settings) -> QuerySet[User]:
    """Athletes inactive past the period and not warned yet (an unused account is deleted instead)."""
    return (
        with_last_activity(deletable_athletes())
        .filter(last_active__lt=now - dt.timedelta(days=settings.retention_inactive_days))
        .filter(inactivity_warning__isnull=True)
        .exclude(pk__in=unused(now, settings).values("pk"))
        .select_related("profile", "telegram_link")
        .order_by("pk")
    )


def to_delete(now: dt.datetime, settings: Settings) -> QuerySet[User]:
    """Warned athletes still inactive since the warning, a grace period later."""
    return (
        with_last_activity(deletable_athletes())
        .filter(
            inactivity_warning__warned_at__lt=now - dt.timedelta(days=settings.retention_inactive_grace_days)
        )
        .filter(last_active__lte=F("inactivity_warning__warned_at"))
        .order_by("pk")
    )


def returned(now: dt.datetime, settings: Settings) -> QuerySet[InactivityWarning]:
    """Warnings of athletes active again since: their account stays."""
    back = with_last_activity(User.objects.filter(pk=OuterRef("user_id"))).filter(
        last_active__gt=OuterRef("warned_at")
    )
    return InactivityWarning.objects.filter(Exists(back)).order_by("pk")


def forget_warning(warning: InactivityWarning, now: dt.datetime) -> int:
    InactivityWarning.objects.filter(pk=warning.pk).delete()
    return 1


def delete(user: User, now: dt.datetime) -> int:
    from web.accounts.services import delete_account

    delete_account(user)
    logger.info("retention: deleted account %d", user.pk)
    return 1


def _message(user: User, deletion: dt.date) -> tuple[str, str]:
    """The warning's subject and text, in the athlete's language."""
    profile = getattr(user, "profile", None)
    with translation.override(getattr(profile, "language", "fr") or "fr"):
        subject = _("Your Foulée account will be deleted")
        text = _(
            "You have not used Foulée for a long time. Your account and all its data will be "
            "deleted on %(date)s, unless you log in, write to the bot or use the API before then. "
            "To keep a copy, download your data from the privacy page first."
        ) % {"date": formats.date_format(deletion, "DATE_FORMAT")}
    return subject, text


def _email_reachable(user: User) -> bool:
    # A Telegram account's address is in the reserved .invalid domain (RFC 2606): it receives nothing.
    return bool(getattr(django_settings, "FOULEE_MAIL_ENABLED", False)) and not user.email.endswith(
        ".invalid"
    )


def _telegram_chat(user: User, settings: Settings) -> int | None:
    link = TelegramLink.objects.filter(user=user, telegram_user_id__isnull=False).first()
    if link is None or link.chat_id is None or not settings.telegram_bot_token:
        return None
    return link.chat_id


async def _send_telegram(settings: Settings, chat_id: int, text: str) -> None:
    from telegram import Bot

    token = settings.telegram_bot_token or ""
    bot = Bot(token, base_url=settings.telegram_base_url) if settings.telegram_base_url else Bot(token)
    async with bot:
        await bot.send_message(chat_id=chat_id, text=text)


def warn(user: User, now: dt.datetime) -> int:
    """Tell ``user`` their account will be deleted, and record it; 0 if a channel that should work failed."""
    settings = get_settings()
    deletion = (now + dt.timedelta(days=settings.retention_inactive_grace_days)).astimezone(zone_of(user))
    subject, text = _message(user, deletion.date())
    channels = []
    failed = False
    if _email_reachable(user):
        try:
            send_mail(subject, text, None, [user.email])
            channels.append("email")
        except OSError as error:
            failed = True
            logger.warning("retention: warning mail to account %d failed: %s", user.pk, error)
    chat_id = _telegram_chat(user, settings)
    if chat_id is not None:
        from telegram.error import TelegramError

        try:
            asyncio.run(_send_telegram(settings, chat_id, f"{subject}\n\n{text}"))
            channels.append("telegram")
        except (TelegramError, OSError) as error:
            failed = True
            logger.warning("retention: warning on Telegram to account %d failed: %s", user.pk, error)
    if failed and not channels:
        return 0
    InactivityWarning.objects.create(user=user, warned_at=now, channels=",".join(channels))
    logger.info("retention: warned account %d (%s)", user.pk, ",".join(channels) or "no channel reaches it")
    return 1
