"""The formulas against published reference values."""

from __future__ import annotations

import math

import pytest

from analytics import metrics

MARATHON_M = 42_195.0
HALF_M = 21_097.5


def hms(text: str) -> float:
    parts = [float(part) for part in text.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


# Daniels' Running Formula (3rd ed.), Table 5.1 "VDOT values associated with
# times raced over popular distances".
DANIELS_TABLE = [
    (30, 5000, "30:40"),
    (30, 10_000, "63:46"),
    (30, HALF_M, "2:21:04"),
    (30, MARATHON_M, "4:49:17"),
    (40, 5000, "24:08"),
    (40, 10_000, "50:03"),
    (40, HALF_M, "1:50:59"),
    (40, MARATHON_M, "3:49:45"),
    (50, 5000, "19:57"),
    (50, 10_000, "41:21"),
    (50, HALF_M, "1:31:35"),
    (50, MARATHON_M, "3:10:49"),
    (60, 5000, "17:03"),
    (60, 10_000, "35:22"),
    (60, HALF_M, "1:18:09"),
    (60, MARATHON_M, "2:43:25"),
]


@pytest.mark.parametrize(("vdot", "distance_m", "time"), DANIELS_TABLE)
def test_race_time_for_vdot_matches_daniels_table(vdot: float, distance_m: float, time: str) -> None:
    # The table is rounded to the second from the same equations; 0.3 % is ~10 s on a marathon.
    assert metrics.race_time_for_vdot(vdot, distance_m) == pytest.approx(hms(time), rel=3e-3)


@pytest.mark.parametrize(("vdot", "distance_m", "time"), DANIELS_TABLE)
def test_vdot_matches_daniels_table(vdot: float, distance_m: float, time: str) -> None:
    assert metrics.vdot(distance_m, hms(time)) == pytest.approx(vdot, abs=0.15)


def test_race_time_is_the_inverse_of_vdot() -> None:
    for distance_m in (1500.0, 5000.0, MARATHON_M):
        for value in (35.0, 47.3, 71.0):
            assert metrics.vdot(distance_m, metrics.race_time_for_vdot(value, distance_m)) == pytest.approx(
                value, abs=1e-3
            )


def test_vo2_cost_and_speed_are_inverse() -> None:
    for speed in (2.0, 3.3, 5.5):
        assert metrics.speed_for_vo2(metrics.vo2_cost(speed)) == pytest.approx(speed)


def test_threshold_pace_for_vdot_50_matches_daniels() -> None:
    # Daniels' training paces for VDOT 50: threshold 4:15 /km, at ~88 % of VDOT.
    threshold_pace = 1000 / metrics.speed_at_vdot_fraction(50, 0.88)
    assert threshold_pace == pytest.approx(4 * 60 + 15, abs=2)


def test_marathon_pace_for_vdot_50_matches_daniels() -> None:
    # Daniels' marathon pace for VDOT 50 is 4:31 /km.
    marathon_pace = metrics.race_time_for_vdot(50, MARATHON_M) / 42.195
    assert marathon_pace == pytest.approx(4 * 60 + 31, abs=2)


def test_riegel_worked_example() -> None:
    # A 20:00 5 km predicts 41:42 for 10 km with the 1.06 exponent: 1200 x 2^1.06 = 2501.9 s.
    assert metrics.riegel(1200, 5000, 10_000) == pytest.approx(2501.9, abs=0.1)
    assert metrics.riegel(1200, 5000, 5000) == 1200
    assert metrics.riegel(1200, 5000, 10_000, exponent=1.0) == pytest.approx(2400)


def test_trimp_by_hand() -> None:
    # 60 min at HRavg 150, rest 50, max 190: dHR = 100/140 = 0.7143.
    reserve = 100 / 140
    expected_male = 60 * reserve * 0.64 * math.exp(1.92 * reserve)
    expected_female = 60 * reserve * 0.86 * math.exp(1.67 * reserve)
    assert metrics.trimp(3600, 150, 50, 190, "M") == pytest.approx(expected_male)
    assert metrics.trimp(3600, 150, 50, 190, "F") == pytest.approx(expected_female)
    assert metrics.trimp(3600, 150, 50, 190, "M") == pytest.approx(108.1, abs=0.1)


def test_trimp_clamps_the_reserve() -> None:
    assert metrics.trimp(3600, 40, 50, 190, "M") == 0
    assert metrics.trimp(3600, 250, 50, 190, "M") == metrics.trimp(3600, 190, 50, 190, "M")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((3600, 150, 50, 190, "X"), "sex"),
        ((3600, 150, 190, 190, "M"), "hr_max"),
        ((-1, 150, 50, 190, "M"), "duration"),
    ],
)
def test_trimp_rejects_nonsense(args: tuple, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError, match=message):
        metrics.trimp(*args)


def test_vo2max_from_vma_leger() -> None:
    assert metrics.vo2max_from_vma(16.0) == pytest.approx(56.0)
    with pytest.raises(ValueError):
        metrics.vo2max_from_vma(0)


def test_hr_max_from_age_tanaka() -> None:
    assert metrics.hr_max_from_age(40) == pytest.approx(180.0)


@pytest.mark.parametrize("bad", [(0, 100), (5000, 0), (-5, 100)])
def test_vdot_rejects_non_positive_input(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError):
        metrics.vdot(*bad)
