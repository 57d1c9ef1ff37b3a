"""Disagreements: tellings of one event whose dates cannot all be true, and the editor's report.

Two tellings disagree when their dates cannot both be true (their spans do
not overlap; ``by 1947`` means any time up to the end of 1947) and either an
editor gave them the same label, or their clauses share at least two
distinctive key words (rare in the article: see :func:`find_disagreements`).
Tellings in the same paragraph are never compared: a paragraph tells a story
in order, and two dates in it are two events.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence

from build_tools.chronology.model import (
    ChronologyResult,
    Disagreement,
    Event,
    format_event_date,
)
from build_tools.chronology.sentences import key_terms

#: What identifies a telling across overrides (see :func:`telling_key`).
TellingKey = tuple[int, str, str | None, str]


def _conflict(first: Event, second: Event) -> bool:
    """Whether two dates cannot both be true ("by" stretches back indefinitely)."""

    def bounds(event: Event) -> tuple[dt.date, dt.date]:
        low, high = event.span
        return (dt.date.min if event.relation == "by" else low), high

    a_low, a_high = bounds(first)
    b_low, b_high = bounds(second)
    return a_high < b_low or b_high < a_low


def telling_key(event: Event) -> TellingKey:
    """What identifies a telling across overrides: line, dates and the words of the date.

    :param event: a telling
    :return: its line, date, end date and the text of its date
    """
    return event.line, event.date, event.end_date, event.text


def find_disagreements(
    result: ChronologyResult,
    *,
    terms: dict[TellingKey, set[str]] | None = None,
    paragraphs: dict[TellingKey, int] | None = None,
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
    :param terms: each telling's key words by :func:`telling_key`; computed from
        the current labels when missing
    :param paragraphs: each telling's paragraph index by :func:`telling_key`
    :return: the disagreements, in source order of their first telling
    """
    found, group_of = _edited_disagreements(result)
    tellings = list(result.tellings())
    words = dict(terms or {})
    for telling in tellings:
        words.setdefault(telling_key(telling), key_terms(telling.label, telling.sentence))
    paragraph_of = paragraphs or {}
    frequency = Counter(term for telling in tellings for term in words[telling_key(telling)])
    rare_limit = math.sqrt(max(len(tellings), 1))
    linked: dict[int, set[int]] = {}
    shared_of: dict[int, set[str]] = {}
    for index, other in _candidate_pairs(tellings, words, frequency, rare_limit):
        first, second = tellings[index], tellings[other]
        a, b = telling_key(first), telling_key(second)
        if a[0] == b[0] or group_of.get(a) == group_of.get(b):
            continue
        if paragraph_of.get(a) is not None and paragraph_of.get(a) == paragraph_of.get(b):
            continue
        if not _conflict(first, second):
            continue
        rare = _near_repeat(words[a], words[b], frequency, rare_limit)
        if rare is not None:
            linked.setdefault(index, set()).add(other)
            linked.setdefault(other, set()).add(index)
            shared_of.setdefault(index, set()).update(rare)
    found += _linked_disagreements(tellings, linked, shared_of)
    return sorted(found, key=lambda d: min(e.line for e in d.tellings))


def _edited_disagreements(
    result: ChronologyResult,
) -> tuple[list[Disagreement], dict[TellingKey, str]]:
    """The events an editor made of several tellings (by merging or one label) that conflict.

    :param result: the chronology
    :return: those disagreements, and the group each telling belongs to
    """
    groups: dict[str, list[Event]] = {}
    group_of: dict[TellingKey, str] = {}
    subject: dict[str, str] = {}
    for number, event in enumerate(result.events):
        name = f"label:{event.label}" if event.edited else f"event:{number}"
        subject[name] = event.label
        for telling in (event, *event.told_also):
            groups.setdefault(name, []).append(telling)
            group_of[telling_key(telling)] = name
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
    return found, group_of


def _candidate_pairs(
    tellings: Sequence[Event],
    words: dict[TellingKey, set[str]],
    frequency: Counter[str],
    rare_limit: float,
) -> list[tuple[int, int]]:
    """The pairs of tellings (by index) that share a rare key word, in order.

    Both rules of :func:`find_disagreements` need a shared rare word: only pairs
    that share one are compared (each rare word is in at most sqrt(n) tellings,
    so the work grows as n*sqrt(n) at most, not as n*n).
    """
    holders: dict[str, list[int]] = {}
    for index, telling in enumerate(tellings):
        for term in sorted(words[telling_key(telling)]):
            if frequency[term] <= rare_limit:
                holders.setdefault(term, []).append(index)
    return sorted(
        {(a, b) for held in holders.values() for n, a in enumerate(held) for b in held[n + 1 :]}
    )


def _near_repeat(
    first: set[str], second: set[str], frequency: Counter[str], rare_limit: float
) -> set[str] | None:
    """The rare key words two labels share, if they nearly repeat each other (else None)."""
    shared = first & second
    rare = {term for term in shared if frequency[term] <= rare_limit}
    identifiers = {term for term in rare if term.startswith("#")}
    names = {term for term in rare - identifiers if term[:1].isupper()}
    others = rare - identifiers - names
    overlap = len(shared) / max(len(first | second), 1)
    if (identifiers and len(shared) >= 2) or (
        overlap >= 0.4 and len(rare) >= 3 and len(names) >= 2 and others
    ):
        return rare
    return None


def _linked_disagreements(
    tellings: Sequence[Event], linked: dict[int, set[int]], shared_of: dict[int, set[str]]
) -> list[Disagreement]:
    """One disagreement per group of tellings linked by their key words.

    :param tellings: every telling
    :param linked: the tellings each telling (by index) nearly repeats
    :param shared_of: the rare key words each telling shares with the others
    :return: the disagreements, one per connected group
    """
    found: list[Disagreement] = []
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
    return found


def _any_conflict(tellings: Sequence[Event]) -> bool:
    return any(
        _conflict(first, second)
        for index, first in enumerate(tellings)
        for second in tellings[index + 1 :]
    )


# -- the editor's report -----------------------------------------------------------------------


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
