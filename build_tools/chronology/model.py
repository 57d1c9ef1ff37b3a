"""The chronology's data types, and the small pure queries other stages ask of them.

An :class:`Event` is a dated statement of the article (or a heading's
period); a :class:`ChronologyResult` holds the events of an article with its
doubtful dates, its disagreements and its war span.  The drawing code reads
only this module: :func:`key_events`, :func:`period_of` and the date formats.

Periods
    Events before the war span are grouped by decade, events of the span's
    first year before its start date form a prelude, each year of the span is
    one period, and what follows is the aftermath (:func:`period_of`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

PRECISIONS: Final = ("day", "month", "year")
QUALIFIERS: Final = ("early", "mid", "late", "spring", "summer", "autumn", "winter")
KINDS: Final = ("statement", "phase")
RELATIONS: Final = ("", "by", "from", "until")
#: The English month names, January first.
MONTH_NAMES: Final = tuple(calendar.month_name)[1:]


@dataclass(frozen=True)
class Event:
    """A dated statement of the article (or, with ``kind="phase"``, a heading's period).

    ``date`` and ``end_date`` are ISO strings as precise as the text
    (``1950-06-25``, ``1950-06``, ``1950``); ``qualifier`` narrows a month or a
    year (``late`` October 1950, ``mid``-1950, the ``summer`` of 1950);
    ``relation`` is ``by`` for "by 14 March", ``from`` for "since 1948",
    ``until`` for "until 1954", else empty.  ``chapter`` is the chapter number
    (``None`` in the lead); ``section_title`` and ``section_label`` are ``None``
    in the lead and in chapter openings, where links go to the chapter.
    ``year_from`` says where a missing year came from: ``text``, ``range``,
    ``sentence``, ``paragraph`` or ``heading``.  ``edited`` is true when an
    editor set the label; ``told_also`` holds the tellings an editor merged into
    this one.
    """

    date: str
    precision: str
    label: str
    sentence: str
    line: int
    chapter: int | None = None
    chapter_title: str | None = None
    chapter_label: str | None = None
    section_title: str | None = None
    section_label: str | None = None
    docname: str | None = None
    qualifier: str | None = None
    end_date: str | None = None
    end_precision: str | None = None
    end_qualifier: str | None = None
    relation: str = ""
    text: str = ""
    year_from: str = "text"
    kind: str = "statement"
    edited: bool = False
    key: bool = False
    told_also: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        _check_iso(self.date, self.precision)
        if self.end_date is not None:
            if self.end_precision is None:
                raise ValueError("an end_date needs its end_precision")
            _check_iso(self.end_date, self.end_precision)
        for qualifier in (self.qualifier, self.end_qualifier):
            if qualifier is not None and qualifier not in QUALIFIERS:
                raise ValueError(f"unknown qualifier {qualifier!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}")
        if self.line < 1:
            raise ValueError("lines are 1-based")

    @property
    def ident(self) -> str:
        """A readable identifier: ``line:date`` (``..end`` for ranges)."""
        end = f"..{self.end_date}" if self.end_date else ""
        return f"{self.line}:{self.date}{end}"

    @property
    def link_label(self) -> str | None:
        """The label of the section (else the chapter) that tells the event."""
        return self.section_label or self.chapter_label

    @property
    def link_title(self) -> str | None:
        """The title of the section (else the chapter) that tells the event."""
        return self.section_title or self.chapter_title

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """The first and last day the dates can mean, ranges and qualifiers included."""
        first = interval(self.date, self.precision, self.qualifier)[0]
        if self.end_date is not None and self.end_precision is not None:
            last = interval(self.end_date, self.end_precision, self.end_qualifier)[1]
        else:
            last = interval(self.date, self.precision, self.qualifier)[1]
        return first, max(first, last)

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, int, str]:
        """Date order, then source order."""
        first, last = self.span
        return first, last, self.line, self.label


@dataclass(frozen=True)
class Doubt:
    """A date the extractor would not place: the reason says why."""

    line: int
    text: str
    reason: str
    sentence: str
    hint: str = ""


@dataclass(frozen=True)
class Disagreement:
    """Tellings of one event whose dates cannot all be true.

    ``tellings`` holds every telling of the event (at least two of them
    conflict), in date order; ``reason`` says why they count as one event.
    """

    subject: str
    tellings: tuple[Event, ...]
    reason: str
    shared: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.tellings) < 2:
            raise ValueError("a disagreement needs two tellings")


@dataclass(frozen=True)
class WarSpan:
    """The years the article is about, and the day it starts (if the lead gives it)."""

    first: int
    last: int
    start: str | None
    rule: str

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a span ends after it starts")


@dataclass(frozen=True)
class Period:
    """A heading of the chronology page: a decade, the prelude, a war year, the aftermath."""

    key: str
    title: str
    group: str
    start: str


@dataclass(frozen=True)
class Override:
    """One editorial entry of an overrides file.

    It selects one event by any of ``line``, ``date``, ``end_date`` and
    ``match`` (a verbatim quote of the event's sentence), then sets its
    ``label``, drops it (``drop``), or merges it into the event named by
    ``merge_into`` (another entry's ``id``, or ``line:date``).  A labelled
    event is a key event of the timeline unless ``key`` is false; ``key: true``
    makes one key without relabelling it.
    """

    path: str
    source_line: int
    line: int | None = None
    date: str | None = None
    end_date: str | None = None
    match: str | None = None
    label: str | None = None
    drop: bool = False
    merge_into: str | None = None
    ident: str | None = None
    key: bool | None = None

    def __post_init__(self) -> None:
        if self.line is None and self.date is None and self.match is None:
            raise ValueError("an override needs line, date or match")


@dataclass(frozen=True)
class ChronologyResult:
    """What the chronology stage found in an article."""

    title: str
    source: str
    events: tuple[Event, ...]
    phases: tuple[Event, ...] = ()
    doubtful: tuple[Doubt, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    span: WarSpan | None = None
    dropped: tuple[Event, ...] = ()

    def tellings(self) -> Iterator[Event]:
        """Every telling: the events and the tellings merged into them."""
        for event in self.events:
            yield event
            yield from event.told_also

    def periods(self) -> list[tuple[Period, list[Event]]]:
        """The events grouped by period, in date order.

        :return: each period with its events
        """
        grouped: dict[str, tuple[Period, list[Event]]] = {}
        for event in sorted(self.events, key=lambda e: e.sort_key):
            period = period_of(event, self.span)
            grouped.setdefault(period.key, (period, []))[1].append(event)
        return sorted(grouped.values(), key=lambda item: (item[0].start, item[0].key))


def _check_iso(value: str, precision: str) -> None:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}")
    pattern = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}.get(
        precision
    )
    if pattern is None:
        raise ValueError(f"unknown precision {precision!r}")
    if not re.fullmatch(pattern, value):
        raise ValueError(f"{value!r} is not an ISO date of {precision} precision")
    parts = [int(part) for part in value.split("-")]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise ValueError(f"{value!r} has no such month")
    if len(parts) > 2:
        dt.date(*parts)  # raises ValueError for 31 June


@functools.lru_cache(maxsize=8192)  # pure, and asked for every pair of tellings
def interval(value: str, precision: str, qualifier: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date (with its qualifier) can mean.

    :param value: the ISO date (``1950-06-25``, ``1950-06``, ``1950``)
    :param precision: ``day``, ``month`` or ``year``
    :param qualifier: ``early``, ``mid``, ``late``, a season, or None
    :return: the first and the last day
    """
    parts = [int(part) for part in value.split("-")]
    year = parts[0]
    if precision == "day":
        day = dt.date(year, parts[1], parts[2])
        return day, day
    if precision == "month":
        month = parts[1]
        last = calendar.monthrange(year, month)[1]
        first_day, last_day = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}.get(
            qualifier or "", (1, last)
        )
        return dt.date(year, month, first_day), dt.date(year, month, last_day)
    months = {
        "early": (1, 4), "mid": (5, 8), "late": (9, 12), "spring": (3, 5),
        "summer": (6, 8), "autumn": (9, 11),
    }.get(qualifier or "", (1, 12))  # fmt: skip
    if qualifier == "winter":
        return dt.date(year, 12, 1), dt.date(year + 1, 2, 28)
    return (
        dt.date(year, months[0], 1),
        dt.date(year, months[1], calendar.monthrange(year, months[1])[1]),
    )


def period_of(event: Event, span: WarSpan | None) -> Period:
    """The period an event belongs to (see the module's rule on periods).

    :param event: the event
    :param span: the war span (:attr:`ChronologyResult.span`); without one,
        every event is grouped by decade
    :return: the period
    """
    first, last = event.span
    year = first.year
    decade = year // 10 * 10
    background = Period(f"decade-{decade}", f"The {decade}s", "Background", f"{decade:04d}")
    if span is None:
        return background
    if year < span.first:
        return background
    if span.start is not None:
        start = dt.date.fromisoformat(span.start)
        if last < start:
            title = f"{start.year}, before {start.day} {MONTH_NAMES[start.month - 1]}"
            return Period(f"prelude-{start.year}", title, "Background", f"{start.year:04d}-00")
    if year <= span.last:
        return Period(f"war-{year}", str(year), "War", f"{year:04d}-01")
    return Period("aftermath", f"After {span.last}", "Aftermath", f"{span.last + 1:04d}")


def key_events(result: ChronologyResult, *, limit: int = 20) -> list[Event]:
    """The events the timeline labels.

    The key events an editor chose (one per label), else the day-precise ones;
    when there are more than ``limit``, those told most often win.

    :param result: the chronology
    :param limit: the most events to return
    :return: the key events in date order
    """
    pool = [e for e in result.events if e.key] or [e for e in result.events if e.precision == "day"]
    ranked = sorted(pool, key=lambda e: (-len(e.told_also), e.sort_key))
    chosen: dict[str, Event] = {}
    for event in ranked:
        chosen.setdefault(event.label, event)
    return sorted(list(chosen.values())[:limit], key=lambda e: e.sort_key)


def format_date(
    value: str, precision: str, qualifier: str | None = None, *, relation: str = ""
) -> str:
    """A date as people write it: ``25 June 1950``, ``June 1950``, ``late October 1950``.

    :param value: the ISO date
    :param precision: ``day``, ``month`` or ``year``
    :param qualifier: ``early``, ``mid``, ``late`` or a season
    :param relation: ``by`` to write "by 14 March 1951"
    :return: the date in words
    """
    parts = [int(part) for part in value.split("-")]
    if precision == "day":
        text = f"{parts[2]} {MONTH_NAMES[parts[1] - 1]} {parts[0]}"
    elif precision == "month":
        text = f"{MONTH_NAMES[parts[1] - 1]} {parts[0]}"
    else:
        text = str(parts[0])
    if qualifier in ("spring", "summer", "autumn", "winter"):
        text = f"{qualifier} {text}"
    elif qualifier == "mid":
        text = f"mid-{text}"
    elif qualifier:
        text = f"{qualifier} {text}"
    return f"{relation} {text}" if relation == "by" else text


def format_event_date(event: Event) -> str:
    """An event's date or range as people write it: ``18 August – 5 September 1951``.

    :param event: the event
    :return: the date in words
    """
    start = format_date(event.date, event.precision, event.qualifier, relation=event.relation)
    if event.end_date is None or event.end_precision is None:
        return start
    end = format_date(event.end_date, event.end_precision, event.end_qualifier)
    same_year = event.date[:4] == event.end_date[:4]
    if same_year and event.precision == event.end_precision and not event.qualifier:
        if event.precision == "day" and event.date[:7] == event.end_date[:7]:
            return f"{int(event.date[8:])}–{end}"  # 8–25 April 1950
        if event.precision in ("day", "month"):
            start = start.rsplit(" ", 1)[0]  # drop the shared year
    return f"{start} – {end}" if " " in start else f"{start}–{end}"
