"""Which of a coach's athletes need attention, and why: what the coach's home lists first.

Four reasons, each with the day it refers to, each threshold named here and only here:

* **no run for a week** — no running activity (``foulee.sports.RUNNING_SPORTS``) in the
  athlete's last ``NO_RUN_DAYS`` local days (today included: the rolling window of
  ``analytics.queries.recent_running``); the date is the last run's, if there ever was one;
* **high fatigue** — today's form (TSB, ``analytics.queries.training_load``) below
  ``HIGH_FATIGUE_TSB``, the bottom of analytics' "tired (productive training)" band: below it
  the form band is "very tired (overreaching risk)" (``FORM_BANDS``, after Friel). Form needs
  ``MIN_HISTORY_DAYS`` of history, so a new athlete is never flagged for it;
* **a missed key session** — a long run, tempo, intervals or race (``KEY_SESSION_TYPES``) of
  the athlete's active plan dated in the last ``MISSED_SESSION_DAYS`` days before today and
  not done: marked missed (by the athlete, the coach or ``adjust_plan`` after an illness), or
  still planned once the runs imported are matched to their sessions
  (``web.plans.services.match_activities``, as the plan page does);
* **a new injury** — an active remembered fact (``web.coaching.models.AthleteFact``, what the
  athlete told the coach in the chat or the bot) of the kind "injury or pain", made in the
  last ``NEW_FACT_DAYS`` days. Facts have no illness kind: an illness reaches the plan through
  ``adjust_plan`` (its sessions are marked missed), and so shows as a missed key session.

"Today" is each athlete's own day (their profile's time zone), the day their runs and plan
sessions are dated in. The caller passes athletes it has authorised
(``web.accounts.scoping.visible_athletes``); nothing here widens that set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from analytics.db import get_engine
from analytics.queries import training_load
from analytics.queries.load import FORM_BANDS
from foulee import formatting
from foulee.sports import RUNNING_SPORTS
from web.accounts.models import User
from web.accounts.timezones import zone_of
from web.activities.models import Activity
from web.coaching.models import AthleteFact, FactKind
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType
from web.plans.services import active_plan, match_activities

#: No run in this many of the athlete's local days, today included, is "no run for a week".
NO_RUN_DAYS: Final = 7
#: Form (TSB) below this is high fatigue: the lower bound of the "tired (productive training)"
#: band of ``analytics.queries.load.FORM_BANDS`` (-30), below which overreaching is a risk.
HIGH_FATIGUE_TSB: Final = next(low for low, _label, code in FORM_BANDS if code == "tired")
#: The sessions a plan is built around; missing one of them is worth the coach's look.
KEY_SESSION_TYPES: Final = (SessionType.LONG, SessionType.TEMPO, SessionType.INTERVALS, SessionType.RACE)
#: A key session missed in this many days before today (today's may still be run).
MISSED_SESSION_DAYS: Final = 7
#: An injury fact this recent is new.
NEW_FACT_DAYS: Final = 7
#: A fact is quoted up to this many characters (the admin has it whole).
FACT_CHARS_SHOWN: Final = 140


class Reason(StrEnum):
    NO_RUN = "no_run"
    HIGH_FATIGUE = "high_fatigue"
    MISSED_KEY_SESSION = "missed_key_session"
    NEW_INJURY = "new_injury"


@dataclass(frozen=True)
class Concern:
    """One reason an athlete needs attention, with the moment it refers to.

    ``when`` is a local day (a plan session's, today's form) or an aware datetime (a run's
    start, a fact's making) that the page shows in the viewer's time zone.
    """

    reason: Reason
    when: dt.date | dt.datetime | None
    form: float | None = None
    session_type: str = ""
    text: str = ""

    def wording(self) -> str:
        """The reason in words, with its date, in the active language and the active time zone.

        The site activates the viewer's zone (``web.accounts.timezones``), so a run's or a fact's
        moment is read at the coach's clock; a local day (a session's) is the athlete's.
        """
        day = _shown_day(self.when)
        if self.reason is Reason.NO_RUN:
            if day is None:
                return _("No run recorded yet.")
            return _("No run in the last %(days)s days (last run on %(date)s).") % {
                "days": NO_RUN_DAYS,
                "date": day,
            }
        if self.reason is Reason.HIGH_FATIGUE:
            return _("High fatigue: form %(form)s on %(date)s, below %(threshold)s.") % {
                "form": formatting.number(self.form or 0.0, 0),
                "date": day,
                "threshold": formatting.number(HIGH_FATIGUE_TSB, 0),
            }
        if self.reason is Reason.MISSED_KEY_SESSION:
            return _("Missed key session: %(type)s of %(date)s.") % {
                "type": SessionType(self.session_type).label,
                "date": day,
            }
        said = Truncator(self.text).chars(FACT_CHARS_SHOWN)
        return _("New injury or pain, told on %(date)s: “%(text)s”") % {"date": day, "text": said}


def _shown_day(when: dt.date | dt.datetime | None) -> str | None:
    if when is None:
        return None
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when).date()
    return formats.date_format(when, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class AthleteAttention:
    athlete: User
    today: dt.date
    concerns: list[Concern] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.concerns)


def concerns_for(athlete: User, now: dt.datetime) -> AthleteAttention:
    """The reasons ``athlete`` needs attention at ``now`` (aware), read in the athlete's own day."""
    zone = zone_of(athlete)
    today = now.astimezone(zone).date()
    concerns: list[Concern] = []
    for found in (_no_run(athlete, today), _high_fatigue(athlete, today)):
        if found is not None:
            concerns.append(found)
    concerns.extend(_missed_key_sessions(athlete, today))
    injury = _new_injury(athlete, now)
    if injury is not None:
        concerns.append(injury)
    return AthleteAttention(athlete, today, concerns)


