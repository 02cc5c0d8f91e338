"""Pure running-physiology formulas. SI units (metres, seconds) unless a name says otherwise.

No I/O and no database here: every function is a formula with its source, so it
can be checked against published tables in isolation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from foulee import formatting, limits
from foulee.units import MPS_TO_KMH, SECONDS_PER_HOUR, kmh

Sex = Literal["M", "F"]

# Resting metabolic rate, ml O2/kg/min (one MET).
RESTING_VO2: Final = 3.5


# --- Daniels & Gilbert (1979), "Oxygen Power"; J. Daniels, "Daniels' Running Formula" --------
# Oxygen cost of running at velocity v (metres per minute), ml O2/kg/min:
#     VO2 = -4.60 + 0.182258 v + 0.000104 v^2
# Fraction of VO2max sustainable for a race lasting t minutes:
#     %max = 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)
# VDOT = VO2 / %max.
_VO2_A: Final = -4.60
_VO2_B: Final = 0.182258
_VO2_C: Final = 0.000104


# The formulas are written once, on numpy arrays (``_``-prefixed); the public
# scalar functions validate their input and call them, and the ``*_array``
# variants serve the vectorised sync, where invalid rows become NaN.
FloatArray: TypeAlias = npt.NDArray[np.float64]


def _vo2_cost(speed_mps: npt.ArrayLike) -> FloatArray:
    metres_per_minute = np.asarray(speed_mps, dtype=np.float64) * 60.0
    cost: FloatArray = _VO2_A + _VO2_B * metres_per_minute + _VO2_C * metres_per_minute**2
    return cost


def _speed_for_vo2(vo2: npt.ArrayLike) -> FloatArray:
    # Positive root of C v^2 + B v + (A - vo2) = 0, v in metres per minute.
    discriminant = _VO2_B**2 - 4.0 * _VO2_C * (_VO2_A - np.asarray(vo2, dtype=np.float64))
    with np.errstate(invalid="ignore"):
        metres_per_minute = (-_VO2_B + np.sqrt(discriminant)) / (2.0 * _VO2_C)
    speed: FloatArray = metres_per_minute / 60.0
    return speed


def _sustainable_fraction(time_s: npt.ArrayLike) -> FloatArray:
    minutes = np.asarray(time_s, dtype=np.float64) / 60.0
    fraction: FloatArray = (
        0.8 + 0.1894393 * np.exp(-0.012778 * minutes) + 0.2989558 * np.exp(-0.1932605 * minutes)
    )
    return fraction


def vo2_cost(speed_mps: float) -> float:
    """Oxygen cost (ml/kg/min) of running at ``speed_mps`` on the flat (Daniels & Gilbert)."""
    return float(_vo2_cost(speed_mps))


def vo2_cost_array(speed_mps: npt.ArrayLike) -> FloatArray:
    """:func:`vo2_cost` element-wise, for speeds sampled along an activity."""
    return _vo2_cost(speed_mps)


def speed_for_vo2(vo2: float) -> float:
    """Running speed (m/s) whose oxygen cost is ``vo2`` ml/kg/min: the inverse of :func:`vo2_cost`."""
    return float(_speed_for_vo2(vo2))


def sustainable_fraction(time_s: float) -> float:
    """Fraction of VO2max an athlete can hold for a race of ``time_s`` (Daniels & Gilbert)."""
    return float(_sustainable_fraction(time_s))


def vdot_array(distance_m: npt.ArrayLike, time_s: npt.ArrayLike) -> FloatArray:
    """:func:`vdot` element-wise; NaN where the distance or the time is not positive."""
    distance = np.asarray(distance_m, dtype=np.float64)
    time = np.asarray(time_s, dtype=np.float64)
    valid = (distance > 0) & (time > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = _vo2_cost(distance / time) / _sustainable_fraction(time)
    result: FloatArray = np.where(valid, value, np.nan)
    return result


def vdot(distance_m: float, time_s: float) -> float:
    """Daniels' VDOT for a race of ``distance_m`` run in ``time_s``."""
    if distance_m <= 0 or time_s <= 0:
        raise ValueError("distance and time must be positive")
    return float(vdot_array(distance_m, time_s))


