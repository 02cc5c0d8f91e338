"""An activity file sent in the chat becomes an activity, and a summary of what it says.

The file goes through the one import service every door uses
(``analytics.importing.service.import_file``), outside any transaction as it
requires; then the analytics store is brought up to date (unless the
on-commit sync already does it) so the summary can read the run's load and
zones from there, through the coach's ``activity_analysis`` and
``training_load`` tools.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

from django.utils import timezone

from agent.tools.schemas import TrainingLoadArgs
from analytics.importing.service import import_file
from analytics.readers import is_activity_file
from bot import charts, coach
from bot.accounts import Athlete, health_consent, user_of
from bot.coach import Picture
from foulee.config import get_settings
from web.activities.models import Activity

#: The Bot API lets a bot download files up to 20 MB (https://core.telegram.org/bots/api#getfile).
TELEGRAM_DOWNLOAD_LIMIT_BYTES: Final = 20 * 1000 * 1000


@dataclass(frozen=True)
class UploadOutcome:
    status: Literal["imported", "duplicate", "error"]
    activity_id: int | None
    summary: str = ""
    error: str = ""
    picture: Picture | None = None


def accepts(filename: str) -> bool:
    return is_activity_file(filename)


def _recent(activity_id: int) -> bool:
    """Whether the run falls in the window the form (``training_load``) looks at."""
    window = dt.timedelta(days=TrainingLoadArgs().days)
    return Activity.objects.filter(pk=activity_id, start_time__gte=timezone.now() - window).exists()


def import_upload(athlete: Athlete, data: bytes, filename: str) -> UploadOutcome:
    """Import one file for the athlete and describe the run; never raises for a bad file."""
    result = import_file(user_of(athlete), data, filename, label=filename)
    if result.status == "error":
        return UploadOutcome("error", None, error=result.error or "")
    if result.status == "duplicate":
        return UploadOutcome("duplicate", result.activity_id)
    if not get_settings().sync_on_commit:
        from analytics.sync import sync

        sync()
    analysis = coach.run_tool(athlete, "activity_analysis", {"activity_id": result.activity_id}, charts=False)
    summary = analysis.text
    # Heart rate and the load derived from it are health data (``web.accounts.consent``).
    health = health_consent(athlete)
    if health and result.activity_id is not None and _recent(result.activity_id):
        # What the run means for the athlete now: their form with it counted. An old file (a
        # history import) says nothing about today's form, so it gets no such line.
        summary += "\n" + coach.run_tool(athlete, "training_load", {}, charts=False).text
    picture = (
        charts.activity_chart(result.activity_id, athlete.language, health=health)
        if result.activity_id
        else None
    )
    return UploadOutcome("imported", result.activity_id, summary=summary, picture=picture)
