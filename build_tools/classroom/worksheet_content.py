"""What the worksheets and keys say, written through a markup: one for LaTeX, one for Typst.

Both engines print the same content from the numbered exercises
(:mod:`build_tools.exercises.model`), so numbers and letters agree with the
book: options lettered A-D, ordering events lettered in their shown order with
numbered boxes for the letters in time order, matching terms numbered in answer
order and definitions lettered in their shown order. The functions here decide
what is said and in which order; a :class:`Markup` (``worksheets.LatexMarkup``,
``worksheets_typst.TypstMarkup``) decides how it is written. Every text from the
exercises and the article reaches the markup through :meth:`Markup.text`, which
escapes it for the target syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final, Protocol

from build_tools.exercises.model import KIND_NAMES, Exercise

#: Control characters, joiners, direction overrides and marks no print font draws: a space
#: in print (both engines), so no text can reorder or hide what follows it.
INVISIBLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufe0e\ufe0f\ufeff]"
)
#: The paper sizes the worksheets are printed on.
PAPER_SIZES: Final = ("a4", "letter")
_LETTERS: Final = "ABCDEFGHIJ"


class Markup(Protocol):
    """How one engine writes the pieces of a worksheet (every argument but ``text``'s is markup)."""

    def text(self, text: str) -> str:
        """Plain text (from the article, an exercise or our own words), escaped."""

    def bold(self, body: str) -> str:
        """Bold."""

    def emph(self, body: str) -> str:
        """Italic (a title)."""

    def aside(self, body: str) -> str:
        """Small italic (the question, repeated in the key)."""

    def gap(self) -> str:
        """A little space before a list."""

    def item(self, mark: str, body: str, width: str) -> str:
        """A hanging item: its mark in a box ``width`` wide (e.g. ``7mm``), then its text."""

    def tick(self, letter: str) -> str:
        """A box to tick, then the option's letter (the mark of a multiple-choice item)."""

    def ordered(self, number: int, letter: str) -> str:
        """A key's mark: a number, then a letter."""

    def quote(self, body: str) -> str:
        """A quoted passage, indented."""

    def note(self, body: str) -> str:
        """A small italic instruction."""

    def lines(self, count: int) -> str:
        """Ruled lines to write on."""

    def boxes(self, count: int) -> str:
        """Numbered boxes in a row, for letters."""

    def true_false(self) -> str:
        """True / False, to circle."""

    def grid(self, rows: Sequence[tuple[str, str]]) -> str:
        """The matching grid: a head row, then per term a box, the term and a definition."""

    def sub_source(self, body: str) -> str:
        """A source quote under an item of the key, in small type."""

    def exercise(self, title: str, note: str, parts: Sequence[str]) -> str:
        """One exercise: its title bar, then its parts."""

    def chapter(self, number: int, foot: str, head: str, heading: str, key: bool) -> str:
        """A chapter's start: new page, page numbers from 1, the footer, the header box."""


def letter(index: int) -> str:
    """The letter of an option, item or definition (``0`` is ``A``)."""
    return _LETTERS[index]


def exercise_texts(exercise: Exercise) -> Iterator[str]:
    """Every text of an exercise (to decide which fonts the document needs)."""
    yield from (exercise.prompt, exercise.source, exercise.chapter_title, exercise.place.title)
    yield from (exercise.explanation, exercise.correction, exercise.model_answer)
    yield from (exercise.guidance, exercise.section, *exercise.marking_points)
    yield from (option.text for option in exercise.options)
    for item in exercise.items:
        yield from (item.text, item.date_text, item.source, item.place.title if item.place else "")
    for pair in exercise.pairs:
        yield from (pair.term, pair.definition, pair.source, pair.place.title if pair.place else "")


def answer_letters(exercise: Exercise) -> list[str]:
    """Ordering: the letters in time order; matching: the letter of each term (as the book)."""
    count = len(exercise.items) or len(exercise.pairs)
    return [letter(exercise.shown.index(index)) for index in range(count)]


def check_input(
    exercises: Sequence[Exercise], *, chapters: Sequence[tuple[int, str]], paper: str
) -> None:
    """Refuse what no worksheet can be made of.

    :raises ValueError: for an unknown paper size, no exercises, or an exercise of
        a chapter not in ``chapters``
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper size {paper!r}; choose {' or '.join(PAPER_SIZES)}")
    known = {number for number, _ in chapters}
    stray = sorted({exercise.chapter for exercise in exercises} - known)
    if stray:
        raise ValueError(f"exercises of unknown chapters: {', '.join(map(str, stray))}")
    if not exercises:
        raise ValueError("no exercises: there is no worksheet to make")


def document_title(book_title: str, *, key: bool) -> str:
    """The whole document's PDF title."""
    return f"{book_title} — {'Teacher key' if key else 'Review worksheets'}"


# -- the student's worksheet ------------------------------------------------------------------


def question(m: Markup, exercise: Exercise) -> list[str]:
    """The question as the book shows it, without the space to answer."""
    if exercise.kind == "true-false":
        return ["Is this statement true or false? " + m.text(exercise.prompt)]
    parts: list[str] = []
    if exercise.kind == "source-analysis":
        where = m.emph(m.text(exercise.place.title))
        parts.append(f"Read this passage from {where}:")
        parts.append(m.quote(f"“{m.text(exercise.source)}”"))
    parts.append(m.text(exercise.prompt))
    return parts


def student_space(m: Markup, exercise: Exercise) -> list[str]:
    """The options, boxes, grid or lines a student writes on."""
    if exercise.kind == "multiple-choice":
        return [
            m.gap(),
            *(
                m.item(m.tick(letter(index)), m.text(option.text), "12mm")
                for index, option in enumerate(exercise.options)
            ),
        ]
    if exercise.kind == "true-false":
        return [m.true_false(), m.note(m.text("If it is false, correct it:")) + m.lines(2)]
    if exercise.kind in ("short-answer", "source-analysis"):
        return [m.lines(exercise.lines)]
    if exercise.kind == "ordering":
        return [
            m.gap(),
            *(
                m.item(
                    m.bold(m.text(f"{letter(number)}.")), m.text(exercise.items[index].text), "7mm"
                )
                for number, index in enumerate(exercise.shown)
            ),
            m.note(m.text("Write the letters in time order, the earliest in box 1:")),
            m.boxes(len(exercise.items)),
        ]
    rows = []
    for number, (pair, index) in enumerate(zip(exercise.pairs, exercise.shown, strict=True)):
        term = m.bold(m.text(f"{number + 1}.")) + " " + m.text(pair.term)
        lettered = m.bold(m.text(f"{letter(number)}.")) + " "
        rows.append((term, lettered + m.text(exercise.pairs[index].definition)))
    note = m.note(m.text("Write the letter of each term's definition in the term's box:"))
    return [note, m.grid(rows)]


def student_exercise(m: Markup, exercise: Exercise) -> str:
    """One exercise of the student's worksheet."""
    parts = [*question(m, exercise), *student_space(m, exercise)]
    return m.exercise(m.text(exercise.title), m.text(KIND_NAMES[exercise.kind]), parts)


# -- the teacher's key ------------------------------------------------------------------------


def _source(m: Markup, quote: str, section: str) -> str:
    return f"{m.bold('Source:')} “{m.text(quote)}”{_where(m, section)}"


def _where(m: Markup, section: str) -> str:
    return f" (Section: {m.text(section)})" if section else ""


def key_answer(m: Markup, exercise: Exercise) -> list[str]:
    """The answer, its explanation or marking points, and the passage behind it."""
    source = _source(m, exercise.source, exercise.place.title)
    if exercise.kind == "multiple-choice":
        index = exercise.correct_index
        answer = m.bold(m.text(f"Answer: {letter(index)}."))
        return [
            f"{answer} {m.text(exercise.options[index].text)}",
            m.text(exercise.explanation),
            source,
        ]
    if exercise.kind == "true-false":
        if exercise.answer:
            return [m.bold(m.text("Answer: True.")), source]
        return [f"{m.bold(m.text('Answer: False.'))} {m.text(exercise.correction)}", source]
    if exercise.kind in ("short-answer", "source-analysis"):
        parts = [f"{m.bold(m.text('Model answer:'))} {m.text(exercise.model_answer)}"]
        if exercise.marking_points:
            parts.append(m.bold(m.text("Marking points:")))
            parts += [m.item("•", m.text(point), "5mm") for point in exercise.marking_points]
        if exercise.guidance:
            parts.append(f"{m.bold(m.text('Guidance:'))} {m.text(exercise.guidance)}")
        return [*parts, source]
    letters = answer_letters(exercise)
    if exercise.kind == "ordering":
        parts = [m.bold(m.text(f"Answer: {', '.join(letters)}"))]
        for number, item in enumerate(exercise.items, start=1):
            where = _where(m, item.place.title if item.place else "")
            text = f"{m.text(item.date_text)}: {m.text(item.text)}{where}"
            parts.append(m.item(m.ordered(number, letters[number - 1]), text, "11mm"))
            if item.source:
                parts.append(m.sub_source(f"Source: “{m.text(item.source)}”"))
        return parts
    pairs = ", ".join(f"{number}–{name}" for number, name in enumerate(letters, start=1))
    parts = [m.bold(m.text(f"Answer: {pairs}"))]
    for number, pair in enumerate(exercise.pairs, start=1):
        where = _where(m, pair.place.title if pair.place else "")
        text = f"{m.bold(m.text(pair.term))}: {m.text(pair.definition)}"
        parts.append(m.item(m.text(f"{number}–{letters[number - 1]}"), text, "11mm"))
        if pair.source:
            parts.append(m.sub_source(f"Source: “{m.text(pair.source)}”{where}"))
    return parts


def key_note(exercise: Exercise) -> str:
    """The key's line beside an exercise's title: its kind, level and section (plain text)."""
    note = f"{KIND_NAMES[exercise.kind]} · level: {exercise.level}"
    if exercise.section:
        note += f" · Section: {exercise.section}"
    return note


def key_exercise(m: Markup, exercise: Exercise) -> str:
    """One exercise of the teacher's key: the question, small, then the answer."""
    parts = [m.aside(part) for part in question(m, exercise)]
    return m.exercise(
        m.text(exercise.title),
        m.text(key_note(exercise)),
        [*parts, m.gap(), *key_answer(m, exercise)],
    )


# -- the chapters -----------------------------------------------------------------------------


def chapters_of(
    m: Markup,
    exercises: Sequence[Exercise],
    *,
    book_title: str,
    chapters: Sequence[tuple[int, str]],
    key: bool,
) -> list[str]:
    """Each chapter's worksheet (or key): its start, then its exercises; none without exercises."""
    kind = "Teacher key" if key else "Review worksheet"
    render = key_exercise if key else student_exercise
    body: list[str] = []
    for number, title in chapters:
        own = [exercise for exercise in exercises if exercise.chapter == number]
        if not own:
            continue
        foot = m.text(f"{book_title} · Chapter {number}: {title} · {kind}")
        heading = f"{m.text(f'Chapter {number}: {title}')} — {kind}"
        start = m.chapter(number, foot, m.text(book_title), heading, key)
        body.append("\n\n".join([start, *(render(m, exercise) for exercise in own)]))
    return body
