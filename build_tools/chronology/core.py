"""The chronology stage: dated statements of an article as events, pages and a timeline.

:func:`extract_chronology` reads every paragraph of an :class:`~build_tools.model.Article`
and turns each date it states into an :class:`Event`.  Nothing here knows the
article's subject: the rules below are about how English prose writes dates.

Date forms recognised (``Month`` is a full month name, or an abbreviation with
its full stop, such as ``Sept.``):

* a day: ``June 25, 1950``, ``25 January 1951``, ``June 28`` and ``by 14 March``
  (the year then comes from the context, see below), ``March 1st``;
* a month: ``in March 1949``, ``December 1945``, ``late October 1950``,
  ``mid-July``, ``that September``, ``December's end`` (= late December);
* a year: ``1910``, ``mid-1950``, ``early 1951``, ``the summer of 1950``;
* ranges: ``from August 18 to September 5, 1951``, ``April 8 to 25, 1950``,
  ``July 26–29, 1950``, ``March-April 1950``, ``May and June 1951``,
  ``May 1946–May 1947``, ``1950–1953``, ``1950–53``, ``from 1994 to 1998``;
* in headings, a parenthesised date or range at the end of the title,
  ``(1945–1948)`` or ``(June–September 1950)``: the period the section covers.
  These become *phases* (``Event.kind == "phase"``), not statements.

When a statement is an event
    A day or a month is always a date.  A month alone (no day, no year) needs a
    word that makes it a time: ``in``, ``by``, ``from``, ``since``, ``until``,
    ``during``, ``that``... or a qualifier (``late October``).  A year alone
    becomes an event only when the sentence says something happened in it:

    1. it is introduced by a time word (``in 1948``, ``by 1953``, ``since 1905``,
       ``until 1954``), or by a qualifier (``mid-1950``), or it is a range;
    2. or it is attributive: ``the 1954 Geneva Conference``, ``Japan's 1945
       surrender``, ``the Truman Doctrine of 1947``, or ``(1948)`` alone in
       brackets;
    3. and it does not date a figure: when a number stands among the three words
       before the time word (``$13 billion in 1950``, ``to 25 by 1952``,
       ``590,000 personnel by mid-1950``), the year dates a statistic, not an
       event, and is skipped.  Month and day dates are kept even after a figure
       (``250,000 troops in October 1950`` is an event).

    Four-digit numbers never come from inside other numbers (``1,100``,
    ``$1,950``): a year is a token of exactly four digits.  ``post-1953`` and
    ``pre-1950`` are skipped: they state nothing about that year.  Decades
    (``the 1990s``) are too vague to place and are listed as doubtful.

Years taken from the context
    A date without a year takes it from, in this order:

    1. the rest of its range (``November 27 to December 13, 1950``);
    2. an ``of``/``in`` year right after it (``the March 1st Movement of 1919``);
    3. the nearest preceding date with a year in the same paragraph, unless that
       date spans several years, or the year may have turned (the anchor is in
       October to December and this date in January to March): then doubtful;
    4. the section heading's period (else the chapter heading's), when exactly
       one year of that period can hold the date;
    5. otherwise the date is doubtful: listed in :attr:`ChronologyResult.doubtful`
       with the reason, never guessed.

Labels
    The label is the clause around the date: the sentence's part between strong
    breaks (``;``, a lone dash), then the comma-separated chunk holding the
    date, with the date and its preposition removed, asides in brackets or
    between dashes dropped, and connectives trimmed; at most 12 words.  An
    editor improves the labels of the key events in an overrides file
    (:func:`load_overrides`).

Disagreements
    Two tellings disagree when their dates cannot both be true (their spans do
    not overlap; ``by 1947`` means any time up to the end of 1947) and either an
    editor gave them the same label, or their clauses share at least two
    distinctive key words (rare in the article: see :func:`find_disagreements`).
    Tellings in the same paragraph are never compared: a paragraph tells a
    story in order, and two dates in it are two events.

Periods
    The war span is the first parenthesised year range of the lead's first
    paragraph (``The Korean War (1950–1953) was...``); without one, the densest
    run of years (see :func:`find_war_span`).  Its start date is the first
    full date of the lead inside the span's first year.  Events before the span
    are grouped by decade, events of the first year before the start date form a
    prelude, each year of the span is one period, and what follows is the
    aftermath (:func:`period_of`).

Outputs
    :func:`render_chronology_report` (plain text for the editor),
    :func:`render_chronology_page` (MyST), :func:`chronology_json`,
    :func:`timelinejs_json` and :func:`draw_timeline` (SVG, PDF and PNG, the
    only function here that writes files).  Everything else is pure: the
    overrides file is read by the caller and passed in as text
    (:func:`load_overrides`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import html
import itertools
import math
import re
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

import yaml

from build_tools.article.model import Article, Chapter, Paragraph, Section
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from matplotlib.axes import Axes
    from matplotlib.patches import Rectangle
    from matplotlib.typing import RcKeyType

PRECISIONS: Final = ("day", "month", "year")
QUALIFIERS: Final = ("early", "mid", "late", "spring", "summer", "autumn", "winter")
KINDS: Final = ("statement", "phase")
RELATIONS: Final = ("", "by", "from", "until")
MAX_LABEL_WORDS: Final = 12

_MONTH_NAMES: Final = tuple(calendar.month_name)[1:]
_MONTHS: Final = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
# fmt: off
_MONTH_ABBREVIATIONS: Final = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
    "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}
_SEASONS: Final = {
    "spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn",
    "winter": "winter",
}
_PART_OF: Final = ("early", "mid", "late")
_PART_WORDS: Final = {"beginning": "early", "start": "early", "middle": "mid", "end": "late"}
_TIME_WORDS: Final = frozenset([
    "in", "by", "since", "from", "until", "till", "through", "throughout", "during", "before",
    "after", "around", "circa", "ca", "that", "of", "starting", "beginning",
])
_RELATION_OF: Final = {
    "by": "by", "from": "from", "since": "from", "starting": "from", "beginning": "from",
    "until": "until", "till": "until",
}
_MAGNITUDES: Final = frozenset(
    ["hundred", "thousand", "million", "billion", "trillion", "percent", "per", "cent"]
)
_MIN_YEAR: Final = 1000
_MAX_YEAR: Final = 2100

_TOKEN: Final = re.compile(
    r"(?P<num>\$?\d+(?:[.,]\d+)*(?:%|(?:st|nd|rd|th|s)\b)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*\.?)"
    r"|(?P<dash>[-‐‑‒–—―])"
    r"|(?P<punct>\S)"
)
_DAY: Final = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_DECADE: Final = re.compile(r"^(\d{3}0)s$")
_HEADING_PERIOD: Final = re.compile(r"\(([^()]*)\)\s*$")

_ABBREVIATIONS: Final = frozenset([
    "gen", "brig", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr", "mr", "mrs", "ms", "dr", "st",
    "no", "nos", "vs", "etc", "approx", "ca", "c", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "jr", "sr", "co", "corp", "inc", "ltd", "fig", "vol", "pp",
    "p", "rev", "gov", "sen", "rep", "pres",
])
_COMMA: Final = re.compile(r"(?<!\d),|,(?!\d)")  # not the comma of "780,000"
_SENTENCE_END: Final = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

_LEADING_WORDS: Final = frozenset([
    "and", "but", "or", "nor", "while", "which", "who", "whom", "whose", "where", "when", "as",
    "with", "then", "thereby", "following", "after", "before", "since", "although", "though",
    "despite", "amid", "including", "via", "so", "yet", "also", "until", "till", "of", "to", "for",
    "by", "in", "on", "at", "from",
])
_TRAILING_WORDS: Final = frozenset([
    "on", "in", "by", "at", "of", "to", "from", "for", "and", "or", "nor", "the", "a", "an",
    "with", "amid", "across", "against", "into", "onto", "under", "over", "as", "that", "which",
    "who", "its", "their", "his", "her", "starting", "beginning", "since", "until", "till",
    "during", "around", "circa", "early", "mid", "late",
])
_STOPWORDS: Final = frozenset([
    "a", "about", "above", "across", "after", "against", "all", "along", "also", "amid", "among",
    "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "during", "each", "either", "even", "every",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "his", "how",
    "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less",
    "many", "may", "might", "more", "most", "much", "must", "my", "near", "nearly", "new", "no",
    "nor", "not", "now", "of", "off", "on", "once", "one", "only", "onto", "or", "other", "our",
    "out", "over", "own", "per", "same", "several", "she", "should", "since", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "though", "through", "to", "too", "toward", "towards", "under", "until", "up", "upon", "very",
    "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose",
    "why", "will", "with", "within", "without", "would", "yet", "approximately", "around",
    "roughly", "almost", "first", "second", "third", "initial", "initially", "later", "subsequent",
    "following", "followed", "began", "begun", "including", "included", "despite", "day", "days",
    "month", "months", "year", "years", "time", "period", "early", "mid", "late", "mid-",
])
# fmt: on


# -- the model ---------------------------------------------------------------------------------


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
        first = _interval(self.date, self.precision, self.qualifier)[0]
        if self.end_date is not None and self.end_precision is not None:
            last = _interval(self.end_date, self.end_precision, self.end_qualifier)[1]
        else:
            last = _interval(self.date, self.precision, self.qualifier)[1]
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


# -- dates -------------------------------------------------------------------------------------


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
def _interval(value: str, precision: str, qualifier: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date (with its qualifier) can mean."""
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


