"""Strava's rate limits, shared by every athlete and process through one database row.

Strava counts an application's requests per 15-minute window (aligned on the
quarter hour) and per UTC day, and reports both in every response:
``X-RateLimit-Limit: 200,2000`` and ``X-RateLimit-Usage: 31,412``. Each
response's numbers are stored (:func:`record`); before each request,
:func:`check` raises :class:`RateLimited` with the end of the exhausted window
when the budget is spent, so a backfill waits for it instead of failing. The
window lengths are settings (``STRAVA_SHORT_WINDOW_S``, ``STRAVA_LONG_WINDOW_S``)
so the tests can run several windows in seconds.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping

from django.conf import settings

from web.strava.models import StravaRateLimit


class RateLimited(Exception):
    """The application's Strava budget is spent until ``resume_at``."""

    def __init__(self, resume_at: dt.datetime) -> None:
        super().__init__(f"Strava rate limit reached; resuming at {resume_at.isoformat()}")
        self.resume_at = resume_at


def _windows(now: float) -> tuple[int, int]:
    return int(now // settings.STRAVA_SHORT_WINDOW_S), int(now // settings.STRAVA_LONG_WINDOW_S)


def _row() -> StravaRateLimit:
    row, _ = StravaRateLimit.objects.get_or_create(pk=1)
    return row


def check(now: float | None = None) -> None:
    """Raise :class:`RateLimited` if the current window's budget is spent."""
    now = time.time() if now is None else now
    short, long = _windows(now)
    row = _row()
    if row.long_window == long and row.long_limit and row.long_usage >= row.long_limit:
        raise RateLimited(dt.datetime.fromtimestamp((long + 1) * settings.STRAVA_LONG_WINDOW_S, dt.UTC))
    if row.short_window == short and row.short_limit and row.short_usage >= row.short_limit:
        raise RateLimited(dt.datetime.fromtimestamp((short + 1) * settings.STRAVA_SHORT_WINDOW_S, dt.UTC))


def _pair(value: str | None) -> tuple[int, int] | None:
    try:
        first, second = (int(part) for part in (value or "").split(","))
    except ValueError:
        return None
    return first, second


def record(headers: Mapping[str, str], now: float | None = None) -> None:
    """Store what a response said about the budget; a response without the headers changes nothing."""
    limit, usage = _pair(headers.get("X-RateLimit-Limit")), _pair(headers.get("X-RateLimit-Usage"))
    if limit is None or usage is None:
        return
    short, long = _windows(time.time() if now is None else now)
    StravaRateLimit.objects.update_or_create(
        pk=1,
        defaults={
            "short_limit": limit[0],
            "long_limit": limit[1],
            "short_usage": usage[0],
            "long_usage": usage[1],
            "short_window": short,
            "long_window": long,
        },
    )


def exhausted_now(now: float | None = None) -> RateLimited:
    """The wait after a 429: the stored numbers tell which window; the short one if they do not."""
    try:
        check(now)
    except RateLimited as limited:
        return limited
    short, _ = _windows(time.time() if now is None else now)
    return RateLimited(dt.datetime.fromtimestamp((short + 1) * settings.STRAVA_SHORT_WINDOW_S, dt.UTC))
