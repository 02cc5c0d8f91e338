"""The Django → analytics sync: incremental, idempotent, resumable, and it sees edits and deletions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, Table, func, select

from analytics import metrics, schema, sync
from tests.conftest import activity_fields
from web.activities.models import Activity, DeletedRecord

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # a Monday


def rows(engine: Engine, model: type[schema.Base]) -> list[dict[str, Any]]:
    table: Table = model.__table__  # type: ignore[assignment]
    with engine.connect() as conn:
        return [
            dict(row._mapping) for row in conn.execute(select(table).order_by(*table.primary_key.columns))
        ]


def loads(engine: Engine) -> dict[Any, Any]:
    return {row["day"]: row["load"] for row in rows(engine, schema.DailyLoad)}


@pytest.fixture
def runner(athlete):
    profile = athlete.profile
    profile.hr_max, profile.hr_rest, profile.sex, profile.timezone = 190, 50, "F", "Europe/Paris"
    profile.save()
    return athlete


def run(user, day: int, **overrides) -> Activity:
    fields = activity_fields(**{"start_time": DAY + dt.timedelta(days=day), **overrides})
    return Activity.objects.create(user=user, **fields)


def test_first_sync_copies_activities_athletes_features_and_loads(store, runner) -> None:
    first, second = run(runner, 0), run(runner, 0, avg_hr=160, max_hr=175)
    report = sync.sync(store)
    assert report.activities == 2
    synced = rows(store, schema.Activity)
    assert [row["id"] for row in synced] == [first.pk, second.pk]
    assert synced[0]["local_date"] == dt.date(2026, 3, 2)
    assert synced[0]["week_start"] == dt.date(2026, 3, 2)
    assert synced[0]["pace_ok"] and synced[0]["hr_ok"] and synced[0]["load_method"] == "hr_avg"
    athlete_row = next(row for row in rows(store, schema.Athlete) if row["id"] == runner.pk)
    assert athlete_row["hr_max"] == 190 and athlete_row["sex"] == "F"
    assert set(athlete_row) == {
        "id",
        "sex",
        "birth_year",
        "hr_max",
        "hr_rest",
        "timezone",
        "source_updated_at",
    }
    assert loads(store) == {
        dt.date(2026, 3, 2): pytest.approx(synced[0]["training_load"] + synced[1]["training_load"])
    }
    # The summary gives each run its VDOT and VMA; a features row needs samples.
    assert [row["vdot"] for row in synced] == [pytest.approx(metrics.vdot(10_000.0, 2950.0))] * 2
    assert synced[0]["vma_kmh"] == pytest.approx(metrics.vma_from_vdot(synced[0]["vdot"]))
    assert rows(store, schema.ActivityFeatures) == []


def test_running_it_twice_changes_nothing(store, runner) -> None:
    run(runner, 0)
    run(runner, 1)
    sync.sync(store)
    before = (
        rows(store, schema.Activity),
        rows(store, schema.ActivityFeatures),
        rows(store, schema.DailyLoad),
    )
    again = sync.sync(store)
    assert again.activities == 0 and again.unchanged == 2
    assert (
        rows(store, schema.Activity),
        rows(store, schema.ActivityFeatures),
        rows(store, schema.DailyLoad),
    ) == before


def test_edits_flow_through_including_a_move_to_another_day(store, runner) -> None:
    activity = run(runner, 0)
    sync.sync(store)
    activity.distance_m = 12_000.0
    activity.avg_speed_mps = 12_000.0 / 2950.0
    activity.start_time = DAY + dt.timedelta(days=3)
    activity.save()
    report = sync.sync(store)
    assert report.activities == 1
    synced = rows(store, schema.Activity)[0]
    assert synced["distance_m"] == 12_000.0 and synced["local_date"] == dt.date(2026, 3, 5)
    assert set(loads(store)) == {dt.date(2026, 3, 5)}, "the old day's load is gone"


def test_deletions_leave_tombstones_that_the_sync_applies_and_clears(store, runner) -> None:
    keep, drop = run(runner, 0), run(runner, 1)
    sync.sync(store)
    drop_id = drop.pk
    drop.delete()
    assert DeletedRecord.objects.filter(kind="activity", object_id=drop_id).exists()
    report = sync.sync(store)
    assert report.deleted_activities == 1
    assert [row["id"] for row in rows(store, schema.Activity)] == [keep.pk]
    assert set(loads(store)) == {dt.date(2026, 3, 2)}
    assert not DeletedRecord.objects.exists()


def test_deleting_an_athlete_removes_everything_of_theirs(store, runner, stranger) -> None:
    run(runner, 0)
    theirs = run(stranger, 0)
    sync.sync(store)
    runner.delete()
    report = sync.sync(store)
    assert report.deleted_athletes == 1
    assert [row["id"] for row in rows(store, schema.Activity)] == [theirs.pk]
    assert runner.pk not in [row["id"] for row in rows(store, schema.Athlete)]
    assert stranger.pk in [row["id"] for row in rows(store, schema.Athlete)]
    assert all(row["athlete_id"] == stranger.pk for row in rows(store, schema.DailyLoad))


def test_a_crash_mid_sync_loses_nothing_and_duplicates_nothing(store, runner, monkeypatch) -> None:
    activities = [run(runner, day) for day in range(5)]
    real_write = sync._write_activities
    calls = {"n": 0}

    def failing_second_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(sync, "_write_activities", failing_second_batch)
    with pytest.raises(RuntimeError, match="power cut"):
        sync.sync(store, batch_size=2)
    # The first batch committed with its watermark; nothing of the second remains.
    assert [row["id"] for row in rows(store, schema.Activity)] == [a.pk for a in activities[:2]]
    state = {row["stream"]: row for row in rows(store, schema.SyncState)}
    assert state["activities"]["watermark_id"] == activities[1].pk
    monkeypatch.setattr(sync, "_write_activities", real_write)
    report = sync.sync(store, batch_size=2)
    assert report.activities == 3
    assert [row["id"] for row in rows(store, schema.Activity)] == [a.pk for a in activities]
    assert len(loads(store)) == 5


def test_a_late_commit_inside_the_lookback_is_not_missed(store, runner) -> None:
    early = run(runner, 0)
    late = run(runner, 1)
    # `late` was stamped before `early` but committed after the first sync ran.
    Activity.objects.filter(pk=late.pk).update(updated_at=early.updated_at - dt.timedelta(seconds=30))
    DeletedRecord.objects.all().delete()
    with store.begin() as conn:
        conn.execute(schema.state_table.delete())
    sync.sync(store)
    Activity.objects.filter(pk=late.pk).update(distance_m=9000.0)  # edited without touching updated_at
    assert sync.sync(store).activities == 0, "same updated_at: nothing to do"
    Activity.objects.filter(pk=late.pk).update(updated_at=early.updated_at - dt.timedelta(seconds=20))
    assert sync.sync(store).activities == 1, "an older stamp within the lookback is still picked up"


def test_the_lookback_is_rechecked_batch_by_batch(store, runner) -> None:
    activities = [run(runner, day) for day in range(5)]
    sync.sync(store)
    # A late commit: its row got a stamp behind the watermark, and the store has an older version.
    # Just behind it, so that the row is on the second of three pages of two.
    late = activities[2]
    Activity.objects.filter(pk=late.pk).update(
        distance_m=9000.0, updated_at=activities[-1].updated_at - dt.timedelta(microseconds=1)
    )
    report = sync.sync(store, batch_size=2)
    assert (report.activities, report.unchanged) == (1, 4)
    stored = {row["id"]: row["distance_m"] for row in rows(store, schema.Activity)}
    assert stored[late.pk] == 9000.0


def test_a_profile_change_recomputes_that_athletes_loads(store, runner) -> None:
    run(runner, 0)
    sync.sync(store)
    before = rows(store, schema.Activity)[0]["training_load"]
    profile = runner.profile
    profile.hr_rest = 60
    profile.save()
    report = sync.sync(store)
    assert report.recomputed_athletes == {runner.pk}
    after = rows(store, schema.Activity)[0]
    assert after["training_load"] < before
    assert loads(store)[dt.date(2026, 3, 2)] == pytest.approx(after["training_load"])


def test_changes_sync_after_commit_in_the_default_set_up(
    store, runner, settings, django_capture_on_commit_callbacks
) -> None:
    settings.FOULEE_SYNC_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        activity = run(runner, 0)
    assert [row["id"] for row in rows(store, schema.Activity)] == [activity.pk]
    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()
    assert rows(store, schema.Activity) == []


def test_local_days_follow_the_athletes_time_zone(store, runner) -> None:
    # 23:30 UTC on Sunday 1 March is 00:30 on Monday 2 March in Paris.
    run(runner, 0, start_time=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    sync.sync(store)
    synced = rows(store, schema.Activity)[0]
    assert synced["local_date"] == dt.date(2026, 3, 2) and synced["week_start"] == dt.date(2026, 3, 2)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.DailyLoad.__table__)).scalar() == 1


def test_a_new_time_zone_moves_the_daily_loads_with_the_activities(store, runner) -> None:
    # 23:30 UTC on Sunday 1 March: Monday 2 March in Paris, Sunday 1 March in UTC.
    run(runner, 0, start_time=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
    sync.sync(store)
    assert set(loads(store)) == {dt.date(2026, 3, 2)}
    profile = runner.profile
    profile.timezone = "UTC"
    profile.save()
    sync.sync(store)
    synced = rows(store, schema.Activity)[0]
    assert synced["local_date"] == dt.date(2026, 3, 1)
    assert loads(store) == {dt.date(2026, 3, 1): pytest.approx(synced["training_load"])}


def daily_sums_of_activities(engine: Engine) -> dict[Any, tuple[Any, ...]]:
    """What each daily load row must say: the sums of its day's activities (missing loads as 0)."""
    sums: dict[Any, list[float]] = {}
    for row in rows(engine, schema.Activity):
        day = sums.setdefault((row["athlete_id"], row["local_date"]), [0.0, 0.0, 0.0, 0])
        day[0] += row["training_load"] or 0.0
        day[1] += row["distance_m"]
        day[2] += row["moving_time_s"]
        day[3] += 1
    return {
        key: (pytest.approx(a), pytest.approx(b), pytest.approx(c), d) for key, (a, b, c, d) in sums.items()
    }


