"""BM25 on a corpus small enough to check by hand, and the FR/EN token folding."""

from __future__ import annotations

import math

import numpy as np
import pytest

from knowledge.lexical import BM25, fold, tokenize


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
