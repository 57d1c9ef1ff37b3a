"""Live preview: the HTML rebuilt on every save by a Sphinx application kept warm.

``sphinx-autobuild`` runs ``sphinx-build`` on a Sphinx source folder when it
changes; our source folder is written by the render stage from the article,
and a new ``sphinx-build`` process pays ~1.3 s of imports and set-up on every
save. So the preview keeps one process: the render stage writes the HTML
target's source (only changed pages touch the disk), then the same Sphinx
application, with its environment in memory, rereads the changed documents
and writes them (:class:`PreviewSession`). EPUB, PDF, worksheets and the
publish step are skipped: the page is served from Sphinx's output folder.

The application is made anew only when what Sphinx reads at set-up changed
(``book/``, the metadata in ``book.json``) or when a build raised. A bad article gives a :class:`Outcome` carrying the error,
which the server shows in the page; the next good save recovers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from build_tools.pipeline.config import ROOT, TARGETS, BuildConfig
from build_tools.pipeline.inputs import book_info, load_article
from build_tools.pipeline.plan import fingerprint
from build_tools.pipeline.render import render_book
from build_tools.pipeline.sources import write_pages
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from sphinx.application import Sphinx

HTML = next(target for target in TARGETS if target.builder == "html")
#: what a preview watches besides the article, its companions and its exercises (a
#: change of our own code, imported once, needs the preview started again)
WATCHED_FOLDERS = (ROOT / "book",)
#: the colophon's "SHA-256 of the source" in a preview
PREVIEW_CHECKSUM = "(not computed in the preview)"


@dataclass(frozen=True)
class Outcome:
    """One preview build: its number, what went wrong (or nothing), its timings."""

    number: int
    error: str = ""  # a bad input or a failed Sphinx: the page shows it instead
    warnings: tuple[str, ...] = ()  # Sphinx's warnings (the real build fails on them)
    seconds: dict[str, float] = field(default_factory=dict)
    written: int = 0  # rendered files that changed

    @property
    def ok(self) -> bool:
        """Whether the pages are up to date with the sources."""
        return not self.error


class PreviewSession:
    """Rebuilds one book's HTML in this process, keeping Sphinx warm between builds."""

    def __init__(self, config: BuildConfig) -> None:
        self.config = config
        self.number = 0
        self._app: Sphinx | None = None
        self._app_key = ""
        self._stack = contextlib.ExitStack()
        self._warnings = io.StringIO()

    @property
    def outdir(self) -> Path:
        """The folder the server serves: Sphinx's HTML output."""
        return self.config.work / HTML.name

    def watched(self) -> list[Path]:
        """Every file whose change asks for a rebuild (the list itself may change)."""
        config = self.config
        files = [config.seed, *sorted(config.seed.parent.glob(f"{config.slug}.*.yaml"))]
        for folder in (config.exercises, *WATCHED_FOLDERS):
            if folder.is_dir():
                files += sorted(
                    path
                    for path in folder.rglob("*")
                    if path.is_file() and "__pycache__" not in path.parts
                )
        return files

    def rebuild(self) -> Outcome:
        """Render the book and let the warm Sphinx reread and write what changed.

        :return: the outcome (never raises for bad input or a Sphinx failure)
        """
        self.number += 1
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        try:
            article = load_article(self.config.seed)
            info = book_info(self.config, article, self.config.seed.read_bytes())
            # the colophon's checksum would change with every save: the preview is
            # no edition, and only the edited chapter is then read again
            info = replace(info, seed_sha256=PREVIEW_CHECKSUM)
            seconds["parse"] = time.perf_counter() - started
            started = time.perf_counter()
            rendered = render_book(self.config, article, info)
            written, _ = write_pages(self.config, [HTML], rendered, article, info)
            seconds["render"] = time.perf_counter() - started
        except BuildError as err:
            return Outcome(self.number, error=str(err), seconds=seconds)
        started = time.perf_counter()
        try:
            warnings = self._build()
        except Exception as err:  # noqa: BLE001 (Sphinx raised: shown in the page; a fresh app next)
            self.close()
            return Outcome(self.number, error=f"Sphinx failed: {type(err).__name__}: {err}")
        seconds["sphinx"] = time.perf_counter() - started
        return Outcome(self.number, warnings=warnings, seconds=seconds, written=written)

    def close(self) -> None:
        """Let the Sphinx application go (and docutils' registries with it)."""
        self._stack.close()
        self._stack = contextlib.ExitStack()
        self._app = None
        self._app_key = ""

    def _build(self) -> tuple[str, ...]:
        """One incremental Sphinx build; the warnings it gave."""
        key = self._setup_key()
        if self._app is None or key != self._app_key:
            self.close()
            self._app = self._make_app()
            self._app_key = key
        app = self._app
        self._warnings.seek(0)
        self._warnings.truncate()
        app._warncount = 0
        app.statuscode = 0
        # Sphinx keeps each doctree's pickled bytes for the life of its environment,
        # never dropping those of a document read again (its test app clears them too)
        app.env._pickled_doctree_cache.clear()
        app.build()
        text = self._warnings.getvalue()
        return tuple(line for line in text.splitlines() if line.strip())

    def _make_app(self) -> Sphinx:
        """A Sphinx application for the HTML target, inside docutils' patched namespace."""
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        srcdir = self.config.srcdir_of(HTML)
        self._stack.enter_context(patch_docutils(srcdir))
        self._stack.enter_context(docutils_namespace())
        app = Sphinx(
            srcdir,
            srcdir,
            self.outdir,
            self.config.work / f"doctrees-{HTML.name}",
            HTML.builder,
            status=None,
            warning=self._warnings,
            keep_going=True,
        )
        _keep_doctrees_for_figure_numbers(app)
        _keep_search_index(app)
        return app

    def _setup_key(self) -> str:
        """What a Sphinx application reads when it is made: ``book/`` and the metadata."""
        book = self.config.srcdir_of(HTML) / "_generated" / "book.json"
        digest = hashlib.sha256(book.read_bytes())
        for folder in WATCHED_FOLDERS:
            digest.update(fingerprint(folder, skip=lambda path: path.suffix == ".pyc").encode())
        return digest.hexdigest()