@dataclass(frozen=True)
class _Point:
    """One end of a date as written: any part may be missing."""

    year: int | None
    month: int | None = None
    day: int | None = None
    qualifier: str | None = None
    decade: bool = False

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.year is None:
            raise ValueError("no year")
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def valid(self) -> bool:
        if self.year is None or not _MIN_YEAR <= self.year <= _MAX_YEAR:
            return False
        if self.day and self.month:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                return False
        return True


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def bare(self) -> str:
        """The word without a final full stop or possessive."""
        text = self.text.rstrip(".")
        return re.sub(r"['’]s$", "", text)


@dataclass(frozen=True)
class _Found:
    """A date expression found in a sentence."""

    first: int  # token index
    last: int  # token index after the expression
    start: _Point
    end: _Point | None
    relation: str
    year_from: str = "text"
    decade: bool = False


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        value = match.group()
        if kind == "word" and value.endswith(".") and value[:-1] not in _MONTH_ABBREVIATIONS:
            # a full stop belongs to the sentence, except after month abbreviations
            value = value[:-1]
            found.append(_Token(kind, value, match.start(), match.start() + len(value)))
            found.append(_Token("punct", ".", match.end() - 1, match.end()))
            continue
        found.append(_Token(kind, value, match.start(), match.end()))
    return found


class _Reader:
    """Finds date expressions in one sentence's tokens."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens

    def at(self, index: int) -> _Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def word(self, index: int) -> str:
        token = self.at(index)
        return token.text.lower() if token and token.kind == "word" else ""

    def year(self, index: int) -> int | None:
        token = self.at(index)
        if token and token.kind == "num" and len(token.text) == 4 and token.text.isdigit():
            value = int(token.text)
            if _MIN_YEAR <= value <= _MAX_YEAR:
                return value
        return None

    def decade(self, index: int) -> int | None:
        token = self.at(index)
        match = _DECADE.match(token.text) if token and token.kind == "num" else None
        return int(match.group(1)) if match else None

    def day(self, index: int) -> int | None:
        token = self.at(index)
        match = _DAY.match(token.text) if token and token.kind == "num" else None
        if match and 1 <= int(match.group(1)) <= 31:
            return int(match.group(1))
        return None

    def month(self, index: int) -> int | None:
        token = self.at(index)
        if token is None or token.kind != "word":
            return None
        if token.text in _MONTHS:
            return _MONTHS[token.text]
        if token.text.endswith(".") and token.text[:-1] in _MONTH_ABBREVIATIONS:
            return _MONTH_ABBREVIATIONS[token.text[:-1]]
        return None

    def possessive_month(self, index: int) -> int | None:
        token = self.at(index)
        if token and token.kind == "word" and token.bare != token.text:
            return _MONTHS.get(token.bare)
        return None

    def is_dash(self, index: int) -> bool:
        token = self.at(index)
        return token is not None and token.kind == "dash"

    def is_punct(self, index: int, char: str) -> bool:
        token = self.at(index)
        return token is not None and token.kind == "punct" and token.text == char

    def point(self, index: int) -> tuple[_Point, int] | None:  # noqa: PLR0911 (one per form)
        """Read one date point at ``index``; return it and the index after it."""
        qualifier = None
        if self.word(index) in _PART_WORDS and self.word(index + 1) == "of":
            qualifier = _PART_WORDS[self.word(index)]
            index += 2
            if self.word(index) == "the":
                return None
        elif self.word(index) in _PART_OF:
            qualifier = self.word(index)
            index += 1
            if self.is_dash(index):
                index += 1
        season = _SEASONS.get(self.word(index))
        if season and qualifier is None:
            after = index + 1 + (self.word(index + 1) == "of")
            year = self.year(after)
            if year is not None:
                return _Point(year, qualifier=season), after + 1
            return None
        month = self.month(index)
        ends = self.possessive_month(index)
        if ends is not None and qualifier is None and self.word(index + 1) == "end":
            return _Point(None, ends, qualifier="late"), index + 2
        if month is not None:
            day = self.day(index + 1) if qualifier is None else None
            if day is not None and self.month(index + 2) is None:
                after = index + 2
                if self.is_punct(after, ",") and self.year(after + 1) is not None:
                    return _Point(self.year(after + 1), month, day), after + 2
                if self.year(after) is not None:
                    return _Point(self.year(after), month, day), after + 1
                return _Point(None, month, day), after
            if self.year(index + 1) is not None:
                return _Point(self.year(index + 1), month, qualifier=qualifier), index + 2
            return _Point(None, month, qualifier=qualifier), index + 1
        if qualifier is None and self.day(index) is not None and self.month(index + 1):
            day, month = self.day(index), self.month(index + 1)
            year = self.year(index + 2)
            return _Point(year, month, day), index + 2 + (year is not None)
        year = self.year(index)
        if year is not None:
            return _Point(year, qualifier=qualifier), index + 1
        decade = self.decade(index)
        if decade is not None:
            return _Point(decade, qualifier=qualifier, decade=True), index + 1
        return None

    def range_end(  # noqa: PLR0911 (one return per form of range end)
        self, first: _Point, index: int
    ) -> tuple[_Point, int] | None:
        """Read the end of a range after a connector at ``index``."""
        connector = self.word(index)
        if not (self.is_dash(index) or connector in ("to", "through", "until", "till", "and")):
            return None
        after = index + 1
        if connector == "and" and not (
            (first.month and not first.day and first.year is None)
            or self.word(self._before(index)) == "between"
        ):
            return None
        if first.day and first.month and self.day(after) and self.month(after + 1) is None:
            day = self.day(after)
            end = after + 1
            year = None
            if self.is_punct(end, ",") and self.year(end + 1) is not None:
                year, end = self.year(end + 1), end + 2
            elif self.year(end) is not None:
                year, end = self.year(end), end + 1
            return _Point(year, first.month, day), end
        token = self.at(after)
        if (
            first.year is not None
            and first.month is None
            and self.is_dash(index)
            and token is not None
            and token.kind == "num"
            and re.fullmatch(r"\d{2}", token.text)
        ):
            year = first.year // 100 * 100 + int(token.text)
            return (_Point(year), after + 1) if year > first.year else None
        found = self.point(after)
        if found is None:
            return None
        second, end = found
        if first.decade != second.decade:
            return None
        if first.year is not None and first.month is None and second.month is not None:
            return None  # "1950 to June": not a range
        if first.month is not None and second.month is None:
            return None
        return second, end

    def _before(self, index: int) -> int:
        index -= 1
        while index >= 0 and self.tokens[index].kind in ("punct", "dash"):
            index -= 1
        return index

    def expressions(self) -> Iterator[_Found]:
        """Every date expression of the sentence, left to right."""
        index = 0
        while index < len(self.tokens):
            found = self.point(index)
            if found is None:
                index += 1
                continue
            first, after = found
            end: _Point | None = None
            ranged = self.range_end(first, after)
            if ranged is not None:
                second, after_range = ranged
                first, second = _complete_range(first, second)
                if _ordered(first, second):
                    end, after = second, after_range
            yield _Found(index, after, first, end, self._relation(index, end))
            index = after

    def _relation(self, index: int, end: _Point | None) -> str:
        if end is not None:
            return ""
        word = self.word(index - 1)
        if word in _PART_OF or word == "the":
            word = self.word(index - 2)
        return _RELATION_OF.get(word, "")

    def figure_before(self, index: int) -> bool:
        """Whether a number stands among the three words before the time word at ``index``."""
        seen = 0
        position = index - 1
        while position >= 0 and seen < 3:
            token = self.tokens[position]
            position -= 1
            if token.kind in ("punct", "dash"):
                continue
            if token.kind == "word" and token.text.lower() in _MAGNITUDES:
                continue
            ordinal = re.fullmatch(r"\d+(st|nd|rd|th)", token.text)
            if token.kind == "num" and not ordinal and not self.named_number(position + 1):
                return True
            seen += 1
        return False

    def named_number(self, index: int) -> bool:
        """Whether the number at ``index`` is part of a name such as T-34 or NSC-68."""
        number, dash, word = self.at(index), self.at(index - 1), self.at(index - 2)
        return (
            number is not None
            and dash is not None
            and word is not None
            and dash.kind == "dash"
            and word.kind == "word"
            and word.end == dash.start
            and dash.end == number.start
        )


def _complete_range(first: _Point, second: _Point) -> tuple[_Point, _Point]:
    """Share the year between the ends of a range ("March-April 1950")."""
    if first.year is None and second.year is not None:
        year = second.year
        if first.month and second.month and first.month > second.month:
            year -= 1
        first = replace(first, year=year)
    elif second.year is None and first.year is not None:
        year = first.year
        if first.month and second.month and second.month < first.month:
            year += 1
        second = replace(second, year=year)
    return first, second


def _ordered(first: _Point, second: _Point) -> bool:
    """Whether a range's end comes after its start (both years may still be missing)."""
    year = first.year or second.year or 2000
    a = replace(first, year=first.year or year)
    b = replace(second, year=second.year or year)
    if not (a.valid() and b.valid()):
        return False
    return _interval(a.iso(), a.precision, None)[0] <= _interval(b.iso(), b.precision, None)[1]


