"""The offline router on its labelled set, and the argument extraction behind each tool."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import router
from agent.evaluation import evaluate_arguments


@pytest.fixture(scope="session")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> router.Evaluation:
    return router.evaluate(cache_dir=tmp_path_factory.mktemp("router"))


def test_split_is_fixed_stratified_and_disjoint() -> None:
    _, labels = router.labelled_utterances(router.load_dataset())
    train, held_out = router.split(labels)
    assert (train, held_out) == router.split(labels)
    assert not set(train) & set(held_out) and len(train) + len(held_out) == len(labels)
    assert {labels[i] for i in held_out} == set(labels)


def test_dataset_is_bilingual_and_large() -> None:
    data = router.load_dataset()
    texts, labels = router.labelled_utterances(data)
    assert len(texts) >= 500 and len(set(texts)) == len(texts)
    assert {"weekly_summary", "predict_race", "remember_fact", "off_topic"} <= set(labels)


def test_every_utterance_is_a_string() -> None:
    # An unquoted "mon but : finir mon premier semi" is a YAML mapping, not a sentence.
    data = router.load_dataset()
    assert all(isinstance(text, str) for utterances in data["intents"].values() for text in utterances)


def test_held_out_intent_accuracy(evaluation: router.Evaluation) -> None:
    # The target. Measured 98.9 % (185/187) on 24 November 2026 (docs/agent.md), so a
    # slightly different embedder has room before this fails.
    assert evaluation.held_out_size >= 150
    assert evaluation.accuracy >= 0.95, evaluation.errors
    assert 0 < evaluation.ruled < evaluation.held_out_size


def test_argument_extraction_on_the_labelled_cases() -> None:
    result = evaluate_arguments()
    assert result.cases >= 70
    assert result.accuracy >= 0.95, result.errors


def test_embedding_cache_is_reused(tmp_path: Path) -> None:
    calls: list[int] = []

    class CountingEmbedder:
        model = "counting"

        def embed_queries(self, texts: list[str]) -> object:
            import numpy as np

            calls.append(len(texts))
            return np.ones((len(texts), 4), dtype=np.float32)

    texts = ["a", "b", "c"]
    first = router.embed_dataset(CountingEmbedder(), texts, tmp_path)
    second = router.embed_dataset(CountingEmbedder(), texts, tmp_path)
    assert calls == [3] and (first == second).all()
    router.embed_dataset(CountingEmbedder(), [*texts, "d"], tmp_path)
    assert calls == [3, 4]


def test_trained_router_round_trips_through_its_cache(tmp_path: Path) -> None:
    import numpy as np

    class FixedEmbedder:
        model = "fixed"

        def embed_queries(self, texts: list[str]) -> object:
            return np.array([[1.0, 0.0] if "run" in text else [0.0, 1.0] for text in texts], dtype=np.float32)

    embedder = FixedEmbedder()
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], dtype=np.float32)
    trained = router.Router.train(embedder, ["log", "log", "help", "help"], vectors)
    trained.save(tmp_path / "model.npz")
    loaded = router.Router.load(embedder, tmp_path / "model.npz")
    assert loaded.classify("I ran a run") == trained.classify("I ran a run")
    assert loaded.classify("I ran a run").name == "log" and loaded.classify("anything else").name == "help"
