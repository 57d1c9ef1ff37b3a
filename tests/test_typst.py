"""The Typst PDF route (build_tools/sphinx_ext/typst): escaping, the translator, two builds."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pytest
import typst
from conftest import FIXTURES, SEED
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from pypdf import PdfReader
from sphinx import addnodes
from test_book import TITLES, _squeeze

from build_tools.checks.pdf import (
    check_pdf_bookmarks,
    check_pdf_fonts,
    check_pdf_info,
    check_pdf_text,
)
from build_tools.cli import main
from build_tools.pipeline.config import Report
from build_tools.sphinx_ext.typst.builder import TEMPLATE
from build_tools.sphinx_ext.typst.markup import escape, index_group, label, sort_key, string
from build_tools.sphinx_ext.typst.translator import TypstTranslator

#: Typst's own syntax, as an article could hold it: printed, never evaluated.
HOSTILE = [
    '#import "/etc/passwd": *',
    '#read("/etc/passwd")',
    "$x^2$",
    "<label>",
    "@ref",
    "*strong* _emph_ `code`",
    "= heading",
    "- item",
    "+ item",
    "/ Term: text",
    "1. item",
    "// comment /* block */",
    "a \\ b ~ c -- d --- e ... f",
    "'single' \"double\"",
    "http://example.org/x",
    "[a] {b} #{1} #(1)",
    '#panic("boom")',
    "\\u{41} \\#",
]


def _page_text(pdf: Path) -> str:
    """A Typst PDF's text without its running heads and page numbers, pages joined."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    kept: list[str] = []
    for page in text.split("\f"):
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        if lines and re.fullmatch(r"[0-9ivxlc]+", lines[-1]):
            lines = lines[:-1]  # the page number
        # the running head: the chapter (number and title), then the book's short title
        if len(lines) > 1 and lines[1] == "Korean War":
            lines = lines[2:]
        elif lines and lines[0].endswith(" Korean War"):
            lines = lines[1:]
        kept += lines
    return "\n".join(kept)


def _text_of(pdf: bytes) -> str:
    from io import BytesIO

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return text.replace("\xa0", " ")


@pytest.mark.parametrize("text", HOSTILE)
def test_escape_prints_typst_syntax_literally(text: str) -> None:
    source = f"#set page(width: 30cm, height: auto)\n{escape(text)}\n"
    pdf = typst.compile(source.encode(), format="pdf", ignore_system_fonts=False)
    assert isinstance(pdf, bytes)
    assert _text_of(pdf).split() == text.split()


def test_escape_drops_bidi_controls_so_no_text_prints_reversed() -> None:
    # an override (U+202E) would make Typst print the rest of the line right to left
    text = "the war\u202e happened. Then \u2067treaty\u2069 army\u200f#1 river."
    source = f"#set page(width: 30cm, height: auto)\n{escape(text)}\n"
    pdf = typst.compile(source.encode(), format="pdf", ignore_system_fonts=False)
    assert isinstance(pdf, bytes)
    assert _text_of(pdf).split() == [
        "the",
        "war",
        "happened.",
        "Then",
        "treaty",
        "army#1",
        "river.",
    ]


def test_string_and_label_are_safe() -> None:
    value = 'a "b" \\c\nd\x01'
    source = f"#set page(width: 30cm, height: auto)\n#{string(value)}\n"
    pdf = typst.compile(source.encode(), format="pdf")
    assert isinstance(pdf, bytes)
    assert _text_of(pdf).split() == ["a", '"b"', "\\c", "d\x01"]  # the same characters
    assert label("_generated/x", "term-38th parallel") == (
        "<r:_5f_generated_2f_x:term-38th_20_parallel>"
    )
    assert label("a", "b-c") != label("a-b", "c")


def test_index_order_numbers_first_by_value_accents_ignored() -> None:
    terms = ["sōshi-kaimei", "38th parallel", "Seoul", "8th Army", "armistice", "Éclair"]
    assert sorted(terms, key=sort_key) == [
        "8th Army",
        "38th parallel",
        "armistice",
        "Éclair",
        "Seoul",
        "sōshi-kaimei",
    ]
    assert [index_group(term) for term in ("38th parallel", "Éclair", "sōshi")] == ["0–9", "E", "S"]


# -- the translator on small trees ----------------------------------------------------------


def _translate(document: nodes.document, **env: object) -> str:
    builder = SimpleNamespace(
        config=SimpleNamespace(root_doc="index"),
        env=SimpleNamespace(
            domains=SimpleNamespace(),
            toc_secnumbers=env.get("secnumbers", {}),
            toc_fignumbers=env.get("fignumbers", {}),
        ),
        images={},
    )
    visitor = TypstTranslator(document, builder)  # type: ignore[arg-type]
    document.walkabout(visitor)
    return visitor.astext()