# -- text helpers ------------------------------------------------------------------------------


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split running text into sentences.

    A full stop ends a sentence unless it closes an initial (``Harry S.``), an
    acronym with inner stops (``U.S.``) or a common abbreviation (``Gen.``).

    :param text: a paragraph's text
    :return: each sentence with its offset in the text
    """
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start() + 1]
        word = re.search(r"([\w.]+)\.$", head)
        if word:
            last = word.group(1)
            if (
                len(last) == 1
                or "." in last
                or last.lower() in _ABBREVIATIONS
                or (last.isupper() and len(last) <= 2)
            ):
                continue
        sentences.append((start, text[start : match.end()].strip()))
        start = match.end()
    if text[start:].strip():
        sentences.append((start, text[start:].strip()))
    return sentences


def _words(text: str) -> list[str]:
    return re.findall(r"[^\s]+", text)


def _clean_words(words: list[str]) -> list[str]:
    words = [word.strip("\"“”‘’'*_") for word in words]
    words = [word for word in words if word and word not in ("—", "–", "-")]
    while words and words[0].lower().strip(",.") in _LEADING_WORDS:
        words = words[1:]
    while words and words[-1].lower().strip(",.;:") in _TRAILING_WORDS:
        words = words[:-1]
    if words:
        words[-1] = words[-1].rstrip(",.;:")
    return [word for word in words if word]


def _remove_spans(
    text: str, spans: list[tuple[int, int]], keep: tuple[int, int]
) -> tuple[str, int, int]:
    """Replace character spans of ``text`` by a space, moving the ``keep`` span accordingly."""
    a, b = keep
    shift = 0
    out: list[str] = []
    position = 0
    for first, last in sorted(spans):
        if first < position:
            continue
        out.append(text[position:first] + " ")
        if last <= keep[0]:
            shift += last - first - 1
        position = last
    out.append(text[position:])
    return "".join(out), a - shift, b - shift


def _asides(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed asides and of asides between two dashes."""
    spans: list[tuple[int, int]] = []
    depth, opened = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, index + 1))
    spans += [(m.start(), m.end()) for m in re.finditer(r"—[^—]{1,200}—", text)]
    return spans


def _clause(sentence: str, a: int, b: int) -> tuple[str, int, int]:
    """The sentence reduced to the clause that holds ``[a, b)``, asides removed."""
    for first, last in sorted(_asides(sentence), key=lambda s: s[1] - s[0]):
        if first <= a and b <= last:
            inner = sentence[first + 1 : last - 1]
            rest = (inner[: a - first - 1] + inner[b - first - 1 :]).strip()
            if len(_words(rest)) >= 2:
                sentence, a, b = inner, a - first - 1, b - first - 1
            else:
                sentence = sentence[:first] + sentence[last:]
                a = b = first
            break
    spans = [(f, l) for f, l in _asides(sentence) if l <= a or f >= b]
    sentence, a, b = _remove_spans(sentence, spans, (a, b))
    breaks = [m.start() for m in re.finditer(r";|:(?=\s)|\s[—–-]\s|—", sentence)]
    left = max((p for p in breaks if p < a), default=-1)
    right = min((p for p in breaks if p >= b), default=len(sentence))
    return sentence[left + 1 : right], a - left - 1, b - left - 1


def derive_label(sentence: str, start: int, end: int) -> str:
    """A short label for the date at ``sentence[start:end]``: the clause around it.

    :param sentence: the sentence
    :param start: where the date starts in the sentence
    :param end: where the date ends
    :return: at most 12 words, first letter capitalised
    """
    clause, a, b = _clause(sentence, start, end)
    head, tail = clause[:a], clause[b:]
    head_cuts = [m.start() for m in _COMMA.finditer(head)]
    tail_cuts = [m.start() for m in _COMMA.finditer(tail)] + [len(tail)]
    before = _words(head[head_cuts[-1] + 1 :] if head_cuts else head)
    while before and before[-1].lower() in _TRAILING_WORDS:
        before = before[:-1]  # the date's own preposition
    after = _words(tail[: tail_cuts[0]])
    following = _words(tail[tail_cuts[0] + 1 : tail_cuts[1]] if len(tail_cuts) > 1 else "")
    if len(before) >= 3:
        fits = len(before) + len(after) <= MAX_LABEL_WORDS
        words = before + after if fits else before[-MAX_LABEL_WORDS:]
    elif len(before) + len(after) >= 3:
        words = (before + after)[:MAX_LABEL_WORDS]
    else:
        words = (before + after + following)[:MAX_LABEL_WORDS]
    words = _clean_words(words)
    if len(words) < 2:
        words = _clean_words(_words(head + " " + tail))[:MAX_LABEL_WORDS]
    label = " ".join(words) or " ".join(_words(sentence)[:MAX_LABEL_WORDS])
    return label[:1].upper() + label[1:]


def _stem(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())
    return word[:6] if len(word) > 6 else word


def _key_terms(label: str, sentence: str = "") -> set[str]:
    """The key words of a label, to tell whether two labels tell one event.

    Identifiers (a capitalised word with a number, "Resolution 83") start with
    ``#``; names (capitalised inside the sentence) keep a capital; other content
    words are lower-case.  Words are cut to six letters, a crude stemmer that
    makes "intervened" and "intervention" one word.

    :param label: the label
    :param sentence: the sentence it comes from, to tell names from a capital
        that only starts the label
    :return: the key words
    """
    terms = {
        f"#{m.group(1).lower()} {m.group(2)}"
        for m in re.finditer(r"\b([A-Z][a-z]+)\s+(\d+[A-Za-z()]*)", label)
    }
    for position, word in enumerate(re.findall(r"[^\W\d_][\w'’-]*", label)):
        lower = word.lower()
        if lower in _STOPWORDS or len(lower) < 3 or lower in _MONTHS_LOWER:
            continue
        name = word[:1].isupper() and (
            position > 0 or re.search(rf"\S\s+{re.escape(word)}\b", sentence) is not None
        )
        terms.add(_stem(lower).capitalize() if name else _stem(lower))
    return terms


_MONTHS_LOWER: Final = frozenset(name.lower() for name in _MONTH_NAMES)


# -- extraction --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    """The chapter and section a date is told in (neither for the lead)."""

    chapter: Chapter | None
    section: Section | None
    lead_docname: str

    def place(self, event: Event) -> Event:
        """The event, told here."""
        chapter, section = self.chapter, self.section
        return replace(
            event,
            chapter=chapter.number if chapter else None,
            chapter_title=chapter.title if chapter else None,
            chapter_label=chapter.label if chapter else None,
            section_title=section.title if section else None,
            section_label=section.label if section else None,
            docname=chapter.docname if chapter else self.lead_docname,
        )


@dataclass
class _Anchor:
    """A date with its own year, as a later date in the paragraph may borrow it."""

    year: int
    month: int | None
    multi_year: bool
    sentence: int
    last_token: int
    event: int | None  # index in the events list, if it became one
    line: int


@dataclass
class _Collector:
    """Mutable state of one extraction run."""

    events: list[Event] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)
    consumed_tokens: set[tuple[int, int]] = field(default_factory=set)
    doubtful: list[Doubt] = field(default_factory=list)
    paragraph_of: dict[int, int] = field(default_factory=dict)


