"""The one coach interface, offline: language, tool calls, charts, stored conversation, fallbacks."""

from __future__ import annotations

import json

import pytest

from agent.coach import Coach
from tests.agent.conftest import TODAY
from web.accounts.models import User
from web.activities.models import Activity
from web.coaching.models import AthleteFact, Message, MessageRole


@pytest.fixture(scope="module")
def coach_instance() -> Coach:
    return Coach()


def test_french_question_gets_french_with_tool_calls_and_chart(
    demo: dict[str, User], coach_instance: Coach
) -> None:
    reply = coach_instance.reply(demo["lea"], "Comment s'est passée ma semaine ?", "telegram", today=TODAY)
    assert reply.language == "fr"
    assert [call["name"] for call in reply.tool_calls] == ["weekly_summary"]
    assert "Cette semaine" in reply.reply and "km" in reply.reply
    assert reply.attachments and reply.attachments[0].data.startswith(b"\x89PNG")
    payload = reply.to_json()
    assert set(payload) == {"reply", "language", "tool_calls"}
    json.dumps(payload)


def test_english_question_gets_english_even_for_a_french_profile(
    demo: dict[str, User], coach_instance: Coach
) -> None:
    reply = coach_instance.reply(demo["lea"], "What time can I run a half marathon?", today=TODAY)
    assert reply.language == "en"
    assert reply.tool_calls == [{"name": "predict_race", "args": {"distance_m": 21097.5}}]
    assert reply.reply.startswith("Half marathon in ")


def test_a_prediction_caveat_is_said_in_the_athletes_language(
    demo: dict[str, User], coach_instance: Coach
) -> None:
    # Léa runs about 23 km a week: long-race predictions carry the low-volume caveat.
    french = coach_instance.reply(demo["lea"], "Quel temps je peux faire sur un semi ?", today=TODAY)
    assert "km par semaine (sous" in french.reply and "a week" not in french.reply
    english = coach_instance.reply(demo["lea"], "What time can I run a half marathon?", today=TODAY)
    assert "km a week (under" in english.reply and "par semaine" not in english.reply


@pytest.mark.parametrize(
    ("question", "french", "english"),
    [
        ("mes zones cardiaques", "Z1 récupération", "recovery"),
        # The demo's runs have samples: Léa's VMA comes from her best 6 minutes in them.
        ("c'est quoi ma VMA", "meilleur effort de 6 minutes", "best 6-minute effort"),
        ("ma prochaine séance", "Prochaine séance, ", "Next session"),
    ],
)
def test_french_replies_carry_no_english_words(
    demo: dict[str, User], coach_instance: Coach, question: str, french: str, english: str
) -> None:
    reply = coach_instance.reply(demo["lea"], question, today=TODAY)
    assert reply.language == "fr"
    assert french in reply.reply and english not in reply.reply
    assert " — ," not in reply.reply  # a session without a description is named by its type


def test_other_language_gets_a_short_answer_in_the_profile_language(
    demo: dict[str, User], coach_instance: Coach
) -> None:
    reply = coach_instance.reply(demo["sam"], "¿Cuánto corrí esta semana?", today=TODAY)
    assert reply.language == "en" and "French and English" in reply.reply and reply.tool_calls == []


def test_conversation_is_stored_with_tool_calls(demo: dict[str, User], coach_instance: Coach) -> None:
    coach_instance.reply(demo["sam"], "am I tired?", "web", today=TODAY)
    messages = list(Message.objects.filter(session__athlete=demo["sam"], session__channel="web"))
    assert [m.role for m in messages] == [MessageRole.ATHLETE, MessageRole.ASSISTANT]
    assert messages[1].tool_calls == [{"name": "training_load", "args": {}}]
    assert messages[1].language == "en"


def test_log_and_plan_through_the_coach(demo: dict[str, User], coach_instance: Coach) -> None:
    lea = demo["lea"]
    before = Activity.objects.filter(user=lea).count()
    reply = coach_instance.reply(lea, "J'ai couru 10 km en 55 minutes hier", today=TODAY)
    assert reply.tool_calls[0]["name"] == "log_activity"
    assert Activity.objects.filter(user=lea).count() == before + 1
    assert "10,0 km" in reply.reply
    plan = coach_instance.reply(lea, "Fais-moi un plan pour un semi le 12 avril en 1h45", today=TODAY)
    assert plan.tool_calls[0] == {
        "name": "create_training_plan",
        "args": {"distance_m": 21097.5, "race_date": "2027-04-12", "target_time_s": 6300.0},
    }
    assert "Plan créé" in plan.reply and "knowledge/corpus/fr/periodisation.md" in plan.reply


def test_memory_of_facts(demo: dict[str, User], coach_instance: Coach) -> None:
    reply = coach_instance.reply(demo["sam"], "I can only run 3 days a week", today=TODAY)
    assert reply.tool_calls[0]["name"] == "remember_fact"
    fact = AthleteFact.objects.get(athlete=demo["sam"])
    assert fact.kind == "availability" and fact.days_per_week == 3


def test_red_flags_go_to_a_doctor_without_tools(demo: dict[str, User], coach_instance: Coach) -> None:
    reply = coach_instance.reply(
        demo["lea"], "j'ai eu une douleur dans la poitrine pendant ma sortie", today=TODAY
    )
    assert reply.tool_calls == [] and "médecin" in reply.reply
    english = coach_instance.reply(demo["sam"], "I nearly fainted at the end of my run", today=TODAY)
    assert "doctor" in english.reply


def test_injury_pain_is_referred_and_remembered_after_a_yes(
    demo: dict[str, User], coach_instance: Coach
) -> None:
    reply = coach_instance.reply(demo["sam"], "my knee hurts since Sunday's long run", today=TODAY)
    assert "physiotherapist" in reply.reply
    assert "remember_fact" not in {call["name"] for call in reply.tool_calls}
    assert not AthleteFact.objects.filter(athlete=demo["sam"], kind="injury").exists()
    confirmed = coach_instance.reply(demo["sam"], "yes", today=TODAY)
    assert confirmed.tool_calls[0]["name"] == "remember_fact"
    assert AthleteFact.objects.filter(athlete=demo["sam"], kind="injury").exists()


def test_off_topic_lists_what_the_coach_can_do(demo: dict[str, User], coach_instance: Coach) -> None:
    reply = coach_instance.reply(demo["sam"], "tell me a joke", today=TODAY)
    assert reply.tool_calls == [] and "I can" in reply.reply
    bonjour = coach_instance.reply(demo["lea"], "Bonjour !", today=TODAY)
    assert bonjour.reply.startswith("Bonjour") and "Je peux" in bonjour.reply


def test_two_questions_in_one_message(demo: dict[str, User], coach_instance: Coach) -> None:
    reply = coach_instance.reply(
        demo["sam"], "how many km did I run this week and am I tired or fresh?", today=TODAY
    )
    assert [call["name"] for call in reply.tool_calls] == ["weekly_summary", "training_load"]


def test_knowledge_answers_cite_their_sources(demo: dict[str, User], coach_instance: Coach) -> None:
    reply = coach_instance.reply(
        demo["lea"], "combien de temps dure un affûtage avant un marathon ?", today=TODAY
    )
    assert reply.tool_calls[0]["name"] == "search_knowledge"
    assert "Sources :" in reply.reply and "knowledge/corpus/fr/" in reply.reply
