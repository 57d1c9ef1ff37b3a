"""Extraction: every dated statement of an article as an event, with its year and place.

:func:`extract_chronology` reads every paragraph of an
:class:`~build_tools.article.model.Article` and turns each date it states
into an :class:`~build_tools.chronology.model.Event`.  Nothing here knows the
article's subject: the rules below are about how English prose writes dates.

In headings, a parenthesised date or range at the end of the title,
``(1945–1948)`` or ``(June–September 1950)``, is the period the section
covers.  These become *phases* (``Event.kind == "phase"``), not statements.

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

    ``post-1953`` and ``pre-1950`` are skipped: they state nothing about that
    year.  Decades (``the 1990s``) are too vague to place and are listed as
    doubtful.

Years taken from the context
    A date without a year takes it from, in this order:

    1. the rest of its range (``November 27 to December 13, 1950``);
    2. an ``of``/``in`` year right after it (``the March 1st Movement of 1919``);
    3. the nearest preceding date with a year in the same paragraph, unless that
       date spans several years, or the year may have turned (the anchor is in
       October to December and this date in January to March): then doubtful;
    4. the section heading's period (else the chapter heading's), when exactly
       one year of that period can hold the date;
    5. otherwise the date is doubtful: listed in
       :attr:`~build_tools.chronology.model.ChronologyResult.doubtful` with the
       reason, never guessed.

The war span
    The first parenthesised year range of the lead's first paragraph
    (``The Korean War (1950–1953) was...``); without one, the densest run of
    years (see :func:`find_war_span`).  Its start date is the first full date
    of the lead inside the span's first year.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from build_tools.article.model import Article, Chapter, Paragraph, Section
from build_tools.chronology.dates import (
    TIME_WORDS,
    Found,
    Point,
    Reader,
    complete_range,
    tokenize,
)
from build_tools.chronology.disagreements import find_disagreements, telling_key
from build_tools.chronology.model import (
    ChronologyResult,
    Doubt,
    Event,
    Override,
    WarSpan,
    interval,
)
from build_tools.chronology.overrides import apply_overrides
from build_tools.chronology.sentences import derive_label, key_terms, split_sentences

_HEADING_PERIOD: Final = re.compile(r"\(([^()]*)\)\s*$")  # "(1945–1948)" ending a title


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


def _heading_phase(title: str) -> tuple[Point, Point | None] | None:
    """The period a heading names in brackets at its end, if any."""
    match = _HEADING_PERIOD.search(title)
    if not match:
        return None
    tokens = tokenize(match.group(1))
    reader = Reader(tokens)
    found = list(reader.expressions())
    if len(found) != 1 or found[0].first != 0 or found[0].last != len(tokens):
        return None
    expr = found[0]
    if expr.start.year is None or expr.start.decade:
        return None
    return expr.start, expr.end


def _phase_interval(
    phase: tuple[Point, Point | None],
) -> tuple[dt.date, dt.date]:
    start, end = phase
    first = interval(start.iso(), start.precision, start.qualifier)[0]
    last_point = end or start
    last = interval(last_point.iso(), last_point.precision, last_point.qualifier)[1]
    return first, last


def _heading_year(point: Point, phase: tuple[Point, Point | None] | None) -> tuple[int | None, str]:
    """The one year of a heading's period that can hold a yearless date."""
    if phase is None:
        return None, "no year in the paragraph and none in the heading"
    first, last = _phase_interval(phase)
    fits = []
    for year in range(first.year, last.year + 1):
        candidate = replace(point, year=year)
        if not candidate.valid():
            continue
        low, high = interval(candidate.iso(), candidate.precision, candidate.qualifier)
        if low <= last and high >= first:
            fits.append(year)
    if len(fits) == 1:
        return fits[0], ""
    if not fits:
        return None, "the heading's period cannot hold this date"
    years = ", ".join(str(y) for y in fits)
    return None, f"the heading's period spans several years that could hold it ({years})"


