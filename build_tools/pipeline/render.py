"""The render stage: every generated file of the book, in memory, one companion part at a time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from build_tools.article.model import Article
from build_tools.article.render import (
    LATEX_APPENDIX,
    BookInfo,
    TextRenderer,
    escape,
    render_chapter,
    render_colophon,
    render_front,
    render_introduction,
)
from build_tools.pipeline.config import STATIC_PAGES, BuildConfig, Target
from build_tools.pipeline.figures import book_figures, poster_files, timeline_figures
from build_tools.pipeline.inputs import book_json, companion_text, display_path, read_text

if TYPE_CHECKING:
    from build_tools.chronology.model import ChronologyResult
    from build_tools.classroom.teacher import ClassroomFiles
    from build_tools.exercises.model import Exercise
    from build_tools.figures.plan import BookFigures
    from build_tools.glossary.part import GlossaryPart


@dataclass(frozen=True)
class Later:
    """Exports made after the pages: their names now, their bytes when ``start()``'s call returns."""

    names: tuple[str, ...]
    start: Callable[[], Callable[[], dict[str, bytes]]]


@dataclass
class Rendered:
    """Everything the render stage makes for one build.

    ``pages`` are files of the Sphinx source (relative paths); ``exports`` are
    files for ``<out>/data/``, or for ``<out>/<folder>/`` when their name starts
    with one of :data:`CLASSROOM_FOLDERS`; ``exercises`` are the worksheets'
    content; ``summary`` says what was made, for the CLI.
    """

    pages: dict[str, str | bytes] = field(default_factory=dict)
    exports: dict[str, str | bytes] = field(default_factory=dict)  # see CLASSROOM_FOLDERS
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)
    only: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exercises: tuple[Exercise, ...] = ()
    #: exports no page shows, drawn beside the Sphinx builds (:meth:`start_later`)
    later: list[Later] = field(default_factory=list)

    def will_export(self, name: str) -> bool:
        """Whether an export is made: now, or later."""
        return name in self.exports or any(name in later.names for later in self.later)

    def start_later(self) -> Callable[[], None]:
        """Start the exports of :attr:`later`; the call returned waits and adds them.

        :return: the call (it raises what a drawing raised)
        """
        waiting = [later.start() for later in self.later]

        def finish() -> None:
            for wait in waiting:
                self.exports.update(wait())

        return finish

    def pages_for(self, target: Target, article: Article, info: BookInfo) -> dict[str, str | bytes]:
        """The Sphinx source of one target: its back matter, its front page.

        A back-matter page listed in ``only`` goes to the named targets alone
        (the answer key is in the EPUB and the teacher's PDF, not the student's).

        :param target: the target
        :param article: the article
        :param info: the book's metadata
        :return: file contents by path relative to the source folder
        """
        covers = target.covers
        back = [
            name
            for name in self.back
            if any(cover in self.only.get(name, covers) for cover in covers)
        ]
        left_out = {f"_generated/{name}.md" for name in self.back if name not in back}
        pages = {path: data for path, data in self.pages.items() if path not in left_out}
        first = f"_generated/{back[0]}.md"
        pages[first] = LATEX_APPENDIX + str(pages[first])  # back matter: appendices in the PDF
        if target.editions:
            back = self._editions(target, back, pages)
        pages["_generated/front.md"] = render_front(article, info, back_matter=back)
        return pages

    def _editions(
        self, target: Target, back: list[str], pages: dict[str, str | bytes]
    ) -> list[str]:
        """Mark the back-matter pages not in every edition of a target, and put them last.

        Such a page says in its front matter which editions it is in
        (``editions: teacher``); build_tools.sphinx_ext.typst.builder leaves it out
        of the others. Last, so every edition numbers the tables and figures of the
        pages they share alike.

        :param target: a target of several editions
        :param back: the back-matter pages the target's source holds, in order
        :param pages: the target's source, to mark the pages in
        :return: the back-matter pages in their new order
        """
        covers = target.covers
        shared, own = [], []
        for name in back:
            only = self.only.get(name, covers)
            editions = [
                e for e, cover in zip(target.editions, covers, strict=True) if cover in only
            ]
            if len(editions) == len(covers):
                shared.append(name)
                continue
            own.append(name)
            path = f"_generated/{name}.md"
            pages[path] = f"---\neditions: {' '.join(editions)}\n---\n" + str(pages[path])
        return shared + own


