"""Template filters that show SI values the way runners read them.

Every number goes through :mod:`foulee.formatting`, the one rounding rule (half
up, never truncated) that the admin, the bot and the coach's replies use too:
Django's own ``number_format`` and ``floatformat``-less output slice a float's
decimals, which is how a marathon became "42,1 km".
"""

from __future__ import annotations

import math

from django import template
from django.utils.translation import gettext as _

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


@register.filter
def steps(structure: object) -> list[str]:
    """A session's structure (``PlannedSession.structure``) as one line a step, in the active language."""
    lines: list[str] = []
    if not isinstance(structure, list):
        return lines
    for step in structure:
        if not isinstance(step, dict):
            continue
        distance = km(step.get("distance_m"), 1)
        pace = step.get("pace")
        at = _(" at %(pace)s /km") % {"pace": duration(pace)} if pace else ""
        kind = step.get("kind")
        if kind == "warmup":
            lines.append(_("Warm-up %(km)s km") % {"km": distance} + at)
        elif kind == "cooldown":
            lines.append(_("Cool-down %(km)s km") % {"km": distance} + at)
        elif kind == "reps":
            rep = f"{step.get('reps')} × {formatting.number(float(step.get('distance_m') or 0), 0)} m"
            recovery = _(", %(m)s m jog between") % {
                "m": formatting.number(float(step.get("recovery_m") or 0), 0)
            }
            lines.append(rep + at + recovery)
        elif kind == "work":
            lines.append(_("%(km)s km") % {"km": distance} + at)
    return lines
