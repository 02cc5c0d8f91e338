"""Argument extraction: distances, durations, dates and counts in the forms people write them."""

from __future__ import annotations

import datetime as dt

import pytest

from agent import extract
from foulee.language import detect_language

TODAY = dt.date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("10k", 10_000.0), ("10 km", 10_000.0), ("10K ce week-end", 10_000.0), ("semi", 21_097.5),
        ("un semi-marathon", 21_097.5), ("half marathon", 21_097.5), ("marathon", 42_195.0),
        ("5000 m", 5_000.0), ("5000m", 5_000.0), ("21,1 km", 21_100.0), ("8 miles", 8 * 1609.344),
        ("10 bornes", 10_000.0), ("the mile", 1609.344),
    ],
)  # fmt: skip
def test_distances(text: str, metres: float) -> None:
    assert extract.parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["20 km/h", "45 min", "1h45", "bonjour"])
def test_no_distance_where_there_is_none(text: str) -> None:
    assert extract.parse_distance(text) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h45", 6300.0), ("1:45:00", 6300.0), ("45 min", 2700.0), ("en 1h05", 3900.0), ("45'30", 2730.0),
        ("3h", 10_800.0), ("1 h 30", 5400.0), ("49:30", 2970.0), ("1:58:30", 7110.0), ("90 minutes", 5400.0),
    ],
)  # fmt: skip
def test_durations(text: str, seconds: float) -> None:
    assert extract.parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "prefer", "day"),
    [
        ("dans 8 semaines", "future", dt.date(2027, 1, 19)),
        ("in 3 weeks", "future", dt.date(2026, 12, 15)),
        ("le 12 avril", "future", dt.date(2027, 4, 12)),
        ("April 12th", "future", dt.date(2027, 4, 12)),
        ("le 12 avril", "past", dt.date(2026, 4, 12)),
        ("next Sunday", "future", dt.date(2026, 11, 29)),
        ("dimanche prochain", "future", dt.date(2026, 11, 29)),
        ("dimanche", "past", dt.date(2026, 11, 22)),
        ("last saturday", "past", dt.date(2026, 11, 21)),
        ("hier", "past", dt.date(2026, 11, 23)),
        ("avant-hier", "past", dt.date(2026, 11, 22)),
        ("2027-03-14", "future", dt.date(2027, 3, 14)),
        ("14/02/2027", "future", dt.date(2027, 2, 14)),
        ("le 31 février", "future", None),
    ],
)
def test_dates(text: str, prefer: str, day: dt.date | None) -> None:
    assert extract.parse_date(text, TODAY, prefer=prefer) == day  # type: ignore[arg-type]


def test_counts_and_heart_rates() -> None:
    assert extract.parse_days_per_week("je peux courir 3 jours par semaine") == 3
    assert extract.parse_days_per_week("four times a week") == 4
    assert extract.parse_days_per_week("9 jours par semaine") is None
    assert extract.parse_day_span("malade depuis 4 jours") == 4
    assert extract.parse_day_span("sick for a week") == 7
    assert extract.parse_heart_rates("FC max 190, repos 50") == {"hr_max": 190, "hr_rest": 50}
    assert extract.parse_heart_rates("my resting heart rate is 55 bpm") == {"hr_rest": 55}


@pytest.mark.parametrize(
    ("text", "prior", "language"),
    [
        ("Comment s'est passée ma semaine ?", "en", "fr"),
        ("How did my week go?", "fr", "en"),
        ("je suis fatigué", "en", "fr"),
        ("10k?", "en", "en"),
        ("10k?", "fr", "fr"),
        ("¿Cuánto corrí esta semana?", "fr", "other"),
        ("Wie viel bin ich diese Woche gelaufen?", "en", "other"),
        ("Quanto ho corso questa settimana?", "fr", "other"),
        # No stop word and no accent: the letters decide, against the prior.
        ("grosse fatigue apres fractionne", "en", "fr"),
        ("jambes lourdes depuis lundi", "en", "fr"),
        ("allure marathon trop dure", "en", "fr"),
        ("chui creve", "en", "fr"),
        ("legs feel heavy since monday", "fr", "en"),
        ("knee feels sore", "fr", "en"),
        ("cramps at km 30", "fr", "en"),
        # A few letters both languages write leave it to the prior; one stop word settles it.
        ("ok", "fr", "fr"),
        ("ok", "en", "en"),
        ("ok merci", "en", "fr"),
    ],
)
def test_language(text: str, prior: str, language: str) -> None:
    assert detect_language(text, prior=prior) == language  # type: ignore[arg-type]
