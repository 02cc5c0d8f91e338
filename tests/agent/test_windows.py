"""Time windows named in a message, FR and EN, and how a follow-up moves them (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from agent import windows
from agent.offline import extract_arguments

THURSDAY = dt.date(2026, 12, 10)
MONDAY = dt.date(2026, 12, 7)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "today", "start", "end"),
    [
        ("j'ai couru combien cette semaine", THURSDAY, "2026-12-07", "2026-12-10"),
        ("bilan de la semaine derniere stp", THURSDAY, "2026-11-30", "2026-12-06"),
        ("how was the previous week", THURSDAY, "2026-11-30", "2026-12-06"),
        ("and the week before last", THURSDAY, "2026-11-23", "2026-11-29"),
        ("mon volume ce mois-ci", THURSDAY, "2026-12-01", "2026-12-10"),
        ("how many k did i log last month", THURSDAY, "2026-11-01", "2026-11-30"),
        ("le mois dernier j'ai fait combien", dt.date(2027, 1, 5), "2026-12-01", "2026-12-31"),
        ("mes km en septembre", THURSDAY, "2026-09-01", "2026-09-30"),
        # A month still to come this year is last year's.
        ("what did I run in february", THURSDAY, "2026-02-01", "2026-02-28"),
        ("et en decembre ?", dt.date(2027, 3, 1), "2026-12-01", "2026-12-31"),
        ("depuis octobre je progresse ?", THURSDAY, "2026-10-01", "2026-12-10"),
        ("since the 2nd of november", THURSDAY, "2026-11-02", "2026-12-10"),
        ("ces 3 dernières semaines", THURSDAY, "2026-11-20", "2026-12-10"),
        ("over the past fortnight", THURSDAY, "2026-11-27", "2026-12-10"),
        ("les 10 derniers jours", THURSDAY, "2026-12-01", "2026-12-10"),
        ("over the last 2 months", THURSDAY, "2026-10-11", "2026-12-10"),
        ("il y a deux semaines", THURSDAY, "2026-11-23", "2026-11-29"),
        ("cette annee", THURSDAY, "2026-01-01", "2026-12-10"),
        ("le weekend dernier", THURSDAY, "2026-12-05", "2026-12-06"),
        ("la semaine du 16 novembre", THURSDAY, "2026-11-16", "2026-11-22"),
        # Single days: a weekday is the last one (today on that day), a date the last one.
        ("mon fractionné de mardi", THURSDAY, "2026-12-08", "2026-12-08"),
        ("my run on Thursday", THURSDAY, "2026-12-10", "2026-12-10"),
        ("jeudi dernier", THURSDAY, "2026-12-03", "2026-12-03"),
        ("le 12 novembre", THURSDAY, "2026-11-12", "2026-11-12"),
        ("11/10", THURSDAY, "2026-10-11", "2026-10-11"),
        ("la sortie d'hier", MONDAY, "2026-12-06", "2026-12-06"),
        ("le 20 decembre", THURSDAY, "2025-12-20", "2025-12-20"),
    ],
)
def test_windows_named_in_a_message(text: str, today: dt.date, start: str, end: str) -> None:
    window = windows.parse_window(text, today)
    assert window is not None, text
    assert (window.start, window.end) == (d(start), d(end))


@pytest.mark.parametrize(
    "text",
    [
        "how was my week",
        "may I ask something",
        "plan marathon dans 3 semaines",
        "j'ai couru 8 km en 45 min",
        "sept fractionnés de 400 m",
        "what's my VMA",
        "demain je cours",
    ],
)
def test_no_window_is_guessed(text: str) -> None:
    assert windows.parse_window(text, THURSDAY) is None


def test_a_window_never_ends_after_today() -> None:
    window = windows.parse_window("this month", THURSDAY)
    assert window is not None and window.end == THURSDAY
    assert windows.shift(windows.week_of(THURSDAY, THURSDAY), 1, THURSDAY) is None


@pytest.mark.parametrize(
    ("start", "end", "steps", "moved"),
    [
        ("2026-11-30", "2026-12-06", -1, ("2026-11-23", "2026-11-29")),
        ("2026-11-23", "2026-11-29", 1, ("2026-11-30", "2026-12-06")),
        ("2026-11-30", "2026-12-06", 1, ("2026-12-07", "2026-12-10")),  # this week, so far
        ("2026-11-01", "2026-11-30", -1, ("2026-10-01", "2026-10-31")),
        ("2026-12-03", "2026-12-03", -1, ("2026-12-02", "2026-12-02")),
        ("2026-11-27", "2026-12-10", -1, ("2026-11-13", "2026-11-26")),  # a fortnight moves by one
    ],
)
def test_a_follow_up_moves_a_window_by_its_unit(
    start: str, end: str, steps: int, moved: tuple[str, str]
) -> None:
    unit = windows.unit_of(d(start), d(end), THURSDAY)
    shifted = windows.shift(windows.Window(d(start), d(end), unit), steps, THURSDAY)
    assert shifted is not None and (shifted.start, shifted.end) == (d(moved[0]), d(moved[1]))


@pytest.mark.parametrize(
    "intent",
    [
        "weekly_summary",
        "performance_trends",
        "zones_analysis",
        "estimate_vma",
        "training_load",
        "recent_activities",
        "activity_analysis",
    ],
)
def test_every_windowed_tool_gets_start_and_end_as_dates(intent: str) -> None:
    args = extract_arguments(intent, "et la semaine dernière ?", THURSDAY)
    assert args["start"] == d("2026-11-30") and args["end"] == d("2026-12-06")
    assert isinstance(args["start"], dt.date) and "weeks" not in args


def test_tools_without_a_window_get_none() -> None:
    assert "start" not in extract_arguments("predict_race", "un semi la semaine dernière ?", THURSDAY)
    assert extract_arguments("weekly_summary", "comment s'est passée ma semaine ?", THURSDAY) == {}
