"""Chart geometry for server-rendered SVG: numbers in, coordinates out.

The templates draw the SVG (so every label is escaped by Django, and the CSP needs no
script or inline style). A suppressed count (None) is never plotted: its height would
give away the value the table hides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Okabe-Ito: told apart by readers with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 12, 40


def nice_max(value: int) -> int:
    """A round upper bound for an axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    segments: list[str]  # SVG polyline "points", one per unbroken run
    dash: str  # a second cue beside colour


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    has_gaps: bool


def line_chart(
    x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]]
) -> LineChart:
    """Lines over the months; None breaks a line."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_max(max((v for _l, vs in series for v in vs if v is not None), default=0))
    n = len(x_labels)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return TOP + plot_h * (1 - v / top)

    lines, gaps = [], False
    dashes = ("", "6 3", "2 3", "8 3 2 3")
    for k, (label, values) in enumerate(series):
        segments: list[str] = []
        run: list[str] = []
        for i, v in enumerate(values):
            if v is None:
                gaps = True
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
        if run:
            segments.append(" ".join(run))
        # A lone point is drawn as a tiny segment so that it shows.
        segments = [s if " " in s else f"{s} {s}" for s in segments]
        lines.append(Line(label, PALETTE[k % len(PALETTE)], segments, dashes[k // 4 % 4]))
    every = max(1, math.ceil(n / 8))
    return LineChart(
        WIDTH,
        HEIGHT,
        LEFT,
        WIDTH - RIGHT,
        TOP,
        HEIGHT - BOTTOM,
        lines,
        [Tick(y(top * i // 4), f"{top * i // 4:,}") for i in range(5)],
        [Tick(x(i), x_labels[i]) for i in range(0, n, every)],
        gaps,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str
    y: float
    length: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def bar_chart(rows: Sequence[tuple[str, int | None, str]], limit: int = 15) -> BarChart:
    """Horizontal bars (label, value or None when suppressed, value as shown)."""
    label_w, bar_h, gap = 220, 18, 6
    rows = list(rows)[:limit]
    top = max((v for _l, v, _s in rows if v is not None), default=0) or 1
    room = WIDTH - label_w - 70
    bars = [
        Bar(label, shown, i * (bar_h + gap), (room * v / top) if v else 0.0)
        for i, (label, v, shown) in enumerate(rows)
    ]
    return BarChart(WIDTH, max(1, len(rows)) * (bar_h + gap), label_w, bar_h, bars)
