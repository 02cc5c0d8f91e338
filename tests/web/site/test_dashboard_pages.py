"""The athlete dashboard and the coach's area, on the demo world: charts, figures, and who sees what."""

from __future__ import annotations

import re

from django.urls import reverse

from web.accounts.models import User
from web.demo.athletes import DEMO_PASSWORD
from web.site.models import CoachNote


def client_for(client, user: User):
    assert client.login(username=user.email, password=DEMO_PASSWORD)
    return client


def test_the_dashboard_draws_its_charts_from_the_athletes_analytics(client, demo) -> None:
    page = client_for(client, demo["athlete"]).get(reverse("site:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    # Four charts (volume, load, PMC, zones), each a titled accessible image with drawn data.
    charts = re.findall(r'<svg class="chart [^"]*"[^>]*role="img"', html)
    assert len(charts) == 4
    assert html.count("<polyline") >= 3 and html.count("<rect") >= 12
    assert "chart-empty" not in html
    board = page.context["board"]
    assert board.weeks["distance_km"].sum() > 50
    assert board.load.today is not None and board.vma.available
    # The predictions are the analytics' own, formatted: a 10 km runner's 10 km in 35-70 minutes.
    ten_k = next(p for p in board.predictions if p.distance_m == 10_000.0)
    assert 35 * 60 < ten_k.time_s < 70 * 60
    assert page.context["predictions"][1]["time"] in html
    assert "Recent activities" in html and reverse("site:activity", args=[board_first(demo)]) in html


def board_first(demo: dict[str, User]) -> int:
    return demo["athlete"].activities.order_by("-start_time").first().pk  # type: ignore[union-attr]


def test_an_empty_dashboard_says_what_is_missing(login, athlete, store) -> None:
    page = login(athlete).get(reverse("site:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "No training recorded yet." in html


def test_the_coach_lists_their_athletes_with_week_volume_and_form(client, demo) -> None:
    page = client_for(client, demo["coach"]).get(reverse("site:coach"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("Léa Martin", "Karim Benali", "Sam Taylor"):
        assert name in html
    rows = {row["athlete"].email: row for row in page.context["rows"]}
    assert rows[demo["athlete"].email]["glance"].form is not None
    assert reverse("site:athlete_dashboard", args=[demo["athlete"].pk]) in html


def test_a_coach_sees_an_athletes_full_view(client, demo) -> None:
    coach_client = client_for(client, demo["coach"])
    athlete = demo["athlete"]
    dashboard = coach_client.get(reverse("site:athlete_dashboard", args=[athlete.pk]))
    assert dashboard.status_code == 200 and dashboard.context["athlete"] == athlete
    assert (
        "Dashboard of Karim Benali" in dashboard.content.decode()
        or athlete.full_name in dashboard.content.decode()
    )
    listing = coach_client.get(reverse("site:athlete_activities", args=[athlete.pk]))
    assert listing.status_code == 200
    assert listing.context["page"].paginator.count == athlete.activities.count()


def test_a_coach_never_sees_another_coachs_athletes(
    login, coach, athlete, stranger, make_activity, store
) -> None:
    theirs = make_activity(stranger)
    client = login(coach)
    assert str(stranger) not in client.get(reverse("site:coach")).content.decode()
    for url in (
        reverse("site:athlete_dashboard", args=[stranger.pk]),
        reverse("site:athlete_activities", args=[stranger.pk]),
        reverse("site:athlete_upload", args=[stranger.pk]),
        reverse("site:athlete_plan", args=[stranger.pk]),
        reverse("site:athlete_plan_create", args=[stranger.pk]),
        reverse("site:athlete_chat", args=[stranger.pk]),
        reverse("site:activity", args=[theirs.pk]),
        reverse("site:activity_edit", args=[theirs.pk]),
        reverse("site:activity_delete", args=[theirs.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("site:activity_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("site:athlete_dashboard", args=[athlete.pk])).status_code == 200


def test_an_athlete_sees_only_themselves(login, athlete, coach, stranger, store) -> None:
    client = login(athlete)
    assert client.get(reverse("site:athlete_dashboard", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("site:athlete_dashboard", args=[coach.pk])).status_code == 404
    assert client.get(reverse("site:athlete_plan", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("site:athlete_chat", args=[coach.pk]), {"message": "Hi"}).status_code == 404
    assert client.get(reverse("site:coach")).status_code == 403


def test_pages_need_a_login(client) -> None:
    for name in (
        "site:dashboard",
        "site:activities",
        "site:profile",
        "site:access_log",
        "site:coach",
        "site:plan",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("site:login")), name


def test_a_coach_writes_a_note_the_athlete_reads(login, coach, athlete, stranger) -> None:
    coach_client = login(coach)
    page = coach_client.post(reverse("site:add_note", args=[athlete.pk]), {"text": "Easy week: sleep more."})
    assert page["Location"] == reverse("site:athlete_dashboard", args=[athlete.pk])
    note = CoachNote.objects.get(athlete=athlete)
    assert note.author == coach
    athlete_page = login(athlete).get(reverse("site:dashboard"))
    assert "Easy week: sleep more." in athlete_page.content.decode()
    assert athlete_page.context["note_form"] is None  # an athlete reads, never writes
    assert login(athlete).post(reverse("site:add_note", args=[athlete.pk]), {"text": "x"}).status_code == 404
    # Not to another coach's athlete, and nobody but its author deletes a note.
    assert coach_client.post(reverse("site:add_note", args=[stranger.pk]), {"text": "x"}).status_code == 404
    assert login(athlete).post(reverse("site:delete_note", args=[note.pk])).status_code == 404
    coach_client.post(reverse("site:delete_note", args=[note.pk]))
    assert not CoachNote.objects.exists()


def test_an_empty_note_is_refused(login, coach, athlete) -> None:
    login(coach).post(reverse("site:add_note", args=[athlete.pk]), {"text": ""})
    assert not CoachNote.objects.exists()
