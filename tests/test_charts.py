"""The chart geometry (briefings/encounters/charts.py): nice ticks, scales and where each bar and column goes."""

import pytest

from briefings.encounters import charts


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (17_106, [0, 5_000, 10_000, 15_000, 20_000]),
        (20_000, [0, 5_000, 10_000, 15_000, 20_000]),
        (20_001, [0, 5_000, 10_000, 15_000, 20_000, 25_000]),
        (249_785, [0, 50_000, 100_000, 150_000, 200_000, 250_000]),
        (2_475_669, [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000]),
    ],
)
def test_nice_ticks_start_at_zero_and_cover_the_maximum_in_round_steps(maximum, ticks):
    assert charts.nice_ticks(maximum) == ticks


@pytest.mark.parametrize("maximum", [1, 9, 11, 99, 101, 1234, 56_789, 999_999, 1_000_001])
def test_nice_ticks_properties(maximum):
    ticks = charts.nice_ticks(maximum)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0
    assert ticks[-1] >= maximum > ticks[-2]
    assert all(later - earlier == step for earlier, later in zip(ticks, ticks[1:], strict=False))
    mantissa = step / 10 ** (len(str(step)) - 1)
    assert mantissa in (1, 2, 5)
    assert 2 <= len(ticks) <= 11


def test_scale_maps_the_domain_onto_the_length():
    assert charts.scale(0, domain_max=200, length=400) == 0
    assert charts.scale(50, domain_max=200, length=400) == 100
    assert charts.scale(200, domain_max=200, length=400) == 400
    assert charts.scale(5, domain_max=0, length=400) == 0


def test_shorten_keeps_short_labels_and_cuts_long_ones_with_an_ellipsis():
    assert charts.shorten("Single Adults") == "Single Adults"
    long_label = "Preclearance Field Office (Other region)"
    short = charts.shorten(long_label)
    assert short.endswith("…")
    assert len(short) <= charts.LABEL_MAX_CHARACTERS
    assert long_label.startswith(short[:-1])


def test_bar_chart_lengths_are_proportional_and_bars_do_not_overlap():
    chart = charts.bar_chart([("Single Adults", 15_000), ("FMUA", 1_500), ("Accompanied Minors", 0)])
    assert [tick.value for tick in chart.ticks] == [0, 5_000, 10_000, 15_000]
    plot_length = chart.plot_right - chart.plot_left
    adults, families, minors = chart.bars
    assert adults.width == plot_length  # the largest value reaches the last tick
    assert families.width == pytest.approx(plot_length / 10)
    assert minors.width == 0
    assert all(bar.x == chart.plot_left for bar in chart.bars)
    assert adults.y + adults.height < families.y < families.y + families.height < minors.y
    assert minors.y + minors.height <= chart.plot_bottom < chart.height
    # The value after each bar stays inside the drawing, and the label sits left of the bars.
    assert adults.value_x < chart.width
    assert all(bar.label_x < chart.plot_left for bar in chart.bars)
    assert chart.ticks[0].position == chart.plot_left
    assert chart.ticks[-1].position == chart.plot_right


def test_bar_chart_of_nothing_has_a_scale_and_no_bars():
    chart = charts.bar_chart([])
    assert chart.bars == []
    assert [tick.value for tick in chart.ticks] == [0, 1]
    assert chart.height > 0


def test_bar_chart_keeps_the_full_label_for_the_title():
    label = "CHINA, PEOPLES REPUBLIC OF · and a much longer tail"
    (bar,) = charts.bar_chart([(label, 10)]).bars
    assert bar.label == label
    assert bar.short_label != label


def test_column_chart_heights_positions_and_gaps():
    chart = charts.column_chart(
        [
            ("April 2020", 17_106, "Apr", "2020"),
            ("May 2020", None, "May", ""),
            ("June 2020", 1_249, "Jun", ""),
        ]
    )
    april, may, june = chart.columns
    assert [tick.value for tick in chart.ticks] == [0, 5_000, 10_000, 15_000, 20_000]
    plot_height = chart.plot_bottom - chart.plot_top
    assert april.height == pytest.approx(plot_height * 17_106 / 20_000, abs=0.01)
    assert april.y + april.height == pytest.approx(chart.plot_bottom)
    assert may.value is None and may.height == 0  # a gap, drawn as “no data”, not a zero column
    assert april.x + april.width < may.x < may.x + may.width < june.x
    assert june.x + june.width <= chart.plot_right
    assert chart.ticks[0].position == chart.plot_bottom
    assert chart.ticks[-1].position == chart.plot_top
    assert chart.show_values
    assert [column.axis_label for column in chart.columns] == ["Apr", "May", "Jun"]


def test_column_chart_with_many_columns_labels_only_where_a_sublabel_is_set():
    items = [(f"month {n}", n, f"M{n}", "2020" if n % 12 == 0 else "") for n in range(36)]
    chart = charts.column_chart(items)
    labelled = [column.axis_label for column in chart.columns if column.axis_label]
    assert labelled == ["M0", "M12", "M24"]
    assert not chart.show_values
    assert all(earlier.x < later.x for earlier, later in zip(chart.columns, chart.columns[1:], strict=False))
