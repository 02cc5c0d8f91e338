"""The formulas against published reference values."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from analytics import metrics
from foulee import limits

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


# --- Performance Manager Chart ------------------------------------------------------------------


def pmc_by_loop(loads: list[float]) -> list[tuple[float, float, float]]:
    """The TrainingPeaks recursion written out day by day, as the reference for pmc()."""
    ctl = atl = 0.0
    rows = []
    for load in loads:
        tsb = ctl - atl
        ctl += (load - ctl) / 42
        atl += (load - atl) / 7
        rows.append((ctl, atl, tsb))
    return rows


def test_pmc_by_hand() -> None:
    chart = metrics.pmc([100.0, 0.0, 0.0])
    assert list(chart.columns) == ["ctl", "atl", "tsb"]
    assert isinstance(chart.index, pd.RangeIndex)
    ctl0, atl0 = 100 / 42, 100 / 7
    ctl1, atl1 = ctl0 * 41 / 42, atl0 * 6 / 7
    assert chart["ctl"].tolist() == pytest.approx([ctl0, ctl1, ctl1 * 41 / 42])
    assert chart["atl"].tolist() == pytest.approx([atl0, atl1, atl1 * 6 / 7])
    # Form is yesterday's fitness minus yesterday's fatigue: 0 on day 0, -11.90 after the session.
    assert chart["tsb"].tolist() == pytest.approx([0.0, ctl0 - atl0, ctl1 - atl1])
    assert chart["tsb"][1] == pytest.approx(-11.905, abs=1e-3)


def test_pmc_constants_are_the_trainingpeaks_ones() -> None:
    assert (metrics.CTL_DAYS, metrics.ATL_DAYS) == (42, 7)


def test_pmc_matches_the_recursion_on_a_year_of_loads() -> None:
    loads = np.random.default_rng(7).uniform(0, 250, 365).round(1).tolist()
    chart = metrics.pmc(loads)
    expected = np.array(pmc_by_loop(loads))
    np.testing.assert_allclose(chart.to_numpy(), expected, rtol=1e-12, atol=1e-12)


def test_pmc_constant_load_converges_to_that_load() -> None:
    chart = metrics.pmc([60.0] * 500)
    # (41/42)^500 is 6e-6: both loads have converged and form is back to zero.
    assert chart["ctl"].iloc[-1] == pytest.approx(60.0, rel=1e-4)
    assert chart["atl"].iloc[-1] == pytest.approx(60.0, rel=1e-9)
    assert chart["tsb"].iloc[-1] == pytest.approx(0.0, abs=1e-2)
    assert chart["ctl"].is_monotonic_increasing


def test_pmc_reindexes_dates_to_every_day() -> None:
    loads = pd.Series(
        [80.0, 50.0, 20.0, 40.0],
        index=[dt.date(2024, 3, 1), dt.date(2024, 3, 4), dt.date(2024, 3, 4), dt.date(2024, 3, 6)],
    )
    chart = metrics.pmc(loads)
    assert isinstance(chart.index, pd.DatetimeIndex)
    assert list(chart.index.date) == [dt.date(2024, 3, day) for day in range(1, 7)]
    # Missing days are rest days; two sessions on the same day add up.
    expected = metrics.pmc([80.0, 0.0, 0.0, 70.0, 0.0, 40.0])
    np.testing.assert_allclose(chart.to_numpy(), expected.to_numpy())


def test_pmc_reduces_timestamps_to_days() -> None:
    loads = pd.Series(
        [30.0, 60.0],
        index=pd.DatetimeIndex(
            [dt.datetime(2024, 3, 1, 7, 30, tzinfo=dt.UTC), dt.datetime(2024, 3, 3, 18, tzinfo=dt.UTC)]
        ),
    )
    chart = metrics.pmc(loads)
    assert len(chart) == 3
    np.testing.assert_allclose(chart.to_numpy(), metrics.pmc([30.0, 0.0, 60.0]).to_numpy())


def test_pmc_of_nothing_is_empty() -> None:
    chart = metrics.pmc([])
    assert chart.empty
    assert list(chart.columns) == ["ctl", "atl", "tsb"]


@pytest.mark.parametrize("loads", [[50.0, math.nan, 20.0], [50.0, -1.0], [math.inf]])
def test_pmc_rejects_missing_and_negative_loads(loads: list[float]) -> None:
    with pytest.raises(ValueError, match="daily loads"):
        metrics.pmc(loads)


def test_pmc_rejects_nan_in_a_date_series() -> None:
    with pytest.raises(ValueError, match="NaN"):
        metrics.pmc(pd.Series([50.0, math.nan], index=[dt.date(2024, 1, 1), dt.date(2024, 1, 2)]))


def test_pmc_rejects_a_series_indexed_by_something_else() -> None:
    # Integers would otherwise be read as nanoseconds since 1970.
    with pytest.raises(ValueError, match="dates"):
        metrics.pmc(pd.Series([50.0, 20.0], index=[3, 5]))


# --- Heart-rate and pace zones ------------------------------------------------------------------


def test_hr_zones_of_hr_max() -> None:
    zones = metrics.hr_zones(200)
    assert [zone.low for zone in zones] == pytest.approx([100, 120, 140, 160, 180])
    assert [zone.high for zone in zones] == pytest.approx([120, 140, 160, 180, 200])
    assert [zone.name for zone in zones] == [
        "Z1 recovery",
        "Z2 endurance",
        "Z3 tempo",
        "Z4 threshold",
        "Z5 VO2max",
    ]


def test_hr_zones_are_numbered_as_the_models_validate_them() -> None:
    numbers = [zone.number for zone in metrics.hr_zones(190)]
    assert numbers == list(range(limits.HR_ZONE_RANGE[0], limits.HR_ZONE_RANGE[1] + 1))


def test_karvonen_worked_example() -> None:
    # HRmax 190, HRrest 50: reserve 140 bpm, 70 % of it is 50 + 98 = 148 bpm.
    zones = metrics.karvonen_zones(190, 50)
    assert zones[2].low == pytest.approx(148)
    assert zones[1].high == pytest.approx(148)
    assert zones[0].low == pytest.approx(120)
    assert zones[-1].high == pytest.approx(190)


@pytest.mark.parametrize(
    ("hr", "zone"),
    [(99.9, None), (100, 1), (119.9, 1), (120, 2), (140, 3), (179.9, 4), (180, 5), (200, 5), (230, 5)],
)
def test_zone_of_boundaries(hr: float, zone: int | None) -> None:
    assert metrics.zone_of(hr, metrics.hr_zones(200)) == zone


def test_zone_of_missing_hr_or_no_zones() -> None:
    assert metrics.zone_of(math.nan, metrics.hr_zones(200)) is None
    assert metrics.zone_of(150, []) is None


def test_zone_positions_is_zone_of_for_arrays() -> None:
    zones = metrics.karvonen_zones(185, 48)
    heart_rates = [40.0, 117.0, 130.0, math.nan, 160.0, 184.9, 201.0]
    positions = metrics.zone_positions(heart_rates, zones)
    assert [zones[position].number if position >= 0 else None for position in positions] == [
        metrics.zone_of(hr, zones) for hr in heart_rates
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: metrics.hr_zones(60), "hr_max"),
        (lambda: metrics.hr_zones(300), "hr_max"),
        (lambda: metrics.karvonen_zones(190, 10), "hr_rest"),
        (lambda: metrics.karvonen_zones(110, 115), "above hr_rest"),
    ],
)
def test_hr_zones_reject_implausible_heart_rates(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_pace_zones_for_vdot_50_match_daniels() -> None:
    zones = {zone.name: zone for zone in metrics.pace_zones(50)}
    assert list(zones) == ["E easy", "M marathon", "T threshold", "I interval", "R repetition"]
    assert all(zone.low < zone.high for zone in zones.values())
    # Daniels' threshold pace for VDOT 50, 4:15 /km, is the fast end of T (88 %), printed to the second.
    assert round(1000 / zones["T threshold"].high) == 4 * 60 + 15
    # Daniels' interval pace for VDOT 50, 3:55 /km, lies inside I.
    interval_speed = 1000 / (3 * 60 + 55)
    assert zones["I interval"].low <= interval_speed <= zones["I interval"].high
    # Marathon pace 4:31 /km (Daniels) lies inside M.
    assert zones["M marathon"].low <= 1000 / (4 * 60 + 31) <= zones["M marathon"].high


def test_pace_zones_reuse_speed_at_vdot_fraction() -> None:
    easy = metrics.pace_zones(42)[0]
    assert easy.low == metrics.speed_at_vdot_fraction(42, 0.59)
    assert easy.high == metrics.speed_at_vdot_fraction(42, 0.74)


# --- VMA ----------------------------------------------------------------------------------------


def test_vma_from_vdot_is_the_speed_costing_vdot() -> None:
    vma = metrics.vma_from_vdot(50)
    assert metrics.vo2_cost(vma / 3.6) == pytest.approx(50)
    assert vma == pytest.approx(15.65, abs=0.01)


def test_vma_from_vdot_lies_between_daniels_mile_and_two_mile_speeds() -> None:
    # Daniels: vVO2max is the speed of a race lasting about 10-12 minutes. For VDOT 50 his
    # table gives the mile in 5:50 (16.6 km/h) and two miles in 12:28 (15.5 km/h), and the
    # interval pace 3:55 /km (15.3 km/h) is 95-100 % of it. (3:27 /km, 17.4 km/h, is faster
    # than his mile pace: not vVO2max for VDOT 50.)
    vma = metrics.vma_from_vdot(50)
    mile_kmh = 1609.344 / hms("5:50") * 3.6
    two_miles_kmh = 2 * 1609.344 / hms("12:28") * 3.6
    assert two_miles_kmh < vma < mile_kmh
    interval_kmh = 1000 / hms("3:55") * 3.6
    assert 0.95 <= interval_kmh / vma <= 1.0


def test_vma_from_six_minute_effort() -> None:
    assert metrics.vma_from_six_minute_effort(4.5) == pytest.approx(16.2)


@pytest.mark.parametrize("bad", [0.0, -3.0])
def test_vma_rejects_non_positive_input(bad: float) -> None:
    with pytest.raises(ValueError):
        metrics.vma_from_vdot(bad)
    with pytest.raises(ValueError):
        metrics.vma_from_six_minute_effort(bad)


def test_trimp_per_minute_is_trimp_for_one_minute() -> None:
    per_minute = metrics.trimp_per_minute([40.0, 150.0, 250.0], 50, 190, "F")
    assert per_minute.tolist() == pytest.approx(
        [0.0, metrics.trimp(60, 150, 50, 190, "F"), metrics.trimp(60, 190, 50, 190, "F")]
    )
