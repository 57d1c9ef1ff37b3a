"""The MyST pieces the review pages are built of: directives, references, quotes, letters.

Everything taken from a data file or the article is text: it is escaped
(:func:`~build_tools.article.render.escape`) before it goes into MyST.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from build_tools.article.render import escape, escape_role
from build_tools.exercises.model import Place

#: The letters of options, items and definitions, in order.
LETTERS: Final = "ABCDEFGHIJ"


def ref(place: Place) -> str:
    """A ``{ref}`` link to a part of the book, named by its title.

    :param place: the part
    :return: MyST
    """
    return f"{{ref}}`{escape_role(place.title)} <{place.label}>`"


def quote(text: str) -> str:
    """A quotation in curly quotes.

    :param text: the quoted text
    :return: MyST
    """
    return f"“{escape(text)}”"


def _fence(depth: int) -> str:
    return ":" * (3 + depth)


def directive(name: str, argument: str, options: dict[str, str], body: str, depth: int) -> str:
    """A colon-fenced directive.

    :param name: the directive
    :param argument: its argument (empty: none)
    :param options: its options, in order
    :param body: its content (MyST)
    :param depth: how many directives it holds inside
    :return: MyST
    """
    fence = _fence(depth)
    lines = [f"{fence}{{{name}}}{' ' + argument if argument else ''}"]
    lines += [f":{key}: {value}" for key, value in options.items()]
    return "\n".join(lines) + "\n\n" + body.strip("\n") + f"\n{fence}"


def letter(index: int) -> str:
    """The letter of the 0-based ``index``-th option, item or definition."""
    return LETTERS[index]


def choice_list(texts: Sequence[str]) -> str:
    """A numbered list of texts.

    :param texts: the texts, in order
    :return: MyST
    """
    return "\n".join(f"{number}. {escape(text)}" for number, text in enumerate(texts, start=1))
