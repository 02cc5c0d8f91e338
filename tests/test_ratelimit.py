"""The shared limiter: moving windows in memory or in Redis, and what happens when Redis is down."""

from __future__ import annotations

import logging
import time
import uuid

import pytest

from foulee.ratelimit import Limiter, Rate


def test_a_rate_is_a_burst_over_the_time_its_refill_takes() -> None:
    item = Rate(per_minute=120, burst=60).item()
    assert (item.amount, item.get_expiry()) == (60, 30)
    assert Rate(per_minute=600, burst=1).item().get_expiry() == 1  # never a zero-second window


def test_memory_allows_the_burst_then_says_how_long_to_wait() -> None:
    limiter = Limiter()
    rate = Rate(per_minute=60, burst=2)  # 2 per 2 s
    assert [limiter.take("t", rate, "a") for _ in range(2)] == [0.0, 0.0]
    wait = limiter.take("t", rate, "a")
    assert 1.0 <= wait <= 2.0
    assert limiter.take("t", rate, "b") == 0.0  # another key counts on its own
    assert limiter.take("other", rate, "a") == 0.0  # and so does another limit
    time.sleep(2.1)
    assert limiter.take("t", rate, "a") == 0.0


def test_limiters_on_one_redis_count_together(redis_url: str) -> None:
    """Two processes (two limiters, each its own connection) share one count: more processes, same limit."""
    name = f"test-{uuid.uuid4().hex}"
    first, second = Limiter(redis_url), Limiter(redis_url)
    assert first.shared and second.shared
    rate = Rate(per_minute=1, burst=4)
    waits = [limiter.take(name, rate, "key") for limiter in (first, second, first, second, first, second)]
    assert waits[:4] == [0.0] * 4
    assert all(wait >= 1 for wait in waits[4:])


def test_a_store_that_does_not_answer_lets_requests_through_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = Limiter("redis://:s3cret@127.0.0.1:1/0")  # nothing listens on port 1
    rate = Rate(per_minute=1, burst=1)
    with caplog.at_level(logging.WARNING, logger="foulee.ratelimit"):
        assert [limiter.take("t", rate, "k") for _ in range(3)] == [0.0] * 3
    errors = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Rate limits are off" in errors[0].getMessage()
    assert "s3cret" not in caplog.text and ":***@" in caplog.text
