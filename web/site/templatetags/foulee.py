"""Template filters that show SI values the way runners read them.

Every number goes through :mod:`foulee.formatting`, the one rounding rule (half
up, never truncated) that the admin, the bot and the coach's replies use too:
Django's own ``number_format`` and ``floatformat``-less output slice a float's
decimals, which is how a marathon became "42,1 km".
"""

from __future__ import annotations

import math

from django import template

from foulee import formatting, units

register = template.Library()


def _known(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@register.filter
def km(distance_m: object, digits: int = 2) -> str:
    """Metres as kilometres (no unit), rounded, in the active language's number format."""
    value = _known(distance_m)
    return formatting.UNKNOWN if value is None else formatting.number(units.km(value), digits)


@register.filter
def duration(seconds: object) -> str:
    return formatting.duration(_known(seconds))


@register.filter
def moving_time(activity: object) -> float | None:
    """An activity's moving time, or its elapsed time when the moving time is unknown (the list's
    "Moving time" column: a stop-watch time, manual and results entries give both the same)."""
    moving = getattr(activity, "moving_time_s", None)
    return moving if moving is not None else getattr(activity, "duration_s", None)


@register.filter
def pace(speed_mps: object) -> str:
    """A speed in m/s as a pace per kilometre."""
    return formatting.pace_from_speed(_known(speed_mps))


@register.filter
def number(value: object, digits: int = 1) -> str:
    """A number rounded half up to ``digits`` decimals."""
    return formatting.number(_known(value), digits)


@register.filter
def percent(share: object) -> str:
    """A share (0.25) as "25 %"."""
    return formatting.percent(_known(share))
