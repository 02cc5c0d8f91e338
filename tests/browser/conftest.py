"""Real headless-browser tests: Debian's chromium, driven by playwright, against a live server.

``python3 dev.py test`` installs chromium with apt (never ``playwright install``,
which downloads from a CDN). Without it these tests are skipped with the reason,
except under CI, where that is a failure. Screenshots go to the folder printed
at the start of the run (``var/test-artifacts/browser/``, ignored by git).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from analytics.sync import sync
from web.accounts.models import User
from web.demo.athletes import DEMO_PASSWORD, TEN_K
from web.demo.world import load_demo

CHROMIUM = Path("/usr/bin/chromium")
#: Without the background-networking flags, chromium's calls home are refused on a closed network
#: and slow every page; the rest keeps the browser quiet and headless in a container.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "browser"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_report_header() -> str:
    return f"browser screenshots: {ARTIFACTS}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the screenshots are (the header above only shows when tests/browser is run alone)."""
    if ARTIFACTS.is_dir() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, for this module's tests only.

    Playwright's sync API keeps an event loop running in the test thread while it is
    open: closed with the module, it cannot break later tests that run their own loop.
    Its loop makes Django refuse ORM calls from the test thread; they are synchronous
    and safe there, so the check is lifted while the browser is open, and only then.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `python3 dev.py test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Any:
    """Save a full-page screenshot named after the test; returns its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, label: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(transactional_db: None, store: Engine) -> User:
    """The demo world, synced; returns the 10 km runner (who speaks French and has an active plan)."""
    load_demo(dt.datetime.now(dt.UTC).date())
    sync(store)
    return User.objects.get(email=TEN_K.email)


def log_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def log_in_fr(page: Any, base: str, email: str, landing: str = "**/dashboard/") -> None:
    page.goto(f"{base}/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Se connecter"
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(landing)


def sideways_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport: a phone must never scroll sideways."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


#: Form controls without an accessible name: no label, no aria-label, and (for buttons) no text.
UNNAMED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter(el => el.type !== 'hidden')
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !(el.tagName === 'BUTTON' && el.innerText.trim()))
    .map(el => el.outerHTML)"""