def _heading_phase(title: str) -> tuple[_Point, _Point | None] | None:
    """The period a heading names in brackets at its end, if any."""
    match = _HEADING_PERIOD.search(title)
    if not match:
        return None
    tokens = _tokens(match.group(1))
    reader = _Reader(tokens)
    found = list(reader.expressions())
    if len(found) != 1 or found[0].first != 0 or found[0].last != len(tokens):
        return None
    expr = found[0]
    if expr.start.year is None or expr.start.decade:
        return None
    return expr.start, expr.end


def _phase_interval(
    phase: tuple[_Point, _Point | None],
) -> tuple[dt.date, dt.date]:
    start, end = phase
    first = _interval(start.iso(), start.precision, start.qualifier)[0]
    last_point = end or start
    last = _interval(last_point.iso(), last_point.precision, last_point.qualifier)[1]
    return first, last


def _heading_year(
    point: _Point, phase: tuple[_Point, _Point | None] | None
) -> tuple[int | None, str]:
    """The one year of a heading's period that can hold a yearless date."""
    if phase is None:
        return None, "no year in the paragraph and none in the heading"
    first, last = _phase_interval(phase)
    fits = []
    for year in range(first.year, last.year + 1):
        candidate = replace(point, year=year)
        if not candidate.valid():
            continue
        low, high = _interval(candidate.iso(), candidate.precision, candidate.qualifier)
        if low <= last and high >= first:
            fits.append(year)
    if len(fits) == 1:
        return fits[0], ""
    if not fits:
        return None, "the heading's period cannot hold this date"
    years = ", ".join(str(y) for y in fits)
    return None, f"the heading's period spans several years that could hold it ({years})"


def _event_from(
    found: _Found, sentence: str, *, start: int, end: int, line: int, where: _Where
) -> Event:
    """The event of a date expression found at ``sentence[start:end]``."""
    first, last = found.start, found.end
    event = Event(
        date=first.iso(),
        precision=first.precision,
        qualifier=first.qualifier,
        end_date=last.iso() if last else None,
        end_precision=last.precision if last else None,
        end_qualifier=last.qualifier if last else None,
        relation=found.relation,
        label=derive_label(sentence, start, end),
        sentence=sentence,
        line=line,
        text=sentence[start:end],
        year_from=found.year_from,
    )
    return where.place(event)


def _verdict(reader: _Reader, found: _Found) -> tuple[str, str]:
    """Whether an expression dates an event, following the module's rules.

    :return: ``("event", "")``, ``("skip", why)`` for what is silently left out,
        or ``("doubt", why)`` for what the report should show
    """
    start, end = found.start, found.end
    before = reader.word(found.first - 1)
    if reader.is_dash(found.first - 1) and reader.word(found.first - 2) in ("post", "pre"):
        return "skip", "relative to a year"
    if start.decade:
        return "doubt", "a decade only: too vague to place on a chronology"
    month_alone = start.month is not None and start.day is None and start.year is None
    if month_alone and end is None and start.qualifier is None and before not in _TIME_WORDS:
        return "skip", "a month name not used as a time"
    if start.month is None and (end is None or end.month is None):
        time_word = before in _TIME_WORDS or (end is None and start.qualifier is not None)
        if end is None and start.qualifier is None:
            attributive = _attributive(reader, found)
            if not attributive and (before not in _TIME_WORDS or before == "of"):
                return "skip", "a number, not a time"
        if reader.figure_before(found.first - 1 if time_word else found.first):
            return "skip", "dates a figure"
    return "event", ""


def _attributive(reader: _Reader, found: _Found) -> bool:
    """A bare year used as part of a name: "the 1954 Conference", "Act of 1950", "(1948)"."""
    before = reader.at(found.first - 1)
    after = reader.at(found.last)
    if before is None:
        return False
    if before.kind == "word" and (
        before.text.lower() in ("the", "a", "an") or before.bare != before.text
    ):
        return after is not None and after.kind == "word"
    if before.text.lower() == "of":
        name = reader.at(found.first - 2)
        return name is not None and name.kind == "word" and name.text[:1].isupper()
    return reader.is_punct(found.first - 1, "(") and reader.is_punct(found.last, ")")


def _following_year(reader: _Reader, found: _Found) -> tuple[int, int] | None:
    """A year right after a yearless date ("the March 1st Movement of 1919"), and its index."""
    for index in range(found.last, min(found.last + 4, len(reader.tokens))):
        token = reader.tokens[index]
        if token.kind == "punct" and token.text in ",;:()":
            return None
        year = reader.year(index)
        if year is not None:
            return (year, index) if reader.word(index - 1) in ("of", "in") else None
    return None


def _in_brackets_after(reader: _Reader, found: _Found, anchor: _Anchor) -> bool:
    """Whether the date is in brackets right after its anchor ("1954 Conference (April 26)")."""
    opening = found.first - 1
    if not reader.is_punct(opening, "("):
        return False
    return 0 <= opening - anchor.last_token <= 6


def _resolve_year(
    found: _Found,
    reader: _Reader,
    *,
    sentence_index: int,
    anchors: list[_Anchor],
    phase: tuple[_Point, _Point | None] | None,
    collector: _Collector,
) -> tuple[_Found | None, str]:
    """Give a yearless date its year from the context; or say why it stays doubtful."""
    point = found.start
    following = _following_year(reader, found)
    if following is not None:
        collector.consumed_tokens.add((sentence_index, following[1]))
        return _with_year(found, following[0], "sentence"), ""
    if anchors:
        anchor = anchors[-1]
        if anchor.multi_year:
            return None, f"the date before it (line {anchor.line}) spans several years"
        if anchor.month and anchor.month >= 10 and point.month and point.month <= 3:
            return None, (
                f"the date before it is late in {anchor.year}: "
                f"this may be {anchor.year} or {anchor.year + 1}"
            )
        if (
            anchor.event is not None
            and anchor.sentence == sentence_index
            and anchor.month is None
            and _in_brackets_after(reader, found, anchor)
        ):
            collector.consumed.add(anchor.event)
        return _with_year(found, anchor.year, "paragraph"), ""
    year, reason = _heading_year(point, phase)
    if year is None:
        return None, reason
    return _with_year(found, year, "heading"), ""


def _with_year(found: _Found, year: int, source: str) -> _Found | None:
    start = replace(found.start, year=year)
    end = found.end
    if end is not None:
        start, end = _complete_range(start, end)
        if end.year is None:
            end = replace(end, year=year)
    if not start.valid() or (end is not None and not end.valid()):
        return None
    return replace(found, start=start, end=end, year_from=source)


def _paragraph_events(
    paragraph: Paragraph,
    where: _Where,
    phase: tuple[_Point, _Point | None] | None,
    collector: _Collector,
    paragraph_index: int,
) -> None:
    """Collect the events of one paragraph (years flow from one sentence to the next)."""
    anchors: list[_Anchor] = []
    collector.consumed_tokens.clear()
    text = paragraph.text
    for sentence_index, (offset, sentence) in enumerate(split_sentences(text)):
        line = paragraph.line + text[:offset].count("\n")
        tokens = _tokens(sentence)
        reader = _Reader(tokens)
        for found in reader.expressions():
            if (sentence_index, found.first) in collector.consumed_tokens:
                continue  # the year of a date before it
            verdict, reason = _verdict(reader, found)
            written = sentence[tokens[found.first].start : tokens[found.last - 1].end]
            current = found
            if verdict == "doubt":
                collector.doubtful.append(Doubt(line, written, reason, sentence))
                continue
            if found.start.year is None:
                if verdict == "skip":
                    continue
                resolved, why = _resolve_year(
                    found,
                    reader,
                    sentence_index=sentence_index,
                    anchors=anchors,
                    phase=phase,
                    collector=collector,
                )
                if resolved is None:
                    collector.doubtful.append(
                        Doubt(line, written, f"no year: {why}", sentence, _hint(anchors))
                    )
                    continue
                current = resolved
            elif reason == "relative to a year":
                continue
            last = current.end or current.start
            anchors.append(
                _Anchor(
                    year=last.year or 0,
                    month=last.month,
                    multi_year=current.end is not None and current.end.year != current.start.year,
                    sentence=sentence_index,
                    last_token=found.last - 1,
                    event=len(collector.events) if verdict == "event" else None,
                    line=line,
                )
            )
            if verdict == "skip":
                continue
            if not current.start.valid() or (current.end and not current.end.valid()):
                collector.doubtful.append(Doubt(line, written, "not a valid date", sentence))
                continue
            a, b = tokens[found.first].start, tokens[found.last - 1].end
            event = _event_from(current, sentence, start=a, end=b, line=line, where=where)
            collector.paragraph_of[len(collector.events)] = paragraph_index
            collector.events.append(event)


