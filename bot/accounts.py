"""Who is writing: the Telegram account ↔ Foulée user link, onboarding, profile edits, export, erasure.

Synchronous Django code; the handlers call it through ``sync_to_async``. The
only key to an athlete's data is the Telegram *user* id stored on
``TelegramLink`` (set when the bot created the account, or when the athlete
redeemed a one-time code issued on the web): a chat id, a name or a message
never selects an account, so an unknown user reaches nobody's data.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from typing import IO, Any, Final, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics import physiology
from bot.texts import Language, as_language
from foulee import limits
from web.accounts import services as account_services
from web.accounts.models import AthleteProfile, Role, TelegramLink, User

#: Accounts created from Telegram have no email yet; this reserved domain (RFC 2606) can never receive mail.
TELEGRAM_EMAIL_DOMAIN: Final = "telegram.invalid"
#: Profile fields the bot lets an athlete set, by the words they may use for them (FR and EN).
PROFILE_FIELDS: Final[dict[str, str]] = {
    "naissance": "birth_year",
    "born": "birth_year",
    "birth": "birth_year",
    "sexe": "sex",
    "sex": "sex",
    "fcmax": "hr_max",
    "hrmax": "hr_max",
    "fcrepos": "hr_rest",
    "hrrest": "hr_rest",
    "fuseau": "timezone",
    "tz": "timezone",
    "timezone": "timezone",
}


@dataclass(frozen=True)
class Athlete:
    """What a handler needs to know about the person writing, read once per update."""

    user_id: int
    email: str
    name: str
    language: Language
    timezone: str


def _athlete(user: User) -> Athlete:
    profile = account_services.profile_of(user)
    return Athlete(
        user_id=user.pk,
        email=user.email,
        name=user.get_short_name(),
        language=as_language(profile.language),
        timezone=profile.timezone,
    )


def find_athlete(telegram_user_id: int) -> Athlete | None:
    """The active Foulée user linked to this Telegram account, or None."""
    link = (
        TelegramLink.objects.select_related("user")
        .filter(telegram_user_id=telegram_user_id, user__is_active=True)
        .first()
    )
    if link is None:
        return None
    _seen(link)
    return _athlete(link.user)


#: The bot notes the day an athlete last wrote (retention's "activity"), not every message.
SEEN_RESOLUTION = dt.timedelta(days=1)


def _seen(link: TelegramLink) -> None:
    now = timezone.now()
    if link.last_seen_at is None or now - link.last_seen_at >= SEEN_RESOLUTION:
        TelegramLink.objects.filter(pk=link.pk).update(last_seen_at=now)


def user_of(athlete: Athlete) -> User:
    return User.objects.select_related("profile").get(pk=athlete.user_id)


def create_athlete(
    telegram_user_id: int, chat_id: int, *, first_name: str, username: str, language: Language
) -> Athlete:
    """A new athlete account owned by this Telegram account (or the one it already has)."""
    existing = find_athlete(telegram_user_id)
    if existing is not None:
        return existing
    with transaction.atomic():
        user = User.objects.create_user(
            f"telegram-{telegram_user_id}@{TELEGRAM_EMAIL_DOMAIN}",
            None,
            role=Role.ATHLETE,
            # Telegram's names are the sender's to choose: cleaned, not refused (foulee.limits).
            full_name=limits.without_forbidden_characters(first_name, multiline=False)[:150],
        )
        # A signal may already have made the empty profile: set its language either way.
        AthleteProfile.objects.update_or_create(user=user, defaults={"language": language})
        TelegramLink.objects.create(
            user=user,
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            username=limits.without_forbidden_characters(username, multiline=False)[:64],
            linked_at=timezone.now(),
        )
    return _athlete(user)


def redeem_code(
    code: str, telegram_user_id: int, chat_id: int, username: str
) -> Athlete | Literal["taken"] | None:
    """Link this Telegram account to the web account holding ``code``.

    Returns the athlete, None for a wrong or stale code, or ``"taken"`` when
    this Telegram account already belongs to another Foulée user.
    """
    if find_athlete(telegram_user_id) is not None:
        return "taken"
    try:
        with transaction.atomic():
            link = TelegramLink.redeem(
                code,
                telegram_user_id=telegram_user_id,
                chat_id=chat_id,
                username=limits.without_forbidden_characters(username, multiline=False)[:64],
            )
    except IntegrityError:
        return "taken"
    if link is None or not link.user.is_active:
        return None
    return _athlete(link.user)


def set_language(athlete: Athlete, language: Language) -> None:
    account_services.update_profile(User.objects.get(pk=athlete.user_id), {"language": language})


def parse_profile_value(field: str, raw: str) -> Any:
    """The typed value for a profile field, or ValueError."""
    raw = raw.strip()
    if field == "timezone":
        return raw  # an IANA name, e.g. Europe/Paris; the model's validator checks it
    if field == "sex":
        value = raw[:1].upper()
        if value == "H":  # homme
            value = "M"
        if value not in ("M", "F"):
            raise ValueError(raw)
        return value
    return int(raw.removesuffix("bpm").strip())


def update_profile(athlete: Athlete, **values: Any) -> str | None:
    """The account service's profile update; its first refusal worded, or None."""
    change = account_services.update_profile(User.objects.get(pk=athlete.user_id), values)
    return change.refused[0].wording() if change.refused else None


