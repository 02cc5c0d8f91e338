"""Every tool on the demo world: real numbers from the real queries, stored plans, remembered facts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from agent.context import ToolContext
from agent.tools import TOOLS, run_tool
from tests.agent.conftest import TODAY
from web.activities.models import Activity, Source
from web.coaching.models import AthleteFact
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan

DESIGN_NAMES = {
    "weekly_summary", "performance_trends", "zones_analysis", "estimate_vma", "predict_race",
    "training_load", "recent_activities", "activity_analysis", "personal_records", "log_activity",
    "create_training_plan", "next_session", "adjust_plan", "search_knowledge", "update_profile",
}  # fmt: skip


def test_registry_has_the_design_names_and_memory() -> None:
    assert set(TOOLS) == DESIGN_NAMES | {"remember_fact"}


def test_analysis_tools_answer_with_json_safe_numbers(lea_ctx: ToolContext) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("weekly_summary", {}),
        ("performance_trends", {}),
        ("zones_analysis", {}),
        ("estimate_vma", {}),
        ("predict_race", {"distance_m": "semi"}),
        ("training_load", {}),
        ("recent_activities", {"limit": 3}),
        ("activity_analysis", {}),
        ("personal_records", {}),
    ]
    for name, args in cases:
        result = run_tool(lea_ctx, name, args)
        assert result.status == "ok", (name, result.data)
        json.dumps(result.for_model(), allow_nan=False)


def test_weekly_summary_matches_the_activities(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "weekly_summary", {"weeks": 2})
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    runs = [
        a
        for a in Activity.objects.filter(user=lea_ctx.athlete)
        if a.is_running and monday <= a.start_time.astimezone(lea_ctx.timezone).date() <= TODAY
    ]
    assert result.data["this_week"]["runs"] == len(runs)
    assert result.data["this_week"]["distance_km"] == round(sum(a.distance_m for a in runs) / 1000.0, 1)
    assert result.chart is not None and len(result.chart["km"]) == 2


def test_predict_race_parses_words_and_orders_distances(lea_ctx: ToolContext) -> None:
    ten = run_tool(lea_ctx, "predict_race", {"distance_m": "10 km"})
    half = run_tool(lea_ctx, "predict_race", {"distance_m": "half marathon"})
    assert ten.data["distance_m"] == 10_000.0 and half.data["distance_m"] == 21_097.5
    assert 0 < ten.data["time_s"] < half.data["time_s"]
    assert run_tool(lea_ctx, "predict_race", {"distance_m": "a long way"}).status == "invalid"
    assert run_tool(lea_ctx, "predict_race", {"distance_m": 50.0}).status == "invalid"


def test_training_load_reads_a_form_band(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "training_load", {"days": 60})
    assert result.data["form_code"] in {"very_fresh", "fresh", "neutral", "tired", "overreaching"}
    assert result.chart is not None and len(result.chart["tsb"]) == 60
    assert result.data["form"] is not None


def test_log_activity_creates_a_validated_manual_run(lea_ctx: ToolContext) -> None:
    before = Activity.objects.filter(user=lea_ctx.athlete).count()
    result = run_tool(
        lea_ctx, "log_activity", {"distance_m": "8 km", "duration_s": "42 min", "date": "2026-11-23"}
    )
    assert result.status == "ok"
    activity = Activity.objects.get(pk=result.data["id"])
    assert activity.user == lea_ctx.athlete and activity.source == Source.MANUAL
    assert activity.distance_m == 8000.0 and activity.duration_s == 2520.0
    assert Activity.objects.filter(user=lea_ctx.athlete).count() == before + 1
    bad = run_tool(lea_ctx, "log_activity", {"distance_m": 8000, "duration_s": 60, "avg_hr": 300})
    assert bad.status == "invalid" and "avg_hr" in bad.data["errors"]
    future = run_tool(lea_ctx, "log_activity", {"distance_m": 8000, "duration_s": 2400, "date": "2026-12-30"})
    assert future.status == "invalid"


def test_create_plan_is_periodised_stored_and_replaces_the_active_one(lea_ctx: ToolContext) -> None:
    old = TrainingPlan.objects.get(athlete=lea_ctx.athlete, status=PlanStatus.ACTIVE)
    result = run_tool(
        lea_ctx,
        "create_training_plan",
        {"distance_m": "semi", "race_date": "2027-03-14", "target_time_s": "1h50", "days_per_week": 4},
    )
    assert result.status == "ok", result.data
    plan = TrainingPlan.objects.get(athlete=lea_ctx.athlete, status=PlanStatus.ACTIVE)
    old.refresh_from_db()
    assert old.status == PlanStatus.ABANDONED and plan.pk == result.data["plan"]["id"]
    sessions = list(plan.sessions.order_by("date"))
    assert sessions[-1].session_type == SessionType.RACE and sessions[-1].date == dt.date(2027, 3, 14)
    assert all(plan.start_date <= s.date <= plan.goal_date for s in sessions)
    phases = result.data["phases"]
    assert phases["taper"] == 2 and all(phases[name] >= 1 for name in ("base", "build", "specific"))
    weekly: dict[dt.date, int] = {}
    for session in sessions[:-1]:
        week = session.date - dt.timedelta(days=session.date.weekday())
        weekly[week] = weekly.get(week, 0) + 1
    assert max(weekly.values()) == 4
    # Each full week's long run is its longest session, and volume never jumps more than 10 %.
    by_week: dict[dt.date, list[PlannedSession]] = {}
    for session in sessions[:-1]:
        by_week.setdefault(session.date - dt.timedelta(days=session.date.weekday()), []).append(session)
    volumes: list[float] = []
    for days in list(by_week.values())[:-1]:  # the race week has no long run
        longest = max(days, key=lambda s: s.target_distance_m or 0.0)
        assert longest.session_type == SessionType.LONG
        volumes.append(sum(s.target_distance_m or 0.0 for s in days))
    full = volumes[1:]  # the first week may be partial
    assert all(total <= max(full[:index]) * 1.10 + 300 for index, total in enumerate(full) if index), full
    # Base weeks are easy unless the athlete already runs hard sessions, who keeps them from the start.
    first_quality = min(
        s.date for s in sessions if s.session_type in (SessionType.INTERVALS, SessionType.TEMPO)
    )
    if result.data["recent_hard_per_week"] >= 0.5:
        assert first_quality <= plan.start_date + dt.timedelta(weeks=2), result.data["recent_hard_per_week"]
    else:
        assert first_quality > plan.start_date + dt.timedelta(weeks=2), result.data["recent_hard_per_week"]
    assert result.data["sources"] == ["periodisation", "tapering", "plan-half-marathon"]


def test_plan_uses_remembered_availability(lea_ctx: ToolContext) -> None:
    assert (
        run_tool(
            lea_ctx, "remember_fact", {"kind": "availability", "text": "5 jours", "days_per_week": 5}
        ).status
        == "ok"
    )
    result = run_tool(lea_ctx, "create_training_plan", {"distance_m": 10000, "race_date": "2027-02-21"})
    assert result.data["days_per_week"] == 5 and result.data["days_from_memory"]
    too_close = run_tool(lea_ctx, "create_training_plan", {"distance_m": 10000, "race_date": "2026-11-30"})
    assert too_close.status == "invalid"


def test_next_session_and_adjustments(lea_ctx: ToolContext) -> None:
    run_tool(
        lea_ctx, "create_training_plan", {"distance_m": 10000, "race_date": "2027-02-21", "days_per_week": 4}
    )
    first = run_tool(lea_ctx, "next_session", {})
    assert first.status == "ok" and first.data["session"]["date"] > TODAY.isoformat()
    ill = run_tool(lea_ctx, "adjust_plan", {"reason": "illness", "days": 5})
    assert ill.status == "ok" and ill.data["cancelled"] >= 1 and ill.data["eased"] >= 1
    plan = TrainingPlan.objects.get(athlete=lea_ctx.athlete, status=PlanStatus.ACTIVE)
    sick = plan.sessions.filter(date__lt=TODAY + dt.timedelta(days=5))
    assert all(s.status == SessionStatus.CANCELLED for s in sick)
    back = plan.sessions.filter(
        date__gte=TODAY + dt.timedelta(days=5), date__lt=TODAY + dt.timedelta(days=10)
    )
    assert not back.filter(session_type__in=[SessionType.TEMPO, SessionType.INTERVALS]).exists()
    assert plan.sessions.filter(session_type=SessionType.RACE, status=SessionStatus.PLANNED).count() == 1


def test_missed_session_is_marked_not_made_up(lea_ctx: ToolContext) -> None:
    plan = TrainingPlan.objects.get(athlete=lea_ctx.athlete, status=PlanStatus.ACTIVE)
    past = plan.sessions.filter(date__lte=TODAY, status=SessionStatus.PLANNED).order_by("-date").first()
    assert past is not None
    count = plan.sessions.count()
    result = run_tool(lea_ctx, "adjust_plan", {"reason": "missed"})
    past.refresh_from_db()
    assert result.status == "ok" and past.status == SessionStatus.MISSED
    assert plan.sessions.count() == count


def test_update_profile_validates(lea_ctx: ToolContext) -> None:
    assert run_tool(lea_ctx, "update_profile", {"hr_max": 191, "language": "en"}).status == "ok"
    lea_ctx.athlete.profile.refresh_from_db()
    assert lea_ctx.athlete.profile.hr_max == 191 and lea_ctx.athlete.profile.language == "en"
    assert run_tool(lea_ctx, "update_profile", {"hr_rest": 300}).status == "invalid"
    assert run_tool(lea_ctx, "update_profile", {"hr_rest": 195}).status == "invalid"  # above HR max


def test_remember_fact_keeps_history_and_one_availability(lea_ctx: ToolContext) -> None:
    run_tool(lea_ctx, "remember_fact", {"kind": "availability", "text": "3 days", "days_per_week": 3})
    run_tool(lea_ctx, "remember_fact", {"kind": "availability", "text": "4 days", "days_per_week": 4})
    run_tool(lea_ctx, "remember_fact", {"kind": "injury", "text": "douleur au tendon d'Achille"})
    facts = AthleteFact.objects.filter(athlete=lea_ctx.athlete)
    assert facts.count() == 3
    assert list(facts.filter(kind="availability", active=True).values_list("days_per_week", flat=True)) == [4]


def test_tools_say_not_enough_data_for_a_new_athlete(make_user, store) -> None:
    ctx = ToolContext.for_request(make_user(), today=TODAY)
    for name, args in [("weekly_summary", {}), ("estimate_vma", {}), ("predict_race", {"distance_m": 10000}),
                       ("training_load", {}), ("personal_records", {}), ("recent_activities", {}),
                       ("performance_trends", {}), ("zones_analysis", {})]:  # fmt: skip
        assert run_tool(ctx, name, args).status == "not_enough_data", name
    assert run_tool(ctx, "next_session", {}).status == "not_found"
    assert run_tool(ctx, "adjust_plan", {"reason": "missed"}).status == "not_found"
    assert run_tool(ctx, "activity_analysis", {}).status == "not_found"
    assert PlannedSession.objects.count() == 0
