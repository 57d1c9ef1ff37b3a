"""The figures file's data types: charts of the article's numbers, and rows in words.

A row of a chart shows every figure the article gives for one quantity: a
bar spans the lowest to the highest, a tick marks each figure, an arrow
marks an open end ("over 500,000").  No value is averaged or rounded into a
number the article does not state.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The sides of the war a row may belong to, each with its name in a chart's legend.
SIDES = {
    "communist": "Communist side",
    "un": "UN side",
    "both": "Both sides",
    "none": "",  # no side given (a drafted row): no legend entry
}


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
    draft: bool = False


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
