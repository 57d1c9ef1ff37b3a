"""Our Sphinx extension: small fixes the book needs in every format."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension.

    :param app: the Sphinx application
    :return: the extension's metadata
    """
    from build_tools import __version__
    from build_tools.sphinx_ext.extension import setup_extension

    setup_extension(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