def render_book(config: BuildConfig, article: Article, info: BookInfo) -> Rendered:
    """Every generated file of the book: pages, figures and data exports.

    Companion data (glossary, chronology, exercises) is optional: a part whose
    file is missing is left out, and the book still builds.  Each part adds its
    pages, its back-matter pages in order (``rendered.back``), its data exports,
    warnings and summary; what later parts need (term links, the chronology,
    chapter reviews) it returns.

    :param config: the build's configuration
    :param article: the article
    :param info: the book's metadata
    :return: the rendered book
    """
    rendered = Rendered()
    glossary = _glossary_part(config, article, info, rendered)
    events, timeline = _chronology_part(config, article, info, rendered)
    try:
        figures = _figures_part(config, article, glossary, rendered)
        reviews = _exercises_part(config, article, info, rendered, events=events, glossary=glossary)
    finally:
        timeline()  # drawn beside the maps and charts
    _teachers_guide(article, info, rendered, glossary)
    _book_pages(article, info, rendered, glossary=glossary, figures=figures, reviews=reviews)
    return rendered


def _glossary_part(
    config: BuildConfig, article: Article, info: BookInfo, rendered: Rendered
) -> GlossaryPart | None:
    """The glossary: its page, flashcards and term links, from ``<stem>.glossary.yaml``.

    Without that file the glossary is drafted from the article (the same code as
    ``python -m build_tools draft``), and the summary says so; a file holding
    ``terms: []`` means the book has no glossary.

    :param config: the build's configuration
    :param article: the article
    :param info: the book's metadata
    :param rendered: the rendered book, to add to
    :return: the glossary, or None when the book has none
    """
    from build_tools.exports.flashcards import render_anki_deck, render_flashcards_csv
    from build_tools.glossary.part import make_glossary_part

    glossary_file = companion_text(config, "glossary.yaml")
    drafted = ""
    if glossary_file is None:  # no data file: the terms drafted from the article, in memory
        from build_tools.glossary.draft import draft_terms, render_glossary_yaml

        terms = draft_terms(article)
        data_file = display_path(config.companion("glossary.yaml"))
        if not terms:
            rendered.summary.append("glossary: none (the article names nothing to draft it from)")
            return None
        drafted = (
            f"no {data_file}; run `python -m build_tools draft --seed "
            f"{display_path(config.seed)}` to edit them"
        )
        glossary_file = (
            render_glossary_yaml(terms, name=config.seed.name),
            f"{data_file} (drafted)",
        )
    glossary = make_glossary_part(
        glossary_file[0],
        path=glossary_file[1],
        article=article,
        title=info.title,
        drafted=drafted,
    )
    if glossary is None:
        rendered.summary.append(f"glossary: none ({glossary_file[1]} lists no terms)")
        return None
    rendered.pages["_generated/glossary.md"] = glossary.page
    rendered.back.append("glossary")
    rendered.exports.update(glossary.exports)
    rendered.exports["glossary-flashcards.csv"] = render_flashcards_csv(glossary.glossary)
    rendered.exports["glossary.apkg"] = render_anki_deck(
        glossary.glossary,
        glossary.usage,
        slug=info.slug,
        title=info.title,
        timestamp=dt.datetime.fromisoformat(info.date).replace(tzinfo=dt.UTC).timestamp(),
    )
    rendered.warnings += glossary.warnings
    rendered.summary.append(glossary.summary)
    return glossary


