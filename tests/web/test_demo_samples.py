"""The demo's recorded samples: shaped by the session, faithful to the summary, analysed as a file's."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from analytics import metrics
from analytics.readers.model import SAMPLE_COLUMNS
from analytics.schema import activity_table, features_table, samples_table, state_table
from analytics.sync import sync
from web.accounts.models import User
from web.activities.models import Activity
from web.demo import history
from web.demo.athletes import ATHLETES, BEGINNER, MARATHONER, TEN_K, DemoAthlete
from web.demo.samples import record_demo_run
from web.demo.world import load_demo
from web.plans.models import SessionType

TODAY = dt.date(2026, 11, 24)


def first_run(athlete: DemoAthlete, kind: SessionType) -> tuple[history.Prescription, history.DemoRun]:
    return next((p, run) for p, run in history.generate_history(athlete, TODAY) if run.session_type == kind)


def recorded(athlete: DemoAthlete, prescription: history.Prescription, run: history.DemoRun) -> pd.DataFrame:
    return record_demo_run(athlete, prescription, run).samples


@pytest.mark.parametrize(
    "kind", [SessionType.EASY, SessionType.LONG, SessionType.TEMPO, SessionType.INTERVALS]
)
@pytest.mark.parametrize("athlete", ATHLETES, ids=lambda a: a.email)
def test_samples_agree_with_the_runs_summary(athlete: DemoAthlete, kind: SessionType) -> None:
    if kind not in {k for _, k in athlete.routine}:
        pytest.skip("not in this athlete's routine")
    prescription, run = first_run(athlete, kind)
    samples = recorded(athlete, prescription, run)
    assert list(samples.columns) == list(SAMPLE_COLUMNS)
    time, distance = samples["time_s"].to_numpy(), samples["distance_m"].to_numpy()
    assert np.all(np.diff(time) > 0) and np.all(np.diff(distance) >= 0)
    assert time[-1] == pytest.approx(run.duration_s, abs=2.0)
    assert distance[-1] == pytest.approx(run.distance_m, abs=5.0)
    moving = samples["speed_mps"].to_numpy() > 0
    assert moving.sum() * 2.0 == pytest.approx(run.moving_time_s, rel=0.02)
    assert samples["hr"].mean() == pytest.approx(run.avg_hr, abs=1.5)
    assert samples["hr"].max() <= athlete.hr_max
    climbed = np.clip(np.diff(samples["altitude_m"].to_numpy()), 0, None).sum()
    assert climbed == pytest.approx(run.elevation_gain_m, rel=0.1, abs=3.0)
    cadence = samples["cadence_spm"].to_numpy()[moving]
    assert 140 < np.median(cadence) < 200


def test_the_same_run_always_gets_the_same_samples() -> None:
    prescription, run = first_run(TEN_K, SessionType.TEMPO)
    pd.testing.assert_frame_equal(recorded(TEN_K, prescription, run), recorded(TEN_K, prescription, run))
    other = next(
        (p, r)
        for p, r in history.generate_history(TEN_K, TODAY)
        if r.session_type == SessionType.TEMPO and r.start_time != run.start_time
    )
    assert not recorded(TEN_K, *other)["hr"].equals(recorded(TEN_K, prescription, run)["hr"])


def test_intervals_have_reps_and_recoveries_and_the_heart_lags_behind() -> None:
    prescription, run = first_run(TEN_K, SessionType.INTERVALS)
    samples = recorded(TEN_K, prescription, run)
    speed = samples["speed_mps"].rolling(5, center=True, min_periods=1).mean().to_numpy()
    hr = samples["hr"].to_numpy()
    fast = speed > np.nanmedian(speed[speed > 0]) * 1.15
    # Each rep is one stretch of fast running: as many stretches as the set has reps.
    starts = np.flatnonzero(fast[1:] & ~fast[:-1]) + 1
    long_starts = [s for s in starts if fast[s : s + 60].mean() > 0.8]
    assert len(long_starts) == TEN_K.interval_set[0]
    for start in long_starts:
        end = start + np.argmin(fast[start:])
        rep_hr = hr[start:end]
        # The heart lags behind the legs: still rising well into the rep, highest at its end.
        assert rep_hr[-20:].mean() - rep_hr[:10].mean() > 10
        assert rep_hr[: len(rep_hr) // 4].mean() < rep_hr[len(rep_hr) // 2 :].mean()
    recoveries = ~fast & (np.arange(len(hr)) > long_starts[0]) & (np.arange(len(hr)) < long_starts[-1])
    assert hr[recoveries].mean() < hr[fast].mean() - 5


def test_heart_rate_drifts_up_on_a_steady_long_run() -> None:
    prescription, run = first_run(MARATHONER, SessionType.LONG)
    samples = recorded(MARATHONER, prescription, run)
    moving = samples[samples["speed_mps"] > 0]
    quarter = len(moving) // 4
    second, last = moving["hr"].iloc[quarter : 2 * quarter], moving["hr"].iloc[3 * quarter :]
    assert last.mean() > second.mean() + 2
    # ... while the pace fades a little, not faster.
    assert (
        moving["speed_mps"].iloc[3 * quarter :].mean()
        <= moving["speed_mps"].iloc[quarter : 2 * quarter].mean()
    )


def test_a_tempo_run_is_warm_up_block_cool_down() -> None:
    prescription, run = first_run(TEN_K, SessionType.TEMPO)
    samples = recorded(TEN_K, prescription, run)
    distance, speed = samples["distance_m"].to_numpy(), samples["speed_mps"].to_numpy()
    warm_up = speed[(distance > 200) & (distance < 1300)].mean()
    block = speed[(distance > 2000) & (distance < run.distance_m - 1500)].mean()
    cool_down = speed[distance > run.distance_m - 800].mean()
    assert block > 1.15 * warm_up and block > 1.15 * cool_down


@pytest.fixture
def demo(db: None, store: Engine) -> Engine:
    load_demo(TODAY)
    sync(store)
    return store


def test_every_demo_activity_has_samples_features_and_a_load_from_them(demo: Engine) -> None:
    a, s, f = activity_table.c, samples_table.c, features_table.c
    with demo.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(samples_table)).scalar_one()
        featured = conn.execute(
            select(func.count()).select_from(features_table).where(f.zone1_s.is_not(None))
        )
        grouped = conn.execute(select(a.load_method, func.count()).group_by(a.load_method)).all()
        methods = {str(row[0]): int(row[1]) for row in grouped}
        counts: int = conn.execute(select(func.sum(s.sample_count))).scalar_one()
    assert stored == Activity.objects.count() > 600
    assert featured.scalar_one() == stored
    assert methods == {"hr_samples": stored}
    assert counts > 500_000


@pytest.mark.parametrize("athlete", ATHLETES, ids=lambda a: a.email)
def test_best_efforts_exist_for_every_demo_athlete(demo: Engine, athlete: DemoAthlete) -> None:
    user = User.objects.get(email=athlete.email)
    a, f = activity_table.c, features_table.c
    with demo.connect() as conn:
        best_5k: float | None = conn.execute(
            select(func.min(f.best_5k_s))
            .select_from(features_table.join(activity_table, a.id == f.activity_id))
            .where(a.athlete_id == user.pk)
        ).scalar_one()
        best_1k: float | None = conn.execute(
            select(func.min(f.best_1k_s))
            .select_from(features_table.join(activity_table, a.id == f.activity_id))
            .where(a.athlete_id == user.pk)
        ).scalar_one()
    assert best_5k is not None and best_1k is not None
    # A best 5 km near what the athlete's fitness allows (a tempo block, a race), not a jog.
    assert best_5k < 1.15 * metrics.race_time_for_vdot(athlete.vdot_end, 5000.0)
    assert best_1k < best_5k / 5


def test_an_edited_demo_activity_keeps_its_samples_and_their_load(demo: Engine) -> None:
    activity = Activity.objects.filter(user__email=BEGINNER.email).order_by("-start_time").first()
    assert activity is not None
    a, f = activity_table.c, features_table.c
    with demo.connect() as conn:
        before = conn.execute(select(a.training_load, a.load_method).where(a.id == activity.pk)).one()
    activity.name = "Footing du soir"
    activity.save()
    report = sync(demo)
    assert report.activities == 1
    with demo.connect() as conn:
        after = conn.execute(select(a.training_load, a.load_method).where(a.id == activity.pk)).one()
        zones: float | None = conn.execute(select(f.zone2_s).where(f.activity_id == activity.pk)).scalar_one()
    assert after == before and after.load_method == "hr_samples"
    assert zones is not None


def test_loading_the_demo_again_gives_a_rebuilt_store_its_samples_back(demo: Engine) -> None:
    a, s = activity_table.c, samples_table.c
    with demo.connect() as conn:
        before = {int(row[0]): bytes(row[1]) for row in conn.execute(select(s.activity_id, s.data))}
    # The athlete's own entry is no demo run: it must not get invented samples.
    user = User.objects.get(email=TEN_K.email)
    own = Activity.objects.create(
        user=user,
        start_time=dt.datetime(2026, 11, 23, 18, 5, tzinfo=dt.UTC),
        distance_m=5000.0,
        duration_s=1500.0,
        moving_time_s=1500.0,
        avg_hr=150.0,
    )
    with demo.begin() as conn:
        for table in (samples_table, features_table, activity_table):
            conn.execute(table.delete())
        conn.execute(state_table.delete())
    accounts = load_demo(TODAY)
    assert not any(account.created for account in accounts)
    with demo.connect() as conn:
        after = {int(row[0]): bytes(row[1]) for row in conn.execute(select(s.activity_id, s.data))}
        method: str | None = conn.execute(select(a.load_method).where(a.id == own.pk)).scalar_one()
    assert after == before
    assert own.pk not in after and method == "hr_avg"
