"""Conversation state for the offline coach: the last turn, and the follow-ups that lean on it.

"et sur marathon ?", "and a full?", "the week before?", "et celle d'après ?",
"what about last month?", "why?": an elliptic message names a new slot (a
distance, a window) or a move, and means the previous question otherwise. A
``Turn`` is what a question was routed to (intent, arguments, when); the coach
keeps the last one per conversation (``web.coaching.models.CoachingSession.state``),
bounded to one turn and expiring after ``FOLLOW_UP_TTL``, and
``agent.offline.OfflineCoach.route`` reads it. Nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Final

from agent import windows
from agent.windows import Window

#: A follow-up later than this after the previous answer is a new question.
FOLLOW_UP_TTL: Final = dt.timedelta(minutes=30)
#: An elliptic message is short: at most this many words.
MAX_FOLLOW_UP_WORDS: Final = 9
#: What a stored argument value may be (dates are written ISO).
_DATE_KEYS: Final = ("start", "end")


@dataclass(frozen=True)
class Turn:
    """One routed question: the intent, the arguments extracted for its tool, and when it was asked.

    ``text`` is the clause the arguments come from; ``why`` marks a "why?" about the previous answer.
    """

    intent: str
    args: dict[str, Any] = field(default_factory=dict)
    when: dt.datetime | None = None
    text: str = ""
    why: bool = False
    #: How sure the router was (1.0 for a follow-up); ``agent.safety`` asks before a state change
    #: it is unsure of. Not part of the stored state.
    confidence: float = 1.0

    def to_state(self) -> dict[str, Any]:
        """JSON for the conversation's stored state."""
        args = {
            key: value.isoformat() if isinstance(value, dt.date) else value
            for key, value in self.args.items()
        }
        return {
            "intent": self.intent,
            "args": args,
            "when": self.when.isoformat() if self.when else None,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any] | None, now: dt.datetime) -> Turn | None:
        """The stored turn, or None when there is none, it is malformed or it has expired."""
        if not state or not isinstance(state.get("intent"), str) or not isinstance(state.get("args"), dict):
            return None
        try:
            when = dt.datetime.fromisoformat(state["when"]) if state.get("when") else None
            args = dict(state["args"])
            for key in _DATE_KEYS:
                if isinstance(args.get(key), str):
                    args[key] = dt.date.fromisoformat(args[key])
        except (TypeError, ValueError):
            return None
        turn = cls(state["intent"], args, when)
        return None if turn.expired(now) else turn

    def expired(self, now: dt.datetime) -> bool:
        return self.when is None or not (dt.timedelta(0) <= now - self.when <= FOLLOW_UP_TTL)

    def window(self, today: dt.date) -> Window | None:
        start, end = self.args.get("start"), self.args.get("end")
        if not isinstance(start, dt.date) and not isinstance(end, dt.date):
            return None
        last = end if isinstance(end, dt.date) else today
        first = start if isinstance(start, dt.date) else last
        return Window(first, last, windows.unit_of(first, last, today))


# Matched on ``windows.plain`` text (no accents, lower case).
_CUE: Final = re.compile(
    r"^(?:ok(?:ay)?[, ]+|d'accord[, ]+|super[, ]+|merci[, ]+|thanks[, ]+|cool[, ]+)?"
    r"(?:et|and|also|aussi|pareil|idem|same|what about|how about|what of|and what about|and how about|"
    r"et pour|et sur|et en|et si|et avec|now|maintenant|plutot|rather|instead|sinon|or)\b"
)
_BACK: Final = re.compile(
    r"\b(?:d'avant|precedente?|d'encore avant|before(?: that)?|prior|previous(?: one)?|"
    r"la veille|the day before|earlier one|avant ca|juste avant)\b"
)
_FORWARD: Final = re.compile(
    r"\b(?:d'apres|suivante?|after(?: that)?|the next one|following|next one|le lendemain|the day after|"
    r"juste apres|apres ca)\b"
)
_SHIFT_UNIT: Final = (
    (re.compile(r"\b(?:jour|day|veille|lendemain)\b"), "day"),
    (re.compile(r"\b(?:semaine|week|sem)\b"), "week"),
    (re.compile(r"\b(?:mois|month)\b"), "month"),
    (re.compile(r"\b(?:annee|year)\b"), "year"),
)
_WHY: Final = re.compile(
    r"^(?:(?:et |and |mais |but |ok )?(?:pourquoi|why|how come|comment ca|ah bon|really|vraiment|"
    r"c'est a dire|what do you mean|explain|explique)|pk|pq)\b"
)


#: Words that carry no question of their own: cues, articles, and the words of windows and distances.
_SLOT_WORDS: Final = frozenset(
    re.findall(
        r"\S+",
        """et and also aussi ok okay alors then so now maintenant sinon or plutot rather instead what how
    about
    of pour for sur on in en a au aux un une le la les l the my mon ma mes de du des d celle celui ceux
    that one ones this ce cet cette ces semaine semaines week weeks sem mois month months annee year jour
    jours day days derniere dernier dernieres derniers last previous past passee passe precedente
    precedent d'avant avant before d'apres apres after next suivante suivant following depuis since from
    fortnight quinzaine weekend week-end we hier yesterday aujourd'hui today veille lendemain ago il y
    marathon semi half full 5k 10k km k mile miles bornes full marathon trail
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday
    sunday janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre january
    february march april may june july august september october november december""",
    )
)


def only_slots(text: str) -> bool:
    """Whether ``text`` says nothing but a window or a distance ("and last week?", "et sur 10 km ?")."""
    tokens = re.findall(r"[a-z][\w'-]*|\d+\w*", windows.plain(text))
    return bool(tokens) and all(token in _SLOT_WORDS or token[0].isdigit() for token in tokens)


def words(text: str) -> int:
    return len(re.findall(r"[\w']+", windows.plain(text)))


def is_short(text: str) -> bool:
    return words(text) <= MAX_FOLLOW_UP_WORDS


def has_cue(text: str) -> bool:
    return bool(_CUE.search(windows.plain(text).strip()))


def asks_why(text: str) -> bool:
    plain = windows.plain(text).strip()
    return words(text) <= 5 and bool(_WHY.search(plain))


def shift_steps(text: str) -> int:
    """-1 for "the week before", "celle d'avant"; +1 for "et celle d'après", "the next one"; else 0."""
    plain = windows.plain(text)
    if not is_short(text):
        return 0
    if _BACK.search(plain):
        return -1
    if _FORWARD.search(plain):
        return 1
    return 0


def shifted(previous: Turn, text: str, steps: int, today: dt.date) -> Window | None:
    """The previous turn's window (this week, month or day when it had none) moved ``steps``."""
    plain = windows.plain(text)
    named = next((unit for pattern, unit in _SHIFT_UNIT if pattern.search(plain)), None)
    base = previous.window(today)
    if base is None:
        anchor = today
        unit = named or "week"
    else:
        anchor = base.start
        unit = named or base.unit
    if base is None or unit != base.unit:
        if unit == "day":
            base = windows.single_day(anchor)
        elif unit == "week":
            base = windows.week_of(anchor, today)
        elif unit == "month":
            base = windows.month_of(anchor, today)
        elif unit == "year":
            base = windows.year_of(anchor.year, today)
    return windows.shift(base, steps, today) if base is not None else None
