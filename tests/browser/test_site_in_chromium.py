"""The site in a real browser: log in, the dashboard's charts, upload, a phone in French, the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analytics.sync import sync
from tests.browser.conftest import UNNAMED_CONTROLS, log_in, log_in_fr, sideways_overflow
from web.accounts.models import User
from web.demo.athletes import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"


def test_log_in_then_out(page: Any, live_server: Any, demo: User, shoot: Any) -> None:
    page.goto(f"{live_server.url}/dashboard/")
    assert "/login/" in page.url
    shoot(page, "login")
    page.get_by_label("Email").fill(demo.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").count() >= 1
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    # The demo athlete speaks French: the login switched the site to their language.
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Votre tableau de bord"
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login/")


def test_the_dashboard_charts_render(page: Any, live_server: Any, demo: User, shoot: Any) -> None:
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 4
    for index in range(4):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    # Drawn data: bars with height, and lines with length, as the browser laid them out.
    bar_heights = page.eval_on_selector_all("svg.chart .bars rect", "rs => rs.map(r => r.getBBox().height)")
    assert len(bar_heights) >= 12 and max(bar_heights) > 50
    line_lengths = page.eval_on_selector_all("svg.chart polyline", "ls => ls.map(l => l.getTotalLength())")
    assert len(line_lengths) >= 3 and min(line_lengths) > 100
    # Each chart names itself for assistive technology.
    assert (
        page.get_by_role("img", name="Fitness, fatigue and form").count() == 1
        or page.get_by_role("img", name="Forme, fatigue et fraîcheur").count() == 1
    )
    shoot(page, "desktop")


def test_upload_a_file_and_see_its_charts(page: Any, live_server: Any, demo: User, shoot: Any) -> None:
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/activities/upload/")
    page.locator("input[type=file]").set_input_files(str(DATA / "fitparse_fenix2_run.fit"))
    page.locator("form[enctype] button[type=submit]").click()
    # The result line comes when the server answers (static/site/upload.js sends each file alone).
    page.wait_for_selector("#import-results tbody tr")
    assert "1" in page.locator("#import-summary").inner_text()
    shoot(page, "results")
    # In production the upload's commit triggers the sync; the tests sync by hand.
    sync()
    page.locator("#import-results a").first.click()
    page.wait_for_url("**/activities/*/")
    assert page.locator("svg.chart[role=img]").count() == 3
    shoot(page, "activity")


def test_a_phone_in_french_without_sideways_scrolling(
    phone: Any, live_server: Any, demo: User, shoot: Any
) -> None:
    log_in_fr(phone, live_server.url, demo.email)
    for path in ("/dashboard/", "/activities/", "/profile/", "/privacy/", "/plan/", "/chat/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("html").get_attribute("lang") == "fr"
        overflow = sideways_overflow(phone)
        assert overflow <= 0, path
        shoot(phone, path.strip("/"))


def test_the_keyboard_reaches_the_content_first(page: Any, live_server: Any, demo: User) -> None:
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Landmarks: one banner, one navigation for the site, one main, one contentinfo.
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, role


def test_every_control_has_a_name(page: Any, live_server: Any, demo: User) -> None:
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    activity = demo.activities.first()
    assert activity is not None
    for path in (
        "/dashboard/",
        "/activities/",
        "/activities/upload/",
        f"/activities/{activity.pk}/edit/",
        "/profile/",
        "/privacy/",
        "/plan/",
        "/plan/new/",
        "/chat/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(UNNAMED_CONTROLS) == [], path
