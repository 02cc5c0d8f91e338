"""What a newcomer meets on the demo world's pages: charts from samples, and zones that say their source."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils.html import escape

from web.accounts.models import User
from web.demo.athletes import DEMO_PASSWORD


def client_for(client, user: User):
    assert client.login(username=user.email, password=DEMO_PASSWORD)
    return client


def test_a_demo_activity_shows_its_pace_heart_rate_and_elevation_charts(client, demo) -> None:
    athlete = demo["athlete"]
    for activity in athlete.activities.order_by("-start_time")[:3]:
        page = client_for(client, athlete).get(reverse("site:activity", args=[activity.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="pace-heading"' in html and 'id="hr-heading"' in html and 'id="elevation-heading"' in html
        charts = re.findall(r'<svg class="chart [^"]*"[^>]*role="img"', html)
        assert len(charts) == 3
        assert html.count("<polyline") >= 3
        # Best efforts from the samples: every demo run is over 2 km, so at least the 1 km is there.
        assert 'id="efforts-heading"' in html and page.context["best_distances"]
        assert "No recorded samples for this activity" not in html


def test_the_zones_card_says_they_come_from_samples(client, demo) -> None:
    page = client_for(client, demo["athlete"]).get(reverse("site:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
    zones = page.context["board"].zones
    assert zones.activities > 10 and zones.share_from_samples == 1.0
    html = page.content.decode()
    assert (
        f"Temps par zone mesuré sur les relevés de fréquence cardiaque de {zones.activities} activités."
        in html
    )
    assert "sans relevés" not in html


def test_the_zones_card_says_when_they_come_from_average_heart_rates(
    login, athlete, make_activity, synced
) -> None:
    today = dt.datetime.now(dt.UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    for days in (2, 5):
        make_activity(athlete, start_time=today - dt.timedelta(days=days), avg_hr=150.0)
    synced()
    html = login(athlete).get(reverse("site:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        escape(
            "From the average heart rate of 2 activities without samples: all the time of each counts "
            "in the zone of its average."
        )
        in html
    )
    assert "measured from the heart-rate samples" not in html


def test_the_zones_card_counts_both_sources(client, demo, make_activity, synced) -> None:
    athlete = demo["athlete"]
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    make_activity(athlete, start_time=now - dt.timedelta(hours=3), avg_hr=140.0)
    synced()
    page = client_for(client, athlete).get(reverse("site:dashboard"), HTTP_ACCEPT_LANGUAGE="fr")
    zones = page.context["board"].zones
    html = page.content.decode()
    assert f"relevés de fréquence cardiaque de {zones.activities - 1} activités." in html
    assert (
        escape(
            "D'après la fréquence cardiaque moyenne de 1 activité sans relevés : tout son temps compte "
            "dans la zone de sa moyenne."
        )
        in html
    )
