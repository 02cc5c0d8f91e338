"""Abuse limits: rate limits per token, per address and on the coach endpoint; body and page caps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.main import create_app
from api.ratelimit import COACH_PATH, Rate, RateLimits, TokenBuckets
from foulee.config import get_settings
from tests.api.conftest import serve


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_refuses_past_its_burst_and_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = TokenBuckets(Rate(per_minute=60, burst=2), clock)
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0  # another key has its own bucket
    clock.now += 1.0
    assert buckets.take("a") == 0
    clock.now += 3600
    assert [buckets.take("a") for _ in range(3)][:2] == [0, 0]


def test_the_bucket_table_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr("api.ratelimit.MAX_KEYS", 10)
    buckets = TokenBuckets(Rate(per_minute=1, burst=1), Clock())
    for key in range(100):
        buckets.take(str(key))
    assert len(buckets._buckets) == 10


@pytest.fixture
def limited_url(live):
    limits = RateLimits(
        # Refills of one a minute: nothing comes back while a test runs.
        per_token=Rate(per_minute=1, burst=3),
        per_ip=Rate(per_minute=1, burst=7),
        coach_per_token=Rate(per_minute=1, burst=1),
    )
    with serve(create_app(rate_limits=limits)) as url:
        yield url


def _limited(response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1


def test_a_token_is_limited_then_the_address(limited_url, token_for, athlete) -> None:
    import httpx

    first, second = token_for(athlete), token_for(athlete)
    with httpx.Client(base_url=limited_url) as http:
        bearer = {"Authorization": f"Bearer {first}"}
        assert [http.get("/v1/me", headers=bearer).status_code for _ in range(3)] == [200] * 3
        _limited(http.get("/v1/me", headers=bearer))
        other = {"Authorization": f"Bearer {second}"}
        assert [http.get("/v1/me", headers=other).status_code for _ in range(3)] == [200] * 3
        # Seven requests from this address so far: the address is now out too,
        # whatever the token, or without one.
        _limited(http.get("/v1/health"))
        _limited(http.get("/v1/me", headers={"Authorization": "Bearer fle_fresh-guess"}))
        # Django's pages are not the API's to limit.
        assert http.get("/admin/login/").status_code == 200


def test_the_coach_endpoint_is_limited_hardest(limited_url, token_for, athlete) -> None:
    import httpx

    bearer = {"Authorization": f"Bearer {token_for(athlete)}"}
    with httpx.Client(base_url=limited_url, headers=bearer) as http:
        assert http.post(COACH_PATH, json={"text": "Bonjour"}).status_code != 429
        _limited(http.post(COACH_PATH, json={"text": "Encore"}))
        assert http.get("/v1/me").status_code == 200  # other routes still answer


def test_a_json_body_over_the_cap_is_413(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    big = {"start_time": "2026-11-20T07:30:00Z", "distance_m": 5000, "duration_s": 1600, "name": "x" * 70_000}
    response = http.post("/v1/activities", json=big)
    assert response.status_code == 413 and response.json()["error"]["code"] == "content_too_large"

    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    streamed = http.post("/v1/activities", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "content_too_large"


def test_uploads_obey_the_import_limit(client, token_for, athlete, monkeypatch) -> None:
    monkeypatch.setenv("FOULEE_MAX_UPLOAD_MB", "0.01")  # 10 KiB
    get_settings.cache_clear()
    try:
        http = client(token_for(athlete))
        over_body = http.post("/v1/activities/upload", files={"file": ("run.gpx", b"x" * 200_000)})
        assert over_body.status_code == 413
        over_file = http.post("/v1/activities/upload", files={"file": ("run.gpx", b"x" * 30_000)})
        assert over_file.status_code == 200
        assert over_file.json()["results"][0]["error"] == "file size over the limit"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_page_size_is_capped(client, token_for, athlete) -> None:
    http = client(token_for(athlete))
    response = http.get("/v1/activities", params={"limit": 101})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "query.limit"
    assert http.get("/v1/activities", params={"limit": 100}).status_code == 200
