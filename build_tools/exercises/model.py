"""The review exercises' data types: an exercise, its options, events and pairs, its levels and kinds.

Also :func:`shuffled`, the fixed order in which a student sees an exercise's
options or items.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Final

#: The levels of thinking an exercise may test (Bloom's taxonomy, revised), lowest first.
LEVELS: Final = ("remember", "understand", "apply", "analyse", "evaluate")
#: Every kind, in the order a chapter's review lists them (recall first, argument last).
KINDS: Final = (
    "multiple-choice",
    "true-false",
    "matching",
    "ordering",
    "short-answer",
    "source-analysis",
)
KIND_NAMES: Final = {
    "multiple-choice": "Multiple choice",
    "true-false": "True or false",
    "matching": "Matching",
    "ordering": "Ordering",
    "short-answer": "Short answer",
    "source-analysis": "Source and perspective",
}
#: How many events an ordering exercise, or pairs a matching exercise, has.
MIN_ITEMS, MAX_ITEMS = 4, 6


@dataclass(frozen=True)
class Place:
    """A part of the book a reader can be sent to: a section, a chapter opening, the lead."""

    label: str
    title: str


@dataclass(frozen=True)
class Option:
    """One option of a multiple-choice exercise."""

    text: str
    correct: bool = False


@dataclass(frozen=True)
class OrderItem:
    """One event of an ordering exercise: its text (without the date) and its date."""

    text: str
    date: str
    date_text: str
    source: str
    place: Place | None = None


@dataclass(frozen=True)
class Pair:
    """One term of a matching exercise with its definition."""

    term: str
    definition: str
    source: str
    place: Place | None = None


@dataclass(frozen=True)
class Exercise:
    """One review exercise, hand-written or generated.

    ``number`` is its number in the chapter's review (Exercise 3.4 has
    ``chapter == 3`` and ``number == 4``), given by
    :func:`~build_tools.exercises.generate.number_exercises`.
    ``items`` (ordering) and ``pairs`` (matching) are in answer order;
    ``shown`` is the order a student sees them in (indices into them).
    ``place`` is where the source quote stands in the article; ``draft`` is
    true for an exercise the pipeline drafted that no teacher has read yet.
    """

    id: str
    kind: str
    chapter: int
    chapter_title: str
    section: str
    section_label: str
    level: str
    prompt: str
    source: str
    place: Place
    options: tuple[Option, ...] = ()
    explanation: str = ""
    answer: bool | None = None
    correction: str = ""
    model_answer: str = ""
    marking_points: tuple[str, ...] = ()
    guidance: str = ""
    lines: int = 0
    items: tuple[OrderItem, ...] = ()
    pairs: tuple[Pair, ...] = ()
    shown: tuple[int, ...] = ()
    generated: bool = False
    draft: bool = False
    number: int = 0
    path: str = ""
    line: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        if self.kind == "multiple-choice":
            texts = {option.text.casefold() for option in self.options}
            if len(self.options) != 4 or len(texts) != 4:
                raise ValueError("a multiple-choice exercise needs 4 distinct options")
            if sum(option.correct for option in self.options) != 1:
                raise ValueError("a multiple-choice exercise needs exactly one correct option")
        if self.kind == "true-false" and (
            self.answer is None or (not self.answer) != bool(self.correction)
        ):
            raise ValueError("a true-false exercise needs an answer, and a correction when false")
        if self.kind == "ordering":
            dates = [item.date for item in self.items]
            if not MIN_ITEMS <= len(self.items) <= MAX_ITEMS or not all(dates):
                raise ValueError("an ordering exercise needs 4-6 dated events")
            if dates != sorted(dates) or len(set(dates)) != len(dates):
                raise ValueError("the events of an ordering exercise need distinct dates, in order")
        if self.kind == "matching" and not MIN_ITEMS <= len(self.pairs) <= MAX_ITEMS:
            raise ValueError("a matching exercise needs 4-6 pairs")
        count = len(self.items) or len(self.pairs)
        if count and sorted(self.shown) != list(range(count)):
            raise ValueError("shown must be a permutation of the items")

    @property
    def label(self) -> str:
        """The exercise's label (sphinx-exercise's ``:label:``)."""
        return f"exercise-{self.id}"

    @property
    def title(self) -> str:
        """``Exercise 3.4``."""
        return f"Exercise {self.chapter}.{self.number}"

    @property
    def correct_index(self) -> int:
        """The 0-based index of the correct option (multiple choice)."""
        return next(i for i, option in enumerate(self.options) if option.correct)


def shuffled(ident: str, count: int) -> tuple[int, ...]:
    """A fixed, never sorted order of ``count`` items, seeded by the exercise's id.

    :param ident: the exercise's id
    :param count: how many items it has
    :return: the indices of the items, in the order a student sees them
    """
    order = list(range(count))
    random.Random(hashlib.sha256(ident.encode()).digest()).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)
