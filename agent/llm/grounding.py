"""The numbers check: every figure a model writes must come from the turn's tool results.

A model that writes "a half marathon in 10:45" or "an average HR of 240" is caught here, before the
athlete reads it. The reply's figures are read as numbers (``4:35`` and ``1:45:00`` as clock
durations, in seconds) and each one must be derivable from a number found in the tool results
(their values, and the numbers inside their strings: "5:07 /km", ISO dates) or in the athlete's
own message, through the conversions the coach itself uses (``foulee.units``):

* metres ↔ kilometres, seconds ↔ minutes ↔ hours, m/s ↔ km/h, m/s → pace per km,
  a share ↔ a percentage;
* rounding to any precision down to the integer (what ``foulee.formatting`` prints), and a clock
  time printed without its seconds ("1:45" for 1:45:12).

Small counts (0 to ``FREE_INTEGER_MAX``: "3 séances", "zone 2", "1 semaine") are free: they are
words more than figures, and no tool result holds every count a sentence can use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from foulee import units

#: Integers up to this one are not checked (counts, zone numbers, "1 or 2 easy runs").
FREE_INTEGER_MAX: Final = 10

#: A clock time (h:mm:ss, m:ss, mm'ss) or a decimal number (point or comma), not inside a word.
_FIGURE: Final = re.compile(
    r"(?<![\w.,:])(?:(\d{1,3}):(\d{2}):(\d{2})|(\d{1,3})[:'’h](\d{2})(?![\d:])|(\d+(?:[.,]\d+)?))(?![\w])",
)
_DATE: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class Figure:
    """One figure of a reply: as written, its value, and how precisely it was written."""

    text: str
    value: float
    #: The largest error a rounding to the written precision can make (0.5 for "12", 0.05 for "12.3").
    tolerance: float
    clock: bool = False


def figures(text: str) -> list[Figure]:
    """The figures ``text`` states, in order; ISO dates count as their year, month and day."""
    found: list[Figure] = []
    text = _DATE.sub(lambda match: " ".join(str(int(part)) for part in match.groups()), text)
    for match in _FIGURE.finditer(text):
        hours, minutes, seconds, first, second, number = match.groups()
        if hours is not None:
            value = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
            found.append(Figure(match.group(0), float(value), 0.5, clock=True))
        elif first is not None:
            # "4:35" is m:ss (a pace, a short time) or h:mm (a long one): the value in seconds of
            # m:ss here; ``_clock_matches`` also tries h:mm.
            found.append(Figure(match.group(0), float(int(first) * 60 + int(second)), 0.5, clock=True))
        else:
            written = number.replace(",", ".")
            decimals = len(written.partition(".")[2])
            found.append(Figure(match.group(0), float(written), 0.5 * 10**-decimals))
    return found


def _numbers(value: Any) -> Iterator[float]:
    """Every number in a tool result: its values and the figures inside its strings."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if math.isfinite(value):
            yield float(value)
    elif isinstance(value, str):
        for figure in figures(value):
            yield figure.value
            if figure.clock and ":" in figure.text and figure.text.count(":") == 1:
                yield figure.value * 60  # "1:45" read as h:mm
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)


def _derived(value: float) -> Iterator[float]:
    """``value`` and what the coach's conversions make of it (``foulee.units``)."""
    yield value
    yield units.km(value)  # metres → km
    yield value * units.METRES_PER_KM  # km → metres
    yield value / 60  # seconds → minutes, minutes → hours
    yield value * 60  # minutes → seconds, hours → minutes
    yield value / units.SECONDS_PER_HOUR  # seconds → hours
    yield value * units.SECONDS_PER_HOUR  # hours → seconds
    yield units.kmh(value)  # m/s → km/h
    yield value / units.MPS_TO_KMH  # km/h → m/s
    yield value * 100  # a share → a percentage
    yield value / 100
    if value > 0:
        pace = units.pace_s_per_km(value)  # m/s → s/km
        if pace is not None:
            yield pace
        yield units.SECONDS_PER_HOUR / value  # km/h → s/km, s/km → km/h


def allowed_values(results: Iterable[Any], said: str = "") -> list[float]:
    """What a reply may state after ``results`` (``ToolResult.for_model()`` dicts) and ``said``."""
    values = {round(derived, 6) for number in _numbers(list(results)) for derived in _derived(number)}
    values.update(figure.value for figure in figures(said))
    return sorted(values)


def _matches(figure: Figure, allowed: list[float]) -> bool:
    if figure.clock:
        # A clock time: to the second, or to the minute when its seconds were dropped, or as h:mm.
        targets = [(figure.value, 1.0), (figure.value * 60, 60.0)]
    else:
        # Written with fewer decimals than the result holds, or truncated to the integer.
        targets = [(figure.value, figure.tolerance + 1e-9)]
        if figure.tolerance >= 0.5:
            targets.append((figure.value + 0.5, 0.5))
    return any(abs(candidate - target) <= slack for target, slack in targets for candidate in allowed)


def unsupported(reply: str, results: Iterable[Any], said: str = "") -> list[str]:
    """The figures of ``reply`` that no tool result (nor the athlete's message ``said``) supports."""
    allowed = allowed_values(results, said)
    return [
        figure.text
        for figure in figures(reply)
        if not (not figure.clock and figure.value.is_integer() and 0 <= figure.value <= FREE_INTEGER_MAX)
        and not _matches(figure, allowed)
    ]


def stated(value: float, said: str) -> bool:
    """Whether a figure of ``said`` (the athlete's message) gives ``value``: as written, or as the
    metres of its kilometres or the seconds of its minutes or hours ("10 km", "50 min", "1h45").

    Narrower than what a reply may derive: an athlete's "50 min" is not a heart rate of 180 (50 x 3.6).
    """
    allowed: list[float] = []
    for figure in figures(said):
        allowed += [figure.value, figure.value * units.METRES_PER_KM, figure.value * 60]
        allowed += [figure.value * units.SECONDS_PER_HOUR]
    return any(abs(candidate - value) <= max(0.5, abs(value) * 1e-6) for candidate in allowed)
