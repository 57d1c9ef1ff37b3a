"""The build driver: the only stage code that reads seeds and writes files.

A build parses the article and its companion data files, writes the Sphinx
source folder (``<out>/.work/src``: a copy of ``book/`` plus the generated
pages), runs the requested Sphinx builders in parallel, then LaTeX, and only
when every requested format succeeded swaps the new outputs into ``<out>``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import yaml

from build_tools import __version__
from build_tools.article.model import Article
from build_tools.util.errors import BuildError
from build_tools.util.fileio import write_if_changed

if TYPE_CHECKING:
    from build_tools.chronology.core import ChronologyResult
    from build_tools.classroom.teacher import ClassroomFiles
    from build_tools.exercises.core import Exercise
    from build_tools.figures.plan import BookFigures
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
from build_tools.article.seed import decode_source, parse_seed
from build_tools.pipeline.processes import (
    ToolRun,
    assign,
    finish,
    latex_command,
    latex_environment,
    release,
    relevant_lines,
    sphinx_command,
    start,
    start_worker,
    stop,
)

#: The repository's root: ``book/`` (Sphinx source) and ``seeds/`` live here.
#: the package ``build_tools/`` and the repository that holds it
PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
FORMATS = ("html", "epub", "pdf")
#: Generated files of the Sphinx source outside ``_generated/``.
STATIC_PAGES = ("_static/cover.png",)
#: The folders of classroom files in ``<out>``, also copied into the HTML site's
#: ``downloads/`` (exports whose names start with them; the worksheets are compiled).
CLASSROOM_FOLDERS = ("worksheets", "lms", "posters")
PAPERS = {"a4": "a4paper", "letter": "letterpaper"}


@dataclass(frozen=True)
class Target:
    """One Sphinx build of the book: a format, or one edition of a format.

    Each target has its own source, doctree and output folders under
    ``<out>/.work``, so the targets build in parallel and incrementally.
    """

    name: str
    fmt: str  # the ``--formats`` entry that asks for it
    builder: str
    tags: tuple[str, ...] = ()

    @property
    def edition(self) -> str:
        """``teacher`` for the teacher's edition, else ``student``."""
        return "teacher" if "teacher" in self.tags else "student"


TARGETS = (
    Target("html", "html", "html"),
    Target("epub", "epub", "epub"),
    Target("pdf", "pdf", "latex", ("student",)),
    Target("pdf-teacher", "pdf", "latex", ("teacher",)),
)


class StageError(Exception):
    """An external tool failed: the stage's name and the lines that explain it."""

    def __init__(self, stage: str, lines: list[str]) -> None:
        super().__init__(stage)
        self.stage = stage
        self.lines = lines


@dataclass(frozen=True)
class BuildConfig:
    """What one build is asked to do."""

    seed: Path = field(default=ROOT / "seeds" / "korean-war.md")
    out: Path = field(default=ROOT / "_build")
    formats: tuple[str, ...] = FORMATS
    paper: str = "a4"

    def __post_init__(self) -> None:
        unknown = [name for name in self.formats if name not in FORMATS]
        if unknown or not self.formats:
            raise BuildError(
                f"unknown format(s) {', '.join(unknown) or '(none)'}; "
                f"choose from {', '.join(FORMATS)}"
            )
        if self.paper not in PAPERS:
            raise BuildError(f"unknown paper size {self.paper!r}; choose a4 or letter")

    @property
    def slug(self) -> str:
        """The book's file name stem, from the seed's name."""
        return self.seed.stem

    @property
    def exercises(self) -> Path:
        """The article's exercises: ``exercises/<stem>/`` beside its ``seeds/`` folder."""
        return self.seed.parent.parent / "exercises" / self.slug

    def companion(self, suffix: str) -> Path:
        """A data file kept next to the article (``<stem>.<suffix>``)."""
        return self.seed.with_name(f"{self.seed.stem}.{suffix}")

    @property
    def work(self) -> Path:
        """Sphinx's and LaTeX's working folders, kept for incremental builds."""
        return self.out / ".work"

    def srcdir_of(self, target: Target) -> Path:
        """The Sphinx source folder of one target of this build."""
        return self.work / f"src-{target.name}"


@dataclass
class Report:
    """What a build did: each stage with its time, then the outputs."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[str, float, str], None]


def read_text(path: Path) -> str:
    """Read a source file as text: UTF-8 with or without BOM, any line ending.

    :param path: the file
    :return: its text
    :raises BuildError: if it is missing or not UTF-8
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(
            "file not found; check the path (the default article is seeds/korean-war.md)",
            path=str(path),
        ) from None
    except OSError as err:
        raise BuildError(f"cannot read the file: {err.strerror}", path=str(path)) from None
    return decode_source(data, path=str(path))


def load_article(path: Path) -> Article:
    """Read and parse an article.

    :param path: the article's Markdown file
    :return: the parsed article
    """
    return parse_seed(read_text(path), source=_display(path))


