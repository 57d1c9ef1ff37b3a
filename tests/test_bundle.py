"""The offline bundle: the site as one reproducible zip that works opened from the disk."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import SEED

from build_tools.checks.journeys import STEPS, check_journeys
from build_tools.checks.runner import Book
from build_tools.pipeline.bundle import write_bundle
from build_tools.pipeline.config import Report


def test_the_same_site_gives_the_same_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "index.html").write_text("<p>front</p>")
    (site / "_static" / "a.js").write_text("var a;")
    first = write_bundle(site, tmp_path / "one" / "book-html.zip")
    (site / "index.html").touch()  # a newer time, the same bytes
    second = write_bundle(site, tmp_path / "two" / "book-html.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as bundle:
        infos = bundle.infolist()
    assert [info.filename for info in infos] == ["book-html/_static/a.js", "book-html/index.html"]
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    assert not list(first.parent.glob(".*"))  # no partial file left beside it


@pytest.mark.browser
def test_the_bundle_works_from_file_urls(built_book: tuple[Path, Report], tmp_path: Path) -> None:
    out, report = built_book
    bundle = out / "korean-war-html.zip"
    assert bundle in report.outputs
    with zipfile.ZipFile(bundle) as opened:
        names = opened.namelist()
        assert "korean-war-html/index.html" in names
        assert "korean-war-html/searchindex.js" in names
        opened.extractall(tmp_path)
    site = tmp_path / "korean-war-html"
    plan = Book.from_seed(out, SEED, paper="a4").plan
    assert plan.expect_glossary and plan.expect_solutions
    steps = [step for step in STEPS if step != "downloads"]  # downloads are an HTTP journey
    problems = check_journeys(
        site, plan, screenshots=tmp_path / "shots", steps=steps, base=site.as_uri() + "/"
    )
    assert problems == []
    assert (tmp_path / "shots" / "03-search.png").exists()  # the search ran from the disk