def race_time_for_vdot(vdot_value: float, distance_m: float) -> float:
    """The race time (s) over ``distance_m`` that a runner of ``vdot_value`` can achieve.

    VDOT falls strictly as time grows for a fixed distance, so bisection on
    time converges to the unique solution (to a hundredth of a second).
    """
    if vdot_value <= 0 or distance_m <= 0:
        raise ValueError("VDOT and distance must be positive")
    fastest, slowest = 1.0, 7 * 24 * SECONDS_PER_HOUR
    if vdot(distance_m, slowest) > vdot_value:
        raise ValueError("VDOT too low for this distance")
    while slowest - fastest > 0.01:
        middle = (fastest + slowest) / 2.0
        if vdot(distance_m, middle) > vdot_value:
            fastest = middle
        else:
            slowest = middle
    return (fastest + slowest) / 2.0


def speed_at_vdot_fraction(vdot_value: float, fraction: float) -> float:
    """Training speed (m/s) at ``fraction`` of VDOT, as Daniels prescribes paces.

    Daniels' intensities are in :data:`DANIELS_INTENSITIES`.
    """
    return speed_for_vo2(vdot_value * fraction)


# --- Riegel (1981), "Athletic records and human endurance", American Scientist 69:285 ---------
def riegel(time_s: float, from_m: float, to_m: float, exponent: float = 1.06) -> float:
    """Predicted time over ``to_m`` from a performance of ``time_s`` over ``from_m``: T2 = T1 (D2/D1)^k."""
    if time_s <= 0 or from_m <= 0 or to_m <= 0:
        raise ValueError("time and distances must be positive")
    return time_s * float((to_m / from_m) ** exponent)


# --- Banister (1991) TRIMP; sex factors from Morton, Fitz-Clarke & Banister (1990) -------------
# TRIMP = duration_min x dHR x a e^(b dHR), dHR = (HRavg - HRrest) / (HRmax - HRrest),
# with a = 0.64, b = 1.92 for men and a = 0.86, b = 1.67 for women.
_TRIMP_FACTORS: Final[dict[str, tuple[float, float]]] = {"M": (0.64, 1.92), "F": (0.86, 1.67)}


def trimp_per_minute(hr: npt.ArrayLike, hr_rest: float, hr_max: float, sex: Sex) -> npt.NDArray[np.float64]:
    """Banister's TRIMP accumulated per minute at heart rate ``hr`` (a scalar or an array).

    The one definition of the weighting, shared by :func:`trimp` (one mean HR
    for a whole session) and the per-sample sum in ``analytics.efforts``, so
    that both agree when the heart rate is constant. The heart-rate reserve
    fraction is clamped to [0, 1]: a HR under the resting value adds no load,
    and one above HR max adds no more than HR max. A NaN HR gives NaN.
    """
    if sex not in _TRIMP_FACTORS:
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if hr_max <= hr_rest:
        raise ValueError("hr_max must be above hr_rest")
    return _trimp_weighting(hr, hr_rest, hr_max, sex == "F")


def _trimp_weighting(
    hr: npt.ArrayLike, hr_rest: npt.ArrayLike, hr_max: npt.ArrayLike, female: npt.ArrayLike
) -> FloatArray:
    male_weight, male_exponent = _TRIMP_FACTORS["M"]
    female_weight, female_exponent = _TRIMP_FACTORS["F"]
    weight = np.where(female, female_weight, male_weight)
    exponent = np.where(female, female_exponent, male_exponent)
    rest = np.asarray(hr_rest, dtype=np.float64)
    reserve_fraction = np.clip(
        (np.asarray(hr, dtype=np.float64) - rest) / (np.asarray(hr_max) - rest), 0.0, 1.0
    )
    weighting: FloatArray = reserve_fraction * weight * np.exp(exponent * reserve_fraction)
    return weighting


def trimp_array(
    duration_s: npt.ArrayLike,
    avg_hr: npt.ArrayLike,
    hr_rest: npt.ArrayLike,
    hr_max: npt.ArrayLike,
    female: npt.ArrayLike,
) -> FloatArray:
    """:func:`trimp` element-wise, each row with its own physiology; NaN where HR is NaN.

    The caller guarantees ``hr_max > hr_rest`` (``analytics.physiology`` does).
    """
    minutes = np.asarray(duration_s, dtype=np.float64) / 60.0
    load: FloatArray = minutes * _trimp_weighting(avg_hr, hr_rest, hr_max, female)
    return load


