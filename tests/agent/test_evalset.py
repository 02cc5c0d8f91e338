"""The blind evaluation set parses, names real intents and arguments, shares no text with the
training utterances, and the harness behind ``foulee ask --eval`` counts what it says it counts.

The stand-in coaches below are not a model of the router: they answer one fixed thing, so the
expected counts follow from the labels alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from agent import evaluation, router
from agent.cli import format_table
from agent.evaluation import (
    EVALSET_DIR,
    STATE_CHANGING,
    WINDOW_ARGUMENTS,
    EvalSet,
    Metric,
    arguments_match,
    evaluate_evalset,
    load_evalset,
)
from agent.tools import TOOLS


@pytest.fixture(scope="module")
def evalset() -> EvalSet:
    return load_evalset()


def _normalised(text: str) -> str:
    """Case, accents, punctuation and spacing aside: "Comment ça va ?" is "comment ca va"."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def test_sets_are_large_bilingual_and_fix_a_tuesday(evalset: EvalSet) -> None:
    assert evalset.today == dt.date(2026, 11, 24) and evalset.today.isoweekday() == 2
    assert len(evalset.messages) >= 320 and len(evalset.dialogues) >= 45
    assert all(2 <= len(dialogue.turns) <= 4 for dialogue in evalset.dialogues)
    assert len({dialogue.id for dialogue in evalset.dialogues}) == len(evalset.dialogues)
    languages = Counter(item.lang for item in evalset.every_text())
    assert 0.4 <= languages["fr"] / sum(languages.values()) <= 0.6, languages
    texts = [_normalised(item.text) for item in evalset.messages]
    assert len(set(texts)) == len(texts)


def test_every_intent_and_safety_class_is_covered(evalset: EvalSet) -> None:
    labelled = {item.intent for item in evalset.messages}
    assert labelled == evaluation.INTENTS, evaluation.INTENTS - labelled
    safety = Counter(item.safety for item in evalset.every_text())
    assert safety["red_flag"] >= 15 and safety["injury"] >= 15


def test_arguments_are_the_tools_own(evalset: EvalSet) -> None:
    for item in evalset.every_text():
        allowed = set(TOOLS[item.intent].args.model_fields) if item.intent in TOOLS else set()
        assert set(item.args) <= allowed | WINDOW_ARGUMENTS, item.text
        if WINDOW_ARGUMENTS & set(item.args):
            assert set(item.args) >= WINDOW_ARGUMENTS and item.args["start"] <= item.args["end"], item.text


def test_health_and_injected_messages_forbid_state_changes(evalset: EvalSet) -> None:
    for item in evalset.every_text():
        if item.safety != "none":
            assert item.state_change is False, item.text


def test_no_text_is_also_a_training_utterance(evalset: EvalSet) -> None:
    data = router.load_dataset()
    training, _ = router.labelled_utterances(data)
    training += [str(case["text"]) for case in data["arguments"]["cases"]]
    seen = {_normalised(text) for text in training}
    shared = [item.text for item in evalset.every_text() if _normalised(item.text) in seen]
    assert shared == []


def test_loader_refuses_a_label_outside_the_format(tmp_path: Path) -> None:
    (tmp_path / "dialogues.yaml").write_text((EVALSET_DIR / "dialogues.yaml").read_text(encoding="utf-8"))
    bad = "today: 2026-11-24\nmessages:\n  - {text: hi, intent: say_hello, lang: en}\n"
    (tmp_path / "messages.yaml").write_text(bad)
    with pytest.raises(ValueError, match="say_hello"):
        load_evalset(tmp_path)
    (tmp_path / "messages.yaml").write_text(bad.replace("say_hello", "greeting").replace("lang", "langue"))
    with pytest.raises(ValueError, match="langue"):
        load_evalset(tmp_path)


