"""Hybrid retrieval: dense (FAISS) and lexical (BM25) rankings fused by reciprocal rank.

The dense half understands paraphrase and crosses languages (a French question finds an English
page); the lexical half catches exact names and numbers the embedding blurs. Each ranks the
chunks that pass the filters and keeps its best :data:`DEPTH`; reciprocal-rank fusion
(:mod:`knowledge.fusion`) merges the two lists. Two adjustments make the languages meet on equal
terms: dense similarities are corrected for the model's same-language bias
(:meth:`KnowledgeBase.dense_scores`), and a passage in another language than the reader's takes
its dense rank in the lexical list, where no word of the question can match it. docs/knowledge.md
measures both.

**Language filter.** ``language`` is the reader's language: hits in that language, plus the
documents that exist in no version in that language (the English-only heat guide still answers a
French runner, who gets it rather than nothing). A document that exists in both languages is only
returned in the requested one.

**Topics filter.** Chunks of documents tagged with at least one of ``topics``.

The process keeps one :class:`KnowledgeBase` per (backend, index directory, corpus). Every
:data:`RECHECK_SECONDS` it compares the corpus files' sizes and modification times with those it
was built from and reopens the index when they changed (which rebuilds it when the content
changed), so an edited corpus is never answered from a stale index for long.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from knowledge.documents import CORPUS_DIR, corpus_files
from knowledge.embeddings import Embedder, get_embedder
from knowledge.fusion import fuse_ranks
from knowledge.hits import Hit
from knowledge.index import StoredIndex, open_index
from knowledge.lexical import BM25
from knowledge.vocabulary import LANGUAGES, TOPICS

#: How many candidates each ranking contributes to the fusion.
DEPTH: Final = 50
#: At most this many passages of one document in a result, so that a few hits cover several documents.
MAX_PER_DOCUMENT: Final = 2
RECHECK_SECONDS: Final = 2.0

Mode = Literal["hybrid", "dense", "lexical"]


class KnowledgeBase:
    """Searches one loaded index. Thread-safe: searching reads shared state only."""

    def __init__(
        self, stored: StoredIndex, embedder: Embedder, *, correct_language_bias: bool = True
    ) -> None:
        """``correct_language_bias=False`` is for the benchmark's ablation only."""
        self.stored = stored
        self.correct_language_bias = correct_language_bias
        self.embedder = embedder
        self.chunks = stored.chunks
        self._bm25 = BM25([chunk.embedding_text for chunk in self.chunks])
        self._languages = np.array([chunk.language for chunk in self.chunks])
        languages_of: dict[str, set[str]] = {}
        for chunk in self.chunks:
            languages_of.setdefault(chunk.doc_id, set()).add(chunk.language)
        self._available_in = {
            language: np.array([language in languages_of[chunk.doc_id] for chunk in self.chunks], dtype=bool)
            for language in LANGUAGES
        }
        self._tagged = {
            topic: np.array([topic in chunk.topics for chunk in self.chunks], dtype=bool) for topic in TOPICS
        }
        in_every_language = np.logical_and.reduce(list(self._available_in.values()))
        self._parallel_by_language = {
            language: in_every_language & (self._languages == language) for language in LANGUAGES
        }

    def search(
        self,
        text: str,
        *,
        language: str | None = None,
        topics: Sequence[str] | None = None,
        k: int = 5,
        mode: Mode = "hybrid",
        max_per_document: int | None = MAX_PER_DOCUMENT,
    ) -> list[Hit]:
        """The ``k`` best passages for ``text`` (see the module docstring for the filters)."""
        allowed = self.filter_mask(language, topics)
        if not text.strip() or k <= 0 or not allowed.any():
            return []
        rankings: list[dict[int, int]] = []
        if mode in ("hybrid", "dense"):
            rankings.append(_ranks(self._dense_ranking(text, language, allowed)))
        if mode in ("hybrid", "lexical"):
            lexical_allowed = allowed
            if mode == "hybrid" and language is not None:
                lexical_allowed = allowed & (self._languages == language)
            lexical = _ranks(self._lexical_ranking(text, lexical_allowed))
            if mode == "hybrid" and language is not None and lexical:
                # Words cannot match across languages, so BM25 has no opinion on the passages in
                # another language that the filter lets in: they keep their dense rank in its place
                # rather than losing to every same-language passage that shares a word. (When no
                # word matches at all, as for a question written in another language than the
                # reader's, BM25 has no opinion on anything and the dense ranking decides alone.)
                crossing = allowed & ~lexical_allowed
                lexical.update((row, rank) for row, rank in rankings[0].items() if crossing[row])
            if lexical:
                rankings.append(lexical)
        hits: list[Hit] = []
        per_document: dict[str, int] = {}
        for row, score in fuse_ranks(rankings):
            chunk = self.chunks[row]
            if max_per_document is not None and per_document.get(chunk.doc_id, 0) >= max_per_document:
                continue
            per_document[chunk.doc_id] = per_document.get(chunk.doc_id, 0) + 1
            hits.append(
                Hit(
                    doc_id=chunk.doc_id,
                    title=chunk.title,
                    language=chunk.language,
                    topics=chunk.topics,
                    section=chunk.section,
                    score=score,
                    source=chunk.source,
                    text=chunk.text,
                )
            )
            if len(hits) == k:
                break
        return hits

    def filter_mask(self, language: str | None, topics: Sequence[str] | None) -> npt.NDArray[np.bool_]:
        """Which chunks the filters let through (raises ValueError on an unknown language or topic)."""
        allowed = np.ones(len(self.chunks), dtype=bool)
        if language is not None:
            if language not in LANGUAGES:
                raise ValueError(f"unknown language {language!r} (expected one of {', '.join(LANGUAGES)})")
            allowed &= (self._languages == language) | ~self._available_in[language]
        if topics:
            unknown = [topic for topic in topics if topic not in TOPICS]
            if unknown:
                raise ValueError(f"unknown topic(s) {', '.join(unknown)} (see knowledge/vocabulary.py)")
            allowed &= np.logical_or.reduce([self._tagged[topic] for topic in topics])
        return allowed

    def dense_scores(self, text: str, language: str | None) -> npt.NDArray[np.float32]:
        """Each chunk's cosine similarity to ``text``, corrected for the embedding's language bias.

        Multilingual embeddings score a passage in the query's own language higher than the same
        content in another one, so an English-only document loses to loosely related French ones
        for a French question. The bias is measured on the query itself: its mean similarity to
        each language's chunks of the documents that exist in both languages (the same content, so
        the gap is language alone). Chunks are shifted by it onto the reader's language's scale;
        with no reader language, every language is centred on the same mean.
        """
        query = self.embedder.embed_queries([text])
        similarities, rows = self.stored.vectors.search(query, len(self.chunks))
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        found = rows[0] >= 0
        scores[rows[0][found]] = similarities[0][found]
        means = {
            chunk_language: float(scores[mask].mean())
            for chunk_language, mask in self._parallel_by_language.items()
            if mask.any()
        }
        if len(means) < 2 or not self.correct_language_bias:
            return scores
        target = means.get(language, 0.0) if language is not None else 0.0
        for chunk_language, mean in means.items():
            scores[self._languages == chunk_language] += target - mean
        return scores

    def _dense_ranking(self, text: str, language: str | None, allowed: npt.NDArray[np.bool_]) -> list[int]:
        scores = self.dense_scores(text, language)
        candidates = np.flatnonzero(allowed)
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [int(row) for row in order[:DEPTH]]

    def lexical_scores(self, text: str) -> npt.NDArray[np.float64]:
        """Each chunk's BM25 score for ``text`` (0 when they share no word)."""
        return self._bm25.scores(text)

    def _lexical_ranking(self, text: str, allowed: npt.NDArray[np.bool_]) -> list[int]:
        scores = np.where(allowed, self.lexical_scores(text), 0.0)
        candidates = np.flatnonzero(scores > 0)
        order = candidates[np.argsort(-scores[candidates], kind="stable")]
        return [int(row) for row in order[:DEPTH]]


