"""Data figures from the article's own numbers: ranges, never invented single values.

The data lives in a reviewable YAML file next to the article
(``<name>.figures.yaml``).  Every number comes with a quote: a passage that
must occur in the article word for word (a paragraph or a table cell), and
that must state the number.  :func:`parse_charts` checks both and raises
:class:`~build_tools.errors.BuildError` naming the file's line otherwise.

A row of a chart shows every figure the article gives for one quantity: a
bar spans the lowest to the highest, a tick marks each figure, an arrow
marks an open end ("over 500,000").  No value is averaged or rounded into a
number the article does not state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from build_tools.article.model import Article, Paragraph, Table
from build_tools.figures.plotting import PALETTE, book_style, new_figure, save_figure
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import YamlList, YamlMap, line_of, load_yaml

#: How each side of the war is drawn: colour and hatching (told apart in grey too).
SIDES = {
    "communist": ("Communist side", PALETTE["vermillion"], "////"),
    "un": ("UN side", PALETTE["blue"], "...."),
    "both": ("Both sides", PALETTE["green"], "xx"),
}
_NUMBER = re.compile(
    r"(?P<a>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<sep>–|-|to)\s*(?:over\s+|~)?(?P<b>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?"
    r"(?P<mult>\s*(?:million\b|M\b))?"
)


def numbers_in(text: str) -> set[float]:
    """Every number a passage states, with ``million`` and ``M`` applied.

    ``1–1.5 million`` and ``1 to 2 million`` state two numbers in millions;
    ``~700,000–1M`` states 700,000 and 1,000,000.

    :param text: a passage
    :return: the numbers
    """
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        mult = 1e6 if match.group("mult") else 1.0
        first, second = match.group("a"), match.group("b")
        for token, is_first in ((first, True), (second, False)):
            if token is None:
                continue
            value = float(token.replace(",", ""))
            scale = mult
            if is_first and second is not None and ("," in token or value >= 1000):
                scale = 1.0  # "700,000–1M": the multiplier belongs to the second number
            found.add(value * scale)
    return found


@dataclass(frozen=True)
class Value:
    """One figure the article states, with the passage that states it."""

    number: float
    quote: str
    line: int
    more: bool = False
    less: bool = False


@dataclass(frozen=True)
class Row:
    """One quantity: every figure the article gives for it."""

    label: str
    side: str
    values: tuple[Value, ...]
    line: int

    @property
    def low(self) -> float:
        """The lowest figure."""
        return min(value.number for value in self.values)

    @property
    def high(self) -> float:
        """The highest figure."""
        return max(value.number for value in self.values)


@dataclass(frozen=True)
class Panel:
    """A group of rows on one axis."""

    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Chart:
    """A data figure: its panels, where it goes and where its numbers come from.

    ``section`` is the title of the section the figure belongs to;
    ``sources`` the titles of the sections (and tables) whose text the quotes
    come from, found in the article.
    """

    name: str
    title: str
    section: str
    unit: str
    panels: tuple[Panel, ...]
    line: int
    sources: tuple[str, ...] = ()
    note: str = ""


def _passages(article: Article) -> Iterator[tuple[str, str]]:
    """Each passage a quote may come from, with where it is (section title or table)."""
    parts = [("the introduction", article.lead)]
    for chapter in article.chapters:
        parts.append((f"chapter “{chapter.title}”", chapter.blocks))
        parts += [(f"section “{section.title}”", section.blocks) for section in chapter.sections]
    for part, blocks in parts:
        for block in blocks:
            if isinstance(block, Paragraph):
                yield " ".join(block.text.split()), part
            elif isinstance(block, Table):
                where = f"the table of {part}"
                for cells in (block.header, *block.rows):
                    yield " | ".join(" ".join(c.split()) for c in cells), where
                    for cell in cells:
                        yield " ".join(cell.split()), where


def _text(entry: YamlMap, key: str, *, path: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise BuildError(f"{key!r} must be a text", path=path, line=line_of(entry, key))
    return " ".join(value.split())


def _only(entry: Any, allowed: Sequence[str], *, what: str, path: str) -> YamlMap:
    if not isinstance(entry, YamlMap):
        raise BuildError(f"each {what} must be a mapping", path=path, line=line_of(entry))
    for key in entry:
        if key not in allowed:
            raise BuildError(
                f"unknown field {key!r} in a {what}; allowed: {', '.join(allowed)}",
                path=path,
                line=line_of(entry, key),
            )
    return entry


def _value(entry: Any, passages: list[tuple[str, str]], *, path: str) -> tuple[Value, str]:
    entry = _only(entry, ("number", "quote", "more", "less"), what="value", path=path)
    quote = _text(entry, "quote", path=path)
    number = entry.get("number")
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise BuildError("'number' must be a number", path=path, line=line_of(entry, "number"))
    where = next((place for text, place in passages if quote in text), None)
    if where is None:
        raise BuildError(
            f"the quote {quote!r} does not occur in the article; copy it word for word",
            path=path,
            line=line_of(entry, "quote"),
        )
    if not any(math.isclose(number, stated) for stated in numbers_in(quote)):
        raise BuildError(
            f"the number {number:,} is not stated in its quote {quote!r}, so it is not "
            "the article's; give the number the passage states",
            path=path,
            line=line_of(entry, "number"),
        )
    return (
        Value(
            number=float(number),
            quote=quote,
            line=line_of(entry) or 0,
            more=bool(entry.get("more", False)),
            less=bool(entry.get("less", False)),
        ),
        where,
    )


def parse_charts(text: str, article: Article, *, path: str) -> tuple[Chart, ...]:
    """Read the figures file and check every number against the article.

    :param text: the file's YAML text
    :param article: the article
    :param path: the file's name, for messages
    :return: the charts
    :raises BuildError: naming the line of a bad entry, a quote not in the
        article, or a number its quote does not state
    """
    data = load_yaml(text, path=path)
    if not isinstance(data, YamlMap) or not isinstance(data.get("figures"), YamlList):
        raise BuildError("expected a mapping with a list 'figures'", path=path, line=1)
    passages = list(_passages(article))
    titles = {section.title for chapter in article.chapters for section in chapter.sections}
    charts: list[Chart] = []
    for raw in data["figures"]:
        entry = _only(
            raw, ("name", "title", "section", "unit", "panels", "note"), what="figure", path=path
        )
        section = _text(entry, "section", path=path)
        if section not in titles:
            raise BuildError(
                f"no section of the article is titled {section!r}",
                path=path,
                line=line_of(entry, "section"),
            )
        panels: list[Panel] = []
        sources: list[str] = []
        raw_panels = entry.get("panels")
        if not isinstance(raw_panels, YamlList) or not raw_panels:
            raise BuildError("a figure needs panels", path=path, line=line_of(entry))
        for raw_panel in raw_panels:
            panel = _only(raw_panel, ("title", "rows"), what="panel", path=path)
            rows: list[Row] = []
            raw_rows = panel.get("rows")
            if not isinstance(raw_rows, YamlList) or not raw_rows:
                raise BuildError("a panel needs rows", path=path, line=line_of(panel))
            for raw_row in raw_rows:
                row = _only(raw_row, ("label", "side", "values"), what="row", path=path)
                side = row.get("side")
                if side not in SIDES:
                    raise BuildError(
                        f"side must be one of {', '.join(SIDES)}",
                        path=path,
                        line=line_of(row, "side"),
                    )
                raw_values = row.get("values")
                if not isinstance(raw_values, YamlList) or not raw_values:
                    raise BuildError("a row needs values", path=path, line=line_of(row))
                values = []
                for raw_value in raw_values:
                    value, where = _value(raw_value, passages, path=path)
                    values.append(value)
                    if where not in sources:
                        sources.append(where)
                rows.append(
                    Row(
                        label=_text(row, "label", path=path),
                        side=str(side),
                        values=tuple(values),
                        line=line_of(row) or 0,
                    )
                )
            panels.append(Panel(title=_text(panel, "title", path=path), rows=tuple(rows)))
        charts.append(
            Chart(
                name=_text(entry, "name", path=path),
                title=_text(entry, "title", path=path),
                section=section,
                unit=_text(entry, "unit", path=path),
                panels=tuple(panels),
                line=line_of(entry) or 0,
                sources=tuple(sources),
                note=" ".join(str(entry.get("note", "")).split()),
            )
        )
    return tuple(charts)


def format_number(number: float) -> str:
    """A figure as the book prints it: ``135,000`` or ``1.5 million``."""
    if number >= 1e6:
        return f"{number / 1e6:g} million"
    return f"{number:,.0f}"


def describe_row(row: Row) -> str:
    """A row's figures in words, as on the chart (``117,000–135,000``, ``over 500,000``).

    :param row: the row
    :return: the text
    """
    low = min(row.values, key=lambda v: v.number)
    high = max(row.values, key=lambda v: v.number)
    if low is high or low.number == high.number:
        prefix = "under " if low.less else ("over " if low.more else "about ")
        return prefix + format_number(low.number)
    end = ("over " if high.more else "") + format_number(high.number)
    start = format_number(low.number)
    if start.endswith(" million") and end.endswith(" million") and not high.more:
        start = start.removesuffix(" million")  # "1 to 1.5 million"
    return f"{start} to {end}"


def draw_chart(chart: Chart, *, width: float = 4.0) -> dict[str, bytes]:
    """Draw a chart: one panel of horizontal range bars per group.

    :param chart: the chart
    :param width: the figure's width in inches
    :return: its SVG, PDF and PNG
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
            Patch(facecolor=colour, alpha=0.35, edgecolor="black", hatch=hatch, label=label)
            for side, (label, colour, hatch) in SIDES.items()
            if side in used
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
        return save_figure(figure, title=chart.title)


def _draw_row(axes: Any, row: Row, y: float, limit: float) -> None:
    """One row: a bar over the range, a tick at each figure, an arrow at an open end."""
    _name, colour, hatch = SIDES[row.side]
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
    return f"{value / 1e3:g}k"
