"""The strict Content-Security-Policy breaks nothing: chromium reports no violation on any page.

Chromium logs each blocked script, style, picture or frame on the console; the
pages are the site's (athlete and coach), the admin's, and the API's docs.
"""

from __future__ import annotations

from typing import Any

from api.main import create_app
from api.ratelimit import RateLimits
from tests.api.conftest import serve
from tests.browser.conftest import log_in
from web.accounts.models import User
from web.activities.models import Activity
from web.demo.athletes import COACH, DEMO_PASSWORD

ATHLETE_PAGES = ("/dashboard/", "/activities/", "/plan/", "/chat/", "/profile/", "/privacy/")
COACH_PAGES = ("/coach/", "/admin/", "/admin/activities/activity/", "/admin/accounts/user/")


def _violations(page: Any) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return seen


def test_no_page_of_the_site_or_the_admin_is_blocked_by_the_policy(
    page: Any, live_server: Any, demo: User
) -> None:
    violations = _violations(page)
    log_in(page, live_server.url, demo.email, DEMO_PASSWORD)
    activity = Activity.objects.filter(user=demo).order_by("-start_time").first()
    assert activity is not None
    for path in (*ATHLETE_PAGES, f"/activities/{activity.pk}/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/chat/")
    page.get_by_role("textbox").fill("Comment s'est passée ma semaine ?")
    page.get_by_role("button", name="Envoyer").click(timeout=120_000)  # the first reply loads the models
    page.wait_for_load_state("networkidle")
    assert page.locator("img[src^='data:image/png']").count() >= 1  # the inline chart is allowed
    page.context.clear_cookies()
    log_in(page, live_server.url, COACH.email, DEMO_PASSWORD)
    for path in COACH_PAGES:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_api_docs_render_under_their_policy(page: Any) -> None:
    violations = _violations(page)
    with serve(create_app(rate_limits=RateLimits.off())) as url:
        page.goto(f"{url}/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)
        assert page.locator(".opblock-summary-path").count() > 10
    assert violations == []
