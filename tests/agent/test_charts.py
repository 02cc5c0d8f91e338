"""Charts are real PNGs of plausible size, drawn from the tool results' data."""

from __future__ import annotations

import struct
from pathlib import Path

from agent import charts
from agent.context import ToolContext
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
