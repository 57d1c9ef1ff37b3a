"""The exercises the pipeline makes itself, and the numbering of every exercise.

Per chapter, :func:`generate_ordering` makes an ordering exercise from the
chronology and :func:`generate_matching` a matching exercise from the glossary
(skipped, without error, when the chapter has too few dated events or glossary
terms); :func:`number_exercises` numbers each chapter's exercises.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from build_tools.article.model import Article, Chapter
from build_tools.exercises.model import (
    KINDS,
    MAX_ITEMS,
    MIN_ITEMS,
    Exercise,
    OrderItem,
    Pair,
    Place,
    shuffled,
)
from build_tools.exercises.quotes import find_quote, quotable_texts

if TYPE_CHECKING:
    from build_tools.chronology.model import ChronologyResult, Event
    from build_tools.glossary.model import Term
    from build_tools.glossary.part import GlossaryPart

# -- ordering ---------------------------------------------------------------------------------

_DATE_WORDS: Final = re.compile(
    r"\b(?:\d{3,4}s?|January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|spring|summer"
    r"|autumn|winter|year|month|week|day)\b",
    re.IGNORECASE,
)


_MONTH: Final = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_DATE_EXPRESSION: Final = re.compile(
    rf"(?:\b(?:early|mid|late)[- ])?(?:(?:\b\d{{1,2}}(?:st|nd|rd|th)? )?\b{_MONTH}"
    rf"(?: \d{{1,2}}(?:st|nd|rd|th)?\b)?(?:[–-]\d{{1,2}}\b)?(?:,? \d{{4}})?|\b\d{{4}}s?(?:[–-]\d{{2,4}})?\b)"
)


def _mask_dates(sentence: str) -> str:
    """A sentence with every date in it replaced by "…", so it does not give its order away."""
    return _DATE_EXPRESSION.sub("…", sentence)


def _spread(count: int) -> list[int]:
    """Indices 0..count-1, ends first, then midpoints: early picks spread over the range."""
    if count == 0:
        return []
    order = [0, count - 1]
    intervals = [(0, count - 1)]
    while intervals:
        halves = []
        for low, high in intervals:
            if high - low > 1:
                middle = (low + high) // 2
                order.append(middle)
                halves += [(low, middle), (middle, high)]
        intervals = halves
    return list(dict.fromkeys(order))


#: First words of extracted labels that are fragments, not statements ("Near No Gun Ri ...").
_FRAGMENT_STARTS: Final = frozenset(
    [
        "and",
        "as",
        "at",
        "broader",
        "by",
        "during",
        "following",
        "for",
        "from",
        "in",
        "into",
        "near",
        "of",
        "on",
        "or",
        "over",
        "since",
        "that",
        "these",
        "this",
        "those",
        "through",
        "to",
        "under",
        "until",
        "when",
        "where",
        "which",
        "while",
        "with",
        "without",
        "like",
        "such",
        "seen",
        "including",
    ]
)


def _usable_event(event: Event) -> bool:
    """Whether an event's label can stand alone as an item: no date in it, a whole statement.

    Labels an editor set always can; extracted labels must not start like a fragment
    (a preposition, a participle, an adverb) and must have 4-14 words.
    """
    if (
        event.kind != "statement"
        or _DATE_WORDS.search(event.label)
        or not event.label[:1].isupper()
    ):
        return False
    if event.edited:
        return True
    words = event.label.split()
    first = words[0].lower()
    return (
        4 <= len(words) <= 14
        and first not in _FRAGMENT_STARTS
        and not first.endswith(("ing", "ed", "ly"))
        and not words[-1].endswith("ing")
    )


def generate_ordering(
    article: Article, chronology: ChronologyResult, chapter: Chapter
) -> Exercise | None:
    """An ordering exercise of 4-6 events of a chapter, taken from the chronology.

    Events whose dates may overlap are never put together, so the order is
    certain. Events an editor labelled come first, then day-precise ones; within
    each group picks spread over the chapter's time span. The same chronology
    always gives the same exercise.

    :param article: the article
    :param chronology: the chronology (:func:`build_tools.chronology.extract.extract_chronology`)
    :param chapter: the chapter
    :return: the exercise, or None when the chapter has fewer than 4 usable events
    """
    from build_tools.chronology.model import format_event_date

    mine = [e for e in chronology.events if e.chapter == chapter.number and e.kind == "statement"]
    candidates = [e for e in mine if _usable_event(e)]
    tiers = [
        [e for e in candidates if e.edited],
        [e for e in candidates if not e.edited and e.precision == "day"],
        [e for e in candidates if not e.edited and e.precision != "day"],
        # last resort: the event's sentence, its dates hidden
        [e for e in mine if e not in candidates and _mask_dates(e.sentence) != e.sentence],
    ]
    chosen = _pick_events(article, chapter, tiers)
    if len(chosen) < MIN_ITEMS:
        return None
    chosen.sort(key=lambda pair: pair[0].sort_key)
    items = tuple(
        OrderItem(
            text=event.label if event in candidates else _mask_dates(event.sentence),
            date=event.span[0].isoformat(),
            date_text=format_event_date(event),
            source=event.sentence,
            place=place,
        )
        for event, place in chosen
    )
    ident = f"{chapter.slug}-ordering"
    counts = Counter(item.place for item in items if item.place is not None)
    main = max(counts, key=lambda place: (counts[place], -_position(chapter, place)))
    return Exercise(
        id=ident,
        kind="ordering",
        chapter=chapter.number,
        chapter_title=chapter.title,
        section=main.title if main.label != chapter.label else "",
        section_label=main.label,
        level="understand",
        prompt="Put these events in the order in which they happened, starting with the earliest.",
        source=items[0].source,
        place=items[0].place or main,
        items=items,
        shown=shuffled(ident, len(items)),
        generated=True,
    )


def _pick_events(
    article: Article, chapter: Chapter, tiers: list[list[Event]]
) -> list[tuple[Event, Place]]:
    """Up to 6 events whose dates cannot overlap, tier by tier, with where each stands.

    The last tier (sentences whose dates are hidden) adds only up to 4 events,
    the shortest sentences first.
    """
    chosen: list[tuple[Event, Place]] = []
    for number, tier in enumerate(tiers):
        if number < len(tiers) - 1:
            ordered = [sorted(tier, key=lambda e: e.sort_key)[i] for i in _spread(len(tier))]
            wanted = MAX_ITEMS
        else:  # long sentences: the shortest ones, and only as many as needed
            ordered = sorted(tier, key=lambda e: (len(e.sentence.split()), e.sort_key))
            wanted = MIN_ITEMS
        for event in ordered:
            if len(chosen) >= wanted:
                break
            first, last = event.span
            if any(
                not (last < other.span[0] or other.span[1] < first)
                or event.label.casefold() == other.label.casefold()
                or event.sentence == other.sentence
                for other, _ in chosen
            ):
                continue
            place = find_quote(article, event.sentence, chapter.number)
            if place is not None:
                chosen.append((event, place))
    return chosen


def _position(chapter: Chapter, place: Place) -> int:
    labels = [chapter.label, *(section.label for section in chapter.sections)]
    return labels.index(place.label) if place.label in labels else len(labels)


# -- matching ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _names_pattern(term: Term) -> re.Pattern[str]:
    names = sorted(term.names, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")


@functools.lru_cache(maxsize=8192)
def _mentions(pattern: re.Pattern[str], text: str) -> bool:
    """Whether a text names a term (asked again for the same texts by a live preview)."""
    return pattern.search(text) is not None


def generate_matching(
    article: Article, glossary: GlossaryPart, chapter: Chapter
) -> Exercise | None:
    """A matching exercise of 4-6 glossary terms that occur in a chapter.

    Terms the chapter introduces (it is the first chapter that uses them) come
    first, then the others, each in the order they first occur in the chapter.
    A definition that names its own term shows "…" instead of the name.

    :param article: the article
    :param glossary: the glossary part of the book
    :param chapter: the chapter
    :return: the exercise, or None when fewer than 4 terms occur in the chapter
    """
    parts = [(Place(chapter.label, chapter.title), chapter.blocks)] + [
        (Place(section.label, section.title), section.blocks) for section in chapter.sections
    ]
    first_chapter = {
        usage.term: usage.chapters[0].label for usage in glossary.usage if usage.chapters
    }
    # one text a part: no name spans two texts (a newline is no word character)
    texts = ["\n".join(quotable_texts(blocks)) for _, blocks in parts]
    found: list[tuple[bool, int, Term, Place]] = []
    for term in glossary.glossary.terms:
        pattern = _names_pattern(term)
        for position, (place, _) in enumerate(parts):
            if _mentions(pattern, texts[position]):
                introduced = first_chapter.get(term.term) == chapter.label
                found.append((not introduced, position, term, place))
                break
    found.sort(key=lambda entry: (entry[0], entry[1], entry[2].term))
    pairs: list[Pair] = []
    chosen: list[Term] = []
    for _, _, term, place in found:
        if len(pairs) == MAX_ITEMS:
            break
        if any(_alike(term, other) for other in chosen):
            continue  # the same definition: a student could not tell the two apart
        chosen.append(term)
        definition = _names_pattern(term).sub("…", " ".join(term.definition.split()))
        source_place = find_quote(article, term.source, chapter.number)
        pairs.append(Pair(term.term, definition, term.source, source_place or place))
    if len(pairs) < MIN_ITEMS:
        return None
    ident = f"{chapter.slug}-matching"
    first = pairs[0]
    term_place = next(place for _, _, term, place in found if term.term == first.term)
    return Exercise(
        id=ident,
        kind="matching",
        chapter=chapter.number,
        chapter_title=chapter.title,
        section=term_place.title if term_place.label != chapter.label else "",
        section_label=term_place.label,
        level="remember",
        prompt="Match each term with its definition.",
        source=first.source,
        place=first.place or term_place,
        pairs=tuple(pairs),
        shown=shuffled(ident, len(pairs)),
        generated=True,
    )


def _alike(one: Term, other: Term) -> bool:
    """Whether two terms' definitions read the same once both terms' names are masked.

    Drafted definitions quote the article: two terms of one sentence ("Russia and
    France declared war") get the same definition but for the name each masks.
    """

    def masked(term: Term) -> str:
        text = " ".join(term.definition.split())
        for named in (one, other):
            text = _names_pattern(named).sub("…", text)
        return text.casefold()

    return masked(one) == masked(other)


# -- numbering --------------------------------------------------------------------------------


def number_exercises(exercises: Sequence[Exercise], article: Article) -> tuple[Exercise, ...]:
    """Number each chapter's exercises: by kind (:data:`KINDS`), then in file order.

    :param exercises: every exercise of the book
    :param article: the article
    :return: the exercises in book order, each with its number in its chapter
    """
    from dataclasses import replace

    ordered = sorted(
        enumerate(exercises), key=lambda pair: (pair[1].chapter, KINDS.index(pair[1].kind), pair[0])
    )
    numbered: list[Exercise] = []
    counters: Counter[int] = Counter()
    for _, exercise in ordered:
        counters[exercise.chapter] += 1
        numbered.append(replace(exercise, number=counters[exercise.chapter]))
    return tuple(numbered)
