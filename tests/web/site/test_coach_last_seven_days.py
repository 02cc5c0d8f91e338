"""The coach's list of athletes shows the last 7 days of running, not the calendar week (0 on Mondays)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from analytics.queries import recent_running
from foulee import formatting
from web.accounts.models import User
from web.activities.models import Activity
from web.site import insights

pytestmark = pytest.mark.django_db

#: A Monday: the calendar week has just begun.
MONDAY = dt.date(2026, 11, 30)


def _run_on(make: Callable[..., Activity], athlete: User, day: dt.date, metres: float) -> None:
    start = dt.datetime.combine(day, dt.time(11, 0), tzinfo=dt.UTC)
    seconds = metres / 3.0
    make(
        athlete,
        start_time=start,
        distance_m=metres,
        moving_time_s=seconds,
        duration_s=seconds + 5,
        avg_speed_mps=3.0,
    )


def test_on_a_monday_the_glance_counts_the_last_seven_days(
    athlete: User, make_activity: Callable[..., Activity], synced: Callable[[], Any], store: Any
) -> None:
    _run_on(make_activity, athlete, MONDAY - dt.timedelta(days=1), 12_000)  # Sunday
    _run_on(make_activity, athlete, MONDAY - dt.timedelta(days=6), 8_000)  # last Tuesday: day 7 of 7
    _run_on(make_activity, athlete, MONDAY - dt.timedelta(days=7), 30_000)  # 8 days ago: out
    synced()
    seen = insights.glance(athlete.pk, MONDAY)
    assert seen.week_km == pytest.approx(20.0) and seen.week_runs == 2
    with store.connect() as conn:
        recent = recent_running(conn, athlete.pk, today=MONDAY)
    assert (recent.first_day, recent.last_day) == (MONDAY - dt.timedelta(days=6), MONDAY)


def test_the_coach_page_names_the_window_and_shows_its_kilometres(
    login: Callable[[User], Any],
    coach: User,
    athlete: User,
    make_activity: Callable[..., Activity],
    synced: Callable[[], Any],
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    _run_on(make_activity, athlete, today - dt.timedelta(days=2), 10_450)
    _run_on(make_activity, athlete, today - dt.timedelta(days=5), 5_000)
    synced()
    client = login(coach)
    page = client.get(reverse("site:coach"), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "7 derniers jours (km)" in html and "Cette semaine" not in html
    with translation.override("fr"):
        assert f'<td class="num">{formatting.number(15.45, 1)}</td>' in html  # 15,5: rounded, not 15,4
