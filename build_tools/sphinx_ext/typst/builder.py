"""The ``typst`` builder: the book as one Typst file, compiled to PDF by the ``typst`` package.

It reads ``typst_documents`` (the root document, the file name, the title,
the author and the edition of each PDF) and writes every edition from the one
read of the source: for each it inlines the documents of the toctrees into one
tree (leaving out those of other editions), resolves the references on it (so
``only`` blocks are decided by the edition's tag: the student edition never
holds the teacher's), writes ``<name>.typ`` beside our template ``book.typ``
and compiles both with Typst, in the process: no TeX, no shell, no network,
no package. The editions but the last are written in forked processes, beside
the last: each edition's tree, translation and compile use a core of their own.
Typst sees only the fonts of :data:`build_tools.util.typst.FONTS` (linked into
``fonts/``), so the same input gives the same bytes; the PDF's date is
``SOURCE_DATE_EPOCH`` when it is set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes
from sphinx.builders import Builder
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.nodes import inline_all_toctrees
from sphinx.util.tags import Tags

from build_tools.sphinx_ext.typst.markup import escape, index_group, sort_key, string
from build_tools.sphinx_ext.typst.translator import TypstTranslator
from build_tools.util.typst import link_fonts

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

logger = logging.getLogger(__name__)

TEMPLATE = Path(__file__).with_name("book.typ")
PAPERS = {"a4paper": "a4", "letterpaper": "us-letter"}
#: The book's editions, by their Sphinx tags.
EDITIONS = ("student", "teacher")


class Edition(NamedTuple):
    """One PDF of ``typst_documents``: root document, file name, title, author, edition."""

    docname: str
    targetname: str
    title: str
    author: str
    edition: str


class TypstBuilder(Builder):
    """Write each ``typst_documents`` entry as Typst, then compile it to PDF."""

    name = "typst"
    format = "typst"
    epilog = "The PDF files are in %(outdir)s."
    supported_image_types = ["application/pdf", "image/svg+xml", "image/png", "image/jpeg"]  # noqa: RUF012
    supported_remote_images = False
    default_translator_class = TypstTranslator

    def init(self) -> None:
        """Nothing to prepare."""

    def get_outdated_docs(self) -> str:
        """The book is one file: it is always written whole."""
        return "all documents"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        """Every document is in the one book: ``%<docname>`` (as the LaTeX builder)."""
        return "%" + docname

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        """No document is relative to another."""
        return self.get_target_uri(to, typ)

    def prepare_writing(self, docnames: AbstractSet[str]) -> None:
        """Nothing to prepare."""

    def write_documents(self, _docnames: AbstractSet[str]) -> None:
        """Write and compile every edition, each from the one read of the source.

        The editions but the last are written in forked processes beside it (each
        is a tree, a translation and a Typst compile of its own): both cores.

        :raises SphinxError: when ``typst_documents`` is empty, or an edition failed
        """
        editions = [Edition(*entry) for entry in self.config.typst_documents]
        if not editions:
            raise SphinxError("typst_documents is empty: conf.py names no PDF to write")
        shutil.copyfile(TEMPLATE, self.outdir / TEMPLATE.name)
        fonts = link_fonts(self.outdir / "fonts")
        if not hasattr(os, "fork"):
            for edition in editions:
                self.write_edition(edition, fonts)
            return
        forked = [(edition, self._fork(edition, fonts)) for edition in editions[:-1]]
        failure: str | None = None
        try:
            self.write_edition(editions[-1], fonts)
        finally:
            for edition, (pid, reply) in forked:
                with os.fdopen(reply, encoding="utf-8") as answer:
                    warnings, _, error = answer.read().partition("\n")
                os.waitpid(pid, 0)
                self._app._warncount += int(warnings or 0)
                if failure is None and (error or not warnings):
                    failure = f"the {edition.edition} edition: {error or 'its process died'}"
        if failure:
            raise SphinxError(f"Typst failed on {failure}")

    def _fork(self, edition: Edition, fonts: Path) -> tuple[int, int]:
        """Write one edition in a forked process.

        :param edition: the edition
        :param fonts: the folder of the fonts Typst may use
        :return: the process, and the pipe its answer comes on: the number of
            warnings it logged, a line break, the error that stopped it (if any)
        """
        reading, writing = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            os.close(writing)
            return pid, reading
        os.close(reading)  # the child: write, answer, and leave without Python's exit
        error = ""
        before = self._app._warncount
        try:
            self.write_edition(edition, fonts)
        except BaseException as err:  # noqa: BLE001 (told to the parent, which raises)
            error = " ".join(str(err).split()) or type(err).__name__
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
            os.write(writing, f"{self._app._warncount - before}\n{error}".encode())
        os._exit(0)

    def write_edition(self, edition: Edition, fonts: Path) -> None:
        """Write one edition's Typst source and compile it.

        :param edition: the edition
        :param fonts: the folder of the fonts Typst may use
        """
        started = time.perf_counter()
        stem = Path(edition.targetname).stem
        tree = self.assemble_doctree(edition.docname, edition.edition)
        self.post_process_images(tree)
        self.copy_images()
        visitor = TypstTranslator(tree, self)
        tree.walkabout(visitor)
        source = self.preamble(visitor, title=edition.title, author=edition.author)
        source += visitor.astext() + self.back_index()
        path = self.outdir / f"{stem}.typ"
        if not path.is_file() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8")
        self.compile(path, self.outdir / f"{stem}.pdf", fonts)
        logger.info(
            "typst: %s edition written in %.2f s", edition.edition, time.perf_counter() - started
        )

    def assemble_doctree(self, indexfile: str, edition: str = "student") -> nodes.document:
        """The root document with its edition's documents inlined, references resolved.

        A document whose front matter names ``editions`` (``editions: teacher``) is
        left out of the others; ``only`` blocks are decided as with ``-t <edition>``.

        :param indexfile: the root document
        :param edition: ``student`` or ``teacher``
        :return: the book's tree
        """
        others = [
            docname
            for docname, fields in sorted(self.env.metadata.items())
            if "editions" in fields and edition not in str(fields["editions"]).split()
        ]
        tree = self.env.get_doctree(indexfile)
        tree["docname"] = indexfile
        # documents already "traversed" are not inlined: the other editions' own
        largetree = inline_all_toctrees(
            self, {indexfile}, indexfile, tree, str, [indexfile, *others]
        )
        largetree["docname"] = indexfile
        # the post-transforms decide ``only`` blocks by the application's tags
        tags, self._app.tags = self._app.tags, self.edition_tags(edition)
        try:
            self.env.resolve_references(largetree, indexfile, self)
        finally:
            self._app.tags = tags
        return largetree

    def edition_tags(self, edition: str) -> Tags:
        """This build's tags, with the edition's own in place of the other editions'."""
        tags = Tags([tag for tag in self.tags if tag not in EDITIONS])
        tags.add(edition)
        return tags

    def preamble(self, visitor: TypstTranslator, *, title: str, author: str) -> str:
        """The template's import and the book's settings (every value a Typst string)."""
        config = self.config
        paper = PAPERS.get(config.latex_elements.get("papersize", "a4paper"), "a4")
        main, _, edition = title.partition(": ")
        has_figures = bool(self.images)
        settings = {
            "title": f"[{escape(main)}]",
            "edition": f"[{escape(edition)}]" if edition else "none",
            "subtitle": f"[{visitor.subtitle}]" if visitor.subtitle else "none",
            "author": f"[{escape(author)}]",
            "date": f"[{escape(config.today)}]" if config.today else "none",
            "language": string((config.language or "en").split("_")[0].split("-")[0]),
            "paper": string(paper),
            "short-title": f"[{escape(main)}]",
            "figures": "true" if has_figures else "false",
        }
        arguments = ", ".join(f"{name}: {value}" for name, value in settings.items())
        # the document's title (PDF metadata) is the whole title, the edition too
        return (
            '#import "book.typ": *\n'
            f"#show: book.with({arguments})\n"
            f"#set document(title: {string(title)}, author: {string(author)})\n\n"
        )

    def back_index(self) -> str:
        """The index chapter: every glossary term that is marked in the book, grouped."""
        from build_tools.sphinx_ext.typst.index import index_terms

        terms = index_terms(self.env)
        if not terms:
            return ""
        groups: dict[str, list[str]] = {}
        for term in sorted(terms, key=sort_key):
            groups.setdefault(index_group(term), []).append(f"({string(term)}, [{escape(term)}])")
        body = ", ".join(
            f"({string(group)}, ({', '.join(entries)},))" for group, entries in groups.items()
        )
        return f"\n#heading(level: 1, supplement: none)[Index]\n\n#book-index(({body},))\n"

    def compile(self, source: Path, pdf: Path, fonts: Path) -> None:
        """Compile the Typst source to PDF with the book's fonts only.

        :param source: the ``.typ`` file (beside our template)
        :param pdf: the PDF to write
        :param fonts: the folder of the fonts Typst may use
        :raises SphinxError: when Typst reports an error
        """
        import typst

        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        try:
            _, warnings = typst.compile_with_warnings(
                str(source),
                output=str(pdf),
                root=str(self.outdir),
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
                timestamp=int(epoch) if epoch and epoch.isdigit() else None,
            )
        except typst.TypstError as err:
            raise SphinxError(
                f"Typst failed on {source.name}: {err.message}\n{err.diagnostic}"
            ) from None
        for warning in warnings:
            logger.warning("Typst: %s %s", warning.message, warning.diagnostic.strip())

    def copy_images(self) -> None:
        """Copy the images the book shows next to its source (Typst reads them there)."""
        for source, name in sorted(self.images.items()):
            target = Path(self.outdir, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = (self.srcdir / source).read_bytes()
            if not target.is_file() or target.read_bytes() != data:
                # whole or not at all: the editions copy their images side by side
                partial = target.with_name(f".{target.name}.{os.getpid()}")
                partial.write_bytes(data)
                partial.replace(target)
