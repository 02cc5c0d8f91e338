"""The development set (agent/devset/README.md) parses, is big enough, and shares no text with the
training utterances; ``foulee ask --dev`` reports on it with the blind set's metrics."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pytest

from agent import router
from agent.evaluation import DEVSET_DIR, DEVSET_HALVES, EvalSet, load_evalset


def _normalised(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


@pytest.fixture(scope="module")
def halves() -> dict[str, EvalSet]:
    return {half: load_evalset(DEVSET_DIR / half) for half in DEVSET_HALVES}


def test_halves_are_large_bilingual_and_named(halves: dict[str, EvalSet]) -> None:
    assert sum(len(half.messages) for half in halves.values()) >= 250
    assert sum(len(half.dialogues) for half in halves.values()) >= 30
    for name, half in halves.items():
        assert half.source == f"devset/{name}"
        languages = Counter(item.lang for item in half.every_text())
        assert 0.4 <= languages["fr"] / sum(languages.values()) <= 0.6, (name, languages)
        safety = Counter(item.safety for item in half.every_text())
        assert safety["red_flag"] >= 8 and safety["injury"] >= 5, (name, safety)


def test_halves_share_no_text_with_each_other_or_the_training_utterances(
    halves: dict[str, EvalSet],
) -> None:
    data = router.load_dataset()
    training, _ = router.labelled_utterances(data)
    training += [str(case["text"]) for case in data["arguments"]["cases"]]
    seen = {_normalised(text) for text in training}
    tune = {_normalised(item.text) for item in halves["tune"].messages}
    check = {_normalised(item.text) for item in halves["check"].messages}
    assert tune & check == set()
    shared = [
        item.text for half in halves.values() for item in half.every_text() if _normalised(item.text) in seen
    ]
    assert shared == []


def test_health_messages_forbid_state_changes(halves: dict[str, EvalSet]) -> None:
    for half in halves.values():
        for item in half.every_text():
            if item.safety != "none":
                assert item.state_change is False, item.text
