"""BM25 on a corpus small enough to check by hand, and the FR/EN token folding."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from knowledge.chunking import chunk_corpus
from knowledge.documents import load_corpus
from knowledge.evaluation import load_queries
from knowledge.lexical import BM25, K1, B, fold, tokenize


def test_tokens_are_folded_for_french_and_english() -> None:
    assert fold("Récupération ÉLAN") == "recuperation elan"
    assert tokenize("L'allure de l'entraînement, c'est quoi ?") == ["allure", "entrainement"]
    assert tokenize("The tibias hurt when I run 10 km") == ["tibia", "hurt", "run", "10", "km"]
    assert tokenize("stress") == ["stress"]


def test_bm25_scores_match_the_formula_by_hand() -> None:
    texts = ["tibia pain", "knee pain pain", "heat"]
    bm25 = BM25(texts, k1=1.2, b=0.75)
    # N = 3, df(pain) = 2, df(tibia) = 1; lengths 2, 3, 1, average 2.
    idf_pain = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    idf_tibia = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    assert bm25.idf("pain") == pytest.approx(idf_pain)

    def term(idf: float, tf: float, length: float) -> float:
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / 2))

    expected = [term(idf_tibia, 1, 2) + term(idf_pain, 1, 2), term(idf_pain, 2, 3), 0.0]
    assert bm25.scores("tibia pain") == pytest.approx(expected)


def test_bm25_ranks_the_specific_document_first() -> None:
    texts = [
        "Shin splints: pain along the inside of the tibia when running.",
        "Knee pain on the outside: the iliotibial band.",
        "Heat acclimatisation takes ten to fourteen days.",
        "Douleur au tibia en courant : le syndrome de stress tibial.",
    ]
    bm25 = BM25(texts)
    assert int(np.argmax(bm25.scores("tibia pain running"))) == 0
    assert list(np.argsort(-bm25.scores("tibia running"))[:2]) == [0, 3]
    assert int(np.argmax(bm25.scores("j'ai mal au tibia en courant"))) == 3
    assert not bm25.scores("marathon taper").any()
    assert not BM25([]).scores("anything").any()


def test_bm25_on_the_shipped_corpus_equals_the_formula_term_by_term() -> None:
    """The vectorised scores against a plain-Python BM25 (Robertson & Zaragoza 2009, Lucene's idf)."""
    texts = [chunk.embedding_text for chunk in chunk_corpus(load_corpus())]
    bm25 = BM25(texts)
    counts = [Counter(tokenize(text)) for text in texts]
    average = sum(sum(count.values()) for count in counts) / len(counts)
    frequency = Counter(term for count in counts for term in count)

    def by_hand(query: str) -> list[float]:
        terms = set(tokenize(query))
        scores = []
        for count in counts:
            length = sum(count.values())
            score = 0.0
            for term in terms & count.keys():
                idf = math.log(1 + (len(texts) - frequency[term] + 0.5) / (frequency[term] + 0.5))
                tf = count[term]
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
            scores.append(score)
        return scores

    questions = [query.text for query in load_queries()] + ["VMA VMA vma", "zzz inconnu", ""]
    for question in questions:
        expected = by_hand(question)
        scores = bm25.scores(question)
        assert scores.shape == (len(texts),)
        assert scores == pytest.approx(expected, rel=1e-12, abs=1e-12), question
