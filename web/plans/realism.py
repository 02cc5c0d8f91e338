"""Goal realism: the goal time against what the athlete's prediction and the training time allow."""

from __future__ import annotations

from dataclasses import dataclass

from analytics import metrics
from web.plans import rules


@dataclass(frozen=True)
class Realism:
    """The realistic range (s) for the goal race in ``weeks`` weeks, and the verdict on the goal.

    ``verdict`` is "unknown" (no prediction), "no_goal", "within" or "beyond" (faster than the
    fastest realistic time). ``race_pace_time_s`` is the time the plan's race-pace work aims at:
    the goal when it is within reach, the fastest realistic time otherwise.
    """

    verdict: str
    predicted_s: float | None = None
    fastest_s: float | None = None
    race_pace_time_s: float | None = None


def judge(vdot: float | None, goal_distance_m: float, target_time_s: float | None, weeks: int) -> Realism:
    """Compare ``target_time_s`` with the prediction from ``vdot`` and the gain ``weeks`` allow."""
    if not vdot:
        return Realism("unknown" if target_time_s else "no_goal", race_pace_time_s=target_time_s)
    predicted = metrics.race_time_for_vdot(vdot, goal_distance_m)
    gain = min(rules.VDOT_GAIN_MAX, rules.VDOT_GAIN_PER_WEEK * weeks)
    fastest = metrics.race_time_for_vdot(vdot + gain, goal_distance_m)
    if target_time_s is None:
        return Realism("no_goal", predicted, fastest, predicted)
    if target_time_s < fastest:
        return Realism("beyond", predicted, fastest, fastest)
    return Realism("within", predicted, fastest, target_time_s)
