"""Tools over training plans: create one for a goal race, read the next session, adjust for life."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from agent.context import ToolContext, ToolResult
from agent.tools import schemas
from analytics import queries
from analytics.db import get_engine
from foulee.units import format_duration, format_pace
from web.coaching.models import AthleteFact, FactKind
from web.plans import services
from web.plans.models import PlannedSession, TrainingPlan

#: The recent volume a new plan starts from: the average of this many full weeks.
LEVEL_WEEKS = 4
#: The knowledge documents a plan's reply cites (knowledge/corpus/<language>/<name>.md).
PLAN_SOURCES = ("periodisation", "tapering")


def plan_document(goal_distance_m: float) -> str:
    """The corpus's plan document for a goal distance."""
    if goal_distance_m <= 11_000:
        return "plan-5k-10k"
    return "plan-half-marathon" if goal_distance_m <= 22_000 else "plan-marathon"


def _session(session: PlannedSession) -> dict[str, Any]:
    return {
        "date": session.date.isoformat(),
        "type": session.session_type,
        "description": session.description,
        "distance_km": round(session.target_distance_m / 1000.0, 1) if session.target_distance_m else None,
        "pace": format_pace(session.target_pace_s_per_km) if session.target_pace_s_per_km else None,
        "hr_zone": session.target_hr_zone,
        "status": session.status,
    }


def _plan(plan: TrainingPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "name": plan.name,
        "goal_distance_m": plan.goal_distance_m,
        "goal_km": round(plan.goal_distance_m / 1000.0, 3),
        "goal_date": plan.goal_date.isoformat(),
        "target_time": format_duration(plan.target_time_s) if plan.target_time_s else None,
    }


def athlete_level(ctx: ToolContext) -> services.AthleteLevel:
    """Recent weekly running volume and best recent VDOT, from the analytics engine."""
    with get_engine().connect() as conn:
        weeks = queries.weekly_dashboard(conn, ctx.athlete.pk, weeks=LEVEL_WEEKS + 1, today=ctx.today)
        prediction = queries.predict_race(conn, ctx.athlete.pk, 10_000.0, today=ctx.today)
    full_weeks = weeks["distance_km"].iloc[:-1]  # the current week is not over
    return services.AthleteLevel(weekly_km=float(full_weeks.mean()), vdot=prediction.vdot)


def remembered_days_per_week(ctx: ToolContext) -> int | None:
    fact = (
        AthleteFact.objects.filter(
            athlete=ctx.athlete, kind=FactKind.AVAILABILITY, active=True, days_per_week__isnull=False
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return fact.days_per_week if fact else None


def create_training_plan(ctx: ToolContext, args: schemas.CreatePlanArgs) -> ToolResult:
    level = athlete_level(ctx)
    days = args.days_per_week or remembered_days_per_week(ctx)
    injuries = list(
        AthleteFact.objects.filter(athlete=ctx.athlete, kind=FactKind.INJURY, active=True).values_list(
            "text", flat=True
        )
    )
    try:
        plan = services.create_plan(
            ctx.athlete,
            goal_distance_m=args.distance_m,
            goal_date=args.race_date,
            target_time_s=args.target_time_s,
            level=level,
            today=ctx.today,
            days_per_week=days,
            language=ctx.language,
            notes="; ".join(injuries),
        )
    except (ValueError, ValidationError) as error:
        return ToolResult("create_training_plan", "invalid", {"error": str(error)})
    sessions = list(plan.sessions.order_by("date"))
    weeks = services.plan_weeks(plan.start_date, plan.goal_date)
    data = {
        "plan": _plan(plan),
        "weeks": weeks,
        "phases": services.phase_lengths(weeks, plan.goal_distance_m),
        "sessions": len(sessions),
        "days_per_week": days or services.DEFAULT_DAYS_PER_WEEK,
        "days_from_memory": args.days_per_week is None and days is not None,
        "start_weekly_km": round(level.weekly_km, 1),
        "vdot": round(level.vdot, 1) if level.vdot else None,
        "first_sessions": [_session(session) for session in sessions[:3]],
        "injuries": injuries,
        "sources": [*PLAN_SOURCES, plan_document(plan.goal_distance_m)],
    }
    return ToolResult("create_training_plan", "ok", data)


def next_session(ctx: ToolContext, args: schemas.NoArgs) -> ToolResult:
    session = services.next_session(ctx.athlete, ctx.today)
    if session is None:
        plan = services.active_plan(ctx.athlete)
        return ToolResult("next_session", "not_found", {"has_plan": plan is not None})
    return ToolResult("next_session", "ok", {"session": _session(session), "plan": _plan(session.plan)})


def adjust_plan(ctx: ToolContext, args: schemas.AdjustPlanArgs) -> ToolResult:
    try:
        change = services.adjust_plan(
            ctx.athlete, reason=args.reason, today=ctx.today, days=args.days, language=ctx.language
        )
    except services.NoActivePlanError:
        return ToolResult("adjust_plan", "not_found", {"has_plan": False})
    upcoming = services.next_session(ctx.athlete, ctx.today)
    data = {
        "reason": change.reason,
        "days": args.days,
        "missed": [_session(session) for session in change.missed],
        "cancelled": len(change.cancelled),
        "eased": len(change.eased),
        "next": _session(upcoming) if upcoming else None,
    }
    return ToolResult("adjust_plan", "ok", data)