class _Cached:
    def __init__(self, base: KnowledgeBase, signature: tuple[tuple[str, int, int], ...]) -> None:
        self.base = base
        self.signature = signature
        self.checked = time.monotonic()


_cache: dict[tuple[str, Path, Path], _Cached] = {}
_cache_lock = threading.Lock()


def index_directory() -> Path:
    """Where the index lives: ``$FOULEE_DATA_DIR/knowledge``."""
    from foulee.config import get_settings

    return get_settings().resolved_data_dir / "knowledge"


def get_knowledge_base(
    embedder: Embedder | None = None, directory: Path | None = None, corpus_root: Path = CORPUS_DIR
) -> KnowledgeBase:
    """The process-wide knowledge base, opened (and built or rebuilt if needed) on first use."""
    embedder = embedder or get_embedder()
    directory = directory or index_directory()
    key = (embedder.name, directory, corpus_root)
    with _cache_lock:
        cached = _cache.get(key)
        now = time.monotonic()
        if cached is not None and now - cached.checked < RECHECK_SECONDS:
            return cached.base
        signature = _corpus_signature(corpus_root)
        if cached is not None and cached.signature == signature:
            cached.checked = now
            return cached.base
        base = KnowledgeBase(open_index(directory, embedder, corpus_root), embedder)
        _cache[key] = _Cached(base, signature)
        return base


def search(
    text: str, *, language: str | None = None, topics: Sequence[str] | None = None, k: int = 5
) -> list[Hit]:
    """The configured knowledge base's ``k`` best passages for ``text``; see :class:`KnowledgeBase`."""
    return get_knowledge_base().search(text, language=language, topics=topics, k=k)


def forget_cached() -> None:
    """Drop the process-wide knowledge bases (after ``foulee kb build`` or in tests)."""
    with _cache_lock:
        _cache.clear()


def _corpus_signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    signature = []
    for path in corpus_files(root):
        status = path.stat()
        signature.append((path.name + path.parent.name, status.st_mtime_ns, status.st_size))
    return tuple(signature)


def _ranks(ranking: Sequence[int]) -> dict[int, int]:
    return {row: rank for rank, row in enumerate(ranking, start=1)}
