"""Template filters that show SI values the way runners read them, through :mod:`foulee.units`."""

from __future__ import annotations

import math

from django import template
from django.utils.formats import number_format

from foulee import units

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
    """Metres as kilometres, in the active language's number format."""
    value = _known(distance_m)
    return "—" if value is None else number_format(units.km(value), digits)


@register.filter
def duration(seconds: object) -> str:
    return units.format_duration(_known(seconds))


@register.filter
def moving_time(activity: object) -> float | None:
    """An activity's moving time, or its elapsed time when the moving time is unknown."""
    moving = getattr(activity, "moving_time_s", None)
    return moving if moving is not None else getattr(activity, "duration_s", None)


@register.filter
def pace(speed_mps: object) -> str:
    """A speed in m/s as a pace per kilometre."""
    value = _known(speed_mps)
    return "—" if value is None else units.format_pace(units.pace_s_per_km(value))


@register.filter
def number(value: object, digits: int = 1) -> str:
    known = _known(value)
    return "—" if known is None else number_format(known, digits)


@register.filter
def percent(share: object) -> str:
    known = _known(share)
    return "—" if known is None else f"{number_format(known * 100, 0)} %"