def trimp(duration_s: float, avg_hr: float, hr_rest: float, hr_max: float, sex: Sex) -> float:
    """Banister's training impulse for ``duration_s`` at ``avg_hr``.

    The heart-rate reserve fraction is clamped to [0, 1]: a mean HR under the
    resting value adds no load, and one above HR max adds no more than HR max.
    """
    per_minute = trimp_per_minute(avg_hr, hr_rest, hr_max, sex)
    if duration_s < 0:
        raise ValueError("duration must not be negative")
    return (duration_s / 60.0) * float(per_minute)


# --- Léger & Mercier (1984): the oxygen cost of running is ~3.5 ml/kg/min per km/h -----------
def vo2max_from_vma(vma_kmh: float) -> float:
    """VO2max (ml/kg/min) from maximal aerobic speed: 3.5 x VMA in km/h (Léger & Mercier)."""
    if vma_kmh <= 0:
        raise ValueError("VMA must be positive")
    return 3.5 * vma_kmh


# --- VMA (vitesse maximale aérobie): the lowest speed that elicits VO2max ----------------------
# Billat & Koralsztein (1996), Sports Med 22:90: the time to exhaustion at that
# speed is about 4 to 11 minutes, ~6 minutes on average; hence the French
# "demi-Cooper" field test (the distance covered in 6 minutes) and the
# Université de Montréal track test (Léger & Boucher, 1980) that both measure it.
# Daniels calls the same speed vVO2max: the speed whose oxygen cost equals VDOT.
def vma_from_vdot(vdot_value: float) -> float:
    """VMA (km/h) of a runner of ``vdot_value``: the speed whose Daniels oxygen cost equals VDOT.

    VDOT is a VO2max inferred from races, so the speed that costs exactly VDOT
    is the runner's vVO2max, the pace of a race lasting about 11 minutes (the
    duration at which Daniels' sustainable fraction reaches 1).
    """
    if vdot_value <= 0:
        raise ValueError("VDOT must be positive")
    return float(vma_from_vdot_array(vdot_value))


def vma_from_vdot_array(vdot_values: npt.ArrayLike) -> FloatArray:
    """:func:`vma_from_vdot` element-wise; NaN stays NaN."""
    vma: FloatArray = _speed_for_vo2(vdot_values) * MPS_TO_KMH
    return vma


def vma_from_six_minute_effort(speed_mps: float) -> float:
    """VMA (km/h) from the best mean speed held over 6 minutes (half-Cooper test).

    VO2max can be sustained for about 6 minutes, so an all-out 6-minute effort
    is run at VMA: the best 6-minute speed of a recorded run is a direct,
    slightly conservative estimate (an effort that was not all-out reads low).
    """
    if speed_mps <= 0:
        raise ValueError("speed must be positive")
    return kmh(speed_mps)


# --- Tanaka, Monahan & Seals (2001), JACC 37:153: HRmax = 208 - 0.7 x age ---------------------
def hr_max_from_age(age_years: float) -> float:
    """Estimated maximal heart rate (bpm) when none was measured."""
    return 208.0 - 0.7 * age_years


def heart_rate_at_reserve(hr_rest: float, hr_max: float, reserve_fraction: float) -> float:
    """Heart rate at a fraction of the heart-rate reserve (Karvonen, 1957)."""
    return hr_rest + reserve_fraction * (hr_max - hr_rest)


# --- Performance Manager Chart: Banister's impulse-response model as TrainingPeaks draws it ------
# Coggan's Performance Manager (TrainingPeaks, WKO): chronic training load
# (fitness), acute training load (fatigue) and training stress balance (form):
#     CTL_t = CTL_{t-1} + (load_t - CTL_{t-1}) / CTL_DAYS
#     ATL_t = ATL_{t-1} + (load_t - ATL_{t-1}) / ATL_DAYS
#     TSB_t = CTL_{t-1} - ATL_{t-1}        (today's form is yesterday's fitness minus fatigue)
# with CTL and ATL starting from 0. Golden Cheetah and intervals.icu use the
# exponential form, decay exp(-1/τ) instead of 1 - 1/τ: the daily gain differs by
# ~1 % for CTL and ~7 % for ATL, so their numbers are not comparable one to one.
CTL_DAYS: Final = 42
ATL_DAYS: Final = 7


# A string: pandas' Series is generic only in pandas-stubs, not at run time.
DailyLoads: TypeAlias = "Sequence[float] | npt.NDArray[np.float64] | pd.Series[float]"


