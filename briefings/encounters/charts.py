"""Geometry for the charts on the public pages: scales, “nice” axis ticks and bar positions, in SVG user units.

The SVG itself is written by templates (jinja2/includes/_bar_chart.html and _column_chart.html) from what
these functions return, so every chart is plain, semantic markup rendered on the server: it reads without
JavaScript, carries its own <title> and <desc>, and each bar has a <title> with its label and value.

Why no chart library: pygal and similar SVG libraries embed inline <style> and <script> elements, which the
site's planned Content-Security-Policy forbids (no inline styles or scripts anywhere; colours come from
static/css/site.css through class names), and matplotlib is a heavy dependency whose SVG output is drawing
instructions (paths and glyphs) rather than labelled, accessible elements. The geometry needed for bar and
column charts is small enough to own and to unit-test (tests/test_charts.py).

Everything here is pure Python: no Django, no database, no formatting of numbers (templates do that).
"""

import math
from dataclasses import dataclass

# The SVG viewBox is this wide; CSS scales it to the width of the page.
CHART_WIDTH = 640

# Horizontal bar charts: a column of labels, the bars, then room for the value printed after each bar.
BAR_LABEL_WIDTH = 210
BAR_VALUE_WIDTH = 80
BAR_ROW_HEIGHT = 28
BAR_THICKNESS = 18
BAR_TOP = 28  # room for the axis tick labels above the bars
BAR_BOTTOM = 8
LABEL_MAX_CHARACTERS = 30

# Column charts: tick labels to the left, month labels (two lines) below.
COLUMN_LEFT = 72
COLUMN_RIGHT = 12
COLUMN_TOP = 24  # room for the value printed above the tallest column
COLUMN_PLOT_HEIGHT = 220
COLUMN_BOTTOM = 44
COLUMN_FILL = 0.7  # share of each slot the column covers
COLUMN_MAX_WIDTH = 48  # so one or two months do not make slabs
COLUMN_LABELS_ALL_UP_TO = 24  # more columns than this: label only the first and each January
COLUMN_VALUES_UP_TO = 13  # more columns than this: no value above each column (the table has them all)


def nice_step(span: float, tick_count: int = 5) -> int:
    """The step between axis ticks: 1, 2 or 5 times a power of ten, so about `tick_count` steps cover `span`.

    Counts are whole numbers, so the step is never below 1.
    """
    if span <= 0:
        return 1
    rough = span / tick_count
    magnitude = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5):
        if rough <= multiple * magnitude:
            return max(1, int(multiple * magnitude))
    return max(1, int(10 * magnitude))


def nice_ticks(maximum: float, tick_count: int = 5) -> list[int]:
    """Ticks from 0 up to the first multiple of a nice step at or above `maximum`: 0, 5,000, 10,000, …

    With nothing to show (a maximum of 0) the axis still runs 0 to 1, so bars of 0 have a scale to sit on.
    """
    step = nice_step(maximum, tick_count)
    top = max(step, math.ceil(maximum / step) * step)
    return list(range(0, top + 1, step))


def scale(value: float, *, domain_max: float, length: float) -> float:
    """Where `value` falls on an axis that maps 0..`domain_max` onto 0..`length`."""
    if domain_max <= 0:
        return 0.0
    return value / domain_max * length


