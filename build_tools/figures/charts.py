"""Draw a data figure: the article's numbers as range bars, never invented single values.

A row shows every figure the article gives for one quantity
(:class:`~build_tools.stats.model.Row`): a bar spans the lowest to the highest,
a tick marks each figure, an arrow marks an open end ("over 500,000").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from build_tools.figures.plotting import FORMATS, PALETTE, book_style, new_figure, save_figure
from build_tools.stats.model import SIDES, Chart, Row, describe_row

#: How each side of the war is drawn: colour and hatching (told apart in grey too).
SIDE_STYLES = {
    "communist": (PALETTE["vermillion"], "////"),
    "un": (PALETTE["blue"], "...."),
    "both": (PALETTE["green"], "xx"),
    "none": ("#999999", ""),
}


def draw_chart(
    chart: Chart, *, width: float = 4.0, formats: Sequence[str] = FORMATS
) -> dict[str, bytes]:
    """Draw a chart: one panel of horizontal range bars per group.

    :param chart: the chart
    :param width: the figure's width in inches
    :param formats: the formats to save
    :return: its files by format
    """
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    row_height = 0.56  # two lines a row: the quantity, then its figures
    heights = [len(panel.rows) * row_height + 0.62 for panel in chart.panels]
    used = {row.side for panel in chart.panels for row in panel.rows}
    legend_rows = math.ceil((len(used) + 1) / 2)  # the sides, then the unit
    total = sum(heights) + 0.2 + 0.22 * legend_rows
    longest = max(
        max(len(row.label), len(describe_row(row))) for panel in chart.panels for row in panel.rows
    )
    left = min(0.56, (0.2 + 0.072 * longest) / width)
    with book_style():
        figure = new_figure(width, total)
        top = total - 0.05
        limit = max(row.high for panel in chart.panels for row in panel.rows) * 1.15
        for panel, height in zip(chart.panels, heights, strict=True):
            top -= height
            axes = figure.add_axes(
                (left, (top + 0.35) / total, 0.95 - left, (height - 0.62) / total)
            )
            axes.set_xlim(0, limit)
            count = len(panel.rows)
            for index, row in enumerate(panel.rows):
                _draw_row(axes, row, count - 1 - index, limit)
            axes.set_yticks(range(count))
            axes.set_yticklabels(
                [f"{row.label}\n{describe_row(row)}" for row in reversed(panel.rows)],
                fontsize=9,
                linespacing=1.25,
            )
            axes.set_ylim(-0.6, count - 0.4)
            axes.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
            axes.xaxis.set_major_formatter(lambda value, _: _axis_number(value))
            axes.tick_params(axis="x", labelsize=8)
            axes.grid(axis="x", color="#cccccc", linewidth=0.5)
            axes.set_axisbelow(True)
            figure.text(
                0.02,
                (top + height - 0.2) / total,
                panel.title,
                fontsize=10,
                fontweight="bold",
                va="center",
            )
        handles = [
            Patch(
                facecolor=SIDE_STYLES[side][0],
                alpha=0.35,
                edgecolor="black",
                hatch=SIDE_STYLES[side][1],
                label=label,
            )
            for side, label in SIDES.items()
            if side in used and label
        ]
        handles.append(Patch(facecolor="none", edgecolor="none", label=f"Unit: {chart.unit}"))
        figure.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.02, 0.01),
            ncols=2,
            fontsize=8.5,
            frameon=False,
            handlelength=2.2,
        )
        return save_figure(figure, title=chart.title, formats=formats)


def _draw_row(axes: Any, row: Row, y: float, limit: float) -> None:
    """One row: a bar over the range, a tick at each figure, an arrow at an open end."""
    colour, hatch = SIDE_STYLES[row.side]
    low, high = row.low, row.high
    if high > low:
        axes.barh(
            y,
            high - low,
            left=low,
            height=0.5,
            color=colour,
            alpha=0.35,
            edgecolor=PALETTE["black"],
            linewidth=0.8,
            hatch=hatch,
        )
    for value in row.values:
        axes.plot(
            [value.number] * 2,
            [y - 0.32, y + 0.32],
            color=PALETTE["black"],
            linewidth=1.6,
            solid_capstyle="butt",
        )
        # an open end ("over", "under"): only at the end of the range it opens
        if (value.more and value.number == high) or (value.less and value.number == low):
            sign = 1 if value.more else -1
            axes.annotate(
                "",
                xy=(value.number + sign * limit * 0.07, y),
                xytext=(value.number, y),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": PALETTE["black"],
                    "linewidth": 1.1,
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )


def _axis_number(value: float) -> str:
    if value == 0:
        return "0"
    if value >= 1e6:
        return f"{value / 1e6:g}M"
    if value < 1e3:  # small figures (a hundred deaths) as they are, not "0.025k"
        return f"{value:g}"
    return f"{value / 1e3:g}k"