def pmc(daily_loads: DailyLoads) -> pd.DataFrame:
    """Fitness (``ctl``), fatigue (``atl``) and form (``tsb``), one row a day.

    ``daily_loads`` is either positional (day 0 to n-1; the result has a
    RangeIndex) or a date-indexed pandas Series. Dates are reduced to the day,
    loads on the same day add up (one entry per activity is fine), and every
    calendar day between the first and the last date is present in the result
    with a load of 0 on days without training: a rest day is what lets fatigue
    fall, so leaving it out would be wrong. NaN or negative loads raise
    ValueError rather than being read as rest: a missing value is not a rest day.
    """
    loads = _daily_load_series(daily_loads)
    # pandas' ewm(adjust=False) is the recursion y_t = y_{t-1} + alpha (x_t - y_{t-1}) seeded
    # with y_0 = x_0 (equal to a day-by-day loop to 1e-12, see the tests); a leading zero seeds
    # it with 0 as the PMC does, and the padded rows, shifted by one, are yesterday's for TSB.
    padded = pd.Series(np.concatenate(([0.0], loads.to_numpy(dtype=np.float64))))
    ctl = padded.ewm(alpha=1.0 / CTL_DAYS, adjust=False).mean().to_numpy()
    atl = padded.ewm(alpha=1.0 / ATL_DAYS, adjust=False).mean().to_numpy()
    return pd.DataFrame({"ctl": ctl[1:], "atl": atl[1:], "tsb": (ctl - atl)[:-1]}, index=loads.index)


def _daily_load_series(daily_loads: DailyLoads) -> pd.Series[float]:
    """The loads as a Series with one row a day, checked for NaN and negative values."""
    if isinstance(daily_loads, pd.Series):
        values = daily_loads.to_numpy(dtype=np.float64)
        index = daily_loads.index
    else:
        values = np.asarray(daily_loads, dtype=np.float64)
        index = pd.RangeIndex(len(values))
    if values.ndim != 1:
        raise ValueError("daily loads must be one-dimensional")
    if not np.all(np.isfinite(values)):
        raise ValueError("daily loads must not contain NaN or infinite values")
    if np.any(values < 0):
        raise ValueError("daily loads must not be negative")
    if isinstance(index, pd.RangeIndex):
        return pd.Series(values, index=index, dtype=np.float64)
    if len(values) == 0:
        return pd.Series(values, index=pd.DatetimeIndex([], name=index.name), dtype=np.float64)
    # Integers would silently become nanoseconds since 1970: only real dates are dates.
    if not isinstance(index, pd.DatetimeIndex) and index.inferred_type not in ("date", "datetime"):
        raise ValueError("daily loads must be a sequence or a Series indexed by dates")
    days = pd.DatetimeIndex(pd.to_datetime(index)).normalize()
    per_day = pd.Series(values, index=days, dtype=np.float64).groupby(level=0).sum()
    every_day = pd.date_range(per_day.index[0], per_day.index[-1], freq="D", name=index.name)
    return per_day.reindex(every_day, fill_value=0.0)


# --- Training zones ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Zone:
    """One training zone: ``low`` to ``high`` in bpm for heart-rate zones, in m/s for pace zones."""

    number: int
    name: str
    low: float
    high: float

    @property
    def low_bpm(self) -> int:
        """The lower bound in whole bpm, as every page, reply and API shows it (rounded half up)."""
        return whole_bpm(self.low)

    @property
    def high_bpm(self) -> int:
        """The upper bound in whole bpm, as every page, reply and API shows it (rounded half up)."""
        return whole_bpm(self.high)


def whole_bpm(heart_rate: float) -> int:
    """A heart rate in whole beats per minute, by the one rounding rule (:func:`foulee.formatting.rounded`).

    Zones are computed in fractional bpm (Karvonen at 60 and 179 puts Z1 at 119.5); shown,
    that is 120 on the profile page, in the coach's reply and in the API alike.
    """
    return int(formatting.rounded(heart_rate, 0))


# Five heart-rate zones at 50-60-70-80-90-100 % of HR max: S. Edwards, "The Heart
# Rate Monitor Book" (1993), the zones of her summated-zone TRIMP; the same fractions of
# the heart-rate reserve give Karvonen zones. The one place for the boundaries.
HR_ZONE_BOUNDARIES: Final = (0.50, 0.60, 0.70, 0.80, 0.90, 1.00)
HR_ZONE_NAMES: Final = ("Z1 recovery", "Z2 endurance", "Z3 tempo", "Z4 threshold", "Z5 VO2max")


