"""Shared fixtures: people with roles, activities that pass validation, and the analytics store."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from sqlalchemy import Connection, Engine, delete

from analytics import db as analytics_db
from analytics import schema
from foulee.ratelimit import get_limiter
from web.accounts.models import Role, User
from web.activities.models import Activity

#: The loopback results site (``results_site``, ``private_hosts_allowed``) for the results-page import.
pytest_plugins = ["tests.results_server"]

PASSWORD = "a-long-test-password"
#: The Redis the shared-limit tests use (database 15, keys under a per-test name); CI has one.
REDIS_URL = os.environ.get("FOULEE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

#: Fixtures through which a test reaches a database: Django's, the analytics store's, or a CLI's.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_setup", "analytics_engine", "store", "cli_env", "live_server"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With FOULEE_TEST_DATABASE_ONLY set (the suite's second run, on PostgreSQL), keep only the
    tests that reach a database: the others (formulas, readers, retrieval…) gave their answer on
    the first run, and would give the same one again.
    """
    if not os.environ.get("FOULEE_TEST_DATABASE_ONLY"):
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        uses_database = item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)
        (kept if uses_database else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    """Each test starts with no hits counted in the process's limiter (the one production uses)."""
    get_limiter.cache_clear()
    yield
    get_limiter.cache_clear()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a folder of each test's own: the database rolls back, files would not."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = iter(range(1_000_000))

    def make(
        role: str = Role.ATHLETE, coach: User | None = None, *, consent: bool = True, **fields: Any
    ) -> User:
        """A user; an athlete has consented to health data unless ``consent=False`` (no decision)."""
        email = fields.pop("email", f"{role}{next(counter)}@example.org")
        user = User.objects.create_user(email, PASSWORD, role=role, coach=coach, **fields)
        if consent and role == Role.ATHLETE:
            give_consent(user)
        return user

    return make


def give_consent(user: User) -> None:
    """Record the athlete's consent to health data, as the sign-up box does (``web.accounts.consent``)."""
    from web.accounts import consent

    consent.record(user, granted=True, channel="web")


@pytest.fixture
def coach(make_user: Callable[..., User]) -> User:
    return make_user(Role.COACH, full_name="Coach One")


@pytest.fixture
def other_coach(make_user: Callable[..., User]) -> User:
    return make_user(Role.COACH, full_name="Coach Two")


@pytest.fixture
def athlete(make_user: Callable[..., User], coach: User) -> User:
    return make_user(coach=coach, full_name="Alice Athlete")


@pytest.fixture
def stranger(make_user: Callable[..., User], other_coach: User) -> User:
    """An athlete of another coach: nothing of theirs may leak to ``coach``."""
    return make_user(coach=other_coach, full_name="Zoe Stranger")


def activity_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "start_time": dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC),
        "distance_m": 10_000.0,
        "duration_s": 3000.0,
        "moving_time_s": 2950.0,
        "avg_hr": 150.0,
        "max_hr": 172.0,
        "avg_speed_mps": 10_000.0 / 2950.0,
        "max_speed_mps": 4.5,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_activity() -> Callable[..., Activity]:
    def make(user: User, **overrides: Any) -> Activity:
        activity = Activity(user=user, **activity_fields(**overrides))
        activity.full_clean()
        activity.save()
        return activity

    return make


@pytest.fixture
def login() -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client = Client()
        assert client.login(username=user.email, password=PASSWORD)
        return client

    return log_in


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A reachable Redis, or a skip (a failure under CI, which has one: see the README)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} cannot be reached under CI: {error}")
        pytest.skip(f"Redis at {REDIS_URL} cannot be reached: {error}")
    return REDIS_URL


@pytest.fixture(scope="session")
def analytics_engine() -> Engine:
    """The analytics store under test: the suite's backend (SQLite file or PostgreSQL), migrated."""
    engine = analytics_db.get_engine()
    analytics_db.upgrade(engine)
    return engine


@pytest.fixture
def store(analytics_engine: Engine) -> Iterator[Engine]:
    """A migrated, empty analytics store (it is not rolled back with Django's test transaction)."""
    with analytics_engine.begin() as conn:
        for table in reversed(schema.Base.metadata.sorted_tables):
            conn.execute(delete(table))
    yield analytics_engine


@pytest.fixture
def conn(store: Engine) -> Iterator[Connection]:
    with store.connect() as connection:
        yield connection


#: A PostgreSQL port nobody listens on: a store "down" that refuses at once, on any suite backend.
DOWN_POSTGRES_URL = "postgresql://foulee:hunter2@127.0.0.1:1/foulee_down"


@pytest.fixture
def analytics_down(store: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The analytics store, as the process sees it, points at a server that is down.

    The settings and the engine are cached per process: cleared now, and again
    afterwards so the next test gets the real store back.
    """
    from foulee.config import get_settings

    monkeypatch.setenv("ANALYTICS_DATABASE_URL", DOWN_POSTGRES_URL)
    get_settings.cache_clear()
    analytics_db.get_engine.cache_clear()
    yield DOWN_POSTGRES_URL
    monkeypatch.undo()
    get_settings.cache_clear()
    analytics_db.get_engine.cache_clear()
