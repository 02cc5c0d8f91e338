"""Load and validate the corpus: Markdown documents with a YAML front matter.

A document that breaks the format is refused with an error naming its file and what is wrong, so a
writer's typo fails loudly at ``foulee kb build`` (and in the test over the shipped corpus) instead
of silently vanishing from the coach's answers.

Format (``knowledge/corpus/<language>/<id>.md``)::

    ---
    id: vma-testing            # shared by the FR and EN versions of a topic
    title: "..."
    language: en               # en | fr
    topics: [vma, testing]     # from knowledge.vocabulary.TOPICS
    level: intermediate        # beginner | intermediate | advanced | all
    summary: "..."
    sources: ["reference", ...]
    ---
    # Title
    Intro paragraphs.
    ## Section
    ...
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.vocabulary import LANGUAGES, LEVELS, TOPICS

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

REQUIRED_FIELDS = ("id", "title", "language", "topics", "level", "summary", "sources")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FENCE = re.compile(r"^(```|~~~)")


class CorpusError(ValueError):
    """A corpus document that cannot be used; the message starts with its path."""


@dataclass(frozen=True)
class Section:
    """One ``## `` section of a document: the unit of retrieval."""

    heading: str
    text: str


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    language: str
    topics: tuple[str, ...]
    level: str
    summary: str
    sources: tuple[str, ...]
    heading: str
    """The body's ``# `` heading (often shorter than ``title``)."""
    intro: str
    """The text between the ``# `` heading and the first section; may be empty."""
    sections: tuple[Section, ...]
    path: Path


def load_document(path: Path) -> Document:
    """Parse and validate one document; raise :class:`CorpusError` naming ``path`` on any problem."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CorpusError(f"{path}: cannot be read as UTF-8 text ({error})") from error
    meta, body = _split_front_matter(path, raw)
    fields = _validate_fields(path, meta)
    heading, intro, sections = _split_body(path, body)
    return Document(
        heading=heading,
        intro=intro,
        sections=sections,
        path=path,
        **fields,
    )


def load_corpus(root: Path = CORPUS_DIR) -> list[Document]:
    """Every document under ``root/<language>/*.md``, validated, in a stable order.

    Beyond each file's own checks: one file per (id, language), and the FR and EN versions of an
    id must share their topics, since topic filters would otherwise find a topic in one language
    only.
    """
    paths = corpus_files(root)
    if not paths:
        raise CorpusError(f"{root}: no documents (expected <language>/<id>.md files)")
    documents = [load_document(path) for path in paths]
    seen: dict[tuple[str, str], Document] = {}
    by_id: dict[str, Document] = {}
    for document in documents:
        key = (document.id, document.language)
        if key in seen:
            raise CorpusError(
                f"{document.path}: id {document.id!r} in {document.language!r} already comes from "
                f"{seen[key].path}"
            )
        seen[key] = document
        other = by_id.setdefault(document.id, document)
        if set(other.topics) != set(document.topics):
            raise CorpusError(
                f"{document.path}: topics {sorted(document.topics)} differ from those of the other "
                f"language's version {other.path} {sorted(other.topics)}"
            )
    return documents


def corpus_files(root: Path = CORPUS_DIR) -> list[Path]:
    return sorted(path for path in root.glob("*/*.md") if path.is_file())


def corpus_fingerprint(root: Path = CORPUS_DIR) -> str:
    """A SHA-256 over every document's relative path and bytes: any edit, addition or removal changes it."""
    digest = hashlib.sha256()
    for path in corpus_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _split_front_matter(path: Path, raw: str) -> tuple[dict[str, Any], str]:
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise CorpusError(f"{path}: no front matter (the file must start with a '---' line)")
    end = text.find("\n---\n", 3)
    if end < 0:
        raise CorpusError(f"{path}: the front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError as error:
        raise CorpusError(f"{path}: the front matter is not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise CorpusError(f"{path}: the front matter must be a YAML mapping")
    return meta, text[end + len("\n---\n") :]


def _validate_fields(path: Path, meta: dict[str, Any]) -> dict[str, Any]:
    missing = [name for name in REQUIRED_FIELDS if meta.get(name) in (None, "", [])]
    if missing:
        raise CorpusError(f"{path}: missing front-matter field(s): {', '.join(missing)}")
    for name in ("id", "title", "language", "level", "summary"):
        if not isinstance(meta[name], str):
            raise CorpusError(f"{path}: {name!r} must be a string, not {type(meta[name]).__name__}")
    doc_id, language, level = meta["id"], meta["language"], meta["level"]
    if not _ID.match(doc_id):
        raise CorpusError(f"{path}: id {doc_id!r} must be lowercase words joined by '-'")
    if doc_id != path.stem:
        raise CorpusError(f"{path}: id {doc_id!r} does not match the file name {path.name!r}")
    if language not in LANGUAGES:
        raise CorpusError(f"{path}: unknown language {language!r} (expected one of {', '.join(LANGUAGES)})")
    if path.parent.name in LANGUAGES and path.parent.name != language:
        raise CorpusError(f"{path}: language {language!r} but the file is in the {path.parent.name!r} folder")
    if level not in LEVELS:
        raise CorpusError(f"{path}: unknown level {level!r} (expected one of {', '.join(LEVELS)})")
    topics = _string_list(path, meta, "topics")
    unknown = [topic for topic in topics if topic not in TOPICS]
    if unknown:
        raise CorpusError(f"{path}: unknown topic(s) {', '.join(unknown)} (see knowledge/vocabulary.py)")
    return {
        "id": doc_id,
        "title": meta["title"].strip(),
        "language": language,
        "topics": tuple(dict.fromkeys(topics)),
        "level": level,
        "summary": meta["summary"].strip(),
        "sources": tuple(source.strip() for source in _string_list(path, meta, "sources")),
    }


def _string_list(path: Path, meta: dict[str, Any], name: str) -> list[str]:
    value = meta[name]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise CorpusError(f"{path}: {name!r} must be a list of non-empty strings")
    return value


def _split_body(path: Path, body: str) -> tuple[str, str, tuple[Section, ...]]:
    """The ``# `` heading, the intro, and the ``## `` sections (headings inside code fences ignored)."""
    heading: str | None = None
    intro: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    in_fence = False
    for line in body.split("\n"):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif not in_fence and line.startswith("# ") and heading is None and not sections:
            heading = line[2:].strip()
        elif sections:
            sections[-1][1].append(line)
        elif heading is not None:
            intro.append(line)
        elif line.strip():
            raise CorpusError(f"{path}: text before the '# ' title heading: {line.strip()[:60]!r}")
    if heading is None:
        raise CorpusError(f"{path}: no '# ' title heading after the front matter")
    if not sections:
        raise CorpusError(f"{path}: no sections (the body needs '## ' headings)")
    parsed = tuple(Section(title, _clean(lines)) for title, lines in sections)
    empty = [section.heading for section in parsed if not section.heading or not section.text]
    if empty:
        raise CorpusError(f"{path}: empty section(s) or heading(s): {empty}")
    return heading, _clean(intro), parsed


def _clean(lines: Iterable[str]) -> str:
    return "\n".join(lines).strip()


def languages_by_id(documents: Sequence[Document]) -> dict[str, set[str]]:
    """For each document id, the languages it exists in."""
    languages: dict[str, set[str]] = {}
    for document in documents:
        languages.setdefault(document.id, set()).add(document.language)
    return languages
