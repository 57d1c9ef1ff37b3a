"""What every drafter shares: a drafted exercise, and the material of one chapter.

Each drafter (:mod:`.draft_truefalse`, :mod:`.draft_choice`, :mod:`.draft_short`,
:mod:`.draft_sources`) turns a :class:`Material` into candidate
:class:`Drafted` exercises; :mod:`.draft` picks among them and writes the file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from build_tools.article.model import Article, Chapter
from build_tools.exercises.draft_facts import Fact, FactPool, Finder, Person, split_count
from build_tools.exercises.draft_text import Sentence


@dataclass(frozen=True)
class Drafted:
    """One drafted exercise before it has an id: its kind, where it comes from, its fields.

    ``fields`` are the kind's own fields (see
    :data:`~build_tools.exercises.schema.SCHEMA`) in the order the file writes
    them; ``sentence`` is the index of the chapter sentence it is built on
    (two exercises on one sentence are avoided); ``rank`` orders candidates of
    one kind (lower first); ``name`` is a short slug for its id.
    """

    kind: str
    section: str
    level: str
    source: str
    fields: tuple[tuple[str, object], ...]
    sentence: int
    name: str
    rank: float = 0.0


@dataclass
class Material:
    """One chapter's sentences and the article-wide facts to draw on."""

    article: Article
    chapter: Chapter
    sentences: list[Sentence]
    pool: FactPool
    finder: Finder
    lowercase: frozenset[str]
    people: Sequence[Person] = ()
    facts: dict[int, list[Fact]] = field(default_factory=dict)

    def facts_of(self, sentence: Sentence) -> list[Fact]:
        """The facts of one of the chapter's sentences (computed once)."""
        if sentence.index not in self.facts:
            self.facts[sentence.index] = self.finder.facts(sentence.text)
        return self.facts[sentence.index]


#: Words that may follow a name used as a noun ("Pusan and", "Seoul was"), not as a modifier.
_AFTER_NOUN: Final = frozenset(
    [
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "was",
        "were",
        "is",
        "are",
        "had",
        "has",
        "of",
        "for",
        "with",
        "by",
        "from",
        "as",
        "but",
        "which",
        "who",
        "that",
        "after",
        "before",
        "during",
        "until",
        "near",
    ]
)


def stands_alone(sentence: str, fact: Fact) -> bool:
    """Whether a name is used as a noun, so another name can take its place.

    Not when it modifies what follows ("the Inchon landing", "Koje Island camps").

    :param sentence: the sentence
    :param fact: a name in it
    :return: whether the next word lets it stand alone
    """
    after = sentence[fact.end :]
    if not after or not after[0].isspace():
        return True  # punctuation, a possessive, the end
    following = after.split()[0].strip(",.;:")
    return following in _AFTER_NOUN or following.endswith("ed")


def in_range(sentence: str, fact: Fact) -> bool:
    """Whether a date is one end of a range ("from June 1948 to ...", "1853–1856").

    :param sentence: the sentence
    :param fact: a date of it
    :return: whether changing it alone could make the range run backwards
    """
    before = sentence[: fact.start].rstrip().lower()
    after = sentence[fact.end :].lstrip().lower()
    return before.endswith(
        ("from", "between", "to", "until", "and", "–", "-", "till")
    ) or after.startswith(("to ", "until ", "and ", "–", "-", "till "))


def scaled_numbers(fact: Fact) -> list[str]:
    """Other figures for a number the article gives only once: 2, 3, 5 and 10 times, or half.

    Written like the original ("12,941" -> "25,882"; "2.3 million" -> "4.6 million").

    :param fact: a number
    :return: the figures with the fact's unit word, each different from it
    """
    number, unit = split_count(fact.text)
    parts = number.split()
    scale = " " + parts[1] if len(parts) > 1 else ""
    base = float(parts[0].replace(",", ""))
    decimals = len(parts[0].split(".")[1]) if "." in parts[0] else 0
    found = []
    for factor in (2.0, 0.5, 3.0, 10.0, 5.0):
        value = base * factor
        if value < 2 or (not decimals and value != math.floor(value)):
            continue
        if decimals:
            text = f"{value:.{decimals}f}"
        elif "," in parts[0] or (value >= 1000 and base < 1000) or value >= 10000:
            text = f"{int(value):,}"
        else:
            text = str(int(value))
        if text != parts[0]:
            found.append(f"{text}{scale} {unit}")
    return list(dict.fromkeys(found))


def person_others(material: Material, fact: Fact, *, strict: bool = False) -> list[Fact]:
    """Other people for a person's place: those with the same title first, then the rest.

    ``strict`` (a changed statement): only people with the same title, or
    both without one, so that "Admiral ..." stays an admiral.

    :param material: the chapter's material
    :param fact: a person mention
    :return: the other people (as facts of the pool)
    """
    others = material.pool.others(fact)
    mine = material.pool.people.get(fact.value)
    title = mine.title if mine else ""

    def key(other: Fact) -> tuple[int, int]:
        person = material.pool.people.get(other.value)
        same = bool(person and title and person.title == title)
        return (0 if same else 1, others.index(other))

    ranked = sorted(others, key=key)
    if strict:
        return [
            o
            for o in ranked
            if (person := material.pool.people.get(o.value)) is not None and person.title == title
        ]
    return ranked
