"""Same input, same bytes: two builds of one article in two folders, compared file by file."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, write_article

from build_tools.cli import main


def _build(seed: Path, out: Path) -> None:
    assert main(["build", "--seed", str(seed), "--out", str(out), "--formats", "html,epub"]) == 0


def test_epub_bytes_do_not_depend_on_when_or_where_it_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    seed = write_article(tmp_path, MINIMAL)
    _build(seed, tmp_path / "first")
    # files written a few seconds later carry other modification times
    os.utime(seed, (time.time() + 5, time.time() + 5))
    time.sleep(2.1)  # a zip's clock ticks in two-second steps
    _build(seed, tmp_path / "second")
    first = (tmp_path / "first" / "epub" / "article.epub").read_bytes()
    second = (tmp_path / "second" / "epub" / "article.epub").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "first" / "epub" / "article.epub") as epub:
        infos = epub.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED  # EPUB OCF: first, uncompressed
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