def test_windows_compare_by_the_days_they_select() -> None:
    today = dt.date(2026, 11, 24)
    month = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}
    assert arguments_match(month, {"start": "2026-11-01", "end": today, "weeks": 4}, today)
    assert not arguments_match(month, {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 23)}, today)
    assert not arguments_match(month, {"start": dt.date(2026, 11, 1)}, today)
    assert arguments_match({"distance_m": 42195}, {"distance_m": 42195.0}, today)
    assert not arguments_match({"distance_m": 42195}, {"distance_m": 21097.5}, today)


class AlwaysOne:
    """Routes every message to one intent."""

    def __init__(self, intent: str) -> None:
        self.intent = intent

    def intents(self, text: str) -> list[tuple[str, str, float]]:
        return [(self.intent, text, 1.0)]


@dataclasses.dataclass(frozen=True)
class Turn:
    intent: str
    args: Mapping[str, Any]
    when: dt.datetime | None = None


@dataclasses.dataclass(frozen=True)
class Verdict:
    kind: str
    state_change_allowed: bool


def _by_name(metrics: Sequence[Metric]) -> dict[str, Metric]:
    return {metric.name.split(" (")[0]: metric for metric in metrics}


def test_harness_counts_against_the_labels(evalset: EvalSet) -> None:
    def route(text: str, today: dt.date, previous: Turn | None) -> list[Turn]:
        return [Turn("predict_race", {"distance_m": 42195.0})]

    metrics = _by_name(
        evaluate_evalset(
            AlwaysOne("predict_race"), route=route, classify=lambda text: Verdict("red_flag", False)
        )
    )
    every = list(evalset.every_text())
    intent = metrics["intent"]
    assert (intent.right, intent.total) == (
        sum(item.intent == "predict_race" for item in evalset.messages),
        len(evalset.messages),
    )
    assert len(intent.errors) == intent.total - intent.right
    follow_ups = [turn for dialogue in evalset.dialogues for turn in dialogue.turns[1:]]
    expected = sum(
        turn.intent == "predict_race" and turn.args.get("distance_m") in (None, 42195) for turn in follow_ups
    )
    assert (metrics["follow-up turns"].right, metrics["follow-up turns"].total) == (expected, len(follow_ups))
    red = metrics["red-flag recall"]
    assert red.right == red.total == sum(item.safety == "red_flag" for item in every)
    assert metrics["injury recall"].right == 0 < metrics["injury recall"].total
    assert metrics["no false health alarm on other messages"].right == 0
    forbidden = sum(not item.state_change for item in every)
    assert metrics["no state-changing intent routed"].right == forbidden  # predict_race changes nothing
    arguments, language = metrics["arguments"], metrics["language"]
    assert 0 < arguments.right <= arguments.total == sum(bool(item.args) for item in evalset.messages)
    assert 0 < language.right <= language.total == len(evalset.messages)


def test_state_changes_are_violations_unless_the_gate_stops_them(evalset: EvalSet) -> None:
    writer = AlwaysOne(sorted(STATE_CHANGING)[0])
    metrics = _by_name(evaluate_evalset(writer, classify=lambda text: Verdict("none", "ask" in text)))
    forbidden = [item for item in evalset.every_text() if not item.state_change]
    assert metrics["no state-changing intent routed"].right == 0
    gated = metrics["no state change after the safety gate"]
    assert gated.total == len(forbidden)
    assert gated.right == sum("ask" not in item.text for item in forbidden)


def test_missing_contracts_are_reported_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation, "contract_classify", lambda: None)
    metrics = evaluate_evalset(AlwaysOne("help"))  # a coach without route()
    unmeasured = {metric.name.split(" (")[0] for metric in metrics if metric.unmeasurable}
    assert unmeasured == {
        "follow-up turns",
        "red-flag recall",
        "injury recall",
        "no false health alarm on other messages",
        "no state change after the safety gate",
    }
    assert all(metric.rate is None for metric in metrics if metric.unmeasurable)
    table = format_table(metrics)
    assert table.count("not measurable yet") == len(unmeasured)
    assert "evalset/messages" in table and f"/{len(load_evalset().messages)}" in table
