"""Planned sessions as the bot shows them: the coming sessions, reminders due, marking one done.

Reads and writes ``web.plans`` (the system of record) and reuses
``web.plans.services.next_session`` for which session is next, so the bot,
the coach and the web agree on it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Final

from django.utils import timezone

from bot.accounts import Athlete, find_athlete
from bot.texts import Language
from foulee.units import format_duration, format_pace, km
from web.accounts.models import TelegramLink, User
from web.plans import services
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan

#: How many sessions /plan lists.
UPCOMING_SESSIONS: Final = 7

SESSION_NAMES: Final[dict[str, dict[Language, str]]] = {
    SessionType.EASY: {"fr": "Footing facile", "en": "Easy run"},
    SessionType.LONG: {"fr": "Sortie longue", "en": "Long run"},
    SessionType.TEMPO: {"fr": "Tempo", "en": "Tempo run"},
    SessionType.INTERVALS: {"fr": "Fractionné", "en": "Intervals"},
    SessionType.RACE: {"fr": "Course", "en": "Race"},
    SessionType.REST: {"fr": "Repos", "en": "Rest"},
}


@dataclass(frozen=True)
class SessionLine:
    session_id: int
    date: dt.date
    text: str


def describe(session: PlannedSession, language: Language) -> str:
    """One line: type, description, then the targets that are set."""
    parts = [SESSION_NAMES.get(session.session_type, {}).get(language, session.session_type)]
    if session.description:
        parts.append(session.description)
    if session.target_distance_m:
        parts.append(f"{km(session.target_distance_m):.1f} km")
    if session.target_duration_s:
        parts.append(format_duration(session.target_duration_s))
    if session.target_pace_s_per_km:
        parts.append(("allure " if language == "fr" else "pace ") + format_pace(session.target_pace_s_per_km))
    if session.target_hr_zone:
        parts.append(f"zone {session.target_hr_zone}")
    return " — ".join(parts[:2]) + (", " + ", ".join(parts[2:]) if len(parts) > 2 else "")


def _today(athlete: Athlete) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(athlete.timezone)).date()


def upcoming(athlete: Athlete, language: Language) -> tuple[str | None, list[SessionLine]]:
    """The active plan's name (None without one) and its next planned sessions."""
    sessions = list(
        PlannedSession.objects.select_related("plan")
        .filter(
            plan__athlete_id=athlete.user_id,
            plan__status=PlanStatus.ACTIVE,
            status=SessionStatus.PLANNED,
            date__gte=_today(athlete),
        )
        .order_by("date", "id")[:UPCOMING_SESSIONS]
    )
    if not sessions:
        plan = TrainingPlan.objects.filter(athlete_id=athlete.user_id, status=PlanStatus.ACTIVE).first()
        return (plan.name if plan else None), []
    lines = [SessionLine(s.pk, s.date, f"{s.date:%d/%m} {describe(s, language)}") for s in sessions]
    return sessions[0].plan.name, lines


def next_session_line(athlete: Athlete, language: Language) -> SessionLine | None:
    session = services.next_session(User.objects.get(pk=athlete.user_id), _today(athlete))
    if session is None:
        return None
    return SessionLine(session.pk, session.date, f"{session.date:%d/%m} {describe(session, language)}")


def mark_done(athlete: Athlete, session_id: int) -> dt.date | None:
    """Mark the athlete's own session done; None if it is not theirs (or gone)."""
    session = PlannedSession.objects.filter(pk=session_id, plan__athlete_id=athlete.user_id).first()
    if session is None:
        return None
    return services.mark_session_done(session).date


@dataclass(frozen=True)
class Reminder:
    """A message due at ``at`` (aware, UTC) to ``chat_id`` about one session."""

    user_id: int
    chat_id: int
    session_id: int
    at: dt.datetime
    day: dt.date
    session: str
    language: Language


def reminders_due(now: dt.datetime, evening: dt.time) -> list[Reminder]:
    """For every linked athlete, the reminder of their next session, at ``evening`` the day before.

    Only reminders still in the future are returned: one missed while the bot
    was down is not sent late (a reminder at 3 a.m. helps nobody).
    """
    reminders = []
    links = TelegramLink.objects.filter(
        telegram_user_id__isnull=False, chat_id__isnull=False, user__is_active=True
    ).values_list("telegram_user_id", "chat_id")
    for telegram_user_id, chat_id in links:
        if telegram_user_id is None or chat_id is None:  # excluded by the filter; says so to the type checker
            continue
        athlete = find_athlete(telegram_user_id)
        if athlete is None:
            continue
        zone = zoneinfo.ZoneInfo(athlete.timezone)
        local_today = now.astimezone(zone).date()
        session = services.next_session(User.objects.get(pk=athlete.user_id), local_today)
        if session is None:
            continue
        at = dt.datetime.combine(session.date - dt.timedelta(days=1), evening, tzinfo=zone)
        if at <= now:
            continue
        reminders.append(
            Reminder(
                athlete.user_id,
                chat_id,
                session.pk,
                at.astimezone(dt.UTC),
                session.date,
                describe(session, athlete.language),
                athlete.language,
            )
        )
    return reminders


def still_planned(session_id: int, user_id: int) -> bool:
    """Whether the session is still ahead in the athlete's active plan when its reminder fires."""
    return PlannedSession.objects.filter(
        pk=session_id, plan__athlete_id=user_id, plan__status=PlanStatus.ACTIVE, status=SessionStatus.PLANNED
    ).exists()
