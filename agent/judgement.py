"""The coach's judgements: every threshold a reply's first sentence rests on, in one place.

A reply says what the figures mean before it gives them ("Tu as de la fraîcheur : bon moment
pour une séance clé."). Each judgement is a code chosen here from a tool's figures by a named,
sourced threshold; ``agent.replies`` words the codes in French and English. No reply invents a
threshold of its own.
"""

from __future__ import annotations

from typing import Final, Literal

#: Form (TSB) bands come from ``analytics.queries.load.FORM_BANDS`` (Friel / TrainingPeaks, on Coggan's
#: Performance Management Chart): the tool already returns the band as ``form_code``.

#: Fitness (CTL) rising faster than this many points a week is a steep ramp. Coggan's PMC guidance
#: (Allen & Coggan, "Training and Racing with a Power Meter", 2010, ch. 7) puts a sustainable ramp at
#: about 5–8 CTL points a week; above 8, fatigue outruns adaptation.
RAMP_STEEP_PER_WEEK: Final = 8.0

#: This week's (or the last complete week's) distance over the usual week (the average of the complete
#: weeks before it): an acute:chronic ratio on volume. Gabbett (2016, Br J Sports Med 50:273) finds the
#: lowest injury risk between 0.8 and 1.3 and a sharp rise above 1.5.
WEEK_LIGHT_BELOW: Final = 0.8
WEEK_HIGH_ABOVE: Final = 1.3
WEEK_SPIKE_ABOVE: Final = 1.5

#: Share of running time in Z1–Z2 below which the easy running is too fast: endurance athletes do about
#: 80 % of their training easy (Seiler 2010, Int J Sports Physiol Perform 5:276); 75 % leaves a margin
#: for the heart rate's lag at the start of a run.
EASY_SHARE_MIN: Final = 0.75

#: A run with at least this share of its time in Z4–Z5 was a hard session: a classic interval or
#: threshold session spends 20–40 % of its time there once warm-up and cool-down are counted
#: (Seiler & Kjerland 2006, Scand J Med Sci Sports 16:49, session-goal method).
HARD_RUN_SHARE: Final = 0.2

#: A race prediction whose methods agree to this confidence (``analytics.queries.predictions``) is
#: reliable; below the second, it is only an order of magnitude.
PREDICTION_RELIABLE: Final = 0.8
PREDICTION_ROUGH: Final = 0.6

Week = Literal["none", "light", "usual", "high", "spike"]
Prediction = Literal["reliable", "fair", "rough"]
Run = Literal["easy", "steady", "hard", "unknown"]


def week(distance_km: float | None, usual_km: float | None) -> Week:
    """How a week's distance compares with the usual week ("none" without a usual week to compare)."""
    if not usual_km or distance_km is None:
        return "none"
    ratio = distance_km / usual_km
    if ratio > WEEK_SPIKE_ABOVE:
        return "spike"
    if ratio > WEEK_HIGH_ABOVE:
        return "high"
    if ratio < WEEK_LIGHT_BELOW:
        return "light"
    return "usual"


def steep_ramp(ramp_per_week: float | None) -> bool:
    return ramp_per_week is not None and ramp_per_week > RAMP_STEEP_PER_WEEK


def easy_enough(easy_share: float | None) -> bool:
    return (easy_share or 0.0) >= EASY_SHARE_MIN


def prediction(confidence: float | None) -> Prediction:
    value = confidence or 0.0
    if value >= PREDICTION_RELIABLE:
        return "reliable"
    return "fair" if value >= PREDICTION_ROUGH else "rough"


def run(zones_min: list[float] | None) -> Run:
    """A run by its time in zones: easy (mostly Z1–Z2), hard (a real share in Z4–Z5), else steady."""
    if not zones_min or sum(zones_min) <= 0:
        return "unknown"
    total = float(sum(zones_min))
    hard = sum(zones_min[3:]) / total
    if hard >= HARD_RUN_SHARE:
        return "hard"
    return "easy" if sum(zones_min[:2]) / total >= EASY_SHARE_MIN else "steady"
