"""The stores Foulée depends on: does each answer, and is an error the sign that one does not?

One answer for every door: the CLI checks the stores before it starts
(:func:`startup_problems`, one line naming the setting to fix instead of a
traceback), ``GET /v1/ready`` probes them on each call, and the API and the
web pages turn an error that :func:`unavailable_store` recognises into a 503
instead of a 500.

The stores are the system of record (Django, ``DATABASE_URL``), the analytics
store (SQLAlchemy, ``ANALYTICS_DATABASE_URL``) and, when configured, the Redis
that holds the rate limits (``FOULEE_REDIS_URL``). Redis is not required:
the limiter lets requests through while it is down (:mod:`foulee.ratelimit`),
so its outage makes a process not ready but never stops one from starting.

Messages name the URL with any password hidden (:func:`foulee.config.without_password`).
Django and SQLAlchemy are imported inside the functions: ``foulee --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from foulee.config import Settings, get_settings, without_password

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class Store:
    """A store, by the name probes report and the setting that points at it."""

    name: str
    setting: str
    label: str


DATABASE: Final = Store("database", "DATABASE_URL", "the database")
ANALYTICS: Final = Store("analytics", "ANALYTICS_DATABASE_URL", "the analytics store")
REDIS: Final = Store("redis", "FOULEE_REDIS_URL", "the rate limits' Redis")

#: What a database URL looks like, for the message about one that is not.
DATABASE_URL_FORMS: Final = "postgresql://USER:PASSWORD@HOST:PORT/NAME or sqlite:////ABSOLUTE/PATH"


@dataclass(frozen=True)
class Problem:
    """Why a store cannot be used, in words an operator can act on."""

    store: Store
    reason: str

    def __str__(self) -> str:
        return f"{self.store.setting}: {self.reason}"


def describe(error: BaseException) -> str:
    """The gist of a driver's error: its first line's last clause (``connection refused``)."""
    original = getattr(error, "orig", None)  # SQLAlchemy wraps the driver's error
    text = str(original if original is not None else error).strip()
    if not text:
        return type(error).__name__
    gist = text.splitlines()[0].rsplit(": ", 1)[-1].strip().rstrip(".")
    return gist[:1].lower() + gist[1:]


def _cannot_connect(store: Store, url: str, error: BaseException) -> Problem:
    return Problem(store, f"cannot connect to {without_password(url)} ({describe(error)})")


def _malformed(store: Store, url: str, forms: str) -> Problem:
    return Problem(store, f"not a valid URL: {without_password(url)} (use {forms})")


def url_problems(settings: Settings | None = None) -> list[Problem]:
    """The database URLs that cannot even be parsed: checked before Django reads its own."""
    import dj_database_url

    from analytics.db import make_engine

    settings = settings or get_settings()
    problems: list[Problem] = []
    url = settings.resolved_database_url
    try:
        dj_database_url.parse(url)
    except ValueError:  # dj_database_url's ParseError and UnknownSchemeError both are
        problems.append(_malformed(DATABASE, url, DATABASE_URL_FORMS))
    url = settings.resolved_analytics_database_url
    try:
        make_engine(url).dispose()
    except Exception:  # an unknown dialect, a missing driver, a bad port: all "invalid"
        problems.append(_malformed(ANALYTICS, url, DATABASE_URL_FORMS))
    return problems


def database_problem(settings: Settings | None = None) -> Problem | None:
    """Whether Django's database answers (Django must be set up)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError, InterfaceError, connection

    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except (DatabaseError, InterfaceError, ImproperlyConfigured) as error:
        return _cannot_connect(DATABASE, (settings or get_settings()).resolved_database_url, error)
    return None


def analytics_problem(engine: Engine | None = None) -> Problem | None:
    """Whether the analytics store answers (``engine``: the process's unless given)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from analytics.db import get_engine

    if engine is None:
        engine, shown = get_engine(), get_settings().resolved_analytics_database_url
    else:
        shown = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return _cannot_connect(ANALYTICS, shown, error)
    return None


def redis_configured() -> bool:
    """Whether this process counts its rate limits in a Redis (``FOULEE_REDIS_URL``)."""
    from foulee.ratelimit import get_limiter

    return get_limiter().shared


def redis_problem() -> Problem | None:
    """Whether the rate limits' Redis answers; ``None`` also when none is configured."""
    from foulee.ratelimit import get_limiter

    limiter = get_limiter()
    if not limiter.shared or limiter.storage.check():  # check() pings, and says False on any error
        return None
    return Problem(REDIS, f"cannot connect to {without_password(limiter.storage_url)} (no answer)")


def limiter_problem() -> Problem | None:
    """A ``FOULEE_REDIS_URL`` the limiter cannot even be built from (an outage is not a problem here)."""
    from foulee.ratelimit import get_limiter

    try:
        get_limiter()
    except Exception:  # limits raises its own ConfigurationError, or ValueError
        return _malformed(REDIS, get_settings().redis_url or "", "redis://HOST:6379/0")
    return None


def outage_errors() -> dict[type[Exception], Store]:
    """The errors that mean a store could not be reached or used, with the store each one names.

    The DB-API's ``OperationalError`` and ``InterfaceError`` are the errors of
    the database's operation rather than the caller's (a lost connection, a
    server that is down, a file that cannot be opened); SQLAlchemy's pool
    timeout is one too. Only the analytics store is reached through SQLAlchemy.
    """
    from django import db as django_db
    from sqlalchemy import exc as sqlalchemy_exc

    return {
        django_db.OperationalError: DATABASE,
        django_db.InterfaceError: DATABASE,
        sqlalchemy_exc.OperationalError: ANALYTICS,
        sqlalchemy_exc.InterfaceError: ANALYTICS,
        sqlalchemy_exc.TimeoutError: ANALYTICS,
    }


def unavailable_store(error: BaseException) -> Store | None:
    """The store ``error`` says could not be reached or used, or ``None`` for any other error."""
    for kind, store in outage_errors().items():
        if isinstance(error, kind):
            return store
    return None
