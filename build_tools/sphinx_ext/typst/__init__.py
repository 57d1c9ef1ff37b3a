"""A PDF route without TeX: the book as Typst, compiled by the ``typst`` package.

- :mod:`.markup`: escaping, Typst strings and labels, the index's order;
- :mod:`.translator`: the doctree as Typst markup, a visitor method per node;
- :mod:`.builder`: the ``typst`` builder (one read, then a tree, a ``.typ`` and a PDF an edition);
- :mod:`.index`: the marks the back-of-book index is built from;
- ``book.typ``: our template (title page, contents, list of figures, running heads,
  chapters, tables, exercises, glossary, index).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_typst(app: Sphinx) -> None:
    """Register the builder, the index marks and the Typst forms of our own nodes.

    :param app: the Sphinx application
    """
    from build_tools.sphinx_ext.typst.builder import TypstBuilder
    from build_tools.sphinx_ext.typst.index import TypstIndexTransform
    from build_tools.sphinx_ext.typst.translator import index_mark

    app.add_builder(TypstBuilder)
    # (docname, PDF file name, title, author, edition) each: every edition from one read
    app.add_config_value("typst_documents", [], "", types=(list,))
    app.add_node(index_mark)
    app.add_post_transform(TypstIndexTransform)
    # the builder names its translator (default_translator_class); no set_translator: a
    # registered translator makes pydata-sphinx-theme skip its HTML translator (it wraps only
    # the registered ones then), and the HTML would lose its ARIA levels and table classes
