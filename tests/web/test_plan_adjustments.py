"""Adjusting a plan: the tense of an illness, its dates, and the load coming back in steps."""

from __future__ import annotations

import datetime as dt

import pytest

from agent import extract
from web.accounts.models import User
from web.plans import rules, services
from web.plans.models import PlannedSession, SessionStatus, SessionType, TrainingPlan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 10)  # a Thursday


def _plan(athlete: User) -> TrainingPlan:
    """An intermediate's 10 km plan started four weeks ago, 35 km a week, four runs."""
    return services.create_plan(
        athlete,
        goal_distance_m=10_000.0,
        goal_date=TODAY + dt.timedelta(weeks=10),
        level=services.AthleteLevel(35.0, 42.0, 1.0),
        today=TODAY - dt.timedelta(weeks=4),
        days_per_week=4,
    )


def _km(sessions: list[PlannedSession]) -> float:
    return sum(s.target_distance_m or 0.0 for s in sessions) / 1000.0


def _window(plan: TrainingPlan, first: dt.date) -> list[PlannedSession]:
    return list(
        plan.sessions.filter(date__gte=first, date__lt=first + dt.timedelta(days=7)).exclude(
            session_type=SessionType.RACE
        )
    )


@pytest.mark.parametrize(
    ("said", "past", "days"),
    [
        ("j'ai été malade cette semaine", True, 3),
        ("J’ai été malade, 3 jours", True, 3),
        ("I was sick for 4 days", True, 4),
        ("je suis malade depuis 3 jours", False, 3),
        ("I'm sick", False, None),
        ("malade, 3 jours", False, 3),
    ],
)
def test_the_tense_and_days_of_an_illness(said: str, past: bool, days: int | None) -> None:
    args = extract.illness_arguments(said, TODAY)
    assert args.get("past", False) is past and args.get("days") == days, (said, args)


def test_a_past_illness_cancels_the_past_days_not_the_next(athlete: User) -> None:
    plan = _plan(athlete)
    coming = {s.pk: s.status for s in plan.sessions.filter(date__gte=TODAY)}
    change = services.adjust_plan(athlete, reason="illness", today=TODAY, days=5, past=True)
    assert change.lost_from == TODAY - dt.timedelta(days=5) and change.lost_until == TODAY - dt.timedelta(
        days=1
    )
    cancelled = plan.sessions.filter(status=SessionStatus.CANCELLED)
    assert cancelled.exists() and all(change.lost_from <= s.date < TODAY for s in cancelled), list(cancelled)
    assert not plan.sessions.filter(date__gte=TODAY, status=SessionStatus.CANCELLED).exists()
    assert all(plan.sessions.get(pk=pk).status == status for pk, status in coming.items())


def test_an_illness_now_cancels_the_coming_days(athlete: User) -> None:
    plan = _plan(athlete)
    change = services.adjust_plan(athlete, reason="illness", today=TODAY, days=3)
    assert change.lost_from == TODAY and change.lost_until == TODAY + dt.timedelta(days=2)
    cancelled = list(plan.sessions.filter(status=SessionStatus.CANCELLED))
    assert cancelled and all(TODAY <= s.date < TODAY + dt.timedelta(days=3) for s in cancelled), cancelled


@pytest.mark.parametrize(("reason", "past"), [("illness", True), ("illness", False), ("missed", False)])
def test_the_load_comes_back_in_steps_without_cramming(athlete: User, reason: str, past: bool) -> None:
    plan = _plan(athlete)
    lost = 7
    back = TODAY if past or reason == "missed" else TODAY + dt.timedelta(days=lost)
    planned = [_km(_window(plan, back + dt.timedelta(days=7 * i))) for i in range(4)]
    change = services.adjust_plan(athlete, reason=reason, today=TODAY, days=lost, past=past)
    after = [_km(_window(plan, back + dt.timedelta(days=7 * i))) for i in range(4)]
    assert after[0] <= planned[0] * rules.RETURN_START_FACTOR + 0.5, (planned, after)
    # Each eased window, and the one after the ramp, at most 15 % above the one before it (the
    # plan's own recovery weeks aside, which the ramp leaves as planned).
    for k in range(1, min(len(change.ramp) + 1, len(after))):
        assert after[k] <= after[k - 1] * rules.RETURN_STEP + 0.5 or after[k - 1] >= planned[k - 1] - 0.05, (
            f"{reason} past={past}: windows {[round(a, 1) for a in after]} km after the return (planned "
            f"{[round(p, 1) for p in planned]}), {after[k - 1]:.1f} then {after[k]:.1f} km (max +15 %)"
        )
    # Nothing is crammed in: no window gets more than it planned.
    assert all(a <= p + 0.05 for a, p in zip(after, planned, strict=True)), (planned, after)
    # And it comes back: by the third window the plan's own load, within the 15 % steps.
    assert after[2] >= min(planned[2], planned[0] * rules.RETURN_START_FACTOR * rules.RETURN_STEP**2) - 0.5
    first_week = _window(plan, back)
    assert not [s for s in first_week if s.session_type in (SessionType.TEMPO, SessionType.INTERVALS)]
    assert change.ramp and change.eased
