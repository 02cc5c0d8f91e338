"""What a watch would have recorded on each demo run, second by second.

A run of the demo history (:mod:`web.demo.history`) is a summary: distance,
moving time, average HR. So that its page has charts, its best efforts and its
time in HR zones come from samples as for an imported file, each run gets a
table of the columns of :data:`analytics.readers.model.SAMPLE_COLUMNS`, built
with numpy in one pass per run (a year of three athletes is ~1 million samples):

* **pace** follows the session: an even easy or long run (the long one fading
  a little at the end, at the same effort), a tempo block between a warm-up and a cool-down,
  reps at interval pace with jogged recoveries, a race with a final kick; a
  slow wobble of a few per cent, slower uphill and faster downhill (about 3 %
  per 1 % of grade), then scaled so the run takes exactly its moving time;
* **heart rate** follows the effort (the flat-ground speed's VO2 as a share of
  VDOT, in proportion to the heart-rate reserve: Swain & Leutholtz, 1997),
  drifts up ~3 % of the reserve per hour, responds with a lag (a first-order
  response, time constant :data:`HR_LAG_S`) and falls during a stop, then is
  shifted so its mean is the run's average HR;
* **elevation** is a rolling profile (a few sine waves of random phase along
  the distance) scaled to the run's elevation gain; **cadence** rises with
  speed; one stop, if the run has pauses, is a stretch of zero speed.

No GPS positions: nothing in Foulée draws a map, and invented streets would
only look real. Every draw is seeded by the athlete and the run's start, so the
same run always gets the same samples.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from analytics import metrics
from analytics.readers.model import SAMPLE_COLUMNS
from web.demo import history
from web.demo.athletes import DemoAthlete
from web.plans.models import SessionType

FloatArray = npt.NDArray[np.float64]

#: Seconds between two samples: a watch's "smart recording" writes one every 1 to 7 s; 2 s keeps
#: every chart and best effort as sharp as at 1 s for half the store and half the load time.
SAMPLE_INTERVAL_S: Final = 2.0
#: Step of the distance grid on which the pace profile is drawn.
GRID_M: Final = 5.0
#: Time constant of the heart's response to a change of effort (30-60 s in the literature).
HR_LAG_S: Final = 35.0
#: Heart-rate reserve spent per hour of running at a steady pace (cardiac drift).
HR_DRIFT_PER_HOUR: Final = 0.03
#: Heart-rate reserve during a stop: the heart slows towards it, it does not drop to rest.
HR_RESERVE_STOPPED: Final = 0.2
#: Speed lost per unit of grade (3 % slower per 1 % uphill, as much faster downhill).
GRADE_SLOWDOWN: Final = 3.0
WARM_UP_M: Final = 1500.0
COOL_DOWN_M: Final = 1000.0
#: Fractions of VDOT of each part of a session (Daniels' intensities).
EASY: Final = 0.66
LONG: Final = 0.68
TEMPO: Final = 0.86
INTERVAL: Final = 0.98
RECOVERY_JOG: Final = 0.52
RACE_KICK_M: Final = 400.0


@dataclass(frozen=True)
class RecordedRun:
    """A run's samples and the summary values a device would compute from them."""

    samples: pd.DataFrame
    max_hr: float
    max_speed_mps: float


def parts(kind: SessionType, distance_m: float, interval_set: tuple[int, int]) -> list[tuple[float, float]]:
    """The session as ``(metres, fraction of VDOT)`` parts, in running order."""
    if kind == SessionType.INTERVALS:
        reps, metres = interval_set
        recovery = metres / 2.0
        work = reps * metres + (reps - 1) * recovery
        while reps > 1 and work > distance_m - WARM_UP_M:
            reps -= 1
            work = reps * metres + (reps - 1) * recovery
        rest = max(distance_m - work, 0.0)
        session = [(rest * 0.55, EASY)]
        for rep in range(reps):
            session.append((float(metres), INTERVAL))
            if rep < reps - 1:
                session.append((recovery, RECOVERY_JOG))
        session.append((rest * 0.45, EASY))
        return session
    if kind == SessionType.TEMPO:
        warm_up, cool_down = min(WARM_UP_M, distance_m * 0.25), min(COOL_DOWN_M, distance_m * 0.2)
        return [(warm_up, EASY), (distance_m - warm_up - cool_down, TEMPO), (cool_down, EASY)]
    if kind == SessionType.RACE:
        return [(distance_m, 1.0)]
    return [(distance_m, LONG if kind == SessionType.LONG else EASY)]