@dataclass(frozen=True)
class ProfileView:
    birth_year: int | None
    sex: str
    hr_max: float
    hr_max_source: str
    hr_rest: float
    hr_rest_source: str
    timezone: str


def profile_view(athlete: Athlete) -> ProfileView:
    """The profile with the estimates analytics would use in place of what is missing."""
    profile = account_services.profile_of(User.objects.get(pk=athlete.user_id))
    resolved = physiology.resolve(
        sex=profile.sex or None, birth_year=profile.birth_year, hr_max=profile.hr_max, hr_rest=profile.hr_rest
    )
    return ProfileView(
        birth_year=profile.birth_year,
        sex=profile.sex,
        hr_max=resolved.hr_max,
        hr_max_source=resolved.hr_max_source,
        hr_rest=resolved.hr_rest,
        hr_rest_source=resolved.hr_rest_source,
        timezone=profile.timezone,
    )


def export_zip(athlete: Athlete) -> tuple[IO[bytes], int]:
    """The account service's export, the web's zip, spooled to a temporary file; and its activity count."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the caller sends, then closes it)
    count = account_services.export_account(User.objects.get(pk=athlete.user_id), spool)
    spool.seek(0)
    return spool, count


def delete_account(athlete: Athlete) -> None:
    """The account service's deletion: the user and everything of theirs, in both stores."""
    account_services.delete_account(User.objects.get(pk=athlete.user_id))


def health_consent(athlete: Athlete) -> bool:
    """Whether the athlete's health data may be processed (``web.accounts.consent``)."""
    from web.accounts import consent

    return consent.may_process_health(User.objects.get(pk=athlete.user_id))


def decide_health_consent(athlete: Athlete, granted: bool) -> None:
    """Record the athlete's decision, made in the bot."""
    from web.accounts import consent
    from web.accounts.models import ConsentChannel

    consent.record(User.objects.get(pk=athlete.user_id), granted=granted, channel=ConsentChannel.BOT)


def privacy_notice(language: Language) -> str:
    """The bot's short privacy notice, with the controller and the periods in force."""
    from bot.texts import say
    from foulee.config import get_settings
    from web.accounts import consent

    current = get_settings()
    contact = f" ({current.controller_contact})" if current.controller_contact else ""
    controller = current.controller_name + contact
    return say(
        language,
        "privacy",
        version=consent.NOTICE_VERSION,
        controller=controller,
        conversation_days=current.retention_conversation_days,
        inactive_days=current.retention_inactive_days,
    )
