"""The one process: FastAPI on /v1 and /docs, Django for the rest, one error shape, healthy connections."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from django.db import connection, connections

from api.db import django_db
from tests import pg
from web.activities.models import Activity


def test_django_is_served_by_the_same_process(client) -> None:
    http = client(None)
    login = http.get("/admin/login/")
    assert login.status_code == 200 and "csrfmiddlewaretoken" in login.text
    assert http.get("/static/admin/css/base.css").status_code == 200


def test_openapi_and_docs(client) -> None:
    http = client(None)
    assert "swagger" in http.get("/docs").text.lower()
    spec = http.get("/openapi.json").json()
    for path in (
        "/v1/analytics/dashboard",
        "/v1/analytics/trends",
        "/v1/analytics/zones",
        "/v1/analytics/predictions",
        "/v1/activities",
        "/v1/knowledge/search",
        "/v1/me/export",
    ):
        assert path in spec["paths"], path
    assert spec["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"
    prediction = spec["paths"]["/v1/analytics/predictions"]["get"]
    distance = next(p for p in prediction["parameters"] if p["name"] == "distance_m")
    assert distance["required"] and distance["description"] and distance["schema"]["examples"]
    assert "401" in prediction["responses"] and "404" in prediction["responses"]


def test_unknown_routes_and_methods_answer_in_the_error_shape(client) -> None:
    http = client(None)
    missing = http.get("/v1/no/such/thing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong_method = http.put("/v1/me")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "DELETE, GET"
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_malformed_input_is_a_4xx_that_names_the_field(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    for url, field in (
        ("/v1/analytics/predictions", "query.distance_m"),
        ("/v1/analytics/predictions?distance_m=nan", "query.distance_m"),
        ("/v1/analytics/predictions?distance_m=10", "query.distance_m"),
        ("/v1/analytics/dashboard?weeks=0", "query.weeks"),
        ("/v1/analytics/dashboard?athlete_id=99999999999999999999999", "query.athlete_id"),
        ("/v1/activities/99999999999999999999", "path.activity_id"),
        ("/v1/activities?since=yesterday", "query.since"),
    ):
        response = http.get(url)
        assert response.status_code == 422, (url, response.text)
        assert [item["field"] for item in response.json()["error"]["fields"]] == [field], url


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        (b'{"distance_m": ', 1, 16),
        (b'{\n  "distance_m": 5000,\n  "duration_s": 1600,,\n}', 3, 22),
        (b"{'start_time': 1}", 1, 2),
        ('{"name": "Sortie à l\'aube" "x"}'.encode(), 1, 28),
    ],
)
def test_a_body_not_json_is_a_400_saying_where(client, token_for, athlete, body, line, column) -> None:
    response = client(token_for(athlete)).post(
        "/v1/activities", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_request" and error["status"] == 400
    assert "not valid JSON" in error["message"]
    assert f"line {line}, column {column}" in error["message"]
    assert [item["field"] for item in error["fields"]] == ["body"]
    assert not Activity.objects.filter(user=athlete).exists()


def test_a_body_of_bytes_that_are_not_text_is_a_400_saying_where(client, token_for, athlete) -> None:
    body = b'{\n  "name": "Sortie \xe0 l\'aube"\n}'  # Latin-1 "à": not UTF-8
    response = client(token_for(athlete)).patch(
        "/v1/me/profile", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "bad_request" and "not valid JSON" in error["message"]
    assert "line 2, column 19" in error["message"]
    assert [item["field"] for item in error["fields"]] == ["body"]


def test_a_json_body_of_the_wrong_shape_is_still_a_422_naming_the_field(client, token_for, athlete) -> None:
    response = client(token_for(athlete)).post("/v1/activities", json={"distance_m": "far"})
    assert response.status_code == 422, response.text
    assert "body.distance_m" in [item["field"] for item in response.json()["error"]["fields"]]


@pytest.mark.skipif(not pg.suite_on_postgres(), reason="counts server connections: PostgreSQL only")
def test_no_connection_is_left_open_after_concurrent_requests(api_url, token_for, athlete) -> None:
    headers = {"Authorization": f"Bearer {token_for(athlete)}"}

    def server_connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return int(cursor.fetchone()[0])

    before = server_connections()
    with httpx.Client(base_url=api_url, headers=headers, timeout=30) as http, ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda _: http.get("/v1/activities").status_code, range(200)))
    assert statuses == [200] * 200
    assert server_connections() <= before


@pytest.mark.skipif(not pg.suite_on_postgres(), reason="SQLite in-memory test databases ignore close()")
def test_a_stale_connection_in_a_worker_thread_is_replaced(transactional_db) -> None:
    seen: list[Any] = []

    @django_db
    def query() -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        seen.append(connections["default"].connection)

    def worker() -> None:
        connections["default"].ensure_connection()
        stale = connections["default"].connection
        connections["default"].close_at = 0  # past its age: Django must not reuse it
        query()
        seen.append(stale)
        seen.append(connections["default"].connection)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    used, stale, after = seen
    assert used is not stale and stale.closed and after is None


def test_foulee_run_serves_the_api_and_django_from_one_app() -> None:
    from fastapi import FastAPI

    from web.asgi import application

    assert isinstance(application, FastAPI)
    assert {"/v1/analytics/dashboard", "/v1/coach/messages"} <= set(application.openapi()["paths"])
