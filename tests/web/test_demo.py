"""The demo world: complete, valid, deterministic, idempotent and physiologically plausible."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.test import Client
from django.urls import reverse
from sqlalchemy import Engine

from analytics import metrics
from web.accounts.models import Role, User
from web.activities.models import Activity
from web.demo import history
from web.demo.athletes import ATHLETES, BEGINNER, COACH, DEMO_PASSWORD, MARATHONER, TEN_K
from web.demo.world import load_demo
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def demo(db: None, store: Engine) -> None:
    load_demo(TODAY)


def snapshot() -> dict[str, object]:
    return {
        "users": sorted(User.objects.values_list("email", "updated_at")),
        "activities": sorted(Activity.objects.values_list("id", "updated_at")),
        "plans": sorted(TrainingPlan.objects.values_list("id", "updated_at")),
        "sessions": PlannedSession.objects.count(),
    }


def test_demo_creates_a_coach_and_three_athletes_with_a_year_each(demo: None) -> None:
    coach = User.objects.get(email=COACH.email)
    assert coach.role == Role.COACH and coach.is_staff and not coach.is_superuser
    athletes = list(coach.athletes.order_by("email"))
    assert {athlete.email for athlete in athletes} == {spec.email for spec in ATHLETES}
    for athlete in athletes:
        activities = Activity.objects.filter(user=athlete)
        first = activities.order_by("start_time").first()
        last = activities.order_by("start_time").last()
        assert first is not None and last is not None
        assert (last.start_time - first.start_time).days > 350
        assert last.start_time.date() < TODAY
        assert activities.count() > 100
        for activity in activities:
            # Constraints were checked by the database at insert time.
            activity.full_clean(validate_constraints=False)
        assert athlete.check_password(DEMO_PASSWORD)
        assert athlete.profile.hr_max and athlete.profile.hr_rest and athlete.profile.sex


def test_demo_twice_changes_nothing(demo: None) -> None:
    before = snapshot()
    accounts = load_demo(TODAY)
    assert not any(account.created for account in accounts)
    assert load_demo(TODAY + dt.timedelta(days=30)) and snapshot() == before


def test_demo_restores_a_deleted_athlete_without_touching_the_others(demo: None) -> None:
    User.objects.filter(email=BEGINNER.email).delete()
    karim_runs = sorted(Activity.objects.filter(user__email=TEN_K.email).values_list("id", "updated_at"))
    accounts = {account.email: account for account in load_demo(TODAY)}
    assert accounts[BEGINNER.email].created and not accounts[TEN_K.email].created
    assert (
        sorted(Activity.objects.filter(user__email=TEN_K.email).values_list("id", "updated_at")) == karim_runs
    )


def test_history_is_deterministic() -> None:
    assert history.generate_history(TEN_K, TODAY) == history.generate_history(TEN_K, TODAY)
    assert history.generate_history(TEN_K, TODAY) != history.generate_history(MARATHONER, TODAY)


@pytest.mark.parametrize("athlete", ATHLETES, ids=lambda spec: spec.full_name)
def test_races_match_the_fitness_curve(athlete) -> None:
    races = [(p, run) for p, run in history.generate_history(athlete, TODAY) if p.race is not None]
    assert races, "every demo athlete raced at least once"
    for prescription, run in races:
        assert prescription.race is not None
        achieved = metrics.vdot(prescription.race.distance_m, run.moving_time_s)
        # Race-day form varies by a few percent around the fitness curve.
        assert achieved == pytest.approx(history.vdot_in_week(athlete, _week(run)), abs=2.0)
        assert run.avg_hr <= run.max_hr <= athlete.hr_max


@pytest.mark.parametrize("athlete", ATHLETES, ids=lambda spec: spec.full_name)
def test_training_physiology_is_plausible(athlete) -> None:
    runs = [run for _, run in history.generate_history(athlete, TODAY)]
    easy = [run for run in runs if run.session_type == SessionType.EASY]
    races = [run for run in runs if run.session_type == SessionType.RACE]
    # Easy runs are slower and gentler on the heart than races.
    assert max(run.avg_speed_mps for run in easy) < max(run.avg_speed_mps for run in races)
    assert statistics.mean(run.avg_hr for run in easy) < statistics.mean(run.avg_hr for run in races) - 10
    for run in runs:
        pace = 1000 / run.avg_speed_mps
        assert 150 < pace < 660, "between 2:30 and 11:00 per km"
        assert athlete.hr_rest < run.avg_hr <= run.max_hr <= athlete.hr_max
        assert 150 <= run.avg_cadence_spm <= 200
        assert run.moving_time_s <= run.duration_s
    # Fitness improves: easy runs at the end of the year are faster than at the start.
    first, last = easy[: len(easy) // 6], easy[-len(easy) // 6 :]
    assert statistics.mean(r.avg_speed_mps for r in last) > statistics.mean(r.avg_speed_mps for r in first)


@pytest.mark.parametrize("athlete", ATHLETES, ids=lambda spec: spec.full_name)
def test_every_fourth_week_is_a_recovery_week(athlete) -> None:
    volumes = [history.weekly_volume_m(athlete, week) for week in range(history.HISTORY_WEEKS)]
    disturbed = set(athlete.setback_weeks)
    for race in history.races(athlete):
        disturbed |= {race.week - 1, race.week}
    checked = [week for week in range(7, history.HISTORY_WEEKS, 4) if not {week, week - 1} & disturbed]
    assert len(checked) >= 6
    for week in checked:
        assert volumes[week] < 0.8 * volumes[week - 1]


def test_each_athlete_has_one_active_plan_half_done(demo: None) -> None:
    for spec in ATHLETES:
        plan = TrainingPlan.objects.get(athlete__email=spec.email, status=PlanStatus.ACTIVE)
        assert plan.goal_date > TODAY > plan.start_date
        sessions = list(plan.sessions.all())
        assert sessions[-1].session_type == SessionType.RACE and sessions[-1].date == plan.goal_date
        past = [session for session in sessions if session.date < TODAY]
        assert past and all(session.status != SessionStatus.PLANNED for session in past)
        done = [session for session in past if session.status == SessionStatus.DONE]
        assert len(done) >= len(past) * 0.7
        for session in done:
            assert session.completed_activity is not None
            assert session.completed_activity.user_id == plan.athlete_id
            assert session.completed_activity.start_time.date() in {
                session.date - dt.timedelta(days=1),
                session.date,
            }
        assert all(session.status == SessionStatus.PLANNED for session in sessions if session.date >= TODAY)


def test_the_demo_coach_sees_the_demo_athletes_and_nobody_else(demo: None, make_user, make_activity) -> None:
    other_coach = make_user(Role.COACH)
    outsider = make_user(coach=other_coach, full_name="Outsider Runner")
    make_activity(outsider, name="Outsider long run")
    client = Client()
    assert client.login(username=COACH.email, password=DEMO_PASSWORD)
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    for spec in ATHLETES:
        assert spec.full_name in users
    assert "Outsider Runner" not in users
    activities = client.get(reverse("admin:activities_activity_changelist"), {"all": ""})
    assert activities.status_code == 200
    assert "Outsider long run" not in activities.content.decode()
    assert "Léa Martin" in activities.content.decode()


def _week(run: history.DemoRun) -> int:
    return (run.start_time.date() - history.history_start(TODAY)).days // 7
