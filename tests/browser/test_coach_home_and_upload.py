"""In chromium, at 1280 and 390 px: the coach's home says who needs attention and why, the coach's
navigation has the admin and not the athlete pages, and a multi-file upload shows its progress and
each file's result as it comes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from analytics.sync import sync
from tests.browser.conftest import DESKTOP, PHONE, log_in, log_in_fr, sideways_overflow
from tests.web import coach_attention_world as world
from tests.web.site.conftest import DATA
from web.accounts.models import Role, User
from web.accounts.services import profile_of
from web.demo.athletes import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
#: The reasons' words, by language: the page speaks the viewer's language (English on the desktop,
#: French on the phone, as the other browser tests).
REASON_WORDS = {
    "en": {
        "no_run": "No run in the last 7 days",
        "high_fatigue": "High fatigue: form",
        "missed_key_session": "Missed key session: Long run of",
        "new_injury": "New injury or pain, told on",
    },
    "fr": {
        "no_run": "Aucune course ces 7 derniers jours",
        "high_fatigue": "Fatigue élevée : forme",
        "missed_key_session": "Séance clé manquée : Sortie longue du",
        "new_injury": "Nouvelle blessure ou douleur, signalée le",
    },
}
#: Records every text the upload's status line shows, from the page's first script on.
STATUS_LOG = """
window.uploadLog = [];
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("upload-status");
  if (status) {
    new MutationObserver(() => window.uploadLog.push(status.textContent))
      .observe(status, {childList: true, characterData: true, subtree: true});
  }
});
"""


def _open(browser: Any, viewport: dict[str, int]) -> tuple[Any, str]:
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, locale="fr-FR" if phone else "en-GB", is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(15_000)
    return context, "fr" if phone else "en"


def _log_in(page: Any, url: str, email: str, language: str, landing: str) -> None:
    """Log in; the pages then speak the profile's language, set here to the context's."""
    profile = profile_of(User.objects.get(email=email))
    profile.language = language
    profile.save()
    if language == "fr":
        log_in_fr(page, url, email, landing=landing)
    else:
        log_in(page, url, email, DEMO_PASSWORD)
        page.wait_for_url(landing)


@VIEWPORTS
def test_the_coach_home_says_who_needs_attention_and_why(
    browser: Any, live_server: Any, store: Any, shoot: Any, viewport: dict[str, int]
) -> None:
    coach = User.objects.create_user(
        "coach.home@example.org", DEMO_PASSWORD, role=Role.COACH, full_name="Claire Coach"
    )
    people = world.seed(coach, DEMO_PASSWORD, dt.datetime.now(dt.UTC).date())
    sync(store)
    context, language = _open(browser, viewport)
    page = context.new_page()
    _log_in(page, live_server.url, coach.email, language, "**/coach/")
    attention = page.locator("section[aria-labelledby=attention-heading]")
    assert attention.get_by_role("heading", level=2).is_visible()
    for reason, words in REASON_WORDS[language].items():
        card = page.locator(f"#attention-{people[reason].pk}")
        assert card.get_by_role("heading", level=3).inner_text() == world.NAMES[reason]
        line = card.locator(f"[data-reason={reason}]")
        assert words in line.inner_text(), reason
        assert line.is_visible()
        assert card.locator("[data-reason]").count() == 1, reason
        assert card.locator(f'a[href="/athletes/{people[reason].pk}/plan/"]').is_visible()
        assert card.locator(f'a[href="/admin/accounts/user/{people[reason].pk}/change/"]').is_visible()
    assert page.locator(f"#attention-{people['fine'].pk}").count() == 0
    # Every athlete, the one needing nothing too, is in the table.
    assert page.locator("table.athletes tbody tr").count() == len(world.NAMES)
    assert sideways_overflow(page) <= 0
    shoot(page, "coach-home")
    context.close()


@VIEWPORTS
def test_the_coach_navigation_has_the_admin_and_not_the_athlete_pages(
    browser: Any, live_server: Any, store: Any, viewport: dict[str, int]
) -> None:
    coach = User.objects.create_user("coach.nav@example.org", DEMO_PASSWORD, role=Role.COACH)
    context, language = _open(browser, viewport)
    page = context.new_page()
    _log_in(page, live_server.url, coach.email, language, "**/coach/")
    nav = page.locator("header.site-header nav")
    admin = nav.get_by_role("link", name="Administration" if language == "fr" else "Admin", exact=True)
    assert admin.is_visible() and admin.get_attribute("href") == "/admin/"
    for path in ("/dashboard/", "/activities/", "/plan/", "/chat/"):
        assert nav.locator(f'a[href="{path}"]').count() == 0, path
    for path in ("/coach/", "/profile/", "/privacy/"):
        assert nav.locator(f'a[href="{path}"]').is_visible(), path
    # An athlete page opened by a coach says it is for athletes, on the coach's home.
    page.goto(f"{live_server.url}/plan/")
    page.wait_for_url("**/coach/")
    said = "Ces pages sont celles des athlètes" if language == "fr" else "These pages are for athletes"
    assert said in page.locator(".messages").inner_text()
    admin = page.locator("header.site-header nav a[href='/admin/']")
    admin.click()
    page.wait_for_url("**/admin/")
    context.close()


@VIEWPORTS
def test_a_multi_file_upload_shows_its_progress_and_each_result(
    browser: Any, live_server: Any, store: Any, shoot: Any, viewport: dict[str, int]
) -> None:
    athlete = User.objects.create_user("runner.upload@example.org", DEMO_PASSWORD, full_name="Rita Runner")
    context, language = _open(browser, viewport)
    context.add_init_script(STATUS_LOG)
    page = context.new_page()
    _log_in(page, live_server.url, athlete.email, language, "**/dashboard/")
    page.goto(f"{live_server.url}/activities/upload/")
    files = ["fitparse_fenix2_run.fit", "runpandas_strava_run_hr.gpx", "fitparse_invalid_unexpected_eof.fit"]
    page.locator("input[type=file]").set_input_files([str(DATA / name) for name in files])
    page.locator("form.upload-form button[type=submit]").click()
    done = (
        "Tous les fichiers sont envoyés et importés."
        if language == "fr"
        else "All files are sent and imported."
    )
    page.wait_for_function("text => document.getElementById('upload-status').textContent === text", arg=done)
    assert page.locator("#upload-bytes").is_visible()
    log = page.evaluate("window.uploadLog")
    sending, importing = ("Envoi de", "Import de") if language == "fr" else ("Sending", "Importing")
    unit = "Kio" if language == "fr" else "KiB"
    for name in files:
        assert any(text.startswith(f"{sending} {name}") and unit in text for text in log), (name, log)
        assert f"{importing} {name}…" in log, (name, log)
    # One file at a time: the first is imported before the second is sent.
    first_imported = log.index(f"{importing} {files[0]}…")
    assert first_imported < min(i for i, text in enumerate(log) if text.startswith(f"{sending} {files[1]}"))
    rows = page.locator("#import-results tbody tr")
    assert [rows.nth(i).locator("th").inner_text() for i in range(rows.count())] == files
    assert rows.nth(0).get_attribute("class") == "import-imported"
    assert rows.nth(2).get_attribute("class") == "import-error"
    assert rows.nth(0).locator("a").get_attribute("href").startswith("/activities/")
    assert page.locator("#import-summary").inner_text().startswith("2 ")
    assert athlete.activities.count() == 2
    assert sideways_overflow(page) <= 0
    shoot(page, "upload-progress")
    context.close()
