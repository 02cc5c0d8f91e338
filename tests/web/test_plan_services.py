"""The plan use case every door calls (``web.plans.services.create_plan_for_athlete``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agent.context import ToolContext
from agent.tools import run_tool
from web.accounts.models import User
from web.coaching.models import AthleteFact, FactKind
from web.plans import services
from web.plans.models import PlanStatus, TrainingPlan

pytestmark = pytest.mark.django_db


def _remember(athlete: User, kind: str, text: str, days_per_week: int | None = None) -> None:
    AthleteFact.objects.create(athlete=athlete, kind=kind, text=text, days_per_week=days_per_week)


def _sessions(plan: TrainingPlan) -> list[tuple[Any, ...]]:
    return list(
        plan.sessions.order_by("date", "id").values_list(
            "date", "session_type", "target_distance_m", "target_pace_s_per_km", "description"
        )
    )


def test_the_plan_takes_the_remembered_days_and_injuries(athlete: User, coach: User, store) -> None:
    _remember(athlete, FactKind.AVAILABILITY, "5 days", days_per_week=5)
    _remember(athlete, FactKind.INJURY, "sore left achilles")
    today = dt.date(2026, 11, 24)
    made = services.create_plan_for_athlete(
        athlete,
        goal_distance_m=10_000.0,
        goal_date=today + dt.timedelta(weeks=10),
        today=today,
        created_by=coach,
    )
    assert made.days_per_week == 5 and made.days_from_memory
    assert made.injuries == ["sore left achilles"] and made.plan.notes == "sore left achilles"
    assert made.plan.created_by == coach and made.plan.status == PlanStatus.ACTIVE
    # No history yet: the generator starts from no volume and no VDOT.
    assert made.level.vdot is None
    # Days asked for win over the remembered ones.
    asked = services.create_plan_for_athlete(
        athlete,
        goal_distance_m=10_000.0,
        goal_date=today + dt.timedelta(weeks=10),
        today=today,
        days_per_week=3,
    )
    assert asked.days_per_week == 3 and not asked.days_from_memory
    assert TrainingPlan.objects.get(pk=made.plan.pk).status == PlanStatus.ABANDONED


def test_a_plan_made_on_the_web_takes_an_injury_as_one_made_through_the_coach(
    login, athlete: User, store
) -> None:
    _remember(athlete, FactKind.INJURY, "knee pain on descents")
    _remember(athlete, FactKind.AVAILABILITY, "four evenings", days_per_week=4)
    today = timezone.localdate()
    race = today + dt.timedelta(weeks=12)
    ctx = ToolContext.for_request(athlete, today=today)
    coach_result = run_tool(
        ctx, "create_training_plan", {"distance_m": 21097.5, "race_date": race.isoformat()}
    )
    assert coach_result.status == "ok" and coach_result.data["injuries"] == ["knee pain on descents"]
    by_coach = TrainingPlan.objects.get(pk=coach_result.data["plan"]["id"])

    # The web form with its days left empty, as the chat's request names none.
    answer = login(athlete).post(
        reverse("site:plan_create"),
        {"distance": "21097.5", "race_date": race.isoformat(), "target_time": "", "days_per_week": ""},
    )
    assert answer.status_code == 302
    on_web = TrainingPlan.objects.get(athlete=athlete, status=PlanStatus.ACTIVE)
    assert on_web.pk != by_coach.pk
    assert on_web.notes == by_coach.notes == "knee pain on descents"
    assert _sessions(on_web) == _sessions(by_coach)
