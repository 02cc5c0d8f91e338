"""Plans on the site: create from a goal, the weeks, runs matched to sessions, adjust, edit, scoping."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from web.accounts.models import User
from web.plans import services
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris_today() -> dt.date:
    return timezone.now().astimezone(PARIS).date()


def running_plan(athlete: User, weeks_ago: int = 3, weeks_ahead: int = 5) -> TrainingPlan:
    """A 10 km plan that started ``weeks_ago`` weeks ago, so some of its sessions are past."""
    today = paris_today()
    return services.create_plan(
        athlete,
        goal_distance_m=10_000.0,
        goal_date=today + dt.timedelta(weeks=weeks_ahead),
        level=services.AthleteLevel(weekly_km=25.0, vdot=45.0),
        today=today - dt.timedelta(weeks=weeks_ago),
        days_per_week=3,
    )


def past_sessions(plan: TrainingPlan) -> list[PlannedSession]:
    return list(plan.sessions.filter(date__lt=paris_today()).order_by("date"))


def test_an_athlete_builds_a_plan_from_a_goal_and_sees_its_weeks(login, athlete) -> None:
    client = login(athlete)
    empty = client.get(reverse("site:plan"))
    assert empty.status_code == 200 and "No plan yet" in empty.content.decode()
    race = paris_today() + dt.timedelta(weeks=10)
    answer = client.post(
        reverse("site:plan_create"),
        {"distance": "21097.5", "race_date": race.isoformat(), "target_time": "1:45:00", "days_per_week": 4},
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("site:plan")
    plan = TrainingPlan.objects.get(athlete=athlete, status=PlanStatus.ACTIVE)
    assert plan.goal_distance_m == 21_097.5 and plan.goal_date == race and plan.target_time_s == 6300.0
    assert plan.created_by == athlete
    page = client.get(reverse("site:plan"))
    html = page.content.decode()
    sessions = plan.sessions.count()
    assert sessions > 20 and f"0 <small>/ {sessions}</small>" in html
    assert len(page.context["weeks"]) >= 10 and "Week of" in html
    # Four runs a week (the race week is shorter), the race last.
    assert [len(week["sessions"]) for week in page.context["weeks"][1:-1]] == [4] * (
        len(page.context["weeks"]) - 2
    )
    assert plan.sessions.order_by("date").last().session_type == SessionType.RACE  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "must be in the future"), (10, "A plan lasts 3 to 30 weeks"), (400, "A plan lasts 3 to 30 weeks")],
)
def test_a_race_too_close_or_too_far_is_refused(login, athlete, days: int, message: str) -> None:
    race = paris_today() + dt.timedelta(days=days)
    page = login(athlete).post(
        reverse("site:plan_create"), {"distance": "10000", "race_date": race.isoformat(), "days_per_week": 3}
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert not TrainingPlan.objects.exists()


def test_a_target_time_that_is_not_one_is_refused(login, athlete) -> None:
    race = paris_today() + dt.timedelta(weeks=8)
    page = login(athlete).post(
        reverse("site:plan_create"),
        {"distance": "10000", "race_date": race.isoformat(), "target_time": "fast", "days_per_week": 3},
    )
    assert "Write the time as" in page.content.decode() and not TrainingPlan.objects.exists()


def test_runs_are_matched_to_the_sessions_of_their_local_day(athlete, make_activity) -> None:
    plan = running_plan(athlete)
    first, second, third, fourth = past_sessions(plan)[:4]
    # 23:30 in Paris (21:30 or 22:30 UTC) is that day's run; the longer of the day's two runs is the session.
    late = dt.datetime.combine(first.date, dt.time(23, 30), PARIS)
    short = make_activity(athlete, start_time=late, distance_m=5_000.0)
    long = make_activity(athlete, start_time=late - dt.timedelta(hours=12), distance_m=12_000.0)
    # A run just after midnight belongs to the next day, in Paris; a walk never fulfils a session.
    make_activity(
        athlete, start_time=dt.datetime.combine(second.date, dt.time(0, 30), PARIS) - dt.timedelta(hours=1)
    )
    make_activity(athlete, sport="walk", start_time=dt.datetime.combine(third.date, dt.time(9), PARIS))
    skipped = make_activity(athlete, start_time=dt.datetime.combine(fourth.date, dt.time(9), PARIS))
    fourth.status = SessionStatus.MISSED
    fourth.save()
    matched = services.match_activities(plan)
    assert [session.pk for session in matched] == [first.pk]
    first.refresh_from_db()
    assert first.status == SessionStatus.DONE and first.completed_activity == long
    for session in (second, third, fourth):
        session.refresh_from_db()
    assert second.status == third.status == SessionStatus.PLANNED and fourth.status == SessionStatus.MISSED
    assert not PlannedSession.objects.filter(completed_activity__in=[short, skipped]).exists()
    # Calling it again changes nothing.
    assert services.match_activities(plan) == []


def test_showing_the_plan_matches_imported_runs(login, athlete, make_activity) -> None:
    plan = running_plan(athlete)
    session = past_sessions(plan)[0]
    run = make_activity(athlete, start_time=dt.datetime.combine(session.date, dt.time(8), PARIS))
    html = login(athlete).get(reverse("site:plan")).content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.DONE and session.completed_activity == run
    assert reverse("site:activity", args=[run.pk]) in html and "1 <small>/" in html


def test_marking_a_session_done_takes_that_days_run_if_any(login, athlete, make_activity) -> None:
    plan = running_plan(athlete)
    with_run, without_run = past_sessions(plan)[:2]
    client = login(athlete)
    # The run arrives after the page was shown: the button still finds it.
    run = make_activity(athlete, start_time=dt.datetime.combine(with_run.date, dt.time(7), PARIS))
    for session in (with_run, without_run):
        answer = client.post(reverse("site:session_done", args=[session.pk]))
        assert answer.status_code == 302 and answer["Location"] == reverse("site:plan")
        session.refresh_from_db()
        assert session.status == SessionStatus.DONE
    assert with_run.completed_activity == run and without_run.completed_activity is None
    assert client.get(reverse("site:session_done", args=[with_run.pk])).status_code == 405


def test_adjusting_for_a_missed_session_and_an_illness(login, athlete) -> None:
    plan = running_plan(athlete)
    client = login(athlete)
    latest_past = plan.sessions.filter(date__lte=paris_today()).order_by("-date").first()
    assert latest_past is not None
    client.post(reverse("site:plan_adjust"), {"reason": "missed"})
    latest_past.refresh_from_db()
    assert latest_past.status == SessionStatus.MISSED
    answer = client.post(reverse("site:plan_adjust"), {"reason": "illness", "days": 5}, follow=True)
    today = paris_today()
    cancelled = plan.sessions.filter(date__gte=today, date__lt=today + dt.timedelta(days=5))
    assert cancelled.exists() and all(s.status == SessionStatus.CANCELLED for s in cancelled)
    assert "eased for your return" in answer.content.decode()
    refused = client.post(reverse("site:plan_adjust"), {"reason": "bored"}, follow=True)
    assert "Say what happened" in refused.content.decode()


def test_adjusting_without_a_plan_says_so(login, athlete) -> None:
    answer = login(athlete).post(reverse("site:plan_adjust"), {"reason": "missed"}, follow=True)
    assert "There is no active plan to adjust." in answer.content.decode()


def test_a_coach_builds_and_edits_their_athletes_plan(login, coach, athlete) -> None:
    client = login(coach)
    race = paris_today() + dt.timedelta(weeks=6)
    answer = client.post(
        reverse("site:athlete_plan_create", args=[athlete.pk]),
        {"distance": "5000", "race_date": race.isoformat(), "days_per_week": 3},
    )
    assert answer["Location"] == reverse("site:athlete_plan", args=[athlete.pk])
    plan = TrainingPlan.objects.get(athlete=athlete, status=PlanStatus.ACTIVE)
    assert plan.created_by == coach
    assert not TrainingPlan.objects.filter(athlete=coach).exists()
    session = plan.sessions.exclude(session_type=SessionType.RACE).first()
    assert session is not None
    url = reverse("site:session_edit", args=[session.pk])
    form = client.get(url)
    assert form.status_code == 200
    fields = {
        "date": session.date.isoformat(),
        "session_type": SessionType.TEMPO,
        "description": "2 × 15 min at threshold",
        "distance_km": "9.5",
        "pace": "4:50",
        "target_hr_zone": 4,
        "status": SessionStatus.PLANNED,
    }
    assert client.post(url, fields)["Location"] == reverse("site:athlete_plan", args=[athlete.pk])
    session.refresh_from_db()
    assert (session.session_type, session.target_distance_m, session.target_pace_s_per_km) == (
        "tempo",
        9500.0,
        290.0,
    )
    # The model's rules still apply: a pace outside 2:00-20:00 per km, a date outside the plan.
    bad = client.post(url, {**fields, "pace": "1:30", "date": (race + dt.timedelta(days=3)).isoformat()})
    errors = bad.context["form"].errors
    assert set(errors) == {"pace", "date"}
    assert "Write the pace as" in client.post(url, {**fields, "pace": "5:75"}).content.decode()


def test_another_coach_gets_404_on_every_plan_page(login, other_coach, athlete) -> None:
    plan = running_plan(athlete)
    session = past_sessions(plan)[0]
    client = login(other_coach)
    for url in (
        reverse("site:athlete_plan", args=[athlete.pk]),
        reverse("site:athlete_plan_create", args=[athlete.pk]),
        reverse("site:session_edit", args=[session.pk]),
    ):
        assert client.get(url).status_code == 404, url
    race = (paris_today() + dt.timedelta(weeks=8)).isoformat()
    for url, data in (
        (reverse("site:athlete_plan_create", args=[athlete.pk]), {"distance": "10000", "race_date": race}),
        (reverse("site:athlete_plan_adjust", args=[athlete.pk]), {"reason": "illness"}),
        (reverse("site:session_done", args=[session.pk]), {}),
        (reverse("site:session_edit", args=[session.pk]), {"date": session.date.isoformat()}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert TrainingPlan.objects.get().pk == plan.pk
    assert not plan.sessions.exclude(status=SessionStatus.PLANNED).exists()


def test_cancelled_sessions_show_as_cancelled_and_missed_as_missed(login, athlete) -> None:
    plan = running_plan(athlete)
    client = login(athlete)
    answer = client.post(
        reverse("site:plan_adjust"), {"reason": "illness", "days": 6, "when": "past"}, follow=True
    )
    html = answer.content.decode()
    client.post(reverse("site:plan_adjust"), {"reason": "missed"})
    cancelled = plan.sessions.filter(status=SessionStatus.CANCELLED)
    # Past tense: the days before today, not the coming ones.
    assert cancelled.exists() and all(s.date < paris_today() for s in cancelled), list(cancelled)
    count = cancelled.count()
    assert (f"{count} session cancelled," if count == 1 else f"{count} sessions cancelled,") in html
    assert 'class="status status-cancelled">Cancelled<' in html
    page = client.get(reverse("site:plan")).content.decode()
    assert plan.sessions.filter(status=SessionStatus.MISSED).count() == 1
    assert 'class="status status-missed">Missed<' in page


def test_cancelled_in_french_is_singular_for_one(login, athlete) -> None:
    from django.utils import translation

    with translation.override("fr"):
        text = translation.ngettext("%(count)s session cancelled", "%(count)s sessions cancelled", 1)
        assert text % {"count": 1} == "1 séance annulée"
        text = translation.ngettext("%(count)s session cancelled", "%(count)s sessions cancelled", 3)
        assert text % {"count": 3} == "3 séances annulées"


def test_the_edit_form_saves_what_it_shows(login, athlete) -> None:
    """The pace is shown "5:13" and accepted back: marking a session done through Edit works."""
    plan = running_plan(athlete)
    session = plan.sessions.exclude(session_type=SessionType.RACE).filter(target_pace_s_per_km__isnull=False)[
        0
    ]
    client = login(athlete)
    url = reverse("site:session_edit", args=[session.pk])
    form = client.get(url).context["form"]
    shown = {name: form[name].value() for name in form.fields}
    assert ":" in str(shown["pace"]) and "/km" not in str(shown["pace"]), shown["pace"]
    data = {key: ("" if value is None else value) for key, value in shown.items()}
    data["status"] = SessionStatus.DONE
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    session.refresh_from_db()
    assert session.status == SessionStatus.DONE
    assert (
        abs(
            (session.target_pace_s_per_km or 0)
            - round(plan.sessions.get(pk=session.pk).target_pace_s_per_km or 0)
        )
        < 1
    )


def test_a_retired_plan_stays_readable_in_the_list(login, athlete) -> None:
    old = running_plan(athlete)
    new = running_plan(athlete, weeks_ago=0, weeks_ahead=8)
    client = login(athlete)
    page = client.get(reverse("site:plan"))
    assert [p.pk for p in page.context["plans"]] == [new.pk, old.pk]
    assert page.context["plan"] == new
    retired = client.get(reverse("site:plan") + f"?plan={old.pk}")
    html = retired.content.decode()
    assert retired.context["plan"] == old and 'id="plan-retired"' in html
    assert "Adjust the plan" not in html and retired.context["total"] == old.sessions.count()


def test_a_coach_reads_an_athletes_plans_and_their_structure(login, coach, athlete, other_coach) -> None:
    old = running_plan(athlete)
    running_plan(athlete, weeks_ago=0, weeks_ahead=8)
    url = reverse("site:athlete_plan", args=[athlete.pk])
    html = login(coach).get(url + f"?plan={old.pk}").content.decode()
    assert 'id="plan-retired"' in html and "Warm-up" in html and "Structure" in html
    assert login(other_coach).get(url + f"?plan={old.pk}").status_code == 404
    # An id of another athlete's plan is not found either.
    assert login(athlete).get(reverse("site:plan") + "?plan=999999").status_code == 404
