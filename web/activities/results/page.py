"""Read a results page's tables: the common layout of a ``<table>`` with a header row.

Python's own ``html.parser`` reads the page (a maintained, tolerant parser in the standard library:
no new dependency; unclosed ``<td>``/``<tr>``, as many club sites write them, are closed by the next
one). Each table keeps its header, its rows, and the words around it that may name its race (its
``<caption>``, the nearest heading before it); the page keeps its ``<title>``, headings and text,
where its date and distance usually are.

Columns are recognised by their header, in French or English (:data:`COLUMN_WORDS`); a table whose
header names no runner and no time is not a results table.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

HEADINGS: Final = frozenset({"h1", "h2", "h3", "h4"})
_SKIPPED: Final = frozenset({"script", "style", "noscript", "template"})


def plain(text: str) -> str:
    """Lower case, no accents, one space between words: how headers and names are compared."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def _words(written: str) -> frozenset[str]:
    return frozenset(written.split("|"))


#: Header words of each column we read, compared after :func:`plain` and without punctuation; each
#: column's words are written "|"-separated.
COLUMN_WORDS: Final[dict[str, frozenset[str]]] = {
    "place": _words("place|pl|rang|rg|clt|clas|classement|class|pos|position|rank|scratch"),
    "name": _words(
        "nom|name|athlete|athletes|coureur|coureurs|participant|concurrent|runner|nom prenom|prenom nom"
        "|nom et prenom|full name|nom complet|identite"
    ),
    "last_name": _words("nom de famille|last name|surname|family name"),
    "first_name": _words("prenom|first name|given name|forename"),
    "chip_time": _words("temps reel|reel|chip|chip time|net|net time|temps net|temps puce|tps reel"),
    "time": _words("temps|time|chrono|finish time|perf|performance|resultat|result|tps|final"),
    "gun_time": _words("temps officiel|officiel|gun|gun time|temps brut|brut|official time|tps officiel"),
    "distance": _words("distance|dist|parcours|epreuve|course|race|event"),
    "category": _words("categorie|cat|category|age group|cat sexe|categ"),
    "bib": _words("dossard|doss|bib|bib no|bib number|no|n|num|numero"),
}


def column_kind(header: str) -> str | None:
    """Which column a header names (:data:`COLUMN_WORDS`), if any."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", plain(header)).split())
    for kind, names in COLUMN_WORDS.items():
        if words in names:
            return kind
    return None


@dataclass
class Table:
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    #: Its caption and the last heading before it: where a page with several races names each.
    title: str = ""

    @property
    def columns(self) -> dict[str, int]:
        """Each recognised column's index (the first one of a kind wins)."""
        found: dict[str, int] = {}
        for index, header in enumerate(self.header):
            kind = column_kind(header)
            if kind is not None and kind not in found:
                found[kind] = index
        return found

    @property
    def is_results(self) -> bool:
        columns = self.columns
        names = "name" in columns or ("last_name" in columns and "first_name" in columns)
        return names and bool({"time", "chip_time", "gun_time"} & columns.keys())


@dataclass
class Page:
    title: str = ""
    headings: list[str] = field(default_factory=list)
    text: str = ""
    tables: list[Table] = field(default_factory=list)

    @property
    def results_tables(self) -> list[Table]:
        return [table for table in self.tables if table.is_results]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._stack: list[Table] = []  # nested tables: the innermost is read
        self._row: list[tuple[str, bool]] | None = None
        self._cell: list[str] | None = None
        self._cell_is_header = False
        self._capture: str | None = None  # "title", "heading", "caption"
        self._captured: list[str] = []
        self._last_heading = ""
        self._skipping = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "table":
            self._stack.append(Table(title=self._last_heading))
        elif tag == "tr" and self._stack:
            self._end_row()
            self._row = []
        elif tag in ("td", "th") and self._stack:
            self._end_cell()
            if self._row is None:
                self._row = []
            self._cell, self._cell_is_header = [], tag == "th"
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "title" or tag in HEADINGS or (tag == "caption" and self._stack):
            self._capture, self._captured = ("heading" if tag in HEADINGS else tag), []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table" and self._stack:
            self._end_row()
            self.page.tables.append(self._stack.pop())
        elif self._capture is not None and (tag in ("title", "caption") or tag in HEADINGS):
            text = " ".join("".join(self._captured).split())
            if self._capture == "title":
                self.page.title = text
            elif self._capture == "caption" and self._stack:
                self._stack[-1].title = text
            elif text:
                self.page.headings.append(text)
                self._last_heading = text
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._capture is not None:
            self._captured.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), self._cell_is_header))
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row and self._stack:
            table = self._stack[-1]
            texts = [text for text, _ in self._row]
            all_headers = all(is_header for _, is_header in self._row)
            if not table.header and (all_headers or sum(column_kind(t) is not None for t in texts) >= 2):
                table.header = texts
            elif any(texts):
                table.rows.append(texts)
        self._row = None

    def close(self) -> None:
        super().close()
        while self._stack:
            self._end_row()
            self.page.tables.append(self._stack.pop())
        self.page.text = " ".join(" ".join(self._text).split())


