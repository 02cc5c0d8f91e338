"""Every reply kind of the offline coach reads like a coach: judgement first, a few figures, one next step.

On the demo world, in French and English, to the athlete and to their coach: each reply fits a phone
screen (``replies.SCREEN_CHARS``, ``replies.SCREEN_LINES``), opens on the judgement its thresholds
(``agent.judgement``) give, writes its dates as words, and speaks of the athlete in the third person
when the coach asks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from agent import judgement, replies
from agent.context import Language, ToolContext, ToolResult
from agent.offline import DEFAULT_PREDICTIONS
from agent.tools import run_tool
from tests.agent.conftest import TODAY
from web.accounts.models import User

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: The athlete addressed as "tu" / "you": never in a reply to their coach.
SECOND_PERSON = {
    "fr": re.compile(r"\b(?:tu|te|ton|ta|tes|toi)\b|\bt'", re.IGNORECASE),
    "en": re.compile(r"\b(?:your|you're|yours)\b", re.IGNORECASE),
}
LAST_WEEK = {"start": (TODAY - dt.timedelta(days=TODAY.weekday() + 7)).isoformat()}
LAST_WEEK["end"] = (dt.date.fromisoformat(LAST_WEEK["start"]) + dt.timedelta(days=6)).isoformat()

#: (tool, arguments): every reading tool, as the coach calls it.
KINDS: list[tuple[str, dict[str, Any]]] = [
    ("weekly_summary", {}),
    ("weekly_summary", LAST_WEEK),
    ("performance_trends", {}),
    ("zones_analysis", {}),
    ("estimate_vma", {}),
    ("predict_race", {"distance_m": 10000}),
    ("training_load", {}),
    ("recent_activities", {}),
    ("activity_analysis", {}),
    ("personal_records", {}),
    ("next_session", {}),
]


def _first_line(result: ToolResult, voice: replies.Voice) -> str | None:
    """The judgement a reply must open with, from the thresholds (None where it carries a figure)."""
    data = result.data
    if result.name == "training_load":
        return voice.say(*replies.FORM_VERDICTS[data["form_code"]])
    if result.name == "performance_trends":
        return voice.say(*replies.TREND_VERDICTS[data["direction"]])
    if result.name == "activity_analysis":
        return voice.say(*replies.RUN_VERDICTS[judgement.run(data.get("zones_min"))])
    if result.name == "weekly_summary" and data.get("period"):
        return voice.say(
            *replies.WEEK_VERDICTS[judgement.week(data["period"]["distance_km"], data["average_km"])]
        )
    return None


def _check(text: str, language: Language, about: str | None) -> None:
    assert len(text) <= replies.SCREEN_CHARS, text
    assert len(text.splitlines()) <= replies.SCREEN_LINES, text
    assert not ISO_DATE.search(text), text
    if about is not None:
        assert about in text, text
        assert not SECOND_PERSON[language].search(text), text


@pytest.fixture
def planned(demo: dict[str, User]) -> dict[str, User]:
    """Léa and Sam with a plan, so that the next session has one to read."""
    for name in ("lea", "sam"):
        ctx = ToolContext.for_request(demo[name], today=TODAY)
        race = (TODAY + dt.timedelta(weeks=10)).isoformat()
        plan = run_tool(ctx, "create_training_plan", {"distance_m": 21097.5, "race_date": race})
        assert plan.status == "ok", plan
        for language in ("fr", "en"):
            _check(replies.render(plan, language, today=TODAY), language, None)
    return demo


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("asker", ["athlete", "coach"])
def test_every_reply_kind_fits_a_screen_and_opens_on_its_judgement(
    planned: dict[str, User], language: Language, asker: str
) -> None:
    coach = planned["coach"]
    for name in ("lea", "sam"):
        athlete = planned[name]
        actor = coach if asker == "coach" else athlete
        ctx = ToolContext.for_request(actor, athlete=athlete, language=language, today=TODAY)
        voice = replies.Voice(language, TODAY, ctx.about)
        assert (ctx.about is not None) == (asker == "coach")
        for tool, args in KINDS:
            result = run_tool(ctx, tool, args)
            assert result.status == "ok", (name, tool, result)
            text = replies.render(result, language, today=TODAY, about=ctx.about)
            _check(text, language, ctx.about)
            expected = _first_line(result, voice)
            if expected is not None:
                assert expected in text.splitlines()[0], (tool, text)
        several = [run_tool(ctx, "predict_race", {"distance_m": metres}) for metres in DEFAULT_PREDICTIONS]
        _check(replies.predictions(several, voice), language, ctx.about)


def test_the_form_reply_is_judgement_figures_next_step(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "training_load", {})
    code = result.data["form_code"]
    french = replies.render(result, "fr", today=TODAY).splitlines()
    english = replies.render(result, "en", today=TODAY).splitlines()
    assert french[0] == replies.FORM_VERDICTS[code][0] and english[0] == replies.FORM_VERDICTS[code][1]
    assert french[1].startswith("Forme (TSB) ") and "condition (CTL)" in french[1]
    assert english[1].startswith("Form (TSB) ") and "fitness (CTL)" in english[1]
    assert len(french) == len(english) == 3


def test_judgement_thresholds() -> None:
    assert judgement.week(10.0, 20.0) == "light"
    assert judgement.week(20.0, 20.0) == "usual"
    assert judgement.week(28.0, 20.0) == "high"
    assert judgement.week(31.0, 20.0) == "spike"
    assert judgement.week(31.0, 0.0) == "none"
    assert judgement.run([10, 30, 5, 0, 0]) == "easy"
    assert judgement.run([5, 10, 10, 10, 5]) == "hard"
    assert judgement.run([5, 10, 20, 2, 0]) == "steady"
    assert judgement.prediction(0.85) == "reliable" and judgement.prediction(0.5) == "rough"
    assert judgement.steep_ramp(9.0) and not judgement.steep_ramp(5.0)


def test_dates_are_words_near_today() -> None:
    voice = replies.Voice("fr", TODAY)
    assert voice.when(TODAY) == "aujourd’hui" or voice.when(TODAY) == "aujourd'hui"
    assert replies.Voice("en", TODAY).when(TODAY - dt.timedelta(days=1)) == "yesterday"
    assert replies.Voice("en", TODAY).when(dt.date(2026, 11, 12)) == "Thursday 12 November"
