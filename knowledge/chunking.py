"""Cut documents into retrievable chunks: the intro, then one chunk per ``## `` section.

Sections are what a writer meant as one idea, so they are the natural unit of an answer. A section
longer than :data:`MAX_WORDS` is split at paragraph boundaries into parts that keep its heading:
multilingual-e5-small reads at most 512 tokens (French runs at about 1.5 tokens a word), and what
lies past that limit would never be embedded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.documents import CORPUS_DIR, Document

INTRO_SECTION = "Introduction"
MAX_WORDS = 280


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    language: str
    title: str
    topics: tuple[str, ...]
    level: str
    section: str
    text: str
    source: str
    """A citation the coach can show: title, section, corpus path and the first reference."""
    position: int
    """Order within its document (0 is the intro when there is one)."""

    @property
    def embedding_text(self) -> str:
        """What the models read: the title and section name give a short section its context."""
        return f"{self.title}. {self.section}.\n{self.text}"


def chunk_document(document: Document) -> list[Chunk]:
    parts: list[tuple[str, str]] = []
    if document.intro:
        parts.extend((INTRO_SECTION, piece) for piece in split_long(document.intro))
    for section in document.sections:
        parts.extend((section.heading, piece) for piece in split_long(section.text))
    path = _display_path(document)
    return [
        Chunk(
            doc_id=document.id,
            language=document.language,
            title=document.title,
            topics=document.topics,
            level=document.level,
            section=heading,
            text=text,
            source=citation(document.title, heading, path, document.sources),
            position=position,
        )
        for position, (heading, text) in enumerate(parts)
    ]


def chunk_corpus(documents: Iterable[Document]) -> list[Chunk]:
    return [chunk for document in documents for chunk in chunk_document(document)]


def citation(title: str, section: str, path: str, sources: Sequence[str]) -> str:
    reference = f"; {sources[0]}" if sources else ""
    return f"{title} — {section} ({path}{reference})"


def citation_reference(source: str, title: str, section: str) -> str:
    """What a :func:`citation` adds to the title and section: the file and the reference.

    For a reader who already sees the title and the section (``foulee kb search``), so the
    title is not printed twice.
    """
    head = f"{title} — {section} ("
    if source.startswith(head) and source.endswith(")"):
        return source[len(head) : -1]
    return source


def split_long(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """``text`` as is when short enough, else consecutive groups of whole paragraphs.

    A single paragraph longer than the limit stays whole: cutting mid-sentence would hurt more
    than the truncated tail.
    """
    if len(text.split()) <= max_words:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    words = 0
    for paragraph in (block.strip() for block in text.split("\n\n")):
        if not paragraph:
            continue
        size = len(paragraph.split())
        if current and words + size > max_words:
            pieces.append("\n\n".join(current))
            current, words = [], 0
        current.append(paragraph)
        words += size
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def _display_path(document: Document) -> str:
    """The document's path relative to the project (``knowledge/corpus/en/x.md``) when it lives there."""
    try:
        return document.path.resolve().relative_to(CORPUS_DIR.parent.parent).as_posix()
    except ValueError:
        return f"{document.language}/{document.path.name}"
