"""The timeline figure: the chronology's key events and phases on a time axis, with matplotlib.

:func:`draw_timeline` writes the book's timeline (SVG, PDF and PNG); the
axis segments, the callouts and their layout, and the phase patches are also
what the wall poster (:mod:`build_tools.figures.poster`) draws with.
matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from build_tools.chronology.model import (
    MONTH_NAMES,
    ChronologyResult,
    Event,
    format_event_date,
    key_events,
)
from build_tools.figures.plotting import FORMATS, book_fonts

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.typing import RcKeyType

#: Okabe and Ito's palette, readable with every common colour-vision deficiency.
PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Hatches so that phases stay apart in black and white.
HATCHES: Final = ("///", "\\\\\\", "...", "xxx", "---", "|||", "+++", "ooo")
_DPI: Final = 150
_WIDTH_PX: Final = 1600
_RC: Final[dict[RcKeyType, Any]] = {
    "font.family": ["DejaVu Sans", "Noto Sans CJK KR"],  # CJK glyphs from Noto (fallback)
    "text.parse_math": False,  # labels are the article's text: "$5 and $6" is not maths
    "svg.hashsalt": "build_tools.chronology",  # fixed: it seeds every SVG id
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": False,
    "hatch.linewidth": 1.0,
}
_METADATA: Final = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}
_LABEL_SIZE: Final = 12.5
_DATE_SIZE: Final = 11.5
_LEGEND_SIZE: Final = 11.0
_LEGEND_LINE: Final = _LEGEND_SIZE * 1.2 * _DPI / 72 + 1
_LEGEND_CHARS: Final = 58  # what fits half the figure's width at _LEGEND_SIZE


@dataclass(frozen=True)
class Segment:
    """A stretch of the time axis: its first and last day and where it is drawn."""

    first: dt.date
    last: dt.date
    left: float
    right: float
    detail: bool  # month by month (the war) or compressed years

    def x(self, day: dt.date) -> float:
        """Where a day is drawn in the segment (days outside it are drawn at its ends)."""
        total = (self.last - self.first).days or 1
        share = (min(max(day, self.first), self.last) - self.first).days / total
        return self.left + share * (self.right - self.left)


def axis_segments(
    result: ChronologyResult,
    keys: Sequence[Event],
    width: float,
    *,
    insets: tuple[float, float] = (60.0, 40.0),
    gap: float = 26.0,
) -> list[Segment]:
    """Compressed years before and after the war, the war month by month in between.

    :param result: the chronology
    :param keys: the events the axis must hold (with the phases)
    :param width: the width to draw in
    :param insets: where the axis starts and ends, from the left and the right edge
    :param gap: the break between two segments
    :return: the segments, left to right
    """
    span = result.span
    days = [d for e in [*keys, *result.phases] for d in e.span]
    if span is None or not days:
        first = min(days) if days else dt.date(2000, 1, 1)
        last = max(days) if days else dt.date(2001, 1, 1)
        return [Segment(first, last, insets[0], width - insets[1], True)]
    war_first = dt.date(span.first, 1, 1)
    war_last = dt.date(span.last, 12, 31)
    before = [d for d in days if d < war_first]
    after = [d for d in days if d > war_last]
    left, right = insets[0], width - insets[1]
    usable = right - left
    segments: list[Segment] = []
    war_left, war_right = left, right
    if before:
        start = dt.date(min(before).year // 10 * 10, 1, 1)
        share = 0.2 * usable
        segments.append(Segment(start, war_first, left, left + share, False))
        war_left = left + share + gap
    if after:
        end = dt.date(max(after).year // 10 * 10 + 10, 1, 1)
        share = 0.12 * usable
        war_right = right - share - gap
        segments.append(Segment(war_last, end, war_right + gap, right, False))
    segments.append(Segment(war_first, war_last, war_left, war_right, True))
    return sorted(segments, key=lambda s: s.left)


def axis_x(segments: Sequence[Segment], day: dt.date) -> float:
    """Where a day is drawn on a time axis.

    :param segments: the axis, from :func:`axis_segments`
    :param day: the day
    :return: its x
    """
    for segment in segments:
        if day <= segment.last:
            return segment.x(day)
    return segments[-1].x(day)


@dataclass
class Callout:
    """A key event's label: its text, size and the centre it is drawn at."""

    event: Event
    point: float  # x of the event on the axis
    text: str
    date: str
    width: float
    height: float
    centre: float = 0.0
    row: int = 0
    date_height: float = 0.0