def shorten(label: str, limit: int = LABEL_MAX_CHARACTERS) -> str:
    """A label cut to fit the label column; the full label stays in the bar's <title> and in the table."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Tick:
    value: int
    position: float  # x for horizontal bars, y for columns


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    short_label: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    text_y: float  # baseline for the label and the value, centred on the bar
    value_x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one bar per (label, value), top to bottom in the order given."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    ticks: list[Tick]
    bars: list[Bar]


def bar_chart(items: list[tuple[str, int]]) -> BarChart:
    plot_left = BAR_LABEL_WIDTH
    plot_right = CHART_WIDTH - BAR_VALUE_WIDTH
    plot_length = plot_right - plot_left
    tick_values = nice_ticks(max((value for _label, value in items), default=0))
    domain_max = tick_values[-1]
    bars = []
    for index, (label, value) in enumerate(items):
        y = BAR_TOP + index * BAR_ROW_HEIGHT + (BAR_ROW_HEIGHT - BAR_THICKNESS) / 2
        width = scale(value, domain_max=domain_max, length=plot_length)
        bars.append(
            Bar(
                label=label,
                value=value,
                short_label=shorten(label),
                x=plot_left,
                y=y,
                width=round(width, 2),
                height=BAR_THICKNESS,
                label_x=plot_left - 8,
                text_y=round(y + BAR_THICKNESS / 2, 2),
                value_x=round(plot_left + width + 6, 2),
            )
        )
    plot_bottom = BAR_TOP + len(items) * BAR_ROW_HEIGHT
    ticks = [
        Tick(value=value, position=round(plot_left + scale(value, domain_max=domain_max, length=plot_length), 2))
        for value in tick_values
    ]
    return BarChart(
        width=CHART_WIDTH,
        height=plot_bottom + BAR_BOTTOM,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=BAR_TOP,
        plot_bottom=plot_bottom,
        ticks=ticks,
        bars=bars,
    )


@dataclass(frozen=True)
class Column:
    label: str
    value: int | None  # None: no data for this slot (not the same as 0)
    axis_label: str  # first line under the column (may be empty)
    axis_sublabel: str  # second line (e.g. the year; may be empty)
    x: float
    y: float
    width: float
    height: float
    center_x: float


@dataclass(frozen=True)
class ColumnChart:
    """A column chart: one slot per item, left to right; an item whose value is None is a gap marked no data."""

    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    ticks: list[Tick]
    columns: list[Column]
    label_y: float
    sublabel_y: float
    show_values: bool


def column_chart(items: list[tuple[str, int | None, str, str]]) -> ColumnChart:
    """`items` are (label, value or None, axis label, axis sublabel), left to right.

    With more than COLUMN_LABELS_ALL_UP_TO items, the caller's axis labels are kept only where the sublabel is
    set (e.g. the first month and each January), so labels never overlap.
    """
    plot_left = COLUMN_LEFT
    plot_right = CHART_WIDTH - COLUMN_RIGHT
    plot_top = COLUMN_TOP
    plot_bottom = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    tick_values = nice_ticks(max((value or 0 for _label, value, *_axis in items), default=0))
    domain_max = tick_values[-1]
    slot = (plot_right - plot_left) / max(1, len(items))
    column_width = min(slot * COLUMN_FILL, COLUMN_MAX_WIDTH)
    label_all = len(items) <= COLUMN_LABELS_ALL_UP_TO
    columns = []
    for index, (label, value, axis_label, axis_sublabel) in enumerate(items):
        height = scale(value or 0, domain_max=domain_max, length=COLUMN_PLOT_HEIGHT)
        center = plot_left + slot * index + slot / 2
        columns.append(
            Column(
                label=label,
                value=value,
                axis_label=axis_label if label_all or axis_sublabel else "",
                axis_sublabel=axis_sublabel,
                x=round(center - column_width / 2, 2),
                y=round(plot_bottom - height, 2),
                width=round(column_width, 2),
                height=round(height, 2),
                center_x=round(center, 2),
            )
        )
    ticks = [
        Tick(
            value=value,
            position=round(plot_bottom - scale(value, domain_max=domain_max, length=COLUMN_PLOT_HEIGHT), 2),
        )
        for value in tick_values
    ]
    return ColumnChart(
        width=CHART_WIDTH,
        height=plot_bottom + COLUMN_BOTTOM,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        ticks=ticks,
        columns=columns,
        label_y=plot_bottom + 18,
        sublabel_y=plot_bottom + 36,
        show_values=len(items) <= COLUMN_VALUES_UP_TO,
    )