def _event_from(
    found: Found, sentence: str, *, start: int, end: int, line: int, where: _Where
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


def _verdict(reader: Reader, found: Found) -> tuple[str, str]:
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
    if month_alone and end is None and start.qualifier is None and before not in TIME_WORDS:
        return "skip", "a month name not used as a time"
    if start.month is None and (end is None or end.month is None):
        time_word = before in TIME_WORDS or (end is None and start.qualifier is not None)
        if end is None and start.qualifier is None:
            attributive = _attributive(reader, found)
            if not attributive and (before not in TIME_WORDS or before == "of"):
                return "skip", "a number, not a time"
        if reader.figure_before(found.first - 1 if time_word else found.first):
            return "skip", "dates a figure"
    return "event", ""


def _attributive(reader: Reader, found: Found) -> bool:
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


def _following_year(reader: Reader, found: Found) -> tuple[int, int] | None:
    """A year right after a yearless date ("the March 1st Movement of 1919"), and its index."""
    for index in range(found.last, min(found.last + 4, len(reader.tokens))):
        token = reader.tokens[index]
        if token.kind == "punct" and token.text in ",;:()":
            return None
        year = reader.year(index)
        if year is not None:
            return (year, index) if reader.word(index - 1) in ("of", "in") else None
    return None


def _in_brackets_after(reader: Reader, found: Found, anchor: _Anchor) -> bool:
    """Whether the date is in brackets right after its anchor ("1954 Conference (April 26)")."""
    opening = found.first - 1
    if not reader.is_punct(opening, "("):
        return False
    return 0 <= opening - anchor.last_token <= 6


def _resolve_year(
    found: Found,
    reader: Reader,
    *,
    sentence_index: int,
    anchors: list[_Anchor],
    phase: tuple[Point, Point | None] | None,
    collector: _Collector,
) -> tuple[Found | None, str]:
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


def _with_year(found: Found, year: int, source: str) -> Found | None:
    start = replace(found.start, year=year)
    end = found.end
    if end is not None:
        start, end = complete_range(start, end)
        if end.year is None:
            end = replace(end, year=year)
    if not start.valid() or (end is not None and not end.valid()):
        return None
    return replace(found, start=start, end=end, year_from=source)


@functools.lru_cache(maxsize=8192)
def _read_sentence(sentence: str) -> tuple[Reader, tuple[Found, ...]]:
    """A sentence's tokens and date expressions, read once per process.

    A live preview extracts the chronology again after every save, and almost
    every sentence is the one it read before (a Reader holds nothing but its tokens).
    """
    reader = Reader(tokenize(sentence))
    return reader, tuple(reader.expressions())


def _paragraph_events(
    paragraph: Paragraph,
    where: _Where,
    phase: tuple[Point, Point | None] | None,
    collector: _Collector,
    paragraph_index: int,
) -> None:
    """Collect the events of one paragraph (years flow from one sentence to the next)."""
    anchors: list[_Anchor] = []
    collector.consumed_tokens.clear()
    text = paragraph.text
    for sentence_index, (offset, sentence) in enumerate(split_sentences(text)):
        line = paragraph.line + text[:offset].count("\n")
        reader, expressions = _read_sentence(sentence)
        tokens = reader.tokens
        for found in expressions:
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


def _phase_event(title: str, line: int, where: _Where, phase: tuple[Point, Point | None]) -> Event:
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
) -> tuple[list[Event], dict[int, tuple[Point, Point | None]]]:
    """The phases named by headings, and each heading's period by heading line."""
    phases: list[Event] = []
    periods: dict[int, tuple[Point, Point | None]] = {}
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
            found = list(Reader(tokenize(match.group(1))).expressions())
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


def extract_chronology(
    article: Article,
    *,
    overrides: Sequence[Override] = (),
    lead_docname: str = "introduction",
) -> ChronologyResult:
    """Find every dated statement of an article.

    :param article: the parsed article
    :param overrides: editorial overrides
        (:func:`~build_tools.chronology.overrides.load_overrides`), applied last
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
    paragraphs = {telling_key(collector.events[i]): collector.paragraph_of[i] for i in kept}
    terms = {telling_key(event): key_terms(event.label, event.sentence) for event in events}
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