def _display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


def build_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def book_info(config: BuildConfig, article: Article, seed_bytes: bytes) -> BookInfo:
    """The book's metadata: defaults, overlaid by ``<stem>.book.yaml`` when present.

    :param config: the build's configuration
    :param article: the parsed article
    :param seed_bytes: the article file's bytes, for its checksum
    :return: the metadata
    """
    meta: dict[str, object] = {}
    meta_path = config.companion("book.yaml")
    if meta_path.exists():
        try:
            loaded = yaml.safe_load(read_text(meta_path)) or {}
        except yaml.YAMLError as err:
            line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
            raise BuildError(f"not valid YAML: {err}", path=str(meta_path), line=line) from None
        if not isinstance(loaded, dict):
            raise BuildError("expected a mapping of metadata fields", path=str(meta_path), line=1)
        allowed = {"author", "publisher", "description", "language"}
        for key in loaded:
            if key not in allowed:
                raise BuildError(
                    f"unknown field {key!r}; allowed: {', '.join(sorted(allowed))}",
                    path=str(meta_path),
                )
        meta = {key: str(value) for key, value in loaded.items()}
    digest = hashlib.sha256(seed_bytes).hexdigest()
    return BookInfo(
        title=article.title,
        slug=config.slug,
        author=str(meta.get("author", "Classroom Publishing Pipeline")),
        publisher=str(meta.get("publisher", "Classroom Publishing Pipeline")),
        language=str(meta.get("language", "en")),
        description=str(meta.get("description", f"A classroom book: {article.title}.")),
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'book:' + config.slug)}",
        date=build_date().isoformat(),
        seed_name=config.seed.name,
        seed_sha256=digest,
        version=__version__,
    )


def sync_tree(source: Path, target: Path, *, keep: Collection[str] = ()) -> None:
    """Mirror a folder, copying only files whose bytes differ.

    :param source: the folder to copy
    :param target: the copy
    :param keep: paths in the target (relative, with ``/``) that are not removed,
        with everything below them
    """
    wanted: set[Path] = set()
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if "__pycache__" in relative.parts or relative.parts[0] == "_build":
            continue
        wanted.add(relative)
        if path.is_file():
            write_if_changed(target / relative, path.read_bytes())
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target)
        if relative in wanted or any(
            "/".join(relative.parts[: depth + 1]) in keep for depth in range(len(relative.parts))
        ):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


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

    def pages_for(self, target: Target, article: Article, info: BookInfo) -> dict[str, str | bytes]:
        """The Sphinx source of one target: its back matter, its front page.

        A back-matter page listed in ``only`` goes to the named targets alone
        (the answer key is in the EPUB and the teacher's PDF, not the student's).

        :param target: the target
        :param article: the article
        :param info: the book's metadata
        :return: file contents by path relative to the source folder
        """
        back = [name for name in self.back if target.name in self.only.get(name, (target.name,))]
        left_out = {f"_generated/{name}.md" for name in self.back if name not in back}
        pages = {path: data for path, data in self.pages.items() if path not in left_out}
        first = f"_generated/{back[0]}.md"
        pages[first] = LATEX_APPENDIX + str(pages[first])  # back matter: appendices in the PDF
        pages["_generated/front.md"] = render_front(article, info, back_matter=back)
        return pages


def book_json(info: BookInfo) -> str:
    """``_generated/book.json``: the book's metadata, read by ``book/conf.py``."""
    return json.dumps(asdict(info), indent=2, sort_keys=True) + "\n"


def companion_text(config: BuildConfig, suffix: str) -> tuple[str, str] | None:
    """Read an optional data file kept next to the article.

    :param config: the build's configuration
    :param suffix: the part after the article's stem, e.g. ``glossary.yaml``
    :return: the file's text and its display name, or None when there is none
    """
    path = config.companion(suffix)
    if not path.exists():
        return None
    return read_text(path), _display(path)


