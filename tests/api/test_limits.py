"""Abuse limits: rate limits per token, per address and on the coach endpoint; body and page caps."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.main import create_app
from api.ratelimit import COACH_PATH, RESULTS_PATH, RateLimits
from foulee.config import get_settings
from foulee.ratelimit import Limiter, Rate
from tests.api.conftest import serve

LIMITS = RateLimits(
    # Refills of one a minute: nothing comes back while a test runs.
    per_token=Rate(per_minute=1, burst=3),
    per_ip=Rate(per_minute=1, burst=7),
    coach_per_token=Rate(per_minute=1, burst=1),
    results_per_token=Rate(per_minute=1, burst=1),
)


@pytest.fixture
def limited_url(live):
    with serve(create_app(rate_limits=LIMITS, limiter=Limiter())) as url:
        yield url


def _limited(response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1


def test_a_token_is_limited_then_the_address(limited_url, token_for, athlete) -> None:
    first, second = token_for(athlete), token_for(athlete)
    with httpx.Client(base_url=limited_url) as http:
        bearer = {"Authorization": f"Bearer {first}"}
        assert [http.get("/v1/me", headers=bearer).status_code for _ in range(3)] == [200] * 3
        _limited(http.get("/v1/me", headers=bearer))
        other = {"Authorization": f"Bearer {second}"}
        assert [http.get("/v1/me", headers=other).status_code for _ in range(3)] == [200] * 3
        # Seven requests from this address so far: the address is now out too,
        # whatever the token, or without one.
        _limited(http.get("/v1/me", headers={"Authorization": "Bearer fle_fresh-guess"}))
        _limited(http.get("/v1/knowledge/search", params={"q": "tempo"}))
        # The probes never are: a balancer must see the service, not its limiter.
        assert [http.get("/v1/health").status_code for _ in range(20)] == [200] * 20
        # Django's pages are not the API's to limit.
        assert http.get("/admin/login/").status_code == 200


def test_a_forged_forwarded_address_does_not_reset_the_limit(limited_url) -> None:
    """uvicorn's default believes X-Forwarded-For from any local peer; with no trusted proxy, nobody is."""
    with httpx.Client(base_url=limited_url) as http:
        codes = [
            http.get("/v1/me", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(10)
        ]
    assert codes[:7] == [401] * 7 and codes[7:] == [429] * 3


def test_a_trusted_proxy_is_believed(live, monkeypatch) -> None:
    monkeypatch.setenv("FOULEE_TRUSTED_PROXIES", '["127.0.0.1"]')
    get_settings.cache_clear()
    try:
        with (
            serve(create_app(rate_limits=LIMITS, limiter=Limiter())) as url,
            httpx.Client(base_url=url) as http,
        ):
            # Each client behind the proxy has its own count; the proxy's own address is not the key.
            codes = [
                http.get("/v1/me", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(10)
            ]
            assert codes == [401] * 10
            same = [
                http.get("/v1/me", headers={"X-Forwarded-For": "198.51.100.1"}).status_code for _ in range(8)
            ]
            assert same[:7] == [401] * 7 and same[7] == 429
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_two_processes_on_one_redis_share_the_limit(live, redis_url, token_for, athlete) -> None:
    """Two servers, each with its own limiter (as two processes would have) on one Redis: one count."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    limits = RateLimits(per_token=Rate(per_minute=1, burst=4), per_ip=None, coach_per_token=None)
    bearer = {"Authorization": f"Bearer {token_for(athlete)}"}
    with (
        serve(create_app(rate_limits=limits, limiter=Limiter(redis_url))) as one,
        serve(create_app(rate_limits=limits, limiter=Limiter(redis_url))) as two,
    ):
        codes = [httpx.get(f"{url}/v1/me", headers=bearer).status_code for url in (one, two) * 3]
    assert codes == [200] * 4 + [429] * 2


def test_the_coach_endpoint_is_limited_hardest(limited_url, token_for, athlete) -> None:
    bearer = {"Authorization": f"Bearer {token_for(athlete)}"}
    with httpx.Client(base_url=limited_url, headers=bearer, timeout=120) as http:
        assert http.post(COACH_PATH, json={"text": "Bonjour"}).status_code != 429
        _limited(http.post(COACH_PATH, json={"text": "Encore"}))
        assert http.get("/v1/me").status_code == 200  # other routes still answer


def test_the_results_import_is_limited_per_token(limited_url, token_for, athlete) -> None:
    """Each import fetches a third party's page: tighter than the general limit."""
    bearer = {"Authorization": f"Bearer {token_for(athlete)}"}
    with httpx.Client(base_url=limited_url, headers=bearer) as http:
        assert http.post(RESULTS_PATH, json={"url": "file:///etc/passwd"}).status_code == 422
        _limited(http.post(RESULTS_PATH, json={"url": "file:///etc/passwd"}))
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
        assert over_file.status_code == 422  # its one file failed
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