def hr_zones(hr_max: float) -> list[Zone]:
    """Heart-rate zones (bpm) as fractions of HR max, for athletes without a resting HR."""
    _check_hr_max(hr_max)
    return _hr_zones_between(0.0, hr_max)


def karvonen_zones(hr_max: float, hr_rest: float) -> list[Zone]:
    """Heart-rate zones (bpm) as fractions of the heart-rate reserve (Karvonen, Kentala & Mustala, 1957).

    Preferred when a resting HR is known: the reserve tracks the oxygen uptake
    reserve more closely than a fraction of HR max does (Swain & Leutholtz, 1997).
    """
    _check_hr_max(hr_max)
    low_rest, high_rest = limits.HR_REST_RANGE_BPM
    if not low_rest <= hr_rest <= high_rest:
        raise ValueError(f"hr_rest must be between {low_rest} and {high_rest} bpm")
    if hr_rest >= hr_max:
        raise ValueError("hr_max must be above hr_rest")
    return _hr_zones_between(hr_rest, hr_max)


def _check_hr_max(hr_max: float) -> None:
    low_max, high_max = limits.HR_MAX_RANGE_BPM
    if not low_max <= hr_max <= high_max:
        raise ValueError(f"hr_max must be between {low_max} and {high_max} bpm")


def _hr_zones_between(hr_rest: float, hr_max: float) -> list[Zone]:
    first_number = limits.HR_ZONE_RANGE[0]
    return [
        Zone(
            number=first_number + position,
            name=name,
            low=heart_rate_at_reserve(hr_rest, hr_max, low),
            high=heart_rate_at_reserve(hr_rest, hr_max, high),
        )
        for position, (name, low, high) in enumerate(
            zip(HR_ZONE_NAMES, HR_ZONE_BOUNDARIES[:-1], HR_ZONE_BOUNDARIES[1:], strict=True)
        )
    ]


def zone_positions(values: npt.ArrayLike, zones: Sequence[Zone]) -> npt.NDArray[np.intp]:
    """Index in ``zones`` of each value, or -1 below the first zone or for NaN.

    The rule behind :func:`zone_of`, vectorised for recorded samples. Zones are
    contiguous and sorted (the heart-rate zones): a boundary belongs to the
    zone above it, and anything above the last zone belongs to the last zone,
    because a HR over the nominal maximum means the maximum was set too low,
    not that the effort was easy. Below the first zone (under 50 % of HR max,
    walking or standing) is no training zone at all.
    """
    samples = np.asarray(values, dtype=np.float64)
    if not zones:
        return np.full(samples.shape, -1, dtype=np.intp)
    lows = np.array([zone.low for zone in zones], dtype=np.float64)
    positions = np.searchsorted(lows, samples, side="right") - 1
    positions[np.isnan(samples)] = -1
    return positions.astype(np.intp)


def zone_of(hr: float, zones: Sequence[Zone]) -> int | None:
    """The number of the zone ``hr`` falls in; None below the first zone (or for NaN).

    A boundary belongs to the upper zone (with :func:`hr_zones` at HR max 200,
    140 bpm is zone 3), and above the top zone is the top zone.
    """
    position = int(zone_positions([hr], zones)[0])
    return zones[position].number if position >= 0 else None


# Daniels' training intensities as fractions of VDOT ("Daniels' Running Formula", ch. 4),
# slowest first: name, lowest fraction, highest fraction.
DANIELS_INTENSITIES: Final = (
    ("E easy", 0.59, 0.74),
    ("M marathon", 0.75, 0.84),
    ("T threshold", 0.83, 0.88),
    ("I interval", 0.95, 1.00),
    ("R repetition", 1.05, 1.20),
)


def pace_zones(vdot_value: float) -> list[Zone]:
    """Daniels' training speeds (m/s) for ``vdot_value``; ``low`` is the slower end of each zone.

    The zones overlap (M and T) and leave gaps (T to I): they are prescriptions
    for sessions, not a partition of every speed, so do not use :func:`zone_of` on them.
    """
    if vdot_value <= 0:
        raise ValueError("VDOT must be positive")
    return [
        Zone(
            number=number,
            name=name,
            low=speed_at_vdot_fraction(vdot_value, low),
            high=speed_at_vdot_fraction(vdot_value, high),
        )
        for number, (name, low, high) in enumerate(DANIELS_INTENSITIES, start=1)
    ]
