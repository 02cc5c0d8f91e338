"""The evening-before reminder: scheduled from the database at start-up, sent at the athlete's local time."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

from bot.accounts import Athlete
from bot.config import BotConfig
from tests.bot.conftest import BotThread
from tests.bot.fake_telegram import FakeTelegram, FakeUser
from web.accounts.models import AthleteProfile
from web.plans.models import PlannedSession, SessionStatus, TrainingPlan

#: How far ahead of "now" the test sets the reminder hour, so that the job fires during the test.
LEAD = dt.timedelta(seconds=2)


def test_reminder_sent_the_evening_before_in_local_time(
    start_bot: Callable[..., BotThread],
    bot_config: BotConfig,
    telegram: FakeTelegram,
    onboarded: Callable[..., tuple[FakeUser, Athlete]],
) -> None:
    user, athlete = onboarded("fr")
    other, other_athlete = onboarded("en")
    zone = "America/New_York"  # far from UTC and from the server's zone: the local day matters
    AthleteProfile.objects.filter(user_id=athlete.user_id).update(timezone=zone)
    # "The evening before" is LEAD from now, local time; the session is the next local day.
    evening = dt.datetime.now(zoneinfo.ZoneInfo(zone)) + LEAD
    session_day = evening.date() + dt.timedelta(days=1)
    plan = TrainingPlan.objects.create(
        athlete_id=athlete.user_id, name="Semi", goal_distance_m=21097.5,
        goal_date=session_day + dt.timedelta(days=30), start_date=session_day - dt.timedelta(days=3),
    )  # fmt: skip
    PlannedSession.objects.create(plan=plan, date=session_day, session_type="tempo", description="3 x 10 min")
    done = PlannedSession.objects.create(
        plan=plan, date=session_day - dt.timedelta(days=1), session_type="easy", status=SessionStatus.DONE
    )
    assert done.pk  # a session already done is never the one reminded

    start_bot(bot_config, reminder_time=evening.time().replace(tzinfo=None))
    reminder = telegram.wait_for_message(user.id, timeout=10)
    assert reminder.text == f"Demain ({session_day:%d/%m}) : Tempo — 3 x 10 min"
    assert telegram.no_more_messages(other.id), "an athlete without a plan gets no reminder"
    assert other_athlete.user_id != athlete.user_id
