"""Scoping: a tool is bound to the athlete by the coach; no argument reaches another athlete's data."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from agent.coach import Coach
from agent.context import ToolContext
from agent.tools import TOOLS, run_tool
from tests.agent.conftest import TODAY
from web.accounts.models import User
from web.activities.models import Activity
from web.plans.models import PlanStatus, TrainingPlan


def test_no_tool_takes_an_athlete_or_user_argument() -> None:
    for spec in TOOLS.values():
        fields = set(spec.args.model_fields)
        assert not fields & {"athlete", "athlete_id", "user", "user_id", "email"}, spec.name


def test_smuggled_athlete_arguments_are_refused(lea_ctx: ToolContext, demo: dict[str, User]) -> None:
    sam = demo["sam"]
    for name in TOOLS:
        result = run_tool(lea_ctx, name, {"athlete_id": sam.pk, "user": sam.email})
        assert result.status == "invalid", name


def test_activity_ids_of_others_are_not_found(lea_ctx: ToolContext, demo: dict[str, User]) -> None:
    theirs = Activity.objects.filter(user=demo["sam"]).first()
    assert theirs is not None
    result = run_tool(lea_ctx, "activity_analysis", {"activity_id": theirs.pk})
    assert result.status == "not_found" and "distance_km" not in result.data


def test_every_read_is_the_bound_athlete(lea_ctx: ToolContext, sam_ctx: ToolContext) -> None:
    lea = run_tool(lea_ctx, "recent_activities", {"limit": 20}).data["activities"]
    sam = run_tool(sam_ctx, "recent_activities", {"limit": 20}).data["activities"]
    lea_ids = set(Activity.objects.filter(user=lea_ctx.athlete).values_list("pk", flat=True))
    assert {a["id"] for a in lea} <= lea_ids and not {a["id"] for a in sam} & lea_ids
    assert run_tool(lea_ctx, "estimate_vma", {}).data != run_tool(sam_ctx, "estimate_vma", {}).data


def test_writes_touch_only_the_bound_athlete(lea_ctx: ToolContext, demo: dict[str, User]) -> None:
    sam = demo["sam"]
    sam_plan = TrainingPlan.objects.get(athlete=sam, status=PlanStatus.ACTIVE)
    sam_count = Activity.objects.filter(user=sam).count()
    run_tool(lea_ctx, "create_training_plan", {"distance_m": 10000, "race_date": "2027-02-21"})
    run_tool(lea_ctx, "log_activity", {"distance_m": 5000, "duration_s": 1500})
    run_tool(lea_ctx, "adjust_plan", {"reason": "illness", "days": 3})
    run_tool(lea_ctx, "update_profile", {"hr_max": 199})
    sam_plan.refresh_from_db()
    sam.profile.refresh_from_db()
    assert sam_plan.status == PlanStatus.ACTIVE and Activity.objects.filter(user=sam).count() == sam_count
    assert sam.profile.hr_max != 199


def test_coach_reaches_own_athletes_only(demo: dict[str, User], make_user, stranger: User) -> None:
    coach = demo["coach"]
    reply = Coach(charts=False).reply(coach, "am I tired?", athlete=demo["sam"], today=TODAY)
    assert reply.tool_calls[0]["name"] == "training_load"
    with pytest.raises(PermissionDenied):
        ToolContext.for_request(coach, athlete=stranger, today=TODAY)
    with pytest.raises(PermissionDenied):
        ToolContext.for_request(demo["lea"], athlete=demo["sam"], today=TODAY)
