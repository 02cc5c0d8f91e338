"""Charts are real PNGs of plausible size, drawn from the tool results' data."""

from __future__ import annotations

import struct
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

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
