"""A coach's token reading an athlete's data is recorded in the athlete's access record, over HTTP."""

from __future__ import annotations

import pytest

from tests.conftest import activity_fields
from web.accounts.models import AccessRecord
from web.activities.models import Activity
from web.plans.models import TrainingPlan


def seen(athlete) -> list[tuple[int | None, str]]:
    return sorted(AccessRecord.objects.filter(athlete=athlete).values_list("viewer_id", "what"))


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/v1/analytics/dashboard", "api:analytics/dashboard"),
        ("/v1/analytics/zones", "api:analytics/zones"),
        ("/v1/activities", "api:activities"),
        ("/v1/plans", "api:plans"),
    ],
)
def test_a_coach_reading_an_athletes_data_is_recorded(client, token_for, coach, athlete, path, what) -> None:
    http = client(token_for(coach))
    for _ in range(2):
        assert http.get(path, params={"athlete_id": athlete.pk}).status_code == 200
    assert seen(athlete) == [(coach.pk, what)]


def test_one_activity_by_id_and_its_deletion(client, token_for, coach, athlete) -> None:
    activity = Activity.objects.create(user=athlete, **activity_fields())
    http = client(token_for(coach))
    assert http.get(f"/v1/activities/{activity.pk}").status_code == 200
    assert http.delete(f"/v1/activities/{activity.pk}").status_code == 204
    assert seen(athlete) == [
        (coach.pk, f"api:DELETE activities:{activity.pk}"),
        (coach.pk, f"api:activities:{activity.pk}"),
    ]


def test_one_plan_by_id(client, token_for, coach, athlete) -> None:
    import datetime as dt

    plan = TrainingPlan.objects.create(
        athlete=athlete,
        name="Semi",
        goal_distance_m=21097.5,
        goal_date=dt.date(2027, 4, 1),
        start_date=dt.date(2027, 1, 1),
    )
    assert client(token_for(coach)).get(f"/v1/plans/{plan.pk}").status_code == 200
    assert seen(athlete) == [(coach.pk, f"api:plans:{plan.pk}")]


def test_the_athletes_own_token_and_a_stranger_are_not_recorded(
    client, token_for, athlete, other_coach
) -> None:
    assert client(token_for(athlete)).get("/v1/analytics/dashboard").status_code == 200
    mine = {"athlete_id": athlete.pk}
    assert client(token_for(athlete)).get("/v1/analytics/dashboard", params=mine).status_code == 200
    assert client(token_for(other_coach)).get("/v1/analytics/dashboard", params=mine).status_code == 404
    assert not AccessRecord.objects.exists()
