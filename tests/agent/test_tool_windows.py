"""The tools honour a window down through the analytics queries, on the demo world's real history."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agent import replies
from agent.context import ToolContext
from agent.tools import run_tool
from analytics import queries
from analytics.db import get_engine
from analytics.queries.trends import SPEED_WINDOW
from tests.agent.conftest import TODAY
from web.activities.models import Activity

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def local_runs(ctx: ToolContext, start: dt.date, end: dt.date) -> list[Activity]:
    return [
        activity
        for activity in Activity.objects.filter(user=ctx.athlete).order_by("-start_time")
        if start <= activity.start_time.astimezone(ctx.timezone).date() <= end
    ]


def running_km(activities: list[Activity]) -> float:
    return round(sum(a.distance_m for a in activities if a.is_running) / 1000.0, 1)


def test_weekly_summary_of_a_window_counts_its_days(lea_ctx: ToolContext) -> None:
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    result = run_tool(lea_ctx, "weekly_summary", {"start": start.isoformat(), "end": end.isoformat()})
    period = result.data["period"]
    october = local_runs(lea_ctx, start, end)
    assert period["distance_km"] == running_km(october) > 0
    assert period["runs"] == sum(a.is_running for a in october)
    text = replies.render(result, "fr")
    assert text.startswith("En octobre : ") and not ISO_DATE.search(text)
    assert replies.render(result, "en").startswith("In October: ")


def test_a_single_day(sam_ctx: ToolContext) -> None:
    day = next(
        a.start_time.astimezone(sam_ctx.timezone).date()
        for a in Activity.objects.filter(user=sam_ctx.athlete).order_by("-start_time")
        if a.is_running and a.start_time.astimezone(sam_ctx.timezone).date() < TODAY - dt.timedelta(days=3)
    )
    summary = run_tool(sam_ctx, "weekly_summary", {"start": day.isoformat(), "end": day.isoformat()})
    assert summary.data["period"]["distance_km"] == running_km(local_runs(sam_ctx, day, day))
    analysis = run_tool(sam_ctx, "activity_analysis", {"start": day.isoformat(), "end": day.isoformat()})
    that_day = [a for a in local_runs(sam_ctx, day, day) if a.is_running]
    assert analysis.status == "ok" and analysis.data["id"] == that_day[0].pk
    english = replies.render(analysis, "en")
    # The judgement first (``agent.judgement.run``), then the run, named by its day.
    verdict, figures = english.splitlines()[:2]
    assert verdict in {you for _, you, _, _ in replies.RUN_VERDICTS.values()}
    assert figures.startswith(f"{day:%A} {day.day} {day:%B}") and not ISO_DATE.search(english)


def test_a_day_without_a_run_says_so(lea_ctx: ToolContext) -> None:
    empty = next(
        day
        for day in (TODAY - dt.timedelta(days=offset) for offset in range(1, 30))
        if not local_runs(lea_ctx, day, day)
    )
    window = {"start": empty.isoformat(), "end": empty.isoformat()}
    analysis = run_tool(lea_ctx, "activity_analysis", window)
    assert analysis.status == "not_found"
    assert replies.render(analysis, "fr").startswith("Je ne trouve aucune sortie ")
    listed = run_tool(lea_ctx, "recent_activities", window)
    assert listed.data["activities"] == [] and "aucune activité" in replies.render(listed, "fr")


def test_recent_activities_of_a_window_are_all_of_them(lea_ctx: ToolContext) -> None:
    start, end = dt.date(2026, 11, 9), dt.date(2026, 11, 22)
    listed = run_tool(lea_ctx, "recent_activities", {"start": start.isoformat(), "end": end.isoformat()})
    assert [row["id"] for row in listed.data["activities"]] == [a.pk for a in local_runs(lea_ctx, start, end)]
    assert len(listed.data["activities"]) > 5  # more than the default five: the window decides


def test_on_monday_and_tuesday_the_summary_gives_the_last_complete_week(lea_ctx: ToolContext) -> None:
    tuesday = ToolContext(lea_ctx.athlete, lea_ctx.actor, "fr", TODAY)
    assert TODAY.weekday() == 1
    result = run_tool(tuesday, "weekly_summary", {})
    monday = TODAY - dt.timedelta(days=1)
    last_week = local_runs(lea_ctx, monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
    assert result.data["early_in_week"] and result.data["last_week"]["distance_km"] == running_km(last_week)
    text = replies.render(result, "fr")
    # The judgement is on the last complete week, then its figures, then the week begun.
    lines = text.splitlines()
    assert lines[0] in {you for you, _, _, _ in replies.WEEK_VERDICTS.values()}
    assert lines[1].startswith("Semaine dernière : ") and lines[2].startswith("Cette semaine (depuis lundi")
    thursday = ToolContext(lea_ctx.athlete, lea_ctx.actor, "fr", TODAY + dt.timedelta(days=2))
    assert "Semaine dernière" not in replies.render(run_tool(thursday, "weekly_summary", {}), "fr")


def test_the_average_counts_complete_weeks_only(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "weekly_summary", {"weeks": 4})
    this_monday = TODAY - dt.timedelta(days=TODAY.weekday())
    complete = local_runs(lea_ctx, this_monday - dt.timedelta(weeks=4), this_monday - dt.timedelta(days=1))
    assert result.data["average_km"] == round(running_km(complete) / 4, 1)
    assert len(result.chart["km"]) == 4 if result.chart else False


def test_a_trend_starts_from_a_full_rolling_mean(sam_ctx: ToolContext) -> None:
    start, end = dt.date(2026, 11, 2), TODAY
    result = run_tool(sam_ctx, "performance_trends", {"start": start.isoformat(), "end": end.isoformat()})
    assert result.status == "ok"
    with get_engine().connect() as conn:
        runs = queries.performance_trends(conn, sam_ctx.athlete.pk, weeks=52, today=TODAY)
    runs = runs.reset_index(drop=True)
    in_window = [index for index, when in enumerate(runs["start_time"]) if when.date() >= start]
    position = in_window[0]
    first_in_window = runs.iloc[position]
    assert position >= SPEED_WINDOW - 1  # history before the window: the mean is of seven runs
    seven = runs["speed_kmh"].iloc[position - SPEED_WINDOW + 1 : position + 1].mean()
    assert result.data["speed_trend_start_kmh"] == pytest.approx(round(seven, 2), abs=0.01)
    assert result.data["speed_trend_start_kmh"] != pytest.approx(round(first_in_window["speed_kmh"], 2))


def test_a_trend_of_too_few_runs_is_not_enough_data(make_user, store) -> None:
    ctx = ToolContext.for_request(make_user(), today=TODAY)
    assert run_tool(ctx, "performance_trends", {}).status == "not_enough_data"


@pytest.mark.parametrize("name", ["zones_analysis", "estimate_vma", "training_load"])
def test_windowed_analyses_say_their_window(lea_ctx: ToolContext, name: str) -> None:
    window = {"start": "2026-10-01", "end": "2026-10-31"}
    result = run_tool(lea_ctx, name, window)
    assert result.status == "ok" and result.data["window"] == window
    french = replies.render(result, "fr")
    assert ("octobre" in french) and not ISO_DATE.search(french)


def test_a_window_upside_down_is_refused(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "weekly_summary", {"start": "2026-11-20", "end": "2026-11-01"})
    assert result.status == "invalid"
