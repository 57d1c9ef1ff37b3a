"""Text is data: one typed helper per target syntax the book is written in.

Every renderer that puts text from an article or a data file into generated
markup goes through one of these functions, chosen by *where* the text lands:

============================  ===========================================
where                         helper
============================  ===========================================
MyST inline text              :func:`myst_text`
a directive's argument        :func:`myst_argument` (one line)
a directive's option value    :func:`myst_option` (a double-quoted scalar)
a role's content              :func:`myst_role`, :func:`myst_ref`, :func:`term_link`
YAML (front matter, options)  :func:`yaml_value`
LaTeX we write ourselves      :func:`build_tools.sphinx_ext.latex.latex_text` (Sphinx's texescape)
GIFT question text            :func:`gift_text`, :func:`gift_comment`
Typst markup, Typst strings   :func:`typst_text`, :func:`typst_string`
anything that must be a line  :func:`one_line`
============================  ===========================================

XML (EPUB, Moodle, QTI) is written only with an XML library, JSON with
:mod:`json` and CSV with :mod:`csv`: they escape for themselves.
A test (``tests/test_markup.py``) reads the renderers' source and fails where
an f-string or a concatenation puts a value that is not one of these calls
into markup.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Final

# -- lines ------------------------------------------------------------------------------------

#: What :meth:`str.splitlines` (and so docutils, which reads a page with it) takes
#: for the end of a line, besides ``\n`` and ``\r``.
LINE_SEPARATORS: Final = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_SEPARATOR_RUN: Final = re.compile(f"[\r\n{LINE_SEPARATORS}]+")


#: Unicode's control characters (category Cc: U+0000-001F, U+007F-009F) but tab, LF and CR.
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """The text on one line: line breaks and separators become a space, controls go.

    ``\\n``, ``\\r``, NEL, U+2028, U+2029 and the other characters
    :meth:`str.splitlines` breaks at turn into one space; tabs into a space;
    other control characters (which no page or XML file may hold) are dropped.

    :param text: any text
    :return: the text without a line break
    """
    text = _SEPARATOR_RUN.sub(" ", text).replace("\t", " ")
    return _CONTROL.sub("", text)


# -- MyST -------------------------------------------------------------------------------------

# every ASCII punctuation character with a meaning in CommonMark or MyST inline text
_MYST_PUNCTUATION: Final = re.compile(r"([#$&*+:<=>@\[\\\]^_`{|}~])")
# what only means something at the start of a line: list items, quotes, targets,
# comments (``%``), ordered list numbers
_MYST_LINE_START: Final = re.compile(r"^([-+!.)(%]|\d{1,9}(?=[.)]))")
# characters docutils would break a page's line at, and controls: numeric character
# references, which markdown-it decodes after the line is read
_MYST_REFERENCE: Final = re.compile(f"[{LINE_SEPARATORS}\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _reference(match: re.Match[str]) -> str:
    char = match.group()
    if char in LINE_SEPARATORS:
        return f"&#x{ord(char):X};"
    return ""  # other controls: not text any page may hold (XML forbids most)


def myst_text(text: str) -> str:
    """MyST inline text that shows ``text`` literally, wherever it stands on a line.

    Every ASCII punctuation character with a meaning inline is backslash-escaped
    (so nothing can start a role, a link, raw HTML, math, emphasis or a table
    cell), and so is what means something at the start of a line (a list item,
    a comment ``%``, a target ``(label)=``); line breaks become spaces and the
    separators docutils would break a line at become character references.

    :param text: plain text
    :return: MyST inline text
    """
    text = re.sub(r"[\r\n\t]+", " ", text)
    text = _MYST_PUNCTUATION.sub(r"\\\1", text)
    text = _MYST_LINE_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), text
    )
    return _MYST_REFERENCE.sub(_reference, text)


def myst_argument(text: str) -> str:
    """A directive's argument (the rest of its first line), shown literally.

    :param text: plain text, e.g. a table caption
    :return: one line of MyST inline text
    """
    return myst_text(one_line(text)).strip()


def myst_option(text: str) -> str:
    """A directive option's value, as a double-quoted scalar of MyST's option syntax.

    Unquoted, a value is cut at `` #`` (a comment), read as a key at a leading
    ``:``, a flow mapping at ``{``, and ends at a newline. In double quotes only
    ``\\`` and ``"`` need escapes, and line breaks, separators and controls are
    written as ``\\uXXXX`` escapes, so the value is always one line.

    :param text: plain text, e.g. an image's alternative text
    :return: the quoted value
    """
    out: list[str] = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif char in LINE_SEPARATORS or unicodedata.category(char) == "Cc":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def role_safe(text: str) -> bool:
    """Whether a role can carry ``text`` as its content and show it exactly.

    A role's content is taken literally, but Sphinx reads ``title <target>`` at its
    end as an explicit title, and surrounding spaces are lost.

    :param text: plain text
    :return: True when :func:`myst_role` keeps the text whole
    """
    if not text or text != text.strip() or one_line(text) != text:
        return False
    return not (text.endswith(">") and "<" in text) and "\x00" not in text


def myst_role(name: str, content: str) -> str:
    """A role around literal content, fenced by more backticks than it holds.

    :param name: the role (our own constant, e.g. ``term``)
    :param content: the content; it must be :func:`role_safe` (or be built from a
        role-safe title and our own ``<label>``)
    :return: MyST
    :raises ValueError: when the content cannot be carried by a role
    """
    if not content or one_line(content) != content:
        raise ValueError(f"a role cannot carry {content!r}")
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{{{name}}}{fence}{pad}{content}{pad}{fence}"


def myst_ref(title: str, label: str) -> str:
    """A link to a labelled part of the book that shows ``title`` exactly.

    A ``{ref}`` role when the title is :func:`role_safe`, else a Markdown link
    ``[title](label)`` whose text is escaped inline text (MyST resolves it to
    the same label).

    :param title: the text to show (from the article)
    :param label: our own label (a slug)
    :return: MyST
    """
    # Sphinx takes the first "<" for the start of the target
    if role_safe(title) and "<" not in title:
        return myst_role("ref", f"{title} <{label}>")
    return f"[{myst_text(title)}]({label})"


def term_link(text: str, headword: str, *, explicit: bool = True) -> str:
    """A ``{term}`` link showing ``text`` to the glossary entry ``headword``.

    The target may hold any character but a line break; a text the role cannot
    show exactly is left as plain text (no link), never cut.

    :param text: the words as the article has them
    :param headword: the glossary entry's term
    :param explicit: name the entry even when the text is the headword
    :return: MyST
    """
    if role_safe(text) and "<" not in text and one_line(headword) == headword:
        short = text == headword and not explicit
        return myst_role("term", text if short else f"{text} <{headword}>")
    return myst_text(text)


def myst_code(text: str) -> str:
    """A code span showing ``text`` literally (on one line).

    :param text: plain text, e.g. a file name
    :return: MyST
    """
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# -- YAML -------------------------------------------------------------------------------------


def yaml_value(text: str) -> str:
    """A YAML scalar (front matter, configuration) that reads back as ``text``.

    JSON's string syntax is YAML's double-quoted scalar; ``ensure_ascii`` writes
    every line break, separator and control as an escape.

    :param text: plain text
    :return: a double-quoted scalar on one line
    """
    return json.dumps(text, ensure_ascii=True)


# -- Typst ------------------------------------------------------------------------------------

# every ASCII character with a meaning in Typst markup (a backslash makes any of them literal):
# all ASCII punctuation but the characters markup never reads as syntax, ",;:!?()%&|^"
_TYPST_SPECIAL: Final = re.compile(r"""([\\#$*_`<>@\[\]~/=+\-'"{}.])""")
# bidi marks, embeddings, overrides and isolates: Typst would obey them, and an override
# in an article ("\u202e") would print what follows it reversed; the LaTeX route drops
# them too (build_tools.sphinx_ext.scripts), and Typst sets right-to-left runs itself
_BIDI_CONTROLS: Final = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def typst_text(text: str) -> str:
    """Typst markup that shows ``text`` literally (for a Typst builder).

    Every ASCII character with a meaning in Typst markup (code ``#``, math ``$``,
    strong, emphasis, raw, labels, references, content blocks, comments ``//``,
    headings ``=``, lists ``-`` ``+`` ``1.``, dashes ``--``, the ellipsis ``...``,
    smart quotes) is backslash-escaped; line breaks and separators become a space;
    bidi controls are dropped (no text can reorder what follows it). The one Typst
    escape: the book's Typst builder and the worksheets use it.

    :param text: plain text
    :return: Typst markup
    """
    return _TYPST_SPECIAL.sub(r"\\\1", _BIDI_CONTROLS.sub("", one_line(text)))


def typst_string(text: str) -> str:
    """A Typst string literal ``"..."`` that reads back as ``text``.

    :param text: plain text
    :return: the quoted string
    """
    out = []
    for char in text:
        if char in '\\"':
            out.append("\\" + char)
        elif char in LINE_SEPARATORS or unicodedata.category(char) == "Cc":
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# -- XML --------------------------------------------------------------------------------------

# what XML 1.0 does not allow in a document at all, not even as a character reference
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_chars(text: str) -> str:
    """The text without the characters XML 1.0 forbids (the XML library escapes the rest).

    ElementTree writes a C0 control as it is, which no XML reader accepts.

    :param text: plain text
    :return: the text, every character of it allowed in XML
    """
    return _NOT_XML.sub("", text)


# -- GIFT -------------------------------------------------------------------------------------

_GIFT_SPECIAL: Final = "\\~=#{}:"


def gift_text(text: str) -> str:
    """GIFT text (a title, question or answer) that Moodle reads back as ``text``.

    ``~ = # { } :`` and the backslash are backslash-escaped; every line break or
    separator is GIFT's ``\\n`` (a real blank line would end the question).

    :param text: plain text
    :return: GIFT on one line
    """
    escaped = "".join(f"\\{char}" if char in _GIFT_SPECIAL else char for char in text)
    escaped = escaped.replace("\r\n", "\n")
    return re.sub(f"[\r\n{LINE_SEPARATORS}]", lambda _: "\\n", escaped)


def gift_match_left(text: str) -> str:
    """The left side of a GIFT matching pair: :func:`gift_text` without ``->``.

    Moodle splits a pair at its first ``->`` and GIFT has no escape for it, so
    in the left side a word joiner (U+2060, invisible) goes between ``-`` and ``>``.

    :param text: plain text
    :return: GIFT
    """
    return gift_text(text).replace("->", "-\u2060>")


def gift_comment(text: str) -> str:
    """The text of a ``//`` comment line: one line, so it cannot end the comment.

    :param text: plain text
    :return: one line
    """
    return one_line(text)
