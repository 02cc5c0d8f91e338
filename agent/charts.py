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
from agent.replies import ZONE_NAMES_FR, distance_name
from foulee import formatting
from foulee.units import format_duration, format_pace

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
    for artist in [*axes.patches, *axes.lines, *axes.collections, *axes.texts]:
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
    """The predicted pace of each distance, the range its methods span, and the runs it comes from.

    Three bars of near-identical race times told nothing; paces can be compared across
    distances and against the athlete's own running: a dot for the prediction, a band from
    the fastest to the slowest method, and a dashed line at the pace of each run the
    predictions are based on (its distance and day). Faster is up.
    """
    from matplotlib.ticker import FuncFormatter

    axes = _axes("prediction")
    positions = list(range(len(charts)))
    paces, lows, highs = [], [], []
    for chart in charts:
        km = chart["distance_km"]
        times = [chart["time_s"], *chart["estimates"].values()]
        paces.append(chart["time_s"] / km)
        lows.append(min(times) / km)
        highs.append(max(times) / km)
    fr = language == "fr"
    axes.vlines(positions, lows, highs, linewidth=10, color="#9ecae1",
                label="fourchette des méthodes" if fr else "range of the methods")  # fmt: skip
    axes.plot(positions, paces, "o", color="black", label="allure prédite" if fr else "predicted pace")
    for position, pace, chart in zip(positions, paces, charts, strict=True):
        axes.annotate(
            f"{format_duration(chart['time_s'])}\n{format_pace(pace)}",
            (position, pace),
            xytext=(12, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    bases = sorted(
        {(c["basis_distance_m"], c["basis_time_s"], c["basis_day"]) for c in charts if c.get("basis_time_s")}
    )
    every_pace = [*lows, *highs]
    for index, (metres, seconds, day) in enumerate(bases):
        basis_pace = seconds / (metres / 1000.0)
        every_pace.append(basis_pace)
        what = _run_in_words(metres, day, language)
        label = (f"ton allure : {what}" if fr else f"your pace: {what}") + f" ({format_pace(basis_pace)})"
        axes.axhline(basis_pace, linestyle="--", linewidth=1, color=BASIS_COLOURS[index % len(BASIS_COLOURS)],
                     label=label)  # fmt: skip
    _categories(axes, "x", positions, [distance_name(c["distance_km"] * 1000.0, language) for c in charts])
    axes.set_xlim(-0.6, len(charts) - 0.4)
    margin = max(5.0, (max(every_pace) - min(every_pace)) * 0.15)
    axes.set_ylim(max(every_pace) + margin, min(every_pace) - margin)  # faster (fewer s/km) is up
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_duration(value)))
    # Short races sit up left and long ones down right (faster is up): the top right is free.
    axes.legend(fontsize=8, loc="upper right")
    title = "Allure prédite par distance (min/km)" if fr else "Predicted pace by distance (min/km)"
    axes.set_title(title)
    return Attachment("prediction.png", "image/png", title, _png(axes))


#: The dashed lines of the runs the predictions come from, one colour each.
BASIS_COLOURS: Final = ("#e6550d", "#31a354", "#756bb1")


def _run_in_words(metres: float, day: str, language: Language) -> str:
    """A run as "10,0 km, jeu. 3 déc." / "10.0 km, Thu 3 Dec", by ``foulee.formatting``."""
    from django.utils import translation

    with translation.override(language):
        return f"{formatting.km(metres)}, {formatting.day(dt.date.fromisoformat(day))}"


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
