"""The answers: each exercise's solution and the answer key page (EPUB, teacher's PDF)."""

from __future__ import annotations

from collections.abc import Sequence

from build_tools.article.model import Article
from build_tools.article.render import escape
from build_tools.exercises.model import KIND_NAMES, Exercise
from build_tools.exercises.myst import directive, letter, quote, ref
from build_tools.util.markup import myst_ref


def _answer_letters(exercise: Exercise) -> list[str]:
    """Ordering: the letters in time order; matching: the letter of each term."""
    if exercise.kind == "ordering":
        return [letter(exercise.shown.index(index)) for index in range(len(exercise.items))]
    return [letter(exercise.shown.index(index)) for index in range(len(exercise.pairs))]


def _source_line(exercise: Exercise) -> str:
    return f"*Source* ({ref(exercise.place)}): {quote(exercise.source)}"


def _teacher_only(body: str) -> str:
    return directive("only", "teacher", {}, body, 0)


def render_solution(exercise: Exercise, *, teacher: bool) -> str:
    """The solution of an exercise: the answer and where the article supports it.

    :param exercise: the exercise
    :param teacher: add the guidance for the teacher (the answer key) behind ``{only} teacher``
    :return: MyST
    """
    if exercise.kind == "ordering":
        return "\n\n".join(_ordering_answer(exercise, teacher=teacher))
    if exercise.kind == "matching":
        return "\n\n".join(_matching_answer(exercise, teacher=teacher))
    parts: list[str] = []
    if exercise.kind == "multiple-choice":
        index = exercise.correct_index
        parts.append(f"**Answer:** {letter(index)}\\. {escape(exercise.options[index].text)}")
        parts.append(escape(exercise.explanation))
    elif exercise.kind == "true-false":
        if exercise.answer:
            parts.append("**Answer:** True.")
        else:
            parts.append(f"**Answer:** False. {escape(exercise.correction)}")
    elif exercise.kind in ("short-answer", "source-analysis"):
        parts += _written_answer(exercise, teacher=teacher)
    parts.append(_source_line(exercise))
    return "\n\n".join(parts)


def _written_answer(exercise: Exercise, *, teacher: bool) -> list[str]:
    """Short answer and source analysis: the model answer, marking points, guidance."""
    parts = [f"**Model answer:** {escape(exercise.model_answer)}"]
    if exercise.marking_points:
        points = "\n".join(f"- {escape(point)}" for point in exercise.marking_points)
        parts.append(f"**Marking points:**\n\n{points}")
    if exercise.guidance and teacher:
        parts.append(_teacher_only(f"**Guidance for the teacher:** {escape(exercise.guidance)}"))
    return parts


def _ordering_answer(exercise: Exercise, *, teacher: bool) -> list[str]:
    """The letters in time order, the dated events, and (teacher) their sources."""
    parts = [f"**Answer:** {', '.join(_answer_letters(exercise))}"]
    parts.append(
        "\n".join(
            f"{number}. {escape(item.date_text)}: {escape(item.text)}"
            + (f" ({ref(item.place)})" if item.place else "")
            for number, item in enumerate(exercise.items, start=1)
        )
    )
    if teacher:
        quotes = "\n".join(f"- {quote(item.source)}" for item in exercise.items if item.source)
        parts.append(_teacher_only(f"*Sources:*\n\n{quotes}"))
    return parts


def _matching_answer(exercise: Exercise, *, teacher: bool) -> list[str]:
    """Each term's letter, the terms with their definitions, and (teacher) their sources."""
    parts = [
        "**Answer:** "
        + ", ".join(
            f"{number}–{answer}" for number, answer in enumerate(_answer_letters(exercise), start=1)
        )
    ]
    parts.append(
        "\n".join(
            f"- **{escape(pair.term)}**: {escape(pair.definition)}" for pair in exercise.pairs
        )
    )
    if teacher:
        quotes = "\n".join(
            f"- {escape(pair.term)}: {quote(pair.source)}"
            + (f" ({ref(pair.place)})" if pair.place else "")
            for pair in exercise.pairs
        )
        parts.append(_teacher_only(f"*Sources:*\n\n{quotes}"))
    return parts


def render_answer_key(article: Article, exercises: Sequence[Exercise]) -> str:
    """Render the answer key: a back-matter page in the EPUB and the teacher's PDF.

    Each answer is a sphinx-exercise ``solution`` whose title links back to its
    exercise; it gives the answer, the marking points or explanation, the
    source quote and the section it comes from, and (teacher's PDF only) the
    guidance for the teacher.

    :param article: the article
    :param exercises: every exercise, numbered
    :return: MyST for ``_generated/answers.md``
    """
    parts = [
        "(answers)=\n# Answer key",
        (
            "The answers to the review exercises at the end of each chapter. Each answer "
            "names the passage of the article that supports it."
        ),
    ]
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        if not mine:
            continue
        parts.append(
            f"(answers-{chapter.label})=\n## Chapter {chapter.number}: {escape(chapter.title)}"
        )
        for exercise in mine:
            where = f"*{escape(KIND_NAMES[exercise.kind])}, level: {exercise.level}*"
            if exercise.section:
                where += f" · {myst_ref(exercise.section, exercise.section_label)}"
            body = _teacher_only(where) + "\n\n"
            body += render_solution(exercise, teacher=True)
            parts.append(
                directive("solution", exercise.label, {"label": f"answer-{exercise.id}"}, body, 1)
            )
    return "\n\n".join(parts) + "\n"
