"""The command line, called in-process: exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, write_article

from build_tools.cli import main


def test_missing_seed_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", "--seed", str(tmp_path / "nope.md"), "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "nope.md: file not found" in err
    assert "Traceback" not in err


def test_bad_shape_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = write_article(tmp_path, "# T\n\n## C\n\n#### Too deep\n\nText.\n")
    assert main(["build", "--seed", str(seed), "--out", str(tmp_path / "o")]) == 2
    assert "article.md:5: heading level 4" in capsys.readouterr().err
    assert not (tmp_path / "o" / "html").exists()


def test_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = write_article(tmp_path, MINIMAL)
    code = main(["build", "--seed", str(seed), "--out", str(tmp_path / "o"), "--formats", "doc"])
    assert code == 2
    assert "unknown format(s) doc" in capsys.readouterr().err


def test_html_build_prints_stages_and_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = write_article(tmp_path, MINIMAL, name="small-war.md")
    out = tmp_path / "o"
    assert main(["build", "--seed", str(seed), "--out", str(out), "--formats", "html"]) == 0
    printed = capsys.readouterr().out
    for stage in ("parse", "render", "html"):
        assert f"  {stage} " in printed
    assert str(out / "html" / "index.html") in printed
    page = (out / "html" / "_generated" / "01-first-chapter.html").read_text()
    assert "Opening Section" in page
    # nothing else was asked for, so nothing else was built
    assert not (out / "epub").exists()
    assert not (out / "pdf").exists()


def test_unchanged_inputs_start_no_tool(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = write_article(tmp_path, MINIMAL, name="small-war.md")
    args = ["build", "--seed", str(seed), "--out", str(tmp_path / "o"), "--formats", "html"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "nothing changed" in printed
    assert "  html " not in printed
    # one changed word of the article: Sphinx runs again
    seed.write_text(MINIMAL.replace("The last paragraph.", "The final paragraph."))
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "  html " in printed
    page = tmp_path / "o" / "html" / "_generated" / "02-second-chapter.html"
    assert "The final paragraph." in page.read_text()
