"""Follow-ups: ``OfflineCoach.route`` with the previous turn (no database), then the state per channel."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agent import replies
from agent.coach import Coach
from agent.conversation import FOLLOW_UP_TTL, Turn
from agent.offline import OfflineCoach
from tests.agent.conftest import TODAY
from web.accounts.models import User
from web.coaching.models import CoachingSession

SUNDAY = dt.date(2026, 12, 6)
NOW = dt.datetime(2026, 12, 6, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def offline() -> OfflineCoach:
    return OfflineCoach()


def dialogue(offline: OfflineCoach, *texts: str, today: dt.date = SUNDAY) -> list[Turn]:
    """The last turn of each message, each message routed with the one before."""
    previous: Turn | None = None
    last: list[Turn] = []
    for text in texts:
        turns = offline.route(text, today, previous, now=NOW)
        previous = turns[-1]
        last.append(previous)
    return last


def window(turn: Turn) -> tuple[str, str] | None:
    if "start" not in turn.args:
        return None
    return turn.args["start"].isoformat(), turn.args["end"].isoformat()


@pytest.mark.parametrize(
    ("first", "follow_up", "distance_m"),
    [
        ("quel chrono je peux viser sur un semi ?", "et sur marathon ?", 42195.0),
        ("what could I run in a half marathon", "and a full?", 42195.0),
        ("prédiction marathon stp", "et pour un 10 km ?", 10000.0),
        ("how fast could I run a 10k?", "what about 5k?", 5000.0),
    ],
)
def test_a_new_distance_keeps_the_prediction(
    offline: OfflineCoach, first: str, follow_up: str, distance_m: float
) -> None:
    _, second = dialogue(offline, first, follow_up)
    assert second.intent == "predict_race" and second.args == {"distance_m": distance_m}


def test_the_week_before_and_the_one_after(offline: OfflineCoach) -> None:
    turns = dialogue(
        offline, "combien de km la semaine derniere ?", "et la semaine d'avant ?", "et celle d'après ?"
    )
    assert [turn.intent for turn in turns] == ["weekly_summary"] * 3
    assert [window(turn) for turn in turns] == [
        ("2026-11-23", "2026-11-29"),
        ("2026-11-16", "2026-11-22"),
        ("2026-11-23", "2026-11-29"),
    ]


def test_the_week_before_the_current_one(offline: OfflineCoach) -> None:
    _, before = dialogue(offline, "how did my week go?", "the week before?")
    assert before.intent == "weekly_summary" and window(before) == ("2026-11-23", "2026-11-29")


def test_a_new_window_for_the_same_question(offline: OfflineCoach) -> None:
    turns = dialogue(offline, "mes zones cardiaques ce mois-ci", "et en octobre ?", "what about last month?")
    assert [turn.intent for turn in turns] == ["zones_analysis"] * 3
    assert [window(turn) for turn in turns] == [
        ("2026-12-01", "2026-12-06"),
        ("2026-10-01", "2026-10-31"),
        ("2026-11-01", "2026-11-30"),
    ]


def test_a_day_moves_by_a_day_and_a_weekday_replaces_it(offline: OfflineCoach) -> None:
    turns = dialogue(offline, "analyse mon fractionné de jeudi", "et celui de mardi ?", "and the day before?")
    assert [turn.intent for turn in turns] == ["activity_analysis"] * 3
    assert [window(turn) for turn in turns] == [
        ("2026-12-03", "2026-12-03"),
        ("2026-12-01", "2026-12-01"),
        ("2026-11-30", "2026-11-30"),
    ]


def test_and_my_zones_asks_about_the_same_window(offline: OfflineCoach) -> None:
    _, zones = dialogue(offline, "how many km did I run last week?", "and my zones?")
    assert zones.intent == "zones_analysis" and window(zones) == ("2026-11-23", "2026-11-29")


def test_why_repeats_the_question_and_says_so(offline: OfflineCoach) -> None:
    first, why = dialogue(offline, "what can I run on a half?", "why?")
    assert why.intent == first.intent == "predict_race" and why.args == first.args and why.why
    _, pourquoi = dialogue(offline, "est-ce que je suis fatigué ?", "pourquoi ?")
    assert pourquoi.intent == "training_load" and pourquoi.why


def test_a_whole_new_question_is_not_a_follow_up(offline: OfflineCoach) -> None:
    _, week = dialogue(offline, "quel temps sur un semi ?", "comment s'est passée ma semaine ?")
    assert week.intent == "weekly_summary" and week.args == {}
    _, analysis = dialogue(offline, "combien de km en octobre ?", "analyse mon fractionné de jeudi")
    assert analysis.intent == "activity_analysis" and window(analysis) == ("2026-12-03", "2026-12-03")


def test_a_follow_up_an_hour_later_is_a_new_question(offline: OfflineCoach) -> None:
    previous = offline.route("combien de km la semaine dernière ?", SUNDAY, None, now=NOW)[-1]
    fresh = offline.route("et la semaine d'avant ?", SUNDAY, previous, now=NOW + dt.timedelta(minutes=5))
    late = offline.route("et la semaine d'avant ?", SUNDAY, previous, now=NOW + dt.timedelta(hours=1))
    assert window(fresh[-1]) == ("2026-11-16", "2026-11-22")
    assert window(late[-1]) != ("2026-11-16", "2026-11-22")


def test_nothing_that_changes_data_is_repeated_by_a_follow_up(offline: OfflineCoach) -> None:
    logged = Turn(
        "log_activity", {"distance_m": 8000.0, "duration_s": 2700.0}, NOW, "j'ai couru 8 km en 45 min"
    )
    for text in ("et hier ?", "and 10 km?", "pareil pour mardi"):
        turns = offline.route(text, SUNDAY, logged, now=NOW)
        assert all(turn.args != logged.args for turn in turns), text


def test_two_questions_in_one_message_get_two_turns(offline: OfflineCoach) -> None:
    turns = offline.route("combien de km ce mois ci et est-ce que je suis fatigué ?", SUNDAY, None)
    assert [turn.intent for turn in turns] == ["weekly_summary", "training_load"]
    assert window(turns[0]) == ("2026-12-01", "2026-12-06") and turns[1].args == {}
    english = offline.route("how far did I run last week and what could I do on a half?", SUNDAY, None)
    assert [turn.intent for turn in english] == ["weekly_summary", "predict_race"]
    assert window(english[0]) == ("2026-11-23", "2026-11-29") and english[1].args == {"distance_m": 21097.5}


@pytest.mark.parametrize(
    ("text", "intents"),
    [
        ("mes km du mois dernier + ma VMA stp", ["weekly_summary", "estimate_vma"]),
        ("quelle est ma vma et mes records", ["estimate_vma", "personal_records"]),
        ("how many km this month & am i tired", ["weekly_summary", "training_load"]),
        ("what's my form like, how did my week go", ["training_load", "weekly_summary"]),
        ("ma semaine ? ma fatigue ?", ["weekly_summary", "training_load"]),
    ],
)
def test_two_questions_however_they_are_joined(offline: OfflineCoach, text: str, intents: list[str]) -> None:
    assert [turn.intent for turn in offline.route(text, SUNDAY, None)] == intents


def test_the_same_question_on_two_windows_or_distances(offline: OfflineCoach) -> None:
    weeks = offline.route("combien de km cette semaine et la semaine dernière", SUNDAY, None)
    assert [window(turn) for turn in weeks] == [("2026-11-30", "2026-12-06"), ("2026-11-23", "2026-11-29")]
    races = offline.route("what could I run on a 5k and a half?", SUNDAY, None)
    assert [turn.args for turn in races] == [{"distance_m": 5000.0}, {"distance_m": 21097.5}]


@pytest.mark.parametrize(
    "text",
    [
        "j'ai couru 10 km en 50 min hier et c'était dur",
        "I ran 8 km in 45 min yesterday and it felt easy",
        "plan semi le 12 avril en 1h45, 4 jours par semaine",
    ],
)
def test_one_statement_stays_one_turn(offline: OfflineCoach, text: str) -> None:
    assert len(offline.route(text, SUNDAY, None)) == 1


def test_a_turn_survives_storage_and_expires() -> None:
    turn = Turn("weekly_summary", {"start": dt.date(2026, 11, 23), "end": dt.date(2026, 11, 29)}, NOW)
    state = turn.to_state()
    assert state["args"] == {"start": "2026-11-23", "end": "2026-11-29"}
    restored = Turn.from_state(state, NOW + dt.timedelta(minutes=1))
    assert restored is not None and restored.args == turn.args and restored.intent == turn.intent
    assert Turn.from_state(state, NOW + FOLLOW_UP_TTL + dt.timedelta(seconds=1)) is None
    assert Turn.from_state({"intent": 3}, NOW) is None and Turn.from_state({}, NOW) is None


@pytest.fixture(scope="module")
def coach_instance() -> Coach:
    return Coach(charts=False)


def test_the_coach_keeps_the_last_turn_per_channel(demo: dict[str, User], coach_instance: Coach) -> None:
    sam = demo["sam"]
    coach_instance.reply(sam, "what could I run in a half?", "telegram", today=TODAY)
    full = coach_instance.reply(sam, "and a full?", "telegram", today=TODAY)
    assert full.tool_calls == [{"name": "predict_race", "args": {"distance_m": 42195.0}}]
    assert "Marathon" in full.reply
    session = CoachingSession.objects.get(athlete=sam, channel="telegram")
    assert session.state["intent"] == "predict_race" and session.state["args"] == {"distance_m": 42195.0}
    # Another channel is another conversation: nothing to follow there.
    elsewhere = coach_instance.reply(sam, "the week before?", "web", today=TODAY)
    assert not any(call["args"].get("start") == "2026-11-09" for call in elsewhere.tool_calls)


def test_two_questions_get_two_answers(demo: dict[str, User], coach_instance: Coach) -> None:
    reply = coach_instance.reply(
        demo["lea"], "combien de km cette semaine et la semaine dernière ?", today=TODAY
    )
    assert [call["args"] for call in reply.tool_calls] == [
        {"start": "2026-11-23", "end": "2026-11-24"},
        {"start": "2026-11-16", "end": "2026-11-22"},
    ]
    first, second = reply.reply.split("\n\n")
    # A week begun has no judgement yet; a complete week opens on its judgement (agent.judgement.week).
    assert first.startswith("La semaine du lundi 23 novembre")
    verdict, figures = second.splitlines()
    assert verdict in {you for you, _, _, _ in replies.WEEK_VERDICTS.values()}
    assert figures.startswith("La semaine du lundi 16")


def test_the_coach_follows_a_window_and_forgets_it_later(
    demo: dict[str, User], coach_instance: Coach
) -> None:
    lea = demo["lea"]
    first = coach_instance.reply(lea, "combien de km la semaine dernière ?", "api", today=TODAY)
    assert first.tool_calls[0]["args"] == {"start": "2026-11-16", "end": "2026-11-22"}
    before = coach_instance.reply(lea, "et la semaine d'avant ?", "api", today=TODAY)
    assert before.tool_calls == [
        {"name": "weekly_summary", "args": {"start": "2026-11-09", "end": "2026-11-15"}}
    ]
    assert "La semaine du lundi 9 novembre" in before.reply  # after the judgement line
    assert not re.search(r"\d{4}-\d{2}-\d{2}", before.reply)
    session = CoachingSession.objects.get(athlete=lea, channel="api")
    session.state["when"] = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    session.save(update_fields=["state"])
    late = coach_instance.reply(lea, "et celle d'après ?", "api", today=TODAY)
    assert not any(call["args"].get("start") == "2026-11-16" for call in late.tool_calls)
