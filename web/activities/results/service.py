"""Import a race result from a public results page: one use case, the same for every door.

The web form (``web.site.views.results``) and the API (``POST /v1/races/import-url``) call
:func:`import_race_result`. It fetches the page (``fetch``: the only network access, on this
request only), reads its tables (``page``), finds the rows that name the athlete by their account
name (``names``) and records the one result as a running :class:`Activity` of source
``results``: a race (``race_results``), so it shows first in the records, and a whole run with a
time and a distance, so the predictions use it once synced.

Decisions:

* **Only the athlete's own row is stored** (its name cell is not: the account has the name), with
  the page's address, place, category and bib in the description; nothing else of the page is kept.
* **Several rows name the athlete** (a namesake, two races on one page): nothing is recorded; the
  candidates come back and the athlete picks one (``choice``), rather than Foulée guessing.
* **The time** is the chip (net, "temps réel") time when the table has one, else its time column,
  else the gun ("officiel") time: the chip time is what the athlete ran.
* **The distance** is the caller's when given, else the row's distance column, else the table's
  caption or heading, else the page's title and headings, read by ``foulee.races.race_distance_in``.
* **The date** is the caller's when given, else the first date in the page's title and headings,
  else in its text; the start is set at 10:00 in the athlete's time zone (races are mornings; only
  the day matters to the analyses).
* **Once only**: a result is keyed by the page's address (without its fragment), the distance and
  the row's name, stored as the activity's ``file_checksum``, so the same result imported twice is
  recorded once (the database's unique constraint holds it even under two requests at once).
  A watch recording of the same race stays a separate activity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foulee import races
from web.accounts.models import User
from web.accounts.services import profile_of
from web.accounts.timezones import zone_of
from web.activities.models import Activity, Source, Sport
from web.activities.results.fetch import ResultsError, checked_url, fetch_page
from web.activities.results.names import same_person
from web.activities.results.page import Page, Table, duration_in, page_date, plain, read_page

#: The hour a race imported from a results page is said to start, in the athlete's zone.
RACE_START: Final = dt.time(10, 0)
#: Control and format characters a page may hide in a title; stored names are single lines.
_INVISIBLE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_TIME_COLUMNS: Final = ("chip_time", "time", "gun_time")


@dataclass(frozen=True)
class Candidate:
    """A row of the page that names the athlete."""

    #: Which row: ``t<table>r<row>``, to pick it when several rows name the athlete.
    choice: str
    name: str
    time_s: float | None
    time: str
    place: str = ""
    category: str = ""
    bib: str = ""
    distance_m: float | None = None
    race: str = ""


@dataclass
class RaceImport:
    status: Literal["imported", "duplicate", "ambiguous"]
    activity: Activity | None = None
    candidates: list[Candidate] = field(default_factory=list)


def import_race_result(
    athlete: User,
    url: str,
    *,
    race_date: dt.date | None = None,
    distance_m: float | None = None,
    choice: str | None = None,
) -> RaceImport:
    """Record ``athlete``'s result from the results page at ``url`` (see the module's decisions).

    Raises :class:`ResultsError` with one line saying why when nothing can be recorded; nothing
    is written then.
    """
    url = str(checked_url(url))  # a malformed or refused form fails before anything else
    if not athlete.full_name.strip():
        raise ResultsError(
            "no_name", gettext_lazy("Your account has no name to look for: add it to your profile first.")
        )
    if distance_m is not None and not races.is_race_distance(distance_m):
        bounds = {"low": f"{races.RACE_DISTANCE_MIN_M:g}", "high": f"{races.RACE_DISTANCE_MAX_M / 1000:g}"}
        raise ResultsError("bad_distance", gettext_lazy("A race is %(low)s m to %(high)s km long.") % bounds)
    fetched = fetch_page(url)
    page = read_page(fetched.html)
    tables = page.results_tables
    if not tables:
        raise ResultsError(
            "no_table", gettext_lazy("This page has no results table (with a name and a time column).")
        )
    candidates = [
        candidate
        for index, table in enumerate(page.tables)
        if table.is_results
        for candidate in _candidates(index, table, athlete.full_name)
    ]
    if not candidates:
        raise ResultsError(
            "name_not_found",
            gettext_lazy("No row of this page names %(name)s.") % {"name": athlete.full_name.strip()},
        )
    if choice:
        chosen = next((candidate for candidate in candidates if candidate.choice == choice), None)
        if chosen is None:
            raise ResultsError("bad_choice", gettext_lazy("The chosen row is not on the page any more."))
    elif len(candidates) > 1:
        return RaceImport("ambiguous", candidates=candidates)
    else:
        chosen = candidates[0]
    return _record(athlete, url, page, chosen, race_date, distance_m)


def _candidates(index: int, table: Table, account_name: str) -> list[Candidate]:
    columns = table.columns
    race_distance = races.race_distance_in(table.title) if table.title else None
    found = []
    for number, row in enumerate(table.rows):

        def cell(kind: str, row: list[str] = row) -> str:
            position = columns.get(kind)
            return row[position] if position is not None and position < len(row) else ""

        name = " ".join(part for part in (cell("name"), cell("last_name"), cell("first_name")) if part)
        if not same_person(name, account_name):
            continue
        written = next((cell(kind) for kind in _TIME_COLUMNS if duration_in(cell(kind)) is not None), "")
        distance_cell = cell("distance")
        found.append(
            Candidate(
                choice=f"t{index}r{number}",
                name=name,
                time_s=duration_in(written) if written else None,
                time=written or next((cell(kind) for kind in _TIME_COLUMNS if cell(kind)), ""),
                place=cell("place"),
                category=cell("category"),
                bib=cell("bib"),
                distance_m=(races.race_distance_in(distance_cell) if distance_cell else None)
                or race_distance,
                race=table.title,
            )
        )
    return found


def _page_distance(page: Page) -> float | None:
    for text in (page.title, *page.headings):
        found = races.race_distance_in(text)
        if found is not None:
            return found
    return None


def result_key(url: str, distance_m: float, name: str) -> str:
    """What makes a result the same one again: the page (without fragment), the distance, the row's name."""
    page_url = url.strip().split("#", 1)[0]
    identity = f"results-page\n{page_url}\n{distance_m:.1f}\n{' '.join(sorted(plain(name).split()))}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def _record(
    athlete: User,
    url: str,
    page: Page,
    chosen: Candidate,
    race_date: dt.date | None,
    distance_m: float | None,
) -> RaceImport:
    distance = distance_m or chosen.distance_m or _page_distance(page)
    if distance is None:
        raise ResultsError(
            "no_distance",
            gettext_lazy("The page does not say the race's distance: give it with the address."),
        )
    day = race_date or page_date(page)
    if day is None:
        raise ResultsError(
            "no_date", gettext_lazy("The page does not say the race's date: give it with the address.")
        )
    if chosen.time_s is None:
        raise ResultsError(
            "no_time",
            gettext_lazy("Your row has no finishing time (%(written)s).") % {"written": chosen.time or "—"},
        )
    key = result_key(url, distance, chosen.name)
    existing = Activity.objects.filter(user=athlete, file_checksum=key).first()
    if existing is not None:
        return RaceImport("duplicate", existing)
    with translation.override(profile_of(athlete).language):  # the athlete's words, whoever asks
        details = [
            _("Place %(place)s") % {"place": chosen.place} if chosen.place else "",
            _("Category %(category)s") % {"category": chosen.category} if chosen.category else "",
            _("Bib %(bib)s") % {"bib": chosen.bib} if chosen.bib else "",
        ]
        source_line = _("Results page: %(url)s") % {"url": url}
    activity = Activity(
        user=athlete,
        sport=Sport.RUN,
        name=_single_line(page.headings[0] if page.headings else page.title or chosen.race)[:200],
        description="\n".join(line for line in (" · ".join(d for d in details if d), source_line) if line),
        start_time=dt.datetime.combine(day, RACE_START, tzinfo=zone_of(athlete)),
        distance_m=distance,
        duration_s=chosen.time_s,
        moving_time_s=chosen.time_s,
        avg_speed_mps=distance / chosen.time_s,
        source=Source.RESULTS,
        file_checksum=key,
    )
    try:
        activity.full_clean()
    except ValidationError as error:
        raise ResultsError("invalid", " ".join(error.messages)) from error
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # The same result, recorded by a request that ran at the same time.
        existing = Activity.objects.filter(user=athlete, file_checksum=key).first()
        if existing is None:
            raise
        return RaceImport("duplicate", existing)
    return RaceImport("imported", activity)


def _single_line(text: str) -> str:
    return " ".join(_INVISIBLE.sub(" ", text).split())
