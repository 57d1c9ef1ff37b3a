"""Typst syntax for data: every text of the book reaches Typst through these functions.

Typst markup gives meaning to many characters (``#`` starts code, ``$`` math,
``@`` a reference, ``<label>`` a label, ``*`` and ``_`` strong and emphasis,
``=``, ``-``, ``+``, ``/`` and ``1.`` at the start of a line headings and
lists, ``//`` a comment, ``--`` and ``...`` dashes and an ellipsis, straight
quotes become curly ones). :func:`escape` puts a backslash before every ASCII
punctuation character that could mean anything, so the reader sees exactly the
characters of the article and Typst evaluates none of them. Both are
:mod:`build_tools.util.markup`'s (one escape for every Typst document of ours,
the worksheets' too).
"""

from __future__ import annotations

import re
import unicodedata

from build_tools.util.markup import typst_string as string
from build_tools.util.markup import typst_text as escape

__all__ = ["escape", "index_group", "label", "label_name", "sort_key", "string"]

_LABEL_CHARACTER = re.compile(r"[^A-Za-z0-9-]")


def label(*parts: str) -> str:
    """A Typst label (``<...>``) naming a Sphinx id, from any text.

    Each character other than ASCII letters, digits and ``-`` becomes
    ``_<hex>_``, so two different ids never share a label; the parts are
    joined by ``:``.

    :param parts: e.g. the document's name and the id in it
    :return: the label, e.g. ``<r:_5f_generated_2f_intro:sec-one>``
    """
    names = [_LABEL_CHARACTER.sub(lambda m: f"_{ord(m.group()):x}_", part) for part in parts]
    return "<r:" + ":".join(names) + ">"


def label_name(*parts: str) -> str:
    """The name of :func:`label` without its angle brackets (for ``label("...")``)."""
    return label(*parts)[1:-1]


def sort_key(term: str) -> tuple[int, int, str, str]:
    """The place of a term in the index: numbers first, by value, then letters.

    Accents and case do not count (``sōshi-kaimei`` sorts with ``soshi``);
    a term starting with a number sorts by its value (``8th`` before ``38th``).

    :param term: the term as printed
    :return: a key for :func:`sorted`
    """
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", term) if not unicodedata.combining(c)
    ).casefold()
    plain = plain.lstrip("\"'“‘([ ")
    number = re.match(r"\d+", plain)
    if number:
        return (0, int(number.group()), plain[number.end() :], term)
    return (1, 0, plain, term)


def index_group(term: str) -> str:
    """The heading an index entry stands under: its first letter, or ``0–9``.

    :param term: the term as printed
    :return: the group's name
    """
    kind, _, plain, _ = sort_key(term)
    if kind == 0:
        return "0–9"
    first = plain[:1].upper()
    return first if first.isalpha() else "#"
