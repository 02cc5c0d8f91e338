"""Compact samples storage, and the features computed from samples, on hand-made runs."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import pytest

from analytics import metrics, samples
from analytics.physiology import resolve
from analytics.readers.model import SAMPLE_COLUMNS, samples_frame

BODY = resolve(sex="F", birth_year=1990, hr_max=190, hr_rest=50)


def steady_run(speed_mps: float = 3.0, minutes: int = 30, hr: float = 150.0) -> pd.DataFrame:
    """One sample a second at constant speed and heart rate."""
    time = np.arange(minutes * 60 + 1, dtype=float)
    return samples_frame(
        {
            "time_s": list(time),
            "distance_m": list(time * speed_mps),
            "speed_mps": [speed_mps] * len(time),
            "hr": [hr] * len(time),
            "lat": list(45.0 + time * 1e-6),
            "lon": list(5.123456789 + time * 1e-6),
        }
    )


def test_encoding_round_trips_with_float32_values_and_exact_positions() -> None:
    frame = steady_run()
    frame.loc[5, "hr"] = np.nan
    data = samples.encode(frame)
    back = samples.decode(samples.ENCODING, data, len(frame))
    assert list(back.columns) == list(SAMPLE_COLUMNS)
    np.testing.assert_allclose(back["distance_m"], frame["distance_m"], rtol=1e-7)
    np.testing.assert_array_equal(back["lat"], frame["lat"])  # float64 kept
    np.testing.assert_array_equal(back["lon"], frame["lon"])
    heart_rate = back["hr"].to_numpy()
    assert np.isnan(heart_rate[5]) and heart_rate[6] == 150.0
    assert back["cadence_spm"].isna().all()
    # Compact: far below the 48 raw bytes a sample of eight float64 columns.
    assert len(data) < 20 * len(frame)


def test_corrupt_or_unknown_encodings_are_refused() -> None:
    frame = steady_run(minutes=1)
    data = samples.encode(frame)
    with pytest.raises(ValueError, match="unknown samples encoding"):
        samples.decode("pickle", data, len(frame))
    with pytest.raises(ValueError, match="corrupt"):
        samples.decode(samples.ENCODING, data, len(frame) + 1)
    with pytest.raises(zlib.error):
        samples.decode(samples.ENCODING, b"not zlib", len(frame))


def test_steady_run_features_match_the_formulas() -> None:
    frame = steady_run(speed_mps=3.0, minutes=30, hr=150.0)
    result = samples.compute(frame, BODY, pace_ok=True, hr_ok=True, whole_vdot=None)
    row = result.row
    assert row["best_1k_s"] == pytest.approx(1000 / 3.0)
    assert row["best_5k_s"] == pytest.approx(5000 / 3.0)
    assert row["best_10k_s"] is None  # only 5.4 km run
    assert row["best_6min_m"] == pytest.approx(360 * 3.0)
    assert row["best_60min_m"] is None
    assert result.vdot is not None
    assert result.vdot == pytest.approx(metrics.vdot(5000, 5000 / 3.0))
    assert result.vma_kmh == pytest.approx(
        max(metrics.vma_from_vdot(result.vdot), metrics.vma_from_six_minute_effort(3.0))
    )
    # Karvonen (rest measured): 150 bpm is 71 % of the reserve 50-190, zone 3.
    zones = [row[f"zone{number}_s"] for number in range(1, 6)]
    assert zones == [0.0, 0.0, pytest.approx(1800.0), 0.0, 0.0]
    assert result.trimp == pytest.approx(metrics.trimp(1800.0, 150.0, 50, 190, "F"))


def test_the_whole_run_vdot_counts_when_it_is_the_best() -> None:
    result = samples.compute(steady_run(), BODY, pace_ok=True, hr_ok=True, whole_vdot=60.0)
    assert result.vdot == 60.0


def test_gps_jumps_are_dropped_and_the_real_efforts_still_found() -> None:
    frame = steady_run(speed_mps=3.0, minutes=10)
    # A 2 km jump in one second: left in, it would make a 1 km "effort" of half a second.
    frame.loc[300:, "distance_m"] += 2000.0
    row = samples.compute(frame, BODY, pace_ok=True, hr_ok=True, whole_vdot=None).row
    assert row["best_1k_s"] == pytest.approx(1000 / 3.0, abs=1.0)
    assert row["best_1min_m"] == pytest.approx(180.0, abs=3.0)
    assert row["best_6min_m"] == pytest.approx(1080.0, abs=3.0)


def test_implausible_efforts_are_left_out() -> None:
    # 9 m/s for 10 minutes (a car, or a bike recorded as a run): no human best effort.
    result = samples.compute(
        steady_run(speed_mps=9.0, minutes=10), BODY, pace_ok=True, hr_ok=True, whole_vdot=None
    )
    assert all(result.row[key] is None for key in result.row if key.startswith("best_"))
    assert result.vdot is None and result.vma_kmh is None


def test_world_records_are_plausible() -> None:
    # 1000 m in 2:11.96 (Ngeny, 1999), 5000 m in 12:35.36 (Cheptegei, 2020),
    # the marathon in 2:00:35 (Kiptum, 2023).
    assert samples._plausible(1000.0, 131.96)
    assert samples._plausible(5000.0, 755.36)
    assert samples._plausible(42195.0, 7235.0)
    assert not samples._plausible(1000.0, 120.0)


def test_bad_verdicts_keep_pace_and_hr_out() -> None:
    result = samples.compute(steady_run(), BODY, pace_ok=False, hr_ok=False, whole_vdot=None)
    assert result.trimp is None
    assert all(value is None for value in result.row.values())
    assert result.vdot is None and result.vma_kmh is None


def test_hr_below_zone_one_still_gives_a_load() -> None:
    result = samples.compute(steady_run(hr=80.0), BODY, pace_ok=True, hr_ok=True, whole_vdot=None)
    assert result.trimp is not None and result.trimp > 0
    assert [result.row[f"zone{number}_s"] for number in range(1, 6)] == [0.0] * 5


def test_a_device_stepping_back_a_metre_is_smoothed_not_fatal() -> None:
    frame = steady_run(minutes=5)
    distance = frame["distance_m"].to_numpy(copy=True)
    distance[100] -= 1.0
    frame["distance_m"] = distance
    row = samples.compute(frame, BODY, pace_ok=True, hr_ok=True, whole_vdot=None).row
    assert row["best_1min_m"] == pytest.approx(180.0, abs=1.0)
