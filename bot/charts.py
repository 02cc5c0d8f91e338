"""The chart sent after an upload: the run's pace and heart rate along the distance.

Drawn from the samples the analytics store keeps (``analytics.samples``), so
it costs one row read and a small matplotlib figure (Agg, no pyplot state:
handlers run on several threads). The coach's own charts (weekly volume,
PMC, zones, predictions) live in ``agent.charts``.
"""

from __future__ import annotations

import io
from typing import Final

import numpy as np
from sqlalchemy import select

from agent.charts import DPI, SIZE_INCHES
from analytics import samples, schema
from analytics.db import get_engine
from bot.coach import Picture
from bot.texts import Language, say
from foulee.units import METRES_PER_KM

#: Rolling window (samples) that smooths GPS pace jitter before plotting.
SMOOTHING_SAMPLES: Final = 15
#: Paces slower than this (s/km) are walking or standing: left out of the pace line.
SLOWEST_PLOTTED_PACE_S_PER_KM: Final = 900.0


def activity_chart(activity_id: int, language: Language, *, health: bool = True) -> Picture | None:
    """A PNG of pace and HR against distance, or None when the run has no usable samples.

    Without ``health`` (the athlete's consent to health data) the heart rate is left out.
    """
    table = schema.samples_table.c
    with get_engine().connect() as conn:
        row = conn.execute(
            select(table.encoding, table.data, table.sample_count).where(table.activity_id == activity_id)
        ).first()
    if row is None or row.sample_count < 2:
        return None
    frame = samples.decode(row.encoding, row.data, row.sample_count)
    distance_km = frame["distance_m"].to_numpy() / METRES_PER_KM
    speed = samples.chart_speed(frame, SMOOTHING_SAMPLES)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace_min = np.where(speed > 0, METRES_PER_KM / speed, np.nan)
    pace_min[pace_min > SLOWEST_PLOTTED_PACE_S_PER_KM] = np.nan
    pace_min = pace_min / 60.0
    hr = frame["hr"].to_numpy() if health else np.full(len(frame), np.nan)
    if np.isnan(distance_km).all() or (np.isnan(pace_min).all() and np.isnan(hr).all()):
        return None

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)  # the coach's charts' size, so they look alike
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.grid(True, alpha=0.3)
    axes.plot(distance_km, pace_min, color="tab:blue", linewidth=1.2)
    axes.invert_yaxis()  # faster is higher
    axes.set_xlabel("km")
    axes.set_ylabel("min/km", color="tab:blue")
    if not np.isnan(hr).all():
        hr_axes = axes.twinx()
        hr_axes.plot(distance_km, hr, color="tab:red", linewidth=1.0, alpha=0.8)
        hr_axes.set_ylabel("bpm", color="tab:red")
    title = say(language, "chart_caption" if health else "chart_caption_pace")
    axes.set_title(title)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Picture("activity.png", title, buffer.getvalue())
