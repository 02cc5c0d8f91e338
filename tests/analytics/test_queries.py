"""Every query on a small hand-made history, with expected values worked out by hand.

The same tests run on SQLite and on PostgreSQL (see tests/settings.py).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analytics import metrics, queries, sync
from tests.conftest import activity_fields
from web.activities.models import Activity

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)  # a Sunday; the 2-week window starts on Monday 2 March


def at(day: str, hour: int = 7) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)


def add(
    user, day: str, distance_m: float, moving_s: float, avg_hr: float | None, max_hr: float | None, **extra
):
    fields = activity_fields(
        start_time=at(day),
        distance_m=distance_m,
        duration_s=moving_s + 30,
        moving_time_s=moving_s,
        avg_hr=avg_hr,
        max_hr=max_hr,
        avg_speed_mps=distance_m / moving_s if distance_m else None,
        max_speed_mps=None,
    )
    fields.update(extra)
    return Activity.objects.create(user=user, **fields)


def trimp(moving_s: float, avg_hr: float) -> float:
    return metrics.trimp(moving_s, avg_hr, 50, 190, "M")


@pytest.fixture
def history(store, athlete, stranger):
    profile = athlete.profile
    profile.hr_max, profile.hr_rest, profile.sex, profile.timezone = 190, 50, "M", "UTC"
    profile.save()
    made = {
        "A": add(athlete, "2026-03-02", 10_000, 3000, 150, 170),
        "B": add(athlete, "2026-03-04", 5_000, 1200, 160, 178),
        "C": add(athlete, "2026-03-10", 8_000, 2400, None, None),
        "D": add(athlete, "2026-03-11", 30_000, 3600, 130, 150, sport="ride"),
        "E": add(athlete, "2026-03-12", 42_195, 5040, 150, 165),  # a "marathon" at 2 min/km
        "F": add(athlete, "2026-02-10", 10_000, 2700, 155, 172),
    }
    # Another coach's athlete, training on the same days: never to be seen.
    add(stranger, "2026-03-02", 21_000, 4000, 175, 185)
    add(stranger, "2026-03-10", 3_000, 600, 180, 190)
    sync.sync(store)
    return made


def test_weekly_dashboard(conn, athlete, history) -> None:
    board = queries.weekly_dashboard(conn, athlete.pk, weeks=2, today=TODAY)
    assert list(board["week_start"]) == [dt.date(2026, 3, 2), dt.date(2026, 3, 9)]
    first, second = board.iloc[0], board.iloc[1]
    assert first["distance_km"] == pytest.approx(15.0)
    assert first["moving_time_h"] == pytest.approx(4200 / 3600)
    assert first["avg_speed_kmh"] == pytest.approx(15_000 / 4200 * 3.6)
    assert first["load"] == pytest.approx(trimp(3000, 150) + trimp(1200, 160))
    assert first["max_hr"] == 178
    assert first["runs"] == 2 and first["activities"] == 2
    best_vdot = max(metrics.vdot(10_000, 3000), metrics.vdot(5_000, 1200))
    assert first["vma_kmh"] == pytest.approx(metrics.vma_from_vdot(best_vdot))
    # Week 2: the ride adds load but no running distance; the 2 min/km marathon adds
    # distance and time but no speed; C has no HR, so no load.
    assert second["distance_km"] == pytest.approx(8.0 + 42.195)
    assert second["moving_time_h"] == pytest.approx((2400 + 5040) / 3600)
    assert second["avg_speed_kmh"] == pytest.approx(12.0)
    assert second["load"] == pytest.approx(trimp(3600, 130) + trimp(5040, 150))
    assert second["runs"] == 2 and second["activities"] == 3


def test_weekly_dashboard_has_every_week_even_empty_ones(conn, athlete, history) -> None:
    board = queries.weekly_dashboard(conn, athlete.pk, weeks=6, today=TODAY)
    assert len(board) == 6
    assert list(board["distance_km"].round(1)) == [0.0, 10.0, 0.0, 0.0, 15.0, 50.2]
    assert math.isnan(board.iloc[0]["avg_speed_kmh"])


def test_performance_trends(conn, athlete, history) -> None:
    trends = queries.performance_trends(conn, athlete.pk, weeks=2, today=TODAY)
    assert list(trends["activity_id"]) == [history["A"].pk, history["B"].pk, history["C"].pk]
    assert list(trends["speed_kmh"].round(6)) == [12.0, 15.0, 12.0]
    # The moving averages see F (10 km in 45 min, 13.33 km/h, on 10 February), before the window:
    # the window's first run carries a mean of two runs, not its own speed alone.
    f_kmh = 10.0 / 0.75
    assert list(trends["speed_runs"]) == [2, 3, 4]
    assert list(trends["speed_trend_kmh"].round(6)) == [
        round(value, 6) for value in ((f_kmh + 12) / 2, (f_kmh + 27) / 3, (f_kmh + 39) / 4)
    ]
    loads = [trimp(2700, 155), trimp(3000, 150), trimp(1200, 160)]
    assert trends["load_stability"].iloc[0] == pytest.approx(float(np.std(loads[:2], ddof=1)))
    assert trends["load_stability"].iloc[1] == pytest.approx(float(np.std(loads, ddof=1)))
    assert trends["load_stability"].iloc[2] == pytest.approx(float(np.std(loads, ddof=1)))  # C has no load


def test_performance_trends_in_a_window(conn, athlete, history) -> None:
    """A window of its own days: its runs only, their means still reaching back before it."""
    trends = queries.performance_trends(
        conn, athlete.pk, today=TODAY, start=dt.date(2026, 3, 9), end=dt.date(2026, 3, 11)
    )
    assert list(trends["activity_id"]) == [history["C"].pk]
    assert list(trends["speed_runs"]) == [4]
    early = queries.performance_trends(
        conn, athlete.pk, today=TODAY, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)
    )
    assert list(early["activity_id"]) == [history["F"].pk] and list(early["speed_runs"]) == [1]


def test_period_totals_count_the_days_of_the_window(conn, athlete, history) -> None:
    week = queries.period_totals(conn, athlete.pk, dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert week["distance_km"] == pytest.approx(15.0) and week["runs"] == 2 and week["activities"] == 2
    assert week["longest_km"] == pytest.approx(10.0)
    one_day = queries.period_totals(conn, athlete.pk, dt.date(2026, 3, 11), dt.date(2026, 3, 11))
    assert one_day["runs"] == 0 and one_day["activities"] == 1 and one_day["distance_km"] == 0.0
    empty = queries.period_totals(conn, athlete.pk, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert empty["activities"] == 0 and empty["avg_speed_kmh"] is None and empty["longest_km"] is None


def test_zones_vma_and_load_honour_a_window(conn, athlete, history) -> None:
    monday, sunday = dt.date(2026, 3, 2), dt.date(2026, 3, 8)
    zones = queries.zones_analysis(conn, athlete.pk, today=TODAY, start=monday, end=sunday)
    assert zones.activities == 2  # A and B; C (no HR) and the later weeks are outside
    february = queries.estimate_vma(
        conn, athlete.pk, today=TODAY, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)
    )
    assert february.activity_id == history["F"].pk
    load = queries.training_load(conn, athlete.pk, today=TODAY, start=monday, end=sunday)
    assert list(load.series["day"]) == [dt.date(2026, 3, 2) + dt.timedelta(days=n) for n in range(7)]
    whole = queries.training_load(conn, athlete.pk, days=14, today=dt.date(2026, 3, 8))
    assert load.series["ctl"].iloc[-1] == pytest.approx(whole.series["ctl"].iloc[-1])


def test_zones_analysis_uses_karvonen_with_a_measured_resting_hr(conn, athlete, history) -> None:
    analysis = queries.zones_analysis(conn, athlete.pk, weeks=2, today=TODAY)
    assert analysis.method == "karvonen" and analysis.hr_max == 190 and analysis.hr_max_source == "measured"
    table = analysis.table.set_index("zone")
    assert list(table["low_bpm"]) == [120, 134, 148, 162, 176]
    # D (130 bpm) is in zone 1; A, B and E (150, 160, 150) in zone 3; C has no HR.
    assert list(table["activities"]) == [1, 0, 3, 0, 0]
    assert table.loc[1, "hours"] == pytest.approx(1.0)
    assert table.loc[3, "hours"] == pytest.approx((3000 + 1200 + 5040) / 3600)
    assert table["share"].sum() == pytest.approx(1.0)
    assert analysis.share_from_samples == 0.0


def test_zones_analysis_falls_back_to_percent_of_an_estimated_hr_max(conn, make_user, store) -> None:
    runner = make_user()
    runner.profile.birth_year = 1986
    runner.profile.save()
    add(runner, "2026-03-10", 8_000, 2400, 150, 170)
    sync.sync(store)
    analysis = queries.zones_analysis(conn, runner.pk, weeks=2, today=TODAY)
    assert analysis.method == "percent of HR max"
    assert analysis.hr_max == pytest.approx(208 - 0.7 * (2026 - 1986))
    assert "estimated from age" in analysis.note


def test_predict_race_from_a_single_10k(conn, make_user, store) -> None:
    runner = make_user()
    add(runner, "2026-03-08", 10_000, 2400, 165, 180)
    sync.sync(store)
    prediction = queries.predict_race(conn, runner.pk, 5000, today=TODAY)
    best_vdot = metrics.vdot(10_000, 2400)
    vdot_time = metrics.race_time_for_vdot(best_vdot, 5000)
    riegel_time = 2400 * 0.5**1.06
    assert prediction.vdot == pytest.approx(best_vdot)
    assert prediction.vdot_time_s == pytest.approx(vdot_time)
    assert prediction.riegel_time_s == pytest.approx(riegel_time)
    assert prediction.personal_time_s is None
    assert prediction.time_s == pytest.approx((vdot_time + 0.5 * riegel_time) / 1.5)
    assert prediction.confidence_factors["recency"] == pytest.approx(math.exp(-7 / 120), abs=0.01)
    assert prediction.confidence_factors["extrapolation"] == pytest.approx(
        math.exp(-0.35 * math.log(2)), abs=0.01
    )
    assert prediction.confidence_factors["amount"] == pytest.approx(1 - math.exp(-1 / 4), abs=0.01)
    assert 0 < prediction.confidence < 1
    assert prediction.basis is not None and prediction.basis.distance_m == 10_000


def test_predict_race_leaves_out_impossible_paces(conn, athlete, history) -> None:
    prediction = queries.predict_race(conn, athlete.pk, 42_195, today=TODAY)
    # The 2 min/km "marathon" would predict a world record; it is not a basis.
    assert prediction.basis is not None and prediction.basis.activity_id != history["E"].pk
    assert prediction.time_s is not None and prediction.time_s > 2.5 * 3600


def test_personal_exponent_from_several_distances(conn, make_user, store) -> None:
    runner = make_user()
    # Races following T = 180 * D_km^1.10: the personal curve must find 1.10.
    for day, km in (("2026-02-01", 3.0), ("2026-02-08", 5.0), ("2026-02-15", 10.0), ("2026-03-01", 21.0975)):
        add(runner, day, km * 1000, 180 * km**1.10, 170, 185)
    sync.sync(store)
    prediction = queries.predict_race(conn, runner.pk, 42_195, today=TODAY)
    assert prediction.personal_exponent == pytest.approx(1.10, abs=0.005)
    assert prediction.personal_time_s == pytest.approx(180 * 42.195**1.10, rel=0.01)


def test_training_load_is_the_pmc_of_the_daily_loads(conn, athlete, history) -> None:
    load = queries.training_load(conn, athlete.pk, days=10, today=TODAY)
    days = pd.date_range("2026-02-10", TODAY, freq="D")
    trained = {
        "2026-02-10": trimp(2700, 155),
        "2026-03-02": trimp(3000, 150),
        "2026-03-04": trimp(1200, 160),
        "2026-03-11": trimp(3600, 130),
        "2026-03-12": trimp(5040, 150),
    }
    daily = pd.Series({pd.Timestamp(day): value for day, value in trained.items()}).reindex(
        days, fill_value=0.0
    )
    expected = metrics.pmc(daily).iloc[-1]
    assert load.today is not None
    assert load.today.fitness == pytest.approx(expected["ctl"])
    assert load.today.fatigue == pytest.approx(expected["atl"])
    assert load.today.form == pytest.approx(expected["tsb"])
    assert load.today.label == queries.load.form_band(expected["tsb"])[0]
    assert len(load.series) == 10 and load.series["day"].iloc[-1] == TODAY


def test_personal_records(conn, athlete, history) -> None:
    records = queries.personal_records(conn, athlete.pk).set_index("effort")
    assert records.loc["best_10k_s", "value"] == pytest.approx(2700)  # F beats A
    assert records.loc["best_10k_s", "activity_id"] == history["F"].pk
    assert records.loc["best_5k_s", "value"] == pytest.approx(1200)
    assert "best_half_s" not in records.index, "the 2 min/km marathon is no record"


def test_estimate_vma(conn, athlete, history) -> None:
    estimate = queries.estimate_vma(conn, athlete.pk, weeks=2, today=TODAY)
    best_vdot = max(metrics.vdot(10_000, 3000), metrics.vdot(5_000, 1200), metrics.vdot(8_000, 2400))
    assert estimate.vma_kmh == pytest.approx(metrics.vma_from_vdot(best_vdot))
    assert estimate.vma_kmh is not None and estimate.vo2max == pytest.approx(3.5 * estimate.vma_kmh)
    assert estimate.activity_id == history["B"].pk


def test_bad_data_is_flagged_with_a_reason_and_never_crashes(conn, store, make_user) -> None:
    runner = make_user()
    runner.profile.hr_max, runner.profile.hr_rest = 180, 50
    runner.profile.save()
    add(runner, "2026-03-09", 42_195, 84 * 60, 150, 165)  # 2 min/km
    add(runner, "2026-03-10", 0.0, 1800, 140, 150)  # no distance
    add(runner, "2026-03-11", 8_000, 2400, 235, 238)  # HR far above the athlete's max
    add(runner, "2026-03-12", 2_000, 2400, 120, 130)  # slower than a walk
    sync.sync(store)
    from analytics import schema

    notes = [
        row.quality_note
        for row in conn.execute(
            schema.activity_table.select()
            .where(schema.activity_table.c.athlete_id == runner.pk)
            .order_by(schema.activity_table.c.local_date)
        )
    ]
    assert "faster than any human" in notes[0]
    assert "no distance" in notes[1]
    assert "far above the athlete's HR max" in notes[2]
    assert "slower than 1 m/s" in notes[3]
    # Only the run with a sound pace (its HR is what is wrong) feeds pace metrics...
    prediction = queries.predict_race(conn, runner.pk, 10_000, today=TODAY)
    assert prediction.basis is not None and prediction.basis.distance_m == 8_000
    assert list(queries.performance_trends(conn, runner.pk, weeks=2, today=TODAY)["distance_km"]) == [8.0]
    # ...and no HR metric uses its heart rate.
    assert queries.zones_analysis(conn, runner.pk, weeks=2, today=TODAY).activities == 3
    board = queries.weekly_dashboard(conn, runner.pk, weeks=1, today=TODAY)
    assert board["max_hr"].iloc[0] == 165


def test_a_new_athlete_gets_not_enough_data_everywhere(conn, store, make_user) -> None:
    newcomer = make_user()
    board = queries.weekly_dashboard(conn, newcomer.pk, weeks=4, today=TODAY)
    assert len(board) == 4 and board["distance_km"].sum() == 0
    assert queries.performance_trends(conn, newcomer.pk, today=TODAY).empty
    assert not queries.zones_analysis(conn, newcomer.pk, today=TODAY).available
    assert not queries.predict_race(conn, newcomer.pk, 10_000, today=TODAY).available
    load = queries.training_load(conn, newcomer.pk, today=TODAY)
    assert load.today is None and "not enough data yet" in load.note
    assert queries.personal_records(conn, newcomer.pk).empty
    assert not queries.estimate_vma(conn, newcomer.pk, today=TODAY).available
    assert not queries.volume_vs_efficiency(conn, newcomer.pk, today=TODAY).available


def test_queries_never_mix_athletes(conn, athlete, stranger, history) -> None:
    mine = queries.weekly_dashboard(conn, athlete.pk, weeks=2, today=TODAY)
    theirs = queries.weekly_dashboard(conn, stranger.pk, weeks=2, today=TODAY)
    assert list(theirs["distance_km"]) == pytest.approx([21.0, 3.0])
    assert mine["distance_km"].sum() == pytest.approx(15.0 + 50.195)
    trend_ids = set(queries.performance_trends(conn, athlete.pk, weeks=2, today=TODAY)["activity_id"])
    assert trend_ids <= {activity.pk for activity in history.values()}
    assert queries.zones_analysis(conn, stranger.pk, weeks=2, today=TODAY).activities == 2
    records = queries.personal_records(conn, athlete.pk)
    assert set(records["activity_id"]) <= {activity.pk for activity in history.values()}


def test_volume_vs_efficiency(conn, store, make_user) -> None:
    runner = make_user()
    runner.profile.hr_max, runner.profile.hr_rest = 190, 50
    runner.profile.save()
    # Twelve weeks: volume climbs and the same HR buys more speed each week.
    start = dt.date(2025, 12, 22)
    for week in range(12):
        for run in range(3):
            day = start + dt.timedelta(weeks=week, days=2 * run)
            km = 6 + week
            add(runner, day.isoformat(), km * 1000, km * 1000 / (3.0 + 0.04 * week), 150, 165)
    sync.sync(store)
    result = queries.volume_vs_efficiency(conn, runner.pk, weeks=12, today=TODAY)
    assert result.available and result.r is not None and result.r > 0.9
    assert "strong link: efficiency rises with volume" in result.interpretation