def _no_run(athlete: User, today: dt.date) -> Concern | None:
    last = (
        Activity.objects.filter(user=athlete, sport__in=RUNNING_SPORTS)
        .order_by("-start_time")
        .values_list("start_time", flat=True)
        .first()
    )
    first_day = today - dt.timedelta(days=NO_RUN_DAYS - 1)
    if last is not None and last.astimezone(zone_of(athlete)).date() >= first_day:
        return None
    return Concern(Reason.NO_RUN, last)


def _high_fatigue(athlete: User, today: dt.date) -> Concern | None:
    from web.accounts.consent import may_process_health

    if not may_process_health(athlete):
        return None  # form derives from heart rate: not without consent (``web.accounts.consent``)
    with get_engine().connect() as conn:
        reading = training_load(conn, athlete.pk, days=1, today=today).today
    if reading is None or reading.form >= HIGH_FATIGUE_TSB:
        return None
    return Concern(Reason.HIGH_FATIGUE, reading.day, form=reading.form)


def _missed_key_sessions(athlete: User, today: dt.date) -> list[Concern]:
    plan = active_plan(athlete)
    if plan is None:
        return []
    match_activities(plan)  # a key session run and imported is done, as the plan page shows it
    sessions = PlannedSession.objects.filter(
        plan=plan,
        plan__status=PlanStatus.ACTIVE,
        session_type__in=KEY_SESSION_TYPES,
        status__in=(SessionStatus.MISSED, SessionStatus.PLANNED),
        date__gte=today - dt.timedelta(days=MISSED_SESSION_DAYS),
        date__lt=today,
    ).order_by("date", "id")
    return [
        Concern(Reason.MISSED_KEY_SESSION, session.date, session_type=session.session_type)
        for session in sessions
    ]


def _new_injury(athlete: User, now: dt.datetime) -> Concern | None:
    fact = (
        AthleteFact.objects.filter(
            athlete=athlete,
            kind=FactKind.INJURY,
            active=True,
            created_at__gte=now - dt.timedelta(days=NEW_FACT_DAYS),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return None if fact is None else Concern(Reason.NEW_INJURY, fact.created_at, text=fact.text)