def _hint(anchors: list[_Anchor]) -> str:
    return f"the last year before it is {anchors[-1].year}" if anchors else ""


def _phase_event(
    title: str, line: int, where: _Where, phase: tuple[_Point, _Point | None]
) -> Event:
    start, end = phase
    name = _HEADING_PERIOD.sub("", title).strip()
    event = Event(
        date=start.iso(),
        precision=start.precision,
        qualifier=start.qualifier,
        end_date=end.iso() if end else None,
        end_precision=end.precision if end else None,
        end_qualifier=end.qualifier if end else None,
        label=name,
        sentence=title,
        line=line,
        text=match.group(1) if (match := _HEADING_PERIOD.search(title)) else "",
        kind="phase",
    )
    return where.place(event)


def _heading_phases(
    article: Article,
) -> tuple[list[Event], dict[int, tuple[_Point, _Point | None]]]:
    """The phases named by headings, and each heading's period by heading line."""
    phases: list[Event] = []
    periods: dict[int, tuple[_Point, _Point | None]] = {}
    for chapter in article.chapters:
        found = _heading_phase(chapter.title)
        if found:
            periods[chapter.line] = found
            phases.append(
                _phase_event(chapter.title, chapter.line, _Where(chapter, None, ""), found)
            )
        for section in chapter.sections:
            found = _heading_phase(section.title)
            if found:
                periods[section.line] = found
                phases.append(
                    _phase_event(section.title, section.line, _Where(chapter, section, ""), found)
                )
    return phases, periods


def find_war_span(article: Article, events: Sequence[Event]) -> WarSpan | None:
    """The years the article is about.

    The first parenthesised year range in the lead's first paragraph
    (``The Korean War (1950–1953) was...``) gives the span; without one, the
    year with the most day and month dates, widened to the neighbouring years
    holding at least a quarter as many.  The start is the first day-precise date
    of the lead inside the span's first year.

    :param article: the article
    :param events: its events
    :return: the span, or ``None`` for an article without dates
    """
    first_paragraph = next((b for b in article.lead if isinstance(b, Paragraph)), None)
    span: tuple[int, int] | None = None
    rule = ""
    if first_paragraph is not None:
        for match in re.finditer(r"\(([^()]*)\)", first_paragraph.text):
            found = list(_Reader(_tokens(match.group(1))).expressions())
            if found and found[0].end is not None and found[0].start.month is None:
                start, end = found[0].start.year, found[0].end.year
                if start is not None and end is not None:
                    span, rule = (start, end), "the first year range of the lead"
                    break
    if span is None:
        counts = Counter(
            int(e.date[:4]) for e in events if e.kind == "statement" and e.precision != "year"
        )
        if not counts:
            return None
        peak = max(sorted(counts), key=lambda year: counts[year])
        low = high = peak
        while counts.get(low - 1, 0) * 4 >= counts[peak]:
            low -= 1
        while counts.get(high + 1, 0) * 4 >= counts[peak]:
            high += 1
        span, rule = (low, high), "the densest years of dates"
    lead_days = sorted(
        e.date
        for e in events
        if e.chapter is None
        and e.precision == "day"
        and e.kind == "statement"
        and int(e.date[:4]) == span[0]
    )
    return WarSpan(span[0], span[1], lead_days[0] if lead_days else None, rule)


def period_of(event: Event, span: WarSpan | None) -> Period:
    """The period an event belongs to (see the module's rules).

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
            title = f"{start.year}, before {start.day} {_MONTH_NAMES[start.month - 1]}"
            return Period(f"prelude-{start.year}", title, "Background", f"{start.year:04d}-00")
    if year <= span.last:
        return Period(f"war-{year}", str(year), "War", f"{year:04d}-01")
    return Period("aftermath", f"After {span.last}", "Aftermath", f"{span.last + 1:04d}")


def extract_chronology(
    article: Article,
    *,
    overrides: Sequence[Override] = (),
    lead_docname: str = "introduction",
) -> ChronologyResult:
    """Find every dated statement of an article.

    :param article: the parsed article
    :param overrides: editorial overrides (:func:`load_overrides`), applied last
    :param lead_docname: the page the lead paragraphs are rendered on
    :return: events in date order, the headings' phases, doubtful dates and
        disagreements between tellings
    :raises BuildError: if an override matches no event, or several
    """
    phases, heading_periods = _heading_phases(article)
    collector = _Collector()
    for index, (chapter, section, paragraph) in enumerate(article.paragraphs()):
        period = None
        if section is not None:
            period = heading_periods.get(section.line)
        if period is None and chapter is not None:
            period = heading_periods.get(chapter.line)
        where = _Where(chapter, section, lead_docname)
        _paragraph_events(paragraph, where, period, collector, index)
    kept = [i for i in range(len(collector.events)) if i not in collector.consumed]
    events = [collector.events[i] for i in kept]
    paragraphs = {_place(collector.events[i]): collector.paragraph_of[i] for i in kept}
    terms = {_place(event): _key_terms(event.label, event.sentence) for event in events}
    result = ChronologyResult(
        title=article.title,
        source=article.source,
        events=tuple(sorted(events, key=lambda e: e.sort_key)),
        phases=tuple(sorted(phases, key=lambda e: e.sort_key)),
        doubtful=tuple(collector.doubtful),
        span=find_war_span(article, events),
    )
    result = apply_overrides(result, overrides)
    found = find_disagreements(result, terms=terms, paragraphs=paragraphs)
    return replace(result, disagreements=tuple(found))


# -- overrides ---------------------------------------------------------------------------------

_OVERRIDE_KEYS: Final = frozenset(
    ["line", "date", "end_date", "match", "label", "drop", "merge_into", "id", "key"]
)
_BOOLEANS: Final = {"true": True, "yes": True, "false": False, "no": False}


def load_overrides(text: str, *, path: str) -> tuple[Override, ...]:
    """Read an overrides file: a YAML list of editorial entries.

    Each entry selects one event (``line``, ``date``, ``end_date``, ``match``)
    and sets a ``label``, drops it (``drop: true``) or merges it into another
    (``merge_into``: an ``id`` given to another entry, or ``line:date``).
    Values are read as written (``date: 1950-06-25`` stays a string).

    :param text: the file's text
    :param path: the file's name, for messages
    :return: the entries in file order
    :raises BuildError: naming the file and line of a malformed entry
    """
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise BuildError(f"not valid YAML: {err}", path=path, line=line) from None
    if root is None:
        return ()
    if not isinstance(root, yaml.SequenceNode):
        raise BuildError(
            "an overrides file is a list of entries ('- line: ...')",
            path=path,
            line=root.start_mark.line + 1,
        )
    overrides = [_override(node, path) for node in root.value]
    idents = Counter(o.ident for o in overrides if o.ident)
    for override in overrides:
        if override.ident and idents[override.ident] > 1:
            raise BuildError(
                f"the id {override.ident!r} is used by more than one entry",
                path=path,
                line=override.source_line,
            )
    return tuple(overrides)


def _override(node: yaml.Node, path: str) -> Override:
    """One entry of an overrides file, its values read as the strings written."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise BuildError("each entry is a mapping ('line: ..., label: ...')", path=path, line=line)
    values: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in _OVERRIDE_KEYS:
            known = ", ".join(sorted(_OVERRIDE_KEYS))
            raise BuildError(
                f"unknown key {key!r}; an entry takes {known}",
                path=path,
                line=key_node.start_mark.line + 1,
            )
        if isinstance(value_node, yaml.MappingNode) and key == "merge_into":
            inner = {str(k.value): str(v.value) for k, v in value_node.value}
            values[key] = f"{inner.get('line', '')}:{inner.get('date', '')}"
            continue
        if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
            raise BuildError(
                f"{key!r} takes one value", path=path, line=value_node.start_mark.line + 1
            )
        values[key] = str(value_node.value)
    flags: dict[str, bool | None] = {}
    for name in ("drop", "key"):
        flag = values.get(name)
        if flag is not None and flag.lower() not in _BOOLEANS:
            raise BuildError(f"{name} is true or false, not {flag!r}", path=path, line=line)
        flags[name] = _BOOLEANS[flag.lower()] if flag is not None else None
    if not values.get("line", "0").isdigit():
        raise BuildError(f"line is a number, not {values['line']!r}", path=path, line=line)
    drop = bool(flags["drop"])
    actions = ("label" in values) + drop + ("merge_into" in values) + (flags["key"] is not None)
    if actions == 0:
        raise BuildError(
            "this entry changes nothing: give it a label, drop, merge_into or key",
            path=path,
            line=line,
        )
    if drop and actions > 1:
        raise BuildError("a dropped event takes nothing else", path=path, line=line)
    try:
        return Override(
            path=path,
            source_line=line,
            line=int(values["line"]) if "line" in values else None,
            date=values.get("date"),
            end_date=values.get("end_date"),
            match=values.get("match"),
            label=values.get("label"),
            drop=drop,
            merge_into=values.get("merge_into"),
            ident=values.get("id"),
            key=flags["key"],
        )
    except ValueError as err:
        raise BuildError(str(err), path=path, line=line) from None


