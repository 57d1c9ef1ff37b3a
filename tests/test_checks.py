"""The checks of ``python -m build_tools check``: clean on the real book, loud on bad files.

Every checker runs once over the book built for the session (``built_book``);
each is also fed a known-bad file and must report the problem in it.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import SEED

from build_tools.checks.allowlist import AllowEntry, apply_allowlist, load_allowlist
from build_tools.checks.base import Problem
from build_tools.checks.journeys import JourneyPlan
from build_tools.checks.runner import CHECK_NAMES, Book, format_result, run_checks
from build_tools.cli import main
from build_tools.util.errors import BuildError

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
BROWSER = {"ace", "axe", "journeys"}


# -- the real book ---------------------------------------------------------------


@pytest.fixture(scope="module")
def book(built_book: tuple[Path, object]) -> Book:
    out, _ = built_book
    return Book.from_seed(out, SEED)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.browser] if name in BROWSER else [])
        for name in CHECK_NAMES
    ],
)
def test_seed_book_passes(book: Book, name: str) -> None:
    report = run_checks(book, only=[name])
    [result] = report.results
    assert result.passed, "\n".join(format_result(result))
    assert not report.unused, report.unused


@pytest.mark.browser
def test_journeys_leave_screenshots(book: Book) -> None:
    # run by test_seed_book_passes[journeys]; run again if this test runs alone
    if not (book.screenshots / "01-front.png").exists():
        run_checks(book, only=["journeys"])
    names = {path.name for path in book.screenshots.glob("*.png")}
    assert {
        "01-front.png",
        "01-front-375.png",
        "02-chapter.png",
        "02-chapter-375.png",
        "03-search.png",
        "04-section.png",
        "05-downloads.png",
    } <= names


def test_cli_check(book: Book, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--out", str(book.out), "--only", "epub-a11y,links,latex-log"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "PASS  epub-a11y" in out
    assert "All 3 checks passed." in out


@pytest.mark.requires_tex
def test_latex_route_on_letter_paper(tmp_path: Path) -> None:
    """The LaTeX route still passes the PDF checks, and ``--paper letter`` reaches every page.

    The one XeLaTeX build of the tests (the book's default is Typst): both editions, the
    worksheets and keys, their LaTeX logs clean.
    """
    from pypdf import PdfReader

    from build_tools.pipeline.build import run_build
    from build_tools.pipeline.config import BuildConfig

    config = BuildConfig(
        seed=SEED, out=tmp_path, formats=("pdf",), paper="letter", pdf_engine="latex"
    )
    report = run_build(config)
    assert {"latex", "pdf", "latex-teacher", "pdf-teacher"} <= {
        name for name, _, _ in report.stages
    }
    letter = Book.from_seed(tmp_path, SEED, paper="letter")
    for result in run_checks(letter, only=["pdf", "latex-log"]).results:
        assert result.passed, "\n".join(format_result(result))
    for name in ("korean-war.pdf", "korean-war-teacher.pdf"):
        assert "LaTeX" in str(PdfReader(tmp_path / "pdf" / name).metadata["/Creator"]), name
    a4 = run_checks(Book.from_seed(tmp_path, SEED, paper="a4"), only=["pdf"]).results[0]
    assert "expected 595.28 x 841.89 pts (a4)" in a4.problems[0].message


def test_cli_check_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--only", "spellcheck"]) == 2
    assert "unknown check(s) spellcheck" in capsys.readouterr().err


def test_cli_check_missing_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--out", str(tmp_path), "--only", "links,pdf"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  links" in out
    assert "missing: build this format first" in out


# -- EPUB: a small hand-made book, with the fault switched on ---------------------

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
A11Y = """
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">Text with headings.</meta>"""
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:12345678-1234-5678-1234-567812345678</dc:identifier>
    <dc:title>A Small Book</dc:title>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>{a11y}
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="chapter" href="chapter.xhtml" media-type="application/xhtml+xml"/>
  </manifest>
  <spine><itemref idref="nav"/><itemref idref="chapter"/></spine>
</package>
"""
XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{lang}>
<head><title>{title}</title></head>
<body>{body}</body>
</html>
"""
NAV = """<nav epub:type="toc" role="doc-toc" id="toc"><h1>Contents</h1>
<ol><li><a href="chapter.xhtml#start">The chapter</a></li></ol></nav>"""
CHAPTER = """<section id="start"><h1>The chapter</h1><p>Back to the
<a href="{link}">contents</a>.</p></section>"""


def write_epub(
    path: Path, *, lang: bool = True, a11y: bool = True, link: str = "nav.xhtml#toc"
) -> Path:
    """A small EPUB 3 that passes every check unless a fault is switched on."""
    attributes = ' lang="en" xml:lang="en"' if lang else ""
    with zipfile.ZipFile(path, "w") as epub:
        epub.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        epub.writestr("META-INF/container.xml", CONTAINER)
        epub.writestr("content.opf", OPF.format(a11y=A11Y if a11y else ""))
        epub.writestr("nav.xhtml", XHTML.format(lang=attributes, title="Contents", body=NAV))
        body = CHAPTER.format(link=link)
        epub.writestr("chapter.xhtml", XHTML.format(lang=attributes, title="Chapter", body=body))
    return path


def test_epubcheck_reports_errors(tmp_path: Path) -> None:
    from build_tools.checks.epubcheck import check_epubcheck

    # (the clean case is the real book, in test_seed_book_passes: EPUBCheck is slow)
    problems = check_epubcheck(write_epub(tmp_path / "bad.epub", link="missing.xhtml"))
    assert any("RSC-007" in p.message and p.where.startswith("chapter.xhtml") for p in problems)


def test_epub_a11y_reports_missing_metadata_and_language(tmp_path: Path) -> None:
    from build_tools.checks.opf import REQUIRED, check_accessibility_metadata

    assert check_accessibility_metadata(write_epub(tmp_path / "good.epub")) == []
    bad = write_epub(tmp_path / "bad.epub", lang=False, a11y=False)
    messages = {(p.where, p.message) for p in check_accessibility_metadata(bad)}
    for prop in REQUIRED:
        assert ("content.opf", f"no <meta property={prop!r}>") in messages
    assert ("chapter.xhtml", "<html> has no lang, xml:lang attribute") in messages


@pytest.mark.browser
def test_ace_reports_serious_issues(tmp_path: Path) -> None:
    from build_tools.checks.ace import check_ace

    bad = write_epub(tmp_path / "bad.epub", lang=False, a11y=False)
    problems = check_ace(bad, report_dir=tmp_path / "ace")
    titles = " ".join(p.message for p in problems)
    assert "html-has-lang" in titles
    assert "metadata-accessmode" in titles
    assert (tmp_path / "ace" / "report.html").exists()


def test_epub_links_reports_broken_links(tmp_path: Path) -> None:
    from build_tools.checks.links import check_epub_links

    assert check_epub_links(write_epub(tmp_path / "good.epub")) == []
    problems = check_epub_links(write_epub(tmp_path / "bad.epub", link="nav.xhtml#nowhere"))
    assert [p.message for p in problems] == [
        "href='nav.xhtml#nowhere': no id 'nowhere' in nav.xhtml"
    ]
    assert problems[0].where.startswith("bad.epub/chapter.xhtml:")


# -- HTML ------------------------------------------------------------------------


def test_vnu_reports_errors() -> None:
    from build_tools.checks.vnu import check_vnu

    problems = check_vnu([FIXTURES / "invalid.html"], root=FIXTURES)
    messages = " ".join(p.message for p in problems)
    assert "Duplicate ID" in messages
    assert "No “p” element in scope" in messages
    assert all(p.where.startswith("invalid.html:") for p in problems)


@pytest.mark.browser
def test_axe_reports_serious_violations() -> None:
    from build_tools.checks.axe import check_axe

    problems = check_axe(FIXTURES, [FIXTURES / "inaccessible.html"])
    rules = {p.message.split(":")[0] for p in problems}
    assert {
        "critical image-alt",
        "serious html-has-lang",
        "serious color-contrast",
        "serious label-content-name-mismatch",
    } <= rules, rules


def test_links_reports_broken_links_and_remote_resources() -> None:
    from build_tools.checks.links import check_html_links

    problems = {(p.where, p.message) for p in check_html_links(FIXTURES / "site")}
    assert problems == {
        ("index.html:4", "src='https://cdn.example.org/library.js' loads a remote resource"),
        (
            "index.html:11",
            (
                "href='_generated/chapter.html#no-such-section': "
                "no id 'no-such-section' in _generated/chapter.html"
            ),
        ),
        ("index.html:12", "href='_generated/missing.html': no such file"),
    }


def _plan(**expect: bool) -> JourneyPlan:
    return JourneyPlan(
        title="Korean War",
        slug="korean-war",
        chapter=("A chapter", "_generated/chapter.html"),
        query="Inchon",
        section=("Review", "_generated/chapter.html"),
        **expect,
    )


@pytest.mark.browser
def test_journeys_report_each_failed_step(tmp_path: Path) -> None:
    from build_tools.checks.journeys import check_journeys

    problems = check_journeys(FIXTURES / "site", _plan(), screenshots=tmp_path)
    failed = {p.where: p.message for p in problems}
    assert failed["front page"] == "the front page's heading is not 'Korean War'"
    assert failed["skip link"].startswith("the first Tab focuses")
    assert failed["table of contents"].startswith("the front page's contents has no link")
    assert failed["search 'Inchon'"] == "Ctrl+K does not open a search field"
    assert failed["downloads"] == "no 'Download EPUB' link on the front page"
    assert "a page requested a remote resource" in failed["https://cdn.example.org/library.js"]


@pytest.mark.browser
def test_journeys_glossary_and_solution(tmp_path: Path) -> None:
    """The optional parts' journeys, on a page that keeps the contract they rely on."""
    from build_tools.checks.journeys import check_journeys

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", site)
    plan = _plan(expect_glossary=True, expect_solutions=True)
    steps = ("glossary", "quiz", "solution")
    problems = check_journeys(site, plan, screenshots=tmp_path / "shots", steps=steps)
    assert problems == []
    assert {"06-glossary-hover.png", "07-quiz.png", "08-solution.png"} <= {
        path.name for path in (tmp_path / "shots").iterdir()
    }
    # without the parts, the journeys say so
    chapter = site / "_generated" / "chapter.html"
    text = chapter.read_text().replace("glossary-term", "plain").replace("Review", "Notes")
    chapter.write_text(text)
    problems = check_journeys(site, plan, screenshots=tmp_path, steps=steps)
    failed = {p.where: p.message for p in problems}
    assert failed["glossary tooltip"] == "the chapter has no glossary term link (a.glossary-term)"
    assert failed["quiz button"] == "the chapter has no section headed 'Review'"
    assert failed["solution toggle"] == "the chapter has no section headed 'Review'"


# -- PDF -------------------------------------------------------------------------


def write_pdf(path: Path, text: str) -> Path:
    """A one-page US Letter PDF with no metadata, no outline and an unembedded font."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_pdf_checks_report_each_fault(tmp_path: Path) -> None:
    from build_tools.checks.pdf import (
        check_pdf_bookmarks,
        check_pdf_fonts,
        check_pdf_info,
        check_pdf_text,
    )

    pdf = write_pdf(tmp_path / "bad.pdf", r"First Chapter **bold** {term}`war` \\u003c")
    assert [p.message for p in check_pdf_fonts(pdf)] == ["font not embedded: Helvetica"]
    info = [p.message for p in check_pdf_info(pdf, paper="a4")]
    assert info[0].startswith("page size 612 x 792 pts (letter), expected 595.28 x 841.89")
    assert info[1:] == [
        "no Title in the document information",
        "no Author in the document information",
    ]
    assert check_pdf_info(pdf, paper="letter")[0].message.startswith("no Title")
    chapters = ["First Chapter", "Second Chapter"]
    assert [p.message for p in check_pdf_bookmarks(pdf, chapters)] == [
        "no bookmark for the chapter 'First Chapter'",
        "no bookmark for the chapter 'Second Chapter'",
    ]
    text = [p.message for p in check_pdf_text(pdf, chapters)]
    assert text[0] == "chapter title not in the text: 'Second Chapter'"
    for label in ("**", "{term}", "a MyST role", "\\u escape"):
        assert any(message.startswith(f"literal {label}:") for message in text), label


def test_latex_log_reports_overfull_boxes_and_undefined_references(tmp_path: Path) -> None:
    from build_tools.checks.pdf import check_latex_log

    log = tmp_path / "book.log"
    log.write_text(
        "Overfull \\hbox (3.1pt too wide) in paragraph at lines 10--12\n"
        "[]\\TU/texgyrepagella(0)/m/n/10.95 harmless\n"
        "Overfull \\hbox (13.0263pt too wide) in paragraph at lines 443--443\n"
        "\\TU/texgyrepagella(0)/m/n/10.95 reinforcements) \n"
        # TeX wraps its log at 79 characters
        "LaTeX Warning: Reference `_generated/01-historical-background:ch-historical-bac\n"
        "kground' on page 3 undefined on input line 120.\n"
        "LaTeX Warning: There were undefined references.\n"
    )
    assert [(p.where, p.message) for p in check_latex_log(log)] == [
        (
            "book.tex:443",
            "overfull \\hbox, 13.0263pt: \\TU/texgyrepagella(0)/m/n/10.95 reinforcements)",
        ),
        (
            "book.log",
            "undefined reference '_generated/01-historical-background:ch-historical-background'",
        ),
        ("book.log", "There were undefined references"),
    ]
    assert check_latex_log(tmp_path / "none.log")[0].message == "no LaTeX log: was the PDF built?"


# -- the allow-list ----------------------------------------------------------------


def test_allowlist_accepts_matching_problems_only() -> None:
    entry = AllowEntry(
        check="vnu", where="_static/*", message=r"Bad value .* for attribute", reason="theme"
    )
    kept = Problem("vnu", "index.html:3:1", "Bad value “x” for attribute “y”")
    allowed = Problem("vnu", "_static/macros.html:9:2", "Bad value “x” for attribute “y”")
    other_check = Problem("axe", "_static/macros.html", "Bad value “x” for attribute “y”")
    remaining, accepted = apply_allowlist([kept, allowed, other_check], [entry])
    assert remaining == [kept, other_check]
    assert accepted == [(allowed, entry)]


def test_allowlist_file(tmp_path: Path) -> None:
    assert load_allowlist() == ()  # the repository's list is reviewed and empty
    path = tmp_path / "allowlist.yaml"
    path.write_text("entries:\n  - check: vnu\n    message: x\n")
    with pytest.raises(BuildError, match="entry 1 needs check, message and reason"):
        load_allowlist(path)
    path.write_text("entries:\n  - {check: vnu, message: x, reason: '  '}\n")
    with pytest.raises(BuildError, match="needs a reason"):
        load_allowlist(path)
    path.write_text("entries:\n  - {check: vnu, message: '(', reason: theme}\n")
    with pytest.raises(BuildError, match="entry 1"):
        load_allowlist(path)


@pytest.mark.requires_tex
def test_stale_allowlist_entry_fails(book: Book) -> None:
    stale = AllowEntry(check="links", message="never happens", reason="an old theme bug")
    report = run_checks(book, only=["links"], allowlist=[stale])
    assert report.results[0].passed
    assert report.unused == [stale]
    assert not report.passed


def test_search_journey_targets_a_word_of_any_article() -> None:
    """An article without our search word gets one of its own section titles' words."""
    from build_tools.article.seed import parse_seed
    from build_tools.checks.runner import _search_target

    article = parse_seed(
        "# The Airlift\n\nA lead.\n\n## Background\n\nText.\n\n### The Blockade Begins\n\n"
        "Words here.\n"
    )
    query, (title, page) = _search_target(article)
    assert query == "Blockade"
    assert title == "The Blockade Begins"
    assert page == f"_generated/{article.chapters[0].docname}.html"
