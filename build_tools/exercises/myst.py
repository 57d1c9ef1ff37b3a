"""The MyST pieces the review pages are built of: directives, references, quotes, letters.

Everything taken from a data file or the article is text: it goes through the
helpers of :mod:`build_tools.util.markup` before it goes into MyST.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from build_tools.exercises.model import Place
from build_tools.util.markup import myst_option, myst_ref, myst_text

#: The letters of options, items and definitions, in order.
LETTERS: Final = "ABCDEFGHIJ"


def ref(place: Place) -> str:
    """A ``{ref}`` link to a part of the book, named by its title.

    :param place: the part
    :return: MyST
    """
    return myst_ref(place.title, place.label)


def quote(text: str) -> str:
    """A quotation in curly quotes.

    :param text: the quoted text
    :return: MyST
    """
    return f"“{myst_text(text)}”"


def option_value(value: str) -> str:
    """A directive option's value: as it is when it is plain words, else quoted.

    :param value: the value
    :return: MyST for the option line
    """
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*", value) and value == value.strip():
        return value
    return myst_option(value)


def _fence(depth: int) -> str:
    return ":" * (3 + depth)


def directive(name: str, argument: str, options: dict[str, str], body: str, depth: int) -> str:
    """A colon-fenced directive.

    :param name: the directive
    :param argument: its argument (empty: none): our own text (a title, a condition),
        never the article's
    :param options: its options, in order; their values are written as
        :func:`~build_tools.util.markup.myst_option` values when they are not plain words
    :param body: its content (MyST)
    :param depth: how many directives it holds inside
    :return: MyST
    """
    fence = _fence(depth)
    lines = [f"{fence}{{{name}}}{' ' + argument if argument else ''}"]
    lines += [f":{key}: {option_value(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n\n" + body.strip("\n") + f"\n{fence}"


def letter(index: int) -> str:
    """The letter of the 0-based ``index``-th option, item or definition."""
    return LETTERS[index]


def choice_list(texts: Sequence[str]) -> str:
    """A numbered list of texts.

    :param texts: the texts, in order
    :return: MyST
    """
    return "\n".join(f"{number}. {myst_text(text)}" for number, text in enumerate(texts, start=1))
