"""The server-side SVG charts: axes, gaps, inverted pace axes, escaping, thinning."""

from __future__ import annotations

import math
import re

from web.site import charts


def points(svg: str) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, pair.split(","))) for pair in match.split()]  # type: ignore[misc]
        for match in re.findall(r'<polyline points="([^"]*)"', svg)
    ]


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    assert charts.nice_ticks(0, 58) == [0, 20, 40, 60]
    assert charts.nice_ticks(-23, 71) == [-50, 0, 50, 100]
    ticks = charts.nice_ticks(3.2, 3.2)
    assert ticks[0] <= 3.2 <= ticks[-1]
    assert charts.nice_ticks(math.nan, 1) == []
    # A pace axis (seconds per km) ticks in whole minutes, not in 50 s or 100 s.
    assert charts.nice_ticks(250, 420, steps=(30.0, 60.0, 120.0)) == [240, 300, 360, 420]


def test_a_gap_breaks_the_line_rather_than_bridging_it() -> None:
    svg = charts.line_chart(
        title="t",
        description="d",
        x_values=[0, 1, 2, 3, 4],
        x_labels=[(0, "0 km"), (4, "4 km")],
        series=[charts.Series("HR", [140, 150, None, math.nan, 160], "heart-rate")],
    )
    lines = points(svg)
    assert [len(line) for line in lines] == [2, 1]


def test_an_inverted_axis_puts_the_fast_pace_at_the_top() -> None:
    svg = charts.line_chart(
        title="Pace",
        description="d",
        x_values=[0, 1],
        x_labels=[],
        series=[charts.Series("Pace", [240.0, 360.0], "pace")],
        invert_y=True,
    )
    (line,) = points(svg)
    assert line[0][1] < line[1][1]  # 4:00/km drawn above 6:00/km


def test_titles_are_escaped_and_name_the_image() -> None:
    svg = charts.bar_chart(
        title='<script>alert("x")</script>',
        description="a & b",
        labels=["a"],
        values=[1.0],
        css_class="volume",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    ids = re.search(r'aria-labelledby="([^ ]+) ([^"]+)"', svg)
    assert ids is not None and f'id="{ids.group(1)}"' in svg and f'id="{ids.group(2)}"' in svg


def test_bars_scale_to_the_largest_value() -> None:
    svg = charts.bar_chart(title="t", description="d", labels=["a", "b"], values=[10.0, 20.0], css_class="v")
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert len(heights) == 2 and heights[1] == 2 * heights[0]


def test_long_series_are_thinned() -> None:
    count = 15_000
    svg = charts.line_chart(
        title="t",
        description="d",
        x_values=list(range(count)),
        x_labels=[],
        series=[charts.Series("s", [float(i % 7) for i in range(count)], "pace")],
    )
    (line,) = points(svg)
    assert len(line) <= charts.MAX_POINTS + 1 and line[-1][0] == charts.WIDTH - charts.MARGIN[1]
    assert len(svg) < 20_000


def test_no_data_is_an_empty_chart_not_an_error() -> None:
    svg = charts.line_chart(title="t", description="d", x_values=[], x_labels=[], series=[])
    assert "chart-empty" in svg and "<polyline" not in svg
