"""Argument extraction for the offline coach: distances, durations, dates and small counts, FR and EN.

Deterministic regular expressions: the offline router picks a tool, and these
turn "un semi en 1h45 le 12 avril" into ``distance_m=21097.5``,
``time_s=6300``, ``date=2027-04-12``. Every parser returns None when the text
says nothing it understands, never a guess. The labelled set in
``agent/data/intents.yaml`` measures them (``foulee ask --eval``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Final, Literal

from foulee import races

# A number starts where a run of digits starts (``(?<!\d)``): the matches are the same, but a regex
# no longer retries from every digit of a long run, which made 2,000 digits cost seconds (quadratic).
_NUMBER = r"(?<!\d)(\d+(?:[.,]\d+)?)"


def normalise(text: str) -> str:
    """Lower case, accents kept (French needs them for dates), typographic quotes made plain."""
    text = unicodedata.normalize("NFC", text).lower()
    return text.replace("’", "'").replace("\u2033", "''").replace("\u2032", "'").replace("\u00a0", " ")


def _float(value: str) -> float:
    return float(value.replace(",", "."))


#: The races named in words (``foulee.races``: "semi", "half marathon", "the mile").
_NAMED_DISTANCES: Final = tuple((race.written, race.metres) for race in races.RACES if race.written)
_KM = re.compile(_NUMBER + r"\s*(?:km|k|kms|kilom[eè]tres?|kilometers?|kilometres?|bornes?)\b(?!\s*/\s*h)")
_METRES = re.compile(_NUMBER + r"\s*(?:m|m[eè]tres?|meters?|metres?)\b")
_MILES = re.compile(_NUMBER + r"\s*(?:miles?|mi)\b")


def parse_distance(text: str) -> float | None:
    """The first race or run distance named in ``text``, in metres."""
    text = normalise(text)
    found: list[tuple[int, float]] = []
    for pattern, metres in _NAMED_DISTANCES:
        match = pattern.search(text)
        if match:
            found.append((match.start(), metres))
    if any(metres == races.HALF_MARATHON_M for _, metres in found):
        # "semi-marathon" also contains "marathon": the half wins.
        found = [(position, metres) for position, metres in found if metres == races.HALF_MARATHON_M]
    for pattern, factor in ((_KM, 1000.0), (_METRES, 1.0), (_MILES, races.MILE_M)):
        for match in pattern.finditer(text):
            value = _float(match.group(1)) * factor
            if value > 0:
                found.append((match.start(), value))
    if not found:
        return None
    return min(found)[1]


_HMS = re.compile(r"\b(\d{1,2}):(\d{2}):(\d{2})\b")
_TWO_PARTS = re.compile(r"(?<![:\d])(\d{1,3}):(\d{2})(?![:\d])")
_H_MIN = re.compile(
    r"\b(\d{1,2})\s*(?:h|heures?|hours?|hrs?)\s*(\d{1,2})?\s*(?:min|mn|minutes?|m\b|')?"
    r"(?:\s*(\d{1,2})\s*(?:s|sec|secondes?|seconds?|''|\"))?"
)
_MIN_SEC = re.compile(
    r"\b(\d{1,3})\s*(?:'|min|mn|minutes?)\s*(\d{1,2})?\s*(?:''|\"|s\b|sec\b|secondes?|seconds?)?"
)


def parse_duration(text: str) -> float | None:
    """The first duration in ``text``, in seconds: "1h45", "1:45:00", "45 min", "45'30"."""
    text = normalise(text)
    candidates: list[tuple[int, float]] = []
    for match in _HMS.finditer(text):
        hours, minutes, seconds = (int(group) for group in match.groups())
        candidates.append((match.start(), hours * 3600.0 + minutes * 60.0 + seconds))
    for match in _TWO_PARTS.finditer(text):
        if any(start <= match.start() < start + 8 for start, _ in candidates):
            continue
        first, second = int(match.group(1)), int(match.group(2))
        # "1:45" is hours and minutes, "45:30" minutes and seconds: nobody races 45 hours.
        total = first * 3600.0 + second * 60.0 if first < 10 else first * 60.0 + second
        candidates.append((match.start(), total))
    for match in _H_MIN.finditer(text):
        hours = int(match.group(1))
        minutes = int(match.group(2) or 0)
        seconds = int(match.group(3) or 0)
        candidates.append((match.start(), hours * 3600.0 + minutes * 60.0 + seconds))
    for match in _MIN_SEC.finditer(text):
        if any(abs(start - match.start()) < 6 for start, _ in candidates):
            continue
        candidates.append((match.start(), int(match.group(1)) * 60.0 + int(match.group(2) or 0)))
    positive = [(position, value) for position, value in candidates if value > 0]
    return min(positive)[1] if positive else None


_MONTHS: Final = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1,
    "février": 2, "fevrier": 2, "févr": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "août": 8, "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "september": 9, "sep": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS: Final = {
    "lundi": 0, "monday": 0, "mardi": 1, "tuesday": 1, "mercredi": 2, "wednesday": 2,
    "jeudi": 3, "thursday": 3, "vendredi": 4, "friday": 4, "samedi": 5, "saturday": 5,
    "dimanche": 6, "sunday": 6,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(_WEEKDAYS)
_UNITS: Final = {"jour": 1, "jours": 1, "day": 1, "days": 1, "semaine": 7, "semaines": 7, "week": 7,
                 "weeks": 7, "mois": 30, "month": 30, "months": 30}  # fmt: skip
_WORD_NUMBERS: Final = {"un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "deux": 2, "two": 2, "trois": 3,
                        "three": 3, "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7,
                        "seven": 7, "huit": 8, "eight": 8, "dix": 10, "ten": 10, "douze": 12,
                        "twelve": 12, "quinze": 15}  # fmt: skip
_COUNT = r"(?<!\d)(\d+|" + "|".join(_WORD_NUMBERS) + r")"  # (?<!\d): see _NUMBER
_RELATIVE = re.compile(r"\b(?:dans|in)\s+" + _COUNT + r"\s+(" + "|".join(_UNITS) + r")\b")
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_NAMES + r")\.?(?:\s+(\d{4}))?\b"
)
_MONTH_DAY = re.compile(r"\b(" + _MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_NEXT_WEEKDAY = re.compile(r"\b(?:next\s+(" + _WEEKDAY_NAMES + r")|(" + _WEEKDAY_NAMES + r")\s+prochain)\b")
_LAST_WEEKDAY = re.compile(r"\b(?:last\s+(" + _WEEKDAY_NAMES + r")|(" + _WEEKDAY_NAMES + r")\s+dernier)\b")
_BARE_WEEKDAY = re.compile(r"\b(?:ce\s+|this\s+|on\s+)?(" + _WEEKDAY_NAMES + r")\b")
_DEICTIC: Final = (
    (re.compile(r"\b(?:après[- ]demain|apres[- ]demain|day after tomorrow)\b"), 2),
    (re.compile(r"\b(?:avant[- ]hier|day before yesterday)\b"), -2),
    (re.compile(r"\b(?:demain|tomorrow)\b"), 1),
    (re.compile(r"\b(?:hier|yesterday)\b"), -1),
    (re.compile(r"\b(?:aujourd'hui|today|ce matin|this morning|ce soir|tonight)\b"), 0),
)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_NUMBERS[word]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dated(day: int, month: int, year: str | None, today: dt.date, prefer: str) -> dt.date | None:
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _safe_date(full, month, day)
    candidate = _safe_date(today.year, month, day)
    if candidate is None:
        return None
    if prefer == "future" and candidate < today:
        return _safe_date(today.year + 1, month, day)
    if prefer == "past" and candidate > today:
        return _safe_date(today.year - 1, month, day)
    return candidate


def parse_date(text: str, today: dt.date, prefer: Literal["future", "past"] = "future") -> dt.date | None:
    """The first date in ``text``; a day without a year is the next (or, for ``past``, the last) one."""
    text = normalise(text)
    if match := _RELATIVE.search(text):
        return today + dt.timedelta(days=_count(match.group(1)) * _UNITS[match.group(2)])
    if match := _ISO.search(text):
        return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DAY_MONTH.search(text):
        return _dated(int(match.group(1)), _MONTHS[match.group(2)], match.group(3), today, prefer)
    if match := _MONTH_DAY.search(text):
        return _dated(int(match.group(2)), _MONTHS[match.group(1)], match.group(3), today, prefer)
    if match := _NUMERIC.search(text):
        # Day first, as in France and the UK (and most of the world).
        return _dated(int(match.group(1)), int(match.group(2)), match.group(3), today, prefer)
    if match := _NEXT_WEEKDAY.search(text):
        weekday = _WEEKDAYS[match.group(1) or match.group(2)]
        return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    if match := _LAST_WEEKDAY.search(text):
        weekday = _WEEKDAYS[match.group(1) or match.group(2)]
        return today - dt.timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    for pattern, offset in _DEICTIC:
        if pattern.search(text):
            return today + dt.timedelta(days=offset)
    if match := _BARE_WEEKDAY.search(text):
        weekday = _WEEKDAYS[match.group(1)]
        if prefer == "past":
            return today - dt.timedelta(days=(today.weekday() - weekday) % 7)
        return today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    return None


_PER_WEEK = re.compile(
    _COUNT + r"\s*(?:jours?|fois|days?|times?|sorties?|séances?|seances?|runs?|sessions?)\s*"
    r"(?:par|per|a|/|chaque|each)\s*(?:semaine|week|sem)\b"
)
_SPAN = re.compile(
    r"(?:depuis|pendant|for|since|durant)\s+" + _COUNT + r"\s+(jours?|days?|semaines?|weeks?)\b"
)


def parse_days_per_week(text: str) -> int | None:
    """ "3 jours par semaine", "4 times a week" → 3, 4 (only 1 to 7)."""
    match = _PER_WEEK.search(normalise(text))
    if not match:
        return None
    value = _count(match.group(1))
    return value if 1 <= value <= 7 else None


_PAST_ILLNESS = re.compile(
    r"\b(?:j'?ai [eé]t[eé]|j'?[eé]tais|j'?ai eu|[eé]tait|ai [eé]t[eé]|i was|i had|i got|"
    r"was (?:sick|ill)|had (?:a |the )?"
    r"(?:flu|fever|cold|virus|covid)|i've been (?:sick|ill) (?:last|this) week)\b"
)
_PRESENT_ILLNESS = re.compile(r"\b(?:je suis|j'?ai (?:de la|la|une|un)|i am|i'm|im|i have)\b")
_THIS_WEEK = re.compile(r"\b(?:cette semaine|this week)\b")
_LAST_WEEK = re.compile(r"\b(?:la semaine (?:derni[eè]re|pass[eé]e)|last week)\b")


def illness_in_past(text: str) -> bool:
    """ "j'ai été malade", "I was sick" → True; "je suis malade", "I'm sick" → False (it is now)."""
    words = normalise(text)
    return bool(_PAST_ILLNESS.search(words)) and not _PRESENT_ILLNESS.search(_PAST_ILLNESS.sub(" ", words))


def past_illness_days(text: str, today: dt.date) -> int | None:
    """Days before today a past illness covered: "cette semaine" → since Monday; "last week" → 7."""
    words = normalise(text)
    if _THIS_WEEK.search(words):
        return max(1, today.weekday())
    if _LAST_WEEK.search(words):
        return 7 + today.weekday()
    return parse_day_span(text)


_BARE_SPAN = re.compile(_COUNT + r"\s+(jours?|days?|semaines?|weeks?)\b")


def illness_arguments(text: str, today: dt.date) -> dict[str, object]:
    """``adjust_plan``'s arguments for an illness said in ``text``: its tense and its days.

    "j'ai été malade cette semaine" → past, the days since Monday; "je suis malade depuis 3 jours"
    → now, 3 days; "malade, 3 jours" → now, 3 days.
    """
    args: dict[str, object] = {"reason": "illness"}
    past = illness_in_past(text)
    days = past_illness_days(text, today) if past else parse_day_span(text)
    if days is None and (match := _BARE_SPAN.search(normalise(text))):
        days = _count(match.group(1)) * (7 if match.group(2).startswith(("semaine", "week")) else 1)
    if past:
        args["past"] = True
    if days is not None:
        args["days"] = max(1, min(days, 28))
    return args


def parse_day_span(text: str) -> int | None:
    """ "malade depuis 4 jours", "sick for a week" → 4, 7 (days)."""
    text = normalise(text)
    match = _SPAN.search(text)
    if not match:
        return None
    unit = 7 if match.group(2).startswith(("semaine", "week")) else 1
    return _count(match.group(1)) * unit


_HR = re.compile(
    r"(max(?:imale?|imum)?|repos|rest(?:ing)?)\D{0,25}?(\d{2,3})\b|(\d{2,3})\s*(?:bpm)?\s*(?:de\s+)?(?:en\s+)?"
    r"(?:fc|hr|fréquence cardiaque|heart rate)?\s*(max(?:imale?|imum)?|repos|rest(?:ing)?)\b"
)


def parse_heart_rates(text: str) -> dict[str, int]:
    """Heart rates named in ``text``: ``{"hr_max": 190, "hr_rest": 48}`` (either may be absent)."""
    found: dict[str, int] = {}
    for match in _HR.finditer(normalise(text)):
        word = match.group(1) or match.group(4)
        value = int(match.group(2) or match.group(3))
        key = "hr_max" if word.startswith("max") else "hr_rest"
        found.setdefault(key, value)
    return found


_WEEKS = re.compile(r"\b" + _COUNT + r"\s+(?:dernières\s+|dernieres\s+|last\s+)?(?:semaines?|weeks?)\b")


def parse_weeks(text: str) -> int | None:
    """A window in weeks: "sur 8 semaines", "last 6 weeks"."""
    match = _WEEKS.search(normalise(text))
    return _count(match.group(1)) if match else None
