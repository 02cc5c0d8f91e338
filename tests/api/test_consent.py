"""``/v1/me/consent`` over a real socket, and the health gate on the analytics routes after a withdrawal."""

from __future__ import annotations

from analytics.sync import sync
from web.accounts.consent import NOTICE_VERSION
from web.accounts.models import ConsentRecord


def test_read_give_and_withdraw_consent(client, token_for, make_user) -> None:
    athlete = make_user(consent=False)
    http = client(token_for(athlete))
    before = http.get("/v1/me/consent").json()
    assert before == {"health": False, "notice_version": NOTICE_VERSION, "history": []}

    given = http.put("/v1/me/consent", json={"health": True})
    assert given.status_code == 200, given.text
    assert given.json()["health"] is True
    withdrawn = http.put("/v1/me/consent", json={"health": False}).json()
    assert withdrawn["health"] is False
    assert [(entry["granted"], entry["channel"]) for entry in withdrawn["history"]] == [
        (True, "api"),
        (False, "api"),
    ]
    assert ConsentRecord.objects.filter(user=athlete).count() == 2  # appended, never edited


def test_a_bad_consent_body_is_refused_and_records_nothing(client, token_for, make_user) -> None:
    athlete = make_user(consent=False)
    http = client(token_for(athlete))
    for body in ({"health": "maybe"}, {"health": 0}, {"health": "false"}, {}, {"health": True, "kind": "x"}):
        response = http.put("/v1/me/consent", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["error"]["code"] == "validation_error"
    assert not ConsentRecord.objects.filter(user=athlete).exists()
    assert client(None).get("/v1/me/consent").status_code == 401


def test_heart_rate_routes_answer_403_after_withdrawal_for_the_athlete_and_their_coach(
    client, token_for, athlete, coach, make_activity, live
) -> None:
    make_activity(athlete)
    sync(live)
    mine, coachs = client(token_for(athlete)), client(token_for(coach))
    assert mine.get("/v1/analytics/zones").status_code == 200
    assert any(row["load"] for row in mine.get("/v1/analytics/dashboard?weeks=520").json()["rows"])

    assert mine.put("/v1/me/consent", json={"health": False}).status_code == 200
    for http, query in ((mine, ""), (coachs, f"?athlete_id={athlete.pk}")):
        for route in ("/v1/analytics/zones", "/v1/analytics/load"):
            response = http.get(route + query)
            assert response.status_code == 403, (route, response.text)
            error = response.json()["error"]
            assert error["code"] == "forbidden" and "consent" in error["message"]
            assert "race predictions" in error["message"]  # says what still works
        rows = http.get("/v1/analytics/dashboard?weeks=520" + query.replace("?", "&")).json()["rows"]
        assert rows and all(row["load"] is None and row["max_hr"] is None for row in rows)
        assert any(row["distance_km"] > 0 for row in rows)  # distance still there
        assert http.get("/v1/analytics/vma" + query).status_code == 200
        assert (
            http.get("/v1/analytics/predictions?distance_m=10000" + query.replace("?", "&")).status_code
            == 200
        )


def test_activities_show_heart_rate_and_load_only_with_consent(
    client, token_for, athlete, coach, make_activity, live
) -> None:
    activity = make_activity(athlete)
    sync(live)
    mine, coachs = client(token_for(athlete)), client(token_for(coach))
    shown = mine.get(f"/v1/activities/{activity.pk}").json()
    assert shown["avg_hr"] is not None and shown["training_load"] is not None

    assert mine.put("/v1/me/consent", json={"health": False}).status_code == 200
    for http, query in ((mine, ""), (coachs, f"?athlete_id={athlete.pk}")):
        for body in (
            http.get(f"/v1/activities/{activity.pk}").json(),
            http.get("/v1/activities" + query).json()["items"][0],
        ):
            assert body["id"] == activity.pk and body["distance_m"] == shown["distance_m"]
            assert (body["avg_hr"], body["max_hr"], body["training_load"], body["training_load_method"]) == (
                None,
                None,
                None,
                None,
            )
