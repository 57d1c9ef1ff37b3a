"""Draft the review exercises of an article that has none: one exercise file per chapter.

:func:`draft_exercises` reads the article (with its chronology and, when there
is one, its glossary) and writes, for each chapter, the text of
``exercises/<name>/NN-<chapter-slug>.yaml`` in the format a person writes
(:data:`~build_tools.exercises.schema.SCHEMA`), every exercise marked
``draft: true`` for a teacher to read.  Each chapter gets multiple-choice,
true-or-false and short-answer exercises, and source-analysis exercises where
the article gives two dates or figures for one thing; the build adds the
ordering exercise (from the chronology) and the matching one (from the
glossary) itself, as it does for hand-written files.

Every exercise is built on one sentence of the article, quoted verbatim as its
source, and asks only what that sentence (or its paragraph) states.  Pure and
deterministic: the same article gives the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from build_tools.exercises.check import parse_exercises
from build_tools.exercises.draft_choice import draft_multiple_choice
from build_tools.exercises.draft_common import Drafted, Material
from build_tools.exercises.draft_facts import Finder, article_pool, find_people
from build_tools.exercises.draft_short import draft_short_answers
from build_tools.exercises.draft_sources import draft_source_analysis
from build_tools.exercises.draft_text import adjective_words, chapter_sentences, lowercase_words
from build_tools.exercises.draft_truefalse import draft_true_false
from build_tools.exercises.model import KINDS
from build_tools.exercises.quotes import find_quote
from build_tools.exercises.schema import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from build_tools.article.model import Article, Chapter
    from build_tools.chronology.model import ChronologyResult
    from build_tools.glossary.model import Glossary

#: How many of each kind a chapter gets at first; short kinds are topped up to :data:`MOST`.
WANTED: Final = {"multiple-choice": 3, "true-false": 3, "short-answer": 2, "source-analysis": 2}
MOST: Final = {"multiple-choice": 4, "true-false": 4, "short-answer": 3, "source-analysis": 2}
#: The fewest drafted exercises a chapter should have (the build adds ordering and matching).
ENOUGH: Final = 8
HEADER: Final = (
    "# Drafted from the article by `python -m build_tools draft`. Every exercise is marked\n"
    "# `draft: true` until a teacher has read it: check it, edit it, then delete that line.\n"
    "# The format is described in exercises/README.md.\n"
)


def draft_exercises(
    article: Article, chronology: ChronologyResult, glossary: Glossary | None = None
) -> dict[str, str]:
    """Draft each chapter's review exercises.

    :param article: the article
    :param chronology: its chronology (for the disagreements between dates)
    :param glossary: its glossary (names of places and organisations to swap), or None
    :return: each file's name (``NN-<chapter-slug>.yaml``) and its YAML text, for
        the chapters that get at least one exercise
    """
    people = find_people(article, glossary)
    lowercase = lowercase_words(article)
    finder = Finder(people, glossary, lowercase, adjective_words(article))
    pool = article_pool(article, people, finder)
    files: dict[str, str] = {}
    for chapter in article.chapters:
        if not chapter.sections:
            continue
        material = Material(
            article, chapter, chapter_sentences(chapter), pool, finder, lowercase, people
        )
        chosen = _checked(material, _candidates(material, chronology))
        if chosen:
            files[f"{chapter.docname}.yaml"] = render_draft_file(chapter, chosen)
    return files


def _checked(material: Material, candidates: dict[str, list[Drafted]]) -> list[Drafted]:
    """The chosen exercises, each read back with the checks of a hand-written file.

    A draft the checks refuse (a bug of a drafter, never the article's fault) is
    left out and another is chosen, so that drafting never stops a build.
    """
    while True:
        chosen = choose(material, candidates)
        refused = [d for d in chosen if not _passes(material.chapter, material.article, d)]
        if not refused:
            return chosen
        for drafted in refused:
            candidates[drafted.kind].remove(drafted)


def _passes(chapter: Chapter, article: Article, drafted: Drafted) -> bool:
    try:
        parse_exercises(render_draft_file(chapter, [drafted]), path="draft", article=article)
    except BuildError:
        return False
    return True


def _candidates(material: Material, chronology: ChronologyResult) -> dict[str, list[Drafted]]:
    """Each kind's candidates that pass the checks a file is read with."""
    made = {
        "multiple-choice": draft_multiple_choice(material),
        "true-false": draft_true_false(material),
        "short-answer": draft_short_answers(material),
        "source-analysis": draft_source_analysis(material, chronology),
    }
    number = material.chapter.number
    return {
        kind: [
            d
            for d in drafted
            if MIN_QUOTE_WORDS <= len(d.source.split()) <= MAX_QUOTE_WORDS
            and find_quote(material.article, d.source, number) is not None
        ]
        for kind, drafted in made.items()
    }


def choose(material: Material, candidates: dict[str, list[Drafted]]) -> list[Drafted]:
    """The chapter's exercises: :data:`WANTED` of each kind, spread over the sections.

    Each pick takes a well-shaped candidate (rank under 0.5) before the
    others, then one on a sentence no other exercise uses, of the least-tested
    section, of a question shape the kind does not have yet, the best ranked,
    the earliest.  No sentence serves two exercises of one kind, or more than
    two in all.  True or false gets one true statement for every two
    false ones.  Kinds short of candidates are made up by the others, up to
    :data:`MOST` each, until the chapter has :data:`ENOUGH`.

    :param material: the chapter's material
    :param candidates: each kind's candidates
    :return: the chosen exercises
    """
    tested: Counter[str] = Counter()
    uses: Counter[int] = Counter()
    chosen: list[Drafted] = []

    def pick(kind: str, *, true: bool | None = None) -> bool:
        taken = {d.sentence for d in chosen if d.kind == kind}
        pool = [
            d
            for d in candidates[kind]
            if d not in chosen
            and d.sentence not in taken
            and uses[d.sentence] < 2
            and (true is None or (d.name == "true") == true)
        ]
        if not pool:
            return False
        shapes = Counter(d.name for d in chosen if d.kind == kind)
        best = min(
            pool,
            key=lambda d: (
                d.rank >= 0.5,
                uses[d.sentence] > 0,
                tested[d.section],
                shapes[d.name],
                d.rank,
                d.sentence,
            ),
        )
        chosen.append(best)
        tested[best.section] += 1
        uses[best.sentence] += 1
        return True

    for kind, count in WANTED.items():
        for turn in range(count):
            if kind == "true-false":
                pick(kind, true=turn == 2) or pick(kind)
            else:
                pick(kind)
    for kind in ("true-false", "multiple-choice", "short-answer"):
        while len(chosen) < ENOUGH and sum(d.kind == kind for d in chosen) < MOST[kind]:
            if not pick(kind):
                break
    return sorted(
        chosen, key=lambda d: (KINDS.index(d.kind), d.sentence if d.sentence >= 0 else 10**6)
    )


# -- the file ---------------------------------------------------------------------------------


def _scalar(value: object) -> str:
    """A YAML scalar: a double-quoted string (JSON's escapes are YAML's), a boolean or a number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = json.dumps(str(value), ensure_ascii=False)
    return text.replace("\u2028", "\\L").replace("\u2029", "\\P").replace("\x85", "\\N")


def _field(name: str, value: object, indent: str) -> list[str]:
    if isinstance(value, tuple) and value and isinstance(value[0], dict):
        lines = [f"{indent}{name}:"]
        for entry in value:
            first = True
            for key, item in entry.items():
                lead = f"{indent}  - " if first else f"{indent}    "
                lines.append(f"{lead}{key}: {_scalar(item)}")
                first = False
        return lines
    if isinstance(value, tuple):
        return [f"{indent}{name}:", *(f"{indent}  - {_scalar(item)}" for item in value)]
    return [f"{indent}{name}: {_scalar(value)}"]


def render_draft_file(chapter: Chapter, exercises: Sequence[Drafted]) -> str:
    """The YAML text of one chapter's drafted exercise file.

    :param chapter: the chapter
    :param exercises: its drafted exercises, in file order
    :return: the file's text
    """
    lines = [HEADER.rstrip("\n"), f"chapter: {_scalar(chapter.title)}", "exercises:"]
    numbers: Counter[str] = Counter()
    for drafted in exercises:
        numbers[drafted.kind] += 1
        ident = f"{chapter.slug}-{drafted.kind}-{numbers[drafted.kind]}"
        lines += [
            f"  - id: {ident}",
            f"    kind: {drafted.kind}",
            "    draft: true",
            f"    section: {_scalar(drafted.section)}",
            f"    level: {drafted.level}",
        ]
        for name, value in drafted.fields:
            lines += _field(name, value, "    ")
        lines += [f"    source: {_scalar(drafted.source)}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