def render_book(config: BuildConfig, article: Article, info: BookInfo) -> Rendered:
    """Every generated file of the book: pages, figures and data exports.

    Companion data (glossary, chronology, exercises) is optional: a part whose
    file is missing is left out, and the book still builds.

    :param config: the build's configuration
    :param article: the article
    :param info: the book's metadata
    :return: the rendered book
    """
    from build_tools.figures.cover import draw_cover

    rendered = Rendered()
    back: list[str] = []
    text_for: Callable[[str], TextRenderer] | None = None
    reviews: dict[str, str] = {}

    pages = rendered.pages
    # -- companion parts: each adds its pages (``pages``), its back-matter
    # -- pages in order (``back``), its data exports (``rendered.exports``),
    # -- term links (``text_for``) and chapter reviews (``reviews``) --------------

    glossary_file = companion_text(config, "glossary.yaml")
    if glossary_file is not None:  # the glossary: page, flashcards, term links
        from build_tools.glossary.core import make_glossary_part

        glossary = make_glossary_part(
            glossary_file[0],
            path=glossary_file[1],
            article=article,
            slug=info.slug,
            title=info.title,
            timestamp=dt.datetime.fromisoformat(info.date).replace(tzinfo=dt.UTC).timestamp(),
        )
        pages["_generated/glossary.md"] = glossary.page
        back.append("glossary")
        rendered.exports.update(glossary.exports)
        rendered.warnings += glossary.warnings
        rendered.summary.append(glossary.summary)
        text_for = glossary.linker.text_for

    # the chronology: extracted from the article itself, so every book has one
    from build_tools.chronology import core as chrono
    from build_tools.classroom.worksheets import worksheet_name
    from build_tools.figures.poster import poster_name

    overrides_file = companion_text(config, "chronology.yaml")
    overrides = (
        chrono.load_overrides(overrides_file[0], path=overrides_file[1]) if overrides_file else ()
    )
    events = chrono.extract_chronology(article, overrides=overrides)
    if events.events:
        pages["_generated/chronology.md"] = chrono.render_chronology_page(
            events, article, figure="timeline.*"
        )
        for name, data in timeline_figures(config, events, title=info.title).items():
            if name.startswith("poster-"):  # the wall posters: _build/posters/
                paper = name.removeprefix("poster-").removesuffix(".pdf")
                rendered.exports[f"posters/{poster_name(info.slug, paper)}"] = data
            else:
                pages[f"_generated/{name}"] = data
        back.append("chronology")
        rendered.exports["chronology.json"] = (
            json.dumps(chrono.chronology_json(events, "_generated/"), indent=2, ensure_ascii=False)
            + "\n"
        )
        rendered.exports["timelinejs.json"] = (
            json.dumps(chrono.timelinejs_json(events), indent=2, ensure_ascii=False) + "\n"
        )
        rendered.exports["chronology-report.txt"] = chrono.render_chronology_report(events)
        rendered.summary.append(
            f"chronology: {len(events.events)} events, "
            f"{len(events.disagreements)} disagreements, {len(events.doubtful)} doubtful"
        )

    # maps and data figures: the gazetteer and figures files, world-atlas's map data
    place_terms = (
        {a: t.term for t in glossary.glossary.terms if t.category == "place" for a in t.aliases}
        if glossary_file is not None
        else {}
    )
    figures = book_figures(config, article, place_terms)
    if figures is not None:
        for name, data in figures.files.items():
            pages[f"_generated/figures/{name}"] = data
        rendered.warnings += figures.warnings
        rendered.summary += figures.summary

    # review exercises: exercises/<slug>/*.yaml beside seeds/ (none there: no exercises)
    exercise_files = sorted(config.exercises.glob("*.yaml"))
    if exercise_files:
        from build_tools.exercises.core import make_exercise_part

        exercises = make_exercise_part(
            [(read_text(path), _display(path)) for path in exercise_files],
            article=article,
            chronology=events,
            glossary=glossary if glossary_file is not None else None,
            worksheets={
                chapter.number: f"worksheets/{worksheet_name(info.slug, chapter.number, key=False)}"
                for chapter in article.chapters
            },
        )
        reviews.update(exercises.reviews)
        rendered.exercises = exercises.exercises
        pages["_generated/answers.md"] = exercises.answer_key
        back.append("answers")
        rendered.only["answers"] = ("epub", "pdf-teacher")  # the student PDF has no answers
        rendered.exports.update(exercises.exports)
        from build_tools.exports.lms import (
            render_lms_exports,  # quizzes: _build/lms/ (Moodle, GIFT, QTI)
        )

        rendered.exports.update(
            render_lms_exports(exercises.exercises, slug=info.slug, title=info.title)
        )
        rendered.summary.append(exercises.summary)

    # the teacher's guide: HTML and the teacher's PDF, before the answer key
    from build_tools.classroom.teacher import DOCNAME, render_teacher_page

    pages[f"_generated/{DOCNAME}.md"] = render_teacher_page(
        article,
        rendered.exercises,
        glossary.usage if glossary_file is not None else (),
        classroom_files(info.slug, rendered),
    )
    back.insert(back.index("answers") if "answers" in back else len(back), DOCNAME)
    rendered.only[DOCNAME] = ("html", "pdf-teacher")

    pages["_generated/colophon.md"] = render_colophon(info, build_date=info.date)
    back.append("colophon")
    rendered.back = back
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
    return rendered


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
        if f"posters/{poster_name(slug, paper)}" in rendered.exports
    )
    return ClassroomFiles(chapters=chapters, book=book, quizzes=quizzes, posters=posters)


#: world-atlas's Natural Earth 1:10m countries (``npm ci`` installs it; see package.json).
WORLD_ATLAS = ROOT / "node_modules" / "world-atlas" / "countries-10m.json"


