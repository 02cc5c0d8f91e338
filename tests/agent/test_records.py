"""Records: race results first (marked or named as races), then best efforts, each saying which it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from agent.coach import Coach, OfflineEngine
from agent.context import ToolContext
from agent.tools import run_tool
from foulee.races import is_race_name
from tests.agent.conftest import TODAY
from web.accounts.models import User
from web.activities.models import Activity
from web.activities.services import race_results
from web.plans.models import PlannedSession, SessionType


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach(OfflineEngine(), charts=False)


@pytest.mark.parametrize(
    ("name", "race"),
    [
        ("10 km de Paris", True),
        ("Semi de Boulogne", True),
        ("Marathon de Nantes", True),
        ("Corrida de Noël", True),
        ("parkrun Bushy Park", True),
        ("Saturday 5k race", True),
        ("Course des Lumières", True),
        ("Great North Run", True),
        ("Course à pied le matin", False),
        ("Morning Run", False),
        ("Footing", False),
        ("Sortie longue", False),
        ("Easy run", False),
        ("Fractionné 8 × 400", False),
    ],
)
def test_a_race_is_known_by_its_name(name: str, race: bool) -> None:
    assert is_race_name(name) is race


def test_races_are_the_named_ones_and_those_marked_as_races(
    demo: dict[str, User], make_activity: Callable[..., Activity]
) -> None:
    karim = demo["karim"]
    names = [run.name for run in race_results(karim)]
    assert {"10 km de Vincennes", "Semi-marathon de Lyon", "Corrida de Houilles"} <= set(names)
    assert not any(name in ("Footing", "Sortie longue", "Fractionné") for name in names)
    # A run with a plain name that fulfils a planned race session is a race too.
    session = PlannedSession.objects.filter(plan__athlete=karim, session_type=SessionType.RACE).first()
    assert session is not None
    run = make_activity(karim, name="Dimanche matin", start_time=dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))
    session.completed_activity = run
    session.save()
    assert run in race_results(karim)


def test_records_tool_gives_races_then_labelled_best_efforts(demo: dict[str, User]) -> None:
    result = run_tool(ToolContext.for_request(demo["karim"], today=TODAY), "personal_records", {})
    assert result.status == "ok"
    races, records = result.data["races"], result.data["records"]
    assert races and all(race["kind"] == "race" for race in races)
    assert [race["date"] for race in races] == sorted((race["date"] for race in races), reverse=True)
    assert records and {record["source"] for record in records} <= {"segment", "whole_run"}
    race_ids = {race["activity_id"] for race in races}
    assert all(record["in_race"] == (record["activity_id"] in race_ids) for record in records)


@pytest.mark.parametrize(("message", "race_word"), [("mes records ?", "course"), ("what are my PBs", "race")])
def test_asking_for_records_lists_races_first(
    demo: dict[str, User], coach: Coach, message: str, race_word: str
) -> None:
    reply = coach.reply(demo["karim"], message, today=TODAY)
    assert [call["name"] for call in reply.tool_calls] == ["personal_records"]
    lines = reply.reply.splitlines()
    # The judgement names the latest race; then the races, then the best efforts, each saying which.
    assert lines[0].startswith(("Ta dernière course : ", "Your latest race: "))
    kinds = [line.endswith(f" — {race_word}") for line in lines[1:]]
    assert kinds[0] and sorted(kinds, reverse=True) == kinds and not all(kinds)
    assert any("Semi-marathon de Lyon" in line for line in lines)
    assert all(" — " in line for line in lines[1:])


def test_a_record_over_a_named_distance_says_its_name() -> None:
    from agent import replies
    from agent.context import Language, ToolResult
    from foulee.races import HALF_MARATHON_M

    record = {
        "effort": "best_half",
        "kind": "distance",
        "target": HALF_MARATHON_M,
        "value": 5541.0,
        "display": "1:32:21",
        "label": "21.0975 km",
        "date": "2026-05-17",
        "activity_id": 1,
        "source": "segment",
        "in_race": False,
    }
    named: tuple[tuple[Language, str], ...] = (("fr", "semi-marathon"), ("en", "half marathon"))
    for language, name in named:
        text = replies.render(
            ToolResult("personal_records", "ok", {"races": [], "records": [record]}), language
        )
        assert f"• {name}" in text and "21.0975" not in text
