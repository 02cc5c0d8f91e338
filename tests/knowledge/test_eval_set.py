"""The labelled evaluation set is large enough, bilingual, crosses languages both ways, and names real ids."""

from __future__ import annotations

import pytest

from knowledge.documents import load_corpus
from knowledge.evaluation import crosses_language, first_rank, load_queries, score


def test_the_evaluation_set_is_bilingual_and_points_at_shipped_documents() -> None:
    queries = load_queries()
    documents = load_corpus()
    ids = {doc.id for doc in documents}
    assert len(queries) >= 60
    assert {query.language for query in queries} == {"fr", "en"}
    assert all(set(query.expected) <= ids for query in queries), [
        query.text for query in queries if not set(query.expected) <= ids
    ]
    crossing = [query for query in queries if crosses_language(query, documents)]
    assert {query.language for query in crossing} == {"fr", "en"}
    assert len({query.text for query in queries}) == len(queries)


def test_recall_and_mrr_arithmetic() -> None:
    assert first_rank(["a", "b", "c"], ["c", "x"]) == 3
    assert first_rank(["a"], ["x"]) is None
    scores = score([1, 2, 4, None])
    assert scores.recall == {1: 0.25, 3: 0.5, 5: 0.75}
    assert scores.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 4)
