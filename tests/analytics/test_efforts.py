"""Best efforts and heart-rate work on synthetic recordings whose answers are known by hand."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from analytics import efforts, metrics


def steady_run(speed_mps: float = 4.0, minutes: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """One sample a second at a constant speed."""
    time_s = np.arange(0.0, minutes * 60 + 1)
    return time_s, speed_mps * time_s


def fast_middle_position(time_s: np.ndarray) -> np.ndarray:
    """10 min at 3 m/s, then 1 km in 200 s at 5 m/s, then 3 m/s again."""
    return np.where(
        time_s < 600, 3 * time_s, np.where(time_s < 800, 1800 + 5 * (time_s - 600), 2800 + 3 * (time_s - 800))
    )


def irregular_times(seed: int, end_s: float) -> np.ndarray:
    """Samples every 1 to 5 s, as smart-recording watches do."""
    steps = np.random.default_rng(seed).uniform(1, 5, int(end_s))
    times = np.concatenate(([0.0], np.cumsum(steps)))
    return times[times <= end_s]


# --- Best efforts --------------------------------------------------------------------------------


def test_steady_run_by_hand() -> None:
    time_s, distance_m = steady_run()
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(250)
    assert efforts.best_time_for_distance(time_s, distance_m, 5000) == pytest.approx(1250)
    assert efforts.best_time_for_distance(time_s, distance_m, 10_000) is None
    assert efforts.best_distance_for_duration(time_s, distance_m, 360) == pytest.approx(1440)
    assert efforts.best_distance_for_duration(time_s, distance_m, 3600) is None


def test_best_efforts_all_at_once() -> None:
    time_s, distance_m = steady_run()
    best = efforts.best_efforts(time_s, distance_m)
    assert list(best.time_for_distance_s) == list(efforts.BEST_EFFORT_DISTANCES_M)
    assert list(best.distance_for_duration_m) == list(efforts.BEST_EFFORT_DURATIONS_S)
    assert best.time_for_distance_s[1609.344] == pytest.approx(402.336)
    assert best.time_for_distance_s[5000.0] == pytest.approx(1250)
    assert best.time_for_distance_s[10000.0] is None
    assert best.time_for_distance_s[21097.5] is None
    assert best.distance_for_duration_m[60.0] == pytest.approx(240)
    assert best.distance_for_duration_m[1200.0] == pytest.approx(4800)
    assert best.distance_for_duration_m[3600.0] is None


def test_fast_middle_segment_is_found() -> None:
    time_s = np.arange(0.0, 1401.0)
    distance_m = fast_middle_position(time_s)
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(200)
    assert efforts.best_distance_for_duration(time_s, distance_m, 60) == pytest.approx(300)
    # 6 min: the whole fast kilometre (200 s) plus 160 s at 3 m/s.
    assert efforts.best_distance_for_duration(time_s, distance_m, 360) == pytest.approx(1480)
    # 2 km: the fast kilometre plus 1 km at 3 m/s.
    assert efforts.best_time_for_distance(time_s, distance_m, 2000) == pytest.approx(200 + 1000 / 3)


def test_a_fraction_of_a_sample_is_interpolated() -> None:
    # Samples every 10 s at 3.7 m/s: 1 km ends between samples, at 270.27 s.
    time_s = np.arange(0.0, 1001.0, 10.0)
    distance_m = 3.7 * time_s
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(1000 / 3.7)
    assert efforts.best_distance_for_duration(time_s, distance_m, 65) == pytest.approx(3.7 * 65)


@pytest.mark.parametrize("seed", range(5))
def test_irregular_sampling_of_a_steady_run(seed: int) -> None:
    time_s = irregular_times(seed, 1800)
    distance_m = 4.0 * time_s
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(250, abs=0.5)
    assert efforts.best_time_for_distance(time_s, distance_m, 5000) == pytest.approx(1250, abs=0.5)
    assert efforts.best_distance_for_duration(time_s, distance_m, 360) == pytest.approx(1440, abs=2)


@pytest.mark.parametrize("seed", range(5))
def test_irregular_sampling_of_a_fast_segment(seed: int) -> None:
    # The watch sampled when the pace changed (lap presses): the answer is exact.
    time_s = np.union1d(irregular_times(seed, 1400), [600.0, 800.0])
    distance_m = fast_middle_position(time_s)
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(200, abs=0.5)
    assert efforts.best_distance_for_duration(time_s, distance_m, 360) == pytest.approx(1480, abs=2)


@pytest.mark.parametrize("seed", range(5))
def test_irregular_sampling_across_a_pace_change(seed: int) -> None:
    # Without a sample at the change, the straight line drawn across it cuts the corner by at
    # most a quarter of (5 - 3 m/s) x 5 s = 2.5 m at each end of the kilometre: at most 5 m,
    # under 2 s, and never faster than the truth, since no interpolated speed exceeds 5 m/s.
    time_s = irregular_times(seed, 1400)
    distance_m = fast_middle_position(time_s)
    best = efforts.best_time_for_distance(time_s, distance_m, 1000)
    assert best is not None
    assert 200 - 1e-9 <= best <= 202


def test_exact_against_a_fine_grid_of_windows() -> None:
    # A brute force on a grid of a million window starts never beats the two-pass search.
    rng = np.random.default_rng(11)
    time_s = np.cumsum(rng.uniform(1, 6, 120))
    distance_m = np.cumsum(rng.uniform(0, 25, 120))
    target = 400.0
    starts = np.linspace(distance_m[0], distance_m[-1] - target, 1_000_000)
    brute = np.min(np.interp(starts + target, distance_m, time_s) - np.interp(starts, distance_m, time_s))
    best = efforts.best_time_for_distance(time_s, distance_m, target)
    assert best is not None
    assert best <= brute + 1e-9
    assert best == pytest.approx(brute, abs=1e-3)


def test_a_stop_is_not_part_of_the_effort() -> None:
    # 500 m, a 60 s stop at a crossing, 500 m: the best 500 m is 125 s, not stretched by the stop.
    time_s = np.concatenate((np.arange(0.0, 126.0), np.arange(126.0, 186.0), np.arange(186.0, 311.0)))
    distance_m = np.concatenate(
        (4.0 * np.arange(0.0, 126.0), np.full(60, 500.0), 500 + 4.0 * np.arange(1.0, 126.0))
    )
    assert efforts.best_time_for_distance(time_s, distance_m, 500) == pytest.approx(125)
    # ... but a 1 km window has to include it: elapsed time.
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(310)


def test_missing_distances_are_dropped() -> None:
    time_s, distance_m = steady_run()
    distance_m[[0, 5, 6, 7, 400, 1799]] = math.nan
    assert efforts.best_time_for_distance(time_s, distance_m, 1000) == pytest.approx(250)
    assert efforts.best_distance_for_duration(time_s, distance_m, 360) == pytest.approx(1440)


def test_too_few_samples_give_none() -> None:
    assert efforts.best_time_for_distance([], [], 1000) is None
    assert efforts.best_time_for_distance([0.0, 1.0], [math.nan, 4.0], 1) is None
    assert efforts.best_distance_for_duration([5.0], [0.0], 60) is None


def test_an_activity_exactly_as_long_as_the_target() -> None:
    time_s, distance_m = steady_run(minutes=5)
    assert efforts.best_distance_for_duration(time_s, distance_m, 300) == pytest.approx(1200)
    assert efforts.best_time_for_distance(time_s, distance_m, 1200) == pytest.approx(300)


def test_three_hours_take_milliseconds() -> None:
    # Guards the O(n log n) promise: a quadratic search on 50 hours of 1 Hz samples would take minutes.
    time_s, distance_m = steady_run(speed_mps=3.0, minutes=50 * 60)
    started = time.perf_counter()
    efforts.best_efforts(time_s, distance_m)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("time_s", "distance_m", "message"),
    [
        ([0.0, 1.0, 2.0], [0.0, 4.0], "same length"),
        ([[0.0, 1.0]], [[0.0, 4.0]], "one-dimensional"),
        ([0.0, 2.0, 1.0], [0.0, 4.0, 8.0], "time_s must be non-decreasing"),
        ([0.0, math.nan, 2.0], [0.0, 4.0, 8.0], "time_s must not contain NaN"),
        ([0.0, 1.0, 2.0], [0.0, 4.0, 3.0], "distance_m must be non-decreasing"),
    ],
)
def test_best_efforts_reject_malformed_samples(time_s: list, distance_m: list, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        efforts.best_time_for_distance(time_s, distance_m, 1000)


def test_targets_must_be_positive() -> None:
    time_s, distance_m = steady_run()
    with pytest.raises(ValueError, match="distance"):
        efforts.best_time_for_distance(time_s, distance_m, 0)
    with pytest.raises(ValueError, match="duration"):
        efforts.best_distance_for_duration(time_s, distance_m, -60)


# --- Heart rate ----------------------------------------------------------------------------------


def test_time_in_zones_by_hand() -> None:
    zones = metrics.hr_zones(200)  # 100-120-140-160-180-200
    time_s = [0, 10, 20, 30, 100, 110, 120, 150, 190, 200]
    hr = [110, 130, 150, math.nan, 170, 190, 80, 120, 150, 160]
    # 0-10 Z1, 10-20 Z2, 20-30 Z3, 30-100 no HR and a gap, 100-110 Z4, 110-120 Z5,
    # 120-150 below Z1 (a 30 s interval still counts), 150-190 is a 40 s gap, 190-200 Z3;
    # the last sample starts no interval.
    assert efforts.time_in_zones(time_s, hr, zones) == pytest.approx([10, 10, 20, 10, 10])
    assert efforts.time_below_zones(time_s, hr, zones) == pytest.approx(30)


def test_time_in_zones_ignores_implausible_heart_rates() -> None:
    zones = metrics.hr_zones(200)
    assert efforts.time_in_zones([0, 5, 10, 15], [0, 255, 150, 150], zones) == pytest.approx([0, 0, 5, 0, 0])
    assert efforts.time_below_zones([0, 5, 10, 15], [0, 255, 150, 150], zones) == 0


def test_time_in_zones_of_a_steady_hour_with_karvonen_zones() -> None:
    zones = metrics.karvonen_zones(190, 50)
    time_s = np.arange(0.0, 3601.0)
    hr = np.full(time_s.shape, 150.0)  # Karvonen zone 3: 148-162
    assert efforts.time_in_zones(time_s, hr, zones) == pytest.approx([0, 0, 3600, 0, 0])


def test_time_in_zones_rejects_mismatched_samples() -> None:
    with pytest.raises(ValueError, match="time_s and hr"):
        efforts.time_in_zones([0, 1, 2], [120, 130], metrics.hr_zones(200))


def test_trimp_from_samples_equals_trimp_on_a_constant_heart_rate() -> None:
    time_s = np.arange(0.0, 3601.0)
    hr = np.full(time_s.shape, 150.0)
    for sex in ("M", "F"):
        assert efforts.trimp_from_samples(time_s, hr, 50, 190, sex) == pytest.approx(
            metrics.trimp(3600, 150, 50, 190, sex)
        )


def test_trimp_from_samples_by_hand() -> None:
    # One sample every 20 s: 10 min at 120 bpm, then 176 bpm from 600 s to the last hard sample
    # at 1180 s (580 s), a 65 s pause (not counted), then an interval with no HR (not counted).
    easy = np.arange(0.0, 600.0, 20.0)
    hard = np.arange(600.0, 1200.0, 20.0)
    time_s = np.concatenate((easy, hard, [1245.0, 1260.0]))
    hr = np.concatenate((np.full(easy.shape, 120.0), np.full(hard.shape, 176.0), [math.nan, 150.0]))
    expected = metrics.trimp(600, 120, 50, 190, "M") + metrics.trimp(580, 176, 50, 190, "M")
    assert efforts.trimp_from_samples(time_s, hr, 50, 190, "M") == pytest.approx(expected)
    # The hard half weighs more than the mean HR says: that is why the sum is per interval.
    assert expected > metrics.trimp(1180, (600 * 120 + 580 * 176) / 1180, 50, 190, "M")


def test_trimp_from_samples_checks_the_profile() -> None:
    with pytest.raises(ValueError, match="sex"):
        efforts.trimp_from_samples([0, 1], [150, 150], 50, 190, "X")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="hr_max"):
        efforts.trimp_from_samples([0, 1], [150, 150], 190, 190, "M")
