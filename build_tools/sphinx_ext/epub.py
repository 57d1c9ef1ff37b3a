"""The EPUB builder, with the metadata Sphinx's own leaves out or gets wrong."""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from sphinx import addnodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util._pathlib import _StrPath
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from docutils import nodes

logger = logging.getLogger(__name__)

#: Our copy of Sphinx's ``templates/epub3``: ``content.opf.jinja`` adds the
#: accessibility metadata, ``nav.xhtml.jinja`` gives the nav its ARIA role.
TEMPLATES = Path(__file__).parent / "templates" / "epub3"

#: What every book of ours is: text with headings, a table of contents and
#: one reading order; images with text alternatives (checked by axe and Ace);
#: nothing that flashes, plays sound or moves.
ACCESSIBILITY_SUMMARY = (
    "This publication has a table of contents, structured headings and one logical "
    "reading order. Every image has a text alternative, so the text alone conveys "
    "the whole content. It has no flashing content, sound or motion simulation."
)


class BookEpubTranslator(HTML5Translator):
    """Sphinx's XHTML, with the heading level ARIA 1.1 wants on toctree captions.

    Sphinx writes a toctree caption as ``<p class="caption" role="heading">``;
    without ``aria-level`` DAISY Ace reports aria-required-attr (critical).
    """

    def visit_title(self, node: nodes.title) -> None:
        """Write toctree captions with ``aria-level``, other titles as Sphinx does."""
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            tag = self.starttag(node, "p", "", CLASS="caption", ROLE="heading")
            self.body.append(tag.replace("<p ", '<p aria-level="2" ', 1))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder, fixed for epubcheck and DAISY Ace.

    - Sphinx writes ``epub_uid`` (the XML id of the identifier) where the NCX
      wants the identifier itself; epubcheck reports NCX-001.
    - ``content.opf`` declares EPUB Accessibility metadata (schema.org).
    - Every XHTML page's ``<html>`` has ``lang`` and ``xml:lang``.
    - The navigation document's ``<nav epub:type="toc">`` has ``role="doc-toc"``.
    """

    template_dir = _StrPath(TEMPLATES)
    default_translator_class = BookEpubTranslator
    # figures given as ``name.*``: PNG first (every reading system shows it), not SVG
    supported_image_types: ClassVar[list[str]] = [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/svg+xml",
    ]

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        """The toc.ncx metadata, with ``dtb:uid`` equal to the book's identifier."""
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata

    def content_metadata(self) -> dict[str, Any]:
        """The content.opf metadata, with the accessibility metadata as (name, value) pairs."""
        metadata = super().content_metadata()
        has_images = bool(self.images) or bool(self.config.epub_cover)
        modes = ["textual", "visual"] if has_images else ["textual"]
        features = ["structuralNavigation", "tableOfContents", "readingOrder"]
        if has_images:
            features.append("alternativeText")
        metadata["accessibility"] = [
            *(("accessMode", mode) for mode in modes),
            ("accessModeSufficient", "textual"),
            *(("accessibilityFeature", feature) for feature in features),
            ("accessibilityHazard", "none"),
            ("accessibilitySummary", html.escape(ACCESSIBILITY_SUMMARY)),
        ]
        return metadata

    def prepare_writing(self, docnames: AbstractSet[str]) -> None:
        """Give every page's ``<html>`` the book's language (Ace: html-has-lang)."""
        super().prepare_writing(docnames)
        language = html.escape(self.config.epub_language or self.config.language or "en")
        self.globalcontext["html_tag"] = (
            '<html xmlns="http://www.w3.org/1999/xhtml" '
            'xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{language}" xml:lang="{language}">'
        )

    def build_epub(self) -> None:
        """Write the EPUB as Sphinx does, but with the same bytes for the same book.

        Sphinx's zip takes each member's date from its file, so two builds of
        one book differ; here every member is dated ``SOURCE_DATE_EPOCH`` (or
        1980-01-01, the first date a zip can hold) with fixed permissions.
        """
        outname = self.config.epub_basename + ".epub"
        logger.info(__("writing %s file..."), outname)
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
        stamp = time.gmtime(max(epoch, 315532800))[:6]
        names = ["mimetype", "META-INF/container.xml", "content.opf", "toc.ncx", *self.files]
        with ZipFile(self.outdir / outname, "w", ZIP_DEFLATED) as epub:
            for name in names:
                info = ZipInfo(name, date_time=stamp)
                info.compress_type = ZIP_STORED if name == "mimetype" else ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                epub.writestr(info, (self.outdir / name).read_bytes())