def _document() -> nodes.document:
    return new_document("<test>", get_default_settings(Parser))  # type: ignore[arg-type]


def _chapter(document: nodes.document, docname: str, title: str) -> nodes.section:
    root = nodes.section(ids=["book"])
    root += nodes.title(text="Book")
    document += root
    start = addnodes.start_of_file(docname=docname)
    root += start
    chapter = nodes.section(ids=["ch"])
    chapter += nodes.title(text=title)
    start += chapter
    return chapter


def _compile(tmp_path: Path, body: str) -> str:
    (tmp_path / "book.typ").write_bytes(TEMPLATE.read_bytes())
    (tmp_path / "main.typ").write_text(
        '#import "book.typ": *\n#show: book.with(title: [T], paper: "a5")\n' + body,
        encoding="utf-8",
    )
    pdf = typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path))
    assert isinstance(pdf, bytes)
    return _text_of(pdf)


def test_headings_carry_sphinx_numbers_and_labels(tmp_path: Path) -> None:
    document = _document()
    chapter = _chapter(document, "_generated/03-war", "Course #of the War")
    section = nodes.section(ids=["sec-inchon"])
    section += nodes.title(text="Inchon $landing$")
    section += nodes.paragraph(text="Text <label> @ref.")
    chapter += section
    secnumbers = {"_generated/03-war": {"": (3,), "#sec-inchon": (3, 2)}}
    source = _translate(document, secnumbers=secnumbers)
    assert "#heading(level: 1, supplement: [3])[Course \\#of the War] <r:" in source
    assert "#heading(level: 2, supplement: [3\\.2])[Inchon \\$landing\\$]" in source
    assert label("_generated/03-war", "sec-inchon") in source
    assert "Book" not in source  # the book's title is on the title page
    text = _compile(tmp_path, source)
    assert "Course #of the War" in text
    assert "3.2" in text
    assert "Inchon $landing$" in text
    assert "Text <label> @ref." in text


def test_tables_have_widths_a_repeated_head_and_a_caption(tmp_path: Path) -> None:
    document = _document()
    chapter = _chapter(document, "doc", "Chapter")
    table = nodes.table(ids=["table-forces"])
    table += nodes.title(text="Forces *at* the start")
    group = nodes.tgroup(cols=2)
    table += group
    group += [nodes.colspec(colwidth=30), nodes.colspec(colwidth=70)]
    head, body = nodes.thead(), nodes.tbody()
    group += [head, body]
    rows = [("Side", "Troops"), ("North #1", "135,000 $"), ("South", "[98,000]")]
    for number, cells in enumerate(rows):
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=cell)
            row += entry
        (head if number == 0 else body).append(row)
    chapter += table
    fignumbers = {"doc": {"table": {"table-forces": (4, 1)}}}
    source = _translate(document, fignumbers=fignumbers)
    assert "#book-table(columns: (30fr, 70fr,), caption: [Forces \\*at\\* the start]" in source
    assert 'number: "4.1"' in source
    assert "header: ([Side], [Troops], )" in source
    text = _compile(tmp_path, source)
    assert "Table 4.1: Forces *at* the start" in text
    assert "North #1" in text
    assert "135,000 $" in text
    assert "[98,000]" in text


def test_figures_are_numbered_with_caption_and_legend(tmp_path: Path) -> None:
    document = _document()
    chapter = _chapter(document, "doc", "Chapter")
    figure = nodes.figure(ids=["fig-map"])
    figure += nodes.image(uri="map.png")
    figure += nodes.caption(text="Where it #happened")
    legend = nodes.legend()
    legend += nodes.paragraph(text="Map data: public domain.")
    figure += legend
    chapter += figure
    fignumbers = {"doc": {"figure": {"fig-map": (3, 1)}}}
    source = _translate(document, fignumbers=fignumbers)
    assert 'book-figure(book-image("map.png"), caption: [Where it \\#happened]' in source
    assert 'number: "3.1"' in source
    assert "legend: [Map data: public domain\\.]" in source
    from PIL import Image

    Image.new("RGB", (40, 20), "gray").save(tmp_path / "map.png")
    text = _compile(tmp_path, source)
    assert "Figure 3.1: Where it #happened" in text
    assert "Map data: public domain." in text


