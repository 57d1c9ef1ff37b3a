"""The extension's hooks."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def escape_page_title(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """Escape the plain-text titles sphinx-book-theme puts into its templates.

    The theme sets ``pagetitle`` and ``root_title`` to the titles' plain text
    and prints them unescaped, so a title such as ``<script>`` would become
    markup (our titles come from the article: they are data).
    """
    for key in ("pagetitle", "root_title"):
        if key in context:
            context[key] = html.escape(str(context[key]))


def add_latex_preamble(app: Sphinx, config: Config) -> None:
    """Give LaTeX the commands our LaTeX post-transforms emit."""
    from build_tools.sphinx_ext.scripts import LATEX_PREAMBLE

    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + LATEX_PREAMBLE
    config.latex_elements = elements


def cache_compiled_templates(app: Sphinx) -> None:
    """Keep the HTML templates compiled between builds (in the doctree folder).

    Jinja compiles the theme's templates on every run, about half a second of
    an incremental build; its bytecode cache checks each template's source
    checksum, so a changed template is compiled again.
    """
    from jinja2 import FileSystemBytecodeCache

    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        folder = Path(app.doctreedir) / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_extension(app: Sphinx) -> None:
    """Connect the extension's hooks.

    :param app: the Sphinx application
    """
    from build_tools.sphinx_ext.epub import BookEpubBuilder
    from build_tools.sphinx_ext.figures import InlineSvgTransform
    from build_tools.sphinx_ext.files import setup_files
    from build_tools.sphinx_ext.glossary import setup_glossary
    from build_tools.sphinx_ext.languages import setup_languages
    from build_tools.sphinx_ext.review import setup_review
    from build_tools.sphinx_ext.scripts import ScriptFonts
    from build_tools.sphinx_ext.typst import setup_typst

    app.add_builder(BookEpubBuilder, override=True)
    app.add_post_transform(ScriptFonts)
    app.add_post_transform(InlineSvgTransform)  # clickable maps in HTML
    setup_glossary(app)  # term definitions (HTML tooltips), term index entries (PDF)
    setup_review(app)  # review exercises: in-page answers, solution toggles, space to write
    setup_files(app)  # links to worksheets, keys, quiz files and posters
    setup_languages(app)  # lang and dir on runs of other scripts (HTML, EPUB)
    setup_typst(app)  # the PDF through Typst: builder, translator, index
    app.connect("config-inited", add_latex_preamble)
    app.connect("builder-inited", cache_compiled_templates)
    # after the theme's own handler (default priority 500) has set the title
    app.connect("html-page-context", escape_page_title, priority=900)
