"""A background job as people see it: queued, running, done, failed (will retry) or dead.

The broker's messages come and go; the row stays, so a job that keeps failing
is never silently dropped: it ends ``dead`` with its last error, shown in the
admin to its owner's coach and to admins.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from web.accounts.models import User
from web.text import MULTI_LINE


class JobKind(models.TextChoices):
    IMPORT = "import", _("File import")
    SYNC = "sync", _("Analytics sync")
    PURGE = "purge", _("Retention purge")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    #: An attempt failed on a transient error; the job is retried with backoff.
    FAILED = "failed", _("Failed, will retry")
    #: Every attempt failed: the dead-letter state, kept until someone looks.
    DEAD = "dead", _("Dead (gave up)")


#: The states a job never leaves.
FINISHED = frozenset({JobStatus.DONE, JobStatus.DEAD})


class Job(models.Model):
    """One run of a background task, and its outcome."""

    kind = models.CharField(_("kind"), max_length=16, choices=JobKind.choices)
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        help_text=_("Whose data the job works on; none for the whole installation's jobs."),
    )
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    payload = models.JSONField(_("payload"), default=dict, blank=True, help_text=_("What the job was given."))
    result = models.JSONField(_("result"), default=dict, blank=True, help_text=_("What it produced so far."))
    error = models.TextField(_("last error"), blank=True, validators=[MULTI_LINE])
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def mark(self, status: JobStatus, **fields: Any) -> None:
        """Move to ``status`` (with ``fields``), in one UPDATE of the columns that changed."""
        self.status = status
        for name, value in fields.items():
            setattr(self, name, value)
        if status in FINISHED:
            self.finished_at = timezone.now()
        self.save(update_fields=["status", "finished_at", *fields])
