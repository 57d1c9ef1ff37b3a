"""True-or-false drafts: a whole sentence of the article, as it is or with one fact changed.

A false statement changes one date, number or name for another of the same
kind that the article states elsewhere (another year, another number of the
same unit, another person, another place of the glossary); its correction is
the source sentence itself.  A number the article gives only once is doubled
or halved instead.  A date that ends a range is never changed alone.
"""

from __future__ import annotations

import hashlib
import re

from build_tools.exercises.draft_common import (
    Drafted,
    Material,
    in_range,
    person_others,
    scaled_numbers,
    stands_alone,
)
from build_tools.exercises.draft_facts import Fact, replacement_text
from build_tools.exercises.draft_text import Sentence, drop_connective

#: Sentence lengths a statement reads well at (words).
MIN_WORDS, MAX_WORDS = 8, 40
#: Which kind of fact to change first: names read as the most telling change.
_PREFERENCE = (
    "person", "place", "organisation", "operation", "agreement", "day", "month", "year",
    "number", "nationality",
)  # fmt: skip


def _replacement(material: Material, sentence: Sentence, fact: Fact) -> str:
    """Another fact of the same kind to put in the fact's place (empty: none)."""
    here = {f.value for f in material.facts_of(sentence)}
    if fact.kind == "person":
        words = {w.strip(",.;:").lower() for w in sentence.text.split()}
        if words & {"he", "she", "his", "her", "him", "himself", "herself"}:
            return ""  # another person might not fit "his son"
        titled = sentence.text[: fact.start].rstrip().split(" ")[-1:]
        if (
            titled
            and titled[0][:1].isupper()
            and fact.text == material.pool.people[fact.value].surname
        ):
            return ""  # "Admiral Nakhimov": only the surname is a known form
        others = [o for o in person_others(material, fact, strict=True) if o.value not in here]
    else:
        others = material.pool.others(fact, avoid=here)
        if (
            fact.kind in _NAMES
        ):  # names of the chapter first, varied by sentence, none inside another
            others = _near_names(material, sentence, fact, others)
    if fact.kind == "day":
        others = [o for o in others if o.value[:7] != fact.value[:7]] or others  # another month
    for other in others:
        text = replacement_text(fact, other, material.pool)
        if text not in sentence.text:
            return text
    if fact.kind == "number":
        for text in scaled_numbers(fact):
            if text not in sentence.text:
                return text
    return ""


_NAMES = ("place", "organisation", "operation", "agreement")


def _near_names(
    material: Material, sentence: Sentence, fact: Fact, others: list[Fact]
) -> list[Fact]:
    """Other names for a name: those the chapter uses first, in an order fixed by the sentence.

    A name inside the other ("Berlin", "West Berlin") is left out: the change would not be one.
    """
    chapter = {
        f.value for s in material.sentences for f in material.facts_of(s) if f.kind == fact.kind
    }
    apart = [o for o in others if o.text not in fact.text and fact.text not in o.text]

    def key(other: Fact) -> tuple[bool, str]:
        digest = hashlib.sha256(f"{sentence.text}|{other.value}".encode()).hexdigest()
        return other.value not in chapter, digest

    return sorted(apart, key=key)


def _article_for(before: str, word: str) -> str:
    """The text before a replaced word, its "a"/"an" fitted to the new word ("an Ottoman" -> "a British")."""
    match = re.search(r"\b([Aa])n? $", before)
    if match is None:
        return before
    article = match.group(1) + ("n" if word[:1].lower() in "aeiou" else "")
    return before[: match.start()] + article + " "


def usable(sentence: Sentence) -> bool:
    """Whether a sentence can be a statement: standalone, a whole sentence, not too long."""
    return (
        sentence.standalone
        and MIN_WORDS <= sentence.words <= MAX_WORDS
        and sentence.text.endswith(".")
        and "?" not in sentence.text
    )


def draft_true_false(material: Material) -> list[Drafted]:
    """Every true-or-false candidate of a chapter: one false and one true per usable sentence.

    The false candidate changes the first fact of the preferred kind that has a
    replacement; the true one is the sentence as it is (only for sentences that
    state a date, a number or a name, so there is something to check).

    :param material: the chapter's material
    :return: the candidates, false ones ranked before true ones
    """
    found: list[Drafted] = []
    for sentence in material.sentences:
        if not usable(sentence):
            continue
        facts = [
            f
            for f in material.facts_of(sentence)
            if not in_range(sentence.text, f)
            and (f.kind not in _NAMES or stands_alone(sentence.text, f))
        ]
        if not facts:
            continue
        statement = drop_connective(sentence.text)
        facts.sort(key=lambda f: (_PREFERENCE.index(f.kind), f.start))
        for fact in facts:
            text = _replacement(material, sentence, fact)
            if not text:
                continue
            before = _article_for(sentence.text[: fact.start], text)
            changed = drop_connective(before + text + sentence.text[fact.end :])
            found.append(
                Drafted(
                    kind="true-false",
                    section=sentence.section.title,
                    level="remember",
                    source=sentence.text,
                    fields=(("statement", changed), ("answer", False), ("correction", statement)),
                    sentence=sentence.index,
                    name=f"{fact.kind}",
                    rank=_PREFERENCE.index(fact.kind) / 10,
                )
            )
            break
        found.append(
            Drafted(
                kind="true-false",
                section=sentence.section.title,
                level="remember",
                source=sentence.text,
                fields=(("statement", statement), ("answer", True)),
                sentence=sentence.index,
                name="true",
                rank=1.0,
            )
        )
    return found