def book_figures(
    config: BuildConfig, article: Article, place_terms: dict[str, str]
) -> BookFigures | None:
    """The maps and data figures, drawn only when their inputs changed.

    The gazetteer (``<stem>.places.yaml``) and figures file (``<stem>.figures.yaml``)
    are checked on every build; drawing (seconds) happens only when the article,
    those files, the map data, the glossary's place terms or the drawing code
    changed.  The drawn files are kept in ``<out>/.work/figures/book-<hash>/``.
    Without world-atlas (npm packages not installed) the maps are left out with
    a warning and the book still builds.

    :param config: the build's configuration
    :param article: the article
    :param place_terms: glossary aliases of places, each to its headword
    :return: the figures, or None when the book has neither gazetteer nor figures file
    """
    from build_tools.figures import charts as charts_module
    from build_tools.figures.plan import BookFigures
    from build_tools.places import gazetteer as places

    places_file = companion_text(config, "places.yaml")
    charts_file = companion_text(config, "figures.yaml")
    if places_file is None and charts_file is None:
        return None
    gazetteer = (
        places.parse_places(places_file[0], article, path=places_file[1]) if places_file else None
    )
    charts = (
        charts_module.parse_charts(charts_file[0], article, path=charts_file[1])
        if charts_file
        else ()
    )
    warnings: list[str] = []
    atlas = WORLD_ATLAS.read_bytes() if WORLD_ATLAS.exists() else None
    if gazetteer is not None and atlas is None:
        warnings.append(
            f"maps left out: {_display(WORLD_ATLAS)} is missing; "
            "run `npm ci` (or `make book`) to install the map data"
        )
    # the figures depend on the article's structure and on where places are
    # named (the gazetteer's mentions), not on every word: an edited sentence
    # that names no new place does not redraw the maps
    structure = [
        (
            chapter.docname,
            chapter.label,
            chapter.title,
            [(s.label, s.title) for s in chapter.sections],
        )
        for chapter in article.chapters
    ]
    digest = hashlib.sha256()
    for part in (
        repr(structure),
        repr([table.number for table in article.tables]),
        repr(gazetteer if atlas is not None else None),
        repr(charts),
        repr(sorted(place_terms.items())),
        __version__,
    ):
        digest.update(part.encode() + b"\0")
    digest.update(atlas or b"")
    code_digest(digest, "figures", "places", "stats", "util")
    folder = config.work / "figures" / f"book-{digest.hexdigest()[:16]}"
    if not (folder / "figures.json").exists():
        from build_tools.figures.plan import make_figures
        from build_tools.figures.topojson import decode_topology

        topology = None
        broken: list[str] = []  # kept with the figures, so every build reports it
        if gazetteer is not None and atlas is not None:
            try:
                topology = decode_topology(json.loads(atlas))
            except ValueError as err:  # not JSON, or not a topology (a broken install)
                broken.append(
                    f"maps left out: {_display(WORLD_ATLAS)} is not readable map data ({err}); "
                    "run `npm ci` again"
                )
        drawn = make_figures(
            article,
            gazetteer=gazetteer,
            charts=charts,
            topology=topology,
            terms=place_terms,
            workers=min(4, os.cpu_count() or 1),  # the figures are independent
        )
        drawn.warnings[:0] = broken
        drawing = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(drawing, ignore_errors=True)
        drawing.mkdir(parents=True)
        for name, data in drawn.files.items():
            (drawing / name).write_bytes(data)
        (drawing / "figures.json").write_text(drawn.to_json(), encoding="utf-8")
        for old in folder.parent.glob("book-*"):
            if old != drawing:  # figures of earlier inputs
                shutil.rmtree(old, ignore_errors=True)
        drawing.replace(folder)
    files = {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.name != "figures.json"
    }
    result = BookFigures.from_json((folder / "figures.json").read_text(encoding="utf-8"), files)
    result.warnings[:0] = warnings
    return result


