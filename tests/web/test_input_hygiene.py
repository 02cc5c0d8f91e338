"""Input hygiene at the model layer: no control character in stored text, safe upload names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models

from analytics.importing.batch import BatchSummary, import_paths
from analytics.importing.service import ImportResult, import_file
from bot import coach as bot_coach
from foulee import limits
from foulee.filenames import upload_name
from tests.conftest import activity_fields
from web import text
from web.activities.models import Activity
from web.coaching.models import Message, validate_coach_message

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
RUN = DATA / "runpandas_fr620_run.tcx"


def test_every_free_text_field_of_every_model_refuses_control_characters() -> None:
    """The system check walks all models: a text field without the validator is an error."""
    assert text.check_text_fields() == []
    fields = [
        field
        for model in text.project_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.Field) and text.needs_text_validator(field)
    ]
    assert {f"{field.model.__name__}.{field.name}" for field in fields} >= {
        "Activity.name",
        "Activity.description",
        "Message.content",
        "TrainingPlan.name",
        "CoachNote.text",
    }


def test_the_check_names_a_text_field_that_forgot_the_validator(monkeypatch) -> None:
    field = Activity._meta.get_field("name")
    monkeypatch.setattr(field, "validators", [])
    errors = text.check_text_fields()
    assert [error.id for error in errors] == ["foulee.E001"]
    assert isinstance(errors[0], checks.Error) and "activities.Activity.name" in errors[0].msg


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x7f", "\x85", "\ud800", "a\tb", "a\nb"])
def test_single_line_text_refuses_control_characters(athlete, bad) -> None:
    activity = Activity(user=athlete, name=f"Run {bad}", **activity_fields())
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert list(refused.value.message_dict) == ["name"]
    assert "U+" in refused.value.message_dict["name"][0]


def test_multi_line_text_keeps_tabs_and_line_breaks_but_not_nul(athlete) -> None:
    Activity(user=athlete, description="Warm-up\r\n\t3 x 1 km", **activity_fields()).full_clean()
    with pytest.raises(ValidationError) as refused:
        Activity(user=athlete, description="a\x00b", **activity_fields()).full_clean()
    assert "U+0000" in refused.value.message_dict["description"][0]


def test_the_coach_message_rule_is_bounded_and_refuses_control_characters() -> None:
    validate_coach_message("Comment s'est passée ma semaine ?\n")
    too_long = "x" * (limits.MAX_COACH_MESSAGE_CHARS + 1)
    validate_coach_message(f"\n {too_long[1:]} \n")  # the whitespace around it does not count
    for bad, code in ((too_long, "too_long"), ("a\x00", "control_character"), (" \t\n", "empty")):
        with pytest.raises(ValidationError) as refused:
            validate_coach_message(bad)
        assert refused.value.error_dict["text"][0].code == code


def test_the_bot_says_why_in_the_athlete_s_language() -> None:
    assert bot_coach.refusal("ma semaine ?", "fr") is None
    assert "U+0000" in (bot_coach.refusal("a\x00", "fr") or "") and "caractère" in (
        bot_coach.refusal("a\x00", "fr") or ""
    )
    assert "2000" in (bot_coach.refusal("x" * 2001, "en") or "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\run.fit", "run.fit"),
        ("run\x00\x1f.gpx", "run.gpx"),
        ("e\u0301te\u0301.gpx", "\u00e9t\u00e9.gpx"),  # NFC
        ("", "upload"),
        ("..", "upload"),
        (None, "upload"),
    ],
)
def test_upload_names_are_bare_printable_and_composed(raw, expected) -> None:
    assert upload_name(raw) == expected


@pytest.mark.parametrize("raw", ["a" * 300 + ".fit", "é" * 300 + ".fit.gz", "🏃" * 100 + ".tcx"])
def test_long_upload_names_are_bounded_in_bytes_and_keep_their_extension(raw) -> None:
    name = upload_name(raw)
    assert len(name.encode()) <= limits.MAX_UPLOAD_NAME_BYTES
    assert name.endswith(raw[raw.index(".") :])


def _imported(result: ImportResult) -> Activity:
    assert result.status == "imported" and result.activity_id is not None, result.error
    return Activity.objects.get(pk=result.activity_id)


@pytest.mark.parametrize("stem", ["a" * 300, "é" * 200, "🏃" * 80])
def test_a_file_with_a_long_name_is_imported_twice_over_without_error(athlete, stem) -> None:
    """Over 255 bytes, once and again under the same name (storage adds a suffix to the second)."""
    data = RUN.read_bytes()
    first = _imported(import_file(athlete, data, stem + ".tcx"))
    stored = first.original_file
    assert len(stored.name) <= 255 and len(Path(stored.path).name.encode()) <= 255
    assert stored.name.endswith(".tcx")
    # The row goes, its file stays until a commit that never comes here: the name is taken.
    first.delete()
    other = _imported(import_file(athlete, data, stem + ".tcx")).original_file
    assert other.name != stored.name
    assert len(other.name) <= 255 and len(Path(other.path).name.encode()) <= 255


def test_a_strava_export_with_control_characters_in_its_names_is_cleaned_not_refused(
    athlete, tmp_path
) -> None:
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(
            "activities.csv",
            "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
            'Filename\n1,x,"Sortie\x00 \x1blongue",Run,"Bien\x00\n\tdu tout",1,activities/'
            + "é" * 200
            + ".tcx\n",
        )
        archive.writestr("activities/" + "é" * 200 + ".tcx", RUN.read_bytes())
    (result,) = import_paths(athlete, [export], BatchSummary())
    activity = _imported(result)
    assert activity.name == "Sortie longue"
    assert activity.description == "Bien\n\tdu tout"


def test_an_uploaded_file_name_through_the_web_door_is_bounded(athlete) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from web.activities.uploads import import_uploads

    upload = SimpleUploadedFile("é" * 120 + ".tcx", RUN.read_bytes())
    (result,) = import_uploads(athlete, [upload], BatchSummary())
    assert result.status == "imported", result.error
    assert len(result.file.encode()) <= limits.MAX_UPLOAD_NAME_BYTES


def test_the_web_chat_names_the_control_character_and_stores_nothing(login, athlete) -> None:
    from django.urls import reverse

    page = login(athlete).post(reverse("site:chat"), {"message": "ma semaine\x1b ?"})
    assert page.status_code == 200
    assert "U+001B" in page.content.decode()
    assert not Message.objects.filter(session__athlete=athlete).exists()


def test_the_admin_form_refuses_a_nul_in_an_activity_name(login, coach, athlete, make_activity) -> None:
    from django.urls import reverse

    activity = make_activity(athlete)
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    page = login(coach).get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["name"] = "Run\x00"
    response = login(coach).post(url, {**data, "start_time_0": "2026-03-01", "start_time_1": "08:00:00"})
    assert response.status_code == 200  # the form again, with its error; nothing saved
    activity.refresh_from_db()
    assert activity.name == ""