def _selects(override: Override, event: Event) -> bool:
    return (
        (override.line is None or override.line == event.line)
        and (override.date is None or override.date == event.date)
        and (override.end_date is None or override.end_date == event.end_date)
        and (override.match is None or override.match in event.sentence)
    )


def _describe(override: Override) -> str:
    parts = [
        f"{name} {value}"
        for name, value in (
            ("line", override.line),
            ("date", override.date),
            ("end_date", override.end_date),
        )
        if value is not None
    ]
    if override.match is not None:
        parts.append(f"match {override.match!r}")
    return ", ".join(parts)


def apply_overrides(result: ChronologyResult, overrides: Sequence[Override]) -> ChronologyResult:
    """Apply editorial overrides: relabel, drop and merge events.

    :param result: the extracted chronology
    :param overrides: the entries of :func:`load_overrides`
    :return: the chronology with the overrides applied
    :raises BuildError: if an entry matches no event or several, or merges
        into an unknown, dropped or merged-away event
    """
    events = list(result.events)
    chosen: list[int] = []
    for override in overrides:
        matches = [i for i, event in enumerate(events) if _selects(override, event)]
        if len(matches) != 1:
            what = _describe(override)
            if not matches:
                message = (
                    f"this override ({what}) matches no event: the article changed or the "
                    "entry is mistyped; update or delete it"
                )
            else:
                found = "; ".join(events[i].ident for i in matches)
                message = (
                    f"this override ({what}) matches {len(matches)} events ({found}); "
                    "add date, end_date or match to choose one"
                )
            raise BuildError(message, path=override.path, line=override.source_line)
        chosen.append(matches[0])
    by_ident = {o.ident: chosen[n] for n, o in enumerate(overrides) if o.ident}
    by_ident.update({events[i].ident: i for i in range(len(events))})
    by_ident.update({f"{e.line}:{e.date}": i for i, e in enumerate(events)})
    for n, override in enumerate(overrides):
        event = events[chosen[n]]
        if override.label is not None:
            event = replace(event, label=override.label, edited=True, key=True)
        if override.key is not None:
            event = replace(event, key=override.key)
        events[chosen[n]] = event
    dropped = {chosen[n] for n, o in enumerate(overrides) if o.drop}
    target: dict[int, int] = {}
    for n, override in enumerate(overrides):
        if override.merge_into is None:
            continue
        into = by_ident.get(override.merge_into)
        if into is None or into in dropped or into == chosen[n]:
            why = (
                "is dropped"
                if into in dropped
                else "is itself"
                if into == chosen[n]
                else ("names no event or id")
            )
            raise BuildError(
                f"merge_into {override.merge_into!r} {why}",
                path=override.path,
                line=override.source_line,
            )
        target[chosen[n]] = into
    final: dict[int, int] = {}
    for source, first_target in target.items():
        seen = {source}
        into = first_target
        while into in target:
            if into in seen:
                line = next(o.source_line for n, o in enumerate(overrides) if chosen[n] == source)
                raise BuildError("these merges form a loop", path=overrides[0].path, line=line)
            seen.add(into)
            into = target[into]
        final[source] = into
    merged: dict[int, list[Event]] = {}
    for source, into in sorted(final.items()):
        merged.setdefault(into, []).append(events[source])
    kept: list[Event] = []
    for index, event in enumerate(events):
        if index in dropped or index in final:
            continue
        also = [*event.told_also]
        for other in merged.get(index, []):
            also += [replace(other, told_also=()), *other.told_also]
        kept.append(replace(event, told_also=tuple(sorted(also, key=lambda e: e.line))))
    return replace(
        result,
        events=tuple(sorted(kept, key=lambda e: e.sort_key)),
        dropped=result.dropped + tuple(events[i] for i in sorted(dropped)),
    )


# -- disagreements -----------------------------------------------------------------------------


def _conflict(first: Event, second: Event) -> bool:
    """Whether two dates cannot both be true ("by" stretches back indefinitely)."""

    def bounds(event: Event) -> tuple[dt.date, dt.date]:
        low, high = event.span
        return (dt.date.min if event.relation == "by" else low), high

    a_low, a_high = bounds(first)
    b_low, b_high = bounds(second)
    return a_high < b_low or b_high < a_low


def _place(event: Event) -> tuple[int, str, str | None, str]:
    """What identifies a telling across overrides: line, dates and the words of the date."""
    return event.line, event.date, event.end_date, event.text


def find_disagreements(
    result: ChronologyResult,
    *,
    terms: dict[tuple[int, str, str | None, str], set[str]] | None = None,
    paragraphs: dict[tuple[int, str, str | None, str], int] | None = None,
) -> list[Disagreement]:
    """Tellings of one event with dates that cannot all be true.

    Tellings are of one event when an editor merged them or gave them the same
    label, or when their labels (as extracted, before any editing) nearly
    repeat each other.  Shared key words count when they are rare, in at most
    ``sqrt(n)`` of the ``n`` tellings; the labels nearly repeat when they share
    an identifier (a name with its number, "Resolution 83") and one more word,
    or when at least 40% of their key words are shared, among them three rare
    ones: two names and a word that is not a name (the same actors doing the
    same thing).  The rule is meant to be strict: it finds near-repeats, and
    leaves the rest to the editor's labels.  Tellings in one paragraph are
    compared only when an editor joined them.

    :param result: the chronology
    :param terms: each telling's key words by :func:`_place`; computed from
        the current labels when missing
    :param paragraphs: each telling's paragraph index by :func:`_place`
    :return: the disagreements, in source order of their first telling
    """
    groups: dict[str, list[Event]] = {}
    group_of: dict[tuple[int, str, str | None, str], str] = {}
    subject: dict[str, str] = {}
    for number, event in enumerate(result.events):
        name = f"label:{event.label}" if event.edited else f"event:{number}"
        subject[name] = event.label
        for telling in (event, *event.told_also):
            groups.setdefault(name, []).append(telling)
            group_of[_place(telling)] = name
    found: list[Disagreement] = []
    for name, tellings in groups.items():
        if _any_conflict(tellings):
            found.append(
                Disagreement(
                    subject[name],
                    tuple(sorted(tellings, key=lambda e: (e.sort_key, e.line))),
                    "an editor marked them as one event",
                )
            )
    tellings = list(result.tellings())
    words = dict(terms or {})
    for telling in tellings:
        words.setdefault(_place(telling), _key_terms(telling.label, telling.sentence))
    paragraph_of = paragraphs or {}
    frequency = Counter(term for telling in tellings for term in words[_place(telling)])
    rare_limit = math.sqrt(max(len(tellings), 1))
    linked: dict[int, set[int]] = {}
    shared_of: dict[int, set[str]] = {}
    # both rules need a shared rare word: only pairs that share one are compared
    # (each rare word is in at most sqrt(n) tellings, so the work grows as
    # n*sqrt(n) at most, not as n*n)
    holders: dict[str, list[int]] = {}
    for index, telling in enumerate(tellings):
        for term in sorted(words[_place(telling)]):
            if frequency[term] <= rare_limit:
                holders.setdefault(term, []).append(index)
    pairs = sorted(
        {(a, b) for held in holders.values() for n, a in enumerate(held) for b in held[n + 1 :]}
    )
    for index, other in pairs:
        first, second = tellings[index], tellings[other]
        a, b = _place(first), _place(second)
        if a[0] == b[0] or group_of.get(a) == group_of.get(b):
            continue
        if paragraph_of.get(a) is not None and paragraph_of.get(a) == paragraph_of.get(b):
            continue
        if not _conflict(first, second):
            continue
        shared = words[a] & words[b]
        rare = {term for term in shared if frequency[term] <= rare_limit}
        identifiers = {term for term in rare if term.startswith("#")}
        names = {term for term in rare - identifiers if term[:1].isupper()}
        others = rare - identifiers - names
        overlap = len(shared) / max(len(words[a] | words[b]), 1)
        if (identifiers and len(shared) >= 2) or (
            overlap >= 0.4 and len(rare) >= 3 and len(names) >= 2 and others
        ):
            linked.setdefault(index, set()).add(other)
            linked.setdefault(other, set()).add(index)
            shared_of.setdefault(index, set()).update(rare)
    seen: set[int] = set()
    for start in sorted(linked):
        if start in seen:
            continue
        component, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current not in component:
                component.add(current)
                todo.extend(linked[current] - component)
        seen |= component
        members = sorted((tellings[i] for i in component), key=lambda e: (e.sort_key, e.line))
        shared_words = set().union(*(shared_of.get(i, set()) for i in component))
        found.append(
            Disagreement(
                min(members, key=lambda e: e.line).label,
                tuple(members),
                "their labels share key words",
                tuple(sorted(term.lstrip("#") for term in shared_words)),
            )
        )
    return sorted(found, key=lambda d: min(e.line for e in d.tellings))


