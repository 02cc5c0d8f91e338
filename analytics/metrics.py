"""Pure running-physiology formulas. SI units (metres, seconds) unless a name says otherwise.

No I/O and no database here: every function is a formula with its source, so it
can be checked against published tables in isolation.
"""

from __future__ import annotations

import math
from typing import Final, Literal

from foulee.units import SECONDS_PER_HOUR

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


def vo2_cost(speed_mps: float) -> float:
    """Oxygen cost (ml/kg/min) of running at ``speed_mps`` on the flat (Daniels & Gilbert)."""
    metres_per_minute = speed_mps * 60.0
    return _VO2_A + _VO2_B * metres_per_minute + _VO2_C * metres_per_minute**2


def speed_for_vo2(vo2: float) -> float:
    """Running speed (m/s) whose oxygen cost is ``vo2`` ml/kg/min: the inverse of :func:`vo2_cost`."""
    # Positive root of C v^2 + B v + (A - vo2) = 0, v in metres per minute.
    discriminant = _VO2_B**2 - 4.0 * _VO2_C * (_VO2_A - vo2)
    metres_per_minute = (-_VO2_B + math.sqrt(discriminant)) / (2.0 * _VO2_C)
    return metres_per_minute / 60.0


def sustainable_fraction(time_s: float) -> float:
    """Fraction of VO2max an athlete can hold for a race of ``time_s`` (Daniels & Gilbert)."""
    minutes = time_s / 60.0
    return 0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)


def vdot(distance_m: float, time_s: float) -> float:
    """Daniels' VDOT for a race of ``distance_m`` run in ``time_s``."""
    if distance_m <= 0 or time_s <= 0:
        raise ValueError("distance and time must be positive")
    return vo2_cost(distance_m / time_s) / sustainable_fraction(time_s)


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

    Daniels' intensities: easy 0.59-0.74, marathon 0.75-0.84, threshold
    0.83-0.88, interval 0.95-1.00, repetition 1.05-1.20.
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


def trimp(duration_s: float, avg_hr: float, hr_rest: float, hr_max: float, sex: Sex) -> float:
    """Banister's training impulse for ``duration_s`` at ``avg_hr``.

    The heart-rate reserve fraction is clamped to [0, 1]: a mean HR under the
    resting value adds no load, and one above HR max adds no more than HR max.
    """
    if sex not in _TRIMP_FACTORS:
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if hr_max <= hr_rest:
        raise ValueError("hr_max must be above hr_rest")
    if duration_s < 0:
        raise ValueError("duration must not be negative")
    weight, exponent = _TRIMP_FACTORS[sex]
    reserve_fraction = min(max((avg_hr - hr_rest) / (hr_max - hr_rest), 0.0), 1.0)
    return (duration_s / 60.0) * reserve_fraction * weight * math.exp(exponent * reserve_fraction)


# --- Léger & Mercier (1984): the oxygen cost of running is ~3.5 ml/kg/min per km/h -----------
def vo2max_from_vma(vma_kmh: float) -> float:
    """VO2max (ml/kg/min) from maximal aerobic speed: 3.5 x VMA in km/h (Léger & Mercier)."""
    if vma_kmh <= 0:
        raise ValueError("VMA must be positive")
    return 3.5 * vma_kmh


# --- Tanaka, Monahan & Seals (2001), JACC 37:153: HRmax = 208 - 0.7 x age ---------------------
def hr_max_from_age(age_years: float) -> float:
    """Estimated maximal heart rate (bpm) when none was measured."""
    return 208.0 - 0.7 * age_years


def heart_rate_at_reserve(hr_rest: float, hr_max: float, reserve_fraction: float) -> float:
    """Heart rate at a fraction of the heart-rate reserve (Karvonen, 1957)."""
    return hr_rest + reserve_fraction * (hr_max - hr_rest)