def test_index_marks_and_anchors_add_no_space(tmp_path: Path) -> None:
    # a term after an opening bracket printed "( term)": the mark's markup held a space
    document = _document()
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("names (")
    paragraph += nodes.inline("", "term", ids=["here"])
    paragraph += nodes.Text(") end")
    chapter = _chapter(document, "ch", "Chapter")
    chapter += paragraph
    body = _translate(document)
    text = _compile(tmp_path, body + '\n\nsee (#book-mark("term")term) too')
    flat = " ".join(text.split())
    assert "names (term) end" in flat, flat
    assert "see (term) too" in flat, flat


def test_raw_nodes_never_reach_typst() -> None:
    document = _document()
    chapter = _chapter(document, "doc", "Chapter")
    chapter += nodes.raw("", '#read("/etc/passwd")', format="typst")
    chapter += nodes.raw("", "\\input{/etc/passwd}", format="latex")
    assert "passwd" not in _translate(document)


# -- builds -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def typst_book(built_book: tuple[Path, Report]) -> tuple[Path, Report]:
    """The seed's PDF editions compiled by Typst (the default engine)."""
    return built_book


def test_typst_editions_pass_the_pdf_checks(typst_book: tuple[Path, Report]) -> None:
    out, report = typst_book
    # both editions from one Sphinx run
    assert [name for name, _, _ in report.stages if name.startswith("typst")] == ["typst"]
    for name in ("korean-war.pdf", "korean-war-teacher.pdf"):
        pdf = out / "pdf" / name
        assert PdfReader(pdf).metadata["/Creator"].startswith("Typst")
        problems = check_pdf_fonts(pdf) + check_pdf_info(pdf, paper="a4", title="Korean War")
        problems += check_pdf_bookmarks(pdf, TITLES) + check_pdf_text(pdf, TITLES)
        assert problems == [], name
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        for family in ("TeXGyrePagella", "TeXGyreHeros", "NotoSerifCJKkr"):
            assert family in fonts, (name, family)
    info = PdfReader(out / "pdf" / "korean-war-teacher.pdf").metadata
    assert info["/Title"] == "Korean War: Teacher's Edition"


def test_typst_student_edition_has_no_answers(typst_book: tuple[Path, Report]) -> None:
    out, _ = typst_book
    data = json.loads((out / "data" / "exercises.json").read_text(encoding="utf-8"))
    shown = [SEED.read_text(encoding="utf-8")]
    secrets: list[str] = []
    for exercise in data["exercises"]:
        shown.append(str(exercise["prompt"]))
        options = exercise["options"]
        values = options.values() if isinstance(options, dict) else [options]
        shown += [str(option) for group in values for option in group]
        keys = ("explanation", "correction", "model_answer", "guidance")
        secrets += [str(exercise[key]) for key in keys if key in exercise]
        secrets += [str(point) for point in exercise.get("marking_points", [])]
    visible = _squeeze(" ".join(shown))
    secrets = [secret for secret in secrets if _squeeze(secret) not in visible]
    assert len(secrets) > 100
    student = _squeeze(_page_text(out / "pdf" / "korean-war.pdf"))
    teacher = _squeeze(_page_text(out / "pdf" / "korean-war-teacher.pdf"))
    assert [secret for secret in secrets if _squeeze(secret) in student] == []
    assert [secret for secret in secrets if _squeeze(secret) not in teacher] == []
    for words in ("guidancefortheteacher", "markingpoints", "modelanswer", "answerkey"):
        assert words not in student, words
        assert words in teacher, words
    assert "writeyouranswersinthespacesprovided" in student


def test_typst_index_gives_pages_of_use_and_definition(typst_book: tuple[Path, Report]) -> None:
    out, _ = typst_book
    pdf = out / "pdf" / "korean-war.pdf"
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    # the first page headed Index after the contents (the later ones have it as running head)
    start = min(n for n, page in enumerate(pages) if n > 3 and page.lstrip().startswith("Index"))
    index = " ".join(" ".join(pages[start:]).split())
    # a term starting with a number sorts first, under 0–9, with its pages
    assert index.index("0–9") < index.index("38th parallel") < index.index("armistice")
    match = re.search(r"38th parallel, ([\d–, ]+)", index)
    assert match
    assert len(re.findall(r"\d+", match.group(1))) >= 5
    # bold page numbers (the definition) link into the glossary
    reader = PdfReader(pdf)
    links = sum(
        1
        for page in reader.pages[start:]
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/Subtype") == "/Link"
    )
    assert links > 100


def test_typst_pdf_is_reproducible(typst_book: tuple[Path, Report]) -> None:
    out, _ = typst_book
    folder = out / ".work" / "pdf"
    again = typst.compile(
        str(folder / "korean-war.typ"),
        root=str(folder),
        font_paths=[str(folder / "fonts")],
        ignore_system_fonts=True,
        timestamp=1700000000,
    )
    assert again == (out / "pdf" / "korean-war.pdf").read_bytes()


