"""What the exercises add to a book: the checked and generated exercises, rendered.

:func:`make_exercise_part` reads every exercise file, adds the generated
exercises, numbers them and renders the chapter reviews, the answer key and
the data exports.  Pure: the pipeline reads the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from build_tools.article.model import Article
from build_tools.exercises.answers import render_answer_key
from build_tools.exercises.check import parse_exercises
from build_tools.exercises.exports import render_coverage, render_exercises_json
from build_tools.exercises.generate import generate_matching, generate_ordering, number_exercises
from build_tools.exercises.model import KINDS, Exercise
from build_tools.exercises.review import render_review
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from build_tools.chronology.model import ChronologyResult
    from build_tools.glossary.part import GlossaryPart


@dataclass(frozen=True)
class ExercisePart:
    """What the exercises add to a book: chapter reviews, the answer key, exports."""

    exercises: tuple[Exercise, ...]
    reviews: dict[str, str] = field(default_factory=dict)
    answer_key: str = ""
    exports: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """One line for the build report."""
        kinds = Counter(exercise.kind for exercise in self.exercises)
        counts = ", ".join(f"{kinds[kind]} {kind}" for kind in KINDS if kinds[kind])
        return f"exercises: {len(self.exercises)} ({counts})"


def make_exercise_part(
    files: Sequence[tuple[str, str]],
    *,
    article: Article,
    chronology: ChronologyResult | None = None,
    glossary: GlossaryPart | None = None,
    worksheets: Mapping[int, str] | None = None,
) -> ExercisePart:
    """Check the exercise files, add the generated exercises and render everything.

    :param files: each exercise file's text and display name
    :param article: the article
    :param chronology: the chronology, for the ordering exercises (None: none)
    :param glossary: the glossary part, for the matching exercises (None: none)
    :param worksheets: each chapter's printable worksheet (a ``book-file`` path), by number
    :return: the reviews by chapter docname, the answer key page and the exports
    :raises BuildError: for a problem in a file, or an id used in two files
    """
    written = _written(files, article)
    generated = _generated(article, chronology, glossary)
    owners = {exercise.id: exercise for exercise in written}
    for exercise in generated:
        if exercise.id in owners:
            other = owners[exercise.id]
            raise BuildError(
                f"the id {exercise.id!r} is the id of a generated exercise; choose another",
                path=other.path,
                line=other.line,
            )
    exercises = number_exercises([*written, *generated], article)
    reviews = {
        chapter.docname: render_review(
            chapter,
            [e for e in exercises if e.chapter == chapter.number],
            worksheet=(worksheets or {}).get(chapter.number, ""),
        )
        for chapter in article.chapters
        if any(e.chapter == chapter.number for e in exercises)
    }
    return ExercisePart(
        exercises=exercises,
        reviews=reviews,
        answer_key=render_answer_key(article, exercises),
        exports={
            "exercises.json": render_exercises_json(exercises, title=article.title),
            "exercise-coverage.txt": render_coverage(article, exercises),
        },
    )


def _written(files: Sequence[tuple[str, str]], article: Article) -> list[Exercise]:
    """Every exercise of the files, in order; no id in two files.

    :raises BuildError: for a problem in a file, or an id used in two files
    """
    written: list[Exercise] = []
    owners: dict[str, Exercise] = {}
    for text, path in files:
        for exercise in parse_exercises(text, path=path, article=article):
            other = owners.setdefault(exercise.id, exercise)
            if other is not exercise:
                raise BuildError(
                    f"the id {exercise.id!r} is already used in {other.path}:{other.line}",
                    path=path,
                    line=exercise.line,
                )
            written.append(exercise)
    return written


def _generated(
    article: Article, chronology: ChronologyResult | None, glossary: GlossaryPart | None
) -> list[Exercise]:
    """Each chapter's ordering and matching exercise, where it has enough events and terms."""
    generated: list[Exercise] = []
    for chapter in article.chapters:
        made = [
            generate_ordering(article, chronology, chapter) if chronology else None,
            generate_matching(article, glossary, chapter) if glossary else None,
        ]
        generated += [exercise for exercise in made if exercise is not None]
    return generated
