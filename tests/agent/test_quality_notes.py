"""An activity's quality note, said in the athlete's language from the reasons' codes."""

from __future__ import annotations

import re

from sqlalchemy import Engine

from agent import replies
from agent.coach import Coach
from agent.context import ToolContext, ToolResult
from agent.tools import run_tool
from analytics.quality import REASONS
from analytics.sync import sync
from tests.agent.conftest import TODAY
from web.accounts.models import User


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ]{3,}", text.lower()))


def test_every_reason_code_has_a_french_and_an_english_wording() -> None:
    assert set(replies.QUALITY_REASONS) == set(REASONS)
    for code, (french, english) in replies.QUALITY_REASONS.items():
        assert french.strip() and english.strip() and french != english, code


def test_unknown_codes_are_skipped_and_reasons_are_joined() -> None:
    assert replies.quality_note(["no_hr", "not_a_code", "load_unknown"], "fr") == (
        "pas de fréquence cardiaque ; charge inconnue sans fréquence cardiaque"
    )
    assert replies.quality_note([], "en") == ""


def test_english_falls_back_to_the_stored_note_when_it_has_no_known_code() -> None:
    data = {"date": "2026-11-20", "distance_km": 5.0, "duration": "30:00", "pace": None, "avg_hr": None}
    result = ToolResult(
        "activity_analysis", "ok", {**data, "quality_note": "odd import", "quality_reasons": []}
    )
    assert "Note: odd import." in replies.render(result, "en")
    assert "odd import" not in replies.render(result, "fr")


def test_a_french_analysis_of_a_run_without_heart_rate_has_no_english_in_its_note(
    demo: dict[str, User], store: Engine
) -> None:
    ctx = ToolContext.for_request(demo["lea"], today=TODAY)
    logged = run_tool(
        ctx, "log_activity", {"distance_m": 8000, "duration_s": 2700, "date": TODAY.isoformat()}
    )
    assert logged.status == "ok", logged.data
    sync(store)

    result = run_tool(ctx, "activity_analysis", {"activity_id": logged.data["id"]})
    assert "no_hr" in result.data["quality_reasons"]
    assert REASONS["no_hr"] in result.data["quality_note"]  # the stored note stays English for the API

    reply = Coach().reply(demo["lea"], f"analyse l'activité {logged.data['id']}", today=TODAY)
    assert reply.language == "fr"
    assert reply.tool_calls == [{"name": "activity_analysis", "args": {"activity_id": logged.data["id"]}}]
    note = reply.reply.split("Remarque : ", 1)[1]
    assert "pas de fréquence cardiaque" in note
    english_only = set().union(*(_words(sentence) for sentence in REASONS.values())) - set().union(
        *(_words(french) for french, _ in replies.QUALITY_REASONS.values())
    )
    assert not _words(note) & english_only, note

    english = Coach().reply(demo["lea"], f"please look at my activity {logged.data['id']}", today=TODAY)
    assert english.language == "en" and "Note: no heart rate" in english.reply
