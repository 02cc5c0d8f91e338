"""The coach without consent to health data: no heart-rate tool answers, an injury is not kept,
and the athlete's coach meets the same gate (``web.accounts.consent``)."""

from __future__ import annotations

import pytest

from agent.coach import Coach, OfflineEngine
from agent.context import ToolContext
from agent.tools import run_tool
from tests.agent.conftest import TODAY
from web.accounts import consent
from web.accounts.models import ConsentRecord, User
from web.coaching.models import AthleteFact, Message, MessageRole


@pytest.fixture(scope="module")
def coach() -> Coach:
    return Coach(OfflineEngine(), charts=False)


def test_heart_rate_tools_are_refused_after_withdrawal_and_the_rest_works(demo: dict[str, User]) -> None:
    lea = demo["lea"]
    ctx = ToolContext.for_request(lea, today=TODAY)
    assert run_tool(ctx, "zones_analysis", {}).status == "ok"
    consent.record(lea, granted=False, channel="web")
    for name in ("zones_analysis", "training_load"):
        result = run_tool(ctx, name, {})
        assert (result.status, result.data) == ("unavailable", {"reason": "health_consent"}), name
    assert run_tool(ctx, "estimate_vma", {}).status == "ok"
    assert run_tool(ctx, "predict_race", {"distance_m": "10k"}).status == "ok"
    assert run_tool(ctx, "weekly_summary", {}).status == "ok"
    refused = run_tool(ctx, "remember_fact", {"kind": "injury", "text": "genou"})
    assert refused.status == "unavailable"
    assert not AthleteFact.objects.filter(athlete=lea, kind="injury").exists()
    assert run_tool(ctx, "remember_fact", {"kind": "goal", "text": "10 km en 45 min"}).status == "ok"


def test_the_coach_says_why_and_what_still_works(demo: dict[str, User], coach: Coach) -> None:
    lea = demo["lea"]
    consent.record(lea, granted=False, channel="bot")
    reply = coach.reply(lea, "what are my heart rate zones?", "telegram", today=TODAY)
    assert "consent" in reply.reply and "race predictions" in reply.reply
    french = coach.reply(lea, "quelles sont mes zones cardiaques ?", "telegram", today=TODAY)
    assert "consentement" in french.reply and "prédictions" in french.reply


def test_an_injury_after_withdrawal_is_answered_and_stores_nothing(
    demo: dict[str, User], coach: Coach
) -> None:
    lea = demo["lea"]
    consent.record(lea, granted=False, channel="web")
    reply = coach.reply(
        lea, "my achilles has been sore for a week... should i keep running?", "telegram", today=TODAY
    )
    assert "physiotherapist" in reply.reply  # the referral is still given
    assert "not keeping this injury" in reply.reply
    stored = Message.objects.filter(session__athlete=lea, role=MessageRole.ASSISTANT).latest("created_at")
    assert "remember_fact" not in {call["name"] for call in stored.pending_action or []}
    coach.reply(lea, "yes", "telegram", today=TODAY)
    assert not AthleteFact.objects.filter(athlete=lea, kind="injury").exists()


def test_the_athletes_coach_meets_the_same_gate(demo: dict[str, User]) -> None:
    lea = demo["lea"]
    assert lea.coach is not None
    consent.record(lea, granted=False, channel="web")
    ctx = ToolContext.for_request(lea.coach, athlete=lea, today=TODAY)
    assert run_tool(ctx, "training_load", {}).status == "unavailable"


def test_no_decision_at_all_means_no_and_a_new_notice_asks_again(make_user) -> None:
    athlete = make_user(consent=False)
    assert not consent.may_process_health(athlete)
    consent.record(athlete, granted=True, channel="api")
    assert consent.may_process_health(athlete)
    ConsentRecord.objects.filter(user=athlete).update(notice_version="2020-01")
    assert not consent.may_process_health(athlete)  # a notice no longer accepted
    with pytest.raises(ValueError, match="channel"):
        consent.record(athlete, granted=True, channel="fax")
    assert ConsentRecord.objects.filter(user=athlete).count() == 1


def test_activity_analysis_shows_heart_rate_only_with_consent(demo: dict[str, User], coach: Coach) -> None:
    lea = demo["lea"]
    ctx = ToolContext.for_request(lea, today=TODAY)
    given = run_tool(ctx, "activity_analysis", {})
    assert given.status == "ok" and given.data["avg_hr"] is not None and given.data["load"] is not None
    assert run_tool(ctx, "recent_activities", {}).data["activities"][0]["avg_hr"] is not None
    consent.record(lea, granted=False, channel="web")
    withheld = run_tool(ctx, "activity_analysis", {})
    assert withheld.status == "ok" and withheld.data["distance_km"] == given.data["distance_km"]
    assert (withheld.data["avg_hr"], withheld.data["load"], withheld.data["zones_min"]) == (None, None, None)
    assert all(row["avg_hr"] is None for row in run_tool(ctx, "recent_activities", {}).data["activities"])
    coach_ctx = ToolContext.for_request(lea.coach, athlete=lea, today=TODAY) if lea.coach else ctx
    assert run_tool(coach_ctx, "activity_analysis", {}).data["avg_hr"] is None
    reply = coach.reply(lea, "analyse my last run", "telegram", today=TODAY).reply
    assert "TRIMP" not in reply and "HR " not in reply and "Z1 " not in reply
    assert "heart rate out" in reply


def test_weekly_load_and_trend_load_spread_only_with_consent(demo: dict[str, User]) -> None:
    lea = demo["lea"]
    ctx = ToolContext.for_request(lea, today=TODAY)
    week = {"start": "2026-11-01", "end": "2026-11-23"}
    given = run_tool(ctx, "weekly_summary", week)
    assert any(row["load"] for row in given.data["history"]) and given.data["period"]["load"]
    trends = run_tool(ctx, "performance_trends", {"weeks": 12})
    assert trends.status == "ok" and trends.data["load_stability"] is not None
    consent.record(lea, granted=False, channel="web")
    withheld = run_tool(ctx, "weekly_summary", week)
    assert (
        all(row["load"] is None for row in withheld.data["history"])
        and withheld.data["period"]["load"] is None
    )
    assert withheld.data["period"]["distance_km"] == given.data["period"]["distance_km"]
    assert run_tool(ctx, "performance_trends", {"weeks": 12}).data.get("load_stability") is None
