"""Which weekday gets what: the week's layout from the athlete's availability.

A plan week is the same weekday pattern every week: the long run on Sunday when the athlete can run
then (else Saturday, else their last free day), the other runs spread over the free days, the hard
sessions (``rules.HARD_SESSIONS_MAX``) on days that never touch each other, across the week's end too
(Sunday and Monday are neighbours), and away from the long run when the days allow.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from web.plans import rules

DEFAULT_DAYS_PER_WEEK: Final = 3
ALL_DAYS: Final = frozenset(range(7))
#: Days (Monday = 0) for each number of runs a week when every day is free.
SPREAD: Final = {
    1: (6,),
    2: (2, 6),
    3: (1, 3, 6),
    4: (1, 3, 5, 6),
    5: (0, 1, 3, 4, 6),
    6: (0, 1, 2, 3, 4, 6),
    7: (0, 1, 2, 3, 4, 5, 6),
}
_NAMES: Final = {
    0: ("lundi", "monday", "lun", "mon"),
    1: ("mardi", "tuesday", "tue"),
    2: ("mercredi", "wednesday", "wed", "mer"),
    3: ("jeudi", "thursday", "thu", "jeu"),
    4: ("vendredi", "friday", "fri", "ven"),
    5: ("samedi", "saturday", "sat", "sam"),
    6: ("dimanche", "sunday", "sun", "dim"),
}
_WEEKDAYS_ONLY: Final = re.compile(
    r"\b(weekdays?(?: only)?|en semaine|la semaine seulement|pas le (?:week-?end|we)|"
    r"not (?:on )?(?:the )?weekends?|no weekends?|du lundi au vendredi|monday to friday)\b"
)
_WEEKENDS_ONLY: Final = re.compile(r"\b(weekends? only|que le (?:week-?end|we)|only (?:on )?weekends?)\b")


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


def available_weekdays(text: str) -> frozenset[int] | None:
    """The weekdays a sentence names ("mardi, jeudi et dimanche", "weekdays only"); None if none."""
    words = _normalise(text)
    if _WEEKDAYS_ONLY.search(words):
        return frozenset(range(5))
    if _WEEKENDS_ONLY.search(words):
        return frozenset((5, 6))
    found = {
        day for day, names in _NAMES.items() if any(re.search(rf"\b{name}s?\b", words) for name in names)
    }
    return frozenset(found) or None


def sessions_a_week(days_per_week: int | None) -> int:
    """The runs a week a plan has: the number asked for, within 1 to 7, or the default."""
    return min(7, max(1, days_per_week or DEFAULT_DAYS_PER_WEEK))


@dataclass(frozen=True)
class WeekLayout:
    """The weekdays of the runs, which one is the long run and which may be hard."""

    days: tuple[int, ...]
    long_day: int
    hard_days: tuple[int, ...]


def gap(a: int, b: int) -> int:
    """Days between two weekdays, around the week (Sunday and Monday are 1 apart)."""
    return min((a - b) % 7, (b - a) % 7)


def _long_day(free: frozenset[int]) -> int:
    for day in (6, 5):
        if day in free:
            return day
    return max(free)


def _spread(free: frozenset[int], count: int, long_day: int) -> tuple[int, ...]:
    """``count`` free days including ``long_day``, as far apart as can be."""
    if free == ALL_DAYS and long_day == 6:
        return SPREAD[count]
    others = sorted(free - {long_day})
    best: tuple[int, ...] = ()
    best_score = (-1, -1)
    for combo in itertools.combinations(others, count - 1):
        chosen = (*combo, long_day)
        gaps = [gap(a, b) for a, b in itertools.combinations(chosen, 2)] or [7]
        score = (min(gaps), sum(gaps))
        if score > best_score:
            best, best_score = chosen, score
    return tuple(sorted(best))


def _hard_days(days: tuple[int, ...], long_day: int, count: int) -> tuple[int, ...]:
    """Up to ``count`` days that are not neighbours, preferring days away from the long run."""
    candidates = [day for day in days if day != long_day]
    for size in range(min(count, len(candidates)), 0, -1):
        options = [
            combo
            for combo in itertools.combinations(candidates, size)
            if all(gap(a, b) > 1 for a, b in itertools.combinations(combo, 2))
        ]
        if options:
            best = max(
                options,
                key=lambda combo: (
                    min(gap(day, long_day) for day in combo),
                    min((gap(a, b) for a, b in itertools.combinations(combo, 2)), default=7),
                ),
            )
            return tuple(sorted(best))
    return ()


def week_layout(days_per_week: int | None, free: frozenset[int] | None = None) -> WeekLayout:
    """The week's pattern for ``days_per_week`` runs on the ``free`` weekdays (all when None)."""
    free_days = free or ALL_DAYS
    count = min(sessions_a_week(days_per_week), len(free_days))
    long_day = _long_day(free_days)
    days = _spread(free_days, count, long_day)
    hard = _hard_days(days, long_day, rules.hard_sessions_max(count)) if count >= 2 else ()
    return WeekLayout(days=days, long_day=long_day, hard_days=hard)
