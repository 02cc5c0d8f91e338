"""Numbers are rounded (never truncated) and days read as prose, in each language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from foulee import formatting


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "42,2 km"), ("en", "42.2 km")],
)
def test_a_marathon_is_rounded_not_truncated(language: str, expected: str) -> None:
    with translation.override(language):
        assert formatting.km(42_195.0) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(10.845, 2, "10.85"), (0.05, 1, "0.1"), (2.5, 0, "3"), (-1.25, 1, "-1.3"), (7.0, 1, "7.0")],
)
def test_numbers_round_half_up(value: float, digits: int, expected: str) -> None:
    with translation.override("en"):
        assert formatting.number(value, digits) == expected


def test_unknown_values_show_a_dash() -> None:
    assert formatting.number(None) == formatting.UNKNOWN
    assert formatting.km(float("nan")) == formatting.UNKNOWN
    assert formatting.pace_from_speed(0.0) == formatting.UNKNOWN


@pytest.mark.parametrize(
    ("language", "expected", "with_year"),
    [
        ("fr", "jeudi 3 décembre", "jeudi 3 décembre 2026"),
        ("en", "Thu 3 Dec", "Thu 3 Dec 2026"),
    ],
)
def test_days_read_as_prose(language: str, expected: str, with_year: str) -> None:
    thursday = dt.date(2026, 12, 3)
    with translation.override(language):
        assert formatting.day(thursday) == expected
        assert formatting.day(thursday, year=True) == with_year


def test_days_near_today_are_named_and_other_years_carry_theirs() -> None:
    today = dt.date(2026, 12, 6)
    with translation.override("fr"):
        assert formatting.day_near(today, today) == "aujourd’hui"
        assert formatting.day_near(today - dt.timedelta(days=1), today) == "hier"
        assert formatting.day_near(dt.date(2025, 12, 31), today) == "mercredi 31 décembre 2025"
    with translation.override("en"):
        assert formatting.day_near(today + dt.timedelta(days=1), today) == "tomorrow"
        assert formatting.day_near(dt.date(2026, 11, 30), today) == "Mon 30 Nov"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(2.5, "0:03"), (3.5, "0:04"), (59.5, "1:00"), (3599.5, "1:00:00"), (3723.49, "1:02:03"), (None, "—")],
)
def test_durations_round_half_up_never_to_even(seconds: float | None, shown: str) -> None:
    assert formatting.duration(seconds) == shown
