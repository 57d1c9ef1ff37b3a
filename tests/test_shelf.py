"""The shelf: every article its own book, built in parallel, one failing without the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_tools.checks.vnu import check_vnu
from build_tools.cli import main
from build_tools.pipeline.inputs import load_article
from build_tools.pipeline.shelf import ShelfBook, find_articles, render_index
from build_tools.util.errors import BuildError

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_index_escapes_titles_and_errors() -> None:
    page = render_index(
        [
            ShelfBook("a", "<script>alert(1)</script> & Co", 1, (("EPUB", "a/epub/a.epub"),)),
            ShelfBook("b", "b", error="b.md:3: a <b>bad</b> line"),
        ]
    )
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("script") is None
    assert soup.find("h2").get_text() == "<script>alert(1)</script> & Co"
    assert "1 chapter" in soup.find("p", class_="meta").get_text()
    assert soup.find("pre", class_="error").get_text() == "b.md:3: a <b>bad</b> line"
    assert "1 of 2 books built" in soup.get_text()


def test_articles_of_a_folder(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no article"):
        find_articles(tmp_path)
    for name in ("b.md", "a.md", "README.md", "a.glossary.yaml"):
        (tmp_path / name).write_text("# T\n")
    assert [path.name for path in find_articles(tmp_path)] == ["a.md", "b.md"]
    assert [path.name for path in find_articles(tmp_path, ["b"])] == ["b.md"]
    with pytest.raises(BuildError, match="no article named c"):
        find_articles(tmp_path, ["c"])


def test_a_shelf_of_three_with_one_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("berlin-airlift.md", "crimean-war.md"):
        shutil.copy(FIXTURES / name, seeds / name)
    (seeds / "broken.md").write_text("# Broken\n\nA lead.\n\n# A second title\n")
    out = tmp_path / "shelf"
    args = ["shelf", "--seeds", str(seeds), "--out", str(out), "-j", "2", "--formats", "html"]
    assert main(args) == 1  # one book failed: the others were built all the same
    printed = capsys.readouterr()
    assert "1 book(s) failed: broken" in printed.err
    assert "broken.md:5: a second '#' title" in printed.out

    index = out / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    books = {item["id"]: item for item in soup.select("li.book")}
    assert list(books) == ["berlin-airlift", "broken", "crimean-war"]
    for slug in ("berlin-airlift", "crimean-war"):
        assert books[slug].h2.get_text() == load_article(seeds / f"{slug}.md").title
    assert "5 chapters" in books["crimean-war"].get_text()
    assert "4 chapters" in books["berlin-airlift"].get_text()
    for slug in ("berlin-airlift", "crimean-war"):
        links = {a.get_text(): a["href"] for a in books[slug].select("a")}
        assert links == {
            "Read online": f"{slug}/html/index.html",
            "Offline site (zip)": f"{slug}/{slug}-html.zip",
        }
        assert all((out / href).is_file() for href in links.values())
    assert "broken.md:5" in books["broken"].select_one("pre.error").get_text()
    assert not (out / "broken" / "html").exists()
    assert check_vnu([index], root=out) == []

    before = index.read_bytes()
    index.unlink()
    assert main(["shelf", "--out", str(out), "--index-only"]) == 0  # as CI's last job does
    assert index.read_bytes() == before
