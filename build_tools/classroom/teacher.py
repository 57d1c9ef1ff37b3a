"""The teacher's guide: a back-matter page for the HTML and the teacher's PDF.

For each chapter it gives what a teacher plans a lesson with: the reading
time (from the chapter's word count), the sections its exercises test and
the levels of thinking they ask for, the glossary terms the chapter
introduces, and the classroom files made for it (worksheet, key). The top
of the page links the files for the whole book: every worksheet, the quiz
files for learning platforms and the timeline posters.

Pure functions, no I/O: the pipeline passes what the other parts made.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from build_tools.article.model import Article, Block, Chapter, Paragraph, Table
from build_tools.article.render import escape
from build_tools.util.markup import myst_ref, myst_role, term_link

if TYPE_CHECKING:
    from build_tools.exercises.model import Exercise
    from build_tools.glossary.model import TermUsage

#: Silent reading speed assumed for the reading time (words a minute): a
#: conservative figure for 14-18-year-olds reading informational text.
WORDS_PER_MINUTE: Final = 200
#: The page's label and docname (under ``_generated/``).
LABEL: Final = "teacher-guide"
DOCNAME: Final = "teacher"


@dataclass(frozen=True)
class ClassroomFiles:
    """The classroom files of a build, as paths under the build folder.

    ``chapters`` maps a chapter number to its worksheet and key; the other
    fields are (link text, path) pairs for the whole book.
    """

    chapters: dict[int, tuple[str, str]] = field(default_factory=dict)
    book: tuple[tuple[str, str], ...] = ()
    quizzes: tuple[tuple[str, str], ...] = ()
    posters: tuple[tuple[str, str], ...] = ()


def _words(blocks: Sequence[Block]) -> int:
    count = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            count += len(block.text.split())
        elif isinstance(block, Table):
            cells = [*block.header, *(cell for row in block.rows for cell in row)]
            count += sum(len(cell.split()) for cell in cells)
    return count


def chapter_words(chapter: Chapter) -> int:
    """The words of a chapter's running text and tables (headings not counted).

    :param chapter: the chapter
    :return: the word count
    """
    return _words(chapter.blocks) + sum(_words(section.blocks) for section in chapter.sections)


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at :data:`WORDS_PER_MINUTE`, rounded up (at least 1).

    :param words: the word count
    :return: whole minutes
    """
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def introduced_terms(usage: Sequence[TermUsage], chapter: Chapter) -> list[str]:
    """The glossary terms a chapter is the first to use (the introduction counts first).

    :param usage: where each term is used, in book order
    :param chapter: the chapter
    :return: the headwords, alphabetically
    """
    return sorted(
        (
            entry.term
            for entry in usage
            if entry.chapters and entry.chapters[0].label == chapter.label
        ),
        key=str.casefold,
    )


def _levels(exercises: Sequence[Exercise]) -> str:
    from build_tools.exercises.model import LEVELS

    counts = Counter(exercise.level for exercise in exercises)
    return ", ".join(f"{level} {counts[level]}" for level in LEVELS if counts[level]) or "none"


def _file(text: str, path: str) -> str:
    return myst_role("book-file", f"{text} <{path}>")


def _files_list(files: Sequence[tuple[str, str]]) -> str:
    return ", ".join(_file(text, path) for text, path in files)


def _chapter_part(
    chapter: Chapter,
    exercises: Sequence[Exercise],
    usage: Sequence[TermUsage],
    files: ClassroomFiles,
) -> str:
    from build_tools.exercises.model import KIND_NAMES, LEVELS

    words = chapter_words(chapter)
    lines = [
        f"## {escape(f'Chapter {chapter.number}: {chapter.title}')}",
        "",
        (
            f"- **Reading time:** about {reading_minutes(words)} min "
            f"(about {round(words, -1):,} words), {{ref}}`read the chapter <{chapter.label}>`"
        ),
    ]
    if exercises:
        lines.append(f"- **Exercises:** {len(exercises)}; levels of thinking: {_levels(exercises)}")
    drafts = [exercise for exercise in exercises if exercise.draft]
    if drafts:
        refs = ", ".join(f"{{ref}}`{e.chapter}.{e.number} <{e.label}>`" for e in drafts)
        lines.append(f"- **Still drafts:** {len(drafts)} of {len(exercises)} ({refs})")
    if chapter.number in files.chapters:
        worksheet, key = files.chapters[chapter.number]
        lines.append(f"- **Files:** {_file('worksheet', worksheet)}, {_file('teacher key', key)}")
    terms = introduced_terms(usage, chapter)
    if terms:  # a list of names, not uses: no entries in the PDF's index
        names = ", ".join(term_link(term, term, explicit=False) for term in terms)
        lines += ["", "{.no-index}", f"**Terms introduced ({len(terms)}):** {names}"]
    if exercises:
        rows = []
        for section in chapter.sections:
            tested = [exercise for exercise in exercises if exercise.section_label == section.label]
            titles = (
                ", ".join(
                    f"{{ref}}`{exercise.chapter}.{exercise.number} <{exercise.label}>` "
                    f"{escape(KIND_NAMES[exercise.kind].lower())}"
                    + (" (draft)" if exercise.draft else "")
                    for exercise in tested
                )
                or "not tested"
            )
            order = sorted({exercise.level for exercise in tested}, key=LEVELS.index)
            rows.append(
                f"| {myst_ref(section.title, section.label)} | {titles} "
                f"| {', '.join(order) or '—'} |"
            )
        elsewhere = [
            exercise
            for exercise in exercises
            if exercise.section_label not in {section.label for section in chapter.sections}
        ]
        if elsewhere:  # the chapter's opening, or the whole chapter (generated exercises)
            titles = ", ".join(
                f"{{ref}}`{e.chapter}.{e.number} <{e.label}>` {escape(KIND_NAMES[e.kind].lower())}"
                for e in elsewhere
            )
            order = sorted({exercise.level for exercise in elsewhere}, key=LEVELS.index)
            rows.append(f"| Whole chapter | {titles} | {', '.join(order)} |")
        lines += [
            "",
            f":::{{table}} Sections of chapter {chapter.number} and the exercises that test them",
            f":name: table-teacher-{chapter.label}",
            ":widths: 30 50 20",
            "",
            "| Section | Exercises | Levels of thinking |",
            "|---|---|---|",
            *rows,
            ":::",
        ]
    return "\n".join(lines)


