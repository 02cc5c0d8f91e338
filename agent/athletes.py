"""Which athlete a coach's message is about: "Comment va Karim ?", "how is Sam's training going?".

A coach writing in their own thread may name one of their athletes. The name is looked up among the
athletes ``web.accounts.scoping.visible_athletes`` gives the coach (never anyone else's), by first
name or full name, without accents or case ("karim", "Léa", "lea martin", "Sam's"). Two athletes who
share the name said are ambiguous: the coach is asked which one. Pure lookup, no state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from agent import windows

if TYPE_CHECKING:
    from web.accounts.models import User

#: "Comment va Karim ?", "how is Sam doing?", "où en est Léa ?": how an athlete is going in general,
#: answered with their form and their week (``agent.offline.OVERVIEW``), whatever the router reads.
_HOW_IS: Final = re.compile(
    r"^\W*(?:comment (?:va|vont|ca va|se passe|se porte|avance)|ou en est|ca donne quoi|des nouvelles"
    r"|how(?:'s| is| are| has)|what about|any news)\b"
)
#: A name shorter than this is not looked for in a message (an initial would match everywhere).
MIN_NAME_CHARS = 2


@dataclass(frozen=True)
class Named:
    """The athletes a message names: one (``athlete``), several (``candidates``: ask), or none."""

    athlete: User | None = None
    candidates: list[User] = field(default_factory=list)
    #: The message without the name, for the router ("Comment va Karim ?" → "Comment va ?").
    text: str = ""

    @property
    def ambiguous(self) -> bool:
        return self.athlete is None and len(self.candidates) > 1


def _pattern(name: str) -> re.Pattern[str] | None:
    plain = windows.plain(name).strip()
    if len(plain) < MIN_NAME_CHARS:
        return None
    words = r"\s+".join(re.escape(word) for word in plain.split())
    # A whole word: "sam" in "sam's" or "sam ?", not in "samedi".
    return re.compile(rf"(?<![\w]){words}(?![\w])")


def named_athlete(coach: User, text: str) -> Named | None:
    """The coach's athlete ``text`` names, or the candidates when the name fits several; None if none."""
    from web.accounts.scoping import visible_athletes

    if not coach.is_coach:
        return None
    plain = windows.plain(text)
    full_matches: list[tuple[User, re.Match[str]]] = []
    first_matches: list[tuple[User, re.Match[str]]] = []
    for athlete in visible_athletes(coach).exclude(pk=coach.pk).order_by("full_name", "pk"):
        full = _pattern(athlete.full_name) if athlete.full_name else None
        first = _pattern(athlete.get_short_name()) if athlete.full_name else None
        if full is not None and (match := full.search(plain)):
            full_matches.append((athlete, match))
        elif first is not None and (match := first.search(plain)):
            first_matches.append((athlete, match))
    matches = full_matches or first_matches
    if not matches:
        return None
    if len(matches) > 1:
        return Named(candidates=[athlete for athlete, _ in matches], text=text)
    athlete, match = matches[0]
    # The plain form keeps the message's length character for character only without decomposed
    # accents; cut the name out of the plain text, which the router reads the same way.
    rest = (plain[: match.start()] + plain[match.end() :]).replace("'s ", " ")
    return Named(athlete=athlete, text=re.sub(r"\s+", " ", rest).strip())


def asks_how(text: str) -> bool:
    """Whether a coach's message (its name cut out) asks how the athlete is going, in general."""
    plain = windows.plain(text)
    return bool(_HOW_IS.search(plain)) and len(plain.split()) <= 8
