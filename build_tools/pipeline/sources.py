"""Write the Sphinx and LaTeX source folders: ``book/`` mirrored, then the rendered pages.

Only files whose bytes changed are written, so Sphinx and LaTeX see what changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from pathlib import Path

from build_tools.article.model import Article
from build_tools.article.render import BookInfo
from build_tools.pipeline.config import ROOT, STATIC_PAGES, BuildConfig, Target
from build_tools.pipeline.inputs import book_json
from build_tools.pipeline.render import Rendered
from build_tools.util.fileio import write_if_changed


def sync_tree(source: Path, target: Path, *, keep: Collection[str] = ()) -> None:
    """Mirror a folder, copying only files whose bytes differ.

    :param source: the folder to copy
    :param target: the copy
    :param keep: paths in the target (relative, with ``/``) that are not removed,
        with everything below them
    """
    wanted: set[Path] = set()
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if "__pycache__" in relative.parts or relative.parts[0] == "_build":
            continue
        wanted.add(relative)
        if path.is_file():
            write_if_changed(target / relative, path.read_bytes())
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target)
        if relative in wanted or any(
            "/".join(relative.parts[: depth + 1]) in keep for depth in range(len(relative.parts))
        ):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def write_configuration(config: BuildConfig, target: Target, info: BookInfo) -> None:
    """Write what a target's Sphinx reads first: ``book/`` (with ``conf.py``) and ``book.json``.

    :param config: the build's configuration
    :param target: the target
    :param info: the book's metadata
    """
    srcdir = config.srcdir_of(target)
    sync_tree(ROOT / "book", srcdir, keep={"_generated", *STATIC_PAGES})
    write_if_changed(srcdir / "_generated" / "book.json", book_json(info))


def write_pages(
    config: BuildConfig, targets: list[Target], rendered: Rendered, article: Article, info: BookInfo
) -> tuple[int, int]:
    """Write each target's Sphinx source: ``book/`` and its rendered pages.

    :param config: the build's configuration
    :param targets: the Sphinx targets asked for
    :param rendered: the rendered book
    :param article: the article
    :param info: the book's metadata
    :return: how many files were written, and of how many
    """
    written = total = 0
    for target in targets:
        pages = rendered.pages_for(target, article, info)
        srcdir = config.srcdir_of(target)
        sync_tree(ROOT / "book", srcdir, keep={"_generated", *pages})
        written += sum(write_if_changed(srcdir / name, data) for name, data in pages.items())
        total += len(pages)
        if _remove_stale(srcdir, pages):
            # Sphinx forgets a removed document but never deletes its output, and
            # the site and the EPUB take every file of the output folder: write
            # the target's output anew (its pages, search index, EPUB manifest)
            shutil.rmtree(config.work / target.name, ignore_errors=True)
    return written, total


def write_worksheets(
    config: BuildConfig, rendered: Rendered, article: Article, info: BookInfo
) -> list[str]:
    """Write the printable worksheets' and keys' LaTeX, or Typst: compiled with the PDFs.

    The worksheets follow the PDF engine (:attr:`BuildConfig.pdf_engine`).

    :param config: the build's configuration
    :param rendered: the rendered book (its exercises)
    :param article: the article
    :param info: the book's metadata
    :return: the ``.tex`` or ``.typ`` files in :attr:`BuildConfig.worksheet_folder` (none: no
        exercises)
    """
    if not rendered.exercises:
        return []
    from build_tools.classroom.worksheets import write_sources

    return write_sources(
        config.worksheet_folder,
        rendered.exercises,
        book_title=info.title,
        chapters=[(chapter.number, chapter.title) for chapter in article.chapters],
        paper=config.paper,
        engine=config.pdf_engine,
    )


def _remove_stale(srcdir: Path, pages: dict[str, str | bytes]) -> bool:
    """Remove generated pages that the book no longer has; whether a document was removed."""
    removed = False
    for path in sorted((srcdir / "_generated").glob("*.md")):
        if f"_generated/{path.name}" not in pages:
            path.unlink()
            removed = True
    for path in sorted((srcdir / "_generated" / "figures").glob("*")):
        if f"_generated/figures/{path.name}" not in pages:  # maps and charts no longer drawn
            path.unlink()
    return removed
