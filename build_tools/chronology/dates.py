"""The date reader: the date expressions of one sentence, as the text writes them.

A sentence is cut into tokens (:func:`tokenize`); a :class:`Reader` finds
each date expression in them, one point or a range, with the parts the text
gives (a missing year is filled in by :mod:`build_tools.chronology.extract`).

Date forms recognised (``Month`` is a full month name, or an abbreviation with
its full stop, such as ``Sept.``):

* a day: ``June 25, 1950``, ``25 January 1951``, ``June 28`` and ``by 14 March``
  (the year then comes from the context), ``March 1st``;
* a month: ``in March 1949``, ``December 1945``, ``late October 1950``,
  ``mid-July``, ``that September``, ``December's end`` (= late December);
* a year: ``1910``, ``mid-1950``, ``early 1951``, ``the summer of 1950``;
* ranges: ``from August 18 to September 5, 1951``, ``April 8 to 25, 1950``,
  ``July 26–29, 1950``, ``March-April 1950``, ``May and June 1951``,
  ``May 1946–May 1947``, ``1950–1953``, ``1950–53``, ``from 1994 to 1998``.

Four-digit numbers never come from inside other numbers (``1,100``,
``$1,950``): a year is a token of exactly four digits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final

from build_tools.chronology.model import MONTH_NAMES, interval

_MONTHS: Final = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
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
#: The words that make a number or a month name a time ("in 1948", "that September").
TIME_WORDS: Final = frozenset([
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
# fmt: on

_TOKEN: Final = re.compile(
    r"(?P<num>\$?\d+(?:[.,]\d+)*(?:%|(?:st|nd|rd|th|s)\b)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*\.?)"
    r"|(?P<dash>[-‐‑‒–—―])"
    r"|(?P<punct>\S)"
)
_DAY: Final = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
_DECADE: Final = re.compile(r"^(\d{3}0)s$")


@dataclass(frozen=True)
class Point:
    """One end of a date as written: any part may be missing."""

    year: int | None
    month: int | None = None
    day: int | None = None
    qualifier: str | None = None
    decade: bool = False

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``: the smallest part given."""
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """The point as an ISO date; it must have its year."""
        if self.year is None:
            raise ValueError("no year")
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def valid(self) -> bool:
        """Whether the point has a plausible year and is a real day."""
        if self.year is None or not _MIN_YEAR <= self.year <= _MAX_YEAR:
            return False
        if self.day and self.month:
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError:
                return False
        return True


@dataclass(frozen=True)
class Token:
    """A number, a word, a dash or a punctuation mark, with where it is in the sentence."""

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
class Found:
    """A date expression found in a sentence."""

    first: int  # token index
    last: int  # token index after the expression
    start: Point
    end: Point | None
    relation: str
    year_from: str = "text"
    decade: bool = False


def tokenize(text: str) -> list[Token]:
    """Cut a sentence into tokens: a word keeps its full stop only after a month abbreviation.

    :param text: the sentence
    :return: the tokens, left to right
    """
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        value = match.group()
        if kind == "word" and value.endswith(".") and value[:-1] not in _MONTH_ABBREVIATIONS:
            # a full stop belongs to the sentence, except after month abbreviations
            value = value[:-1]
            found.append(Token(kind, value, match.start(), match.start() + len(value)))
            found.append(Token("punct", ".", match.end() - 1, match.end()))
            continue
        found.append(Token(kind, value, match.start(), match.end()))
    return found


class Reader:
    """Finds date expressions in one sentence's tokens."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    def at(self, index: int) -> Token | None:
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

    def point(self, index: int) -> tuple[Point, int] | None:  # noqa: PLR0911 (one per form)
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
                return Point(year, qualifier=season), after + 1
            return None
        month = self.month(index)
        ends = self.possessive_month(index)
        if ends is not None and qualifier is None and self.word(index + 1) == "end":
            return Point(None, ends, qualifier="late"), index + 2
        if month is not None:
            day = self.day(index + 1) if qualifier is None else None
            if day is not None and self.month(index + 2) is None:
                after = index + 2
                if self.is_punct(after, ",") and self.year(after + 1) is not None:
                    return Point(self.year(after + 1), month, day), after + 2
                if self.year(after) is not None:
                    return Point(self.year(after), month, day), after + 1
                return Point(None, month, day), after
            if self.year(index + 1) is not None:
                return Point(self.year(index + 1), month, qualifier=qualifier), index + 2
            return Point(None, month, qualifier=qualifier), index + 1
        if qualifier is None and self.day(index) is not None and self.month(index + 1):
            day, month = self.day(index), self.month(index + 1)
            year = self.year(index + 2)
            return Point(year, month, day), index + 2 + (year is not None)
        year = self.year(index)
        if year is not None:
            return Point(year, qualifier=qualifier), index + 1
        decade = self.decade(index)
        if decade is not None:
            return Point(decade, qualifier=qualifier, decade=True), index + 1
        return None

    def range_end(  # noqa: PLR0911 (one return per form of range end)
        self, first: Point, index: int
    ) -> tuple[Point, int] | None:
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
            return Point(year, first.month, day), end
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
            return (Point(year), after + 1) if year > first.year else None
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

    def expressions(self) -> Iterator[Found]:
        """Every date expression of the sentence, left to right."""
        index = 0
        while index < len(self.tokens):
            found = self.point(index)
            if found is None:
                index += 1
                continue
            first, after = found
            end: Point | None = None
            ranged = self.range_end(first, after)
            if ranged is not None:
                second, after_range = ranged
                first, second = complete_range(first, second)
                if _ordered(first, second):
                    end, after = second, after_range
            yield Found(index, after, first, end, self._relation(index, end))
            index = after

    def _relation(self, index: int, end: Point | None) -> str:
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


def complete_range(first: Point, second: Point) -> tuple[Point, Point]:
    """Share the year between the ends of a range ("March-April 1950").

    :param first: the start as written
    :param second: the end as written
    :return: both ends, each with the other's year where it had none
    """
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


def _ordered(first: Point, second: Point) -> bool:
    """Whether a range's end comes after its start (both years may still be missing)."""
    year = first.year or second.year or 2000
    a = replace(first, year=first.year or year)
    b = replace(second, year=second.year or year)
    if not (a.valid() and b.valid()):
        return False
    return interval(a.iso(), a.precision, None)[0] <= interval(b.iso(), b.precision, None)[1]
