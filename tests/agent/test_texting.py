"""Texting written out before the rules, the embeddings and the safety patterns read a message."""

from __future__ import annotations

import pytest

from agent import safety
from agent.intent_rules import rule_intent
from agent.texting import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cmb de km cette sem stp", "combien de km cette semaine s'il te plait"),
        ("heyyy r u there", "hey are you there"),
        ("c koi ma vma", "c'est quoi ma vma"),
        ("jai mal", "j'ai mal"),
        ("its gonna be hot tmrw", "its going to be hot tomorrow"),
        ("mes pommes", "mes pommes"),
    ],
)
def test_texting_is_written_out(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_a_glued_elision_no_longer_hides_a_red_flag() -> None:
    assert safety.classify("jarrivais plus a respirer en montee").kind == "red_flag"


@pytest.mark.parametrize(
    "text",
    [
        "jai mal au genou depuis dimanche",
        "got really dizzy mid run today",
        "une douleur dans la poitrine pendant ma sortie",
    ],
)
def test_a_health_message_is_routed_to_advice_never_to_a_writing_tool(text: str) -> None:
    assert rule_intent(text) == "search_knowledge"


@pytest.mark.parametrize(
    "text",
    [
        "comment ameliorer ma vma ?",
        "its gonna be 32 degrees on sunday for my long run, any advice?",
        "des conseils pour la chaleur ?",
    ],
)
def test_how_to_do_better_is_advice_not_the_figure(text: str) -> None:
    assert rule_intent(text) == "search_knowledge"


def test_an_old_injury_stays_a_fact_to_remember() -> None:
    assert rule_intent("I had a stress fracture last year") != "search_knowledge"