def _drafts_part(article: Article, exercises: Sequence[Exercise]) -> str:
    """What to read before class: per chapter, how many exercises are still drafts.

    :param article: the article
    :param exercises: every exercise
    :return: the section's MyST (empty when no exercise is a draft)
    """
    if not any(exercise.draft for exercise in exercises):
        return ""
    rows = []
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        if mine:
            drafts = sum(exercise.draft for exercise in mine)
            link = myst_ref(f"{chapter.number}. {chapter.title}", chapter.label)
            rows.append(f"| {link} | {len(mine)} | {drafts} |")
    return "\n".join(
        [
            "## Exercises still to read",
            "",
            (
                "Some review exercises were drafted by the pipeline from the article, not written "
                "by a person: each one quotes the sentence it is built on, but read it before you "
                "use it. To edit them, run `python -m build_tools draft`, which writes them to "
                "`exercises/`; an exercise stops counting as a draft when you delete its "
                "`draft: true` line."
            ),
            "",
            ":::{table} Exercises per chapter, and how many are still drafts",
            ":name: table-teacher-drafts",
            ":widths: 60 20 20",
            "",
            "| Chapter | Exercises | Still drafts |",
            "|---|---|---|",
            *rows,
            ":::",
        ]
    )


def render_teacher_page(
    article: Article,
    exercises: Sequence[Exercise],
    usage: Sequence[TermUsage],
    files: ClassroomFiles,
) -> str:
    """Render the teacher's guide.

    :param article: the article
    :param exercises: every exercise, numbered, in book order (may be empty)
    :param usage: where each glossary term is used (empty without a glossary)
    :param files: the classroom files of this build
    :return: the page's MyST
    """
    total = sum(chapter_words(chapter) for chapter in article.chapters)
    parts = [
        f"({LABEL})=\n# Teacher's guide",
        (
            "This guide is for teachers. It is in the web book and in the teacher's edition "
            "of the PDF, not in the students' PDF or the EPUB. For each chapter it gives a "
            f"reading time (at {WORDS_PER_MINUTE} words a minute), the exercises that test "
            "each section with the levels of thinking they ask for (remember, understand, "
            "apply, analyse, evaluate), the glossary terms the chapter introduces, and its "
            f"printable files. The whole book is about {round(total, -1):,} words, about "
            f"{reading_minutes(total)} minutes of reading."
        ),
    ]
    classroom = []
    if files.book:
        classroom.append(f"- **Worksheets for every chapter:** {_files_list(files.book)}")
    if files.quizzes:
        classroom.append(
            f"- **Quizzes for learning platforms:** {_files_list(files.quizzes)}. "
            "Moodle: *Question bank, Import*, format Moodle XML or GIFT; Canvas: "
            "*Settings, Import course content*, type QTI .zip file."
        )
    if files.posters:
        classroom.append(f"- **Timeline poster:** {_files_list(files.posters)}")
    if classroom:
        parts.append("## Classroom files\n\n" + "\n".join(classroom))
    drafts = _drafts_part(article, exercises)
    if drafts:
        parts.append(drafts)
    parts += [
        _chapter_part(
            chapter,
            [exercise for exercise in exercises if exercise.chapter == chapter.number],
            usage,
            files,
        )
        for chapter in article.chapters
    ]
    return "\n\n".join(parts) + "\n"
