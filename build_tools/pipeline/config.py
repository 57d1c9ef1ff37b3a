"""What a build is asked to do: its configuration, targets, errors and report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from build_tools.util.errors import BuildError

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
#: What compiles the PDF editions: XeLaTeX (Sphinx's ``latex`` builder, then latexmk) or
#: Typst (our ``typst`` builder, build_tools.sphinx_ext.typst, which compiles in Sphinx).
PDF_ENGINES = ("latex", "typst")
DEFAULT_PDF_ENGINE = "typst"


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
    #: the PDF editions one Sphinx run writes from one read of the source (Typst
    #: writes both; each LaTeX edition is a target of its own)
    editions: tuple[str, ...] = ()

    @property
    def edition(self) -> str:
        """``teacher`` for the teacher's edition, else ``student``."""
        return "teacher" if "teacher" in self.tags else "student"

    @property
    def covers(self) -> tuple[str, ...]:
        """The names a page's ``only`` list may give this target: its own, or its editions'.

        An edition's name is its single-edition target's (``pdf``, ``pdf-teacher``).
        """
        if not self.editions:
            return (self.name,)
        return tuple(self.fmt if e == "student" else f"{self.fmt}-{e}" for e in self.editions)


TARGETS = (
    Target("html", "html", "html"),
    Target("epub", "epub", "epub"),
    Target("pdf", "pdf", "latex", ("student",)),
    Target("pdf-teacher", "pdf", "latex", ("teacher",)),
)
#: Typst's PDF target: one Sphinx read of the teacher's source, both editions written
#: from it (build_tools.sphinx_ext.typst.builder), where LaTeX reads the book twice.
TYPST_PDF = Target("pdf", "pdf", "typst", ("teacher",), editions=("student", "teacher"))


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
    pdf_engine: str = DEFAULT_PDF_ENGINE

    def __post_init__(self) -> None:
        unknown = [name for name in self.formats if name not in FORMATS]
        if unknown or not self.formats:
            raise BuildError(
                f"unknown format(s) {', '.join(unknown) or '(none)'}; "
                f"choose from {', '.join(FORMATS)}"
            )
        if self.paper not in PAPERS:
            raise BuildError(f"unknown paper size {self.paper!r}; choose a4 or letter")
        if self.pdf_engine not in PDF_ENGINES:
            raise BuildError(
                f"unknown PDF engine {self.pdf_engine!r}; choose {' or '.join(PDF_ENGINES)}"
            )

    @property
    def targets(self) -> tuple[Target, ...]:
        """Every target: the PDF as :attr:`pdf_engine` makes it (two LaTeX runs, one Typst)."""
        if self.pdf_engine == "typst":
            return (*(target for target in TARGETS if target.fmt != "pdf"), TYPST_PDF)
        return TARGETS

    @property
    def figure_formats(self) -> tuple[str, ...]:
        """The formats each figure is saved in: SVG (HTML, Typst), PNG (EPUB), PDF for LaTeX.

        Each format is a whole matplotlib draw: Typst reads the SVG, so its PDF
        route draws no PDF figures.
        """
        from build_tools.figures.plotting import FORMATS

        if self.pdf_engine == "latex":
            return FORMATS
        return tuple(fmt for fmt in FORMATS if fmt != "pdf")

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

    @property
    def worksheet_folder(self) -> Path:
        """Where the worksheets' LaTeX (or Typst: a folder of its own) is written and compiled."""
        return self.work / ("worksheets-typst" if self.pdf_engine == "typst" else "worksheets")

    def pdf_name(self, target: Target) -> str:
        """The file name of a one-edition PDF target's book (:meth:`pdf_names`)."""
        return self.pdf_names(target)[0]

    def pdf_names(self, target: Target) -> list[str]:
        """The file names of every PDF edition a target writes (:meth:`pdf_name`)."""
        editions = target.editions or (target.edition,)
        return [f"{self.slug}{'-teacher' if e == 'teacher' else ''}.pdf" for e in editions]


@dataclass
class Report:
    """What a build did: each stage with its time, then the outputs."""

    stages: list[tuple[str, float, str]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: what the book holds, one line a part ("glossary: 34 terms, ... (drafted: ...)")
    summary: list[str] = field(default_factory=list)


Progress = Callable[[str, float, str], None]


class StageLog(Protocol):
    """Records a finished stage: its name, its start (``time.perf_counter()``) and a note."""

    def __call__(self, name: str, started: float, note: str = "") -> None:
        """Record the stage."""