def test_typst_syntax_in_an_article_prints_literally_on_letter(tmp_path: Path) -> None:
    out = tmp_path / "out"
    seed = FIXTURES / "hostile-typst.md"
    args = ["build", "--seed", str(seed), "--out", str(out), "--formats", "pdf"]
    assert main([*args, "--paper", "letter", "--pdf-engine", "typst"]) == 0
    pdf = out / "pdf" / "hostile-typst.pdf"
    assert check_pdf_info(pdf, paper="letter") == []
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.replace("\xad", "").replace("\u200b", "").split())
    for literal in (
        '#read("/etc/passwd")',
        '#import "/etc/passwd"',
        "$x^2 + 1$",
        "a <label> and @ref",
        '#panic("boom")',
        "\\u{41}",
        '#read("/etc/hostname")',
        "= not a heading",
        "/ Term: not a term",
        "In 1950. not a list, and - not a list + not a list",
        "#let x = 1",
        "// comment and /* block */",
        "'straight' \"quotes\" -- dashes ... dots",
    ):
        assert literal in flat, literal
    assert "root:" not in text  # /etc/passwd was never read
    squeezed = unicodedata.normalize("NFKC", "".join(text.split()))
    for word in ("מלחמתקוריאה", "한국전쟁", "抗美援朝", "朝鮮戦争"):
        assert word in squeezed or word[::-1] in squeezed, word
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    for family in ("NotoSerifHebrew", "NotoNaskhArabic", "NotoSerifCJK"):
        assert family in fonts, family
    assert pdf.stat().st_size > 10_000


def test_latex_sets_hebrew_in_a_hebrew_font() -> None:
    """The LaTeX route too: Noto Naskh Arabic has no Hebrew letters (seen as blanks)."""
    from build_tools.sphinx_ext.scripts import LATEX_PREAMBLE, split_text

    parts = split_text("Hebrew מלחמת קוריאה and Arabic الحرب")
    assert parts is not None
    latex = "".join(
        part.astext() if isinstance(part, nodes.raw) else f"<{part.astext()}>" for part in parts
    )
    # the Hebrew run in the Hebrew font, inside its right-to-left wrapper; Arabic in Naskh
    assert "\\bookrtl{{\\bookhebrewfont <מלחמת>}< >{\\bookhebrewfont <קוריאה>}}" in latex
    assert latex.endswith("\\bookrtl{<الحرب>}")
    assert "Noto Serif Hebrew" in LATEX_PREAMBLE


def _sphinx_typst(
    tmp_path: Path, documents: list[tuple[str, ...]], pages: dict[str, str]
) -> tuple[int, str]:
    """Build a small Sphinx project with the Typst builder (in its own process): status, log."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinx_exercise', 'build_tools.sphinx_ext']\n"
        f"typst_documents = {documents!r}\n",
        encoding="utf-8",
    )
    for name, text in pages.items():
        (source / name).write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-b", "typst", "-W", "--keep-going", "-q"]
    result = subprocess.run(
        [*command, str(source), str(tmp_path / "out")], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


def test_an_edition_written_beside_another_reports_its_failure(tmp_path: Path) -> None:
    # every edition but the last is written in a forked process: its failure fails the build
    documents = [
        ("nowhere", "a.pdf", "A", "Me", "student"),
        ("index", "b.pdf", "B", "Me", "teacher"),
    ]
    status, log = _sphinx_typst(tmp_path, documents, {"index.rst": "Title\n=====\n\nText.\n"})
    assert status != 0
    assert "Typst failed on the student edition" in log
    assert "nowhere" in log
    assert (tmp_path / "out" / "b.pdf").is_file()  # the other edition was written


def test_a_warning_of_an_edition_written_beside_another_fails_the_build(tmp_path: Path) -> None:
    pages = {
        "index.rst": "Title\n=====\n\nText.\n",
        "other.rst": ":orphan:\n\nOther\n=====\n\nSee :ref:`nowhere`.\n",
    }
    # the student's edition (forked) warns, the teacher's (this process) does not
    documents = [("other", "a.pdf", "A", "Me", "student"), ("index", "b.pdf", "B", "Me", "teacher")]
    status, log = _sphinx_typst(tmp_path, documents, pages)
    assert log.count("undefined label: 'nowhere'") == 1, log
    assert status != 0  # -W: the forked edition's warning counts
    assert (tmp_path / "out" / "a.pdf").is_file()
    assert (tmp_path / "out" / "b.pdf").is_file()
