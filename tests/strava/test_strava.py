"""Strava over HTTP: stravalib against the fake Strava on loopback, through the site's doors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from analytics.importing.service import import_file
from tests.strava.fake_strava import ATHLETE_ID, CODE, FakeStrava
from web.accounts.models import User
from web.activities.models import Activity, Source
from web.strava import services
from web.strava.models import StravaActivityLink, StravaConnection

pytestmark = pytest.mark.django_db

NEWEST = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)


def connected(user: User, fake: FakeStrava, expires_in: int | None = None) -> StravaConnection:
    tokens = fake.issue_tokens(expires_in)
    connection = StravaConnection(
        user=user, strava_athlete_id=ATHLETE_ID, scopes="activity:read_all,profile:read_all"
    )
    connection.set_tokens(tokens["access_token"], tokens["refresh_token"], tokens["expires_at"])
    connection.save()
    return connection


def test_connect_binds_state_to_the_session_and_stores_tokens_encrypted(
    fake_strava: FakeStrava, athlete: User, login: Callable[[User], Client], store: Any
) -> None:
    browser = login(athlete)
    page = browser.get("/profile/")
    assert b"Connect Strava" in page.content
    response = browser.post("/strava/connect/")
    authorize = urlsplit(response["Location"])
    query = parse_qs(authorize.query)
    assert authorize.path == "/oauth/authorize"
    assert query["scope"] == ["activity:read_all,profile:read_all"]
    state = query["state"][0]

    forged = browser.get("/strava/callback/", {"state": "not-it", "code": CODE, "scope": query["scope"][0]})
    assert forged.status_code == 302
    assert not StravaConnection.objects.exists()

    browser.post("/strava/connect/")
    state = browser.session["strava_oauth_state"]
    browser.get("/strava/callback/", {"state": state, "code": CODE, "scope": query["scope"][0]})
    connection = StravaConnection.objects.get(user=athlete)
    assert connection.strava_athlete_id == ATHLETE_ID
    assert connection.access_token.startswith("access-")
    assert "access-" not in connection.access_token_encrypted
    assert "refresh-" not in connection.refresh_token_encrypted
    assert b"Disconnect Strava" in browser.get("/profile/").content


def test_unconfigured_page_says_how_to_create_an_application(
    settings: Any, athlete: User, login: Callable[[User], Client], store: Any
) -> None:
    settings.STRAVA_CLIENT_ID = None
    page = login(athlete).get("/profile/")
    assert b"https://www.strava.com/settings/api" in page.content


def test_backfill_of_hundreds_newest_first_across_rate_limit_windows(
    fake_strava: FakeStrava, athlete: User, settings: Any
) -> None:
    # Windows of a quarter second and a second stand for Strava's 15 minutes and day.
    # Limits well below the import's own pace (about 20 activities a second), so both are reached.
    settings.STRAVA_SHORT_WINDOW_S = fake_strava.short_window_s = 0.25
    settings.STRAVA_LONG_WINDOW_S = fake_strava.long_window_s = 1.0
    fake_strava.short_limit, fake_strava.long_limit = 3, 10
    ids = fake_strava.add_runs(200, NEWEST, samples=12)
    connection = connected(athlete, fake_strava)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        import time

        time.sleep(seconds)

    step = services.run_backfill(athlete.pk, sleep=sleep)
    assert step.state == "done"
    assert len(waits) >= 2  # it waited for the windows, and did not fail
    assert fake_strava.short_filled >= 2 and fake_strava.long_filled >= 2  # both budgets spent, twice
    assert fake_strava.too_many == 0  # the shared budget kept it under the limits
    links = StravaActivityLink.objects.filter(user=athlete).order_by("pk")
    assert [link.strava_activity_id for link in links] == ids  # newest first
    assert Activity.objects.filter(user=athlete, source=Source.STRAVA).count() == 200
    connection.refresh_from_db()
    assert connection.backfill_done and connection.backfill_imported == 200


def test_a_429_waits_and_resumes_without_half_written_activities(
    fake_strava: FakeStrava, athlete: User, settings: Any
) -> None:
    settings.STRAVA_SHORT_WINDOW_S = fake_strava.short_window_s = 0.5
    fake_strava.add_runs(3, NEWEST, samples=12)
    connected(athlete, fake_strava)
    fake_strava.refuse_next = 2  # the budget is spent where the client cannot see it
    step = services.backfill(StravaConnection.objects.get(user=athlete), budget=50)
    assert step.state == "waiting" and step.resume_at is not None
    assert fake_strava.too_many == 1
    assert not Activity.objects.filter(user=athlete).exists()
    assert Activity.objects.filter(user=athlete).count() == StravaActivityLink.objects.count()
    assert services.run_backfill(athlete.pk).state == "done"
    assert StravaActivityLink.objects.filter(user=athlete).count() == 3


def test_strava_down_writes_nothing_and_is_retried(fake_strava: FakeStrava, athlete: User) -> None:
    fake_strava.add_runs(2, NEWEST, samples=12)
    connected(athlete, fake_strava)
    fake_strava.down = True
    step = services.backfill(StravaConnection.objects.get(user=athlete), budget=50)
    assert step.state == "waiting"
    assert not Activity.objects.filter(user=athlete).exists()
    assert StravaConnection.objects.get(user=athlete).backfill_waiting == "Strava unavailable"
    fake_strava.down = False
    assert services.backfill(StravaConnection.objects.get(user=athlete), budget=50).state == "done"
    assert Activity.objects.filter(user=athlete).count() == 2


def test_an_expired_token_is_refreshed_and_a_revoked_one_stops(
    fake_strava: FakeStrava, athlete: User
) -> None:
    fake_strava.add_runs(1, NEWEST, samples=12)
    connection = connected(athlete, fake_strava, expires_in=-10)
    old_refresh = connection.refresh_token
    assert services.backfill(connection, budget=10).state == "done"
    connection.refresh_from_db()
    assert fake_strava.refreshes == 1 and connection.refresh_token != old_refresh
    assert connection.expires_at > dt.datetime.now(dt.UTC)

    fake_strava.revoked = True
    fake_strava.add_runs(1, NEWEST + dt.timedelta(days=1), samples=12)
    StravaConnection.objects.filter(pk=connection.pk).update(backfill_done=False, backfill_before=None)
    assert services.backfill(StravaConnection.objects.get(pk=connection.pk), budget=10).state == "revoked"
    assert Activity.objects.filter(user=athlete).count() == 1


def _event(aspect: str, object_id: int, object_type: str = "activity", **updates: str) -> str:
    return json.dumps(
        {
            "object_type": object_type,
            "object_id": object_id,
            "aspect_type": aspect,
            "owner_id": ATHLETE_ID,
            "subscription_id": 1,
            "event_time": 1,
            "updates": updates,
        }
    )


def test_webhook_handshake_create_update_delete(
    fake_strava: FakeStrava, athlete: User, client: Client
) -> None:
    refused = client.get(
        "/strava/webhook/", {"hub.mode": "subscribe", "hub.verify_token": "no", "hub.challenge": "x"}
    )
    assert refused.status_code == 403
    shake = client.get(
        "/strava/webhook/", {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "abc"}
    )
    assert shake.json() == {"hub.challenge": "abc"}

    connected(athlete, fake_strava)
    (strava_id,) = fake_strava.add_runs(1, NEWEST, samples=12)

    def post(body: str) -> Any:
        return client.post("/strava/webhook/", body, content_type="application/json")

    assert post(_event("create", strava_id)).status_code == 200
    activity = StravaActivityLink.objects.get(strava_activity_id=strava_id).activity
    assert activity.source == Source.STRAVA and activity.name == f"Run {strava_id}"

    fake_strava.activities[strava_id].update(name="Sunday long run", sport_type="Walk", private=True)
    post(_event("update", strava_id, title="Sunday long run", type="Walk", private="true"))
    activity.refresh_from_db()
    assert (activity.name, activity.sport) == ("Sunday long run", "walk")
    assert StravaActivityLink.objects.get(strava_activity_id=strava_id).private

    post(_event("delete", strava_id))  # forged: the activity is still on Strava
    assert Activity.objects.filter(pk=activity.pk).exists()
    del fake_strava.activities[strava_id]
    post(_event("delete", strava_id))
    assert not Activity.objects.filter(pk=activity.pk).exists()

    fake_strava.down = True
    (later,) = fake_strava.add_runs(1, NEWEST - dt.timedelta(days=3), samples=12)
    assert post(_event("create", later)).status_code == 503  # Strava sends it again
    assert not Activity.objects.filter(user=athlete).exists()


def test_deauthorisation_disconnects_and_deletes_what_came_from_strava(
    fake_strava: FakeStrava, athlete: User, client: Client, make_activity: Callable[..., Activity]
) -> None:
    fake_strava.add_runs(2, NEWEST, samples=12)
    connection = connected(athlete, fake_strava)
    services.backfill(connection, budget=10)
    own = make_activity(athlete, start_time=NEWEST - dt.timedelta(days=30))
    assert Activity.objects.filter(user=athlete).count() == 3
    deauthorisation = _event("update", ATHLETE_ID, "athlete", authorized="false")
    client.post("/strava/webhook/", deauthorisation, content_type="application/json")
    assert StravaConnection.objects.filter(user=athlete).exists()  # forged: the token still works
    assert Activity.objects.filter(user=athlete).count() == 3
    fake_strava.revoked = True  # the athlete revoked Foulée on Strava
    client.post("/strava/webhook/", deauthorisation, content_type="application/json")
    assert not StravaConnection.objects.filter(user=athlete).exists()
    assert list(Activity.objects.filter(user=athlete)) == [own]
    assert not StravaActivityLink.objects.exists()


def _gpx(start: dt.datetime, points: int, step_s: int) -> bytes:
    rows = "".join(
        f'<trkpt lat="{45.0 + 0.00027 * i * step_s / 10:.7f}" lon="5.0"><ele>100</ele>'
        f"<time>{(start + dt.timedelta(seconds=i * step_s)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{rows}</trkseg></trk></gpx>"
    ).encode()


@pytest.mark.parametrize(("points", "step_s", "kept"), [(60, 10, Source.STRAVA), (591, 1, Source.FILE)])
def test_a_run_from_a_file_and_from_strava_is_one_activity_the_richer_source(
    fake_strava: FakeStrava, athlete: User, points: int, step_s: int, kept: str
) -> None:
    (strava_id,) = fake_strava.add_runs(1, NEWEST, samples=60)
    result = import_file(athlete, _gpx(NEWEST, points, step_s), "run.gpx")
    assert result.status == "imported"
    services.backfill(connected(athlete, fake_strava), budget=10)
    activity = Activity.objects.get(user=athlete)
    assert activity.pk == result.activity_id
    assert activity.source == kept
    link = StravaActivityLink.objects.get(strava_activity_id=strava_id)
    assert link.from_strava == (kept == Source.STRAVA)


def test_foulee_strava_subscribe_registers_the_push_subscription(
    fake_strava: FakeStrava, capsys: pytest.CaptureFixture[str]
) -> None:
    from foulee.cli import main

    assert main(["strava", "subscribe", "--callback-url", "https://foulee.example/strava/webhook/"]) == 0
    assert "subscribed: Strava push subscription 1" in capsys.readouterr().out
    (subscription,) = fake_strava.subscriptions
    assert subscription["callback_url"] == "https://foulee.example/strava/webhook/"
    assert subscription["verify_token"] == "verify-me"


def test_a_connection_without_both_scopes_is_refused_in_the_athletes_language(
    fake_strava: FakeStrava, athlete: User, login: Callable[[User], Client], store: Any
) -> None:
    browser = login(athlete)
    browser.post("/strava/connect/")
    state = browser.session["strava_oauth_state"]
    page = browser.get(
        "/strava/callback/",
        {"state": state, "code": CODE, "scope": "read,activity:read_all"},
        follow=True,
    )
    assert not StravaConnection.objects.exists()
    text = page.content.decode()
    assert "allow both on Strava" in text
    browser.cookies["django_language"] = "fr"
    browser.post("/strava/connect/")
    state = browser.session["strava_oauth_state"]
    query = {"state": state, "code": CODE, "scope": "read"}
    french = browser.get("/strava/callback/", query, follow=True).content.decode()
    assert "autorisez les deux sur Strava" in french
