"""``POST /v1/races/import-url`` over real sockets: the API's server fetches pages from a loopback site."""

from __future__ import annotations

import datetime as dt

from agent.context import ToolContext
from agent.tools import run_tool
from foulee import races
from web.accounts.models import Role, User
from web.activities.models import Activity, Source

ROUTE = "/v1/races/import-url"


def _athlete(full_name: str, coach: User | None = None) -> User:
    return User.objects.create_user(
        f"{full_name.split()[0].lower()}@example.org", "pw-long-enough", full_name=full_name, coach=coach
    )


def test_loopback_pages_are_refused_with_the_default_settings(client, token_for, live, results_site) -> None:
    athlete = _athlete("Jean-Pierre Martin")
    answer = client(token_for(athlete)).post(ROUTE, json={"url": results_site.url("/fr-10km.html")})
    assert answer.status_code == 422
    body = answer.json()
    assert body["reason"] == "address_refused"
    assert body["error"]["code"] == "validation_error"
    assert body["error"]["message"].startswith("This address leads to a private or reserved network")
    assert body["error"]["fields"][0]["field"] == "body.url"
    assert results_site.requests == []
    assert not Activity.objects.filter(user=athlete).exists()


def test_import_then_duplicate_then_in_the_records(
    client, token_for, live, results_site, private_hosts_allowed
) -> None:
    athlete = _athlete("Jean-Pierre Martin")
    http = client(token_for(athlete))
    first = http.post(ROUTE, json={"url": results_site.url("/fr-10km.html")})
    assert first.status_code == 201, first.text
    imported = first.json()
    assert imported["status"] == "imported"
    assert (imported["activity"]["distance_m"], imported["activity"]["duration_s"]) == (races.TEN_K_M, 2320.0)
    again = http.post(ROUTE, json={"url": results_site.url("/fr-10km.html")})
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["activity"]["id"] == imported["activity"]["id"]
    assert Activity.objects.filter(user=athlete, source=Source.RESULTS).count() == 1
    # Races first in the records: the coach's tool lists it as a race.
    records = run_tool(ToolContext.for_request(athlete, today=dt.date(2025, 11, 1)), "personal_records", {})
    assert [race["activity_id"] for race in records.data["races"]] == [imported["activity"]["id"]]
    assert records.data["races"][0]["display"] == "38:40"


def test_several_rows_answer_409_with_the_candidates_then_the_choice_imports(
    client, token_for, live, results_site, private_hosts_allowed
) -> None:
    athlete = _athlete("Marie Durand")
    http = client(token_for(athlete))
    url = results_site.url("/vallee.html")
    answer = http.post(ROUTE, json={"url": url, "date": "2026-05-17"})
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"]["code"] == "conflict"
    assert [(c["choice"], c["race"], c["time"]) for c in body["candidates"]] == [
        ("t0r2", "Semi-marathon (21,1 km)", "1h37'55"),
        ("t1r1", "10 km", "41'47"),
    ]
    assert not Activity.objects.filter(user=athlete).exists()
    chosen = http.post(ROUTE, json={"url": url, "date": "2026-05-17", "choice": "t0r2"})
    assert chosen.status_code == 201
    assert chosen.json()["activity"]["distance_m"] == races.HALF_MARATHON_M
    missing_date = http.post(ROUTE, json={"url": url, "choice": "t1r1"})
    assert (missing_date.status_code, missing_date.json()["reason"]) == (422, "no_date")


def test_refusals_and_bad_bodies(client, token_for, live, results_site, private_hosts_allowed) -> None:
    athlete = _athlete("Jean-Pierre Martin")
    http = client(token_for(athlete))
    for path, reason in (
        ("/no-table.html", "no_table"),
        ("/missing.html", "not_found"),
        ("/data.json", "not_html"),
    ):
        answer = http.post(ROUTE, json={"url": results_site.url(path)})
        assert (answer.status_code, answer.json()["reason"]) == (422, reason)
    assert http.post(ROUTE, json={"url": "file:///etc/passwd"}).json()["reason"] == "bad_url"
    bad = http.post(ROUTE, json={"url": results_site.url("/fr-10km.html"), "distance_m": 5})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "body.distance_m"
    assert http.post(ROUTE, json={"url": results_site.url("/fr-10km.html"), "extra": 1}).status_code == 422
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_coach_imports_for_their_athlete_and_not_for_another(
    client, token_for, live, results_site, private_hosts_allowed
) -> None:
    coach = User.objects.create_user(
        "coach@example.org", "pw-long-enough", role=Role.COACH, full_name="Coach"
    )
    athlete = _athlete("Jean-Pierre Martin", coach=coach)
    stranger = _athlete("Karim Benali")
    http = client(token_for(coach))
    url = results_site.url("/fr-10km.html")
    mine = http.post(ROUTE, params={"athlete_id": athlete.pk}, json={"url": url})
    assert mine.status_code == 201
    assert mine.json()["activity"]["athlete_id"] == athlete.pk
    theirs = http.post(ROUTE, params={"athlete_id": stranger.pk}, json={"url": url})
    assert theirs.status_code == 404
    assert not Activity.objects.filter(user=stranger).exists()
