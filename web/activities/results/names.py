"""Whether a results row names the athlete: the same words, whatever their order, case and accents.

Results pages write "DUPONT Jean", "Jean Dupont", "DUPONT-MARTIN Éloïse" or "Eloise Dupont Martin"
for the same person. Both names are compared as their words (:func:`name_words`: accents, case,
hyphens and apostrophes dropped), in any order; and glued together in any order, so that "LEGOFF
Anne" is "Anne Le Goff". What a page adds in brackets ("DUPONT Jean (FRA)") is left out. An initial
("DUPONT J.") is not a match: two runners share one too easily.
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from web.activities.results.page import plain

_BRACKETS: Final = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: Names of more words than this are compared as sorted words only (no gluing: 5! orders).
_GLUED_MAX_WORDS: Final = 4


def name_words(text: str) -> list[str]:
    """The words of a person's name, in lower case without accents, brackets or punctuation."""
    return re.sub(r"[^a-z]+", " ", plain(_BRACKETS.sub(" ", text))).split()


def _glued(words: list[str]) -> set[str]:
    if len(words) > _GLUED_MAX_WORDS:
        return {"".join(sorted(words))}
    return {"".join(order) for order in itertools.permutations(words)}


def same_person(written: str, account_name: str) -> bool:
    """Whether a row's name (``written``) is the athlete's account name."""
    row, account = name_words(written), name_words(account_name)
    if not row or not account:
        return False
    if sorted(row) == sorted(account):
        return True
    return bool(_glued(row) & _glued(account))
