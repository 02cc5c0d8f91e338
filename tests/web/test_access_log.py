"""Who saw my data (issue 23, item 5): every door that opens an athlete's data to someone else
records who, what and when, once an hour; the athlete reads it, in their zone and language; it is
exported, erased with the account and purged after its retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from sqlalchemy import Engine

from agent.coach import Coach
from web.accounts import services
from web.accounts.access import record_access
from web.accounts.models import AccessRecord, User
from web.accounts.retention import purge
from web.accounts.scoping import can_view_athlete

pytestmark = pytest.mark.django_db


def seen(athlete: User) -> list[tuple[int | None, str]]:
    return list(AccessRecord.objects.filter(athlete=athlete).order_by("pk").values_list("viewer_id", "what"))


def test_a_coachs_page_views_are_recorded_once_an_hour(login, coach, athlete, store: Engine) -> None:
    client = login(coach)
    for _ in range(3):
        assert client.get(reverse("site:athlete_dashboard", args=[athlete.pk])).status_code == 200
    assert client.get(reverse("site:athlete_activities", args=[athlete.pk])).status_code == 200
    assert client.get(reverse("site:athlete_plan", args=[athlete.pk])).status_code == 200
    assert seen(athlete) == [(coach.pk, "dashboard"), (coach.pk, "activities"), (coach.pk, "plan")]


def test_the_athletes_own_views_are_not_recorded(login, athlete, store: Engine) -> None:
    client = login(athlete)
    assert client.get(reverse("site:dashboard")).status_code == 200
    assert client.get(reverse("site:athlete_dashboard", args=[athlete.pk])).status_code == 200
    assert not AccessRecord.objects.exists()


def test_an_activity_opened_edited_and_deleted_by_the_coach(
    login, coach, athlete, make_activity, store
) -> None:
    activity = make_activity(athlete)
    client = login(coach)
    assert client.get(reverse("site:activity", args=[activity.pk])).status_code == 200
    assert client.get(reverse("site:activity_edit", args=[activity.pk])).status_code == 200
    assert client.post(reverse("site:activity_delete", args=[activity.pk])).status_code == 302
    pk = activity.pk
    assert seen(athlete) == [
        (coach.pk, f"activity:{pk}"),
        (coach.pk, f"activity:{pk}:edit"),
        (coach.pk, f"activity:{pk}:delete"),
    ]


def test_another_coach_is_refused_and_nothing_is_recorded(login, other_coach, athlete, store) -> None:
    response = login(other_coach).get(reverse("site:athlete_dashboard", args=[athlete.pk]))
    assert response.status_code == 404
    assert not can_view_athlete(other_coach, athlete.pk, what="dashboard")
    assert not AccessRecord.objects.exists()


def test_the_coachs_overview_records_each_athlete(login, coach, athlete, make_user, store) -> None:
    second = make_user(coach=coach, full_name="Bob Second")
    assert login(coach).get(reverse("site:coach")).status_code == 200
    assert seen(athlete) == [(coach.pk, "overview")] and seen(second) == [(coach.pk, "overview")]


def test_the_admin_records_lists_and_objects(login, coach, athlete, stranger, make_activity) -> None:
    mine = make_activity(athlete)
    make_activity(stranger)
    client = login(coach)
    assert client.get(reverse("admin:activities_activity_changelist")).status_code == 200
    assert client.get(reverse("admin:activities_activity_change", args=[mine.pk])).status_code == 200
    assert seen(athlete) == [
        (coach.pk, "admin:activities.activity:list"),
        (coach.pk, f"admin:activities.activity:{mine.pk}"),
    ]
    # The stranger's row was never on the coach's page: nothing is recorded for them.
    assert not seen(stranger)


def test_a_superuser_is_recorded_too(client, make_user, athlete, make_activity) -> None:
    admin = make_user(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(admin)
    link = make_activity(athlete)
    assert client.get(reverse("admin:activities_activity_change", args=[link.pk])).status_code == 200
    assert seen(athlete) == [(admin.pk, f"admin:activities.activity:{link.pk}")]


def test_the_coach_asking_the_coach_records_the_tools_it_used(coach, athlete, store) -> None:
    reply = Coach(charts=False).reply(coach, "Comment s'est passée sa semaine ?", athlete=athlete)
    names = {call["name"] for call in reply.tool_calls}
    assert names, "the offline coach answered without a tool"
    assert set(seen(athlete)) == {(coach.pk, "coach")} | {(coach.pk, f"tool:{name}") for name in names}


def test_the_athletes_own_question_is_not_recorded(athlete, store) -> None:
    Coach(charts=False).reply(athlete, "Comment s'est passée ma semaine ?")
    assert not AccessRecord.objects.exists()


def test_a_new_hour_is_a_new_row(coach, athlete) -> None:
    first = dt.datetime(2026, 12, 7, 9, 5, tzinfo=dt.UTC)
    record_access(coach, athlete, "plan", now=first)
    record_access(coach, athlete, "plan", now=first + dt.timedelta(minutes=50))
    record_access(coach, athlete, "plan", now=first + dt.timedelta(minutes=56))
    times = list(AccessRecord.objects.order_by("at").values_list("at", flat=True))
    assert times == [first, first + dt.timedelta(minutes=56)]


def test_the_athlete_reads_who_saw_what_in_their_zone_and_language(
    login, coach, athlete, make_activity
) -> None:
    profile = services.profile_of(athlete)
    profile.timezone, profile.language = "America/New_York", "fr"
    profile.save()
    activity = make_activity(athlete)
    record_access(
        coach, athlete, f"activity:{activity.pk}", now=dt.datetime(2026, 12, 7, 15, 30, tzinfo=dt.UTC)
    )
    record_access(coach, athlete, "dashboard", now=dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC))
    client = login(athlete)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("site:access_log"), headers={"accept-language": "fr"}).content.decode()
    assert "Qui a vu mes données" in page
    assert "Coach One" in page
    assert f"Activité {activity.pk}" in page and "Tableau de bord" in page
    # 15:30 UTC is 10:30 in New York; 02:00 UTC on the 8th is 21:00 there on the 7th.
    assert "10:30" in page and "21:00" in page and "7 décembre 2026" in page
    assert page.index("21:00") < page.index("10:30"), "newest first"
    # The privacy page links to it.
    assert reverse("site:access_log") in client.get(reverse("site:privacy")).content.decode()


def test_the_page_shows_only_the_viewers_own_record(login, coach, athlete, stranger) -> None:
    record_access(coach, athlete, "dashboard")
    page = login(stranger).get(reverse("site:access_log")).content.decode()
    assert "Coach One" not in page


def test_a_deleted_coach_leaves_the_fact_but_not_their_id(login, coach, athlete, store) -> None:
    record_access(coach, athlete, "dashboard")
    athlete.coach = None
    athlete.save()
    services.delete_account(coach)
    assert seen(athlete) == [(None, "dashboard")]
    page = login(athlete).get(reverse("site:access_log"), headers={"accept-language": "en"}).content.decode()
    assert "A deleted account" in page


def test_the_record_is_exported_and_erased_with_the_account(coach, athlete, store) -> None:
    from web.accounts.export import collect

    record_access(coach, athlete, "plan")
    rows = collect(athlete)["accounts.accessrecord"]
    assert [(row["viewer_id"], row["what"]) for row in rows] == [(coach.pk, "plan")]
    assert collect(coach).get("accounts.accessrecord", []) == [], (
        "the coach's export holds no athlete's record"
    )
    services.delete_account(athlete)
    assert not AccessRecord.objects.exists()


def test_old_records_are_purged(coach, athlete) -> None:
    now = timezone.now()
    record_access(coach, athlete, "old", now=now - dt.timedelta(days=366))
    record_access(coach, athlete, "recent", now=now - dt.timedelta(days=364))
    counts = {result.rule.name: result.count for result in purge(apply=True, now=now)}
    assert counts["access-log"] == 1
    assert [what for _, what in seen(athlete)] == ["recent"]
