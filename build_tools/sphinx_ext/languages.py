"""Foreign text carries its language: ``lang`` (and ``dir="rtl"``) on runs of other scripts.

An HTML-format post-transform (so the HTML and the EPUB, whose builder has the
format ``html``) finds runs of Hangul, Han, Kana, Arabic and Hebrew in the
text and wraps each in a ``foreign`` node, written as ``<span lang="ko">``;
right-to-left scripts get ``dir="rtl"``, and the EPUB's XHTML ``xml:lang`` too.
Screen readers then switch voice, and browsers pick the script's font and
shaping. A script that is the book's own language is left alone. Han without
Kana is taken for Chinese (``zh``), with Kana for Japanese (``ja``). The PDF
gets the scripts' fonts in :mod:`build_tools.sphinx_ext.scripts`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

_HANGUL: Final = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_KANA: Final = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HAN: Final = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_ARABIC: Final = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc"
_HEBREW: Final = "\u0590-\u05ff\ufb1d-\ufb4f"
# what may stand between two letters of one run: spaces, marks, CJK punctuation
_JOIN: Final = r"\s\u0300-\u036f\u3000-\u303f\u30fb\u00b7"
_ARABIC_MARKS: Final = "\u064b-\u065f"


def _run(letters: str, join: str = _JOIN) -> str:
    return rf"[{letters}](?:[{letters}{join}]*[{letters}])?"


_RUN: Final = re.compile(
    "|".join(
        [
            f"(?P<ko>{_run(_HANGUL)})",
            f"(?P<cjk>{_run(_HAN + _KANA)})",
            f"(?P<ar>{_run(_ARABIC, _JOIN + _ARABIC_MARKS)})",
            f"(?P<he>{_run(_HEBREW)})",
        ]
    )
)
_KANA_CHAR: Final = re.compile(f"[{_KANA}]")
_RTL: Final = ("ar", "he")


class foreign(nodes.inline):  # noqa: N801 (docutils names nodes in lower case)
    """A run of text in another language: ``lang`` and ``dir`` attributes."""


def language_of(group: str, text: str) -> str:
    """The language tag of a run found by one group of the pattern.

    :param group: the group's name (``ko``, ``cjk``, ``ar``, ``he``)
    :param text: the run
    :return: a BCP 47 tag
    """
    if group == "cjk":
        return "ja" if _KANA_CHAR.search(text) else "zh"
    return group


def split_languages(text: str, *, own: str = "") -> list[nodes.Node] | None:
    """Split a text into plain runs and ``foreign`` runs, or None when nothing changes.

    :param text: the text of one Text node
    :param own: the book's language (its runs stay plain)
    :return: the nodes to put in its place
    """
    parts: list[nodes.Node] = []
    position = 0
    for match in _RUN.finditer(text):
        group = match.lastgroup or ""
        lang = language_of(group, match.group())
        if own and own.split("-", maxsplit=1)[0] == lang:
            continue
        if match.start() > position:
            parts.append(nodes.Text(text[position : match.start()]))
        node = foreign("", "", nodes.Text(match.group()), lang=lang)
        if lang in _RTL:
            node["dir"] = "rtl"
        parts.append(node)
        position = match.end()
    if not parts:
        return None
    if position < len(text):
        parts.append(nodes.Text(text[position:]))
    return parts


class ForeignLanguages(SphinxPostTransform):
    """Wrap runs of other scripts in the HTML and EPUB output."""

    default_priority = 950  # after the other post-transforms have made their nodes
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Replace the Text nodes that hold other scripts."""
        skip = (nodes.literal_block, nodes.raw, nodes.literal, nodes.FixedTextElement, foreign)
        own = str(self.config.language or "")
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or _inside(parent, skip):
                continue
            replacement = split_languages(str(text), own=own)
            if replacement is not None:
                parent.replace(text, replacement)


def _inside(node: nodes.Node, kinds: tuple[type[nodes.Node], ...]) -> bool:
    current: nodes.Node | None = node
    while current is not None:
        if isinstance(current, kinds):
            return True
        current = current.parent
    return False


def visit_foreign_html(self: HTML5Translator, node: foreign) -> None:
    """``<span lang=.. dir=..>``; in the EPUB's XHTML ``xml:lang`` as well."""
    attributes = {"lang": node["lang"]}
    if self.builder.name == "epub":
        attributes["xml:lang"] = node["lang"]
    if node.get("dir"):
        attributes["dir"] = node["dir"]
    self.body.append(self.starttag(node, "span", "", **attributes))


def depart_foreign_html(self: HTML5Translator, node: foreign) -> None:
    """Close the span."""
    self.body.append("</span>")


def _visit_plain(self: Any, node: foreign) -> None:
    """Other builders never see the node (the transform is HTML-only): text as is."""


def setup_languages(app: Sphinx) -> None:
    """Register the node and the transform.

    :param app: the Sphinx application
    """
    plain = (_visit_plain, _visit_plain)
    app.add_node(
        foreign,
        html=(visit_foreign_html, depart_foreign_html),
        latex=plain,
        text=plain,
        man=plain,
        texinfo=plain,
    )
    app.add_post_transform(ForeignLanguages)
