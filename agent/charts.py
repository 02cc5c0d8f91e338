"""Charts as PNG pictures (matplotlib, Agg): weekly volume, PMC, zone distribution, race prediction.

Figures are built with ``matplotlib.figure.Figure`` and rendered to bytes in
memory: no pyplot global state (the bot and the API call this from several
threads) and no file left behind. matplotlib is imported on first use, so
importing the coach stays fast.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from agent.context import Language, ToolResult

SIZE_INCHES = (7.0, 3.6)
DPI = 110


@dataclass(frozen=True)
class Attachment:
    """A picture to send with the reply."""

    filename: str
    media_type: str
    title: str
    data: bytes


def _figure() -> tuple[Any, Any]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    axes.grid(True, alpha=0.3)
    return figure, axes


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def weekly_volume(chart: dict[str, Any], language: Language) -> Attachment:
    figure, axes = _figure()
    positions = range(len(chart["weeks"]))
    axes.bar(positions, [value or 0.0 for value in chart["km"]], color="#2b8cbe")
    axes.set_xticks(list(positions))
    axes.set_xticklabels([week[5:] for week in chart["weeks"]])  # MM-DD of each Monday
    title = "Volume hebdomadaire (km)" if language == "fr" else "Weekly volume (km)"
    axes.set_title(title)
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    return Attachment("weekly_volume.png", "image/png", title, _png(figure))


def pmc(chart: dict[str, Any], language: Language) -> Attachment:
    import datetime as dt

    figure, axes = _figure()
    days = [dt.date.fromisoformat(day) for day in chart["days"]]
    names = (
        ("Condition (CTL)", "Fatigue (ATL)", "Forme (TSB)")
        if language == "fr"
        else ("Fitness (CTL)", "Fatigue (ATL)", "Form (TSB)")
    )
    axes.plot(days, chart["ctl"], label=names[0], color="#2b8cbe")
    axes.plot(days, chart["atl"], label=names[1], color="#e34a33")
    axes.fill_between(days, chart["tsb"], 0.0, label=names[2], color="#31a354", alpha=0.3)
    axes.axhline(0.0, color="black", linewidth=0.6)
    axes.legend(loc="upper left", fontsize=8)
    title = "Condition, fatigue et forme" if language == "fr" else "Fitness, fatigue and form"
    axes.set_title(title)
    figure.autofmt_xdate()
    return Attachment("pmc.png", "image/png", title, _png(figure))


def zones(chart: dict[str, Any], language: Language) -> Attachment:
    figure, axes = _figure()
    colours = ["#bdd7e7", "#6baed6", "#fdae6b", "#fd8d3c", "#d94701"]
    axes.barh(
        chart["zones"], [value or 0.0 for value in chart["hours"]], color=colours[: len(chart["zones"])]
    )
    axes.invert_yaxis()
    title = "Temps par zone cardiaque (h)" if language == "fr" else "Time per heart-rate zone (h)"
    axes.set_title(title)
    return Attachment("zones.png", "image/png", title, _png(figure))


def prediction(charts: list[dict[str, Any]], language: Language) -> Attachment:
    """One bar group per predicted distance: each method's estimate and the reconciled time (minutes)."""
    figure, axes = _figure()
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
    axes.set_xticks([p + len(methods) * width / 2 for p in positions])
    axes.set_xticklabels([f"{chart['distance_km']:g} km" for chart in charts])
    axes.legend(fontsize=8)
    title = "Temps prédits (min)" if language == "fr" else "Predicted times (min)"
    axes.set_title(title)
    return Attachment("prediction.png", "image/png", title, _png(figure))


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