def _any_conflict(tellings: Sequence[Event]) -> bool:
    return any(
        _conflict(first, second)
        for index, first in enumerate(tellings)
        for second in tellings[index + 1 :]
    )


# -- text output -------------------------------------------------------------------------------


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
        text = f"{parts[2]} {_MONTH_NAMES[parts[1] - 1]} {parts[0]}"
    elif precision == "month":
        text = f"{_MONTH_NAMES[parts[1] - 1]} {parts[0]}"
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


def render_chronology_report(result: ChronologyResult) -> str:
    """A plain-text report for the editor: disagreements, then doubtful dates.

    :param result: the chronology
    :return: the report
    """
    lines = [f"Chronology report for {result.source}", ""]
    lines.append(
        f"{len(result.events)} events, {len(result.phases)} phases from headings, "
        f"{len(result.disagreements)} disagreements, {len(result.doubtful)} doubtful dates."
    )
    if result.span is not None:
        start = f", starting {result.span.start}" if result.span.start else ""
        lines.append(
            f"War span: {result.span.first}–{result.span.last}{start} ({result.span.rule})."
        )
    lines += ["", "Disagreements", "-------------"]
    if not result.disagreements:
        lines.append("None found.")
    for number, item in enumerate(result.disagreements, start=1):
        why = item.reason + (f" ({', '.join(item.shared)})" if item.shared else "")
        lines.append(f"{number}. {item.subject}: {why}")
        for event in item.tellings:
            where = event.link_title or "Introduction"
            lines.append(f"   line {event.line}, {where}: {format_event_date(event)}")
            lines.append(f"     {_quote(event.sentence)}")
        lines.append("")
    lines += ["", "Doubtful dates (not placed)", "---------------------------"]
    if not result.doubtful:
        lines.append("None.")
    for doubt in result.doubtful:
        hint = f"; {doubt.hint}" if doubt.hint else ""
        lines.append(f"line {doubt.line}: {doubt.text!r}: {doubt.reason}{hint}")
        lines.append(f"     {_quote(doubt.sentence)}")
    return "\n".join(lines).rstrip() + "\n"


def _quote(sentence: str, width: int = 220) -> str:
    return f"“{sentence if len(sentence) <= width else sentence[: width - 1] + '…'}”"


_MYST_PUNCTUATION: Final = re.compile(r"([!-/:-@\[-`{-~])")


def escape_myst(text: str) -> str:
    """Backslash-escape every ASCII punctuation character, so MyST shows text as is.

    :param text: plain text from the article
    :return: MyST inline text
    """
    return _MYST_PUNCTUATION.sub(r"\\\1", text)


def _ref(title: str, label: str) -> str:
    """A ``{ref}`` role: role content is taken literally, so unsafe titles fall back to the label."""
    if re.search(r"[`<>\\]", title) or not title.strip():
        return f"{{ref}}`{label}`"
    return f"{{ref}}`{title} <{label}>`"


def timeline_alt_text(result: ChronologyResult) -> str:
    """The timeline figure's alternative text: what it shows, in one paragraph.

    :param result: the chronology
    :return: plain text, one line
    """
    keys = key_events(result)
    if not keys:
        return f"A timeline of {result.title}: no dated events."
    first, last = keys[0], keys[-1]
    text = f"A horizontal timeline of the events in “{result.title}”"
    if result.span is not None:
        text += f", with the years {result.span.first} to {result.span.last} drawn month by month"
    text += (
        f". Labels mark key events, from {first.label} ({format_event_date(first)}) "
        f"to {last.label} ({format_event_date(last)})."
    )
    if result.phases:
        text += (
            f" Hatched bars in a panel below show the {len(result.phases)} periods named in "
            "the section headings."
        )
    return text + " The list below gives every event in words."


def timeline_caption(result: ChronologyResult) -> str:
    """The timeline figure's caption, saying how its time axis is drawn.

    :param result: the chronology
    :return: plain text
    """
    text = "Timeline of the key events."
    span = result.span
    if span is not None:
        days = [day for event in [*key_events(result), *result.phases] for day in event.span]
        squeezed = [
            side
            for side, found in (
                ("earlier years on the left", any(day.year < span.first for day in days)),
                ("later years on the right", any(day.year > span.last for day in days)),
            )
            if found
        ]
        text += f" The years {span.first}–{span.last} are drawn month by month"
        text += f"; {' and '.join(squeezed)} are compressed." if squeezed else "."
    if result.phases:
        text += " Hatched bars are the periods named in the section headings."
    return text


def render_chronology_page(
    result: ChronologyResult,
    article: Article,
    *,
    figure: str = "timeline.*",
    lead_label: str = "introduction",
) -> str:
    """The chronology as a MyST page: the timeline figure, then the events by period.

    :param result: the chronology
    :param article: the article (its title heads the page's introduction)
    :param figure: the figure's path relative to the page
    :param lead_label: the label of the page holding the lead paragraphs
    :return: the page's MyST
    """
    alt = timeline_alt_text(result).replace("\n", " ")
    parts = [
        "(chronology)=\n# Chronology",
        escape_myst(
            f"Every dated event of “{article.title}”, in date order. Each entry links to the "
            "section that tells it; where the article tells an event more than once, every "
            "place is listed."
        ),
        f":::{{figure}} {figure}\n:alt: {alt}\n:name: chronology-timeline\n:width: 100%\n\n"
        + escape_myst(timeline_caption(result))
        + "\n:::",
    ]
    for period, events in result.periods():
        parts.append(f"## {escape_myst(period.title)}")
        items = []
        for event in events:
            places = _places(event, lead_label)
            items.append(
                f"- **{escape_myst(format_event_date(event))}**: {escape_myst(event.label)}"
                f" ({'; '.join(places)})"
            )
        parts.append("\n".join(items))
    if result.disagreements:
        parts.append("## Where the article disagrees with itself")
        parts.append(
            escape_myst(
                "The article gives different dates for these events in different places. "
                "Read both passages: which date is right, and how could you check?"
            )
        )
        items = []
        for item in result.disagreements:
            dates: dict[str, list[str]] = {}
            for telling in item.tellings:
                where = _places(telling, lead_label, also=False)[0]
                places = dates.setdefault(format_event_date(telling), [])
                if where not in places:
                    places.append(where)
            told = " or ".join(
                f"**{escape_myst(date)}** ({'; '.join(places)})" for date, places in dates.items()
            )
            items.append(f"- {escape_myst(item.subject)}: {told}")
        parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"


def _places(event: Event, lead_label: str, *, also: bool = True) -> list[str]:
    tellings = [event, *event.told_also] if also else [event]
    places: list[str] = []
    for telling in tellings:
        label = telling.link_label
        title = telling.link_title
        ref = _ref(title, label) if label and title else _ref("Introduction", lead_label)
        if ref not in places:
            places.append(ref)
    return places


# -- JSON --------------------------------------------------------------------------------------


def chronology_json(
    result: ChronologyResult, base_url: str = "", *, lead_label: str = "introduction"
) -> list[dict[str, object]]:
    """The events as JSON-ready dictionaries, for other tools and the web.

    :param result: the chronology
    :param base_url: prefixed to each page URL
    :param lead_label: the anchor of the page holding the lead paragraphs
    :return: one dictionary per event; ``url`` is ``<docname>.html#<label>``
    """
    items: list[dict[str, object]] = []
    for event in result.events:
        anchor = event.link_label or lead_label
        items.append(
            {
                "date": event.date,
                "end_date": event.end_date,
                "precision": event.precision,
                "qualifier": event.qualifier,
                "label": event.label,
                "sentence": event.sentence,
                "line": event.line,
                "chapter": event.chapter,
                "section": event.section_title,
                "period": period_of(event, result.span).title,
                "url": f"{base_url}{event.docname or ''}.html#{anchor}",
            }
        )
    return items


def _timelinejs_date(value: str, precision: str) -> dict[str, int]:
    parts = [int(part) for part in value.split("-")]
    date = {"year": parts[0]}
    if precision in ("month", "day"):
        date["month"] = parts[1]
    if precision == "day":
        date["day"] = parts[2]
    return date


