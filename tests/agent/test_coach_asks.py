"""A coach asks, in their own thread, about one of their athletes: the answer is about that athlete.

Third person, the coach addressed as "vous" / "you", stored in the coach's thread; the athlete found by
name among the coach's athletes only; read-only (``ToolContext.read_only``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from agent.athletes import named_athlete
from agent.coach import Coach
from agent.safety import STATE_CHANGING_TOOLS
from tests.agent.conftest import TODAY
from web.accounts.models import Role, User
from web.coaching.models import Message, MessageRole
from web.plans.models import PlannedSession

SECOND_PERSON_FR = re.compile(r"\b(?:tu|te|ton|ta|tes|toi)\b|\bt'", re.IGNORECASE)


@pytest.fixture(scope="module")
def coach_engine() -> Coach:
    return Coach(charts=False)


def test_how_is_karim_answers_about_karim_in_the_coach_s_thread(
    demo: dict[str, User], coach_engine: Coach
) -> None:
    coach, karim = demo["coach"], demo["karim"]
    reply = coach_engine.reply(coach, "Comment va Karim ?", "web", today=TODAY)
    assert reply.language == "fr"
    assert [call["name"] for call in reply.tool_calls] == ["training_load", "weekly_summary"]
    assert reply.reply.startswith("Karim ") and not SECOND_PERSON_FR.search(reply.reply), reply.reply
    stored = Message.objects.filter(session__athlete=coach, session__channel="web").order_by(
        "created_at", "id"
    )
    assert [m.role for m in stored] == [MessageRole.ATHLETE, MessageRole.ASSISTANT]
    assert stored[1].content == reply.reply
    assert not Message.objects.filter(session__athlete=karim).exists()


def test_names_without_accents_or_case_and_in_english(demo: dict[str, User], coach_engine: Coach) -> None:
    coach = demo["coach"]
    found = named_athlete(coach, "et lea, elle a couru ?")
    assert found is not None and found.athlete == demo["lea"] and "lea" not in found.text
    english = coach_engine.reply(coach, "how is Sam's training going?", "web", today=TODAY)
    assert english.language == "en" and "Sam" in english.reply
    assert not re.search(r"\byour\b", english.reply, re.IGNORECASE), english.reply
    week = coach_engine.reply(coach, "Karim a-t-il couru cette semaine ?", "web", today=TODAY)
    assert "Karim" in week.reply and week.tool_calls
    assert {call["name"] for call in week.tool_calls} <= {
        "weekly_summary",
        "recent_activities",
        "training_load",
    }


def test_two_athletes_of_the_same_name_get_a_question(
    demo: dict[str, User], make_user: Callable[..., User], coach_engine: Coach
) -> None:
    coach = demo["coach"]
    make_user(coach=coach, full_name="Karim Durand")
    reply = coach_engine.reply(coach, "Comment va Karim ?", "web", today=TODAY)
    assert reply.reply == "De qui parlez-vous : Karim Benali ou Karim Durand ?" and not reply.tool_calls
    full = named_athlete(coach, "comment va karim benali ?")
    assert full is not None and full.athlete == demo["karim"]


def test_another_coach_s_athlete_is_never_found(
    demo: dict[str, User], make_user: Callable[..., User], coach_engine: Coach
) -> None:
    other = make_user(Role.COACH, full_name="Coach Two")
    zoe = make_user(coach=other, full_name="Zoé Stranger")
    assert named_athlete(demo["coach"], "Comment va Zoé ?") is None
    assert named_athlete(other, "Comment va Zoé ?").athlete == zoe  # type: ignore[union-attr]
    reply = coach_engine.reply(demo["coach"], "Comment va Zoé ?", "web", today=TODAY)
    assert "Zo" not in reply.reply
    assert not Message.objects.filter(session__athlete=zoe).exists()
    # An athlete naming a fellow athlete gets nothing about them either.
    assert named_athlete(demo["lea"], "comment va Karim ?") is None


def test_nothing_changes_on_an_athlete_from_the_coach_s_thread(
    demo: dict[str, User], coach_engine: Coach
) -> None:
    coach, karim = demo["coach"], demo["karim"]
    before = list(
        PlannedSession.objects.filter(plan__athlete=karim).values_list("pk", "status", "target_distance_m")
    )
    missed = coach_engine.reply(coach, "Karim a raté sa séance d'hier", "web", today=TODAY)
    assert not {call["name"] for call in missed.tool_calls} & STATE_CHANGING_TOOLS
    hurt = coach_engine.reply(coach, "Karim a mal au genou depuis lundi", "web", today=TODAY)
    assert "Je ne modifie rien pour Karim" in hurt.reply
    after = list(
        PlannedSession.objects.filter(plan__athlete=karim).values_list("pk", "status", "target_distance_m")
    )
    assert after == before
    last = Message.objects.filter(session__athlete=coach, role=MessageRole.ASSISTANT).order_by("-id").first()
    assert last is not None and last.pending_action == []