def _chronology_part(
    config: BuildConfig, article: Article, info: BookInfo, rendered: Rendered
) -> tuple[ChronologyResult, Callable[[], None]]:
    """The chronology: its page, timeline figure, wall posters and exports.

    It is extracted from the article itself, so every book has one;
    ``<stem>.chronology.yaml`` (optional) corrects it.

    :param config: the build's configuration
    :param article: the article
    :param info: the book's metadata
    :param rendered: the rendered book, to add to
    :return: the chronology (no page when it has no events), and a call that
        adds the timeline's files once they are drawn (the posters come later:
        :attr:`Rendered.later`)
    """
    from build_tools.chronology.disagreements import render_chronology_report
    from build_tools.chronology.exports import chronology_json, timelinejs_json
    from build_tools.chronology.extract import extract_chronology
    from build_tools.chronology.overrides import load_overrides
    from build_tools.chronology.page import render_chronology_page
    from build_tools.figures.poster import POSTERS, poster_name

    overrides_file = companion_text(config, "chronology.yaml")
    overrides = load_overrides(overrides_file[0], path=overrides_file[1]) if overrides_file else ()
    events = extract_chronology(article, overrides=overrides)
    if events.events:
        rendered.pages["_generated/chronology.md"] = render_chronology_page(
            events, article, figure="timeline.*"
        )
        drawing = timeline_figures(config, events)

        def timeline() -> None:
            for name, data in drawing().items():
                rendered.pages[f"_generated/{name}"] = data

        # the wall posters, _build/posters/, by the files poster_files() draws
        exports = {
            f"poster-{paper}.pdf": f"posters/{poster_name(info.slug, paper)}" for paper in POSTERS
        }

        def posters() -> Callable[[], dict[str, bytes]]:
            drawn = poster_files(config, events, title=info.title)
            return lambda: {exports[name]: data for name, data in drawn().items()}

        rendered.later.append(Later(tuple(exports.values()), posters))

        rendered.back.append("chronology")
        rendered.exports["chronology.json"] = (
            json.dumps(chronology_json(events, "_generated/"), indent=2, ensure_ascii=False) + "\n"
        )
        rendered.exports["timelinejs.json"] = (
            json.dumps(timelinejs_json(events), indent=2, ensure_ascii=False) + "\n"
        )
        rendered.exports["chronology-report.txt"] = render_chronology_report(events)
        rendered.summary.append(
            f"chronology: {len(events.events)} events, "
            f"{len(events.disagreements)} disagreements, {len(events.doubtful)} doubtful"
        )
        return events, timeline
    return events, lambda: None


def _figures_part(
    config: BuildConfig, article: Article, glossary: GlossaryPart | None, rendered: Rendered
) -> BookFigures | None:
    """Maps and data figures: the gazetteer and figures files, world-atlas's map data.

    :func:`~build_tools.pipeline.figures.book_figures` reads the two files.

    :param config: the build's configuration
    :param article: the article
    :param glossary: the glossary (its place terms label the maps), or None
    :param rendered: the rendered book, to add to
    :return: the figures, or None when the book has neither file
    """
    place_terms = (
        {a: t.term for t in glossary.glossary.terms if t.category == "place" for a in t.aliases}
        if glossary is not None
        else {}
    )
    figures = book_figures(config, article, place_terms)
    if figures is not None:
        for name, data in figures.files.items():
            rendered.pages[f"_generated/figures/{name}"] = data
        rendered.warnings += figures.warnings
        rendered.summary += figures.summary
    return figures


def _exercises_part(
    config: BuildConfig,
    article: Article,
    info: BookInfo,
    rendered: Rendered,
    *,
    events: ChronologyResult,
    glossary: GlossaryPart | None,
) -> dict[str, str]:
    """Review exercises: the answer key, the quizzes and the worksheets' content.

    They are read from ``exercises/<slug>/*.yaml`` beside ``seeds/`` (a
    ``*.draft.yaml`` there is a draft waiting for a teacher, not read). With no
    file there, they are drafted in memory from the article, its chronology and
    its glossary (:func:`~build_tools.exercises.draft.draft_exercises`, the code
    ``python -m build_tools draft`` writes the files with), and the summary says so.

    :param config: the build's configuration
    :param article: the article
    :param info: the book's metadata
    :param rendered: the rendered book, to add to
    :param events: the chronology (for the ordering exercises)
    :param glossary: the glossary (for the matching exercises), or None
    :return: each chapter's review, by docname (empty without exercises)
    """
    folder = display_path(config.exercises)
    exercise_files = [
        (read_text(path), display_path(path))
        for path in sorted(config.exercises.glob("*.yaml"))
        if not path.name.endswith(".draft.yaml")
    ]
    drafted = not exercise_files
    if drafted:
        from build_tools.exercises.draft import draft_exercises

        texts = draft_exercises(article, events, glossary.glossary if glossary else None)
        exercise_files = [(text, f"{folder}/{name} (drafted)") for name, text in texts.items()]
    if not exercise_files:
        return {}
    from build_tools.classroom.worksheets import worksheet_name
    from build_tools.exercises.part import make_exercise_part
    from build_tools.exports.lms import render_lms_exports

    exercises = make_exercise_part(
        exercise_files,
        article=article,
        chronology=events,
        glossary=glossary,
        worksheets={
            chapter.number: f"worksheets/{worksheet_name(info.slug, chapter.number, key=False)}"
            for chapter in article.chapters
        },
    )
    rendered.exercises = exercises.exercises
    rendered.pages["_generated/answers.md"] = exercises.answer_key
    rendered.back.append("answers")
    rendered.only["answers"] = ("epub", "pdf-teacher")  # the student PDF has no answers
    rendered.exports.update(exercises.exports)
    # quizzes: _build/lms/ (Moodle, GIFT, QTI)
    rendered.exports.update(
        render_lms_exports(exercises.exercises, slug=info.slug, title=info.title)
    )
    rendered.summary.append(
        f"{exercises.summary} (drafted: no {folder}/; run `python -m build_tools draft`)"
        if drafted
        else exercises.summary
    )
    return dict(exercises.reviews)


