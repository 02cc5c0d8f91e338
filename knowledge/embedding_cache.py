"""Passage embeddings kept between index builds, keyed by model and text.

Embedding the corpus is the slow part of a build (multilingual-e5-small reads on the order of a
thousand tokens a second on a small CPU, and the corpus is some 90,000 tokens). Most rebuilds follow
an edit to one or two documents, so vectors are cached under ``sha256(model, text)``: a rebuild
embeds only the chunks whose text changed. A key names the exact model (and the package version
that ships it), so a cached vector can be missing but never stale.

The repository also ships a *seed* (``knowledge/seed/embeddings-<backend>.npz``): the same kind of
file for the shipped corpus, written by ``foulee kb build --update-seed``. On a fresh machine the
first search then builds its index in a second instead of minutes, with vectors the installed model
would give (a test re-embeds a sample to check). A corpus edit not yet in the seed only costs the
edited chunks' embedding.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from knowledge.embeddings import Embedder, Vectors

logger = logging.getLogger(__name__)


SEED_DIR = Path(__file__).resolve().parent / "seed"

Kind = Literal["passage", "query"]


def seed_path(backend: str) -> Path:
    return SEED_DIR / f"embeddings-{backend}.npz"


class EmbeddingCache:
    """One ``.npz`` file of (key, vector) pairs for one embedder, read on top of the shipped seed.

    Passages and queries are embedded differently (e5 prefixes them), so ``kind`` is part of the
    key: the knowledge base caches passages, the coach's router its labelled utterances as queries.
    """

    def __init__(
        self, path: Path, embedder: Embedder, seed: Path | None = None, *, kind: Kind = "passage"
    ) -> None:
        self.path = path
        self.embedder = embedder
        self.seed = seed_path(embedder.name) if seed is None else seed
        self.kind = kind

    def key(self, text: str) -> str:
        # Passage keys keep their first form (no kind in them), so existing caches and the seed stay valid.
        prefix = "" if self.kind == "passage" else f"{self.kind}\0"
        return hashlib.sha256(f"{self.embedder.model}\0{prefix}{text}".encode()).hexdigest()

    def load(self) -> dict[str, Vectors]:
        """The seed's vectors, updated with this cache's."""
        return {**self._read(self.seed), **self._read(self.path)}

    def _read(self, path: Path) -> dict[str, Vectors]:
        try:
            with np.load(path, allow_pickle=False) as stored:
                keys, vectors = stored["keys"], stored["vectors"]
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError) as error:
            logger.warning("ignoring an unreadable embedding cache %s (%s)", path, error)
            return {}
        if vectors.ndim != 2 or vectors.shape[1] != self.embedder.dim or len(keys) != len(vectors):
            return {}
        return {str(key): vectors[row] for row, key in enumerate(keys)}

    def embed(self, texts: Sequence[str], *, reuse: bool = True) -> Vectors:
        """Vectors for ``texts`` (row per text), embedding only those not cached; rewrites the cache.

        The rewritten cache holds exactly ``texts``, so it never grows past the current corpus.
        """
        keys = [self.key(text) for text in texts]
        known = self.load() if reuse else {}
        unknown = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
        missing = sorted(unknown.items())
        if missing:
            compute = self.embedder.embed_passages if self.kind == "passage" else self.embedder.embed_queries
            fresh = compute([text for _, text in missing])
            known.update((key, fresh[row]) for row, (key, _) in enumerate(missing))
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            vectors[row] = known[key]
        save(self.path, keys, vectors)
        logger.info("embedded %d of %d %s texts, the rest cached", len(missing), len(texts), self.kind)
        return vectors

    def write_seed(self, texts: Sequence[str], vectors: Vectors) -> Path:
        """Make ``texts``' vectors the shipped seed (``foulee kb build --update-seed``)."""
        save(self.seed, [self.key(text) for text in texts], vectors)
        return self.seed


def save(path: Path, keys: Sequence[str], vectors: Vectors) -> None:
    """Write a cache file atomically (a reader sees the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(temporary, keys=np.array(keys, dtype="U64"), vectors=vectors)
    temporary.replace(path)