def _keep_doctrees_for_figure_numbers(app: Sphinx) -> None:
    """Let the figure numbering reuse the doctrees it walked in the last build.

    With ``numfig``, every build walks the doctree of every document to number
    the figures (``TocTreeCollector.assign_figure_numbers``), unpickling each
    one: most of a one-chapter rebuild. The walk only reads them, so the
    preview keeps what it unpickled, by the doctree file's time and size: a
    document read again has a new file.
    """
    from sphinx.environment import BuildEnvironment
    from sphinx.environment.collectors.toctree import TocTreeCollector

    kept: dict[str, tuple[tuple[int, int], Any]] = {}
    for listener in app.events.listeners.get("env-get-updated", []):
        collector = getattr(listener.handler, "__self__", None)
        if not isinstance(collector, TocTreeCollector):
            continue
        assign = collector.assign_figure_numbers

        def assign_with_kept(env: BuildEnvironment, assign: Any = assign) -> Any:
            load = env.get_doctree

            def get_doctree(docname: str) -> Any:
                stat = (env.doctreedir / f"{docname}.doctree").stat()
                key = (stat.st_mtime_ns, stat.st_size)
                if docname not in kept or kept[docname][0] != key:
                    kept[docname] = (key, load(docname))
                return kept[docname][1]

            env.get_doctree = get_doctree  # type: ignore[method-assign]
            try:
                return assign(env)
            finally:
                del env.get_doctree

        collector.assign_figure_numbers = assign_with_kept  # type: ignore[method-assign]


def _keep_search_index(app: Sphinx) -> None:
    """Carry the search index over in memory instead of reading ``searchindex.js`` again.

    Each build's HTML builder loads the last build's index from disk (JSON,
    a large part of a one-chapter rebuild), drops the documents it writes
    again and indexes them anew. The preview hands the last build's index,
    which is what that file holds, straight to the next one.
    """
    builder: Any = app.builder
    load = builder.load_indexer
    kept: list[Any] = []

    def load_indexer(docnames: set[str]) -> None:
        indexer = builder.indexer
        if not kept or not (builder.outdir / builder.searchindex_filename).exists():
            load(docnames)
        else:
            previous = kept.pop()
            for name in ("_filenames", "_titles", "_all_titles", "_mapping", "_title_mapping"):
                setattr(indexer, name, getattr(previous, name))
            indexer.prune(set(builder.env.all_docs).difference(docnames))
        kept[:] = [indexer]

    builder.load_indexer = load_indexer


def snapshot(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    """Each file's modification time and size (a missing file is left out)."""
    state: dict[Path, tuple[int, int]] = {}
    for path in paths:
        with contextlib.suppress(OSError):
            stat = path.stat()
            state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def watch(
    files: Callable[[], list[Path]], *, interval: float = 0.05, settle: float = 0.03
) -> Iterator[None]:
    """Yield once for each change of the watched files (polling their times and sizes).

    A handful of files is watched: polling them costs well under a millisecond,
    needs no dependency and sees an editor's save-by-rename as a change too.

    :param files: the files to watch, asked again after each change
    :param interval: seconds between two looks
    :param settle: seconds to wait after a change, for the rest of a save
    :return: an endless iterator (stop it with an interrupt)
    """
    state = snapshot(files())
    while True:
        time.sleep(interval)
        now = snapshot(files())
        if now != state:
            time.sleep(settle)
            state = snapshot(files())
            yield
