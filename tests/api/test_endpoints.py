"""Each endpoint's happy path over HTTP, on the demo world and on activities written for the test."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from analytics import schema
from web.accounts.models import User
from web.activities.models import Activity, DeletedRecord

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
RUN_FILE = DATA / "runpandas_strava_run_hr.gpx"
TRUNCATED_FILE = DATA / "fitparse_invalid_unexpected_eof.fit"


def test_the_analytics_of_a_demo_athlete(client, token_for, demo) -> None:
    sam = demo["sam"]
    http = client(token_for(sam))

    dashboard = http.get("/v1/analytics/dashboard", params={"weeks": 8}).json()
    assert dashboard["athlete_id"] == sam.pk
    assert len(dashboard["rows"]) == 8
    assert sum(week["distance_km"] for week in dashboard["rows"]) > 50
    assert all(week["week_start"] for week in dashboard["rows"])

    trends = http.get("/v1/analytics/trends", params={"weeks": 12}).json()
    assert trends["available"] and trends["rows"]
    assert all(row["speed_kmh"] > 5 for row in trends["rows"])

    zones = http.get("/v1/analytics/zones").json()
    assert zones["available"] and [zone["zone"] for zone in zones["zones"]] == [1, 2, 3, 4, 5]
    # Each share is rounded to 0.001: five of them add up to 1 within 0.0025.
    assert sum(zone["share"] for zone in zones["zones"]) == pytest.approx(1.0, abs=0.003)

    marathon = http.get("/v1/analytics/predictions", params={"distance_m": 42195}).json()
    ten_k = http.get("/v1/analytics/predictions", params={"distance_m": 10000}).json()
    assert marathon["available"] and ten_k["available"]
    assert marathon["time_s"] > 4 * ten_k["time_s"]
    assert 0 <= marathon["confidence"] <= 1

    vma = http.get("/v1/analytics/vma").json()
    # VO2max to 0.1 from the VMA before its rounding to 0.01 km/h.
    assert vma["available"] and vma["vo2max"] == pytest.approx(3.5 * vma["vma_kmh"], abs=0.07)

    load = http.get("/v1/analytics/load", params={"days": 30}).json()
    assert load["available"] and len(load["series"]) == 30
    assert load["today"]["tsb"] == pytest.approx(load["series"][-1]["tsb"])

    records = http.get("/v1/analytics/records").json()
    assert {record["kind"] for record in records["records"]} <= {"distance", "duration"}
    assert records["records"]

    page = http.get("/v1/activities", params={"limit": 5}).json()
    assert len(page["items"]) == 5 and page["total"] == Activity.objects.filter(user=sam).count()
    one = http.get(f"/v1/activities/{page['items'][0]['id']}").json()
    assert one == page["items"][0]


def test_the_coach_reads_every_demo_athlete_and_the_numbers_are_theirs(client, token_for, demo) -> None:
    http = client(token_for(demo["coach"]))
    athletes = sorted(user.pk for user in User.objects.filter(coach=demo["coach"]))
    assert sorted(http.get("/v1/me").json()["athlete_ids"]) == athletes
    totals = {
        athlete_id: http.get("/v1/activities", params={"athlete_id": athlete_id, "limit": 1}).json()["total"]
        for athlete_id in athletes
    }
    assert totals == {
        athlete_id: Activity.objects.filter(user_id=athlete_id).count() for athlete_id in athletes
    }


def test_an_athlete_without_data_gets_notes_not_errors(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    for path, flag in (
        ("/v1/analytics/trends", "available"),
        ("/v1/analytics/zones", "available"),
        ("/v1/analytics/predictions?distance_m=5000", "available"),
        ("/v1/analytics/vma", "available"),
        ("/v1/analytics/load", "available"),
    ):
        body = http.get(path).json()
        assert body[flag] is False, path
    prediction = http.get("/v1/analytics/predictions?distance_m=5000").json()
    assert prediction["time_s"] is None and "not enough data" in prediction["method"]
    dashboard = http.get("/v1/analytics/dashboard?weeks=2").json()
    assert [week["avg_speed_kmh"] for week in dashboard["rows"]] == [None, None]


def test_pagination_and_filters(client, token_for, athlete, make_activity) -> None:
    import datetime as dt

    start = dt.datetime(2026, 10, 1, 7, 0, tzinfo=dt.UTC)
    for day in range(7):
        make_activity(athlete, start_time=start + dt.timedelta(days=day), sport="run" if day % 2 else "ride")
    http = client(token_for(athlete))
    first = http.get("/v1/activities", params={"limit": 3}).json()
    assert first["total"] == 7 and first["next_offset"] == 3 and len(first["items"]) == 3
    starts = [item["start_time"] for item in first["items"]]
    assert starts == sorted(starts, reverse=True)
    last = http.get("/v1/activities", params={"limit": 3, "offset": 6}).json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    runs = http.get("/v1/activities", params={"sport": "run"}).json()
    assert runs["total"] == 3 and {item["sport"] for item in runs["items"]} == {"run"}
    window = http.get(
        "/v1/activities", params={"since": "2026-10-02T00:00:00+00:00", "until": "2026-10-04T00:00:00Z"}
    ).json()
    assert window["total"] == 2


def test_log_an_activity_by_hand(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    body = {
        "start_time": "2026-11-20T07:30:00+01:00",
        "distance_m": 10000,
        "duration_s": 3000,
        "avg_hr": 150,
        "name": "Tempo",
    }
    response = http.post("/v1/activities", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["athlete_id"] == athlete.pk and created["source"] == "manual"
    assert created["start_time"].startswith("2026-11-20T06:30:00")
    assert created["avg_speed_mps"] == round(10000 / 3000, 3)  # m/s to the millimetre a second
    assert Activity.objects.get(pk=created["id"]).user == athlete


def test_a_coach_logs_an_activity_for_their_athlete(client, token_for, coach, athlete) -> None:
    body = {"start_time": "2026-11-20T07:30:00Z", "distance_m": 5000, "duration_s": 1600}
    response = client(token_for(coach)).post(f"/v1/activities?athlete_id={athlete.pk}", json=body)
    assert response.status_code == 201 and response.json()["athlete_id"] == athlete.pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"distance_m": -1}, "body.distance_m"),
        ({"duration_s": 0}, "body.duration_s"),
        ({"avg_hr": 400}, "body.avg_hr"),
        ({"start_time": "2026-11-20T07:30:00"}, "body.start_time"),
        ({"sport": "skydiving"}, "body.sport"),
        ({"unknown": 1}, "body.unknown"),
        ({"name": "x" * 201}, "body.name"),
    ],
)
def test_an_invalid_activity_names_the_field(client, token_for, athlete, change, field) -> None:
    body = {"start_time": "2026-11-20T07:30:00Z", "distance_m": 5000, "duration_s": 1600, **change}
    response = client(token_for(athlete)).post("/v1/activities", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [item["field"] for item in error["fields"]]
    assert not Activity.objects.filter(user=athlete).exists()


def test_upload_a_file_then_the_same_file_again(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    files = {"file": (RUN_FILE.name, RUN_FILE.read_bytes(), "application/gpx+xml")}
    first = http.post("/v1/activities/upload", files=files)
    assert first.status_code == 200, first.text
    result = first.json()["results"][0]
    assert result["status"] == "imported" and result["distance_m"] > 0
    activity = Activity.objects.get(pk=result["activity_id"])
    assert activity.user == athlete and activity.original_file
    again = http.post("/v1/activities/upload", files=files).json()
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["activity_id"] == activity.pk
    assert again["summary"] == {"imported": 0, "duplicates": 1, "errors": 0, "skipped_without_file": 0}


def test_upload_a_zip_with_a_good_and_a_bad_file(client, token_for, athlete) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities/run.gpx", RUN_FILE.read_bytes())
        archive.writestr("activities/broken.fit", TRUNCATED_FILE.read_bytes())
    response = client(token_for(athlete)).post(
        "/v1/activities/upload", files={"file": ("export.zip", buffer.getvalue(), "application/zip")}
    )
    assert response.status_code == 207, response.text  # a partial success
    statuses = sorted(result["status"] for result in response.json()["results"])
    assert statuses == ["error", "imported"]
    assert response.json()["summary"]["imported"] == 1


def test_an_unreadable_upload_says_why(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    for name, data in (("notes.txt", b"hello"), ("run.gpx", b"<not-xml"), ("empty.zip", b"PK")):
        result = http.post("/v1/activities/upload", files={"file": (name, data)}).json()["results"][0]
        assert result["status"] == "error" and result["error"], name
    assert not Activity.objects.filter(user=athlete).exists()


def test_upload_without_a_file_names_the_field(client, token_for, athlete) -> None:
    response = client(token_for(athlete)).post("/v1/activities/upload", data={"other": "x"})
    assert response.status_code == 422
    assert "body.file" in [item["field"] for item in response.json()["error"]["fields"]]


def test_delete_an_activity(live, client, token_for, athlete, make_activity) -> None:
    run = make_activity(athlete)
    assert synced_ids(live) == [run.pk]  # sync on commit, the default
    http = client(token_for(athlete))
    assert http.delete(f"/v1/activities/{run.pk}").status_code == 204
    assert not Activity.objects.filter(pk=run.pk).exists()
    # The deletion reached the analytics store at its commit, and its tombstone was applied.
    assert synced_ids(live) == []
    assert not DeletedRecord.objects.filter(kind="activity", object_id=run.pk).exists()
    assert http.get(f"/v1/activities/{run.pk}").status_code == 404


def synced_ids(store: Engine) -> list[int]:
    with store.connect() as conn:
        return list(conn.execute(select(schema.Activity.id)).scalars())


def test_knowledge_search(client, token_for, athlete) -> None:
    response = client(token_for(athlete)).get(
        "/v1/knowledge/search", params={"q": "c'est quoi la VMA ?", "language": "fr", "k": 3}
    )
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert 1 <= len(hits) <= 3
    assert all(hit["source"] and hit["text"] for hit in hits)
