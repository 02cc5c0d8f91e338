"""The API's figures agree with the web's, are rounded as documented, and its dates read as people write them.

Over the live server: an imported file's load and name as its web page shows
them, every number of every analytics response rounded to its documented
decimals, one name for each PMC value, dates as well as date-times in queries,
and an upload's status saying how it went as a whole.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from sqlalchemy import Engine

from api.main import create_app
from api.ratelimit import RateLimits
from web.accounts.models import User
from web.accounts.services import profile_of
from web.activities.models import Activity
from web.site import insights

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
RUN_FILE = DATA / "runpandas_strava_run_hr.gpx"
TRUNCATED_FILE = DATA / "fitparse_invalid_unexpected_eof.fit"


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return create_app(rate_limits=RateLimits.off()).openapi()


def _speaking(user: User, language: str) -> None:
    profile = profile_of(user)
    profile.language = language
    profile.save()


# --- an imported file: the web's load and name -------------------------------------------------


@pytest.mark.parametrize(("language", "sport_name"), [("en", "Run"), ("fr", "Course à pied")])
def test_an_imported_file_has_the_load_and_the_name_its_web_page_shows(
    client, token_for, athlete, login, live: Engine, language: str, sport_name: str
) -> None:
    _speaking(athlete, language)
    http = client(token_for(athlete))
    upload = http.post("/v1/activities/upload", files={"file": (RUN_FILE.name, RUN_FILE.read_bytes())})
    assert upload.status_code == 200, upload.text
    activity_id = upload.json()["results"][0]["activity_id"]
    assert Activity.objects.get(pk=activity_id).name == ""  # a GPX without a name

    shown = http.get(f"/v1/activities/{activity_id}").json()
    listed = http.get("/v1/activities").json()["items"][0]
    assert shown == listed

    # The load: the analytics store's, which the web page shows (computed from the file's HR).
    analysed = insights.activity_analysis(activity_id)
    assert analysed.training_load is not None and analysed.training_load > 0
    assert shown["training_load"] == round(analysed.training_load)
    assert shown["training_load_method"] == analysed.load_method

    # The name: the page's, in the caller's language.
    page = login(athlete)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = page.get(f"/activities/{activity_id}/").content.decode()
    assert shown["name"] == sport_name
    assert f"<h1>{sport_name}</h1>" in html


def test_a_named_activity_keeps_its_name_and_an_unsynced_one_has_no_load(
    client, token_for, athlete, make_activity, settings
) -> None:
    named = make_activity(athlete, name="Sortie du dimanche")
    settings.FOULEE_SYNC_ON_COMMIT = False
    unsynced = make_activity(
        athlete, start_time=dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), training_load=80.0
    )
    http = client(token_for(athlete))
    assert http.get(f"/v1/activities/{named.pk}").json()["name"] == "Sortie du dimanche"
    pending = http.get(f"/v1/activities/{unsynced.pk}").json()
    assert pending["name"] and pending["training_load"] is None and pending["training_load_method"] is None


def test_a_coach_reads_an_athlete_s_unnamed_run_in_the_coach_s_language(
    client, token_for, coach, athlete, make_activity
) -> None:
    _speaking(athlete, "en")
    _speaking(coach, "fr")
    run = make_activity(athlete)
    shown = client(token_for(coach)).get(f"/v1/activities/{run.pk}").json()
    with translation.override("fr"):
        assert shown["name"] == run.display_name == "Course à pied"


# --- rounding ----------------------------------------------------------------------------------


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _numbers(
    document: dict[str, Any], node: dict[str, Any], value: Any, path: str
) -> Iterator[tuple[str, float, int | None]]:
    """Each number of ``value`` with the decimals its schema documents (None when it documents none)."""
    node = _resolve(document, node)
    if value is None:
        return
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            yield from _numbers(document, option, value, path)
            return
    if isinstance(value, dict):
        for key, item in value.items():
            inner = node.get("properties", {}).get(key) or node.get("additionalProperties") or {}
            yield from _numbers(document, inner, item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(document, node.get("items", {}), item, f"{path}[{index}]")
    elif isinstance(value, float):
        yield path, value, node.get("x-decimals")


def _response_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["paths"][path]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    return schema


ANALYTICS_QUERIES = [
    ("/v1/analytics/dashboard", {"weeks": 12}),
    ("/v1/analytics/trends", {"weeks": 12}),
    ("/v1/analytics/zones", {}),
    ("/v1/analytics/predictions", {"distance_m": 21097.5}),
    ("/v1/analytics/vma", {}),
    ("/v1/analytics/load", {"days": 30}),
    ("/v1/analytics/records", {}),
    ("/v1/activities", {"limit": 50}),
]


def test_every_number_is_rounded_to_its_documented_decimals(client, token_for, demo, openapi) -> None:
    http = client(token_for(demo["sam"]))
    checked = 0
    for path, params in ANALYTICS_QUERIES:
        response = http.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        for where, number, decimals in _numbers(
            openapi, _response_schema(openapi, path), response.json(), path
        ):
            assert decimals is not None, f"{where} is a number without documented rounding"
            assert round(number, decimals) == number, (where, number, decimals)
            checked += 1
    assert checked > 500  # a year of history: the check saw real figures


def test_the_dashboard_rounds_what_was_a_long_float(client, token_for, athlete, make_activity) -> None:
    # 2950 s of running is 0.819444… h, 10 km over it 3.389830… m/s: both had every digit.
    run = make_activity(athlete, start_time=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    http = client(token_for(athlete))
    rows = http.get("/v1/analytics/dashboard", params={"weeks": 2}).json()["rows"]
    (week,) = [row for row in rows if row["runs"]]
    assert week["moving_time_h"] == 0.82 and week["distance_km"] == 10.0
    assert http.get(f"/v1/activities/{run.pk}").json()["avg_speed_mps"] == 3.39


def test_every_number_of_every_response_documents_its_rounding(openapi) -> None:
    undocumented = []
    for name, component in openapi["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            options = [prop, *prop.get("anyOf", []), prop.get("additionalProperties") or {}]
            if any(option.get("type") == "number" for option in options if isinstance(option, dict)):
                rounded = any("x-decimals" in option for option in options if isinstance(option, dict))
                if rounded:
                    assert "Rounded to " in prop["description"], (name, field)
                elif not _is_input(openapi, name):
                    undocumented.append(f"{name}.{field}")
    assert undocumented == []


def _is_input(document: dict[str, Any], component: str) -> bool:
    """Whether ``component`` is a request body (its numbers are the client's, not rounded)."""
    ref = f"#/components/schemas/{component}"
    for operations in document["paths"].values():
        for operation in operations.values():
            body = operation.get("requestBody", {}).get("content", {})
            if any(content.get("schema", {}).get("$ref") == ref for content in body.values()):
                return True
    return False


# --- one name for each PMC value ---------------------------------------------------------------


def test_the_load_names_each_value_once_as_the_pmc_does(client, token_for, demo, openapi) -> None:
    load = client(token_for(demo["sam"])).get("/v1/analytics/load", params={"days": 30}).json()
    assert set(load["today"]) == {"day", "ctl", "atl", "tsb", "label", "code", "ramp_per_week"}
    assert all(set(day) == {"day", "load", "ctl", "atl", "tsb"} for day in load["series"])
    assert load["today"]["tsb"] == load["series"][-1]["tsb"]
    assert load["today"]["ctl"] == load["series"][-1]["ctl"]
    names = {
        field
        for component in openapi["components"]["schemas"].values()
        for field in component.get("properties", {})
    }
    assert not names & {"fitness", "fatigue", "form"}


# --- dates in queries --------------------------------------------------------------------------


@pytest.fixture
def auckland_runs(athlete, make_activity) -> tuple[Activity, Activity]:
    """Two runs either side of 25 November's midnight in Auckland (UTC+13): 23:30 and 00:30 local."""
    profile = profile_of(athlete)
    profile.timezone = "Pacific/Auckland"
    profile.save()
    late = make_activity(athlete, start_time=dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC))
    early = make_activity(athlete, start_time=dt.datetime(2026, 11, 24, 11, 30, tzinfo=dt.UTC))
    return late, early


