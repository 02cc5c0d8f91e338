"""Advice from the knowledge base in the coach's own few sentences, not a pasted chunk.

``search_knowledge`` returns the sections nearest to the question; ``select`` keeps the sentences of
those sections that share the most words with the question (the knowledge base's own folding and
stop words, ``knowledge.lexical.tokenize``), at most ``MAX_SENTENCES`` and ``MAX_CHARS``, in the order
the documents give them. ``figures_for`` says which of the athlete's own figures an answer on that
topic should open with ("Ta VMA est d'environ 16 km/h : …"). Pure: no database, no model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from knowledge.lexical import tokenize

#: Sentences kept at most, and their characters at most: the rest of a phone screen is the source
#: and the athlete's figure (``agent.replies.SCREEN_CHARS``).
MAX_SENTENCES: Final = 3
MAX_CHARS: Final = 380
#: A sentence shorter than this is a fragment (a heading, "Practical consequences:"); longer, a list.
MIN_SENTENCE_CHARS: Final = 30
MAX_SENTENCE_CHARS: Final = 260

_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[«\"(A-ZÀ-Ý0-9])")
_BULLET: Final = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_TABLE_ROW: Final = re.compile(r"^\s*\|")
_CORPUS_PATH: Final = re.compile(r"knowledge/corpus/[a-z]{2}/[\w-]+\.md")
_YEAR: Final = re.compile(r"\b(?:19|20)\d{2}\b")

#: Topics whose advice depends on the athlete's own figures, and the tool that gives them: a question
#: about VMA work gets the athlete's VMA; one about easy running or heat, their Z2 heart rates.
_FIGURE_TOPICS: Final = (
    ("estimate_vma", re.compile(r"\b(?:vma|vo2 ?max|30 ?/ ?30|fractionn|interval|fraction|vitesse max)")),
    (
        "zones_analysis",
        re.compile(
            r"\b(?:chaleur|chaud|canicule|heat|hot|degr|humid|endurance fondamentale|easy run|"
            r"zone ?2|z2|aerobi|aérobi)"
        ),
    ),
)


@dataclass(frozen=True)
class Sentence:
    text: str
    hit: int
    position: int
    score: float


def sentences(text: str) -> list[str]:
    """The sentences of a section: list items and paragraphs split at their full stops; a Markdown
    table's rows ("| Session | Intensity |") are no sentences and are left out."""
    found: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)", text):
        block = "\n".join(row for row in block.splitlines() if not _TABLE_ROW.match(row))
        line = _BULLET.sub("", " ".join(block.split()))
        if line.startswith("#"):
            continue
        found.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return found


def select(query: str, hits: list[dict[str, Any]]) -> list[Sentence]:
    """The sentences of ``hits`` that answer ``query`` best, in the documents' order."""
    wanted = set(tokenize(query))
    candidates: list[Sentence] = []
    for rank, hit in enumerate(hits):
        # The section whose title answers the question ("À quoi servent les lignes droites") comes first.
        heading = len(wanted & set(tokenize(f"{hit.get('title') or ''} {hit.get('section') or ''}")))
        for position, words in enumerate(sentences(str(hit.get("text") or ""))):
            if not MIN_SENTENCE_CHARS <= len(words) <= MAX_SENTENCE_CHARS:
                continue
            overlap = len(wanted & set(tokenize(words)))
            # The best-ranked section breaks ties, and the opening sentence of a section says what it is.
            score = overlap + heading + 0.5 / (1 + rank) + (0.25 if position == 0 else 0.0)
            candidates.append(Sentence(words, rank, position, score))
    chosen: list[Sentence] = []
    used = 0
    for sentence in sorted(candidates, key=lambda s: (-s.score, s.hit, s.position)):
        if len(chosen) == MAX_SENTENCES:
            break
        if used + len(sentence.text) > MAX_CHARS:
            continue
        chosen.append(sentence)
        used += len(sentence.text) + 1
    return sorted(chosen, key=lambda s: (s.hit, s.position))


def citation(source: str) -> str:
    """ "knowledge/corpus/fr/strides.md (Daniels 2014)" from a hit's long source line."""
    path = _CORPUS_PATH.search(source)
    reference = source.split(";", 1)[1] if ";" in source else ""
    year = _YEAR.search(reference)
    author = reference.strip().split(" ", 1)[0].rstrip(",.") if reference.strip() else ""
    cited = f" ({author} {year.group(0)})" if author and year else ""
    return (path.group(0) if path else source) + cited


def figures_for(query: str) -> str | None:
    """The reading tool whose figures advice on ``query`` should start from, or None."""
    plain = query.casefold()
    return next((tool for tool, pattern in _FIGURE_TOPICS if pattern.search(plain)), None)
