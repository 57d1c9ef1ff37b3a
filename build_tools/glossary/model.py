"""The glossary's data types: terms, the glossary, the parts of the book a term appears in.

Frozen dataclasses and the small pure queries the linking and the drawing
need; no file I/O and no checks of the data file (:mod:`.load` does those).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from build_tools.article.model import Article, Block

#: The categories a term may have, with the label the glossary page shows.
CATEGORIES = {
    "person": "Person",
    "place": "Place",
    "organisation": "Organisation or armed force",
    "operation": "Operation or battle",
    "agreement": "Agreement or resolution",
    "concept": "Concept",
}
_INTRODUCTION = "introduction"


@dataclass(frozen=True)
class Term:
    """One glossary entry, as the data file gives it.

    ``aliases`` are the spellings the data lists (the headword may be among
    them); :attr:`names` are all the spellings linked in the text.
    """

    term: str
    aliases: tuple[str, ...]
    category: str
    definition: str
    source: str
    native: str = ""
    line: int = 0
    #: drafted from the article and not yet read by a person (``draft: true``)
    draft: bool = False

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if not self.term:
            raise ValueError("a term needs a headword")

    @property
    def names(self) -> tuple[str, ...]:
        """The headword and every alias, each once, headword first."""
        return tuple(dict.fromkeys((self.term, *self.aliases)))


def sort_key(text: str) -> str:
    """The order of glossary entries: the one Sphinx's ``:sorted:`` glossary uses.

    :param text: a headword
    :return: its sort key
    """
    return unicodedata.normalize("NFD", text.lower())


@dataclass(frozen=True)
class Glossary:
    """All the terms of one data file, in alphabetical order."""

    terms: tuple[Term, ...]
    path: str = "glossary.yaml"

    def __post_init__(self) -> None:
        heads = [sort_key(term.term) for term in self.terms]
        if len(set(heads)) != len(heads):
            raise ValueError("two terms share a headword")


@dataclass(frozen=True)
class Place:
    """A chapter (or the introduction) of the book, as the glossary links to it."""

    label: str
    title: str
    slug: str


@dataclass(frozen=True)
class TermUsage:
    """Where a term appears: the parts it is linked in and their chapters, in order.

    ``parts`` are the labels of the introduction, chapter openings and sections.
    """

    term: str
    parts: tuple[str, ...]
    chapters: tuple[Place, ...]


def book_parts(article: Article) -> Iterator[tuple[str, Place, tuple[Block, ...]]]:
    """Every part with its own links: introduction, chapter openings, sections.

    :param article: the article
    :return: each part's label, its chapter (or the introduction) and its blocks
    """
    yield _INTRODUCTION, Place(_INTRODUCTION, "Introduction", _INTRODUCTION), article.lead
    for chapter in article.chapters:
        place = Place(chapter.label, chapter.title, chapter.slug)
        yield chapter.label, place, chapter.blocks
        for section in chapter.sections:
            yield section.label, place, section.blocks


def whole_word(name: str) -> re.Pattern[str]:
    """A pattern finding a name as a whole word (not inside a longer word).

    :param name: a term's name
    :return: the pattern
    """
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
