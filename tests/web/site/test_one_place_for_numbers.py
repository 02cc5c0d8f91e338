"""One rounding rule and one zone computation for every reader: pages, admin, the coach's replies.

``foulee.formatting`` rounds half up; these tests render the same values through each
door and check that they read the same (before, templates truncated and the admin used
Python's float formatting, so a marathon read 42,1 km on a page and 42.195 in the admin).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from agent.context import ToolContext
from agent.replies import render
from agent.tools import run_tool
from analytics import metrics
from foulee import formatting
from web.accounts.models import User
from web.activities.models import Activity
from web.plans.models import TrainingPlan

pytestmark = pytest.mark.django_db

#: Distances whose rounding and truncation differ, or where binary floats sit just under the half.
TRICKY_METRES = (42_195.0, 10_845.0, 21_097.5, 5_005.0, 9_999.5, 1_234.5)


def _template(text: str, **context: Any) -> str:
    return Template("{% load foulee %}" + text).render(Context(context))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("metres", TRICKY_METRES)
def test_a_distance_reads_the_same_on_a_page_in_the_admin_and_in_the_coach_reply(
    language: str, metres: float, athlete: User, make_activity: Callable[..., Activity]
) -> None:
    activity = make_activity(
        athlete,
        distance_m=metres,
        moving_time_s=metres / 3.3,
        duration_s=metres / 3.3 + 10,
        avg_speed_mps=3.3,
    )
    activity_admin = admin.site._registry[Activity]
    with translation.override(language):
        expected = formatting.number(metres / 1000.0, 2)
        assert _template("{{ d|km }}", d=metres) == expected
        assert activity_admin.distance_km(activity) == expected  # type: ignore[attr-defined]
        one_digit = formatting.number(metres / 1000.0, 1)
        assert _template("{{ d|km:1 }}", d=metres) == one_digit
    ctx = ToolContext.for_request(athlete, language=language)  # type: ignore[arg-type]
    reply = render(run_tool(ctx, "recent_activities", {}), language)  # type: ignore[arg-type]
    # The activity list shows two decimals; the coach's list of runs says the same figure.
    assert f" {expected} km" in reply


@pytest.mark.parametrize(("language", "expected"), [("fr", "42,2"), ("en", "42.2")])
def test_the_marathon_goal_is_42_2_on_the_page_and_in_the_admin(
    language: str, expected: str, athlete: User
) -> None:
    plan = TrainingPlan(athlete=athlete, name="Marathon", goal_distance_m=42_195.0)
    with translation.override(language):
        assert _template("{{ plan.goal_distance_m|km:1 }}", plan=plan) == expected
        assert admin.site._registry[TrainingPlan].goal_km(plan) == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.9999, 2, "1,00"), (2.5, 0, "3"), (152.5, 0, "153"), (0.125, 2, "0,13")],
)
def test_the_number_filter_rounds_half_up(value: float, digits: int, expected: str) -> None:
    with translation.override("fr"):
        assert _template("{{ v|number:d }}", v=value, d=digits) == expected


def test_the_admin_rounds_heart_rate_and_load(athlete: User, make_activity: Callable[..., Activity]) -> None:
    activity = make_activity(athlete, avg_hr=152.5, training_load=87.5)
    activity_admin: Any = admin.site._registry[Activity]
    assert (activity_admin.heart_rate(activity), activity_admin.load(activity)) == ("153", "88")


def test_a_reply_hour_count_never_reads_60_minutes() -> None:
    from agent.context import ToolResult
    from agent.replies import render

    week = {"week_start": "2026-11-30", "distance_km": 20.0, "runs": 2, "moving_time_h": 1.999}
    data = {"this_week": week, "pace": "5:00 /km", "weeks": 4, "average_km": 20.0}
    reply = render(ToolResult("weekly_summary", "ok", data), "en")
    assert "(2h00, " in reply and "1h60" not in reply


def test_zone_bounds_are_whole_bpm_rounded_half_up() -> None:
    # Karvonen at rest 60, max 179: zone 1 from 60 + 0.5 × 119 = 119.5 bpm.
    zones = metrics.karvonen_zones(179, 60)
    assert zones[0].low == pytest.approx(119.5)
    assert (zones[0].low_bpm, zones[0].high_bpm) == (120, 131)
    assert metrics.whole_bpm(120.5) == 121  # half up, not to even


def _profile_zone_one(html: str) -> tuple[int, int]:
    match = re.search(r"Zone 1</th><td>(\d+)</td><td>(\d+)</td>", html)
    assert match is not None, "the profile page shows no zone 1 row"
    return int(match.group(1)), int(match.group(2))


def test_zone_one_is_the_same_on_the_profile_page_in_the_chat_and_in_the_tool(
    login: Callable[[User], Any],
    athlete: User,
    make_activity: Callable[..., Activity],
    synced: Callable[[], Any],
) -> None:
    profile = athlete.profile
    profile.hr_max, profile.hr_rest, profile.language = 179, 60, "en"
    profile.save()
    today = dt.datetime.now(dt.UTC)
    make_activity(athlete, start_time=today - dt.timedelta(days=2), avg_hr=140.0, max_hr=160.0)
    synced()
    page = login(athlete).get(reverse("site:profile"), HTTP_ACCEPT_LANGUAGE="en")
    on_page = _profile_zone_one(page.content.decode())
    result = run_tool(ToolContext.for_request(athlete, language="en"), "zones_analysis", {})
    assert result.status == "ok", result.data
    in_tool = (result.data["zones"][0]["low_bpm"], result.data["zones"][0]["high_bpm"])
    in_reply = re.search(r"Z1 recovery: (\d+)–(\d+) bpm", render(result, "en"))
    assert in_reply is not None
    assert on_page == in_tool == (int(in_reply.group(1)), int(in_reply.group(2))) == (120, 131)
