"""Charts as SVG written on the server: no JavaScript, no library to vendor, nothing from a CDN.

A chart is a few hundred bytes of markup the browser draws at once, at any
screen width (the ``viewBox`` scales). Each one is an accessible image: it
names itself with a ``<title>`` and ``<desc>`` (``role="img"``), and the page
shows the same numbers in a table next to it (see the templates), so a screen
reader or a colour-blind reader loses nothing. Series differ by dash pattern as
well as by colour, and the colours are in ``site.css`` (WCAG AA contrast on white).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

WIDTH: Final = 640.0
HEIGHT: Final = 240.0
#: Room for the axis labels: left, right, top, bottom.
MARGIN: Final = (52.0, 12.0, 12.0, 28.0)
#: Above this many points a line is thinned to one point per pixel column or so: the eye sees no
#: difference, and the page stays small (a marathon has ~15,000 samples).
MAX_POINTS: Final = 400

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One line: its legend label, its values (None or NaN for gaps) and its CSS class."""

    label: str
    values: Sequence[float | None]
    css_class: str


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _finite(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v)]


def nice_ticks(low: float, high: float, count: int = 4, steps: Sequence[float] = ()) -> list[float]:
    """Round tick values covering ``low``–``high``: 1, 2 or 5 times a power of ten apart, or the
    first of ``steps`` (say, 30 s and 60 s for a pace axis) that gives at most ``count`` intervals.
    """
    if not math.isfinite(low) or not math.isfinite(high):
        return []
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    decimal = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = next((s for s in steps if s >= raw), decimal)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _svg(title: str, description: str, body: list[str], css_class: str, height: float = HEIGHT) -> SafeString:
    ident = f"chart-{uuid.uuid4().hex[:10]}"
    parts = [
        f'<svg class={quoteattr("chart " + css_class)} viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" focusable="false">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    # Every piece of text above went through escape()/quoteattr(); the rest is numbers.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def _thin(xs: Sequence[float], ys: Sequence[float | None]) -> tuple[list[float], list[float | None]]:
    if len(xs) <= MAX_POINTS:
        return list(xs), list(ys)
    step = len(xs) / MAX_POINTS
    keep = sorted({min(len(xs) - 1, int(i * step)) for i in range(MAX_POINTS)} | {len(xs) - 1})
    return [xs[i] for i in keep], [ys[i] for i in keep]


def line_chart(
    *,
    title: str,
    description: str,
    x_values: Sequence[float],
    x_labels: Sequence[tuple[float, str]],
    series: Sequence[Series],
    y_format: Formatter = _number,
    invert_y: bool = False,
    zero_line: bool = False,
    y_steps: Sequence[float] = (),
) -> SafeString:
    """Lines over a shared x axis; gaps (None/NaN) break a line instead of bridging it.

    ``invert_y`` puts small values at the top: a pace chart, where faster is up.
    """
    left, right, top, bottom = MARGIN
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    everything = [v for s in series for v in _finite(s.values)]
    if not x_values or not everything:
        return _svg(title, description, [], "chart-empty")
    ticks = nice_ticks(min(everything), max(everything), steps=y_steps)
    y_low, y_high = ticks[0], ticks[-1]
    x_low, x_high = min(x_values), max(x_values)
    x_span = (x_high - x_low) or 1.0
    y_span = (y_high - y_low) or 1.0

    def x_of(value: float) -> float:
        return left + (value - x_low) / x_span * plot_w

    def y_of(value: float) -> float:
        fraction = (value - y_low) / y_span
        return top + (fraction if invert_y else 1.0 - fraction) * plot_h

    body = ['<g class="grid">']
    for tick in ticks:
        y = y_of(tick)
        body.append(f'<line x1="{left:.1f}" x2="{WIDTH - right:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(
            f'<text class="y-label" x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(y_format(tick))}</text>"
        )
    for value, label in x_labels:
        body.append(
            f'<text class="x-label" x="{x_of(value):.1f}" y="{HEIGHT - 8:.1f}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    body.append("</g>")
    if zero_line and y_low < 0 < y_high:
        y = y_of(0.0)
        body.append(
            f'<line class="zero" x1="{left:.1f}" x2="{WIDTH - right:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
    for line in series:
        xs, ys = _thin(x_values, line.values)
        segments: list[list[str]] = [[]]
        for x, point in zip(xs, ys, strict=True):
            if point is None or not math.isfinite(point):
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append(f"{x_of(x):.1f},{y_of(point):.1f}")
        paths = "".join(f'<polyline points="{" ".join(points)}"/>' for points in segments if points)
        body.append(f"<g class={quoteattr('series ' + line.css_class)}>{paths}</g>")
    return _svg(title, description, body, "chart-line")


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    css_class: str,
    y_format: Formatter = _number,
    label_every: int = 1,
) -> SafeString:
    """Vertical bars, one per label (weeks, typically); only every ``label_every``-th label is written."""
    left, right, top, bottom = MARGIN
    plot_w, plot_h = WIDTH - left - right, HEIGHT - top - bottom
    finite = _finite(values)
    if not values or not finite:
        return _svg(title, description, [], "chart-empty")
    ticks = nice_ticks(0.0, max(max(finite), 1e-9))
    y_high = ticks[-1] or 1.0
    slot = plot_w / len(values)
    body = ['<g class="grid">']
    for tick in ticks:
        y = top + (1.0 - tick / y_high) * plot_h
        body.append(f'<line x1="{left:.1f}" x2="{WIDTH - right:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(
            f'<text class="y-label" x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(y_format(tick))}</text>"
        )
    for index, label in enumerate(labels):
        if index % label_every == 0:
            x = left + (index + 0.5) * slot
            body.append(
                f'<text class="x-label" x="{x:.1f}" y="{HEIGHT - 8:.1f}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    body.append(f"</g><g class={quoteattr('bars ' + css_class)}>")
    for index, value in enumerate(values):
        if value is None or not math.isfinite(value) or value <= 0:
            continue
        height = value / y_high * plot_h
        x = left + index * slot + slot * 0.15
        y = top + plot_h - height
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}"/>')
    body.append("</g>")
    return _svg(title, description, body, "chart-bar")


def share_bars(*, title: str, description: str, labels: Sequence[str], shares: Sequence[float]) -> SafeString:
    """Horizontal bars of shares (0–1), one row per label: the time in each HR zone."""
    row_h = 36.0
    height = row_h * max(len(labels), 1) + 8.0
    label_w, plot_w = 150.0, WIDTH - 150.0 - 70.0
    body = []
    for index, (label, share) in enumerate(zip(labels, shares, strict=True)):
        y = 4.0 + index * row_h
        width = max(0.0, min(1.0, share if math.isfinite(share) else 0.0)) * plot_w
        body.append(
            f'<text class="y-label" x="{label_w - 8:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="zone zone-{index + 1}" x="{label_w:.1f}" y="{y + 6:.1f}" width="{width:.1f}" '
            f'height="{row_h - 12:.1f}"/>'
            f'<text class="value" x="{label_w + width + 6:.1f}" y="{y + row_h / 2 + 4:.1f}">'
            f"{share * 100:.0f} %</text>"
        )
    return _svg(title, description, body, "chart-shares", height)