def test_a_date_in_a_query_is_the_athlete_s_local_midnight(client, token_for, athlete, auckland_runs) -> None:
    late, early = auckland_runs
    http = client(token_for(athlete))

    def ids(**params: str) -> list[int]:
        response = http.get("/v1/activities", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids(since="2026-11-25") == [early.pk]
    assert ids(since="2026-11-26") == []
    # until= a date includes that day, as the web's filter does: before the midnight ending it.
    assert ids(until="2026-11-24") == [late.pk]
    assert ids(until="2026-11-25") == [early.pk, late.pk]
    assert ids(since="2026-11-25", until="2026-11-25") == [early.pk]
    assert ids(since="2026-11-24", until="2026-11-24") == [late.pk]
    # A date-time still means that instant.
    assert ids(since="2026-11-24T11:00:00Z") == [early.pk]
    assert ids(until="2026-11-25T00:00:00+13:00") == [late.pk]


def test_a_coach_s_date_is_the_athlete_s_midnight_not_the_coach_s(
    client, token_for, coach, athlete, auckland_runs
) -> None:
    profile = profile_of(coach)
    profile.timezone = "America/Los_Angeles"
    profile.save()
    _late, early = auckland_runs
    page = client(token_for(coach)).get(
        "/v1/activities", params={"athlete_id": athlete.pk, "since": "2026-11-25"}
    )
    assert [item["id"] for item in page.json()["items"]] == [early.pk]


def test_an_until_whose_day_ends_past_the_calendar_is_a_422_not_a_500(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    response = http.get("/v1/activities", params={"until": "9999-12-31"})  # no 10000-01-01 midnight
    assert response.status_code == 422, response.text
    assert [item["field"] for item in response.json()["error"]["fields"]] == ["query.until"]
    assert http.get("/v1/activities", params={"until": "9999-12-30"}).status_code == 200


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-11-25T07:30:00", "25/11/2026", "1764000000", "0001-01-01"]
)
def test_a_query_date_that_is_neither_is_a_422_naming_it(
    client, token_for, athlete, auckland_runs, value
) -> None:
    # 0001-01-01 is a date, but its midnight in Auckland is before the first instant there is.
    response = client(token_for(athlete)).get("/v1/activities", params={"since": value})
    assert response.status_code == 422, response.text
    assert [item["field"] for item in response.json()["error"]["fields"]] == ["query.since"]


def test_the_document_says_a_date_is_welcome(openapi) -> None:
    parameters = {p["name"]: p for p in openapi["paths"]["/v1/activities"]["get"]["parameters"]}
    for name in ("since", "until"):
        formats = {option.get("format") for option in parameters[name]["schema"]["anyOf"]}
        assert {"date", "date-time"} <= formats and "midnight" in parameters[name]["description"]


# --- an upload's status says how it went -------------------------------------------------------


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(f"activities/{name}", data)
    return buffer.getvalue()


def test_an_upload_whose_files_all_failed_is_a_422_in_the_error_shape(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    archive = _zip(**{"broken.fit": TRUNCATED_FILE.read_bytes(), "notes.gpx": b"<not-xml"})
    for name, data in (
        ("notes.txt", b"hello"),
        ("broken.fit", TRUNCATED_FILE.read_bytes()),
        ("two.zip", archive),
    ):
        response = http.post("/v1/activities/upload", files={"file": (name, data)})
        assert response.status_code == 422, (name, response.text)
        body = response.json()
        error = body["error"]
        assert error["status"] == 422 and error["code"] == "validation_error"
        assert error["message"].startswith("No file imported")
        refused = [result for result in body["results"] if result["status"] == "error"]
        assert refused and len(error["fields"]) == len(refused) == body["summary"]["errors"]
        assert all(item["field"] == "body.file" and item["message"] for item in error["fields"])
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_partial_upload_is_a_207_that_says_so(client, token_for, athlete) -> None:
    archive = _zip(**{"run.gpx": RUN_FILE.read_bytes(), "broken.fit": TRUNCATED_FILE.read_bytes()})
    response = client(token_for(athlete)).post(
        "/v1/activities/upload", files={"file": ("export.zip", archive)}
    )
    assert response.status_code == 207, response.text
    body = response.json()
    assert body["outcome"] == "partial" and body["message"].startswith("Partly imported")
    assert body["summary"] == {"imported": 1, "duplicates": 0, "errors": 1, "skipped_without_file": 0}


def test_an_upload_already_there_is_not_a_failure(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    files = {"file": (RUN_FILE.name, RUN_FILE.read_bytes())}
    first = http.post("/v1/activities/upload", files=files)
    assert first.status_code == 200 and first.json()["outcome"] == "complete"
    again = http.post("/v1/activities/upload", files=files)
    assert again.status_code == 200 and again.json()["outcome"] == "complete", again.text
    assert again.json()["results"][0]["status"] == "duplicate"