def record_run(
    athlete: DemoAthlete,
    kind: SessionType,
    *,
    vdot: float,
    start_key: str,
    distance_m: float,
    moving_time_s: float,
    duration_s: float,
    avg_hr: float,
    elevation_gain_m: float,
) -> RecordedRun:
    """The samples of one run whose summary is given; ``start_key`` seeds the draws."""
    rng = np.random.default_rng(zlib.crc32(f"{athlete.email}/{start_key}".encode()))
    grid = np.arange(0.0, distance_m + GRID_M, GRID_M)
    grid[-1] = distance_m
    middle = (grid[:-1] + grid[1:]) / 2.0
    steps = np.diff(grid)

    # Effort: the flat-ground speed the athlete aims at, per grid step.
    bounds = np.cumsum([0.0, *(length for length, _ in parts(kind, distance_m, athlete.interval_set))])
    fractions = np.array([fraction for _, fraction in parts(kind, distance_m, athlete.interval_set)])
    part_of = np.clip(np.searchsorted(bounds, middle, side="right") - 1, 0, len(fractions) - 1)
    part_speed = np.array([metrics.speed_at_vdot_fraction(vdot, fraction) for fraction in fractions])
    effort = part_speed[part_of] * (1.0 + 0.025 * _waves(rng, middle, (350.0, 900.0, 2100.0)))
    # Fatigue slows the legs at the same effort: the long run's pace fades, its heart rate does not.
    fatigue = np.ones(len(middle))
    if kind == SessionType.LONG:
        fatigue -= 0.04 * (middle / distance_m) ** 2
    elif kind == SessionType.RACE:
        effort[middle > distance_m - RACE_KICK_M] *= 1.05

    altitude = _terrain(rng, grid, elevation_gain_m)
    grade = np.diff(altitude) / steps
    speed = effort * fatigue * np.clip(1.0 - GRADE_SLOWDOWN * grade, 0.7, 1.2)
    # Scale the whole run to its moving time: shape from the session, total from the summary.
    scale = float(np.sum(steps / speed)) / moving_time_s
    speed, effort = speed * scale, effort * scale
    grid_time = np.concatenate(([0.0], np.cumsum(steps / speed)))

    # The elapsed clock, one sample a second, with the pauses as one stop.
    elapsed = np.arange(0.0, np.floor(duration_s) + SAMPLE_INTERVAL_S, SAMPLE_INTERVAL_S)
    pause_s = max(duration_s - moving_time_s, 0.0)
    stop_at = moving_time_s * (
        float(bounds[1] / distance_m) if len(fractions) > 1 else float(rng.uniform(0.3, 0.7))
    )
    moving_clock = elapsed - np.clip(elapsed - stop_at, 0.0, pause_s)
    stopped = (elapsed > stop_at) & (elapsed < stop_at + pause_s)
    distance = np.interp(moving_clock, grid_time, grid)
    step_of = np.clip(np.searchsorted(grid_time, moving_clock, side="right") - 1, 0, len(steps) - 1)
    sample_speed = np.where(stopped, 0.0, speed[step_of])
    sample_effort = np.where(stopped, 0.0, effort[step_of])
    noisy_speed = np.where(stopped, 0.0, sample_speed + _smoothed_noise(rng, len(elapsed), 0.08, 2))

    heart_rate = _heart_rate(athlete, vdot, sample_effort, stopped, elapsed, rng, avg_hr)
    cadence = np.where(
        stopped, 0.0, np.round(140.0 + 9.0 * sample_effort + _smoothed_noise(rng, len(elapsed), 2.0, 3))
    )
    sample_altitude = np.round(np.interp(distance, grid, altitude), 1)
    columns: dict[str, FloatArray] = {
        "time_s": elapsed,
        "distance_m": distance,
        "speed_mps": np.maximum(noisy_speed, 0.0),
        "hr": heart_rate,
        "cadence_spm": cadence,
        "altitude_m": sample_altitude,
        "lat": np.full(len(elapsed), np.nan),
        "lon": np.full(len(elapsed), np.nan),
    }
    samples = pd.DataFrame({name: columns[name] for name in SAMPLE_COLUMNS})
    return RecordedRun(
        samples=samples,
        max_hr=float(heart_rate.max()),
        max_speed_mps=round(float(noisy_speed.max()), 3),
    )


