"""Consent to health data on the site: the sign-up box, the profile's switch, the gated dashboard,
and the public privacy notice that reads the settings in force."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from web.accounts.consent import NOTICE_VERSION, may_process_health
from web.accounts.models import ConsentRecord, Role, User
from web.coaching.models import AthleteFact
from web.demo.athletes import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_up(client: Client, email: str, **extra: str) -> User:
    page = client.post(
        reverse("site:signup"),
        {"email": email, "role": Role.ATHLETE, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )
    assert page.status_code == 302, page.content.decode()[:500]
    return User.objects.get(email=email)


def test_the_sign_up_page_informs_and_offers_an_unticked_separate_box(client: Client) -> None:
    html = client.get(reverse("site:signup")).content.decode()
    assert 'id="signup-notice"' in html and reverse("site:privacy") in html
    box = re.search(r'<input type="checkbox" name="health_consent"[^>]*>', html)
    assert box is not None and "checked" not in box.group(0) and "required" not in box.group(0)
    assert "heart rate, injuries, illnesses" in html


def test_sign_up_with_the_box_records_consent_with_its_notice_version(client: Client) -> None:
    user = _sign_up(client, "yes@example.org", health_consent="on")
    [record] = ConsentRecord.objects.filter(user=user)
    assert (record.kind, record.granted, record.channel, record.notice_version) == (
        "health", True, "web", NOTICE_VERSION,
    )  # fmt: skip
    assert record.at is not None and may_process_health(user)


def test_sign_up_without_the_box_works_with_health_features_off(client: Client) -> None:
    user = _sign_up(client, "no@example.org")
    assert not may_process_health(user)
    assert ConsentRecord.objects.get(user=user).granted is False
    page = client.get(reverse("site:dashboard"))
    assert page.status_code == 200 and 'id="health-withheld"' in page.content.decode()


def test_withdrawing_on_the_profile_says_what_stops_and_gates_the_dashboard(client: Client, demo) -> None:
    athlete = demo["athlete"]
    AthleteFact.objects.create(athlete=athlete, kind="injury", text="genou")
    AthleteFact.objects.create(athlete=athlete, kind="goal", text="10 km en 40 min")
    assert client.login(username=athlete.email, password=DEMO_PASSWORD)
    before = client.get(reverse("site:dashboard"))
    assert before.context["health"] and 'id="pmc-heading"' in before.content.decode()

    profile = client.get(reverse("site:profile")).content.decode()
    assert 'id="consent"' in profile and 'value="no"' in profile

    done = client.post(reverse("site:consent"), {"granted": "no"}, follow=True)
    html = done.content.decode()
    assert "Consent withdrawn" in html and "race predictions" in html  # what still works
    assert 'value="yes"' in html and "withdrawn or refused" in html  # the history, on the profile
    assert not may_process_health(athlete)
    # The injury is erased; what is not health data stays.
    assert list(AthleteFact.objects.filter(athlete=athlete).values_list("kind", flat=True)) == ["goal"]

    after = client.get(reverse("site:dashboard"))
    page = after.content.decode()
    assert 'id="health-withheld"' in page
    assert 'id="pmc-heading"' not in page and 'id="zones-heading"' not in page
    board = after.context["board"]
    assert "load" not in board.weeks and board.load.today is None and not board.zones.available
    assert board.weeks["distance_km"].sum() > 50 and board.vma.available  # distance and VMA still work
    assert len(re.findall(r'<svg class="chart [^"]*"[^>]*role="img"', page)) == 1  # volume only

    # The athlete's coach meets the same gate.
    assert client.login(username=demo["coach"].email, password=DEMO_PASSWORD)
    coach_view = client.get(reverse("site:athlete_dashboard", args=[athlete.pk]))
    assert not coach_view.context["health"] and 'id="pmc-heading"' not in coach_view.content.decode()
    home = {row["athlete"].pk: row for row in client.get(reverse("site:coach")).context["rows"]}
    assert home[athlete.pk]["glance"].form is None  # form derives from heart rate
    assert home[athlete.pk]["glance"].week_km is not None

    assert ConsentRecord.objects.filter(user=athlete).count() == 2  # demo's yes, then the no


def test_a_bad_consent_post_records_nothing(login, make_user) -> None:
    user = make_user(consent=False)
    client = login(user)
    response = client.post(reverse("site:consent"), {"granted": "perhaps"})
    assert response.status_code == 302
    assert not ConsentRecord.objects.filter(user=user).exists()
    assert client.get(reverse("site:consent")).status_code == 405


def test_the_privacy_notice_is_public_and_reads_the_settings(client: Client, settings, monkeypatch) -> None:
    from foulee.config import get_settings

    monkeypatch.setenv("FOULEE_CONTROLLER_NAME", "Club Athlé Lyon")
    monkeypatch.setenv("FOULEE_CONTROLLER_CONTACT", "dpo@club.example")
    monkeypatch.setenv("FOULEE_RETENTION_CONVERSATION_DAYS", "365")
    get_settings.cache_clear()
    try:
        page = client.get(reverse("site:privacy"))
        html = page.content.decode()
        assert page.status_code == 200  # no log-in needed
        assert "Club Athlé Lyon" in html and "dpo@club.example" in html
        assert "9(2)(a)" in html and "6(1)(b)" in html
        assert re.search(r"Conversations with the coach</th><td class=\"num\">365<", html)
        assert "Download my data" not in html  # the export and deletion are for the signed-in
        french = client.get(reverse("site:privacy"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Conversations avec le coach" in french and "Vos droits" in french
    finally:
        get_settings.cache_clear()


def test_signed_in_the_privacy_page_keeps_export_delete_and_access_links(login, athlete) -> None:
    html = login(athlete).get(reverse("site:privacy")).content.decode()
    assert "Download my data" in html and reverse("site:access_log") in html
    assert reverse("site:export") in html and reverse("site:delete_account") in html


def test_activity_pages_show_heart_rate_only_with_consent(client: Client, demo) -> None:
    from web.activities.models import Activity

    athlete = demo["athlete"]
    activity = Activity.objects.filter(user=athlete).latest("start_time")  # demo runs have HR samples
    assert client.login(username=athlete.email, password=DEMO_PASSWORD)
    detail, listing = reverse("site:activity", args=[activity.pk]), reverse("site:activities")
    before = client.get(detail).content.decode()
    assert 'id="hr-heading"' in before and "Avg HR" in before and "Training load" in before
    assert "Avg HR" in client.get(listing).content.decode()

    assert client.post(reverse("site:consent"), {"granted": "no"}).status_code == 302
    for viewer in (athlete, demo["coach"]):
        assert client.login(username=viewer.email, password=DEMO_PASSWORD)
        page = client.get(detail)
        html = page.content.decode()
        assert page.status_code == 200 and 'id="health-withheld"' in html
        assert 'id="hr-heading"' not in html and "Avg HR" not in html and "Training load" not in html
        assert "bpm" not in html and 'id="pace-heading"' in html  # pace still there
        rows = client.get(
            listing if viewer == athlete else reverse("site:athlete_activities", args=[athlete.pk])
        ).content.decode()
        assert "Avg HR" not in rows and activity.display_name in rows


def test_the_profile_zones_card_needs_consent_and_links_to_it(client: Client, demo) -> None:
    athlete = demo["athlete"]
    assert client.login(username=athlete.email, password=DEMO_PASSWORD)
    before = client.get(reverse("site:profile")).content.decode()
    assert "From (bpm)" in before and 'id="zones-withheld"' not in before
    client.post(reverse("site:consent"), {"granted": "no"})
    after = client.get(reverse("site:profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "From (bpm)" not in after and 'id="zones-withheld"' in after and 'href="#consent"' in after
