"""What makes a rebuild fast: Sphinx started early, outputs linked rather than copied."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_tools.pipeline.processes import assign, finish, release, sphinx_command, start_worker
from build_tools.pipeline.publish import _publish


def _project(folder: Path) -> Path:
    source = folder / "src"
    source.mkdir()
    (source / "conf.py").write_text('project = "T"\nextensions = ["myst_parser"]\n')
    (source / "index.md").write_text("# Title\n\nSome text.\n")
    return source


def test_worker_builds_when_told_and_exits_when_not(tmp_path: Path) -> None:
    source = _project(tmp_path)
    command = sphinx_command("html", source, tmp_path / "out", tmp_path / "doctrees")
    idle = start_worker()
    assign(idle, command)  # Sphinx is set up: configuration, extensions
    release(idle, build=False)  # the source did not change
    result = finish(idle)
    assert result.ok, result.output
    assert not (tmp_path / "out" / "index.html").exists()

    busy = start_worker()
    assign(busy, command)
    (source / "index.md").write_text("# Title\n\nText written after Sphinx was set up.\n")
    release(busy, build=True)
    result = finish(busy)
    assert result.ok, result.output
    assert "written after Sphinx was set up" in (tmp_path / "out" / "index.html").read_text()


def test_worker_reports_sphinx_failures(tmp_path: Path) -> None:
    source = _project(tmp_path)
    (source / "index.md").write_text("# Title\n\n{ref}`nowhere`\n")
    worker = start_worker()
    assign(worker, sphinx_command("html", source, tmp_path / "out", tmp_path / "doctrees"))
    release(worker, build=True)
    result = finish(worker)
    assert not result.ok
    assert "nowhere" in result.output


def test_unchanged_outputs_are_linked_changed_ones_copied(tmp_path: Path) -> None:
    work, published, staging = tmp_path / "work", tmp_path / "out", tmp_path / "staging"
    work.mkdir()
    (work / "page.html").write_text("same")
    published.mkdir()
    shutil.copy2(work / "page.html", published / "page.html")
    _publish(work / "page.html", staging / "page.html", published / "page.html")
    assert (staging / "page.html").samefile(published / "page.html")  # no bytes copied

    (work / "page.html").write_text("changed")  # Sphinx rewrites its file in place
    _publish(work / "page.html", staging / "again.html", published / "page.html")
    assert (staging / "again.html").read_text() == "changed"
    assert not (staging / "again.html").samefile(work / "page.html")
    # the published file, shared with the first staged copy, was never touched
    assert (published / "page.html").read_text() == "same"
    assert (published / "page.html").stat().st_nlink == 2
