"""A coach reads the same run on the site and in the admin: the same distance, the same local time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from analytics.sync import sync
from tests.browser.conftest import DESKTOP, PHONE, log_in_fr
from web.accounts.models import User
from web.activities.models import Activity
from web.demo.athletes import COACH

pytestmark = pytest.mark.django_db(transaction=True)

#: 20:00 UTC on 1 March: 05:00 on 2 March for a coach in Tokyo, 21:00 on 1 March for the athlete in Paris.
STARTED = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_site_and_the_admin_show_a_run_alike(
    phone: Any, live_server: Any, demo: User, store: Any, shoot: Any, viewport: dict[str, int]
) -> None:
    coach = User.objects.get(email=COACH.email)
    coach.profile.timezone = "Asia/Tokyo"
    coach.profile.save()
    run = Activity.objects.create(
        user=demo, name="Sortie du test", start_time=STARTED, distance_m=10_845.0, duration_s=3300.0,
        moving_time_s=3280.0, avg_speed_mps=10_845.0 / 3280.0, max_speed_mps=4.5, avg_hr=152.5,
    )  # fmt: skip
    sync(store)
    phone.set_viewport_size(viewport)
    log_in_fr(phone, live_server.url, coach.email, landing="**/coach/")
    phone.goto(f"{live_server.url}/activities/{run.pk}/")
    site_distance = (
        phone.locator("dt", has_text="Distance").locator("xpath=following-sibling::dd").inner_text()
    )
    site_time = phone.locator("main time").first.inner_text()
    shoot(phone, "site")
    phone.goto(f"{live_server.url}/admin/activities/activity/?q=Sortie+du+test")
    row = phone.locator("#result_list tbody tr", has_text="Sortie du test")
    admin_distance = row.locator("td.field-distance_km").inner_text()
    admin_time = row.locator("th.field-start_time, td.field-start_time").inner_text()
    shoot(phone, "admin")
    assert site_distance == f"{admin_distance} km" == "10,85 km"  # rounded, with the reader's comma
    assert site_time == admin_time and "05:00" in site_time and "2 mars 2026" in site_time
    assert row.locator("td.field-heart_rate").inner_text() == "153"