def timeline_figures(
    config: BuildConfig, events: ChronologyResult, *, title: str
) -> dict[str, bytes]:
    """The timeline figure's files and the wall posters, drawn only when the chronology changed.

    Drawing imports matplotlib (about a second): the files are kept in
    ``<out>/.work/figures/timeline-<hash of the chronology>/``.

    :param config: the build's configuration
    :param events: the chronology
    :param title: the book's title (the posters' heading)
    :return: file contents by name (``timeline.svg``, ``.pdf``, ``.png``, ``poster-<paper>.pdf``)
    """
    from build_tools.chronology.core import draw_timeline
    from build_tools.figures.poster import POSTERS, draw_poster

    digest = hashlib.sha256(repr((events.events, events.phases, title)).encode())
    code_digest(digest, "chronology", "figures")
    folder = config.work / "figures" / f"timeline-{digest.hexdigest()[:16]}"
    if not folder.is_dir():
        drawing = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(drawing, ignore_errors=True)
        drawing.mkdir(parents=True)
        draw_timeline(events, drawing)
        for paper in POSTERS:
            (drawing / f"poster-{paper}.pdf").write_bytes(
                draw_poster(events, title=title, paper=paper)
            )
        for old in folder.parent.glob("timeline-*"):
            if old != drawing:  # drawn from an earlier chronology
                shutil.rmtree(old, ignore_errors=True)
        drawing.replace(folder)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def fingerprint(folder: Path, *extra: str, skip: Callable[[Path], bool] | None = None) -> str:
    """A hash of every file under a folder (names and bytes) and some extra strings.

    :param folder: the folder
    :param extra: more inputs (command lines, versions)
    :param skip: leaves out the files for which it is true
    :return: a hex digest
    """
    digest = hashlib.sha256()
    for part in extra:
        digest.update(part.encode() + b"\0")
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and not (skip and skip(path)):
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_digest(digest: hashlib._Hash, *packages: str) -> None:
    """Add the source of some of our packages to a hash: drawn files depend on their code.

    :param digest: the hash to update
    :param packages: names of subpackages of ``build_tools`` (missing ones are skipped)
    """
    for package in packages:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())


def code_fingerprint() -> str:
    """A hash of the code Sphinx runs that Sphinx cannot see change.

    Our Sphinx extension and the versions of the Sphinx packages: the rest of
    our code only shapes the generated pages, whose bytes are hashed already.

    :return: a hex digest that changes when a rebuild could give other outputs
    """
    from importlib.metadata import version

    packages = ("sphinx", "myst-parser", "sphinx-book-theme", "sphinx-exercise", "docutils")
    versions = [f"{name}=={version(name)}" for name in packages]
    return fingerprint(PACKAGE / "sphinx_ext", __version__, *versions)


