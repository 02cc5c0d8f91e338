"""Is a text in one language only? Words that belong to the other language, found in what Foulée shows.

The words that mark each language come from two places:

* the compiled French catalogue: a word of an English msgid that no French translation uses is English
  ("week", "session"), a word of a French translation that no msgid uses is French ("semaine",
  "séance"); words both sides share ("plan", "tempo", "zone") mark neither;
* a short list of each language's function words ("the", "your", "with" / "le", "ton", "avec"), so that a
  sentence written outside the catalogue (hard-coded English in a French reply) is caught too.

Tests call :func:`assert_speaks` on every page, bot message and coach reply they render, in each language.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import web

CATALOGUE: Final = Path(web.__file__).resolve().parent / "locale" / "fr" / "LC_MESSAGES" / "django.mo"


def _word_list(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that only English uses, beyond the catalogue (function words and runners' everyday words).
ENGLISH_MARKERS: Final = _word_list(
    "the and your you with for this that week weeks run runs running session sessions easy hard "
    "today yesterday tomorrow what when which have has are was were will not but from into about "
    "than then there their they them here how why because should could would been being each every "
    "last next since until between after before without"
)
#: Words that only French uses, beyond the catalogue.
FRENCH_MARKERS: Final = _word_list(
    "le les des une ton ta tes votre vos avec pour cette ces semaine semaines sortie sorties séance "
    "séances facile aujourd hier demain quoi quand quel quelle quels quelles est sont était sera pas "
    "mais depuis dans sur sous entre après avant sans chaque dernier dernière prochaine prochain "
    "parce comment pourquoi fait faire"
)
#: Words both languages write the same way ("un record", "le chat", "un e-mail"): they mark neither.
SHARED_WORDS: Final = _word_list(
    "chat site admin email mail record records table base content ignore local global data app total "
    "normal final minute minutes note notes date zone zones plan plans type types test"
)

_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|\{[a-z_]+\}|%[sd]")
_WORD = re.compile(r"[a-zà-öø-ÿœæ]+", re.IGNORECASE)


def words(text: str) -> set[str]:
    """The lower-cased words of three letters or more in ``text`` (tags and placeholders left out)."""
    text = _PLACEHOLDER.sub(" ", _TAG.sub(" ", text))
    return {word.lower() for word in _WORD.findall(text) if len(word) >= 3}


@functools.cache
def markers() -> dict[str, frozenset[str]]:
    """For each language, the words that mark the *other* one (what a reader of it must never meet)."""
    with CATALOGUE.open("rb") as compiled:
        catalog: dict[object, str] = dict(gettext.GNUTranslations(compiled)._catalog)  # type: ignore[attr-defined]
    english: set[str] = set()
    french: set[str] = set()
    for key, translation in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:
            continue
        english |= words(str(msgid).split("\x04")[-1])
        french |= words(translation)
    english_only = (english - french) | ENGLISH_MARKERS
    french_only = (french - english) | FRENCH_MARKERS
    return {
        "fr": frozenset(english_only - FRENCH_MARKERS - SHARED_WORDS),
        "en": frozenset(french_only - ENGLISH_MARKERS - SHARED_WORDS),
    }


def foreign_words(text: str, language: str, allowed: Iterable[str] = ()) -> list[str]:
    """The words of ``text`` that belong to the language other than ``language``, sorted."""
    found = words(text) & markers()[language]
    return sorted(found - {word.lower() for word in allowed})


def assert_speaks(text: str, language: str, *, allowed: Iterable[str] = (), where: str = "") -> None:
    """Fail, naming the words and the place, when ``text`` holds a word of the other language."""
    found = foreign_words(text, language, allowed)
    assert not found, f"{where or 'text'} in {language!r} holds {found}:\n{text[:2000]}"
