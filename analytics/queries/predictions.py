"""Race predictions for any distance: Riegel and VDOT reconciled, plus the athlete's own curve.

Three estimates, each from the athlete's recent performances (whole runs with a
trustworthy pace, and best efforts found in recorded samples):

* **VDOT** (Daniels): the best recent VDOT, run over the target distance;
* **Riegel**: T2 = T1 (D2/D1)^1.06 from the near-best performance closest in
  distance to the target, since Riegel degrades as it extrapolates;
* **personal curve** (scikit-learn): with near-maximal performances over at
  least three distances spanning a factor of three, a least-squares fit of
  log time on log distance (one point per distance: the best) gives the
  athlete's own fatigue exponent.

They are averaged with weights (VDOT 1, Riegel e^-|ln(D2/D1)|, personal 1.5),
and the confidence (0 to 1) is the mean of four factors, each reported:
how recent the best performance is, how far the prediction extrapolates, how
well the estimates agree, and how many performances there are.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from sqlalchemy import Connection, func, select

from analytics import metrics
from analytics.features import BEST_DISTANCE_COLUMNS, whole_run_vdot
from analytics.queries.common import NOT_ENOUGH_DATA, activity, features, today_utc, window
from foulee import races

#: Performances within this many VDOT points of the best count as near-maximal.
NEAR_BEST_VDOT: Final = 3.0
#: Riegel's exponent is fitted only within these bounds (Riegel's own range for runners).
PERSONAL_EXPONENT_RANGE: Final = (1.01, 1.15)
PERSONAL_MIN_DISTANCES: Final = 3
PERSONAL_MIN_SPREAD: Final = 3.0
#: Vickers & Vertosick (2016), BMC Sports Sci Med Rehabil 8:26: half-marathon and marathon
#: predictions from shorter races are optimistic for runners training under ~30 km a week.
LOW_VOLUME_KM_PER_WEEK: Final = 30.0
LONG_RACE_M: Final = 21_000.0


@dataclass(frozen=True)
class Performance:
    distance_m: float
    time_s: float
    day: dt.date
    activity_id: int
    source: str
    vdot: float


@dataclass(frozen=True)
class RacePrediction:
    distance_m: float
    time_s: float | None
    vdot_time_s: float | None = None
    riegel_time_s: float | None = None
    personal_time_s: float | None = None
    personal_exponent: float | None = None
    vdot: float | None = None
    confidence: float = 0.0
    confidence_factors: dict[str, float] = field(default_factory=dict)
    basis: Performance | None = None
    method: str = ""
    notes: tuple[str, ...] = ()
    #: Set (km a week over 8 weeks) when the long-race low-volume caveat applies, for fronts
    #: that word it in the athlete's language rather than show ``notes`` (English).
    low_volume_km_per_week: float | None = None

    @property
    def available(self) -> bool:
        return self.time_s is not None


def predict_race(
    conn: Connection, athlete_id: int, distance_m: float, weeks: int = 26, today: dt.date | None = None
) -> RacePrediction:
    """Predicted race time over ``distance_m`` from the last ``weeks`` weeks of running."""
    if not races.is_race_distance(distance_m):
        raise ValueError(f"race distance must be {races.BOUNDS_IN_WORDS}")
    until = today or today_utc()
    performances = recent_performances(conn, athlete_id, weeks, until)
    if not performances:
        return RacePrediction(
            distance_m,
            None,
            method=f"{NOT_ENOUGH_DATA}: no run of 1.5 km or more with a usable pace in {weeks} weeks",
        )
    best = max(performances, key=lambda performance: performance.vdot)
    near_best = [p for p in performances if p.vdot >= best.vdot - NEAR_BEST_VDOT]
    basis = min(near_best, key=lambda p: abs(math.log(distance_m / p.distance_m)))
    vdot_time = metrics.race_time_for_vdot(best.vdot, distance_m)
    riegel_time = metrics.riegel(basis.time_s, basis.distance_m, distance_m)
    exponent = personal_exponent(near_best)
    personal_time = None
    if exponent is not None:
        personal_time = exponent[1] * distance_m ** exponent[0]

    estimates = [(vdot_time, 1.0), (riegel_time, math.exp(-abs(math.log(distance_m / basis.distance_m))))]
    if personal_time is not None:
        estimates.append((personal_time, 1.5))
    predicted = sum(time * weight for time, weight in estimates) / sum(weight for _, weight in estimates)
    times = [time for time, _ in estimates]
    nearest = min(performances, key=lambda p: abs(math.log(distance_m / p.distance_m)))
    factors = {
        "recency": math.exp(-(until - best.day).days / 120.0),
        "extrapolation": math.exp(-0.35 * abs(math.log(distance_m / nearest.distance_m))),
        "agreement": max(0.0, 1.0 - (max(times) - min(times)) / predicted / 0.10),
        "amount": 1.0 - math.exp(-len(performances) / 4.0),
    }
    notes: list[str] = []
    low_volume = None
    if distance_m >= LONG_RACE_M:
        weekly_km = _weekly_running_km(conn, athlete_id, until)
        if weekly_km < LOW_VOLUME_KM_PER_WEEK:
            low_volume = weekly_km
            notes.append(
                f"averaging {weekly_km:.0f} km a week over 8 weeks: long-race predictions "
                "tend to be optimistic under 30 km a week"
            )
    return RacePrediction(
        distance_m=distance_m,
        time_s=predicted,
        vdot_time_s=vdot_time,
        riegel_time_s=riegel_time,
        personal_time_s=personal_time,
        personal_exponent=exponent[0] if exponent else None,
        vdot=best.vdot,
        confidence=round(sum(factors.values()) / len(factors), 2),
        confidence_factors={name: round(value, 2) for name, value in factors.items()},
        basis=basis,
        method=(
            f"weighted mean of VDOT {best.vdot:.1f} ({best.distance_m / 1000:.1f} km on {best.day}), "
            f"Riegel from {basis.distance_m / 1000:.1f} km in {basis.time_s:.0f} s on {basis.day}"
            + (f", and the athlete's own fatigue exponent {exponent[0]:.3f}" if exponent else "")
        ),
        notes=tuple(notes),
        low_volume_km_per_week=low_volume,
    )


def recent_performances(conn: Connection, athlete_id: int, weeks: int, until: dt.date) -> list[Performance]:
    """Whole runs that qualify for a VDOT, and best efforts from samples, in the window."""
    since, _ = window(weeks, until)
    a, f = activity.c, features.c
    # Only the standard distances a race can be predicted from (VDOT needs 1500 m or more).
    effort_columns = {column: target for column, target in BEST_DISTANCE_COLUMNS.items() if target >= 1500.0}
    rows = conn.execute(
        select(
            a.id,
            a.local_date,
            a.distance_m,
            a.moving_time_s,
            f.activity_id.label("sampled"),
            *(f[column] for column in effort_columns),
        )
        .select_from(activity.outerjoin(features, f.activity_id == a.id))
        .where(a.athlete_id == athlete_id, a.local_date.between(since, until), a.pace_ok)
    ).all()
    if not rows:
        return []
    # Whole runs: the activity row's VDOT may be a best effort's, so the whole run's is recomputed.
    whole = whole_run_vdot(
        np.array([row.distance_m for row in rows]),
        np.array([row.moving_time_s for row in rows]),
        np.ones(len(rows)),
    )
    performances = [
        Performance(row.distance_m, row.moving_time_s, row.local_date, row.id, "whole run", float(vdot))
        for row, vdot in zip(rows, whole, strict=True)
        if not np.isnan(vdot)
    ]
    efforts = [
        (target, effort, row.local_date, row.id)
        for row in rows
        if row.sampled is not None
        for column, target in effort_columns.items()
        if (effort := getattr(row, column)) is not None
    ]
    if efforts:
        # One vectorised VDOT for every best effort, rather than a call each.
        vdots = metrics.vdot_array([e[0] for e in efforts], [e[1] for e in efforts])
        performances.extend(
            Performance(target, time, day, activity_id, "best effort", float(value))
            for (target, time, day, activity_id), value in zip(efforts, vdots, strict=True)
        )
    return performances


def personal_exponent(performances: list[Performance]) -> tuple[float, float] | None:
    """The athlete's own (exponent, scale) of T = scale · D^exponent, or None without enough spread.

    One point per distance (the best), from near-maximal performances only:
    easy runs say nothing about how fast the athlete can race.
    """
    # Distances within ~10 % of each other (the same rounded log) are one distance.
    best: dict[float, Performance] = {}
    for performance in performances:
        key = round(math.log(performance.distance_m), 1)
        if key not in best or performance.time_s < best[key].time_s:
            best[key] = performance
    if len(best) < PERSONAL_MIN_DISTANCES:
        return None
    log_distance = np.log([[p.distance_m] for p in best.values()])
    log_time = np.log([p.time_s for p in best.values()])
    if math.exp(log_distance.max() - log_distance.min()) < PERSONAL_MIN_SPREAD:
        return None
    # scikit-learn takes seconds to import: only a prediction pays for it, not every process start.
    from sklearn.linear_model import LinearRegression

    model = LinearRegression().fit(log_distance, log_time)
    low, high = PERSONAL_EXPONENT_RANGE
    exponent = float(np.clip(model.coef_[0], low, high))
    # Refit the scale for the clipped exponent through the points' geometric centre.
    scale = float(np.exp(np.mean(log_time - exponent * log_distance[:, 0])))
    return exponent, scale


def _weekly_running_km(conn: Connection, athlete_id: int, until: dt.date) -> float:
    since = until - dt.timedelta(weeks=8)
    a = activity.c
    total: float = conn.execute(
        select(func.coalesce(func.sum(a.distance_m), 0.0)).where(
            a.athlete_id == athlete_id, a.is_running, a.local_date > since, a.local_date <= until
        )
    ).scalar_one()
    return float(total) / 1000.0 / 8.0
