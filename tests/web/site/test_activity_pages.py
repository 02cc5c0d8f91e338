"""Activities on the site: list and filters, detail charts from samples, upload, edit, delete."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from sqlalchemy import func, select

from analytics import schema
from tests.web.site.conftest import upload
from web.activities.models import Activity, DeletedRecord

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_sport_and_dates(login, athlete, make_activity) -> None:
    run = make_activity(athlete, name="Morning run", start_time=dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC))
    ride = make_activity(
        athlete, name="Ride out", sport="ride", start_time=dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC)
    )
    client = login(athlete)
    url = reverse("site:activities")
    assert list(client.get(url).context["page"]) == [ride, run]
    assert list(client.get(url, {"sport": "ride"}).context["page"]) == [ride]
    assert list(client.get(url, {"since": "2026-03-05"}).context["page"]) == [ride]
    assert list(client.get(url, {"until": "2026-03-05"}).context["page"]) == [run]
    # The athlete's local day counts: 8:00 UTC on 1 March is 1 March in Paris.
    assert list(client.get(url, {"since": "2026-03-01", "until": "2026-03-01"}).context["page"]) == [run]
    backwards = client.get(url, {"since": "2026-03-10", "until": "2026-03-01"})
    assert (
        backwards.context["form"].errors
        and "The start date is after the end date." in backwards.content.decode()
    )


def test_the_list_pages_through_many_activities(login, athlete, make_activity) -> None:
    start = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)
    for day in range(30):
        make_activity(athlete, start_time=start + dt.timedelta(days=day))
    client = login(athlete)
    first = client.get(reverse("site:activities"), {"sport": "run"})
    assert len(first.context["page"]) == 25 and 'rel="next"' in first.content.decode()
    assert "sport=run&amp;page=2" in first.content.decode()
    assert len(client.get(reverse("site:activities"), {"sport": "run", "page": 2}).context["page"]) == 5


def test_an_uploaded_run_shows_its_charts_and_best_efforts(login, athlete, synced) -> None:
    client = login(athlete)
    page = client.post(
        reverse("site:upload"), {"athlete": athlete.pk, "uploads": [upload("fitparse_fenix2_run.fit")]}
    )
    assert page.status_code == 200
    assert "1 imported, 0 duplicates, 0 errors." in page.content.decode()
    activity = Activity.objects.get(user=athlete)
    synced()
    detail = client.get(reverse("site:activity", args=[activity.pk]))
    html = detail.content.decode()
    for chart in ("pace_chart", "hr_chart", "elevation_chart"):
        assert chart in detail.context and "<polyline" in detail.context[chart], chart
    assert html.count('role="img"') == 3
    assert detail.context["best_distances"] and "Best efforts" in html
    assert detail.context["analysis"].training_load is not None


def test_a_manual_activity_has_no_charts_but_says_why(login, athlete, make_activity, synced) -> None:
    activity = make_activity(athlete)
    synced()
    html = login(athlete).get(reverse("site:activity", args=[activity.pk])).content.decode()
    assert "No recorded samples for this activity" in html


def test_a_strava_export_and_a_duplicate(login, athlete) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(
            "activities.csv",
            "Activity ID,Activity Name,Activity Description,Filename\n1,Tempo,Felt good,activities/1.tcx\n",
        )
        zipped.writestr("activities/1.tcx", (upload("runpandas_fr620_run.tcx").read()))
    client = login(athlete)
    first = client.post(reverse("site:upload"), {"uploads": [upload("export.zip", buffer.getvalue())]})
    assert "1 imported" in first.content.decode()
    assert Activity.objects.get(user=athlete).name == "Tempo"
    again = client.post(reverse("site:upload"), {"uploads": [upload("runpandas_fr620_run.tcx")]})
    assert "0 imported, 1 duplicates, 0 errors." in again.content.decode()


def test_a_coach_uploads_for_their_athlete_only(login, coach, athlete, stranger) -> None:
    client = login(coach)
    page = client.post(
        reverse("site:athlete_upload", args=[athlete.pk]), {"uploads": [upload("runpandas_fr620_run.tcx")]}
    )
    assert page.status_code == 200 and Activity.objects.filter(user=athlete).count() == 1
    # Naming another athlete in the form changes nothing: the page's athlete is the only choice.
    sneaky = client.post(
        reverse("site:athlete_upload", args=[athlete.pk]),
        {"athlete": stranger.pk, "uploads": [upload("fitparse_fenix2_run.fit")]},
    )
    assert sneaky.status_code == 200 and not Activity.objects.filter(user=stranger).exists()


def test_a_broken_file_is_reported_not_imported(login, athlete) -> None:
    page = login(athlete).post(
        reverse("site:upload"), {"uploads": [upload("fitparse_invalid_unexpected_eof.fit")]}
    )
    assert "truncated or corrupt FIT file" in page.content.decode()
    assert not Activity.objects.filter(user=athlete).exists()


def test_edit_an_activity(login, athlete, make_activity) -> None:
    activity = make_activity(athlete)
    client = login(athlete)
    page = client.post(
        reverse("site:activity_edit", args=[activity.pk]),
        {"name": "Hill repeats", "sport": "trail_run", "description": "8 × 200 m"},
    )
    assert page.status_code == 302
    activity.refresh_from_db()
    assert (activity.name, activity.sport, activity.description) == ("Hill repeats", "trail_run", "8 × 200 m")
    refused = client.post(
        reverse("site:activity_edit", args=[activity.pk]), {"name": "x", "sport": "curling"}
    )
    assert refused.status_code == 200 and "sport" in refused.context["form"].errors


def test_delete_an_activity_removes_it_from_analytics(login, athlete, make_activity, store, synced) -> None:
    activity = make_activity(athlete)
    synced()
    count = (
        select(func.count())
        .select_from(schema.activity_table)
        .where(schema.activity_table.c.id == activity.pk)
    )
    with store.connect() as conn:
        assert conn.execute(count).scalar_one() == 1
    client = login(athlete)
    assert client.get(reverse("site:activity_delete", args=[activity.pk])).status_code == 200
    assert Activity.objects.filter(pk=activity.pk).exists()
    page = client.post(reverse("site:activity_delete", args=[activity.pk]))
    assert page["Location"] == reverse("site:activities")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert DeletedRecord.objects.filter(kind="activity", object_id=activity.pk).exists()
    synced()
    with store.connect() as conn:
        assert conn.execute(count).scalar_one() == 0


def test_a_gpx_with_a_long_stop_has_a_pace_chart_and_says_both_times(login, athlete, synced) -> None:
    """A Strava GPX records no speed: the pace chart comes from its distance and time, and the
    page names the moving time (pauses out) and the elapsed time (the 14-minute stop in)."""
    client = login(athlete)
    client.post(
        reverse("site:upload"), {"athlete": athlete.pk, "uploads": [upload("runpandas_strava_run_hr.gpx")]}
    )
    activity = Activity.objects.get(user=athlete)
    synced()
    detail = client.get(reverse("site:activity", args=[activity.pk]))
    html = detail.content.decode()
    assert "<polyline" in detail.context["pace_chart"]
    assert "Moving time</dt><dd>1:17:45<" in html
    assert "Elapsed time</dt><dd>1:25:27<" in html
    ten_k = next(effort for effort in detail.context["best_distances"] if effort["distance"] == "10 km")
    assert ten_k["time"] == "1:00:22"