def _teachers_guide(
    article: Article, info: BookInfo, rendered: Rendered, glossary: GlossaryPart | None
) -> None:
    """The teacher's guide: in the HTML and the teacher's PDF, before the answer key.

    :param article: the article
    :param info: the book's metadata
    :param rendered: the rendered book so far (its exercises and exports), to add to
    :param glossary: the glossary (its terms' usage), or None
    """
    from build_tools.classroom.teacher import DOCNAME, render_teacher_page

    rendered.pages[f"_generated/{DOCNAME}.md"] = render_teacher_page(
        article,
        rendered.exercises,
        glossary.usage if glossary is not None else (),
        classroom_files(info.slug, rendered),
    )
    back = rendered.back
    back.insert(back.index("answers") if "answers" in back else len(back), DOCNAME)
    rendered.only[DOCNAME] = ("html", "pdf-teacher")


def _book_pages(
    article: Article,
    info: BookInfo,
    rendered: Rendered,
    *,
    glossary: GlossaryPart | None,
    figures: BookFigures | None,
    reviews: dict[str, str],
) -> None:
    """The pages every book has: colophon, metadata, introduction, cover and chapters.

    :param article: the article
    :param info: the book's metadata
    :param rendered: the rendered book, to add to
    :param glossary: the glossary (its term links), or None
    :param figures: the figures placed in the introduction and chapters, or None
    :param reviews: each chapter's review, by docname
    """
    from build_tools.figures.cover import draw_cover

    text_for: Callable[[str], TextRenderer] | None = (
        glossary.linker.text_for if glossary is not None else None
    )
    pages = rendered.pages
    pages["_generated/colophon.md"] = render_colophon(info, build_date=info.date)
    rendered.back.append("colophon")
    pages["_generated/book.json"] = book_json(info)
    pages["_generated/introduction.md"] = render_introduction(
        article, text=text_for("introduction") if text_for else escape
    ) + (f"\n{figures.introduction}\n" if figures and figures.introduction else "")
    pages[STATIC_PAGES[0]] = draw_cover(info.title, info.description)
    for chapter in article.chapters:
        pages[f"_generated/{chapter.docname}.md"] = render_chapter(
            chapter,
            text_for=text_for,
            review=reviews.get(chapter.docname, ""),
            figures=figures.chapters.get(chapter.docname) if figures else None,
        )


def classroom_files(slug: str, rendered: Rendered) -> ClassroomFiles:
    """The classroom files a build makes, as the teacher's guide links them.

    :param slug: the book's slug
    :param rendered: the rendered book so far (its exercises and exports)
    :return: the files, as paths under the build folder
    """
    from build_tools.classroom.teacher import ClassroomFiles
    from build_tools.classroom.worksheets import worksheet_name
    from build_tools.figures.poster import POSTERS, poster_name

    numbers = sorted({exercise.chapter for exercise in rendered.exercises})
    chapters = {
        number: (
            f"worksheets/{worksheet_name(slug, number, key=False)}",
            f"worksheets/{worksheet_name(slug, number, key=True)}",
        )
        for number in numbers
    }
    book = (
        (
            ("all worksheets", f"worksheets/{worksheet_name(slug, None, key=False)}"),
            ("their teacher key", f"worksheets/{worksheet_name(slug, None, key=True)}"),
        )
        if numbers
        else ()
    )
    names = {"-moodle.xml": "Moodle XML", "-qti.zip": "QTI package (Canvas)", ".gift": "GIFT"}
    quizzes = tuple(
        (text, f"lms/{slug}{suffix}")
        for suffix, text in names.items()
        if f"lms/{slug}{suffix}" in rendered.exports
    )
    posters = tuple(
        (POSTERS[paper].name, f"posters/{poster_name(slug, paper)}")
        for paper in POSTERS
        if rendered.will_export(f"posters/{poster_name(slug, paper)}")
    )
    return ClassroomFiles(chapters=chapters, book=book, quizzes=quizzes, posters=posters)
