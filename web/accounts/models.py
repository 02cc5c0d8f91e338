"""People: athletes and coaches, their profiles, and the credentials that link other channels.

The user model is custom from the first migration (email login, a role, an
optional coach) because Django cannot swap it later without rewriting every
foreign key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foulee import limits
from web.text import SINGLE_LINE


class Role(models.TextChoices):
    ATHLETE = "athlete", _("Athlete")
    COACH = "coach", _("Coach")


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    ENGLISH = "en", "English"


class Sex(models.TextChoices):
    """Biological sex, as the physiology formulas (TRIMP, HR max) need it."""

    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class UserManager(BaseUserManager["User"]):
    """Creates users keyed by a normalised (lower-case) email."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", fields.get("role") == Role.COACH)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("role", Role.COACH)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=normalise_email(username or ""))


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively everywhere, so they are stored lower-case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: an athlete (who may have one coach) or a coach."""

    email = models.EmailField(
        _("email"), unique=True, validators=[SINGLE_LINE], help_text=_("Used to log in.")
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True, validators=[SINGLE_LINE])
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.ATHLETE, db_index=True
    )
    coach = models.ForeignKey(
        "self",
        verbose_name=_("coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="athletes",
        limit_choices_to={"role": Role.COACH},
        help_text=_("The coach who follows this athlete, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the admin site. Coaches need it to follow their athletes."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("Another account already uses this email address."),
            ),
            models.CheckConstraint(condition=~models.Q(coach=models.F("id")), name="user_not_own_coach"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_coach(self) -> bool:
        return self.role == Role.COACH

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)
        if self.coach_id is not None:
            if self.role == Role.COACH:
                raise ValidationError({"coach": _("A coach cannot have a coach.")})
            if self.pk is not None and self.coach_id == self.pk:
                raise ValidationError({"coach": _("Nobody can coach themselves.")})
            if self.coach is not None and self.coach.role != Role.COACH:
                raise ValidationError({"coach": _("The chosen coach does not have the coach role.")})
        if self.role == Role.ATHLETE and self.pk is not None and self.athletes.exists():
            raise ValidationError({"role": _("This user still coaches athletes.")})

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def coached_by(self, coach: User) -> bool:
        """True when ``coach`` may read this user's data as their coach."""
        return coach.is_coach and self.coach_id == coach.pk


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_birth_year(value: int) -> None:
    latest = timezone.now().year - limits.MIN_AGE_YEARS
    if not limits.BIRTH_YEAR_MIN <= value <= latest:
        raise ValidationError(
            _("Birth year must be between %(low)s and %(high)s."),
            params={"low": limits.BIRTH_YEAR_MIN, "high": latest},
        )


def _range(bounds: tuple[float, float]) -> list[Any]:
    return [MinValueValidator(bounds[0]), MaxValueValidator(bounds[1])]


