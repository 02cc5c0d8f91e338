"""Through the admin, a coach sees and edits their own athletes' data and nobody else's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import activity_fields
from web.accounts.models import ApiToken, Role
from web.activities.models import Activity
from web.coaching.models import Channel, CoachingSession, Message, MessageRole
from web.plans.models import TrainingPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coach, athlete, stranger, make_activity):
    """One activity, plan and conversation for ``athlete`` and for ``stranger``."""
    mine = make_activity(athlete, name="Alice tempo run", start_time=timezone.now() - dt.timedelta(days=2))
    theirs = make_activity(stranger, name="Zoe secret run", start_time=timezone.now() - dt.timedelta(days=1))
    plans = {}
    for who in (athlete, stranger):
        plans[who.pk] = TrainingPlan.objects.create(
            athlete=who,
            name=f"Plan of {who.full_name}",
            goal_distance_m=10_000,
            start_date=dt.date(2026, 1, 5),
            goal_date=dt.date(2026, 3, 15),
        )
        session = CoachingSession.objects.create(athlete=who, channel=Channel.TELEGRAM)
        Message.objects.create(
            session=session, role=MessageRole.ATHLETE, content=f"Hello from {who.full_name}"
        )
    return {"mine": mine, "theirs": theirs, "plans": plans}


def test_the_coach_list_of_athletes_shows_only_their_athletes(login, coach, athlete, stranger, world) -> None:
    page = login(coach).get(reverse("admin:accounts_user_changelist"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Alice Athlete" in text
    assert "Zoe Stranger" not in text
    assert "Coach Two" not in text
    # Useful to a coach: the last activity and the week's kilometres.
    assert "10.0" in text  # the 10 km run two days ago
    assert "Km, last 7 days" in text


def test_the_coach_sees_their_athletes_activities_only(login, coach, world) -> None:
    client = login(coach)
    page = client.get(reverse("admin:activities_activity_changelist"))
    text = page.content.decode()
    assert "Alice tempo run" in text
    assert "Zoe secret run" not in text
    # The athlete filter offers only the coach's athletes.
    assert "Zoe Stranger" not in text
    search = client.get(reverse("admin:activities_activity_changelist"), {"q": "secret"})
    assert "Zoe secret run" not in search.content.decode()
    filtered = client.get(
        reverse("admin:activities_activity_changelist"), {"athlete": world["theirs"].user_id}
    )
    assert "Zoe secret run" not in filtered.content.decode()


@pytest.mark.parametrize("url_name", ["admin:activities_activity_change", "admin:activities_activity_delete"])
def test_another_coachs_activity_cannot_be_opened(login, coach, world, url_name) -> None:
    client = login(coach)
    response = client.get(reverse(url_name, args=[world["theirs"].pk]), follow=True)
    assert "Zoe secret run" not in response.content.decode()
    assert "doesn’t exist" in response.content.decode()
    mine = client.get(reverse("admin:activities_activity_change", args=[world["mine"].pk]))
    assert mine.status_code == 200


def test_another_coachs_activity_cannot_be_changed_or_deleted(login, coach, world) -> None:
    client = login(coach)
    theirs = world["theirs"]
    client.post(reverse("admin:activities_activity_delete", args=[theirs.pk]), {"post": "yes"})
    client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )
    assert Activity.objects.filter(pk=theirs.pk, name="Zoe secret run").exists()


def test_a_coach_can_edit_their_athletes_activity(login, coach, athlete, world) -> None:
    mine = world["mine"]
    form = {
        "user": athlete.pk,
        "sport": "run",
        "name": "Renamed by coach",
        "description": "",
        "start_time_0": "2026-03-01",
        "start_time_1": "08:00:00",
        **{key: value for key, value in activity_fields().items() if key != "start_time"},
    }
    form = {key: ("" if value is None else value) for key, value in form.items()}
    for optional in ("elevation_gain_m", "avg_cadence_spm", "calories_kcal", "training_load"):
        form.setdefault(optional, "")
    response = login(coach).post(reverse("admin:activities_activity_change", args=[mine.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert mine.name == "Renamed by coach"


def test_a_coach_cannot_create_an_activity_for_someone_elses_athlete(login, coach, athlete, stranger) -> None:
    client = login(coach)
    add_page = client.get(reverse("admin:activities_activity_add")).content.decode()
    assert "Zoe Stranger" not in add_page and "Alice Athlete" in add_page
    form = {
        "user": stranger.pk,
        "sport": "run",
        "start_time_0": "2026-03-01",
        "start_time_1": "08:00:00",
        "distance_m": 5000,
        "duration_s": 1500,
    }
    response = client.post(reverse("admin:activities_activity_add"), form)
    assert response.status_code == 200  # the form comes back with an error
    assert "Select a valid choice" in response.content.decode()
    assert not Activity.objects.filter(user=stranger).exists()


def test_another_coachs_athlete_and_plan_cannot_be_opened(login, coach, stranger, world) -> None:
    client = login(coach)
    for url in (
        reverse("admin:accounts_user_change", args=[stranger.pk]),
        reverse("admin:plans_trainingplan_change", args=[world["plans"][stranger.pk].pk]),
    ):
        response = client.get(url, follow=True)
        assert "Zoe Stranger" not in response.content.decode()
    plans = client.get(reverse("admin:plans_trainingplan_changelist")).content.decode()
    assert "Plan of Alice Athlete" in plans and "Plan of Zoe Stranger" not in plans


def test_a_coach_reads_but_cannot_edit_conversations(login, coach, athlete, world) -> None:
    client = login(coach)
    listing = client.get(reverse("admin:coaching_coachingsession_changelist")).content.decode()
    assert "Alice Athlete" in listing and "Zoe Stranger" not in listing
    session = CoachingSession.objects.get(athlete=athlete)
    page = client.get(reverse("admin:coaching_coachingsession_change", args=[session.pk])).content.decode()
    assert "Hello from Alice Athlete" in page
    assert 'name="_save"' not in page  # read-only


def test_a_coach_cannot_change_passwords_or_see_credentials(login, coach, athlete) -> None:
    client = login(coach)
    assert client.get(reverse("admin:auth_user_password_change", args=[athlete.pk])).status_code == 403
    ApiToken.issue(athlete, "secret token")
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_telegramlink_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "API tokens" not in index and "Activities" in index


def test_a_coach_cannot_promote_their_athlete(login, coach, athlete) -> None:
    client = login(coach)
    form = {
        "full_name": "Alice A.",
        "role": Role.COACH,
        "is_superuser": "on",
        "is_staff": "on",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": athlete.profile.pk,
        "profile-0-user": athlete.pk,
        "profile-0-language": "en",
        "profile-0-timezone": "Europe/Paris",
        "profile-0-hr_max": "190",
        "profile-0-hr_rest": "50",
    }
    response = client.post(reverse("admin:accounts_user_change", args=[athlete.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    athlete.refresh_from_db()
    assert athlete.full_name == "Alice A." and athlete.profile.hr_max == 190
    assert athlete.role == Role.ATHLETE and not athlete.is_superuser and not athlete.is_staff


def test_an_athlete_cannot_use_the_admin(login, athlete) -> None:
    response = login(athlete).get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_superuser_sees_everyone(make_user, world, login) -> None:
    admin = make_user(Role.COACH, is_superuser=True, is_staff=True)
    text = login(admin).get(reverse("admin:activities_activity_changelist")).content.decode()
    assert "Alice tempo run" in text and "Zoe secret run" in text


def test_an_inactive_coach_loses_access(coach, world, login) -> None:
    client = login(coach)
    coach.is_active = False
    coach.save()
    response = client.get(reverse("admin:activities_activity_changelist"))
    assert response.status_code == 302


def _plan_form(athlete_pk: int, session: Mapping[str, object]) -> dict[str, object]:
    form: dict[str, object] = {
        "athlete": athlete_pk,
        "name": "Autumn 10 km",
        "goal_distance_m": "10000",
        "goal_date": "2026-10-18",
        "target_time_s": "",
        "start_date": "2026-08-24",
        "status": "draft",
        "notes": "",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    form.update({f"sessions-0-{key}": value for key, value in session.items()})
    return form


def test_a_coach_builds_a_plan_for_their_athlete(login, coach, athlete, world) -> None:
    session = {
        "date": "2026-08-25",
        "session_type": "easy",
        "description": "45 min easy",
        "status": "planned",
    }
    response = login(coach).post(reverse("admin:plans_trainingplan_add"), _plan_form(athlete.pk, session))
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = TrainingPlan.objects.get(name="Autumn 10 km")
    assert plan.athlete == athlete and plan.created_by == coach
    assert plan.sessions.get().description == "45 min easy"


def test_a_plan_session_cannot_claim_another_athletes_activity(login, coach, athlete, world) -> None:
    session = {
        "date": "2026-08-25",
        "session_type": "easy",
        "status": "done",
        "completed_activity": world["theirs"].pk,
    }
    response = login(coach).post(reverse("admin:plans_trainingplan_add"), _plan_form(athlete.pk, session))
    assert response.status_code == 200
    assert not TrainingPlan.objects.filter(name="Autumn 10 km").exists()
