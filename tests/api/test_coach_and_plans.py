"""The coach and the plans over HTTP, on the demo world: the agent's interface and tools, scoped."""

from __future__ import annotations

import base64
import datetime as dt

from web.coaching.models import Message
from web.plans.models import PlannedSession, SessionStatus, TrainingPlan


def test_an_athlete_talks_to_the_coach_and_reads_the_conversation(client, token_for, demo) -> None:
    lea = demo["lea"]
    http = client(token_for(lea))
    response = http.post("/v1/coach/messages", json={"text": "Comment s'est passée ma semaine ?"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["athlete_id"] == lea.pk and answer["language"] == "fr" and answer["reply"]
    assert answer["tool_calls"] and answer["attachments"] == []
    conversation = http.get("/v1/coach/messages").json()
    assert conversation["total"] == 2
    assert [item["role"] for item in conversation["items"]] == ["assistant", "athlete"]
    assert conversation["items"][1]["content"] == "Comment s'est passée ma semaine ?"
    assert {item["channel"] for item in conversation["items"]} == {"api"}


def test_charts_come_back_as_png_when_asked(client, token_for, demo) -> None:
    http = client(token_for(demo["sam"]))
    answer = http.post(
        "/v1/coach/messages", json={"text": "How was my training load lately?", "charts": True}
    )
    assert answer.status_code == 200, answer.text
    attachments = answer.json()["attachments"]
    assert attachments and attachments[0]["media_type"] == "image/png"
    assert base64.b64decode(attachments[0]["data_base64"]).startswith(b"\x89PNG")


def test_a_coach_asks_about_their_athlete_but_not_another_coach_s(client, token_for, demo, stranger) -> None:
    http = client(token_for(demo["coach"]))
    sam = demo["sam"]
    response = http.post(f"/v1/coach/messages?athlete_id={sam.pk}", json={"text": "How is Sam's week?"})
    assert response.status_code == 200 and response.json()["athlete_id"] == sam.pk
    assert Message.objects.filter(session__athlete=sam, role="coach").count() == 1
    refused = http.post(f"/v1/coach/messages?athlete_id={stranger.pk}", json={"text": "And Zoe?"})
    assert refused.status_code == 404
    assert http.get(f"/v1/coach/messages?athlete_id={stranger.pk}").status_code == 404
    assert not Message.objects.filter(session__athlete=stranger).exists()


def test_a_coach_names_an_athlete_in_their_own_thread(client, token_for, demo, stranger) -> None:
    coach, sam = demo["coach"], demo["sam"]
    http = client(token_for(coach))
    response = http.post("/v1/coach/messages", json={"text": "how is Sam's training going?"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["athlete_id"] == coach.pk and answer["language"] == "en"
    assert answer["reply"].startswith("Sam ") and [call["name"] for call in answer["tool_calls"]] == [
        "training_load",
        "weekly_summary",
    ]
    assert http.get("/v1/coach/messages").json()["total"] == 2
    assert not Message.objects.filter(session__athlete=sam).exists()
    # Another coach's athlete is not found by name: the coach's own question, nothing about them.
    other = http.post("/v1/coach/messages", json={"text": f"how is {stranger.get_short_name()} doing?"})
    assert other.status_code == 200 and stranger.get_short_name() not in other.json()["reply"]


def test_an_empty_or_oversized_message_names_the_field(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    for text in ("", "x" * 2001):
        response = http.post("/v1/coach/messages", json={"text": text})
        assert response.status_code == 422
        assert response.json()["error"]["fields"][0]["field"] == "body.text"


def test_create_read_and_complete_a_plan(client, token_for, demo, make_activity) -> None:
    karim = demo["karim"]
    http = client(token_for(karim))
    race = dt.date.today() + dt.timedelta(weeks=10)  # noqa: DTZ011 (the plan service's own clock)
    response = http.post("/v1/plans", json={"goal_distance_m": 10000, "goal_date": race.isoformat()})
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["athlete_id"] == karim.pk and plan["status"] == "active"
    assert plan["sessions"][-1]["session_type"] == "race" and plan["sessions"][-1]["date"] == race.isoformat()
    listed = http.get("/v1/plans").json()["items"]
    assert plan["id"] in [item["id"] for item in listed]
    assert http.get(f"/v1/plans/{plan['id']}").json() == plan

    session = plan["sessions"][0]
    # Done ahead of its day: a run this morning (activities cannot start in the future).
    run = make_activity(karim, start_time=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    done = http.post(f"/v1/plans/{plan['id']}/sessions/{session['id']}/done", json={"activity_id": run.pk})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done" and done.json()["completed_activity_id"] == run.pk
    stored = PlannedSession.objects.get(pk=session["id"])
    assert stored.status == SessionStatus.DONE and stored.completed_activity == run
    other = plan["sessions"][1]
    twice = http.post(f"/v1/plans/{plan['id']}/sessions/{other['id']}/done", json={"activity_id": run.pk})
    assert twice.status_code == 422 and twice.json()["error"]["fields"][0]["field"] == "body.activity_id"


def test_a_plan_for_a_race_too_close_is_refused_with_the_reason(client, token_for, demo) -> None:
    http = client(token_for(demo["karim"]))
    tomorrow = dt.date.today() + dt.timedelta(days=1)  # noqa: DTZ011
    response = http.post("/v1/plans", json={"goal_distance_m": 10000, "goal_date": tomorrow.isoformat()})
    assert response.status_code == 422 and "plan" in response.json()["error"]["message"]


def test_plans_are_scoped(client, token_for, demo, stranger) -> None:
    sam, lea = demo["sam"], demo["lea"]
    plan = TrainingPlan.objects.filter(athlete=sam).first()
    assert plan is not None
    session = plan.sessions.first()
    assert session is not None
    http = client(token_for(lea))
    assert http.get(f"/v1/plans/{plan.pk}").status_code == 404
    assert http.get(f"/v1/plans?athlete_id={sam.pk}").status_code == 404
    assert http.post(f"/v1/plans/{plan.pk}/sessions/{session.pk}/done", json={}).status_code == 404
    foreign_run = lea.activities.first()
    own = client(token_for(sam)).post(
        f"/v1/plans/{plan.pk}/sessions/{session.pk}/done", json={"activity_id": foreign_run.pk}
    )
    assert own.status_code == 422 and own.json()["error"]["fields"][0]["field"] == "body.activity_id"
    coach = client(token_for(demo["coach"]))
    assert coach.get(f"/v1/plans/{plan.pk}").status_code == 200
    assert coach.get(f"/v1/plans?athlete_id={stranger.pk}").status_code == 404
