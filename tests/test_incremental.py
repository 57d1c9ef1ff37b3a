"""What makes a rebuild fast: Sphinx started early, outputs linked rather than copied."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from build_tools.pipeline.processes import (
    assign,
    finish,
    release,
    sphinx_command,
    start_workers,
    stop,
)
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
    zygote, (idle, busy) = start_workers(2)
    assign(idle, command)  # Sphinx is set up: configuration, extensions
    release(idle, build=False)  # the source did not change
    result = finish(idle)
    assert result.ok, result.output
    assert not (tmp_path / "out" / "index.html").exists()

    assign(busy, command)
    (source / "index.md").write_text("# Title\n\nText written after Sphinx was set up.\n")
    release(busy, build=True)
    result = finish(busy)
    assert result.ok, result.output
    assert "written after Sphinx was set up" in (tmp_path / "out" / "index.html").read_text()
    stop(zygote)


def test_forked_workers_build_apart_after_one_import(tmp_path: Path) -> None:
    source = _project(tmp_path)
    failing = tmp_path / "failing"
    failing.mkdir()
    broken = _project(failing)
    (broken / "index.md").write_text("# Title\n\n{ref}`nowhere`\n")
    zygote, (idle, busy, failed) = start_workers(3)
    pids = {worker.pid for worker in (idle, busy, failed)}
    assert len(pids) == 3
    assert zygote.pid not in pids
    for pid in pids:  # each in a process group of its own: stopped apart from the others
        assert os.getpgid(pid) == pid
    assign(idle, sphinx_command("html", source, tmp_path / "idle", tmp_path / "d1"))
    assign(busy, sphinx_command("html", source, tmp_path / "busy", tmp_path / "d2"))
    assign(failed, sphinx_command("html", broken, failing / "out", failing / "d"))
    release(idle, build=False)
    release(busy, build=True)
    release(failed, build=True)
    assert finish(idle).ok
    assert not (tmp_path / "idle" / "index.html").exists()
    result = finish(busy)
    assert result.ok, result.output
    assert "Some text." in (tmp_path / "busy" / "index.html").read_text()
    result = finish(failed)
    assert not result.ok
    assert "nowhere" in result.output
    assert zygote.wait(timeout=30) == 0  # it ends with the last of its workers
    stop(zygote)  # as the pipeline does: closes its output


def test_a_forked_worker_waiting_is_stopped(tmp_path: Path) -> None:
    source = _project(tmp_path)
    zygote, (worker,) = start_workers(1)
    assign(worker, sphinx_command("html", source, tmp_path / "out", tmp_path / "doctrees"))
    assert worker.poll() is None  # set up, waiting for the word to build
    stop(worker)
    assert worker.poll() == -signal.SIGTERM
    assert zygote.wait(timeout=30) == 0
    stop(zygote)
    assert not (tmp_path / "out" / "index.html").exists()


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


def _site(out: Path) -> tuple[set[str], set[str], set[str]]:
    """The HTML pages, the search index's documents and the EPUB's members of a build."""
    import json
    import zipfile

    html = out / "html"
    pages = {str(path.relative_to(html)) for path in html.rglob("*.html")}
    index = (html / "searchindex.js").read_text(encoding="utf-8")
    docnames = set(json.loads(index[index.index("(") + 1 : index.rindex(")")])["docnames"])
    with zipfile.ZipFile(next((out / "epub").glob("*.epub"))) as epub:
        members = set(epub.namelist())
    return pages, docnames, members


def test_a_removed_or_renamed_chapter_leaves_no_stale_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from build_tools.pipeline.build import run_build
    from build_tools.pipeline.config import BuildConfig

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "crimean-war.md"
    text = (Path(__file__).parent / "fixtures" / "crimean-war.md").read_text(encoding="utf-8")
    seed.write_text(text, encoding="utf-8")
    config = BuildConfig(seed=seed, out=tmp_path / "out", formats=("html", "epub"))
    run_build(config)
    before = _site(config.out)
    assert any("the-peace" in page for page in before[0])

    # the last chapter deleted, the second one renamed: a new build in the same folder
    edited = text[: text.index("\n## The Peace")] + "\n"
    edited = edited.replace("## The War at Sea and on the Danube", "## The Naval War")
    seed.write_text(edited, encoding="utf-8")
    run_build(config)
    incremental = _site(config.out)

    clean = BuildConfig(seed=seed, out=tmp_path / "clean", formats=("html", "epub"))
    run_build(clean)
    assert incremental == _site(clean.out)
    pages, docnames, members = incremental
    for gone in ("the-peace", "the-war-at-sea"):
        assert not [page for page in pages if gone in page]
        assert not [name for name in docnames if gone in name]
        assert not [name for name in members if gone in name]
    assert any("the-naval-war" in name for name in docnames)
