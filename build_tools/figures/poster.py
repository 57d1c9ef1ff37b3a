"""The chronology as a classroom wall poster: one landscape page, A3 or Tabloid.

The poster shows what the book's timeline figure shows (the key events of
:func:`~build_tools.chronology.model.key_events` on an axis that compresses the years
before and after the war, the headings' phases as hatched bars), sized to be
read from two metres: the title at 60 pt or more, every event's date (bold) and
label at 20 pt or more, generous margins for printers.  It reuses the figure's
layout: the same axis segments, and labels spread by the same rule (two
staggered rows above the axis, two below), wrapped as wide as the sheet allows.
The axis is a dark ribbon holding the years, with the phases' bars under it and
their legend at the foot; each label's leader line runs down, along its own
level and down again to its day, so none crosses another, a label or the
ribbon.  When the events cannot all be set at full size, those told least often
are left out, never shrunk.

Text from the article is data, never markup: matplotlib's mathtext is off for
every string drawn, so ``$x$`` shows as ``$x$``.

The PDF is byte-for-byte the same for the same chronology and title (no dates
or tool versions, see :func:`build_tools.plotting.save_figure`), with its fonts
embedded.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from build_tools.figures.posterlayout import (
    CLEARANCE,
    LEGEND_ROW_GAP,
    LEVEL,
    Header,
    Legend,
    TimelinePlan,
    leader_levels,
    one_row,
    weakest,
)

if TYPE_CHECKING:  # the chronology and matplotlib are imported when a poster is drawn
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from build_tools.chronology.model import ChronologyResult, Event
    from build_tools.figures.timeline import Callout, Segment


@dataclass(frozen=True)
class Paper:
    """A poster's sheet in landscape: its name and its size in points (1/72 inch)."""

    name: str
    width: float
    height: float


_MM: Final = 72 / 25.4
#: The sheets a poster is drawn for, by the name used in file names.
POSTERS: Final = {
    "a3": Paper("A3", 420 * _MM, 297 * _MM),
    "tabloid": Paper("Tabloid", 17 * 72.0, 11 * 72.0),
}
#: The most events a poster labels (fewer when they cannot all be placed).
MAX_EVENTS: Final = 24
#: Font sizes in points: the events' dates and labels are read from two metres.
TITLE_SIZES: Final = (72.0, 66.0, 60.0)
DATE_SIZE: Final = 20.0
LABEL_SIZE: Final = 20.0
SUBTITLE_SIZE: Final = 22.0
YEAR_SIZE: Final = 16.0
DECADE_SIZE: Final = 13.0
LEGEND_SIZE: Final = 12.5
FOOTER_SIZE: Final = 11.0
_SPAN_SIZE: Final = 40.0  # the years shown, top right
_KIND_SIZE: Final = 17.0  # "Timeline of key events" under them

_MARGIN: Final = 13 * _MM  # printers leave about 5 mm unprinted
_INK: Final = "#1a1a1a"
_MUTED: Final = "#555555"
_RIBBON_INK: Final = "#2b2b2b"
_ACCENT: Final = "#0072B2"
_LEADING: Final = 1.2  # from one line's baseline to the next, in font sizes
_WRAPS: Final = (22, 20, 18, 16, 15, 14, 13, 12, 11)  # label widths tried, in characters
_ROW_GAP: Final = 14.0  # between the two rows of labels on one side
_DATE_GAP: Final = 3.0  # between a date and its label
_PAD: Final = 8.0  # around a label's text inside its box
_RIBBON: Final = 24.0  # the axis: a dark band with the years in it
_LANE: Final = 13.0  # a phase's bar, under the axis
_LANE_GAP: Final = 2.0
_ELBOW: Final = 10.0  # from the axis to the nearest elbow
_LEGEND_BETWEEN: Final = 28.0  # between two columns of the legend
_SWATCH: Final = (38.0, 15.0)  # a legend entry's bar
_SWATCH_GAP: Final = 9.0
_HEADER_GAP: Final = 10.0  # between the header and its rule
_MIN_GAP: Final = 20.0  # the least room left around the timeline (else events go)
_YEAR_STEPS: Final = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500)  # labelled years


