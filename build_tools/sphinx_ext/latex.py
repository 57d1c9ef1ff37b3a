"""LaTeX we write ourselves (``latex_documents`` titles): escaped by Sphinx's own texescape.

Inside Sphinx's LaTeX writer a Text node is escaped by Sphinx; this is for the
strings Sphinx takes *as LaTeX*: the title and author of ``latex_documents``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# lines and controls: a space (XeLaTeX has no glyph for them, and a line break
# inside a command's argument would end a paragraph)
# (the characters str.splitlines breaks at, as build_tools.util.markup.LINE_SEPARATORS;
# the extension imports no other package of ours)
_LATEX_SPACE: Final = re.compile("[\r\n\t\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
# bidi marks and embeddings: no print font has a glyph for them
_LATEX_INVISIBLE: Final = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def latex_text(text: str) -> str:
    """LaTeX that prints ``text`` literally, with Sphinx's own escaping for XeLaTeX.

    :param text: plain text
    :return: LaTeX
    """
    from sphinx.util import texescape

    texescape.init()  # fills the tables (the LaTeX builder does it too); idempotent
    text = _LATEX_INVISIBLE.sub("", _LATEX_SPACE.sub(" ", text))
    text = "".join(char for char in text if unicodedata.category(char) != "Cc")
    return texescape.escape(text, "xelatex")