def _spread(targets: Sequence[float], gaps: Sequence[float], lo: float, hi: float) -> list[float]:
    """Positions in order, ``gaps[k]`` apart at least, as near ``targets`` as possible.

    Least squares under order constraints: subtracting the running sum of gaps
    makes it an isotonic regression, solved by pooling adjacent violators.

    :param targets: the wanted positions, in order
    :param gaps: the least distance between neighbours (one fewer than targets)
    :param lo: the least first position
    :param hi: the greatest last position
    :return: the positions
    """
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    values = [target - offset for target, offset in zip(targets, offsets, strict=True)]
    blocks: list[list[float]] = []  # [mean, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean2, count2 = blocks.pop()
            mean1, count1 = blocks.pop()
            blocks.append([(mean1 * count1 + mean2 * count2) / (count1 + count2), count1 + count2])
    fitted = [mean for mean, count in blocks for _ in range(int(count))]
    low, high = lo, hi - offsets[-1]
    if high < low:
        low = high = (lo + hi - offsets[-1]) / 2
    return [
        min(max(value, low), high) + offset for value, offset in zip(fitted, offsets, strict=True)
    ]


def layout_callouts(
    callouts: list[Callout], lo: float, hi: float, *, clearance: float = 7.0
) -> list[Callout]:
    """Alternate callouts between two rows like bricks, spread along the width.

    The lower row's boxes leave gaps through which the upper row's leader
    lines drop vertically; below the lower row every leader runs straight to
    its event.  Order is kept, so no two leaders cross.  When the labels
    cannot all fit, those told least often are left out.  ``clearance`` is the
    least room between a leader line and the boxes beside it.
    """
    chosen = list(callouts)
    while chosen:
        gaps = [
            max(first.width, second.width) / 2 + clearance
            for first, second in itertools.pairwise(chosen)
        ]
        if sum(gaps) + (chosen[0].width + chosen[-1].width) / 2 <= hi - lo:
            break
        inner = chosen[1:-1] or chosen  # the first and last events stay
        weakest = min(inner, key=lambda c: (len(c.event.told_also), -c.event.line))
        chosen.remove(weakest)
    if not chosen:
        return []
    lo_first, hi_last = lo + chosen[0].width / 2, hi - chosen[-1].width / 2
    centres = _spread([c.point for c in chosen], gaps, lo_first, hi_last)
    for index, (callout, centre) in enumerate(zip(chosen, centres, strict=True)):
        callout.centre, callout.row = centre, index % 2
    return chosen


def wrap(text: str, width: int) -> list[str]:
    """A text's lines, at most ``width`` characters each, never breaking a word.

    :param text: the text
    :param width: the most characters a line should hold
    :return: the lines (at least one)
    """
    return list(_wrapped(text, width))