def read_page(html: str) -> Page:
    """The page's title, headings, text and tables."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


MONTHS: Final = {
    **dict.fromkeys(("janvier", "january", "jan", "janv"), 1),
    **dict.fromkeys(("fevrier", "february", "feb", "fev", "fevr"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("avril", "april", "apr", "avr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "july", "jul", "juil"), 7),
    **dict.fromkeys(("aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "september", "sep", "sept"), 9),
    **dict.fromkeys(("octobre", "october", "oct"), 10),
    **dict.fromkeys(("novembre", "november", "nov"), 11),
    **dict.fromkeys(("decembre", "december", "dec"), 12),
}
_ISO_DATE: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC_DATE: Final = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_WORDED_DATE: Final = re.compile(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\.?\s+(\d{4})\b")
_ENGLISH_DATE: Final = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")


def date_in(text: str) -> dt.date | None:
    """The first date in ``text``: 2025-10-12, 12/10/2025 (day first), 12 octobre 2025, October 12, 2025."""
    words = plain(text)
    found: list[tuple[int, dt.date]] = []
    candidates: list[tuple[int, int, int, int]] = []  # position, year, month, day
    for match in _ISO_DATE.finditer(words):
        candidates.append((match.start(), int(match[1]), int(match[2]), int(match[3])))
    for match in _NUMERIC_DATE.finditer(words):
        candidates.append((match.start(), int(match[3]), int(match[2]), int(match[1])))
    for match in _WORDED_DATE.finditer(words):
        if match[2] in MONTHS:
            candidates.append((match.start(), int(match[3]), MONTHS[match[2]], int(match[1])))
    for match in _ENGLISH_DATE.finditer(words):
        if match[1] in MONTHS:
            candidates.append((match.start(), int(match[3]), MONTHS[match[1]], int(match[2])))
    for position, year, month, day in candidates:
        try:
            found.append((position, dt.date(year, month, day)))
        except ValueError:
            continue
    return min(found)[1] if found else None


def page_date(page: Page) -> dt.date | None:
    """The race's date: from the title and headings first, else the first one in the page's text."""
    for text in (page.title, *page.headings):
        found = date_in(text)
        if found is not None:
            return found
    return date_in(page.text)


_DURATION: Final = re.compile(
    r"^(?:(?P<h>\d{1,2})\s*(?:h|:)\s*)?(?P<m>\d{1,3})\s*(?:'|:|m(?:in)?|’)\s*(?P<s>\d{1,2})(?:[.,](?P<f>\d+))?\s*(?:''|\"|s|’’|”)?$"
)


def duration_in(text: str) -> float | None:
    """Seconds of a written time: 0:42:13, 42:13, 1h02'33, 1h02:33, 42'13'', 01:23:45.6, 1:23:45,4."""
    match = _DURATION.match(plain(text).replace(" ", ""))
    if match is None:
        return None
    hours, minutes, seconds = int(match["h"] or 0), int(match["m"]), int(match["s"])
    if seconds >= 60 or (match["h"] is not None and minutes >= 60):
        return None
    fraction = float(f"0.{match['f']}") if match["f"] else 0.0
    total = hours * 3600 + minutes * 60 + seconds + fraction
    return total if total > 0 else None
