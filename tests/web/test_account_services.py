"""The account use cases every front calls (``web.accounts.services``), tested once here."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import translation
from sqlalchemy import func, select

from analytics import schema
from analytics.sync import sync
from web.accounts import services
from web.accounts.models import AthleteProfile, User
from web.activities.models import Activity

pytestmark = pytest.mark.django_db


def test_update_profile_says_what_changed_and_saves_it(athlete: User) -> None:
    change = services.update_profile(athlete, {"hr_max": 190, "hr_rest": 50, "language": "en"})
    assert change.ok and change.changed == {"hr_max": 190, "hr_rest": 50, "language": "en"}
    profile = AthleteProfile.objects.get(user=athlete)
    assert (profile.hr_max, profile.hr_rest, profile.language) == (190, 50, "en")
    # The same value again changes nothing; None clears a field and leaves the language alone.
    assert services.update_profile(athlete, {"hr_max": 190}).changed == {}
    cleared = services.update_profile(athlete, {"hr_rest": None, "language": None, "sex": None})
    assert cleared.changed == {"hr_rest": None}
    assert AthleteProfile.objects.get(user=athlete).language == "en"


def test_a_refused_value_saves_nothing_and_carries_its_code(athlete: User) -> None:
    services.update_profile(athlete, {"hr_max": 180})
    change = services.update_profile(athlete, {"hr_max": 300, "birth_year": 1990})
    assert not change.ok and change.changed == {}
    assert [(refusal.field, refusal.code) for refusal in change.refused] == [("hr_max", "max_value")]
    profile = AthleteProfile.objects.get(user=athlete)
    assert (profile.hr_max, profile.birth_year) == (180, None)
    # The wording is chosen where it is shown, in the reader's language.
    with translation.override("en"):
        english = change.refused[0].wording()
    with translation.override("fr"):
        french = change.refused[0].wording()
    assert "240" in english and english != french
    unknown = services.update_profile(athlete, {"email": "x@example.org"})
    assert [(refusal.field, refusal.code) for refusal in unknown.refused] == [
        ("email", services.UNKNOWN_FIELD)
    ]
    assert services.update_profile(athlete, {"hr_rest": 190}).as_error().message_dict.keys() == {"hr_rest"}


def test_export_account_writes_every_row_and_original_file(athlete: User, make_activity, store) -> None:
    run = make_activity(athlete)
    services.update_profile(athlete, {"hr_max": 185})
    target = io.BytesIO()
    assert services.export_account(athlete, target) == 1
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["format"] == "foulee-export-v2"
    assert [row["id"] for row in data["tables"]["activities.activity"]] == [run.pk]
    assert data["tables"]["accounts.athleteprofile"][0]["hr_max"] == 185
    assert "password" not in data["tables"]["accounts.user"][0]


def test_delete_account_empties_both_stores(athlete: User, make_activity, store) -> None:
    make_activity(athlete)
    sync(store)

    def analytics_rows() -> int:
        with store.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(schema.activity_table)
                    .where(schema.activity_table.c.athlete_id == athlete.pk)
                ).scalar_one()
            )

    assert analytics_rows() == 1
    services.delete_account(athlete)
    assert not User.objects.filter(pk=athlete.pk).exists()
    assert not Activity.objects.filter(user_id=athlete.pk).exists()
    assert analytics_rows() == 0