@functools.lru_cache(maxsize=8192)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """:func:`wrap`, kept: a poster's layout wraps each label at every width, many times."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or (text,)


def short_date(event: Event) -> str:
    """The date of a callout: months cut to three letters, ranges without spaces."""
    text = format_event_date(event).replace(" – ", "–").removeprefix("by ")
    for name in MONTH_NAMES:
        text = text.replace(name, name[:3])
    return text


def draw_timeline(
    result: ChronologyResult, outdir: Path, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """Draw the timeline as ``timeline.svg``, ``timeline.pdf`` and ``timeline.png``.

    The war years run month by month; earlier (and later) years are compressed
    into narrow segments, marked by a break.  Key events
    (:func:`~build_tools.chronology.model.key_events`) are labelled above and
    below the axis, alternately, in two staggered rows each, with leader lines
    that cross nothing; the headings' phases are hatched bars in a panel of
    their own.  Fonts are sized to stay readable when the figure is printed
    across an A4 page.  Output is byte-for-byte the same for the same
    chronology (fixed SVG hash salt, no dates or versions in the files).

    :param result: the chronology
    :param outdir: the folder to write into (created if missing)
    :param formats: the formats to write
    :return: the paths written, one a format
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    outdir.mkdir(parents=True, exist_ok=True)
    width = float(_WIDTH_PX)
    keys = key_events(result)
    with mpl.rc_context(rc=_RC), book_fonts():
        figure = Figure(figsize=(width / _DPI, 8.0), dpi=_DPI)
        FigureCanvasAgg(figure)
        segments = axis_segments(result, keys, width)
        callouts = [_callout(figure, segments, event) for event in keys]
        sides = [callouts[0::2], callouts[1::2]]
        sides = [layout_callouts(side, 4.0, width - 4.0) for side in sides]
        heights = [max((c.height for c in side), default=0.0) for side in sides]
        # rows: the edge of the box nearest the axis, above (+) and below (-)
        near_up, near_down = 64.0, -78.0
        rows_y = {
            (0, 0): near_up,
            (0, 1): near_up + heights[0] + 16,
            (1, 0): near_down,
            (1, 1): near_down - heights[1] - 16,
        }
        top = rows_y[0, 1] + heights[0] + 6 if sides[0] else 30.0
        bottom_callouts = rows_y[1, 1] - heights[1] if sides[1] else -50.0
        panel_axis = bottom_callouts - 34
        lanes = phase_lanes(result.phases)
        lane_height, lane_gap = 17.0, 5.0
        lanes_used = len(set(lanes.values())) if lanes else 0
        phase_top = panel_axis - 40
        legend_top = phase_top - lanes_used * (lane_height + lane_gap) - 12
        bottom = legend_top - _legend_height(result.phases) - 4
        figure.set_size_inches(width / _DPI, (top - bottom) / _DPI)
        axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
        axes.set_xlim(0, width)
        axes.set_ylim(bottom, top)
        axes.set_axis_off()
        _draw_axis(axes, segments, 0.0, months=True)
        if result.phases:
            _draw_axis(axes, segments, panel_axis, months=False)
            _draw_phases(
                axes,
                segments,
                result.phases,
                lanes=lanes,
                top=phase_top,
                legend_top=legend_top,
                width=width,
            )
        for side, chosen in enumerate(sides):
            for callout in chosen:
                _draw_callout(axes, segments, callout, side=side, rows_y=rows_y)
        return _save(figure, outdir, formats)


