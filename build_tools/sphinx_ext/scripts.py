"""Any Unicode text readable in the PDF: fonts for other scripts, breaks in long words.

XeTeX has no font fallback. Hangul and CJK are handled by xeCJK (see
``book/conf.py``); this LaTeX-only post-transform wraps right-to-left runs
(Arabic in Noto Naskh Arabic, Hebrew in Noto Serif Hebrew) and emoji in commands that
switch to a font that has them,
drops the invisible emoji joiners no print font draws, and lets very long
words break. The wrappers are our own fixed LaTeX; the text stays a Text
node, so Sphinx still escapes it.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

_HEBREW = "\u0590-\u05ff\ufb1d-\ufb4f"
_ARABIC = "\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
_NEUTRAL = r"\s\d.,:;!?()-"
# Hebrew and Arabic each in a font that has its letters (Noto Naskh Arabic has no Hebrew)
_SEGMENT = re.compile(
    rf"(?P<hebrew>[{_HEBREW}](?:[{_HEBREW}{_NEUTRAL}]*[{_HEBREW}])?)"
    rf"|(?P<rtl>[{_ARABIC}](?:[{_ARABIC}{_NEUTRAL}]*[{_ARABIC}])?)|(?P<emoji>[{_EMOJI}]+)"
)
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u200d]")
_LONG_WORD = re.compile(r"\S{30,}")
_CHUNK = 12

#: The LaTeX the wrappers need, for ``latex_elements['preamble']``.
LATEX_PREAMBLE = r"""
\newfontfamily\bookrtlfont{Noto Naskh Arabic}[Script=Arabic]
\newfontfamily\bookhebrewfont{Noto Serif Hebrew}[Script=Hebrew]
\newfontfamily\bookemojifont{Symbola}
\TeXXeTstate=1
\DeclareRobustCommand{\bookrtl}[1]{{\bookrtlfont\beginR #1\endR}}
\DeclareRobustCommand{\bookhebrew}[1]{{\bookhebrewfont\beginR #1\endR}}
\DeclareRobustCommand{\bookemoji}[1]{{\bookemojifont #1}}
\DeclareRobustCommand{\bookbreak}{\hspace{0pt}}
\AtBeginDocument{\pdfstringdefDisableCommands{%
  \def\bookrtl#1{#1}\def\bookhebrew#1{#1}\def\bookemoji#1{#1}\def\bookbreak{}}}
"""


def _break_long_words(text: str) -> list[nodes.Node]:
    parts: list[nodes.Node] = []
    position = 0
    for match in _LONG_WORD.finditer(text):
        parts.append(nodes.Text(text[position : match.start()]))
        word = match.group()
        for start in range(0, len(word), _CHUNK):
            if start:
                parts.append(nodes.raw("", r"\bookbreak{}", format="latex"))
            parts.append(nodes.Text(word[start : start + _CHUNK]))
        position = match.end()
    parts.append(nodes.Text(text[position:]))
    return [part for part in parts if not isinstance(part, nodes.Text) or str(part)]


def split_text(text: str) -> list[nodes.Node] | None:
    """Split a text into plain runs and wrapped runs, or None when nothing changes.

    :param text: the text of one Text node
    :return: the nodes to put in its place
    """
    cleaned = _INVISIBLE.sub("", text)
    if cleaned == text and not _SEGMENT.search(text) and not _LONG_WORD.search(text):
        return None
    result: list[nodes.Node] = []
    position = 0
    for match in _SEGMENT.finditer(cleaned):
        result += _break_long_words(cleaned[position : match.start()])
        command = match.lastgroup or ""
        command = {"hebrew": "bookhebrew", "rtl": "bookrtl"}.get(command, "bookemoji")
        result += [
            nodes.raw("", f"\\{command}{{", format="latex"),
            nodes.Text(match.group()),
            nodes.raw("", "}", format="latex"),
        ]
        position = match.end()
    result += _break_long_words(cleaned[position:])
    return result


class ScriptFonts(SphinxPostTransform):
    """Wrap other scripts and long words in the LaTeX output."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Replace the Text nodes that need it."""
        skip = (nodes.literal_block, nodes.raw, nodes.literal, nodes.FixedTextElement)
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, skip):
                continue
            if any(isinstance(ancestor, skip) for ancestor in _ancestors(parent)):
                continue
            replacement = split_text(str(text))
            if replacement is not None:
                parent.replace(text, replacement)


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    current = node.parent
    while current is not None:
        found.append(current)
        current = current.parent
    return found
