"""Privacy: the export holds all of the user's data and nobody else's; deletion leaves nothing."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from sqlalchemy import func, select

from analytics import schema
from tests.conftest import PASSWORD
from tests.web.site.conftest import upload
from web.accounts.models import ApiToken, User
from web.activities.models import Activity
from web.coaching.models import CoachingSession, Message
from web.demo.athletes import DEMO_PASSWORD
from web.plans.models import PlannedSession, TrainingPlan
from web.site.models import CoachNote

pytestmark = pytest.mark.django_db


def _talk(athlete: User) -> None:
    session = CoachingSession.objects.create(athlete=athlete, channel="web")
    Message.objects.create(session=session, role="user", content="Comment s'est passée ma semaine ?")
    assert athlete.coach is not None
    CoachNote.objects.create(athlete=athlete, author=athlete.coach, text="Bravo pour la sortie longue.")


def test_the_export_holds_everything_and_the_original_files(client: Client, demo) -> None:
    athlete = demo["athlete"]
    _talk(athlete)
    ApiToken.issue(athlete, "script")
    assert client.login(username=athlete.email, password=DEMO_PASSWORD)
    client.post(reverse("site:upload"), {"uploads": [upload("runpandas_fr620_run.tcx")]})
    response = client.post(reverse("site:export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    data = json.loads(archive.read("data.json"))["tables"]
    assert [row["email"] for row in data["accounts.user"]] == [athlete.email]
    assert len(data["activities.activity"]) == Activity.objects.filter(user=athlete).count()
    assert len(data["plans.trainingplan"]) == TrainingPlan.objects.filter(athlete=athlete).count() >= 1
    assert (
        len(data["plans.plannedsession"]) == PlannedSession.objects.filter(plan__athlete=athlete).count() > 0
    )
    assert data["coaching.message"][0]["content"] == "Comment s'est passée ma semaine ?"
    assert data["accounts.apitoken"][0]["name"] == "script" and data["accounts.athleteprofile"]
    assert data["site.coachnote"][0]["text"] == "Bravo pour la sortie longue."
    text = archive.read("data.json").decode()
    for secret in ("password", "key_hash", "link_code_hash"):
        assert f'"{secret}"' not in text
    originals = [name for name in archive.namelist() if name.startswith("files/")]
    assert len(originals) == 1 and originals[0].endswith(".tcx")
    assert archive.read(originals[0]) == upload("runpandas_fr620_run.tcx").read()
    # Nothing of the other athletes, nor the coach's account.
    assert demo["coach"].email not in text and "lea@foulee.example" not in text


def test_a_coachs_export_holds_not_their_athletes_data(login, coach, athlete, make_activity) -> None:
    make_activity(athlete)
    response = login(coach).post(reverse("site:export"))
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    data = json.loads(archive.read("data.json"))["tables"]
    assert data["accounts.user"][0]["email"] == coach.email
    assert data.get("activities.activity", []) == [] and athlete.email not in json.dumps(data)


def test_deleting_needs_the_password_and_the_confirmation(login, athlete) -> None:
    client = login(athlete)
    assert "Delete my account" in client.get(reverse("site:privacy")).content.decode()
    wrong = client.post(reverse("site:delete_account"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "This is not your password." in wrong.content.decode()
    unconfirmed = client.post(reverse("site:delete_account"), {"password": PASSWORD})
    assert unconfirmed.status_code == 400 and User.objects.filter(pk=athlete.pk).exists()
    assert client.get(reverse("site:delete_account")).status_code == 405


def test_deleting_the_account_removes_everything_analytics_included(
    client: Client, demo, store, django_capture_on_commit_callbacks
) -> None:
    athlete = demo["athlete"]
    _talk(athlete)
    assert client.login(username=athlete.email, password=DEMO_PASSWORD)
    client.post(reverse("site:upload"), {"uploads": [upload("fitparse_fenix2_run.fit")]})
    original = Activity.objects.get(user=athlete, source="file").original_file
    assert original.storage.exists(original.name)

    def analytics_rows() -> dict[str, int]:
        a = schema.activity_table.c
        with store.connect() as conn:
            return {
                "athlete": conn.execute(
                    select(func.count())
                    .select_from(schema.athlete_table)
                    .where(schema.athlete_table.c.id == athlete.pk)
                ).scalar_one(),
                "activities": conn.execute(
                    select(func.count()).select_from(schema.activity_table).where(a.athlete_id == athlete.pk)
                ).scalar_one(),
                "daily": conn.execute(
                    select(func.count())
                    .select_from(schema.daily_load_table)
                    .where(schema.daily_load_table.c.athlete_id == athlete.pk)
                ).scalar_one(),
            }

    from analytics.sync import sync

    sync(store)
    assert all(analytics_rows().values())
    # The test runs in a transaction: run what the real commit would (deleting the original files).
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("site:delete_account"), {"password": DEMO_PASSWORD, "confirm": "on"})
    assert page.status_code == 302 and page["Location"] == reverse("site:login")
    assert not User.objects.filter(pk=athlete.pk).exists()
    assert not Activity.objects.filter(user_id=athlete.pk).exists()
    assert not TrainingPlan.objects.filter(athlete_id=athlete.pk).exists()
    assert not CoachingSession.objects.filter(athlete_id=athlete.pk).exists()
    assert not Message.objects.filter(session__athlete_id=athlete.pk).exists()
    assert not CoachNote.objects.filter(athlete_id=athlete.pk).exists()
    assert not original.storage.exists(original.name)
    # The view ran the sync: the analytics store has forgotten the athlete already.
    assert analytics_rows() == {"athlete": 0, "activities": 0, "daily": 0}
    assert client.get(reverse("site:dashboard")).status_code == 302
    # The coach keeps their other athletes.
    assert demo["coach"].athletes.count() == 2