def _measure(figure: Figure, text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """The width and height a text takes in the figure, in pixels."""
    artist = figure.text(0, 0, text, fontsize=size, fontweight=weight, linespacing=1.15)
    box = artist.get_window_extent()
    artist.remove()
    return box.width, box.height


def _callout(figure: Figure, segments: Sequence[Segment], event: Event) -> Callout:
    """A key event's callout on the timeline: its label in four lines at most, and its date.

    :param figure: the figure, to measure the texts in
    :param segments: the time axis
    :param event: the key event
    :return: the callout, not yet placed
    """
    lines = wrap(event.label, 13)
    text = "\n".join([*lines[:4], *([] if len(lines) <= 4 else ["…"])])
    text_w, text_h = _measure(figure, text, _LABEL_SIZE)
    date = short_date(event)
    date_w, date_h = _measure(figure, date, _DATE_SIZE, "bold")
    if " " in date.split("–")[0] and date_w > text_w + 12:  # "27 Nov–13 Dec 1950"
        date = date.replace("–", "–\n", 1)
        date_w, date_h = _measure(figure, date, _DATE_SIZE, "bold")
    first, last = event.span
    point = (axis_x(segments, first) + axis_x(segments, last)) / 2
    callout = Callout(event, point, text, date, max(text_w, date_w) + 6, text_h + date_h + 10)
    callout.date_height = date_h
    return callout


def _draw_callout(
    axes: Axes,
    segments: Sequence[Segment],
    callout: Callout,
    *,
    side: int,
    rows_y: dict[tuple[int, int], float],
) -> None:
    """A placed callout: its leader line, its event's mark on the axis, its date and label.

    :param axes: the axes to draw on
    :param segments: the time axis
    :param callout: the callout, placed by :func:`layout_callouts`
    :param side: 0 above the axis, 1 below
    :param rows_y: the edge nearest the axis of each row's boxes, by side and row
    """
    from matplotlib.patches import Rectangle

    sign = 1.0 if side == 0 else -1.0
    near = rows_y[side, callout.row]
    box_top = near + callout.height if side == 0 else near
    first, last = callout.event.span
    x0, x1 = axis_x(segments, first), axis_x(segments, last)
    start = rows_y[side, 0] - sign * 4
    xs, ys = [callout.centre, callout.point], [start, 0.0]
    if callout.row == 1:
        xs, ys = [callout.centre, *xs], [near - sign * 4, *ys]
    axes.plot(xs, ys, color="#4d4d4d", lw=0.9, zorder=2, solid_capstyle="butt")
    if x1 - x0 > 3:
        axes.add_patch(Rectangle((x0, -4), x1 - x0, 8, color="black", zorder=4))
    else:
        axes.plot([callout.point], [0], "o", ms=5, color="black", zorder=4)
    left = callout.centre - callout.width / 2 + 3
    axes.text(left, box_top, callout.date, fontsize=_DATE_SIZE, fontweight="bold",
              va="top", ha="left", linespacing=1.15, zorder=5)  # fmt: skip
    axes.text(left, box_top - callout.date_height - 6, callout.text,
              fontsize=_LABEL_SIZE, va="top", ha="left", linespacing=1.15,
              zorder=5)  # fmt: skip


def _save(figure: Figure, outdir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the figure in each format, without dates or versions in the files."""
    paths: list[Path] = []
    for suffix in formats:
        path = outdir / f"timeline.{suffix}"
        figure.savefig(path, format=suffix, dpi=_DPI, metadata=_METADATA[suffix])
        paths.append(path)
    return paths


def _legend_names(phases: Sequence[Event]) -> list[str]:
    """Each phase's legend entry: its name and dates, on two lines when too long."""
    names = []
    for phase in phases:
        name = f"{phase.label} ({format_event_date(phase)})"
        if len(name) > _LEGEND_CHARS:
            name = "\n".join(wrap(name, _LEGEND_CHARS)[:2])
        names.append(name)
    return names


def _legend_height(phases: Sequence[Event]) -> float:
    names = _legend_names(phases)
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    return sum(max(n.count("\n") + 1 for n in row) * _LEGEND_LINE + 8 for row in rows)


def phase_lanes(phases: Sequence[Event]) -> dict[int, int]:
    """Stack overlapping phases in lanes: phase index to lane."""
    lanes: dict[int, int] = {}
    ends: list[dt.date] = []
    for index, phase in sorted(enumerate(phases), key=lambda item: item[1].span):
        first, last = phase.span
        for lane, end in enumerate(ends):
            if end < first:
                ends[lane] = last
                lanes[index] = lane
                break
        else:
            lanes[index] = len(ends)
            ends.append(last)
    return lanes


def _draw_axis(axes: Axes, segments: Sequence[Segment], y: float, *, months: bool) -> None:
    """A time axis at height ``y``: decades in compressed segments, years (and months) else."""
    label_box = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
    weight = 2.0 if months else 1.0
    for segment in segments:
        axes.plot([segment.left, segment.right], [y, y], color="black", lw=weight, zorder=3)
        if segment.detail:
            year = segment.first.year
            while dt.date(year, 1, 1) <= segment.last:
                for month in range(1, 13):
                    day = dt.date(year, month, 1)
                    if day > segment.last or (month > 1 and not months):
                        break
                    x = segment.x(day)
                    tall = month == 1
                    axes.plot([x, x], [y, y - (12 if tall else 5)], color="black",
                              lw=1.2 if tall else 0.6, zorder=3)  # fmt: skip
                    if months and month in (4, 7, 10):
                        axes.text(x, y - 8, MONTH_NAMES[month - 1][:3], fontsize=10,
                                  ha="center", va="top", color="#333333", bbox=label_box,
                                  zorder=3)  # fmt: skip
                middle = segment.x(dt.date(year, 7, 1))
                axes.text(middle, y - (30 if months else 10), str(year), fontsize=12,
                          fontweight="bold", ha="center", va="top", bbox=label_box,
                          zorder=3)  # fmt: skip
                year += 1
        else:
            step = 10 if segment.last.year - segment.first.year > 15 else 5
            year = segment.first.year
            while dt.date(year, 1, 1) < segment.last:
                x = segment.x(dt.date(year, 1, 1))
                axes.plot([x, x], [y, y - 8], color="black", lw=0.8, zorder=3)
                axes.text(x, y - 10, str(year), fontsize=10.5, ha="center", va="top",
                          color="#333333", bbox=label_box, zorder=3)  # fmt: skip
                year += step
    for first, second in itertools.pairwise(segments):
        middle = (first.right + second.left) / 2
        for dx in (-4, 4):
            axes.plot([middle + dx - 4, middle + dx + 4], [y - 7, y + 7], color="black", lw=1.2)


def _draw_phases(
    axes: Axes,
    segments: Sequence[Segment],
    phases: Sequence[Event],
    *,
    lanes: dict[int, int],
    top: float,
    legend_top: float,
    width: float,
) -> None:
    """Heading phases as hatched bars in lanes from ``top`` down, with a two-column legend."""
    lane_height, lane_gap = 17.0, 5.0
    for index, phase in enumerate(phases):
        first, last = phase.span
        x0, x1 = axis_x(segments, first), axis_x(segments, last)
        y = top - lanes[index] * (lane_height + lane_gap) - lane_height
        axes.add_patch(phase_patch(x0, y, max(x1 - x0, 3.0), lane_height, index))
    column = (width - 60) / 2
    names = _legend_names(phases)
    y = legend_top
    for start in range(0, len(names), 2):
        lines = max(name.count("\n") + 1 for name in names[start : start + 2])
        for col, name in enumerate(names[start : start + 2]):
            x = 40 + col * column
            axes.add_patch(phase_patch(x, y - 17, 32, 16, start + col))
            axes.text(x + 40, y, name, fontsize=_LEGEND_SIZE, va="top", ha="left", linespacing=1.2)
        y -= lines * _LEGEND_LINE + 8


def phase_patch(
    x: float, y: float, w: float, h: float, index: int, *, lw: float = 0.8
) -> Rectangle:
    """The bar (or legend swatch) of the ``index``-th phase: its colour and its hatch.

    :param x: the left edge
    :param y: the bottom edge
    :param w: the width
    :param h: the height
    :param index: the phase's place in :attr:`ChronologyResult.phases`
    :param lw: the outline's width
    :return: the patch
    """
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x, y),
        w,
        h,
        facecolor=PALETTE[index % len(PALETTE)],
        alpha=0.9,
        edgecolor="black",
        hatch=HATCHES[index % len(HATCHES)],
        lw=lw,
    )