def input_fingerprint(config: BuildConfig) -> str:
    """A hash of everything a build reads: when it is unchanged, so are the outputs.

    The article and its companion files, its exercises, ``book/``, our code,
    the map data, the versions of the Sphinx packages, the build date and the
    options asked for.

    :param config: the build's configuration
    :return: a hex digest
    """
    digest = hashlib.sha256()
    options = (__version__, config.paper, ",".join(config.formats), build_date().isoformat())
    for part in (*options, code_fingerprint()):
        digest.update(part.encode() + b"\0")
    folders = [ROOT / "book", PACKAGE, config.exercises]
    for folder in folders:
        if folder.is_dir():
            digest.update(fingerprint(folder, skip=lambda path: path.suffix == ".pyc").encode())
    files = [config.seed, *sorted(config.seed.parent.glob(f"{config.seed.stem}.*.yaml"))]
    files += [WORLD_ATLAS]
    for path in files:
        if path.is_file():
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for one build.

    :param out: the output folder
    :raises BuildError: if another build holds it
    """
    out.mkdir(parents=True, exist_ok=True)
    handle = (out / ".lock").open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                "another build is running in this output folder; wait for it to finish",
                path=str(out),
            ) from None
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt, so cleanup runs as for Ctrl-C."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Builder:
    """Runs one build: stages in order, outputs swapped in at the end."""

    def __init__(self, config: BuildConfig, progress: Progress | None = None) -> None:
        self.config = config
        self.report = Report()
        self.progress = progress
        self.exports: dict[str, str | bytes] = {}
        self.processes: list[subprocess.Popen[str]] = []
        self.worksheets: list[str] = []  # the worksheets' .tex files (none: no exercises)
        self.workers: dict[Target, subprocess.Popen[str]] = {}  # Sphinx, importing itself
        self.commands: dict[Target, list[str]] = {}  # each target's Sphinx command line
        self.deferred: dict[Target, list[str]] = {}  # commands given after rendering

    def stage(self, name: str, started: float, note: str = "") -> None:
        """Record a finished stage."""
        elapsed = time.perf_counter() - started
        self.report.stages.append((name, elapsed, note))
        if self.progress:
            self.progress(name, elapsed, note)

    def run(self) -> Report:
        """Build the requested formats.

        :return: the report
        :raises BuildError: on bad input
        :raises StageError: when a tool fails
        """
        config = self.config
        with build_lock(config.out), terminate_as_interrupt():
            started = time.perf_counter()
            if config.seed.is_file():
                inputs = input_fingerprint(config)
                stamp = config.work / "inputs.stamp"
                if stamp.exists() and stamp.read_text() == inputs and self._outputs_present():
                    # nothing this build reads has changed: neither Sphinx nor TeX starts
                    self.stage("check", started, "nothing changed, outputs up to date")
                    self.report.outputs = self._outputs_present()
                    return self.report
                stamp.unlink(missing_ok=True)
            seed_bytes = read_text(config.seed).encode("utf-8")
            article = load_article(config.seed)
            self.report.warnings += article.warnings
            info = book_info(config, article, config.seed.read_bytes())
            self.stage("parse", started, f"{len(article.chapters)} chapters")
            del seed_bytes

            targets = [target for target in TARGETS if target.fmt in config.formats]
            # Sphinx imports itself and reads its configuration and saved
            # environment (a second or more) while the book is rendered
            self.workers = {target: start_worker() for target in targets}
            self.processes += self.workers.values()
            try:
                self._set_up_sphinx(targets, info)
                self._render_and_build(
                    article, info, targets, inputs if config.seed.is_file() else ""
                )
            finally:
                for process in self.processes:  # after an interrupt or a failure
                    stop(process)
        return self.report

    def _render_and_build(
        self, article: Article, info: BookInfo, targets: list[Target], inputs: str
    ) -> None:
        """Render the book, build every target, swap the outputs in.

        :param article: the article
        :param info: the book's metadata
        :param targets: the Sphinx targets asked for
        :param inputs: the input fingerprint to record after success ("" for none)
        """
        config = self.config
        started = time.perf_counter()
        rendered = render_book(config, article, info)
        self.report.warnings += rendered.warnings
        self.exports = rendered.exports
        written = total = 0
        for target in targets:
            pages = rendered.pages_for(target, article, info)
            srcdir = config.srcdir_of(target)
            sync_tree(ROOT / "book", srcdir, keep={"_generated", *pages})
            written += sum(write_if_changed(srcdir / name, data) for name, data in pages.items())
            total += len(pages)
            _remove_stale(srcdir, pages)
        if rendered.exercises:  # printable worksheets and keys: compiled with the PDFs
            from build_tools.classroom.worksheets import write_sources

            self.worksheets = write_sources(
                self.worksheet_folder,
                rendered.exercises,
                book_title=info.title,
                chapters=[(chapter.number, chapter.title) for chapter in article.chapters],
                paper=config.paper,
            )
        self.stage("render", started, f"{written} of {total} files changed")

        staging = config.out / ".staging"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        try:
            self._build_targets(targets)
            started = time.perf_counter()
            self._stage_outputs(info, targets, staging)
            self._swap(staging)
            self.stage("outputs", started, "swapped in")
            if inputs:
                (config.work / "inputs.stamp").write_text(inputs)
        finally:
            if staging.exists():
                shutil.rmtree(staging)

    @property
    def worksheet_folder(self) -> Path:
        """Where the worksheets' LaTeX is written and compiled."""
        return self.config.work / "worksheets"

    def _set_up_sphinx(self, targets: list[Target], info: BookInfo) -> None:
        """Write each target's configuration and give its worker the command line.

        ``conf.py`` reads ``_generated/book.json``: both are in place before
        Sphinx starts; the pages follow after rendering (:meth:`_build_targets`).
        """
        config = self.config
        work = config.work
        overrides = {"latex_elements.papersize": PAPERS[config.paper]}
        code = code_fingerprint()
        for target in targets:
            srcdir = config.srcdir_of(target)
            sync_tree(ROOT / "book", srcdir, keep={"_generated", *STATIC_PAGES})
            write_if_changed(srcdir / "_generated" / "book.json", book_json(info))
            outdir = work / target.name
            command = sphinx_command(
                target.builder,
                srcdir,
                outdir,
                work / f"doctrees-{target.name}",
                overrides=overrides if target.builder == "latex" else None,
                tags=target.tags,
            )
            self.commands[target] = command
            stamp = work / f"{target.name}.stamp"
            previous = stamp.read_text() if stamp.exists() and outdir.exists() else ""
            if previous.partition("\n")[2] != code:
                # our extension, templates' code or Sphinx changed (or the last
                # build failed): Sphinx cannot see that, so read and write everything
                command = [*command[:-2], "-E", "-a", *command[-2:]]
            if target.builder == "latex":
                # conf.py sets the LaTeX list of figures by the figures the
                # render stage draws: LaTeX's Sphinx starts after rendering
                self.deferred[target] = command
            else:
                assign(self.workers[target], command)

    def _build_targets(self, targets: list[Target]) -> None:
        """Run Sphinx for every target whose source changed, in parallel, then LaTeX.

        The worksheets need no Sphinx: their LaTeX runs beside the Sphinx builds.
        """
        config = self.config
        work = config.work
        running: dict[Target, tuple[subprocess.Popen[str] | None, Path, str, float]] = {}
        code = code_fingerprint()
        for target in targets:
            outdir = work / target.name
            stamp = work / f"{target.name}.stamp"
            key = f"{fingerprint(config.srcdir_of(target), *self.commands[target])}\n{code}"
            previous = stamp.read_text() if stamp.exists() and outdir.exists() else ""
            sphinx = self.workers[target]
            if previous == key:
                release(sphinx, build=False)
                running[target] = (None, stamp, key, time.perf_counter())
                continue
            stamp.unlink(missing_ok=True)
            if target.builder == "epub":
                # the EPUB zips every file of its folder: no image of an earlier build
                shutil.rmtree(outdir / "_images", ignore_errors=True)
            if target in self.deferred:
                assign(sphinx, self.deferred[target])
            release(sphinx, build=True)
            running[target] = (sphinx, stamp, key, time.perf_counter())
        worksheets = [
            self._start_latex(f"worksheets ({texfile})", self.worksheet_folder, texfile)
            for texfile in self.worksheets
        ]
        failures: list[StageError] = []
        books: list[LatexJob] = []
        # the LaTeX targets first: each PDF's latexmk starts as soon as its own
        # Sphinx has written the .tex, while HTML and EPUB may still be building
        for target in sorted(running, key=lambda target: target.builder != "latex"):
            process, stamp, key, started = running[target]
            name = target.name.replace("pdf", "latex")
            if process is not None:
                result = finish(process)
                if not result.ok:
                    failures.append(StageError(name, relevant_lines(result.output)))
                    continue
                stamp.write_text(key)
                self.stage(name, started)
            else:
                self.stage(name, started, "unchanged")
            if target.builder == "latex" and not failures:
                texfile = self._pdf_name(target).replace(".pdf", ".tex")
                books.append(self._start_latex(target.name, work / target.name, texfile))
        if failures:
            raise failures[0]
        for job in [*worksheets, *books]:
            self._finish_latex(job)

    def _start_latex(self, name: str, folder: Path, texfile: str) -> LatexJob:
        """Start latexmk on one ``.tex`` file of a folder, unless its input is unchanged."""
        stem = texfile.removesuffix(".tex")
        stamp = folder.parent / f"{folder.name}-{stem}.pdf.stamp"
        # LaTeX's inputs only: not what latexmk itself writes (aux, log, pdf, ...)
        key = fingerprint(
            folder,
            *latex_command(texfile),
            build_date().isoformat(),  # the PDF's dates (SOURCE_DATE_EPOCH), not in the .tex
            skip=_written_by_latexmk(folder, stem),
        )
        started = time.perf_counter()
        if stamp.exists() and stamp.read_text() == key and (folder / f"{stem}.pdf").exists():
            return LatexJob(name, None, stamp, key, started, folder / f"{stem}.log")
        stamp.unlink(missing_ok=True)
        process = start(latex_command(texfile), cwd=folder, env=latex_environment(folder))
        self.processes.append(process)
        return LatexJob(name, process, stamp, key, started, folder / f"{stem}.log")

    def _finish_latex(self, job: LatexJob) -> None:
        """Wait for a latexmk run; a failure raises with the log's relevant lines."""
        if job.process is None:
            self.stage(job.name, job.started, "unchanged")
            return
        result = finish(job.process)
        if not result.ok:
            text = job.log.read_text(errors="replace") if job.log.exists() else result.output
            raise StageError(job.name, relevant_lines(text))
        # the key was taken before latexmk wrote its own files: it stands for the .tex input
        job.stamp.write_text(job.key)
        self.stage(job.name, job.started)

    def _outputs_present(self) -> list[Path]:
        """The outputs of a previous build of the same formats, or [] if one is missing."""
        out, slug = self.config.out, self.config.slug
        expected = []
        for target in TARGETS:
            if target.fmt not in self.config.formats:
                continue
            if target.builder == "html":
                expected.append(out / "html" / "index.html")
            elif target.builder == "epub":
                expected.append(out / "epub" / f"{slug}.epub")
            else:
                expected.append(out / "pdf" / self._pdf_name(target))
        return expected if all(path.exists() for path in expected) else []

    def _pdf_name(self, target: Target) -> str:
        suffix = "-teacher" if target.edition == "teacher" else ""
        return f"{self.config.slug}{suffix}.pdf"

    def _stage_outputs(self, info: BookInfo, targets: list[Target], staging: Path) -> None:
        config = self.config
        work = config.work
        slug = info.slug
        out = config.out
        for target in targets:
            if target.builder == "epub":
                name = f"{slug}.epub"
                _publish(work / "epub" / name, staging / "epub" / name, out / "epub" / name)
            elif target.builder == "latex":
                name = self._pdf_name(target)
                _publish(work / target.name / name, staging / "pdf" / name, out / "pdf" / name)
        for name, data in sorted(self.exports.items()):
            # quizzes and posters get folders of their own: _build/lms/, _build/posters/
            classroom = name.partition("/")[0] in CLASSROOM_FOLDERS
            path = staging / name if classroom else staging / "data" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if self.worksheets:
            for path in sorted(self._worksheet_files(slug).iterdir()):
                _link(path, staging / "worksheets" / path.name)
        if "html" in config.formats:
            for path in sorted((work / "html").rglob("*")):
                relative = path.relative_to(work / "html")
                if path.is_file() and not {".buildinfo", ".buildinfo.bak", ".doctrees"} & {
                    *relative.parts
                }:
                    _publish(path, staging / "html" / relative, out / "html" / relative)
            downloads = staging / "html" / "downloads"
            # the student editions only: the answer key stays with the teacher
            for kind in ("epub", "pdf"):
                fresh = staging / kind / f"{slug}.{kind}"
                previous = config.out / kind / f"{slug}.{kind}"
                source = fresh if fresh.exists() else previous
                if source.exists():
                    _link(source, downloads / f"{slug}.{kind}")
            # the data exports, linked from the pages; worksheets, quizzes, posters
            for folder in ("data", *CLASSROOM_FOLDERS):
                if (staging / folder).is_dir():
                    copy = staging / "html" / "data" if folder == "data" else downloads / folder
                    shutil.copytree(staging / folder, copy, copy_function=os.link)

    def _worksheet_files(self, slug: str) -> Path:
        """The finished worksheets and keys, split per chapter only when LaTeX's PDFs changed.

        :param slug: the book's slug
        :return: a folder of the files (never written to again: the outputs
            may link to its files)
        """
        from build_tools.classroom.worksheets import collect

        folder = self.worksheet_folder
        digest = hashlib.sha256(slug.encode() + b"\0")
        for path in sorted(folder.glob("*")):
            if path.is_file() and path.suffix in {".pdf", ".chapters", ".json"}:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        split = self.config.work / "worksheets-split" / digest.hexdigest()[:16]
        if not split.is_dir():
            making = split.with_name(split.name + ".tmp")
            shutil.rmtree(making, ignore_errors=True)
            making.mkdir(parents=True)
            for name, data in collect(folder, slug).items():
                (making / name).write_bytes(data)
            for old in split.parent.iterdir():
                if old != making:  # split from earlier PDFs
                    shutil.rmtree(old, ignore_errors=True)
            making.replace(split)
        return split

    def _swap(self, staging: Path) -> None:
        """Replace each output folder by its staged copy, one rename each."""
        out = self.config.out
        for path in sorted(staging.iterdir()):
            target = out / path.name
            old = out / f".old-{path.name}"
            if old.exists():
                shutil.rmtree(old)
            if target.exists():
                target.replace(old)
            path.replace(target)
            if old.exists():
                shutil.rmtree(old)
            if path.name == "html":
                self.report.outputs.append(target / "index.html")
            else:
                self.report.outputs += sorted(p for p in target.iterdir() if p.is_file())


