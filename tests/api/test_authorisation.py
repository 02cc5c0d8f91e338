"""The authorisation matrix, over HTTP: who may read what, for every route that reads an athlete's data."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from web.accounts.models import ApiToken
from web.activities.models import Activity

#: Every route that reads one athlete's data and takes ``athlete_id``.
SCOPED_READS = (
    "/v1/analytics/dashboard",
    "/v1/analytics/trends",
    "/v1/analytics/zones",
    "/v1/analytics/predictions?distance_m=10000",
    "/v1/analytics/vma",
    "/v1/analytics/load",
    "/v1/analytics/records",
    "/v1/activities",
)
#: Every route that needs a token, with a method and a body that would otherwise be valid.
AUTHENTICATED = (
    *(("GET", path) for path in SCOPED_READS),
    ("GET", "/v1/activities/1"),
    ("DELETE", "/v1/activities/1"),
    ("POST", "/v1/activities"),
    ("GET", "/v1/knowledge/search?q=vma"),
    ("GET", "/v1/me"),
    ("GET", "/v1/me/export"),
    ("PATCH", "/v1/me/profile"),
)


def _with(path: str, athlete_id: int) -> str:
    return f"{path}{'&' if '?' in path else '?'}athlete_id={athlete_id}"


def _assert_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.request.url, response.text)
    body = response.json()
    assert body["error"]["status"] == status
    assert body["error"]["message"]


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED)
def test_no_token_wrong_token_expired_or_revoked_token_is_401(
    method, path, client, token_for, athlete
) -> None:
    expired = token_for(athlete, dt.timedelta(seconds=-1))
    revoked_secret = token_for(athlete)
    ApiToken.objects.get(key_prefix=revoked_secret[:10]).revoke()
    for token in (None, "fle_not-a-real-token", "", expired, revoked_secret, "Basic abc"):
        response = client(token).request(method, path, json={})
        _assert_error(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_deactivated_user_s_token_is_401(client, token_for, athlete) -> None:
    token = token_for(athlete)
    athlete.is_active = False
    athlete.save()
    _assert_error(client(token).get("/v1/me"), 401)


def test_an_athlete_reads_their_own_data(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    for path in SCOPED_READS:
        for url in (path, _with(path, athlete.pk)):
            response = http.get(url)
            assert response.status_code == 200, (url, response.text)
            if "athlete_id" in response.json():
                assert response.json()["athlete_id"] == athlete.pk


def test_athlete_a_cannot_read_athlete_b(client, token_for, athlete, stranger, make_activity) -> None:
    theirs = make_activity(stranger)
    http = client(token_for(athlete))
    for path in SCOPED_READS:
        _assert_error(http.get(_with(path, stranger.pk)), 404)
    _assert_error(http.get(f"/v1/activities/{theirs.pk}"), 404)
    _assert_error(http.delete(f"/v1/activities/{theirs.pk}"), 404)
    body = {"start_time": "2026-11-20T07:00:00Z", "distance_m": 5000, "duration_s": 1500}
    _assert_error(http.post(f"/v1/activities?athlete_id={stranger.pk}", json=body), 404)
    assert Activity.objects.filter(pk=theirs.pk).exists()
    assert not Activity.objects.filter(user=stranger).exclude(pk=theirs.pk).exists()


def test_an_unknown_athlete_and_someone_else_s_look_the_same(client, token_for, athlete, stranger) -> None:
    http = client(token_for(athlete))
    missing = http.get(_with("/v1/analytics/dashboard", 10**9))
    forbidden = http.get(_with("/v1/analytics/dashboard", stranger.pk))
    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


def test_a_coach_reads_their_athlete(client, token_for, coach, athlete, make_activity) -> None:
    run = make_activity(athlete)
    http = client(token_for(coach))
    for path in SCOPED_READS:
        response = http.get(_with(path, athlete.pk))
        assert response.status_code == 200, (path, response.text)
    listed = http.get(f"/v1/activities?athlete_id={athlete.pk}").json()
    assert [item["id"] for item in listed["items"]] == [run.pk]
    assert http.get(f"/v1/activities/{run.pk}").json()["athlete_id"] == athlete.pk
    assert http.get("/v1/me").json()["athlete_ids"] == [athlete.pk]


def test_a_coach_cannot_read_another_coach_s_athlete(
    client, token_for, coach, other_coach, stranger, make_activity
) -> None:
    theirs = make_activity(stranger)
    http = client(token_for(coach))
    for path in SCOPED_READS:
        _assert_error(http.get(_with(path, stranger.pk)), 404)
    _assert_error(http.get(f"/v1/activities/{theirs.pk}"), 404)
    _assert_error(http.delete(f"/v1/activities/{theirs.pk}"), 404)
    _assert_error(http.get(_with("/v1/analytics/dashboard", other_coach.pk)), 404)
    assert Activity.objects.filter(pk=theirs.pk).exists()


def test_an_athlete_cannot_read_their_coach_or_a_fellow_athlete(
    client, token_for, coach, athlete, make_user
) -> None:
    teammate = make_user(coach=coach)
    http = client(token_for(athlete))
    _assert_error(http.get(_with("/v1/activities", coach.pk)), 404)
    _assert_error(http.get(_with("/v1/activities", teammate.pk)), 404)


def test_a_coach_loses_access_when_the_athlete_leaves(client, token_for, coach, athlete) -> None:
    http = client(token_for(coach))
    assert http.get(_with("/v1/activities", athlete.pk)).status_code == 200
    athlete.coach = None
    athlete.save()
    _assert_error(http.get(_with("/v1/activities", athlete.pk)), 404)
