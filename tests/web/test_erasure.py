"""Erasure and access reach everything (issue 23): an athlete with data in every store is exported,
then deleted, and a scan of every table of both databases and of the files on disk finds nothing of
theirs left; the export held every one of those categories, in its documented format.

The scan is generic on purpose: a new model or analytics table that references a user is
covered without touching this test. It runs with committed transactions, as production does,
so the commit hooks (the analytics sync on commit, the removal of original files) really run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.utils import timezone
from sqlalchemy import Engine, func, or_, select

from agent.coach import Coach
from analytics import schema
from analytics.importing.service import import_file
from analytics.sync import sync
from web.accounts import consent, services
from web.accounts.access import record_access
from web.accounts.models import ApiToken, InactivityWarning, TelegramLink, User
from web.activities.models import Activity, DeletedRecord
from web.coaching.models import AthleteFact
from web.plans.services import AthleteLevel, create_plan
from web.site.models import CoachNote

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).resolve().parents[1] / "data" / "activities"
#: A run with GPS, heart rate and a recorded file: samples, features, best efforts and an original.
RUN_FILE = DATA / "runpandas_fr645m_run.fit"


def references_to(user: User, activity_ids: set[int]) -> dict[str, int]:
    """Rows of the system of record that point at ``user`` or at one of their activities."""
    found: dict[str, int] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey | models.OneToOneField) or field.auto_created:
                continue
            if field.related_model is User:
                count = model._default_manager.filter(**{field.name: user.pk}).count()
            elif field.related_model is Activity and activity_ids:
                count = model._default_manager.filter(**{f"{field.name}__in": activity_ids}).count()
            else:
                continue
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    text_fields = [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField | models.EmailField)
    ]
    for model, name in text_fields:
        count = model._default_manager.filter(**{f"{name}__icontains": user.email}).count()
        if count:
            found[f"{model._meta.label}.{name} (email)"] = count
    tombstones = DeletedRecord.objects.filter(
        models.Q(kind="athlete", object_id=user.pk) | models.Q(kind="activity", object_id__in=activity_ids)
    ).count()
    if tombstones:
        found["activities.DeletedRecord (unapplied)"] = tombstones
    # Sessions hold the user's id inside their encoded data, not in a column.
    sessions = sum(
        session.get_decoded().get("_auth_user_id") == str(user.pk) for session in Session.objects.all()
    )
    if sessions:
        found["sessions.Session (logged in)"] = sessions
    return found


def analytics_rows(store: Engine, athlete_id: int, activity_ids: set[int]) -> dict[str, int]:
    """Rows of the analytics store keyed by the athlete or one of their activities."""
    found: dict[str, int] = {}
    with store.connect() as conn:
        for table in schema.Base.metadata.sorted_tables:
            clauses: list[Any] = []
            if table is schema.athlete_table:
                clauses.append(table.c.id == athlete_id)
            if "athlete_id" in table.c:
                clauses.append(table.c.athlete_id == athlete_id)
            if "activity_id" in table.c and activity_ids:
                clauses.append(table.c.activity_id.in_(activity_ids))
            if not clauses:
                continue
            count = conn.execute(select(func.count()).select_from(table).where(or_(*clauses))).scalar_one()
            if count:
                found[table.name] = int(count)
    return found


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def give_data_to_every_store(athlete: User, coach: User) -> set[int]:
    result = import_file(athlete, RUN_FILE.read_bytes(), RUN_FILE.name)
    assert result.status == "imported", result.error
    services.update_profile(athlete, {"hr_max": 188, "hr_rest": 48, "weight_kg": 64})
    Coach().reply(athlete, "Comment s'est passée ma semaine ?", "web")
    AthleteFact.objects.create(athlete=athlete, kind="injury", text="genou droit sensible")
    TelegramLink.objects.create(user=athlete, telegram_user_id=424242, chat_id=424242, username="runner")
    ApiToken.issue(athlete, "watch", dt.timedelta(days=1))
    today = timezone.localdate()
    create_plan(
        athlete,
        goal_distance_m=10_000,
        goal_date=today + dt.timedelta(weeks=10),
        level=AthleteLevel(weekly_km=30.0, vdot=45.0),
        today=today,
    )
    CoachNote.objects.create(athlete=athlete, author=coach, text="Belle progression")
    record_access(coach, athlete, "dashboard")
    InactivityWarning.objects.create(user=athlete, warned_at=timezone.now(), channels="email")
    Client().force_login(athlete)  # a browser still logged in elsewhere
    return set(Activity.objects.filter(user=athlete).values_list("pk", flat=True))


def test_deleting_an_account_leaves_nothing_of_it_in_any_store(
    athlete: User, coach: User, store: Engine, media_root: Path
) -> None:
    activity_ids = give_data_to_every_store(athlete, coach)
    sync(store)
    # The scans see the data before the deletion: they would see any of it left after.
    before = references_to(athlete, activity_ids)
    for table in (
        "accounts.AthleteProfile.user",
        "activities.Activity.user",
        "coaching.CoachingSession.athlete",
        "coaching.AthleteFact.athlete",
        "accounts.TelegramLink.user",
        "accounts.ApiToken.user",
        "plans.TrainingPlan.athlete",
        "site.CoachNote.athlete",
        "accounts.AccessRecord.athlete",
        "accounts.InactivityWarning.user",
        "accounts.ConsentRecord.user",
        "sessions.Session (logged in)",
    ):
        assert table in before, (table, sorted(before))
    assert {"analytics_athlete", "analytics_activity", "analytics_activity_samples"} <= set(
        analytics_rows(store, athlete.pk, activity_ids)
    )
    assert files_under(media_root), "the original file was not kept"
    athlete_id = athlete.pk

    services.delete_account(athlete)

    assert references_to(athlete, activity_ids) == {}
    assert analytics_rows(store, athlete_id, activity_ids) == {}
    assert files_under(media_root) == []
    # The coach, who owns nothing of the athlete's, is still there.
    assert User.objects.filter(pk=coach.pk).exists()


def test_the_export_holds_every_category_in_its_documented_format(
    athlete: User, coach: User, store: Engine
) -> None:
    import io
    import json
    import zipfile

    import jsonschema_rs

    activity_ids = give_data_to_every_store(athlete, coach)
    consent.record(athlete, granted=False, channel="bot")
    sync(store)
    target = io.BytesIO()
    services.export_account(athlete, target)
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        samples_csv = archive.read(f"samples/{min(activity_ids)}.csv").decode()
    schema_file = Path(__file__).resolve().parents[2] / "docs" / "export.schema.json"
    jsonschema_rs.validator_for(json.loads(schema_file.read_text())).validate(data)
    # Every category the deletion removes is in the export, derived analytics included.
    labels = {".".join(found.split(".")[:2]).lower() for found in references_to(athlete, activity_ids)}
    kept_elsewhere = {"sessions.session (logged in)", "activities.deletedrecord (unapplied)"}
    missing = labels - kept_elsewhere - set(data["tables"])
    assert not missing, sorted(missing)
    assert set(analytics_rows(store, athlete.pk, activity_ids)) <= set(data["analytics"])
    assert data["analytics"]["analytics_activity_features"], "no derived features exported"
    assert any(name.startswith("files/") for name in names)
    assert [
        (row["kind"], row["granted"], row["channel"]) for row in data["tables"]["accounts.consentrecord"]
    ] == [
        ("health", True, "web"),
        ("health", False, "bot"),
    ]  # the whole history, the withdrawal included
    header, first = samples_csv.splitlines()[:2]
    assert header == "time_s,distance_m,speed_mps,hr,cadence_spm,altitude_m,lat,lon"
    assert len(first.split(",")) == 8