@dataclass(frozen=True)
class LatexJob:
    """One latexmk run: its process (None: its input is unchanged) and its stamp."""

    name: str
    process: subprocess.Popen[str] | None
    stamp: Path
    key: str
    started: float
    log: Path


def _written_by_latexmk(folder: Path, stem: str) -> Callable[[Path], bool]:
    """Whether a file of a LaTeX folder is latexmk's output, not the input of ``stem``.

    A folder may hold several documents (the worksheets and their key): the
    other documents' files are not this one's input either.
    """
    sources = {path.stem for path in folder.glob("*.tex")}

    def written(path: Path) -> bool:
        if path.suffix == ".tex":
            return path.stem != stem and path.stem in sources
        return path.stem in sources or path.stem.startswith(tuple(f"{s}." for s in sources))

    return written


def _remove_stale(srcdir: Path, pages: dict[str, str | bytes]) -> None:
    """Remove generated pages that the book no longer has."""
    for path in sorted((srcdir / "_generated").glob("*.md")):
        if f"_generated/{path.name}" not in pages:
            path.unlink()
    for path in sorted((srcdir / "_generated" / "figures").glob("*")):
        if f"_generated/figures/{path.name}" not in pages:  # maps and charts no longer drawn
            path.unlink()


def _link(source: Path, target: Path) -> None:
    """Hard-link a published file (or a staged one) to a second place among the outputs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.link(source, target)


def _publish(source: Path, target: Path, previous: Path) -> None:
    """Stage a file of a working folder: a copy, or a link to its unchanged published copy.

    The working folders are rewritten in place by the next build; the published
    outputs never are (a build replaces them whole, by renaming), so a staged
    file may share the published file's bytes. A copy keeps the source's
    modification time: the same size and time mean the same file.

    :param source: the file Sphinx or LaTeX wrote
    :param target: its place in the staging folder
    :param previous: its place among the current outputs (may be missing)
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        old, new = previous.stat(), source.stat()
        if (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns):
            os.link(previous, target)
            return
    shutil.copy2(source, target)


def run_build(config: BuildConfig, progress: Progress | None = None) -> Report:
    """Build a book.

    :param config: what to build
    :param progress: called after each stage with its name, seconds and a note
    :return: the report
    """
    return Builder(config, progress).run()


ToolRun.__module__ = __name__  # re-exported for the CLI's type hints
