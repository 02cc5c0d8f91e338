"""One time-zone rule: the site and the admin show a time in the viewer's own zone (their profile's)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from web.accounts.models import User
from web.accounts.timezones import DEFAULT_ZONE_NAME, zone_named, zone_of
from web.activities.models import Activity

pytestmark = pytest.mark.django_db

#: 20:00 UTC on 1 March is already 2 March, 05:00, in Tokyo (UTC+9, no summer time).
STARTED = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)


def _set_zone(user: User, name: str) -> None:
    user.profile.timezone = name
    user.profile.save()


def _admin_start(client: Any, activity: Activity) -> tuple[str, str]:
    form = client.get(reverse("admin:activities_activity_change", args=[activity.pk])).content.decode()
    day = re.search(r'name="start_time_0"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="start_time_0"', form)
    clock = re.search(
        r'name="start_time_1"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="start_time_1"', form
    )
    assert day is not None and clock is not None, "the admin form shows no start time"
    return (day.group(1) or day.group(2)), (clock.group(1) or clock.group(2))


def _site_start(client: Any, activity: Activity) -> str:
    page = client.get(reverse("site:activity", args=[activity.pk])).content.decode()
    found = re.search(r'<time datetime="([^"]+)"', page)
    assert found is not None, "the activity page shows no start time"
    return found.group(1)


def test_a_coach_reads_an_athletes_run_in_their_own_zone_on_the_site_and_in_the_admin(
    login: Callable[[User], Any], coach: User, athlete: User, make_activity: Callable[..., Activity]
) -> None:
    _set_zone(coach, "Asia/Tokyo")
    _set_zone(athlete, "America/New_York")
    run = make_activity(athlete, start_time=STARTED)
    client = login(coach)
    assert _site_start(client, run) == "2026-03-02T05:00:00+09:00"
    assert _admin_start(client, run) == ("2026-03-02", "05:00:00")
    # The athlete, in New York, reads the same run at 15:00 on 1 March on the site.
    assert _site_start(login(athlete), run) == "2026-03-01T15:00:00-05:00"


def test_the_admin_list_shows_the_viewers_local_day(
    login: Callable[[User], Any], coach: User, athlete: User, make_activity: Callable[..., Activity]
) -> None:
    _set_zone(coach, "Asia/Tokyo")
    make_activity(athlete, start_time=STARTED)
    page = login(coach).get(reverse("admin:activities_activity_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    # Django's date hierarchy and the start-time column both follow the active zone.
    assert "March 2, 2026" in text and "March 1, 2026" not in text


def test_a_request_leaves_no_zone_behind(login: Callable[[User], Any], coach: User) -> None:
    _set_zone(coach, "Asia/Tokyo")
    login(coach).get(reverse("admin:index"))
    assert timezone.get_current_timezone_name() == "UTC"


def test_the_zone_rule() -> None:
    assert zone_named("Asia/Tokyo") == zoneinfo.ZoneInfo("Asia/Tokyo")
    assert zone_named("") == zoneinfo.ZoneInfo(DEFAULT_ZONE_NAME)
    assert zone_named("Mars/Olympus") == zoneinfo.ZoneInfo("UTC")


def test_the_coach_and_the_plans_use_the_same_zone(athlete: User) -> None:
    from agent.context import ToolContext

    _set_zone(athlete, "Pacific/Kiritimati")
    athlete.refresh_from_db()
    assert (
        ToolContext.for_request(athlete).timezone
        == zone_of(athlete)
        == zoneinfo.ZoneInfo("Pacific/Kiritimati")
    )