class AthleteProfile(models.Model):
    """What the coach and the physiology formulas need to know about an athlete.

    Every field may be unknown: analytics then falls back to estimates (such as
    HR max from age) and says so, rather than refusing to answer.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[validate_birth_year]
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    weight_kg = models.FloatField(
        _("weight (kg)"), null=True, blank=True, validators=_range(limits.WEIGHT_RANGE_KG)
    )
    hr_max = models.PositiveSmallIntegerField(
        _("maximum heart rate (bpm)"),
        null=True,
        blank=True,
        validators=_range(limits.HR_MAX_RANGE_BPM),
        help_text=_("Measured in a maximal effort; estimated from age when unknown."),
    )
    hr_rest = models.PositiveSmallIntegerField(
        _("resting heart rate (bpm)"),
        null=True,
        blank=True,
        validators=_range(limits.HR_REST_RANGE_BPM),
        help_text=_("Measured on waking; used for Karvonen zones and TRIMP."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_timezone, SINGLE_LINE],
        help_text=_("Reminders and weekly summaries follow the athlete's local time."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("athlete profile")
        verbose_name_plural = _("athlete profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hr_rest__isnull=True)
                | models.Q(hr_max__isnull=True)
                | models.Q(hr_rest__lt=models.F("hr_max")),
                name="profile_hr_rest_below_max",
            ),
        ]

    def __str__(self) -> str:
        return _("Profile of %(user)s") % {"user": self.user}

    def clean(self) -> None:
        super().clean()
        if self.hr_rest is not None and self.hr_max is not None and self.hr_rest >= self.hr_max:
            raise ValidationError({"hr_rest": _("Resting HR must be below maximum HR.")})


def _hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret: enough for lookup, useless to a thief."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TelegramLink(models.Model):
    """Ties a Telegram account to a Foulée user.

    A web user links their Telegram account by sending the bot a one-time code
    shown on their profile page; only the code's hash is stored, and it expires.
    """

    CODE_TTL: ClassVar[dt.timedelta] = dt.timedelta(minutes=15)

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="telegram_link")
    telegram_user_id = models.BigIntegerField(_("Telegram user id"), unique=True, null=True, blank=True)
    chat_id = models.BigIntegerField(_("Telegram chat id"), null=True, blank=True)
    username = models.CharField(_("Telegram username"), max_length=64, blank=True, validators=[SINGLE_LINE])
    linked_at = models.DateTimeField(null=True, blank=True)
    #: When the athlete last wrote to the bot (to the day: ``bot.accounts.find_athlete``), for retention.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    link_code_hash = models.CharField(max_length=64, blank=True, db_index=True, validators=[SINGLE_LINE])
    link_code_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Telegram link")
        verbose_name_plural = _("Telegram links")

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.username or self.telegram_user_id or '—'}"

    def new_link_code(self) -> str:
        """Set and return a fresh one-time code; the caller shows it once."""
        code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
        self.link_code_hash = _hash_secret(code)
        self.link_code_expires_at = timezone.now() + self.CODE_TTL
        return code

    @classmethod
    def redeem(
        cls, code: str, *, telegram_user_id: int, chat_id: int, username: str = ""
    ) -> TelegramLink | None:
        """Attach a Telegram account to whoever holds ``code``; None if it is wrong or stale."""
        link = cls.objects.filter(
            link_code_hash=_hash_secret(code.strip().upper()),
            link_code_expires_at__gt=timezone.now(),
        ).first()
        if link is None:
            return None
        link.telegram_user_id = telegram_user_id
        link.chat_id = chat_id
        link.username = username
        link.linked_at = timezone.now()
        link.link_code_hash = ""
        link.link_code_expires_at = None
        link.save()
        return link


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its hash is stored; it expires and can be revoked."""

    PREFIX: ClassVar[str] = "fle_"
    DEFAULT_TTL: ClassVar[dt.timedelta] = dt.timedelta(days=90)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, validators=[SINGLE_LINE], help_text=_("What this token is for.")
    )
    key_prefix = models.CharField(
        max_length=16,
        validators=[SINGLE_LINE],
        help_text=_("The first characters of the token, to recognise it in lists."),
    )
    key_hash = models.CharField(max_length=64, unique=True, validators=[SINGLE_LINE])
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str, ttl: dt.timedelta | None = None) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is never retrievable again."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_prefix=secret[: len(cls.PREFIX) + 6],
            key_hash=_hash_secret(secret),
            expires_at=timezone.now() + (cls.DEFAULT_TTL if ttl is None else ttl),
        )
        return token, secret

    @classmethod
    def authenticate(cls, secret: str) -> User | None:
        """The active user a presented secret belongs to, or None."""
        token = (
            cls.objects.usable()
            .select_related("user")
            .filter(key_hash=_hash_secret(secret), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class AccessRecord(models.Model):
    """Someone other than the athlete read or changed the athlete's data (``web/accounts/access.py``).

    One row per viewer, athlete, ``what`` and clock hour (``hour``, the hour's start in UTC):
    a page that reads the same data twenty times in an hour writes one row, whose ``at`` is the
    first access of that hour. The athlete sees these rows on the "Who saw my data" page.
    Deleted with the athlete's account; a deleted viewer leaves the row with no ``viewer``
    (the athlete keeps the fact that someone saw their data, the viewer's right to erasure is
    kept too).
    """

    athlete = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="accesses_to_my_data", verbose_name=_("athlete")
    )
    viewer = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses_to_athletes",
        verbose_name=_("seen by"),
    )
    #: A short code of what was read or changed: ``dashboard``, ``activity:123``, ``plan``, ``api:…``.
    what = models.CharField(_("what"), max_length=64, validators=[SINGLE_LINE])
    hour = models.DateTimeField()
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "viewer", "what", "hour"], name="access_record_once_an_hour"
            ),
        ]
        indexes = [models.Index(fields=["athlete", "-at"], name="access_record_athlete_at")]

    def __str__(self) -> str:
        return f"{self.viewer or '—'} → {self.athlete}: {self.what}"


class InactivityWarning(models.Model):
    """An inactive account was warned that it will be deleted (``web/accounts/retention.py``).

    Recorded so the warning is sent once; removed when the athlete comes back, so a later
    period of inactivity warns again. ``channels`` says how the warning went out
    (``email``, ``telegram``, both comma-separated, or empty when nothing could reach them).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="inactivity_warning")
    warned_at = models.DateTimeField()
    channels = models.CharField(max_length=32, blank=True, validators=[SINGLE_LINE])

    class Meta:
        verbose_name = _("inactivity warning")
        verbose_name_plural = _("inactivity warnings")

    def __str__(self) -> str:
        return f"{self.user} ({self.warned_at:%Y-%m-%d})"


class ConsentKind(models.TextChoices):
    """What a consent covers; each is given or withdrawn on its own (``web/accounts/consent.py``)."""

    HEALTH = "health", _("Health data (heart rate, injuries, illnesses)")


class ConsentChannel(models.TextChoices):
    """Where the athlete gave or withdrew it: the proof says how, not only when."""

    WEB = "web", _("Web site")
    BOT = "bot", _("Telegram bot")
    API = "api", _("HTTP API")


class ConsentRecord(models.Model):
    """One decision of the athlete about one kind of processing, at one notice version.

    Append-only: a withdrawal is a new row with ``granted`` false, never an update, so the
    history proves what the athlete agreed to and when (GDPR art. 7(1)). The rule that reads
    it is ``web.accounts.consent.may_process_health``. Deleted with the account.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=16, choices=ConsentKind.choices)
    granted = models.BooleanField(_("granted"))
    #: The version of the privacy notice shown when the athlete decided (``consent.NOTICE_VERSION``).
    notice_version = models.CharField(_("notice version"), max_length=16, validators=[SINGLE_LINE])
    channel = models.CharField(_("channel"), max_length=8, choices=ConsentChannel.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["user", "kind", "-at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {'granted' if self.granted else 'withdrawn'} {self.at:%Y-%m-%d}"