def timelinejs_json(result: ChronologyResult) -> dict[str, object]:
    """The events in TimelineJS3's JSON format.

    :param result: the chronology
    :return: ``{"title": ..., "events": [...]}``
    """
    events: list[dict[str, object]] = []
    for event in result.events:
        item: dict[str, object] = {
            "start_date": _timelinejs_date(event.date, event.precision),
            "text": {"headline": html.escape(event.label), "text": html.escape(event.sentence)},
            "group": period_of(event, result.span).title,
            "display_date": format_event_date(event),
            "unique_id": _slug(f"{event.line}-{event.date}-{event.label}"),
        }
        if event.end_date and event.end_precision:
            item["end_date"] = _timelinejs_date(event.end_date, event.end_precision)
        events.append(item)
    return {
        "title": {"text": {"headline": html.escape(f"{result.title}: chronology"), "text": ""}},
        "events": events,
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# -- the timeline figure -----------------------------------------------------------------------


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


#: Okabe and Ito's palette, readable with every common colour-vision deficiency.
PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Hatches so that phases stay apart in black and white.
HATCHES: Final = ("///", "\\\\\\", "...", "xxx", "---", "|||", "+++", "ooo")
_DPI: Final = 150
_WIDTH_PX: Final = 1600
_RC: Final[dict[RcKeyType, Any]] = {
    "font.family": "DejaVu Sans",
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


@dataclass(frozen=True)
class _Segment:
    """A stretch of the time axis: its first and last day and where it is drawn."""

    first: dt.date
    last: dt.date
    left: float
    right: float
    detail: bool  # month by month (the war) or compressed years

    def x(self, day: dt.date) -> float:
        total = (self.last - self.first).days or 1
        share = (min(max(day, self.first), self.last) - self.first).days / total
        return self.left + share * (self.right - self.left)


def _segments(
    result: ChronologyResult,
    keys: Sequence[Event],
    width: float,
    *,
    insets: tuple[float, float] = (60.0, 40.0),
    gap: float = 26.0,
) -> list[_Segment]:
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
        return [_Segment(first, last, insets[0], width - insets[1], True)]
    war_first = dt.date(span.first, 1, 1)
    war_last = dt.date(span.last, 12, 31)
    before = [d for d in days if d < war_first]
    after = [d for d in days if d > war_last]
    left, right = insets[0], width - insets[1]
    usable = right - left
    segments: list[_Segment] = []
    war_left, war_right = left, right
    if before:
        start = dt.date(min(before).year // 10 * 10, 1, 1)
        share = 0.2 * usable
        segments.append(_Segment(start, war_first, left, left + share, False))
        war_left = left + share + gap
    if after:
        end = dt.date(max(after).year // 10 * 10 + 10, 1, 1)
        share = 0.12 * usable
        war_right = right - share - gap
        segments.append(_Segment(war_last, end, war_right + gap, right, False))
    segments.append(_Segment(war_first, war_last, war_left, war_right, True))
    return sorted(segments, key=lambda s: s.left)


def _x(segments: Sequence[_Segment], day: dt.date) -> float:
    for segment in segments:
        if day <= segment.last:
            return segment.x(day)
    return segments[-1].x(day)


@dataclass
class _Callout:
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


def _layout_callouts(
    callouts: list[_Callout], lo: float, hi: float, *, clearance: float = 7.0
) -> list[_Callout]:
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


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [
        text
    ]


def _short_date(event: Event) -> str:
    """The date of a callout: months cut to three letters, ranges without spaces."""
    text = format_event_date(event).replace(" – ", "–").removeprefix("by ")
    for name in _MONTH_NAMES:
        text = text.replace(name, name[:3])
    return text


def draw_timeline(result: ChronologyResult, outdir: Path) -> list[Path]:
    """Draw the timeline as ``timeline.svg``, ``timeline.pdf`` and ``timeline.png``.

    The war years run month by month; earlier (and later) years are compressed
    into narrow segments, marked by a break.  Key events (:func:`key_events`)
    are labelled above and below the axis, alternately, in two staggered rows
    each, with leader lines that cross nothing; the headings' phases are
    hatched bars in a panel of their own.  Fonts are sized to stay readable
    when the figure is printed across an A4 page.  Output is byte-for-byte the
    same for the same chronology (fixed SVG hash salt, no dates or versions in
    the files).

    :param result: the chronology
    :param outdir: the folder to write into (created if missing)
    :return: the paths written: SVG, PDF, PNG
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    outdir.mkdir(parents=True, exist_ok=True)
    width = float(_WIDTH_PX)
    keys = key_events(result)
    with mpl.rc_context(rc=_RC):
        figure = Figure(figsize=(width / _DPI, 8.0), dpi=_DPI)
        FigureCanvasAgg(figure)
        segments = _segments(result, keys, width)

        def measure(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
            artist = figure.text(0, 0, text, fontsize=size, fontweight=weight, linespacing=1.15)
            box = artist.get_window_extent()
            artist.remove()
            return box.width, box.height

        callouts: list[_Callout] = []
        for event in keys:
            lines = _wrap(event.label, 13)
            text = "\n".join([*lines[:4], *([] if len(lines) <= 4 else ["…"])])
            text_w, text_h = measure(text, _LABEL_SIZE)
            date = _short_date(event)
            date_w, date_h = measure(date, _DATE_SIZE, "bold")
            if " " in date.split("–")[0] and date_w > text_w + 12:  # "27 Nov–13 Dec 1950"
                date = date.replace("–", "–\n", 1)
                date_w, date_h = measure(date, _DATE_SIZE, "bold")
            first, last = event.span
            point = (_x(segments, first) + _x(segments, last)) / 2
            callouts.append(
                _Callout(event, point, text, date, max(text_w, date_w) + 6, text_h + date_h + 10)
            )
            callouts[-1].date_height = date_h
        sides = [callouts[0::2], callouts[1::2]]
        sides = [_layout_callouts(side, 4.0, width - 4.0) for side in sides]
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
        lanes = _phase_lanes(result.phases)
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
            sign = 1.0 if side == 0 else -1.0
            for callout in chosen:
                near = rows_y[side, callout.row]
                box_top = near + callout.height if side == 0 else near
                first, last = callout.event.span
                x0, x1 = _x(segments, first), _x(segments, last)
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
        paths: list[Path] = []
        for suffix in ("svg", "pdf", "png"):
            path = outdir / f"timeline.{suffix}"
            figure.savefig(path, format=suffix, dpi=_DPI, metadata=_METADATA[suffix])
            paths.append(path)
    return paths


_LABEL_SIZE: Final = 12.5
_DATE_SIZE: Final = 11.5
_LEGEND_SIZE: Final = 11.0
_LEGEND_LINE: Final = _LEGEND_SIZE * 1.2 * _DPI / 72 + 1
_LEGEND_CHARS: Final = 58  # what fits half the figure's width at _LEGEND_SIZE


def _legend_names(phases: Sequence[Event]) -> list[str]:
    """Each phase's legend entry: its name and dates, on two lines when too long."""
    names = []
    for phase in phases:
        name = f"{phase.label} ({format_event_date(phase)})"
        if len(name) > _LEGEND_CHARS:
            name = "\n".join(_wrap(name, _LEGEND_CHARS)[:2])
        names.append(name)
    return names


def _legend_height(phases: Sequence[Event]) -> float:
    names = _legend_names(phases)
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    return sum(max(n.count("\n") + 1 for n in row) * _LEGEND_LINE + 8 for row in rows)


def _phase_lanes(phases: Sequence[Event]) -> dict[int, int]:
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


def _draw_axis(axes: Axes, segments: Sequence[_Segment], y: float, *, months: bool) -> None:
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
                        axes.text(x, y - 8, _MONTH_NAMES[month - 1][:3], fontsize=10,
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
    segments: Sequence[_Segment],
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
        x0, x1 = _x(segments, first), _x(segments, last)
        y = top - lanes[index] * (lane_height + lane_gap) - lane_height
        axes.add_patch(_phase_patch(x0, y, max(x1 - x0, 3.0), lane_height, index))
    column = (width - 60) / 2
    names = _legend_names(phases)
    y = legend_top
    for start in range(0, len(names), 2):
        lines = max(name.count("\n") + 1 for name in names[start : start + 2])
        for col, name in enumerate(names[start : start + 2]):
            x = 40 + col * column
            axes.add_patch(_phase_patch(x, y - 17, 32, 16, start + col))
            axes.text(x + 40, y, name, fontsize=_LEGEND_SIZE, va="top", ha="left", linespacing=1.2)
        y -= lines * _LEGEND_LINE + 8


def _phase_patch(
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
