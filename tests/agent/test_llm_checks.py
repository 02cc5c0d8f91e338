"""The LLM coach's pure checks: figures in a reply, tool calls written as text, the tools' schemas."""

from __future__ import annotations

import json

import pytest

from agent.llm import grounding, textcalls
from agent.llm.engine import athlete_values
from agent.tools import TOOLS
from tests.agent.conftest import TODAY

RESULT = {
    "tool": "weekly_summary",
    "status": "ok",
    "this_week": {"distance_m": 12345.0, "moving_time_s": 3725.0, "avg_speed_mps": 3.2, "share": 0.42},
    "race": {"time": "1:45:12", "pace": "4:59 /km", "date": "2026-12-06"},
}


@pytest.mark.parametrize(
    "reply",
    [
        "12.3 km this week",  # metres → km, rounded
        "12 km in 1:02:05",  # integer km; seconds as h:mm:ss
        "about 62 minutes, 11.5 km/h",  # s → min; m/s → km/h
        "a pace of 5:13 /km",  # m/s → pace
        "42 % of your time",  # a share → a percentage
        "a half marathon in 1:45:12 (4:59 /km), or 1h45",  # a result's own strings, minute precision
        "race on 6/12/2026",  # a date's parts
        "3 easy runs and 1 long one",  # small counts
    ],
)
def test_figures_derivable_from_the_results_pass(reply: str) -> None:
    assert grounding.unsupported(reply, [RESULT]) == []


@pytest.mark.parametrize(
    ("reply", "caught"),
    [
        ("a half marathon in 10:45 AM on December 1", ["10:45"]),
        ("an average HR of 240", ["240"]),
        ("you ran 987.6 km", ["987.6"]),
        ("12.9 km", ["12.9"]),
    ],
)
def test_invented_figures_are_caught(reply: str, caught: list[str]) -> None:
    assert grounding.unsupported(reply, [RESULT]) == caught


def test_the_athletes_own_figures_may_be_repeated() -> None:
    assert grounding.unsupported("A 16 km run it is.", [RESULT], said="I want to run 16 km") == []


@pytest.mark.parametrize(
    "text",
    [
        '<tool_call>\n{"name": "predict_race", "arguments": {"distance_m": "semi"}}\n</tool_call>',
        '{"name": "predict_race", "arguments": {"distance_m": "semi"}}',
        '[{"type": "function", "function": {"name": "predict_race", '
        '"arguments": "{\\"distance_m\\": \\"semi\\"}"}}]',
        '```json\n{"name": "predict_race", "parameters": {"distance_m": "semi"}}\n```',
    ],
)
def test_text_tool_calls_are_parsed(text: str) -> None:
    assert textcalls.parse(text) == [textcalls.TextCall("predict_race", {"distance_m": "semi"})]
    assert textcalls.is_markup(text)


def test_prose_is_not_a_call_and_schema_fragments_are_markup() -> None:
    assert textcalls.parse("Your week: 42 km, well done {really}.") == []
    assert not textcalls.is_markup("Your week: 42 km, well done.")
    assert textcalls.is_markup('Use "properties": {"weeks": 4}')


def test_validation_against_the_offered_tools() -> None:
    offered = {"predict_race"}
    assert textcalls.validate("predict_race", {"distance_m": "semi"}, offered) is None
    assert "distance_m" in (textcalls.validate("predict_race", {"distance_m": 5}, offered) or {})
    assert "__all__" in (textcalls.validate("log_activity", {}, offered) or {})


def _keys(schema: object) -> set[str]:
    if isinstance(schema, dict):
        return set(schema) | {key for value in schema.values() for key in _keys(value)}
    if isinstance(schema, list):
        return {key for value in schema for key in _keys(value)}
    return set()


def test_tool_schemas_are_standard_json_schema_and_accept_words() -> None:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    for spec in TOOLS.values():
        for schema in (spec.args.model_json_schema(), convert_to_openai_tool(spec.args)["function"]):
            assert not _keys(schema) & {"ge", "le", "gt", "lt"}, spec.name
    distance = TOOLS["predict_race"].args.model_json_schema()["properties"]["distance_m"]
    assert {option["type"] for option in distance["anyOf"]} == {"number", "string"}
    assert distance["anyOf"][0]["minimum"] == 400.0
    assert json.dumps(TOOLS["log_activity"].args.model_json_schema()).count("exclusiveMinimum") == 2


def test_a_state_changing_call_keeps_only_what_the_athlete_said() -> None:
    args = {
        "distance_m": 10000,
        "duration_s": 3000,
        "avg_hr": 180,
        "date": "2026-11-20",
        "sport": "trail_run",
    }
    kept = athlete_values("log_activity", args, "I ran 10 km in 50 min", TODAY)
    assert kept == {"distance_m": 10000, "duration_s": 3000}
    said = "10 km in 50 min yesterday, HR 152, on the treadmill"
    kept = athlete_values(
        "log_activity", {**args, "avg_hr": 152, "sport": "treadmill", "date": "2026-11-23"}, said, TODAY
    )
    assert kept == {
        "distance_m": 10000,
        "duration_s": 3000,
        "avg_hr": 152,
        "sport": "treadmill",
        "date": "2026-11-23",
    }
    assert athlete_values("update_profile", {"weight_kg": 300}, "update my profile", TODAY) == {}