def daily_rows(engine: Engine) -> dict[Any, tuple[Any, ...]]:
    return {
        (row["athlete_id"], row["day"]): (
            row["load"],
            row["distance_m"],
            row["moving_time_s"],
            row["activity_count"],
        )
        for row in rows(engine, schema.DailyLoad)
    }


def test_new_activities_add_to_their_days_and_other_changes_recompute_them(
    store, runner, monkeypatch
) -> None:
    recomputed: list[set[Any]] = []
    real_rebuild = sync._rebuild_daily_loads

    def recording(conn, days, left=None):
        recomputed.append({(int(a), d) for a, d in days.itertuples(index=False)})
        return real_rebuild(conn, days, left)

    monkeypatch.setattr(sync, "_rebuild_daily_loads", recording)
    # Three days, two to three runs a day, one without HR (no load): synced three at a time.
    activities = [run(runner, day % 3, avg_hr=None if day == 4 else 150 + day) for day in range(8)]
    sync.sync(store, batch_size=3)
    assert daily_rows(store) == daily_sums_of_activities(store)
    assert set().union(*recomputed) == set(), "new activities only: their sums were added"

    # An edit and a newcomer on one day, a newcomer alone on another.
    recomputed.clear()
    activities[0].distance_m = 11_000.0
    activities[0].save()
    run(runner, 0)
    run(runner, 5)
    sync.sync(store)
    assert daily_rows(store) == daily_sums_of_activities(store)
    monday = dt.date(2026, 3, 2)
    assert set().union(*recomputed) == {(runner.pk, monday)}, "only the edited day is read back"


def test_a_bulk_import_stamped_with_one_time_is_read_batch_by_batch(store, runner) -> None:
    """Rows tied on updated_at are ordered by id: every batch starts after the last one's row."""
    activities = [run(runner, day) for day in range(7)]
    Activity.objects.update(updated_at=DAY)
    report = sync.sync(store, batch_size=2)
    assert report.activities == 7 and report.batches == 3
    assert [row["id"] for row in rows(store, schema.Activity)] == [a.pk for a in activities]
    assert sync.sync(store).activities == 0
