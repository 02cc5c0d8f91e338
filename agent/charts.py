"""Charts as PNG pictures (matplotlib, Agg): weekly volume, PMC, zone distribution, race prediction.

Figures are built with ``matplotlib.figure.Figure`` and rendered to bytes in
memory: no pyplot global state (the bot and the API call this from several
threads) and no file left behind. matplotlib is imported on first use, so
importing the coach stays fast.

Speed (issue 7, docs/agent.md has the figures): each thread keeps one figure per chart kind and
only swaps its data artists between replies. A new figure costs its axes, its ticks and a new
renderer, whose text-metrics cache starts empty; ``tight_layout`` costs a whole extra layout pass,
so each kind has fixed margins instead; PNGs are written with zlib level 1 (a few KiB larger,
several milliseconds less).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from agent.context import Language, ToolResult
from agent.replies import ZONE_NAMES_FR

SIZE_INCHES: Final = (7.0, 3.6)
DPI: Final = 110
#: zlib level of the PNGs: 1 is the fastest; the pictures are flat colours, so they stay small.
PNG_COMPRESS_LEVEL: Final = 1
#: Subplot margins (figure fractions: left, right, top, bottom) that fit each kind's labels.
MARGINS: Final[dict[str, tuple[float, float, float, float]]] = {
    "weekly_volume": (0.07, 0.98, 0.90, 0.17),
    "pmc": (0.07, 0.98, 0.90, 0.17),
    "zones": (0.20, 0.98, 0.90, 0.09),
    "prediction": (0.08, 0.98, 0.90, 0.09),
}


@dataclass(frozen=True)
class Attachment:
    """A picture to send with the reply."""

    filename: str
    media_type: str
    title: str
    data: bytes


_local = threading.local()


def _axes(kind: str) -> Any:
    """This thread's axes for ``kind``, emptied of the previous chart's data."""
    figures: dict[str, Any] = _local.__dict__.setdefault("figures", {})
    axes = figures.get(kind)
    if axes is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(figure)
        left, right, top, bottom = MARGINS[kind]
        figure.subplots_adjust(left=left, right=right, top=top, bottom=bottom)
        axes = figure.add_subplot(1, 1, 1)
        axes.grid(True, alpha=0.3)
        figures[kind] = axes
        return axes
    for container in list(axes.containers):  # bar groups: the legend reads its handles from them
        container.remove()
    for artist in [*axes.patches, *axes.lines, *axes.collections]:
        artist.remove()
    if axes.legend_ is not None:
        axes.legend_.remove()
    axes.relim()  # forget the previous data's limits: the new artists set them
    axes.set_prop_cycle(None)  # the same colours for the same methods, reply after reply
    return axes


def _png(axes: Any) -> bytes:
    axes.autoscale_view()
    buffer = io.BytesIO()
    axes.figure.savefig(buffer, format="png", pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buffer.getvalue()


def _categories(axes: Any, axis: str, positions: Sequence[float], labels: Sequence[str]) -> None:
    """Fixed ticks with labels (not matplotlib's string categories, which a reused axis would accumulate)."""
    if axis == "x":
        axes.set_xticks(list(positions), list(labels))
    else:
        axes.set_yticks(list(positions), list(labels))


def weekly_volume(chart: dict[str, Any], language: Language) -> Attachment:
    axes = _axes("weekly_volume")
    positions = range(len(chart["weeks"]))
    axes.bar(positions, [value or 0.0 for value in chart["km"]], color="#2b8cbe")
    _categories(axes, "x", positions, [week[5:] for week in chart["weeks"]])  # MM-DD of each Monday
    title = "Volume hebdomadaire (km)" if language == "fr" else "Weekly volume (km)"
    axes.set_title(title)
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    return Attachment("weekly_volume.png", "image/png", title, _png(axes))


def pmc(chart: dict[str, Any], language: Language) -> Attachment:
    axes = _axes("pmc")
    days = [dt.date.fromisoformat(day) for day in chart["days"]]
    names = (
        ("Condition (CTL)", "Fatigue (ATL)", "Forme (TSB)")
        if language == "fr"
        else ("Fitness (CTL)", "Fatigue (ATL)", "Form (TSB)")
    )
    axes.plot(days, chart["ctl"], label=names[0], color="#2b8cbe")
    axes.plot(days, chart["atl"], label=names[1], color="#e34a33")
    # The form line also gives the axes its limits (relim ignores the filled area).
    axes.plot(days, chart["tsb"], color="#31a354", linewidth=0.8)
    axes.fill_between(days, chart["tsb"], 0.0, label=names[2], color="#31a354", alpha=0.3)
    axes.axhline(0.0, color="black", linewidth=0.6)
    axes.legend(loc="upper left", fontsize=8)
    title = "Condition, fatigue et forme" if language == "fr" else "Fitness, fatigue and form"
    axes.set_title(title)
    axes.tick_params(axis="x", labelrotation=30, labelsize=8)
    return Attachment("pmc.png", "image/png", title, _png(axes))


def zones(chart: dict[str, Any], language: Language) -> Attachment:
    axes = _axes("zones")
    colours = ["#bdd7e7", "#6baed6", "#fdae6b", "#fd8d3c", "#d94701"]
    names = [
        ZONE_NAMES_FR.get(index, name) if language == "fr" else name
        for index, name in enumerate(chart["zones"], 1)
    ]
    positions = range(len(names))
    axes.barh(positions, [value or 0.0 for value in chart["hours"]], color=colours[: len(names)])
    _categories(axes, "y", positions, names)
    axes.yaxis.set_inverted(True)  # Z1 on top
    title = "Temps par zone cardiaque (h)" if language == "fr" else "Time per heart-rate zone (h)"
    axes.set_title(title)
    return Attachment("zones.png", "image/png", title, _png(axes))


def prediction(charts: list[dict[str, Any]], language: Language) -> Attachment:
    """One bar group per predicted distance: each method's estimate and the reconciled time (minutes)."""
    axes = _axes("prediction")
    methods = sorted({name for chart in charts for name in chart["estimates"]})
    width = 0.8 / (len(methods) + 1)
    positions = range(len(charts))
    for index, method in enumerate(methods):
        values = [chart["estimates"].get(method, 0.0) / 60.0 for chart in charts]
        axes.bar([p + index * width for p in positions], values, width, label=method)
    final = "prédiction" if language == "fr" else "prediction"
    axes.bar(
        [p + len(methods) * width for p in positions],
        [chart["time_s"] / 60.0 for chart in charts],
        width,
        label=final,
        color="black",
    )
    _categories(
        axes,
        "x",
        [p + len(methods) * width / 2 for p in positions],
        [f"{chart['distance_km']:g} km" for chart in charts],
    )
    axes.legend(fontsize=8)
    title = "Temps prédits (min)" if language == "fr" else "Predicted times (min)"
    axes.set_title(title)
    return Attachment("prediction.png", "image/png", title, _png(axes))


def for_results(results: list[ToolResult], language: Language) -> list[Attachment]:
    """The pictures that help with these results: one per kind, predictions grouped."""
    attachments: list[Attachment] = []
    predictions = [r.chart for r in results if r.name == "predict_race" and r.status == "ok" and r.chart]
    done: set[str] = set()
    for result in results:
        if result.status != "ok" or not result.chart or result.name in done:
            continue
        done.add(result.name)
        if result.name == "weekly_summary":
            attachments.append(weekly_volume(result.chart, language))
        elif result.name == "training_load":
            attachments.append(pmc(result.chart, language))
        elif result.name == "zones_analysis":
            attachments.append(zones(result.chart, language))
        elif result.name == "predict_race":
            attachments.append(prediction(predictions, language))
    return attachments
