"""Time windows in a message, FR and EN: "la semaine dernière", "since October", "jeudi", "le 12 novembre".

A window is two local days, both included (a single day has ``start == end``),
and a unit (``day``, ``week``, ``month``, ``year`` or ``span``) that says how a
follow-up moves it: "la semaine d'avant" shifts a week back by a week, "what
about the month after?" a month forward, a span ("the last 10 days") by its
own length. Every parser returns None when the text names no window, never a
guess; a window never ends after ``today`` (the coach reads the past).

The text is matched without accents ("derniere", "fevrier"), as runners type.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from agent import extract

Unit = Literal["day", "week", "month", "year", "span"]


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    unit: Unit

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def plain(text: str) -> str:
    """Lower case, without accents or typographic quotes."""
    decomposed = unicodedata.normalize("NFKD", extract.normalise(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def week_of(day: dt.date, today: dt.date) -> Window:
    start = monday(day)
    return Window(start, min(start + dt.timedelta(days=6), today), "week")


def month_of(day: dt.date, today: dt.date) -> Window:
    return Window(month_start(day), min(month_end(day), today), "month")


def year_of(year: int, today: dt.date) -> Window:
    return Window(dt.date(year, 1, 1), min(dt.date(year, 12, 31), today), "year")


def single_day(day: dt.date) -> Window:
    return Window(day, day, "day")


def unit_of(start: dt.date, end: dt.date, today: dt.date) -> Unit:
    """What the days ``start``–``end`` are: a day, a (calendar) week, month or year, or a span of days.

    A week or a month that runs up to ``today`` counts as that week or month ("this week").
    """
    if start == end:
        return "day"
    length = (end - start).days
    if start.weekday() == 0 and (length == 6 or (end == today and length < 6)):
        return "week"
    same_month = start.day == 1 and (start.year, start.month) == (end.year, end.month)
    if same_month and ((end + dt.timedelta(days=1)).day == 1 or end == today):
        return "month"
    if (
        (start.month, start.day) == (1, 1)
        and start.year == end.year
        and ((end.month, end.day) == (12, 31) or end == today)
    ):
        return "year"
    return "span"


def shift(window: Window, steps: int, today: dt.date) -> Window | None:
    """``window`` moved ``steps`` of its unit (back when negative); None when it would start after today."""
    if window.unit == "day":
        start = window.start + dt.timedelta(days=steps)
        moved = Window(start, start, "day")
    elif window.unit == "week":
        start = monday(window.start) + dt.timedelta(weeks=steps)
        moved = Window(start, start + dt.timedelta(days=6), "week")
    elif window.unit == "month":
        start = add_months(month_start(window.start), steps)
        moved = Window(start, month_end(start), "month")
    elif window.unit == "year":
        moved = Window(
            dt.date(window.start.year + steps, 1, 1), dt.date(window.start.year + steps, 12, 31), "year"
        )
    else:
        length = dt.timedelta(days=window.days * steps)
        moved = Window(window.start + length, window.end + length, "span")
    if moved.start > today:
        return None
    return Window(moved.start, min(moved.end, today), moved.unit)


# Month names without accents; abbreviations only next to a day number (``extract.parse_date``),
# and the words that are also something else ("may", "sept" = 7) only after a preposition.
_MONTHS: Final = {
    "janvier": 1, "january": 1, "fevrier": 2, "february": 2, "mars": 3, "march": 3, "avril": 4,
    "april": 4, "mai": 5, "may": 5, "juin": 6, "june": 6, "juillet": 7, "july": 7, "aout": 8,
    "august": 8, "septembre": 9, "september": 9, "octobre": 10, "october": 10, "novembre": 11,
    "november": 11, "decembre": 12, "december": 12,
}  # fmt: skip
_AMBIGUOUS_MONTHS: Final = frozenset({"may", "march"})
_WEEKDAYS: Final = {
    "lundi": 0, "monday": 0, "mardi": 1, "tuesday": 1, "mercredi": 2, "wednesday": 2, "jeudi": 3,
    "thursday": 3, "vendredi": 4, "friday": 4, "samedi": 5, "saturday": 5, "dimanche": 6, "sunday": 6,
}  # fmt: skip
_NUMBERS: Final = {
    "un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8,
    "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10, "douze": 12, "twelve": 12, "quinze": 15,
    "fifteen": 15, "few": 3, "couple": 2, "quelques": 3,
}  # fmt: skip

_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_WORDS = "|".join(_WEEKDAYS)
_COUNT = r"(\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_YEAR = r"(?:\s+(20\d\d))?"
_LAST = r"(?:derniers?|dernieres?|passee?s?|ecoulee?s?)"

_THIS_WEEK: Final = re.compile(
    r"\b(?:cette semaine|semaine en cours|this week|current week|the week so far|so far this week|"
    r"semaine ci|cette sem)\b"
)
_LAST_WEEK: Final = re.compile(
    r"\b(?:la semaine (?:derniere|passee|precedente)|semaine derniere|semaine passee|"
    r"(?:last|previous) week|the week that just ended)\b"
)
_WEEK_BEFORE_LAST: Final = re.compile(
    r"\b(?:(?:l'|la )?avant[- ]derniere semaine|the week before last|il y a deux semaines|"
    r"two weeks ago|2 weeks ago|il y a 2 semaines)\b"
)
_THIS_MONTH: Final = re.compile(r"\b(?:ce mois(?:[- ]ci)?|mois en cours|this month|current month)\b")
_LAST_MONTH: Final = re.compile(
    r"\b(?:(?:le )?mois (?:dernier|passe|precedent)|(?:last|previous) month|"
    r"the month that just ended|a month ago|il y a un mois)\b"
)
_THIS_YEAR: Final = re.compile(r"\b(?:cette annee|this year|depuis le debut de l'annee|since january 1st)\b")
_LAST_YEAR: Final = re.compile(r"\b(?:l'annee (?:derniere|passee)|(?:last|previous) year)\b")
_IN_YEAR: Final = re.compile(r"\b(?:en|in|during|pendant)\s+(20\d\d)\b")
_THIS_WEEKEND: Final = re.compile(r"\b(?:ce (?:week-?end|we)|this weekend|le week-?end)\b")
_LAST_WEEKEND: Final = re.compile(r"\b(?:le (?:week-?end|we) (?:dernier|passe)|last weekend|past weekend)\b")
_PAST_WEEK: Final = re.compile(
    r"\b(?:(?:the |over the |in the )?past week|(?:la |ma |cette )?derniere semaine|"
    r"(?:the )?last seven days|(?:the )?past seven days)\b"
)
_PAST_MONTH: Final = re.compile(r"\b(?:(?:the |over the |in the )?past month|(?:le |ce )?dernier mois)\b")
_FORTNIGHT: Final = re.compile(
    r"\b(?:(?:la |les |ces |the |last |past |over the (?:last |past )?)?(?:fortnight|quinzaine)|"
    r"(?:last|past) two weeks)\b"
)
#: "ces 3 dernières semaines", "les 10 derniers jours", "the last 6 weeks", "over the past 3 months",
#: "sur 8 semaines", "depuis 3 semaines", "for 2 weeks", "in the last 10 days".
_SPAN: Final = re.compile(
    r"\b(?:(?:ces|les|mes|des|the|last|past|over|sur|depuis|for|pendant|durant|dans les)\s+)+"
    r"(?:(?:last|past)\s+)?" + _COUNT + r"\s+(?:" + _LAST + r"\s+)?"
    r"(jours?|days?|semaines?|weeks?|mois|months?)\b(?:\s+" + _LAST + r")?"
)
_SPAN_LAST: Final = re.compile(r"\b" + _COUNT + r"\s+" + _LAST + r"\s+(jours?|semaines?|mois)\b")
_AGO: Final = re.compile(
    r"\b(?:il y a\s+"
    + _COUNT
    + r"\s+(jours?|semaines?|mois)|"
    + _COUNT
    + r"\s+(days?|weeks?|months?)\s+ago)\b"
)
_SINCE: Final = re.compile(r"\b(?:depuis|since|from|a partir d[eu']|starting)\s*(?:le |la |the |l')?")
_MONTH_IN: Final = re.compile(
    r"\b(?:en|in|during|pendant|for|au mois d[e']|mois d[e']|du mois d[e']|d'|de|of|over)\s*("
    + _MONTH_WORDS
    + r")\b"
    + _YEAR
)
_MONTH_BARE: Final = re.compile(r"\b(" + _MONTH_WORDS + r")\b" + _YEAR)
_WEEK_OF: Final = re.compile(r"\b(?:la semaine du|the week of|week of)\s+")


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _span(count: int, unit: str, today: dt.date) -> Window | None:
    if count < 1:
        return None
    if unit.startswith(("jour", "day")):
        start = today - dt.timedelta(days=count - 1)
    elif unit.startswith(("semaine", "week")):
        start = today - dt.timedelta(days=7 * count - 1)
    else:
        start = add_months(today, -count) + dt.timedelta(days=1)
    return Window(start, today, "span")


def _ago(count: int, unit: str, today: dt.date) -> Window:
    if unit.startswith(("jour", "day")):
        return single_day(today - dt.timedelta(days=count))
    if unit.startswith(("semaine", "week")):
        return week_of(today - dt.timedelta(weeks=count), today)
    return month_of(add_months(today, -count), today)


def _named_month(month: int, year: str | None, today: dt.date) -> Window | None:
    """The month named: the last one that has started (October said in March is last October)."""
    if year:
        first = dt.date(int(year), month, 1)
    else:
        first = dt.date(today.year, month, 1)
        if first > today:
            first = dt.date(today.year - 1, month, 1)
    if first > today:
        return None
    return month_of(first, today)


def _month_window(text: str, today: dt.date) -> Window | None:
    if match := _MONTH_IN.search(text):
        return _named_month(_MONTHS[match.group(1)], match.group(2), today)
    for match in _MONTH_BARE.finditer(text):
        if match.group(1) not in _AMBIGUOUS_MONTHS or match.group(2):
            return _named_month(_MONTHS[match.group(1)], match.group(2), today)
    return None


def _day(text: str, today: dt.date) -> dt.date | None:
    """A past day named in ``text``: a date, a weekday, "hier"; None for a day to come."""
    if re.search(r"\b(?:dans|in)\s+\S+\s+(?:jours?|days?|semaines?|weeks?|mois|months?)\b", text):
        return None  # "dans 3 semaines": a race day, not a window
    day = extract.parse_date(text, today, prefer="past")
    if day is None or day > today:
        return None
    return day


def _since(text: str, today: dt.date) -> Window | None:
    """ "depuis octobre", "since 12 November", "depuis lundi", "depuis le début du mois"."""
    for match in _SINCE.finditer(text):
        rest = text[match.end() :]
        if re.match(r"(?:debut|the (?:start|beginning)) (?:du|de|of) (?:ce |this |the )?mois|month", rest):
            return Window(month_start(today), today, "span")
        if re.match(
            r"(?:debut|the (?:start|beginning)) (?:de|of) (?:l'|cette |this |the )?(?:annee|year)", rest
        ):
            return Window(dt.date(today.year, 1, 1), today, "span")
        head = rest[:40]
        if month := re.match(r"(?:(?:le |the )?(?:mois d[e']\s*)?)(" + _MONTH_WORDS + r")\b" + _YEAR, head):
            named = _named_month(_MONTHS[month.group(1)], month.group(2), today)
            return Window(named.start, today, "span") if named else None
        day = _day(head, today)
        if day is not None:
            return Window(day, today, "span")
    return None


def parse_window(text: str, today: dt.date) -> Window | None:
    """The window ``text`` names, or None."""
    text = plain(text)
    if match := _WEEK_OF.search(text):
        day = _day(text[match.end() : match.end() + 30], today)
        if day is not None:
            return week_of(day, today)
    if match := _AGO.search(text):
        return _ago(_count(match.group(1) or match.group(3)), match.group(2) or match.group(4), today)
    if _WEEK_BEFORE_LAST.search(text):
        return week_of(today - dt.timedelta(weeks=2), today)
    if _LAST_WEEKEND.search(text):
        saturday = monday(today) - dt.timedelta(days=2)
        return Window(saturday, saturday + dt.timedelta(days=1), "span")
    if _LAST_WEEK.search(text):
        return week_of(today - dt.timedelta(weeks=1), today)
    if _THIS_WEEK.search(text):
        return week_of(today, today)
    if _LAST_MONTH.search(text):
        return month_of(add_months(month_start(today), -1), today)
    if _THIS_MONTH.search(text):
        return month_of(today, today)
    if _PAST_WEEK.search(text):
        return _span(1, "weeks", today)
    if _PAST_MONTH.search(text):
        return _span(1, "months", today)
    if _FORTNIGHT.search(text):
        return _span(2, "weeks", today)
    if since := _since(text, today):
        return since
    if match := _SPAN.search(text) or _SPAN_LAST.search(text):
        return _span(_count(match.group(1)), match.group(2), today)
    if _LAST_YEAR.search(text):
        return year_of(today.year - 1, today)
    if _THIS_YEAR.search(text):
        return year_of(today.year, today)
    if match := _IN_YEAR.search(text):
        year = int(match.group(1))
        return year_of(year, today) if year <= today.year else None
    if _THIS_WEEKEND.search(text):
        saturday = monday(today) + dt.timedelta(days=5)
        if saturday > today:
            saturday -= dt.timedelta(weeks=1)
        return Window(saturday, min(saturday + dt.timedelta(days=1), today), "span")
    day = _day(text, today)
    if day is not None:
        return single_day(day)
    return _month_window(text, today)
