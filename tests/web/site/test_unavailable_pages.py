"""A store that is down: the page says so with a 503, and the log has one line, not a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from web.accounts.models import User


def test_the_dashboard_is_a_clear_503_page_when_the_analytics_store_is_down(
    login: Callable[[User], Client], athlete: User, analytics_down: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = login(athlete)
    with caplog.at_level(logging.ERROR):
        page = client.get(reverse("site:dashboard"))
    assert page.status_code == 503
    html = page.content.decode()
    assert "Temporarily unavailable" in html and "Nothing you saved is lost" in html
    assert "127.0.0.1" not in html and "hunter2" not in html
    assert "ANALYTICS_DATABASE_URL unavailable on GET /dashboard/: connection refused" in caplog.text
    assert "Traceback" not in caplog.text
    # The pages that need only the system of record still work.
    assert client.get(reverse("site:privacy")).status_code == 200


def test_the_page_is_french_for_a_french_reader(
    login: Callable[[User], Client], athlete: User, analytics_down: str
) -> None:
    with translation.override("en"):  # the request activates French: put English back afterwards
        page = login(athlete).get(reverse("site:dashboard"), headers={"Accept-Language": "fr"})
    assert page.status_code == 503
    assert "Momentanément indisponible" in page.content.decode()
