"""The coach's tools: one registry, names fixed by DESIGN.md, each bound to a ``ToolContext``.

``TOOLS`` maps each name to its description (what the LLM reads), its typed
arguments and its function. ``run_tool`` validates arguments and calls it; the
LangChain wrappers (``agent.lc_tools``) and the offline router both go through
it, so both paths are scoped the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from agent.context import ToolContext, ToolResult
from agent.tools import activities, analysis, plans, profile, schemas


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[ToolContext, Any], ToolResult]


def _spec(
    name: str, description: str, args: type[BaseModel], run: Callable[[ToolContext, Any], ToolResult]
) -> ToolSpec:
    return ToolSpec(name, description, args, run)


TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "weekly_summary",
            "The athlete's running week by week: km, time, pace, load, runs.",
            schemas.WeeklySummaryArgs,
            analysis.weekly_summary,
        ),
        _spec(
            "performance_trends",
            "Whether the athlete's running speed is improving (moving average over runs).",
            schemas.WeeksArgs,
            analysis.performance_trends,
        ),
        _spec(
            "zones_analysis",
            "Heart-rate zones (bpm) and the time spent in each.",
            schemas.WeeksArgs,
            analysis.zones_analysis,
        ),
        _spec(
            "estimate_vma",
            "VMA (maximal aerobic speed, km/h) and VO2max from the best recent effort.",
            schemas.WeeksArgs,
            analysis.estimate_vma,
        ),
        _spec(
            "predict_race",
            "Predicted race time for a distance (metres, or '10k', 'semi', 'marathon').",
            schemas.PredictRaceArgs,
            analysis.predict_race,
        ),
        _spec(
            "training_load",
            "Fitness, fatigue and form (CTL/ATL/TSB): is the athlete fresh or tired.",
            schemas.TrainingLoadArgs,
            analysis.training_load,
        ),
        _spec(
            "recent_activities",
            "The athlete's latest activities.",
            schemas.RecentActivitiesArgs,
            activities.recent_activities,
        ),
        _spec(
            "activity_analysis",
            "One activity in detail (the latest by default): pace, HR, load, zones.",
            schemas.ActivityAnalysisArgs,
            activities.activity_analysis,
        ),
        _spec(
            "personal_records",
            "The athlete's best efforts per distance and duration.",
            schemas.NoArgs,
            analysis.personal_records,
        ),
        _spec(
            "log_activity",
            "Record a run the athlete did without a file (distance, duration, date).",
            schemas.LogActivityArgs,
            activities.log_activity,
        ),
        _spec(
            "create_training_plan",
            "Build and store a periodised plan for a goal race (distance, date, optional target time).",
            schemas.CreatePlanArgs,
            plans.create_training_plan,
        ),
        _spec(
            "next_session",
            "The next planned session of the athlete's active plan.",
            schemas.NoArgs,
            plans.next_session,
        ),
        _spec(
            "adjust_plan",
            "Adjust the active plan after a missed session or an illness.",
            schemas.AdjustPlanArgs,
            plans.adjust_plan,
        ),
        _spec(
            "search_knowledge",
            "Search the coaching knowledge base (training, injuries, recovery); cite its sources.",
            schemas.SearchKnowledgeArgs,
            profile.search_knowledge,
        ),
        _spec(
            "update_profile",
            "Change the athlete's HR max, resting HR, weight or language.",
            schemas.UpdateProfileArgs,
            profile.update_profile,
        ),
        _spec(
            "remember_fact",
            "Remember a durable fact about the athlete: injury, days available, goal race, preference.",
            schemas.RememberFactArgs,
            profile.remember_fact,
        ),
    )
}


def run_tool(ctx: ToolContext, name: str, arguments: dict[str, Any]) -> ToolResult:
    """Validate ``arguments`` against the tool's schema and run it for ``ctx.athlete``.

    Invalid arguments come back as an ``invalid`` result, never an exception:
    the LLM reads it and can retry, the offline coach says what was wrong.
    """
    spec = TOOLS.get(name)
    if spec is None:
        return ToolResult(name, "invalid", {"errors": {"__all__": [f"unknown tool {name}"]}})
    from agent.safety import STATE_CHANGING_TOOLS

    if ctx.read_only and name in STATE_CHANGING_TOOLS:
        # A coach's own thread reads an athlete's data, never writes it (``ToolContext.read_only``).
        return ToolResult(name, "invalid", {"errors": {"__all__": ["read-only: nothing was changed"]}})
    if _health_refused(ctx, name, arguments):
        # No health data without the athlete's consent (``web.accounts.consent``), whoever asks.
        return ToolResult(name, "unavailable", {"reason": "health_consent"})
    try:
        parsed = spec.args.model_validate(arguments)
    except ValidationError as error:
        errors = {
            ".".join(str(part) for part in item["loc"]) or "__all__": [item["msg"]] for item in error.errors()
        }
        return ToolResult(name, "invalid", {"errors": errors})
    return spec.run(ctx, parsed)


def _health_refused(ctx: ToolContext, name: str, arguments: dict[str, Any]) -> bool:
    from web.accounts import consent

    is_health = name in consent.HEALTH_TOOLS or (
        name == "remember_fact" and arguments.get("kind") in consent.HEALTH_FACT_KINDS
    )
    return is_health and not consent.may_process_health(ctx.athlete)


__all__ = ["TOOLS", "ToolContext", "ToolResult", "ToolSpec", "run_tool"]
