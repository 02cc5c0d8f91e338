"""Race distances: the standard races, their names, how people write them, and what a race may be.

One place for each of these facts. The coach's argument parser (``agent.extract``), the best
efforts searched in every run (``analytics.efforts``), the plan form's goal races, the distances
predicted on the dashboard, by the offline coach and by the bot's keyboard, the labels of the web
pages and the coach's replies, and the bounds the predictions, the tools and the API put on a race
distance all read them here.

Distances are World Athletics' road distances, in metres; the half marathon is exactly half of
the marathon's 42.195 km. Names are Django translations (``web/locale``), read in the active
language: ``translation.override(language)`` around a reply, the request's language on a page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ONE_KM_M: Final = 1_000.0
MILE_M: Final = 1_609.344
FIVE_K_M: Final = 5_000.0
TEN_K_M: Final = 10_000.0
HALF_MARATHON_M: Final = 21_097.5
MARATHON_M: Final = 42_195.0

#: A race distance anywhere in Foulée (a prediction, a tool's argument, the API): from a track
#: 400 m to a 100 km ultra; the predictions' formulas (Riegel, Daniels) are not meant beyond.
RACE_DISTANCE_MIN_M: Final = 400.0
RACE_DISTANCE_MAX_M: Final = 100_000.0
#: The bounds as a message says them.
BOUNDS_IN_WORDS: Final = f"{RACE_DISTANCE_MIN_M:g} m to {RACE_DISTANCE_MAX_M / 1000:g} km"


@dataclass(frozen=True)
class Race:
    """A standard distance, its names, and the words that name it in a message."""

    metres: float
    #: As a title, a choice or a table's row: "Half marathon" / "Semi-marathon".
    label: Promise
    #: Inside a sentence, where the distance is a word ("ton semi-marathon"); None where the
    #: distance reads as itself ("5 km").
    in_prose: Promise | None = None
    #: How athletes write it in French or English, typos included, in lower case; None where a
    #: number of km says it ("10k", "10 km": ``agent.extract`` reads those).
    written: re.Pattern[str] | None = None


ONE_KM: Final = Race(ONE_KM_M, _("1 km"))
MILE: Final = Race(MILE_M, _("1 mile"), written=re.compile(r"\b(?:the|a|un|le)\s+(mile)\b"))
FIVE_K: Final = Race(FIVE_K_M, _("5 km"))
TEN_K: Final = Race(TEN_K_M, _("10 km"))
HALF_MARATHON: Final = Race(
    HALF_MARATHON_M,
    _("Half marathon"),
    _("half marathon"),
    re.compile(r"\b(semi[- ]?marathon|semi|half[- ]?marathon|half)\b"),
)
MARATHON: Final = Race(
    MARATHON_M,
    _("Marathon"),
    _("marathon"),
    # "a full" is a marathon ("and a full?"), "a full 10k" is not.
    re.compile(r"\b(marathon|marath?on|marahton)\b|\b(?:a|the|le|un)\s+(full)\b(?!\s*(?:\d|[a-z]+ ?k\b))"),
)

#: Every standard distance, shortest first.
RACES: Final = (ONE_KM, MILE, FIVE_K, TEN_K, HALF_MARATHON, MARATHON)
#: The road races runners train for and ask about: a plan's goal, the predictions shown by default.
GOAL_RACES: Final = (FIVE_K, TEN_K, HALF_MARATHON, MARATHON)
#: The distances every imported run is searched for as a best effort (a marathon inside a longer
#: run is too rare to be worth a column).
BEST_EFFORT_RACES: Final = (ONE_KM, MILE, FIVE_K, TEN_K, HALF_MARATHON)


def race_at(distance_m: float) -> Race | None:
    """The standard race of exactly this distance, if there is one."""
    return next((race for race in RACES if race.metres == distance_m), None)


def is_race_distance(distance_m: float) -> bool:
    """Whether a distance is within the bounds of a race (:data:`RACE_DISTANCE_MIN_M` to ``MAX``)."""
    return RACE_DISTANCE_MIN_M <= distance_m <= RACE_DISTANCE_MAX_M


#: The words that make an activity's name a race's: "10 km de Paris", "Semi-marathon de Lyon",
#: "Corrida de Houilles", "Great North Run", "parkrun", "race", "course" (not "course à pied",
#: the French for a plain run, nor "course facile"), read in lower case without accents.
RACE_NAME: Final = re.compile(
    r"\b(?:races?|racing|competition|compet|course(?! (?:a pied|facile|lente|tranquille|matinale|du (?:matin"
    r"|soir|midi)|de recuperation))|courses(?! a pied)|semi|half|marathon|ultra|corrida|cross|parkrun"
    r"|foulees|ekiden|relais|dossard|championnat|championship|trail (?:de|du|des)|fun run|great \w+ run"
    r"|\d+(?:[.,]\d+)? ?(?:km|k|miles?) (?:de|du|des|d'))\b|\b\d+ ?k (?:race|run) "
)


def is_race_name(name: str) -> bool:
    """Whether an activity's name says it was a race (``RACE_NAME``)."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).replace("\u2019", "'")
    return bool(RACE_NAME.search(plain))


#: A distance written with its unit: "10 km", "21,1 km", "10K", "5000 m", "10 miles".
_DISTANCE_WRITTEN: Final = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,3})?|\d{3,6})\s*(km|kms|k|kilometres?|kilometers?|miles?|mi|m)\b"
)
_UNIT_M: Final = {"km": 1_000.0, "kms": 1_000.0, "k": 1_000.0, "mi": MILE_M, "m": 1.0}
#: A written distance this close (relative) to a standard race is that race: "21,1 km" is a half
#: marathon, "42,2 km" a marathon, "10 miles" stays 16.09 km.
SNAP_TO_RACE: Final = 0.01


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def race_distance_in(text: str) -> float | None:
    """The race distance a title or a table cell names, in metres, within the race bounds.

    A number with its unit first ("10 km de Houilles", "21,1 km", "5000 m"), snapped to a standard
    race within :data:`SNAP_TO_RACE`; else a race's name ("Semi-marathon de Lyon", "Marathon").
    Results pages and their tables say their distance this way (``web.activities.results``).
    """
    plain = _plain(text)
    for match in _DISTANCE_WRITTEN.finditer(plain):
        number, unit = float(match.group(1).replace(",", ".")), match.group(2)
        scale = _UNIT_M.get(unit, MILE_M if unit.startswith("mile") else 1_000.0)
        metres = number * scale
        if not is_race_distance(metres):
            continue
        standard = next((r.metres for r in RACES if abs(metres - r.metres) <= SNAP_TO_RACE * r.metres), None)
        return standard or metres
    for race in (HALF_MARATHON, MARATHON):  # the half first: "semi-marathon" holds "marathon"
        if race.written is not None and race.written.search(plain):
            return race.metres
    return None