def poster_name(slug: str, paper: str) -> str:
    """The file name of a book's poster: ``<slug>-timeline-<paper>.pdf``.

    :param slug: the book's slug
    :param paper: a key of :data:`POSTERS`
    :return: the file name
    :raises ValueError: for an unknown paper
    """
    _sheet(paper)
    return f"{slug}-timeline-{paper}.pdf"


def _sheet(paper: str) -> Paper:
    try:
        return POSTERS[paper]
    except KeyError:
        known = ", ".join(POSTERS)
        raise ValueError(f"unknown poster paper {paper!r} (known: {known})") from None


def draw_poster(result: ChronologyResult, *, title: str, paper: str, subtitle: str = "") -> bytes:
    """Draw the chronology as a one-page wall poster.

    :param result: the chronology
    :param title: the book's title, the poster's heading
    :param paper: a key of :data:`POSTERS` (``a3`` or ``tabloid``)
    :param subtitle: a line under the title
    :return: the PDF file's bytes
    :raises ValueError: for an unknown paper
    """
    import matplotlib as mpl

    from build_tools.figures.plotting import book_style, new_figure, save_figure

    sheet = _sheet(paper)
    with book_style(), mpl.rc_context({"hatch.linewidth": 1.0}):
        figure = new_figure(sheet.width / 72, sheet.height / 72)
        _Poster(figure, sheet, result).draw(title=title, subtitle=subtitle)
        files = save_figure(figure, title=f"{title}: timeline", formats=("pdf",))
    return files["pdf"]


