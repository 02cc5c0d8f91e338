"""The admin's upload page: a coach imports files for their own athletes, through the import service."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from web.activities.models import Activity

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
URL = reverse("admin:activities_activity_upload")


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (DATA / name).read_bytes())


def test_the_changelist_links_to_the_upload_page(login, coach) -> None:
    page = login(coach).get(reverse("admin:activities_activity_changelist"))
    assert URL in page.content.decode()


def test_a_coach_imports_files_for_their_athlete(login, coach, athlete) -> None:
    files = [upload("runpandas_fr620_run.tcx"), upload("fitparse_invalid_unexpected_eof.fit")]
    page = login(coach).post(URL, {"athlete": athlete.pk, "uploads": files})
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 imported, 0 duplicates, 1 errors" in text
    assert "truncated or corrupt FIT file" in text
    imported = Activity.objects.get(user=athlete)
    assert imported.source == "file" and imported.distance_m == pytest.approx(2153.67, abs=0.01)
    assert reverse("admin:activities_activity_change", args=[imported.pk]) in text


def test_a_strava_export_uploaded_as_a_zip(login, coach, athlete) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr(
            "activities.csv",
            "Activity ID,Activity Name,Activity Description,Filename\n1,Tempo,Felt good,activities/1.tcx\n",
        )
        zipped.writestr("activities/1.tcx", (DATA / "runpandas_fr620_run.tcx").read_bytes())
    export = upload("export.zip", buffer.getvalue())
    page = login(coach).post(URL, {"athlete": athlete.pk, "uploads": [export]})
    assert "export.zip:activities/1.tcx" in page.content.decode()
    assert Activity.objects.get(user=athlete).name == "Tempo"


def test_a_coach_cannot_upload_for_another_coachs_athlete(login, coach, stranger) -> None:
    client = login(coach)
    assert str(stranger) not in client.get(URL).content.decode()
    page = client.post(URL, {"athlete": stranger.pk, "uploads": [upload("runpandas_fr620_run.tcx")]})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert not Activity.objects.filter(user=stranger).exists()


def test_athletes_have_no_admin_upload(login, athlete) -> None:
    page = login(athlete).get(URL)
    assert page.status_code == 302 and "/admin/login/" in page["Location"]


def test_an_uploaded_original_is_its_owner_s_only_whatever_the_umask(
    login, coach, athlete, media_root: Path
) -> None:
    """Django stores it 600 in folders 700 (web/settings.py), even in a server that keeps umask 022."""
    previous = os.umask(0o022)
    try:
        page = login(coach).post(URL, {"athlete": athlete.pk, "uploads": [upload("runpandas_fr620_run.tcx")]})
    finally:
        os.umask(previous)
    assert page.status_code == 200
    stored = Path(Activity.objects.get(user=athlete).original_file.path)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    folders = [folder for folder in stored.parents if folder.is_relative_to(media_root)]
    assert folders and all(stat.S_IMODE(folder.stat().st_mode) == 0o700 for folder in folders)
