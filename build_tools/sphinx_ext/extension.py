"""The extension's hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_extension(app: Sphinx) -> None:
    """Connect the extension's hooks.

    :param app: the Sphinx application
    """
    from build_tools.sphinx_ext.epub import BookEpubBuilder

    app.add_builder(BookEpubBuilder, override=True)
