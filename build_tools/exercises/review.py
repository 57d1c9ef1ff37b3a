"""A chapter's "Review" section: its exercises as the student sees them, solutions in the HTML.

It uses sphinx-exercise's ``exercise`` and ``solution`` directives and our
``review-*`` directives (see :mod:`build_tools.sphinx_ext.review`).
"""

from __future__ import annotations

from collections.abc import Sequence

from build_tools.article.model import Chapter
from build_tools.article.render import escape
from build_tools.exercises.answers import render_solution
from build_tools.exercises.model import KIND_NAMES, Exercise
from build_tools.exercises.myst import choice_list, directive, letter, quote, ref
from build_tools.util.markup import myst_ref


def _exercise_body(exercise: Exercise) -> list[str]:
    """The question as a student sees it (no answer), in every format."""
    legend = f"Your answer to {exercise.title}"
    if exercise.kind == "multiple-choice":
        return _choice_body(exercise, legend)
    if exercise.kind == "true-false":
        return _true_false_body(exercise, legend)
    if exercise.kind in ("short-answer", "source-analysis"):
        return _written_body(exercise)
    if exercise.kind == "ordering":
        return _ordering_body(exercise)
    if exercise.kind == "matching":
        return _matching_body(exercise)
    return []


def _choice_body(exercise: Exercise, legend: str) -> list[str]:
    return [
        escape(exercise.prompt),
        directive(
            "review-choices",
            legend,
            {"correct": str(exercise.correct_index + 1)},
            choice_list([option.text for option in exercise.options]),
            0,
        ),
    ]


def _true_false_body(exercise: Exercise, legend: str) -> list[str]:
    return [
        f"Is this statement true or false? {escape(exercise.prompt)}",
        directive(
            "review-choices",
            legend,
            {"correct": "1" if exercise.answer else "2"},
            choice_list(["True", "False"]),
            0,
        ),
        directive("review-lines", "2", {}, "If it is false, correct it:", 0),
    ]


def _written_body(exercise: Exercise) -> list[str]:
    """Short answer and source analysis (which quotes its passage first)."""
    parts: list[str] = []
    if exercise.kind == "source-analysis":
        parts.append(f"Read this passage from {ref(exercise.place)}:")
        parts.append(f"> {quote(exercise.source)}")
    parts.append(escape(exercise.prompt))
    parts.append(directive("review-lines", str(exercise.lines), {}, "", 0))
    return parts


def _ordering_body(exercise: Exercise) -> list[str]:
    return [
        escape(exercise.prompt),
        directive(
            "review-items",
            "",
            {},
            choice_list([exercise.items[index].text for index in exercise.shown]),
            0,
        ),
        directive(
            "review-boxes",
            str(len(exercise.items)),
            {},
            "Write the letters in time order, the earliest in box 1:",
            0,
        ),
    ]


def _matching_body(exercise: Exercise) -> list[str]:
    definitions = [exercise.pairs[index].definition for index in exercise.shown]
    rows = [
        f"* - {number}\\. {escape(pair.term)}\n  - {letter(number - 1)}\\. {escape(definition)}"
        for number, (pair, definition) in enumerate(
            zip(exercise.pairs, definitions, strict=True), start=1
        )
    ]
    return [
        escape(exercise.prompt),
        directive(
            "list-table",
            "",
            {"header-rows": "1", "widths": "3 7", "class": "review-matching"},
            "* - Term\n  - Definition\n" + "\n".join(rows),
            0,
        ),
        directive(
            "review-boxes",
            str(len(exercise.pairs)),
            {},
            "Write the letter of each term's definition in the term's box:",
            0,
        ),
    ]


def review_label(chapter: Chapter) -> str:
    """The label of a chapter's Review section."""
    return f"review-{chapter.label}"


def render_review(chapter: Chapter, exercises: Sequence[Exercise], *, worksheet: str = "") -> str:
    """Render a chapter's "Review" section, appended at the end of the chapter page.

    Every format shows the questions; the HTML adds each solution behind a
    toggle (``{only} builder_html``), the EPUB and the teacher's PDF link each
    exercise to its answer in the answer key (``answers-<id>``), the student's
    PDF has no answers.

    :param chapter: the chapter
    :param exercises: its exercises, numbered
    :param worksheet: the chapter's printable worksheet, linked in the HTML (a
        ``book-file`` path; empty: none)
    :return: MyST
    """
    parts = [f"({review_label(chapter)})=\n## Review", *_introduction(worksheet)]
    for exercise in exercises:
        parts += _review_exercise(exercise)
    return "\n\n".join(parts)


def _introduction(worksheet: str) -> list[str]:
    """What to do with the exercises, in each format."""
    printable = (
        f" To work on paper, print the {{book-file}}`worksheet for this chapter (PDF) <{worksheet}>`."
        if worksheet
        else ""
    )
    return [
        directive(
            "only",
            "builder_html",
            {},
            "Check what you have understood. Multiple-choice and true-or-false questions "
            "can be answered on this page; each answer is hidden under its exercise until "
            "you open it." + printable,
            0,
        ),
        directive(
            "only",
            "builder_epub",
            {},
            "Check what you have understood. The answers are in the answer key at the end "
            "of the book: follow the link under each exercise, and the link in the answer "
            "to come back.",
            0,
        ),
        directive(
            "only",
            "format_latex or format_typst",
            {},
            "Check what you have understood. Write your answers in the spaces provided.",
            0,
        ),
    ]


def _review_exercise(exercise: Exercise) -> list[str]:
    """One exercise, with its link to the answer key and (HTML) its solution."""
    body = _exercise_body(exercise)
    body.append(
        directive(
            "only",
            "builder_epub or teacher",
            {},
            myst_ref(f"Answer to {exercise.title}", f"answer-{exercise.id}"),
            0,
        )
    )
    solution = directive(
        "solution",
        exercise.label,
        {"label": f"solution-{exercise.id}", "class": "dropdown"},
        render_solution(exercise, teacher=False),
        0,
    )
    return [
        directive(
            "exercise",
            KIND_NAMES[exercise.kind],
            {"label": exercise.label, "class": f"review-exercise review-{exercise.kind}"},
            "\n\n".join(body),
            1,
        ),
        directive("only", "builder_html", {}, solution, 1),
    ]
