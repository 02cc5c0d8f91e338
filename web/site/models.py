"""The site's one model: a coach's notes to an athlete, shown on the athlete's dashboard.

It lives here, not in ``web/coaching`` (the agent's conversations), because it is
a page's feature: a coach writes, the athlete reads, nothing else uses it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from web.text import MULTI_LINE


class CoachNote(models.Model):
    """A note from a coach to one of their athletes. Deleting either deletes the note."""

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("athlete"),
        on_delete=models.CASCADE,
        related_name="coach_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="notes_written",
    )
    text = models.TextField(_("note"), max_length=4000, validators=[MULTI_LINE])
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coach's note")
        verbose_name_plural = _("coach's notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["athlete", "-created_at"], name="coachnote_athlete_time")]

    def __str__(self) -> str:
        return f"{self.author} → {self.athlete}: {self.text[:40]}"
