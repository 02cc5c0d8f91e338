"""Numbers, distances, times and dates as a reader of the active language reads them.

Every channel (web pages, bot messages, coach replies, charts) formats through
this module, inside ``translation.override(language)`` (or a request's active
language), so that a marathon reads "42,2 km" in French and "42.2 km" in
English everywhere, and a date in prose reads "jeudi 3 décembre" / "Thu 3 Dec".

Decision: numbers are *rounded* half up to the digits shown, never truncated.
Django's ``number_format`` slices the decimal part of a float ("42.195" shown
with one digit is "42.1"), so values are quantised with :class:`decimal.Decimal`
before Django adds the language's separators.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from django.utils import dateformat, formats
from django.utils.translation import gettext as _

from foulee import units

#: What a missing value shows as, on every channel.
UNKNOWN: Final = "—"


def rounded(value: float, digits: int = 1) -> Decimal:
    """``value`` rounded half up to ``digits`` decimals (``Decimal``, so no float artefacts)."""
    exponent = Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1)
    return Decimal(repr(float(value))).quantize(exponent, rounding=ROUND_HALF_UP)


def round_half_up(value: float, digits: int = 0) -> float:
    """:func:`rounded` as a float, for the figures a tool or an API hands on (Python's ``round`` rounds
    half to even on the binary value: ``round(10.845, 2)`` is 10.84 where every page shows 10,85)."""
    return float(rounded(value, digits))


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def number(value: float | None, digits: int = 1) -> str:
    """A number rounded to ``digits`` decimals with the active language's decimal separator."""
    known = _finite(value)
    if known is None:
        return UNKNOWN
    return str(formats.number_format(rounded(known, digits), digits))


def integer(value: float | None) -> str:
    """A whole number, rounded half up."""
    return number(value, 0)


def percent(share: float | None, digits: int = 0) -> str:
    """A share (0.25) as a percentage ("25 %"; French and English both put a space before %)."""
    known = _finite(share)
    return UNKNOWN if known is None else f"{number(known * 100, digits)} %"


def km(distance_m: float | None, digits: int = 1) -> str:
    """Metres as kilometres with the unit: "42,2 km"."""
    known = _finite(distance_m)
    if known is None:
        return UNKNOWN
    return _("%(km)s km") % {"km": number(units.km(known), digits)}


def kmh(speed_kmh: float | None, digits: int = 1) -> str:
    """A speed already in km/h, with the unit: "16,5 km/h"."""
    known = _finite(speed_kmh)
    return UNKNOWN if known is None else _("%(speed)s km/h") % {"speed": number(known, digits)}


def bpm(heart_rate: float | None) -> str:
    """A heart rate with its unit: "152 bpm"."""
    known = _finite(heart_rate)
    return UNKNOWN if known is None else _("%(bpm)s bpm") % {"bpm": integer(known)}


def duration(seconds: float | None) -> str:
    """``1:02:03`` above an hour, ``2:03`` below (the same in both languages)."""
    return units.format_duration(_finite(seconds))


def pace(seconds_per_km: float | None) -> str:
    """``5:07 /km``."""
    return units.format_pace(_finite(seconds_per_km))


def pace_from_speed(speed_mps: float | None) -> str:
    """A speed in m/s as a pace per kilometre."""
    known = _finite(speed_mps)
    return UNKNOWN if known is None else pace(units.pace_s_per_km(known))


def day(value: dt.date, *, year: bool = False) -> str:
    """A day in prose: "Thu 3 Dec" / "jeudi 3 décembre" (with its year when ``year``)."""
    # Translators: a day in prose, with or without its year, in Django's date format syntax
    # (https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date).
    pattern = _("D j M Y") if year else _("D j M")
    return str(dateformat.format(value, pattern))


def long_day(value: dt.date, *, year: bool = False) -> str:
    """A day written out in a sentence: "Thursday 12 November" / "jeudi 12 novembre" (year when ``year``)."""
    # Translators: a day written out in a sentence, in Django's date format syntax.
    pattern = _("l j F Y") if year else _("l j F")
    return str(dateformat.format(value, pattern))


def month(value: dt.date, *, year: bool = False) -> str:
    """A month in a sentence: "November" / "novembre" (with its year when ``year``)."""
    # Translators: a month in a sentence, in Django's date format syntax.
    pattern = _("F Y") if year else _("F")
    return str(dateformat.format(value, pattern))


def day_near(value: dt.date, today: dt.date) -> str:
    """A day relative to ``today`` when close ("today", "yesterday", "tomorrow"), else :func:`day`.

    The year is added only when the day is not in ``today``'s year.
    """
    offset = (value - today).days
    if offset == 0:
        return _("today")
    if offset == -1:
        return _("yesterday")
    if offset == 1:
        return _("tomorrow")
    return day(value, year=value.year != today.year)


def time_of_day(value: dt.datetime | dt.time) -> str:
    """A clock time: "07:30" (24-hour in both languages)."""
    return f"{value.hour:02d}:{value.minute:02d}"