def record_demo_run(
    athlete: DemoAthlete, prescription: history.Prescription, run: history.DemoRun
) -> RecordedRun:
    """The samples of one generated demo run: its own summary, the week's VDOT, its start as the seed."""
    return record_run(
        athlete,
        run.session_type,
        vdot=prescription.vdot,
        start_key=run.start_time.isoformat(),
        distance_m=run.distance_m,
        moving_time_s=run.moving_time_s,
        duration_s=run.duration_s,
        avg_hr=run.avg_hr,
        elevation_gain_m=run.elevation_gain_m,
    )


def _heart_rate(
    athlete: DemoAthlete,
    vdot: float,
    effort: FloatArray,
    stopped: npt.NDArray[np.bool_],
    elapsed: FloatArray,
    rng: np.random.Generator,
    avg_hr: float,
) -> FloatArray:
    """Heart rate chasing the effort's steady state with a lag, drifting, mean ``avg_hr``."""
    with np.errstate(invalid="ignore"):
        reserve = (metrics.vo2_cost_array(effort) - metrics.RESTING_VO2) / (vdot - metrics.RESTING_VO2)
    reserve = np.where(stopped, HR_RESERVE_STOPPED, np.clip(reserve, 0.3, 1.0))
    reserve = reserve + HR_DRIFT_PER_HOUR * elapsed / 3600.0
    steady = athlete.hr_rest + reserve * (athlete.hr_max - athlete.hr_rest)
    # First-order response: hr[n] = hr[n-1] + (steady[n] - hr[n-1]) (1 - a), from a standing start.
    decay = float(np.exp(-SAMPLE_INTERVAL_S / HR_LAG_S))
    standing = athlete.hr_rest + 0.25 * (athlete.hr_max - athlete.hr_rest)
    # pandas' exponential mean (adjust=False) is that recursion, in compiled code.
    lagged = pd.Series(np.concatenate(([standing], steady))).ewm(alpha=1.0 - decay, adjust=False).mean()
    heart_rate = lagged.to_numpy(dtype=np.float64)[1:] + _smoothed_noise(rng, len(elapsed), 1.0, 3)
    heart_rate += avg_hr - float(heart_rate.mean())
    bounded = np.clip(heart_rate, athlete.hr_rest + 10.0, athlete.hr_max)
    return np.asarray(np.round(bounded), dtype=np.float64)


def _terrain(rng: np.random.Generator, grid: FloatArray, gain_m: float) -> FloatArray:
    """Altitude along the grid: rolling hills whose climbs add up to ``gain_m``."""
    base = float(rng.uniform(30.0, 250.0))
    hills = _waves(rng, grid, (600.0, 1700.0, 4300.0))
    climbed = float(np.sum(np.clip(np.diff(hills), 0.0, None)))
    if climbed <= 0 or gain_m <= 0:
        return np.full(len(grid), base)
    return base + hills * (gain_m / climbed)


def _waves(rng: np.random.Generator, x: FloatArray, wavelengths: tuple[float, ...]) -> FloatArray:
    """A smooth profile in [-1, 1]: sine waves of these wavelengths, random phases and weights."""
    phases = rng.uniform(0.0, 2.0 * np.pi, len(wavelengths))
    weights = rng.uniform(0.5, 1.0, len(wavelengths))
    profile = sum(
        weight * np.sin(2.0 * np.pi * x / wavelength + phase)
        for wavelength, phase, weight in zip(wavelengths, phases, weights, strict=True)
    )
    return np.asarray(profile, dtype=np.float64) / float(weights.sum())


def _smoothed_noise(rng: np.random.Generator, count: int, scale: float, width: int) -> FloatArray:
    """Gaussian noise of about ``scale`` averaged over ``width`` samples (sensors do not jump)."""
    raw = rng.normal(0.0, scale * np.sqrt(width), count)
    return np.convolve(raw, np.ones(width) / width, mode="same")
