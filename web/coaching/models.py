"""Conversations between an athlete and the coach, on any channel.

The agent reads its bounded memory from here, and coaches read their
athletes' conversations in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from foulee import limits
from web.accounts.models import Language
from web.text import MULTI_LINE

#: Code of the error for a message over ``foulee.limits.MAX_COACH_MESSAGE_CHARS``.
TOO_LONG = "too_long"
#: Code of the error for a message with nothing but whitespace (``foulee.limits.coach_message_text``).
EMPTY = "empty"


def validate_coach_message(text: str) -> None:
    """What every door's message to the coach must be: not blank, bounded, and text (no control character).

    ``agent.coach.Coach.reply`` calls it before anything runs or is stored, so
    the API, the web chat, the bot and ``foulee ask`` refuse the same messages;
    the error is keyed ``text`` (the API's body field). The length is that of
    :func:`foulee.limits.coach_message_text`, the message without surrounding whitespace.
    """
    text = limits.coach_message_text(text)
    try:
        if not text:
            raise ValidationError(_("Write a message: it holds nothing but spaces."), code=EMPTY)
        if len(text) > limits.MAX_COACH_MESSAGE_CHARS:
            raise ValidationError(
                _("Write at most %(limit)s characters."),
                code=TOO_LONG,
                params={"limit": limits.MAX_COACH_MESSAGE_CHARS},
            )
        MULTI_LINE(text)
    except ValidationError as error:
        raise ValidationError({"text": error.error_list}) from None


class Channel(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    WEB = "web", _("Web")
    API = "api", _("HTTP API")


class CoachingSession(models.Model):
    """One conversation thread of an athlete on one channel."""

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("athlete"),
        on_delete=models.CASCADE,
        related_name="coaching_sessions",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    state = models.JSONField(
        _("conversation state"),
        default=dict,
        blank=True,
        help_text=_(
            "The last question the coach answered (intent, arguments, when), so that a follow-up such as "
            '"and a full?" reuses it; it expires after a while.'
        ),
    )

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["athlete", "channel", "-started_at"], name="coaching_athlete_channel")
        ]

    def __str__(self) -> str:
        return f"{self.athlete} · {self.get_channel_display()} · {self.started_at:%Y-%m-%d}"


class MessageRole(models.TextChoices):
    ATHLETE = "athlete", _("Athlete")
    ASSISTANT = "assistant", _("AI coach")
    COACH = "coach", _("Human coach")


class Message(models.Model):
    """One message, with the tool calls the AI coach made to answer it."""

    session = models.ForeignKey(
        CoachingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(_("role"), max_length=16, choices=MessageRole.choices)
    content = models.TextField(_("content"), validators=[MULTI_LINE])
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    tool_calls = models.JSONField(
        _("tool calls"),
        default=list,
        blank=True,
        help_text=_('The tools called to write this reply: [{"name": ..., "args": {...}}].'),
    )
    pending_action = models.JSONField(
        _("pending action"),
        default=list,
        blank=True,
        help_text=_(
            "The tool calls this reply proposed and that run only if the next message says yes: "
            '[{"name": ..., "args": {...}}].'
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"], name="message_session_time")]

    def __str__(self) -> str:
        preview = self.content if len(self.content) <= 60 else self.content[:57] + "…"
        return f"{self.get_role_display()}: {preview}"


class FactKind(models.TextChoices):
    INJURY = "injury", _("Injury or pain")
    AVAILABILITY = "availability", _("Days available to train")
    GOAL = "goal", _("Goal race")
    PREFERENCE = "preference", _("Preference")
    OTHER = "other", _("Other")


class AthleteFact(models.Model):
    """Something the athlete told the coach about themselves, kept beyond one conversation.

    Plans read the availability facts (how many days a week) and answers mention
    active injuries; the athlete's coach sees them in the admin. Facts are never
    deleted by the agent, only retired (``active=False``) when superseded, so a
    coach can read the history.
    """

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("athlete"),
        on_delete=models.CASCADE,
        related_name="coach_facts",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FactKind.choices, default=FactKind.OTHER)
    text = models.TextField(_("what the athlete said"), validators=[MULTI_LINE])
    days_per_week = models.PositiveSmallIntegerField(
        _("days per week"),
        null=True,
        blank=True,
        help_text=_("For availability facts: how many days a week the athlete can run."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("remembered fact")
        verbose_name_plural = _("remembered facts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["athlete", "active"], name="fact_athlete_active")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days_per_week__isnull=True)
                | models.Q(days_per_week__gte=1, days_per_week__lte=7),
                name="fact_days_per_week_1_7",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
