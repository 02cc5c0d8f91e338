"""Operations over the real server: readiness, a store that is down, a bad Host header.

A store is "down" for real: the analytics store points at a PostgreSQL port
nobody listens on; the system of record's connection settings point at a
SQLite file that cannot be opened (or, on PostgreSQL, that same dead port)
for the threads of the server. See docs/security.md, API8.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx
import pytest
from django.db import connections
from sqlalchemy import Engine

from tests import pg
from web.accounts.models import User

ERROR_KEYS = {"status", "code", "message", "fields"}


@pytest.fixture
def database_down(live: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """New connections to the system of record fail (the server's threads open one per request)."""
    settings = connections.settings["default"]  # the dict every thread's connection reads
    if pg.suite_on_postgres():
        monkeypatch.setitem(settings, "PORT", "1")
    else:
        monkeypatch.setitem(settings, "NAME", "/nonexistent-foulee-dir/foulee.sqlite3")
    yield
    monkeypatch.undo()


def test_ready_lists_every_store_when_all_answer(client: Callable[..., httpx.Client], live: Engine) -> None:
    response = client(None).get("/v1/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "stores": {"database": "up", "analytics": "up"}}


def test_ready_names_the_analytics_store_when_it_is_down_and_health_stays_ok(
    client: Callable[..., httpx.Client], live: Engine, analytics_down: str, caplog: pytest.LogCaptureFixture
) -> None:
    http = client(None)
    with caplog.at_level(logging.ERROR):
        response = http.get("/v1/ready")
    assert response.status_code == 503
    error = response.json()["error"]
    assert set(error) == ERROR_KEYS and error["code"] == "unavailable"
    assert error["fields"] == [{"field": "analytics", "message": "down"}]
    assert "analytics store" in error["message"] and "127.0.0.1" not in response.text  # no infra to strangers
    # The operator's log has the setting, the URL without its password, and the reason: one line.
    assert "ANALYTICS_DATABASE_URL: cannot connect to postgresql://foulee:***@127.0.0.1:1/" in caplog.text
    assert "hunter2" not in caplog.text and "Traceback" not in caplog.text
    assert http.get("/v1/health").json() == {"status": "ok"}  # liveness: the process is fine


def test_analytics_routes_answer_503_in_the_error_shape_when_the_store_is_down(
    client: Callable[..., httpx.Client],
    token_for: Callable[..., str],
    athlete: User,
    analytics_down: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http = client(token_for(athlete))
    with caplog.at_level(logging.ERROR):
        for path in ("/v1/analytics/dashboard", "/v1/analytics/load", "/v1/analytics/records"):
            response = http.get(path)
            assert response.status_code == 503, (path, response.text)
            error = response.json()["error"]
            assert set(error) == ERROR_KEYS and error["code"] == "unavailable"
            assert (
                error["message"] == "Service unavailable: the analytics store does not answer; retry later."
            )
    assert "Traceback" not in caplog.text and "hunter2" not in caplog.text
    assert (
        "ANALYTICS_DATABASE_URL unavailable on GET /v1/analytics/dashboard: connection refused" in caplog.text
    )
    # What needs only the system of record still works.
    assert http.get("/v1/me").status_code == 200


def test_a_system_of_record_that_is_down_is_503_and_not_ready(
    client: Callable[..., httpx.Client],
    token_for: Callable[..., str],
    athlete: User,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    token = token_for(athlete)
    request.getfixturevalue("database_down")
    with caplog.at_level(logging.ERROR):
        ready = client(None).get("/v1/ready")
        me = client(token).get("/v1/me")
    assert ready.status_code == 503
    assert ready.json()["error"]["fields"] == [{"field": "database", "message": "down"}]
    assert me.status_code == 503
    assert me.json()["error"]["message"] == "Service unavailable: the database does not answer; retry later."
    assert "DATABASE_URL: cannot connect to" in caplog.text and "Traceback" not in caplog.text


def test_a_bad_host_header_is_400_and_one_log_line(
    client: Callable[..., httpx.Client], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = client(None).get("/login/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    records = [record for record in caplog.records if record.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert records[0].exc_info is None and "evil.example" in records[0].getMessage()
    assert "Traceback" not in caplog.text
