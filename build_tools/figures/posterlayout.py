"""A wall poster's layout: the records of its measured parts, and where leaders and labels go.

Pure arithmetic on the timeline's callouts (no matplotlib): the level of each
leader line's elbow, a side's labels in one row when they fit, and the event
a crowded poster leaves out first.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

    from build_tools.chronology.model import Event
    from build_tools.figures.timeline import Callout

CLEARANCE: Final = 14.0  # between a leader line and the labels beside it
LEVEL: Final = 5.0  # between the elbows of neighbouring leader lines
LEGEND_ROW_GAP: Final = 4.0


@dataclass(frozen=True)
class Header:
    """The header: the title (wrapped if need be) at its size, a subtitle, and either the
    years shown with the poster's kind at the right (``span``, ``kind``) or both in a
    ``note`` under a wrapped title."""

    title: str
    size: float
    subtitle: str
    note: str
    span: str
    kind: str
    span_height: float
    height: float


@dataclass(frozen=True)
class Legend:
    """The phases' names in rows, each row's height and the columns' width."""

    rows: tuple[tuple[str, ...], ...]
    heights: tuple[float, ...]
    column: float

    @property
    def height(self) -> float:
        return sum(self.heights) + LEGEND_ROW_GAP * (len(self.rows) - 1)


@dataclass(frozen=True)
class TimelinePlan:
    """The timeline's layout: the labels above and below, their leaders' levels and the
    heights of the labels' rows, of the phases' lanes and of the three parts."""

    sides: list[list[Callout]]
    levels: list[dict[int, int]]
    stubs: list[float]
    heights: dict[tuple[int, int], float]
    lanes: dict[int, int]
    lane_count: int
    band: float
    up: float
    down: float

    @property
    def height(self) -> float:
        return self.up + self.band + self.down


def leader_levels(callouts: Sequence[Callout]) -> dict[int, int]:
    """The level of each leader's elbow (1 nearest the axis), by ``id`` of its callout.

    A leader drops from its label, runs along its level to the event's day, then
    drops to the axis.  Of two leaders that run the same way over a shared
    stretch, the one that starts further back runs nearer the axis, so none
    crosses another.  A leader straight above its day has no elbow (level 0).
    """
    levels: dict[int, int] = {}
    rightward = [c for c in callouts if c.point - c.centre >= 0.5]
    leftward = [c for c in callouts if c.centre - c.point >= 0.5][::-1]
    for group in (rightward, leftward):
        done: list[Callout] = []
        for callout in group:
            lo, hi = sorted((callout.centre, callout.point))
            crossing = [
                levels[id(other)]
                for other in done
                if min(other.centre, other.point) - LEVEL < hi
                and lo < max(other.centre, other.point) + LEVEL
            ]
            levels[id(callout)] = max(crossing, default=0) + 1
            done.append(callout)
    for callout in callouts:
        levels.setdefault(id(callout), 0)
    return levels


def one_row(callouts: Sequence[Callout], lo: float, hi: float) -> None:
    """Put a side's labels in one row, at their events, when they fit so."""
    if not callouts:
        return
    centres = [min(max(c.point, lo + c.width / 2), hi - c.width / 2) for c in callouts]
    if all(
        b - a >= (one.width + two.width) / 2 + CLEARANCE
        for (a, one), (b, two) in itertools.pairwise(zip(centres, callouts, strict=True))
    ):
        for callout, centre in zip(callouts, centres, strict=True):
            callout.centre, callout.row = centre, 0


def weakest(events: Sequence[Event]) -> Event:
    """The event a crowded poster leaves out first: told least often, then told last.

    The first and the last event stay, as :func:`~build_tools.figures.timeline.layout_callouts`
    keeps them.
    """
    inner = events[1:-1] or events
    return min(inner, key=lambda e: (len(e.told_also), -e.line))
