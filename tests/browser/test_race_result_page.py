"""The race-result form in chromium, on a phone in French: the page, a namesake's choice, the race."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import UNNAMED_CONTROLS, log_in_fr, sideways_overflow
from tests.results_server import ResultsSite
from web.accounts.models import User
from web.accounts.services import profile_of
from web.activities.models import Activity, Source
from web.demo.athletes import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_karim_adds_his_10_km_from_the_clubs_page(
    phone: Any,
    live_server: Any,
    demo: User,
    results_site: ResultsSite,
    private_hosts_allowed: None,
    shoot: Any,
) -> None:
    log_in_fr(phone, live_server.url, demo.email)
    phone.goto(f"{live_server.url}/activities/")
    phone.get_by_role("link", name="Ajouter un résultat de course depuis une page de résultats").click()
    phone.wait_for_url("**/activities/race-result/")
    assert phone.evaluate(UNNAMED_CONTROLS) == []
    assert sideways_overflow(phone) <= 0
    shoot(phone, "race-result-form")
    phone.get_by_label("Adresse de la page de résultats").fill(results_site.url("/fr-10km.html"))
    phone.get_by_role("button", name="Trouver mon résultat").click()
    phone.wait_for_url("**/activities/*/")
    assert "Votre résultat de course est enregistré." in phone.content()
    race = Activity.objects.get(user=demo, source=Source.RESULTS)
    assert (race.distance_m, race.duration_s) == (10_000.0, 1907.0)  # BENALI Karim, 0:31:47
    shoot(phone, "race-result-recorded")


def test_a_namesake_chooses_her_row(
    phone: Any,
    live_server: Any,
    demo: User,
    results_site: ResultsSite,
    private_hosts_allowed: None,
    shoot: Any,
) -> None:
    marie = User.objects.create_user("marie@example.org", DEMO_PASSWORD, full_name="Marie Durand")
    profile = profile_of(marie)
    profile.language = "fr"
    profile.save()
    log_in_fr(phone, live_server.url, marie.email, landing="**/")
    phone.goto(f"{live_server.url}/activities/race-result/")
    phone.get_by_label("Adresse de la page de résultats").fill(results_site.url("/vallee.html"))
    phone.get_by_label("Date de la course").fill("2026-05-17")
    phone.get_by_role("button", name="Trouver mon résultat").click()
    phone.wait_for_selector("#candidates")
    assert phone.get_by_role("radio").count() == 2
    assert phone.evaluate(UNNAMED_CONTROLS) == []
    assert sideways_overflow(phone) <= 0
    shoot(phone, "race-result-candidates")
    phone.get_by_role("radio", name="10 km").check()
    phone.get_by_role("button", name="Enregistrer ce résultat").click()
    phone.wait_for_url("**/activities/*/")
    race = Activity.objects.get(user=marie)
    assert (race.distance_m, race.duration_s) == (10_000.0, 2507.0)