class _Poster:
    """One poster being drawn, in points from the sheet's lower left corner."""

    def __init__(self, figure: Figure, sheet: Paper, result: ChronologyResult) -> None:
        from build_tools.chronology.model import key_events

        self.figure = figure
        self.sheet = sheet
        self.result = result
        self.keys = key_events(result, limit=MAX_EVENTS)
        self.axes: Axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
        self.axes.set_xlim(0, sheet.width)
        self.axes.set_ylim(0, sheet.height)
        self.axes.set_axis_off()
        self.left, self.right = _MARGIN, sheet.width - _MARGIN
        self.bottom, self.top = _MARGIN, sheet.height - _MARGIN
        self.segments: list[Segment] = []
        self._widths: dict[tuple[str, float, str], float] = {}
        self._metrics: dict[str, tuple[float, float]] = {}
        #: each label's lines and size by (label, wrap width, date width): see callout()
        self._labels: dict[tuple[str, int, float], tuple[str, float, float]] = {}

    # -- text ----------------------------------------------------------------------------------

    def text(self, x: float, y: float, text: str, size: float, **kwargs: Any) -> None:
        """Draw one line of text that is data: no mathtext, so ``$`` stays ``$``."""
        kwargs.setdefault("color", _INK)
        self.axes.text(x, y, text, fontsize=size, parse_math=False, usetex=False, **kwargs)

    def block(
        self,
        x: float,
        top: float,
        text: str,
        size: float,
        *,
        weight: str = "normal",
        ha: str = "left",
        color: str = _INK,
        zorder: float = 3,
    ) -> None:
        """Draw lines of text from ``top`` down, each on its own baseline.

        Lines are set one by one, :data:`_LEADING` apart, so that the font's boxes
        (ascent to descent) of two lines never overlap, whatever their glyphs.
        """
        ascent = self.metrics(weight)[0] * size
        for index, line in enumerate(text.split("\n")):
            self.text(x, top - ascent - index * _LEADING * size, line, size, fontweight=weight,
                      ha=ha, va="baseline", color=color, zorder=zorder)  # fmt: skip

    def metrics(self, weight: str) -> tuple[float, float]:
        """The font's ascent and descent, in font sizes (DejaVu Sans: 0.93 and 0.24)."""
        if weight not in self._metrics:
            from matplotlib.font_manager import FontProperties, findfont, get_font

            font = get_font(findfont(FontProperties(family="DejaVu Sans", weight=weight)))
            em = font.units_per_EM
            self._metrics[weight] = (font.ascender / em, -font.descender / em)
        return self._metrics[weight]

    def measure(self, text: str, size: float, weight: str = "normal") -> tuple[float, float]:
        """The width and height of a block of lines, in points (heights from the font)."""
        lines = text.split("\n")
        ascent, descent = self.metrics(weight)
        height = (len(lines) - 1) * _LEADING * size + (ascent + descent) * size
        return max(self.line_width(line, size, weight) for line in lines), height

    def line_width(self, line: str, size: float, weight: str) -> float:
        """The width of one line of text, in points.

        Asked of the renderer, as a text artist's extent would (an empty line is one
        pixel wide there too), without making the artist.
        """
        key = (line, size, weight)
        if key not in self._widths:
            from matplotlib.font_manager import FontProperties

            if line:
                renderer = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]
                font = FontProperties(size=size, weight=weight)
                pixels = renderer.get_text_width_height_descent(line, font, ismath=False)[0]
            else:
                pixels = 1.0
            self._widths[key] = pixels * 72 / self.figure.dpi
        return self._widths[key]

    def fit_lines(self, text: str, size: float, width: float, weight: str = "normal") -> str:
        """The text wrapped at word breaks so that its lines fit ``width`` (if words allow)."""
        from build_tools.figures.timeline import wrap

        for chars in range(max(len(text), 1), 0, -1):
            wrapped = "\n".join(wrap(text, chars))
            if self.measure(wrapped, size, weight)[0] <= width:
                return wrapped
        return "\n".join(wrap(text, 1))

    # -- the sheet -----------------------------------------------------------------------------

    def draw(self, *, title: str, subtitle: str) -> None:
        """Measure every part, then draw the header, the timeline, the legend and the footer.

        The timeline is a dark ribbon holding the years, the phases' bars under it,
        and the events' labels in two rows above and two below, each with a leader
        line to its day: above, to the ribbon's top edge; below, to the bars'
        bottom edge.  Nothing crosses the ribbon, the bars or a label.  The title
        is as large as leaves room around the timeline (60 pt at least); when even
        that leaves too little, the events told least often are left out.
        """
        note = self.fit_lines(
            f"From the chronology of {title}; "
            "every event is in the book's chronology with its chapter.",
            FOOTER_SIZE,
            self.right - self.left,
        )
        footer_top = self.bottom + self.measure(note, FOOTER_SIZE)[1] + 6
        legend = self.legend()
        legend_top = footer_top + (14 + legend.height if legend.rows else 0.0)
        while True:
            plan = self.plan()
            header = self.header(title, subtitle, room=legend_top + plan.height + 2 * _MIN_GAP)
            spare = self.top - header.height - _HEADER_GAP - legend_top - plan.height
            if spare >= _MIN_GAP or len(self.keys) <= 2:
                break
            self.keys.remove(weakest(self.keys))
        header_bottom = self.draw_header(header)
        if self.keys or self.result.phases:
            self.draw_timeline(plan, header_bottom - max(spare, 0.0) / 2)
        self.draw_legend(legend, legend_top)
        self.block(self.left, footer_top - 6, note, FOOTER_SIZE, color=_MUTED)
        self.axes.plot([self.left, self.right], [footer_top] * 2, color="#999999", lw=0.8)

    def plan(self) -> TimelinePlan:
        """The timeline's layout for the current key events: labels, leaders, heights."""
        from build_tools.figures.timeline import axis_segments, phase_lanes

        inset = _MARGIN + 4
        self.segments = axis_segments(
            self.result, self.keys, self.sheet.width, insets=(inset, inset), gap=30.0
        )
        sides = self.place()
        levels = [leader_levels(side) for side in sides]
        stubs = [
            _ELBOW + max(max(level.values(), default=0) - 1, 0) * LEVEL + 14 for level in levels
        ]
        heights = {
            (side, row): max((c.height for c in sides[side] if c.row == row), default=0.0)
            for side in (0, 1)
            for row in (0, 1)
        }
        lanes = phase_lanes(self.result.phases)
        lane_count = len(set(lanes.values()))
        band = _RIBBON + (4 + lane_count * (_LANE + _LANE_GAP) if lane_count else 0.0)
        up, down = (
            (stubs[side] if sides[side] else 0.0)
            + heights[side, 0]
            + (_ROW_GAP + heights[side, 1] if heights[side, 1] else 0.0)
            for side in (0, 1)
        )
        if not self.keys and not self.result.phases:
            band = 0.0
        return TimelinePlan(sides, levels, stubs, heights, lanes, lane_count, band, up, down)

    def draw_timeline(self, plan: TimelinePlan, top: float) -> None:
        """The ribbon, the phases' bars and the events' labels, from ``top`` down."""
        heights, stubs = plan.heights, plan.stubs
        edges = (top - plan.up, top - plan.up - plan.band)  # the band's top and bottom
        near = {  # the edge of each row of labels nearest the axis
            (0, 0): edges[0] + stubs[0],
            (0, 1): edges[0] + stubs[0] + heights[0, 0] + _ROW_GAP,
            (1, 0): edges[1] - stubs[1],
            (1, 1): edges[1] - stubs[1] - heights[1, 0] - _ROW_GAP,
        }
        self.draw_ribbon(edges[0] - _RIBBON, edges[0])
        for index, lane in plan.lanes.items():
            self.draw_phase(index, edges[0] - _RIBBON - 4 - lane * (_LANE + _LANE_GAP))
        if plan.lane_count:
            self.draw_baseline(edges[1])
        placed = sorted(
            ((side, c) for side in (0, 1) for c in plan.sides[side]),
            key=lambda item: item[1].event.sort_key,
        )
        for side, callout in placed:  # in date order, so that the PDF's text reads so
            sign = 1.0 if side == 0 else -1.0
            level = plan.levels[side][id(callout)]
            elbow = edges[side] + sign * (_ELBOW + (level - 1) * LEVEL)
            self.draw_callout(callout, sign, near[side, callout.row], elbow, edges[side])

    def years(self) -> tuple[int, int] | None:
        days = [day for event in [*self.keys, *self.result.phases] for day in event.span]
        return (min(days).year, max(days).year) if days else None

    def header(self, title: str, subtitle: str, *, room: float) -> Header:
        """The header's text and sizes.

        The title takes the largest size that fits beside the years shown and
        leaves ``room`` under the header's rule; a title too long for one line is
        wrapped across the sheet at the smallest size, the years then under it.
        """
        years = self.years()
        span = "" if years is None else "–".join(dict.fromkeys(map(str, years)))
        kind = "Timeline of key events"
        span_w, span_h = self.measure(span, _SPAN_SIZE, "bold") if span else (0.0, 0.0)
        kind_w, kind_h = self.measure(kind, _KIND_SIZE)
        beside = self.right - self.left - max(span_w, kind_w) - 48
        sizes = [size for size in TITLE_SIZES if self.measure(title, size, "bold")[0] <= beside]
        if sizes:
            sub = self.fit_lines(subtitle, SUBTITLE_SIZE, beside) if subtitle else ""
            below = 4 + self.measure(sub, SUBTITLE_SIZE)[1] if sub else 0.0
            height = 0.0
            for size in sizes:
                height = max(self.measure(title, size, "bold")[1] + below, span_h + 4 + kind_h)
                if self.top - height - _HEADER_GAP >= room:
                    break
            return Header(title, size, sub, "", span, kind, span_h, height)
        width, size = self.right - self.left, TITLE_SIZES[-1]
        heading = self.fit_lines(title, size, width, "bold")
        sub = self.fit_lines(subtitle, SUBTITLE_SIZE, width) if subtitle else ""
        note = f"{kind}, {span}" if span else kind
        height = self.measure(heading, size, "bold")[1] + 4 + self.measure(note, _KIND_SIZE)[1]
        height += 4 + self.measure(sub, SUBTITLE_SIZE)[1] if sub else 0.0
        return Header(heading, size, sub, note, "", "", 0.0, height)

    def draw_header(self, header: Header) -> float:
        """The title, the subtitle, the years shown and a rule; return the rule's height."""
        self.block(self.left, self.top, header.title, header.size, weight="bold")
        y = self.top - self.measure(header.title, header.size, "bold")[1] - 4
        if header.subtitle:
            self.block(self.left, y, header.subtitle, SUBTITLE_SIZE, color=_MUTED)
            y -= self.measure(header.subtitle, SUBTITLE_SIZE)[1] + 4
        if header.note:
            self.block(self.left, y, header.note, _KIND_SIZE, color=_MUTED)
        if header.span:
            self.block(self.right, self.top, header.span, _SPAN_SIZE, weight="bold", ha="right",
                       color=_ACCENT)  # fmt: skip
        if header.kind:
            self.block(self.right, self.top - header.span_height - 4, header.kind, _KIND_SIZE,
                       ha="right", color=_MUTED)  # fmt: skip
        y = self.top - header.height - _HEADER_GAP
        self.axes.plot([self.left, self.right], [y, y], color=_ACCENT, lw=4, solid_capstyle="butt")
        return y

    # -- the events ----------------------------------------------------------------------------

    def callout(self, event: Event, chars: int) -> Callout:
        """A key event's label box: the label wrapped at ``chars`` characters, or wider
        (up to its date's width) when that saves a line."""
        from build_tools.figures.timeline import Callout, axis_x, short_date, wrap

        date = short_date(event)
        date_w, date_h = self.measure(date, DATE_SIZE, "bold")
        key = (event.label, chars, date_w)
        if key not in self._labels:  # the layout asks again for each trial of wraps
            text = "\n".join(wrap(event.label, chars))
            text_w, text_h = self.measure(text, LABEL_SIZE)
            for wider in range(chars + 1, len(event.label) + 1):
                candidate = "\n".join(wrap(event.label, wider))
                width, height = self.measure(candidate, LABEL_SIZE)
                if width > max(date_w, text_w):
                    break
                if height < text_h:
                    text, text_w, text_h = candidate, width, height
            self._labels[key] = (text, text_w, text_h)
        text, text_w, text_h = self._labels[key]
        first, last = event.span
        point = (axis_x(self.segments, first) + axis_x(self.segments, last)) / 2
        width = max(text_w, date_w) + 2 * _PAD
        callout = Callout(event, point, text, date, width, date_h + _DATE_GAP + text_h)
        callout.date_height = date_h
        return callout

    def place(self) -> list[list[Callout]]:
        """The callouts above and below the axis, with as few lines as lets them all fit."""
        from build_tools.figures.timeline import layout_callouts, wrap

        def layout(wraps: Sequence[int]) -> list[list[Callout]]:
            callouts = [self.callout(e, chars) for e, chars in zip(self.keys, wraps, strict=True)]
            sides = [
                layout_callouts(side, self.left, self.right, clearance=CLEARANCE)
                for side in (callouts[0::2], callouts[1::2])
            ]
            for side in sides:
                one_row(side, self.left, self.right)
            return sides

        count = len(self.keys)
        best: list[list[Callout]] = [[], []]
        wraps: list[int] = []
        for chars in _WRAPS:
            placed = layout([chars] * count)
            if sum(map(len, placed)) > sum(map(len, best)):
                best, wraps = placed, [chars] * count
            if sum(map(len, placed)) == count:
                break
        else:
            return best  # some are left out: those told least often
        # then fewer lines for the longest labels, as long as all still fit
        for _ in range(count):
            lines = [len(wrap(e.label, c)) for e, c in zip(self.keys, wraps, strict=True)]
            for index in sorted(range(count), key=lambda i: (-lines[i], i)):
                if lines[index] <= 2:
                    return best
                label = self.keys[index].label
                wider = next(
                    (c for c in range(wraps[index] + 1, 40) if len(wrap(label, c)) < lines[index]),
                    None,
                )
                if wider is None:
                    continue
                trial = [*wraps[:index], wider, *wraps[index + 1 :]]
                placed = layout(trial)
                if sum(map(len, placed)) == count:
                    best, wraps = placed, trial
                    break
            else:
                break
        return best

    def draw_callout(
        self, callout: Callout, sign: float, edge: float, elbow: float, axis: float
    ) -> None:
        """One event: its date and label, and a leader line to its day on the axis.

        :param callout: the event's placed label
        :param sign: 1 above the axis, -1 below
        :param edge: the edge of the label's box nearest the axis
        :param elbow: the height at which the leader turns towards the event's day
        :param axis: the edge of the axis (or of the phases' bars) the leader ends at
        """
        from matplotlib.patches import Rectangle

        from build_tools.figures.timeline import axis_x

        box_top = edge + callout.height if sign > 0 else edge
        centre, point = callout.centre, callout.point
        start = edge - sign * 5
        if abs(centre - point) < 0.5:
            xs, ys = [point, point], [start, axis]
        else:
            xs, ys = [centre, centre, point, point], [start, elbow, elbow, axis]
        self.axes.plot(xs, ys, color=_INK, lw=1.3, zorder=4, solid_joinstyle="miter",
                       solid_capstyle="butt")  # fmt: skip
        first, last = callout.event.span
        x0, x1 = axis_x(self.segments, first), axis_x(self.segments, last)
        if x1 - x0 > 5:  # a stretch of days: a bar along the edge
            y = axis if sign > 0 else axis - 6
            self.axes.add_patch(Rectangle((x0, y), x1 - x0, 6, color=_ACCENT, lw=0, zorder=5))
        else:
            self.axes.plot([point], [axis], "o", ms=8, color=_ACCENT, mec="white", mew=1.2,
                           zorder=5)  # fmt: skip
        self.block(centre, box_top, callout.date, DATE_SIZE, weight="bold", ha="center",
                   zorder=6)  # fmt: skip
        self.block(centre, box_top - callout.date_height - _DATE_GAP, callout.text, LABEL_SIZE,
                   ha="center", zorder=6)  # fmt: skip

    # -- the axis ------------------------------------------------------------------------------

    def draw_ribbon(self, bottom: float, top: float) -> None:
        """The axis: a dark band per segment with the years in white.

        A year wide enough is labelled in its middle, with ticks for its months;
        else every 2, 5, 10... years are labelled at their ticks, as room allows.
        """
        from matplotlib.patches import Rectangle

        middle = (bottom + top) / 2
        year_w = self.measure("0000", YEAR_SIZE, "bold")[0]
        decade_w = self.measure("0000", DECADE_SIZE)[0]
        for segment in self.segments:
            width = segment.right - segment.left
            self.axes.add_patch(
                Rectangle((segment.left, bottom), width, top - bottom, color=_RIBBON_INK, lw=0)
            )
            days = max((segment.last - segment.first).days, 1)
            per_year = width * 365.25 / days
            if segment.detail and per_year >= year_w + 16:
                for year in range(segment.first.year, segment.last.year + 1):
                    for month in range(1, 13) if per_year >= 100 else (1,):
                        day = dt.date(year, month, 1)
                        if not segment.first < day <= segment.last:
                            continue
                        x = segment.x(day)
                        if month == 1:  # between two years
                            self.axes.plot([x, x], [bottom, top], color="white", lw=1.2)
                        else:
                            for y in (bottom, top - 4):
                                self.axes.plot([x, x], [y, y + 4], color="white", lw=0.8)
                    start = segment.x(max(dt.date(year, 1, 1), segment.first))
                    end = segment.x(min(dt.date(year, 12, 31), segment.last))
                    if end - start >= year_w + 8:
                        self.text((start + end) / 2, middle, str(year), YEAR_SIZE,
                                  fontweight="bold", ha="center", va="center_baseline",
                                  color="white")  # fmt: skip
                continue
            step = next((s for s in _YEAR_STEPS if s * per_year >= decade_w + 10), 1000)
            first = -(-segment.first.year // step) * step
            for year in range(first, segment.last.year + 1, step):
                day = dt.date(year, 1, 1)
                if not segment.first <= day < segment.last:
                    continue
                x = segment.x(day)
                if x > segment.left + 0.5:
                    self.axes.plot([x, x], [bottom, top], color="white", lw=0.8)
                room = min(segment.x(dt.date(min(year + step, 9999), 1, 1)), segment.right) - x
                if room >= decade_w + 6:
                    self.text(x + 3, middle, str(year), DECADE_SIZE, ha="left",
                              va="center_baseline", color="white")  # fmt: skip
        for first_segment, second in itertools.pairwise(self.segments):  # a break
            centre = (first_segment.right + second.left) / 2
            for dx in (-4.0, 4.0):
                self.axes.plot([centre + dx - 4, centre + dx + 4], [bottom - 3, top + 3],
                               color=_INK, lw=1.6)  # fmt: skip

    def draw_baseline(self, y: float) -> None:
        """A thin line under the phases' bars, where the leaders from below end."""
        for segment in self.segments:
            self.axes.plot([segment.left, segment.right], [y, y], color=_INK, lw=1.0,
                           solid_capstyle="butt")  # fmt: skip

    # -- the phases ----------------------------------------------------------------------------

    def draw_phase(self, index: int, top: float) -> None:
        """A phase's hatched bar under the axis, its top at ``top``."""
        from build_tools.figures.timeline import axis_x, phase_patch

        first, last = self.result.phases[index].span
        x0, x1 = axis_x(self.segments, first), axis_x(self.segments, last)
        self.axes.add_patch(phase_patch(x0, top - _LANE, max(x1 - x0, 3.0), _LANE, index, lw=1.0))

    def legend(self) -> Legend:
        """The phases' names in as many columns as fit them (two at least)."""
        from build_tools.figures.timeline import short_date

        names = [f"{phase.label} ({short_date(phase)})" for phase in self.result.phases]
        width = self.right - self.left
        room = 0.0
        for columns in (4, 3, 2):
            column = (width - (columns - 1) * _LEGEND_BETWEEN) / columns
            room = column - _SWATCH[0] - _SWATCH_GAP
            if all(self.measure(name, LEGEND_SIZE)[0] <= room for name in names):
                break
        names = [self.fit_lines(name, LEGEND_SIZE, room) for name in names]
        rows = tuple(tuple(names[i : i + columns]) for i in range(0, len(names), columns))
        heights = tuple(max(self.measure(n, LEGEND_SIZE)[1] for n in row) for row in rows)
        return Legend(rows, heights, column)

    def draw_legend(self, legend: Legend, top: float) -> None:
        """The phases' swatches and names, in rows from ``top`` down."""
        from build_tools.figures.timeline import phase_patch

        y = top
        index = 0
        for row, height in zip(legend.rows, legend.heights, strict=True):
            for col, name in enumerate(row):
                x = self.left + col * (legend.column + _LEGEND_BETWEEN)
                self.axes.add_patch(phase_patch(x, y - _SWATCH[1], *_SWATCH, index))
                self.block(x + _SWATCH[0] + _SWATCH_GAP, y, name, LEGEND_SIZE)
                index += 1
            y -= height + LEGEND_ROW_GAP
