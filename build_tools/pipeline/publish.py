"""Publish a build: its outputs staged beside the current ones, then swapped in; its lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from build_tools.pipeline.config import CLASSROOM_FOLDERS, BuildConfig, Target
from build_tools.util.errors import BuildError


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for one build.

    :param out: the output folder
    :raises BuildError: if another build holds it
    """
    out.mkdir(parents=True, exist_ok=True)
    handle = (out / ".lock").open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                "another build is running in this output folder; wait for it to finish",
                path=str(out),
            ) from None
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt, so cleanup runs as for Ctrl-C."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """An empty ``<out>/.staging`` for the new outputs, removed afterwards whatever happens.

    :param out: the output folder
    :return: the staging folder (a context manager)
    """
    staging = out / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def stage_outputs(
    config: BuildConfig,
    targets: list[Target],
    exports: dict[str, str | bytes],
    worksheets: Path | None,
    staging: Path,
) -> None:
    """Stage the new outputs: the books, the data exports, the worksheets, the HTML site.

    :param config: the build's configuration
    :param targets: the Sphinx targets built
    :param exports: the data exports (see :data:`CLASSROOM_FOLDERS`)
    :param worksheets: the folder of finished worksheets and keys (None: no exercises)
    :param staging: the staging folder
    """
    work, out, slug = config.work, config.out, config.slug
    for target in targets:
        if target.builder == "epub":
            name = f"{slug}.epub"
            _publish(work / "epub" / name, staging / "epub" / name, out / "epub" / name)
        elif target.builder in {"latex", "typst"}:  # Typst writes its PDFs in Sphinx
            for name in config.pdf_names(target):
                _publish(work / target.name / name, staging / "pdf" / name, out / "pdf" / name)
    for name, data in sorted(exports.items()):
        # quizzes and posters get folders of their own: _build/lms/, _build/posters/
        classroom = name.partition("/")[0] in CLASSROOM_FOLDERS
        path = staging / name if classroom else staging / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if worksheets is not None:
        for path in sorted(worksheets.iterdir()):
            _link(path, staging / "worksheets" / path.name)
    if "html" in config.formats:
        _stage_html(config, staging)


def _stage_html(config: BuildConfig, staging: Path) -> None:
    """Stage the HTML site, with the downloads: student books, data and classroom files.

    :param config: the build's configuration
    :param staging: the staging folder, with the other outputs staged already
    """
    work, slug = config.work, config.slug
    for path in sorted((work / "html").rglob("*")):
        relative = path.relative_to(work / "html")
        if path.is_file() and not {".buildinfo", ".buildinfo.bak", ".doctrees"} & {*relative.parts}:
            _publish(path, staging / "html" / relative, config.out / "html" / relative)
    downloads = staging / "html" / "downloads"
    # the student editions only: the answer key stays with the teacher
    for kind in ("epub", "pdf"):
        fresh = staging / kind / f"{slug}.{kind}"
        previous = config.out / kind / f"{slug}.{kind}"
        source = fresh if fresh.exists() else previous
        if source.exists():
            _link(source, downloads / f"{slug}.{kind}")
    # the data exports, linked from the pages; worksheets, quizzes, posters
    for folder in ("data", *CLASSROOM_FOLDERS):
        if (staging / folder).is_dir():
            copy = staging / "html" / "data" if folder == "data" else downloads / folder
            shutil.copytree(staging / folder, copy, copy_function=os.link)


def swap(out: Path, staging: Path) -> list[Path]:
    """Replace each output folder by its staged copy, one rename each.

    :param out: the output folder
    :param staging: the staging folder
    :return: the outputs to report: the site's front page, every other folder's files
    """
    outputs: list[Path] = []
    for path in sorted(staging.iterdir()):
        target = out / path.name
        old = out / f".old-{path.name}"
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            target.replace(old)
        path.replace(target)
        if old.exists():
            shutil.rmtree(old)
        if path.name == "html":
            outputs.append(target / "index.html")
        else:
            outputs += sorted(p for p in target.iterdir() if p.is_file())
    return outputs


def _link(source: Path, target: Path) -> None:
    """Hard-link a published file (or a staged one) to a second place among the outputs."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.link(source, target)


def _publish(source: Path, target: Path, previous: Path) -> None:
    """Stage a file of a working folder: a copy, or a link to its unchanged published copy.

    The working folders are rewritten in place by the next build; the published
    outputs never are (a build replaces them whole, by renaming), so a staged
    file may share the published file's bytes. A copy keeps the source's
    modification time: the same size and time mean the same file.

    :param source: the file Sphinx or LaTeX wrote
    :param target: its place in the staging folder
    :param previous: its place among the current outputs (may be missing)
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        old, new = previous.stat(), source.stat()
        if (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns):
            os.link(previous, target)
            return
    shutil.copy2(source, target)
