"""Typst syntax for data: every text of the book reaches Typst through these functions.

Typst markup gives meaning to many characters (``#`` starts code, ``$`` math,
``@`` a reference, ``<label>`` a label, ``*`` and ``_`` strong and emphasis,
``=``, ``-``, ``+``, ``/`` and ``1.`` at the start of a line headings and
lists, ``//`` a comment, ``--`` and ``...`` dashes and an ellipsis, straight
quotes become curly ones). :func:`escape` puts a backslash before every ASCII
punctuation character that could mean anything, so the reader sees exactly the
characters of the article and Typst evaluates none of them.
"""

from __future__ import annotations

import re
import unicodedata

#: ASCII punctuation that Typst markup never reads as syntax: left as it is.
_PLAIN = frozenset(",;:!?()%&|^")
_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LABEL_CHARACTER = re.compile(r"[^A-Za-z0-9-]")


def escape(text: str) -> str:
    """Typst markup that prints ``text`` literally, on one line.

    Runs of white space (line breaks too) become one space; control
    characters are dropped.

    :param text: any text
    :return: the markup
    """
    text = _SPACES.sub(" ", _CONTROL.sub("", text))
    return _SPECIAL.sub(lambda match: _escape_character(match.group()), text)


def _escape_character(character: str) -> str:
    return character if character in _PLAIN else "\\" + character


def string(text: str) -> str:
    """A Typst string literal (with its quotes) holding ``text``.

    :param text: any text
    :return: the literal, e.g. ``"a \\"b\\""``
    """
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    escaped = escaped.replace("\t", "\\t")
    return '"' + _CONTROL.sub(lambda match: f"\\u{{{ord(match.group()):x}}}", escaped) + '"'


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
