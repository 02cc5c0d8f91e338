"""'Who saw my data' in a real browser: the coach opens an athlete's dashboard, the athlete finds it
from the privacy page, in French, on a phone without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import log_in, log_in_fr, sideways_overflow
from web.accounts.models import User
from web.demo.athletes import COACH, DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_athlete_sees_their_coach_in_the_record(
    page: Any, phone: Any, live_server: Any, demo: User, shoot: Any
) -> None:
    coach = User.objects.get(email=COACH.email)
    log_in(page, live_server.url, coach.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/athletes/{demo.pk}/")
    assert page.get_by_role("heading", level=1).count() == 1

    log_in_fr(phone, live_server.url, demo.email)
    phone.goto(f"{live_server.url}/privacy/")
    phone.get_by_role("link", name="Qui a vu mes données").click()
    phone.wait_for_url("**/privacy/access/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Qui a vu mes données"
    row = phone.get_by_role("row").filter(has_text="Tableau de bord")
    assert row.count() == 1
    assert str(coach) in row.inner_text()
    overflow = sideways_overflow(phone)
    assert overflow <= 0
    shoot(phone, "access-log")
