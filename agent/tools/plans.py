"""Tools over training plans: create one for a goal race, read the next session, adjust for life."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from agent.context import ToolContext, ToolResult
from agent.tools import schemas
from foulee.units import format_duration, format_pace
from web.plans import services
from web.plans.models import PlannedSession, TrainingPlan

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


def _race_pace(plan: TrainingPlan) -> float | None:
    race = plan.sessions.filter(session_type="race").first()
    return race.target_pace_s_per_km if race else None


def create_training_plan(ctx: ToolContext, args: schemas.CreatePlanArgs) -> ToolResult:
    """The plan use case (``web.plans.services.create_plan_for_athlete``), as the coach says it."""
    try:
        made = services.create_plan_for_athlete(
            ctx.athlete,
            goal_distance_m=args.distance_m,
            goal_date=args.race_date,
            target_time_s=args.target_time_s,
            today=ctx.today,
            days_per_week=args.days_per_week,
            language=ctx.language,
            created_by=ctx.actor,
        )
    except (ValueError, ValidationError) as error:
        return ToolResult("create_training_plan", "invalid", {"error": str(error)})
    plan, level = made.plan, made.level
    sessions = list(plan.sessions.order_by("date"))
    weeks = services.plan_weeks(plan.start_date, plan.goal_date)
    data = {
        "plan": _plan(plan),
        "weeks": weeks,
        "phases": services.phase_lengths(weeks, plan.goal_distance_m),
        "sessions": len(sessions),
        "days_per_week": made.days_per_week,
        "days_from_memory": made.days_from_memory,
        "start_weekly_km": round(level.weekly_km, 1),
        "vdot": round(level.vdot, 1) if level.vdot else None,
        "recent_hard_per_week": round(level.hard_per_week, 2),
        "first_sessions": [_session(session) for session in sessions[:3]],
        "injuries": made.injuries,
        "goal_realism": made.realism.verdict,
        "predicted_time": format_duration(made.realism.predicted_s) if made.realism.predicted_s else None,
        "fastest_realistic_time": format_duration(made.realism.fastest_s) if made.realism.fastest_s else None,
        "race_pace": format_pace(paces_race) if (paces_race := _race_pace(plan)) else None,
        "eased_for_injury": made.eased_for_injury,
        "injury_days": services.INJURY_EASE_DAYS,
        "injury_volume_cut_percent": round((1 - services.INJURY_VOLUME_FACTOR) * 100),
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
            ctx.athlete,
            reason=args.reason,
            today=ctx.today,
            days=args.days,
            past=args.past,
            language=ctx.language,
        )
    except services.NoActivePlanError:
        return ToolResult("adjust_plan", "not_found", {"has_plan": False})
    upcoming = services.next_session(ctx.athlete, ctx.today)
    data = {
        "reason": change.reason,
        "days": args.days or (services.INJURY_EASE_DAYS if change.reason == "injury" else None),
        "volume_cut_percent": round((1 - services.INJURY_VOLUME_FACTOR) * 100)
        if change.reason == "injury"
        else round((1 - services.ILLNESS_RETURN_FACTOR) * 100),
        "missed": [_session(session) for session in change.missed],
        "cancelled": len(change.cancelled),
        "past": args.past,
        "lost_from": change.lost_from.isoformat() if change.lost_from else None,
        "lost_until": change.lost_until.isoformat() if change.lost_until else None,
        "ramp_km": [[round(before, 1), round(after, 1)] for before, after in change.ramp],
        "eased": len(change.eased),
        "next": _session(upcoming) if upcoming else None,
    }
    return ToolResult("adjust_plan", "ok", data)
