"""Charts are real PNGs of plausible size, drawn from the tool results' data."""

from __future__ import annotations

import struct
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from agent import charts
from agent.context import Language, ToolContext
from agent.tools import run_tool


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_each_chart_is_a_png(lea_ctx: ToolContext, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    results = [
        run_tool(lea_ctx, "weekly_summary", {"weeks": 8}),
        run_tool(lea_ctx, "training_load", {}),
        run_tool(lea_ctx, "zones_analysis", {}),
        run_tool(lea_ctx, "predict_race", {"distance_m": 10000}),
        run_tool(lea_ctx, "predict_race", {"distance_m": 21097.5}),
    ]
    attachments = charts.for_results(results, "fr")
    assert [a.filename for a in attachments] == [
        "weekly_volume.png",
        "pmc.png",
        "zones.png",
        "prediction.png",
    ]
    for attachment in attachments:
        width, height = _png_size(attachment.data)
        assert (width, height) == (770, 396)
        assert 10_000 < len(attachment.data) < 400_000
    assert list(tmp_path.iterdir()) == []  # nothing written to disk


def test_chart_reflects_its_data() -> None:
    empty = charts.weekly_volume({"weeks": ["2026-11-02", "2026-11-09"], "km": [0.0, 0.0]}, "en")
    full = charts.weekly_volume({"weeks": ["2026-11-02", "2026-11-09"], "km": [30.0, 42.0]}, "en")
    assert empty.data != full.data
    assert charts.for_results([], "en") == []


T = TypeVar("T")

WEEKS_A = {"weeks": ["2026-11-02", "2026-11-09", "2026-11-16"], "km": [31.0, 44.5, 12.0]}
WEEKS_B = {"weeks": [f"2026-{month:02d}-01" for month in range(1, 13)], "km": [120.0] * 12}
PMC_A = {"days": ["2026-11-20", "2026-11-21", "2026-11-22"], "ctl": [30.0, 31.0, 31.5],
         "atl": [35.0, 40.0, 28.0], "tsb": [-5.0, -9.0, 3.5]}  # fmt: skip
PMC_B = {
    "days": ["2025-01-01", "2025-06-01"],
    "ctl": [80.0, 90.0],
    "atl": [100.0, 50.0],
    "tsb": [-60.0, 40.0],
}
ZONES_A = {"zones": ["Z1 recovery", "Z2 endurance", "Z3 tempo", "Z4 threshold", "Z5 VO2max"],
           "hours": [3.0, 10.0, 2.0, 1.0, 0.5]}  # fmt: skip
ZONES_B = {"zones": ["Z1 recovery", "Z2 endurance"], "hours": [40.0, 0.0]}
PREDICTIONS_A = [{"distance_km": 10.0, "estimates": {"VDOT": 3000.0, "Riegel": 3100.0}, "time_s": 3050.0}]
PREDICTIONS_B = [
    {"distance_km": 5.0, "estimates": {"personal": 1500.0}, "time_s": 1500.0},
    {"distance_km": 42.195, "estimates": {"VDOT": 14000.0, "personal": 15000.0}, "time_s": 14500.0},
]


def _all_charts(first: bool) -> list[bytes]:
    language: Language = "fr" if first else "en"
    return [
        charts.weekly_volume(WEEKS_A if first else WEEKS_B, language).data,
        charts.pmc(PMC_A if first else PMC_B, language).data,
        charts.zones(ZONES_A if first else ZONES_B, language).data,
        charts.prediction(PREDICTIONS_A if first else PREDICTIONS_B, language).data,
    ]


def _in_a_new_thread(draw: Callable[[], T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(draw).result()


def test_a_reused_figure_draws_exactly_what_a_new_one_does() -> None:
    # Each thread keeps one figure per kind: nothing of a previous chart (limits, ticks, legend,
    # colours, inverted axis) may show in the next one.
    fresh = _in_a_new_thread(lambda: _all_charts(True))

    def reused() -> list[bytes]:
        _all_charts(True)
        _all_charts(False)
        return _all_charts(True)

    assert _in_a_new_thread(reused) == fresh
    assert _in_a_new_thread(lambda: _all_charts(False)) != fresh


def test_threads_draw_at_the_same_time_without_mixing_their_charts() -> None:
    expected = {first: _in_a_new_thread(partial(_all_charts, first)) for first in (True, False)}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [(first, pool.submit(_all_charts, first)) for first in (True, False) * 6]
        for first, future in futures:
            assert future.result() == expected[first]


def test_french_zone_chart_names_the_zones_in_french() -> None:
    def labels(language: Language) -> list[str]:
        charts.zones(ZONES_A, language)
        return [label.get_text() for label in charts._local.figures["zones"].get_yticklabels()]

    assert _in_a_new_thread(lambda: labels("fr"))[0] == "Z1 récupération"
    assert _in_a_new_thread(lambda: labels("en"))[0] == "Z1 recovery"


PREDICTIONS_WITH_BASIS = [
    {"distance_km": 10.0, "estimates": {"VDOT": 2950.0, "Riegel": 2980.0}, "time_s": 2960.0,
     "basis_distance_m": 10_000.0, "basis_time_s": 2940.0, "basis_day": "2026-11-28"},
    {"distance_km": 21.0975, "estimates": {"VDOT": 6500.0, "Riegel": 6700.0}, "time_s": 6600.0,
     "basis_distance_m": 10_000.0, "basis_time_s": 2940.0, "basis_day": "2026-11-28"},
]  # fmt: skip


def test_the_prediction_chart_draws_paces_with_their_range_against_the_athletes_run() -> None:
    def drawn() -> dict[str, Any]:
        charts.prediction(PREDICTIONS_WITH_BASIS, "en")
        axes = charts._local.figures["prediction"]
        dots = [line for line in axes.lines if line.get_marker() == "o"]
        dashed = [line for line in axes.lines if line.get_linestyle() == "--"]
        (band,) = axes.collections
        low, high = axes.get_ylim()
        return {
            "bars": len(axes.patches),
            "dots": [round(y, 3) for y in dots[0].get_ydata()],
            "bands": [sorted(round(y, 3) for y in segment[:, 1]) for segment in band.get_segments()],
            "basis": [round(line.get_ydata()[0], 3) for line in dashed],
            "faster_up": bool(low > high),
            "legend": [text.get_text() for text in axes.get_legend().get_texts()],
            "labels": [label.get_text() for label in axes.get_xticklabels()],
        }

    chart = _in_a_new_thread(drawn)
    assert chart["bars"] == 0  # no more bars of near-identical times
    assert chart["dots"] == [296.0, round(6600.0 / 21.0975, 3)]  # seconds per km
    assert chart["bands"] == [[295.0, 298.0], [round(6500 / 21.0975, 3), round(6700 / 21.0975, 3)]]
    assert chart["basis"] == [294.0]  # the 10 km of 28 Nov at 4:54 /km, once
    assert chart["faster_up"] is True
    assert "your pace: 10.0 km, Sat 28 Nov (4:54 /km)" in chart["legend"]
    assert chart["labels"] == ["10 km", "half marathon"]


def test_the_prediction_tool_hands_the_chart_its_basis_run(lea_ctx: ToolContext) -> None:
    result = run_tool(lea_ctx, "predict_race", {"distance_m": 10000})
    assert result.status == "ok" and result.chart is not None
    assert result.chart["basis_time_s"] > 0 and result.chart["basis_distance_m"] >= 1500
    assert result.chart["basis_day"] <= lea_ctx.today.isoformat()
