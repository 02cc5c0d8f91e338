"""Keyword rules before the router's classifier: they fire only on unambiguous cues."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from agent import router
from agent.intent_rules import rule_intent


def test_every_rule_that_fires_on_the_labelled_set_agrees_with_the_label() -> None:
    texts, labels = router.labelled_utterances(router.load_dataset())
    fired = [(text, label, rule_intent(text)) for text, label in zip(texts, labels, strict=True)]
    wrong = [case for case in fired if case[2] is not None and case[2] != case[1]]
    assert not wrong
    assert sum(case[2] is not None for case in fired) >= 100  # the rules do carry weight


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Salut coach !", "greeting"),
        ("thanks a lot", "greeting"),
        ("menu", "help"),
        ("mon TSB ?", "training_load"),
        ("my ramp rate this month", "training_load"),
        ("regarde l'activité 12", "activity_analysis"),
        ("retiens que je cours le soir", "remember_fact"),
        ("I can only run twice a week", "remember_fact"),
        ("j'ai zappé ma sortie longue", "adjust_plan"),
        ("I've been sick since Friday", "adjust_plan"),
        ("ma FC max est 190", "update_profile"),
        ("answer in English please", "update_profile"),
        ("j'ai couru 10 km en 52 min hier", "log_activity"),
        ("pronostic marathon", "predict_race"),
    ],
)
def test_unambiguous_cues(text: str, intent: str) -> None:
    assert rule_intent(text) == intent


@pytest.mark.parametrize(
    "text",
    [
        "c'est quoi le TSB ?",  # a knowledge question about the word
        "what should I do if I miss a session?",
        "I want to run 3 times a week, make me a plan",
        "combien de temps en zone 2 avec une FC max de 190 ?",
        "what heart rate should my easy runs be at",  # "rate" is not the French "raté"
        "could I run 10 km in 50 min?",
        "hello, how many km this week?",
        "ok",
    ],
)
def test_questions_and_mixed_messages_are_left_to_the_classifier(text: str) -> None:
    assert rule_intent(text) is None


def test_the_router_embeds_only_what_no_rule_decides() -> None:
    embedded: list[list[str]] = []

    class RecordingEmbedder:
        model = "recording"

        def embed_queries(self, texts: list[str]) -> npt.NDArray[np.float32]:
            embedded.append(list(texts))
            return np.array([[1.0, 0.0]] * len(texts), dtype=np.float32)

    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    trained = router.Router.train(RecordingEmbedder(), ["weekly_summary", "help"], vectors)
    intents = trained.classify_many(["yo", "how was my week overall"])
    assert [intent.name for intent in intents] == ["greeting", "weekly_summary"]
    assert intents[0].confidence == 1.0 and embedded == [["how was my week overall"]]
    assert trained.classify_many(["hello"]) == [router.Intent("greeting", 1.0)] and len(embedded) == 1
