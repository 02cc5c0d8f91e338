"""An athlete's Strava connection, their backfill's progress, and which activity is which on Strava."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from web.activities.models import Activity
from web.strava import crypto
from web.text import SINGLE_LINE


class StravaConnection(models.Model):
    """The athlete's authorisation of Foulée on Strava; tokens are Fernet-encrypted (web.strava.crypto)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strava", verbose_name=_("athlete")
    )
    strava_athlete_id = models.BigIntegerField(_("Strava athlete id"), unique=True)
    scopes = models.CharField(
        _("scopes"), max_length=200, validators=[SINGLE_LINE], help_text=_("The scopes the athlete granted.")
    )
    access_token_encrypted = models.TextField(editable=False, validators=[SINGLE_LINE])
    refresh_token_encrypted = models.TextField(editable=False, validators=[SINGLE_LINE])
    expires_at = models.DateTimeField(_("access token expires at"))
    connected_at = models.DateTimeField(_("connected at"), auto_now_add=True)
    #: Newest first: the backfill pages back in time from the newest activity; ``before`` is where it
    #: stopped (epoch seconds, Strava's paging bound), ``None`` before the first page.
    backfill_before = models.BigIntegerField(null=True, blank=True, editable=False)
    backfill_done = models.BooleanField(_("backfill done"), default=False)
    backfill_imported = models.PositiveIntegerField(_("activities imported"), default=0)
    backfill_seen = models.PositiveIntegerField(_("activities seen"), default=0)
    #: Why the backfill waits (rate limit, Strava down), shown on the profile page; empty when not.
    backfill_waiting = models.CharField(_("waiting"), max_length=200, blank=True, validators=[SINGLE_LINE])
    backfill_resume_at = models.DateTimeField(_("resumes at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Strava connection")
        verbose_name_plural = _("Strava connections")

    def __str__(self) -> str:
        return f"{self.user} ↔ Strava {self.strava_athlete_id}"

    @property
    def access_token(self) -> str:
        return crypto.decrypt(self.access_token_encrypted)

    @property
    def refresh_token(self) -> str:
        return crypto.decrypt(self.refresh_token_encrypted)

    def set_tokens(self, access_token: str, refresh_token: str, expires_at: int) -> None:
        self.access_token_encrypted = crypto.encrypt(access_token)
        self.refresh_token_encrypted = crypto.encrypt(refresh_token)
        self.expires_at = dt.datetime.fromtimestamp(expires_at, dt.UTC)


class StravaActivityLink(models.Model):
    """A Strava activity and the Foulée activity it is: imported from Strava, or a file import of the
    same run (``from_strava`` false), which a Strava delete or deauthorisation leaves alone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    strava_activity_id = models.BigIntegerField(_("Strava activity id"), unique=True)
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="strava_link")
    from_strava = models.BooleanField(_("came from Strava"), default=True)
    #: Strava's own privacy flag ("Only you"), kept in step by the webhook's updates.
    private = models.BooleanField(_("private on Strava"), default=False)

    class Meta:
        verbose_name = _("Strava activity")
        verbose_name_plural = _("Strava activities")

    def __str__(self) -> str:
        return f"Strava {self.strava_activity_id} → activity {self.activity_id}"


class StravaRateLimit(models.Model):
    """Strava's application-wide rate limits as its last response reported them: one row, shared by
    every athlete's backfill and every process, so none of them overdraws the application's budget."""

    short_limit = models.PositiveIntegerField(default=0)
    short_usage = models.PositiveIntegerField(default=0)
    long_limit = models.PositiveIntegerField(default=0)
    long_usage = models.PositiveIntegerField(default=0)
    #: When the windows the usage counts in began (Strava's 15-minute windows, its UTC day).
    short_window = models.BigIntegerField(default=0)
    long_window = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Strava rate limit")

    def __str__(self) -> str:
        return f"{self.short_usage}/{self.short_limit}, {self.long_usage}/{self.long_limit}"
