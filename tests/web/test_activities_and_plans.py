"""Activities and plans refuse impossible values, in validation and in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.conftest import activity_fields
from web.activities.models import Activity
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"distance_m": -1.0}, "distance_m"),
        ({"distance_m": 2_000_000.0}, "distance_m"),
        ({"duration_s": 0.0}, "duration_s"),
        ({"avg_hr": 250.0, "max_hr": 251.0}, "avg_hr"),
        ({"avg_hr": 10.0}, "avg_hr"),
        ({"avg_hr": 180.0, "max_hr": 170.0}, "avg_hr"),
        ({"moving_time_s": 4000.0}, "moving_time_s"),
        ({"avg_speed_mps": 5.0, "max_speed_mps": 4.0}, "avg_speed_mps"),
        ({"max_speed_mps": 80.0}, "max_speed_mps"),
        ({"avg_cadence_spm": 400.0}, "avg_cadence_spm"),
        ({"training_load": -3.0}, "training_load"),
        ({"sport": "quidditch"}, "sport"),
        ({"start_time": dt.datetime(1969, 12, 31, 23, 0, tzinfo=dt.UTC)}, "start_time"),
        ({"start_time": dt.datetime.now(dt.UTC) + dt.timedelta(days=2)}, "start_time"),
        (
            {"start_time": dt.datetime(622, 8, 8, 14, 46, tzinfo=dt.timezone(-dt.timedelta(hours=19)))},
            "start_time",
        ),
    ],
)
def test_activity_validation_names_the_field(athlete, overrides, field) -> None:
    activity = Activity(user=athlete, **activity_fields(**overrides))
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "overrides",
    [
        {"distance_m": -1.0},
        {"duration_s": 0.0},
        {"avg_hr": 250.0, "max_hr": None},
        {"avg_hr": 180.0, "max_hr": 170.0},
        {"moving_time_s": 4000.0},
        {"avg_speed_mps": 5.0, "max_speed_mps": 4.0},
        {"training_load": -3.0},
    ],
)
def test_database_refuses_what_validation_refuses(athlete, overrides) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(user=athlete, **activity_fields(**overrides))


def test_an_offset_postgresql_would_refuse_is_stored_in_utc(athlete, make_activity) -> None:
    # Python allows offsets up to a day; PostgreSQL none beyond 15:59 (schemathesis found this).
    far_west = dt.timezone(-dt.timedelta(hours=19, minutes=55))
    activity = make_activity(athlete, start_time=dt.datetime(2026, 3, 1, 3, 0, tzinfo=far_west))
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.start_time == dt.datetime(2026, 3, 1, 22, 55, tzinfo=dt.UTC)


def test_start_time_is_stored_timezone_aware(athlete, make_activity) -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    activity = make_activity(athlete, start_time=dt.datetime(2026, 3, 1, 9, 0, tzinfo=paris))
    stored = Activity.objects.get(pk=activity.pk)
    assert stored.start_time == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert stored.start_time.utcoffset() == dt.timedelta(0)


def test_the_same_file_cannot_be_imported_twice_by_one_athlete(athlete, stranger, make_activity) -> None:
    checksum = "a" * 64
    make_activity(athlete, file_checksum=checksum, source="file")
    make_activity(stranger, file_checksum=checksum, source="file")  # someone else's copy is fine
    with pytest.raises(ValidationError):
        make_activity(athlete, file_checksum=checksum, source="file")
    make_activity(athlete)  # manual activities have no checksum and never collide
    make_activity(athlete)


def test_updated_at_moves_on_every_save(athlete, make_activity) -> None:
    activity = make_activity(athlete)
    before = activity.updated_at
    activity.name = "Renamed"
    activity.save()
    assert activity.updated_at > before


def make_plan(athlete, **overrides) -> TrainingPlan:
    fields = {
        "name": "Spring 10 km",
        "goal_distance_m": 10_000.0,
        "start_date": dt.date(2026, 1, 5),
        "goal_date": dt.date(2026, 3, 15),
        "target_time_s": 45 * 60.0,
    }
    fields.update(overrides)
    plan = TrainingPlan(athlete=athlete, **fields)
    plan.full_clean()
    plan.save()
    return plan


def test_an_athlete_has_at_most_one_active_plan(athlete) -> None:
    make_plan(athlete)
    make_plan(athlete, status=PlanStatus.COMPLETED)
    with pytest.raises(ValidationError):
        make_plan(athlete)


def test_a_plan_starts_before_its_goal(athlete) -> None:
    with pytest.raises(ValidationError, match="start before"):
        make_plan(athlete, start_date=dt.date(2026, 4, 1))


def test_sessions_stay_inside_their_plan_and_rest_days_have_no_targets(athlete) -> None:
    plan = make_plan(athlete)
    outside = PlannedSession(plan=plan, date=dt.date(2026, 5, 1), session_type=SessionType.EASY)
    with pytest.raises(ValidationError, match="between"):
        outside.full_clean()
    rest = PlannedSession(
        plan=plan, date=dt.date(2026, 1, 6), session_type=SessionType.REST, target_distance_m=5000.0
    )
    with pytest.raises(ValidationError, match="rest day"):
        rest.full_clean()
    zone = PlannedSession(
        plan=plan, date=dt.date(2026, 1, 6), session_type=SessionType.EASY, target_hr_zone=6
    )
    with pytest.raises(ValidationError):
        zone.full_clean()


def test_a_session_is_fulfilled_only_by_the_athletes_own_activity(athlete, stranger, make_activity) -> None:
    plan = make_plan(athlete)
    session = PlannedSession(plan=plan, date=dt.date(2026, 3, 1), session_type=SessionType.LONG)
    session.completed_activity = make_activity(stranger)
    with pytest.raises(ValidationError, match="another athlete"):
        session.full_clean()
    session.completed_activity = make_activity(athlete)
    session.status = SessionStatus.DONE
    session.full_clean()
    session.save()
    assert session.completed_activity.planned_session == session
