"""The worksheets and keys without TeX: Typst documents, compiled by the ``typst`` package.

The same content as the LaTeX route (:mod:`build_tools.classroom.worksheet_content`),
written as calls of our template ``worksheet-template.typ``; every text goes through
:func:`build_tools.util.markup.typst_text`, so Typst evaluates none of it.
:func:`compile_worksheets` compiles both documents in this process with only
the fonts of :data:`build_tools.util.typst.FONTS` (the PDF dated
``SOURCE_DATE_EPOCH`` when it is set: the same input gives the same bytes) and
writes, beside each PDF, the ``<chapter> <page>`` lines that
:func:`~build_tools.classroom.cutting.split_by_chapter` cuts it by, queried from
the laid-out document. The pipeline runs it in a process of its own, beside the
Sphinx builds: ``python -m build_tools.classroom.worksheets_typst FOLDER``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from build_tools.classroom.worksheet_content import (
    INVISIBLE,
    chapters_of,
    check_input,
    document_title,
)
from build_tools.exercises.model import Exercise
from build_tools.util.markup import typst_string, typst_text
from build_tools.util.typst import link_fonts

TEMPLATE: Final = Path(__file__).with_name("worksheet-template.typ")
#: The paper sizes, as Typst's names.
PAPERS: Final = {"a4": "a4", "letter": "us-letter"}
#: Where a very long word (a checksum, a URL) may break: between chunks of this many characters.
_CHUNK: Final = 12
_LONG_WORD: Final = re.compile(r"\S{30,}")


def _breakable(text: str) -> str:
    """Zero-width spaces between the chunks of very long words: a line may break there."""

    def chunked(match: re.Match[str]) -> str:
        word = match.group()
        return "\u200b".join(word[start : start + _CHUNK] for start in range(0, len(word), _CHUNK))

    return _LONG_WORD.sub(chunked, text)


class TypstMarkup:
    """The worksheets' pieces as Typst, for the functions of ``worksheet-template.typ``."""

    def text(self, text: str) -> str:
        return typst_text(_breakable(INVISIBLE.sub(" ", text)))

    def bold(self, body: str) -> str:
        return f"#strong[{body}]"

    def emph(self, body: str) -> str:
        return f"#emph[{body}]"

    def aside(self, body: str) -> str:
        return f'#text(size: small, style: "italic")[{body}]'

    def gap(self) -> str:
        return "#v(0.15em)"

    def item(self, mark: str, body: str, width: str) -> str:
        return f"#ws-item({width}, [{mark}], [{body}])"

    def tick(self, letter: str) -> str:
        return f"#ws-tick[{letter}.]"

    def ordered(self, number: int, letter: str) -> str:
        return f"{number}\\.#h(0.5em)#strong[{letter}]"

    def quote(self, body: str) -> str:
        return f"#ws-quote[{body}]"

    def note(self, body: str) -> str:
        return f"#ws-note[{body}]"

    def lines(self, count: int) -> str:
        return f"#ws-lines({count})"

    def boxes(self, count: int) -> str:
        return f"#ws-boxes({count})"

    def true_false(self) -> str:
        return "#ws-true-false"

    def grid(self, rows: Sequence[tuple[str, str]]) -> str:
        cells = ", ".join(f"([{term}], [{definition}])" for term, definition in rows)
        return f"#ws-grid({cells})"

    def sub_source(self, body: str) -> str:
        return f"#ws-sub-source[{body}]"

    def exercise(self, title: str, note: str, parts: Sequence[str]) -> str:
        shown = ", ".join(f"[{part}]" for part in parts if part)
        return f"#ws-exercise([{title}], [{note}], ({shown},))"

    def chapter(self, number: int, foot: str, head: str, heading: str, key: bool) -> str:
        if key:
            lines = (
                "#ws-keynote#v(0.3em)#parbreak()#text(size: small)[Answers, marking points and the "
                "passage of the article behind each answer.]"
            )
        else:
            lines = "#text(size: small)[Answer every exercise in the space provided.]#ws-namelines"
        return f"#ws-chapter({number}, [{foot}])\n#ws-header([{head}], [{heading}], [{lines}])"


def render_worksheets_typst(
    exercises: Sequence[Exercise],
    *,
    book_title: str,
    chapters: Sequence[tuple[int, str]],
    paper: str,
    key: bool,
) -> str:
    """One Typst document with every chapter's worksheet (or teacher key).

    The document calls the functions of our template ``worksheet-template.typ``.

    Each chapter starts on a new page, with page numbers of its own, and a
    ``<ws-chapter>`` mark holding its number and first page; a chapter
    without exercises gets no worksheet.

    :param exercises: the numbered exercises, in book order
    :param book_title: the book's title
    :param chapters: each chapter's number and title, in book order
    :param paper: ``a4`` or ``letter``
    :param key: the teacher key (answers) instead of the student's worksheet
    :return: the document
    :raises ValueError: for an unknown paper size, no exercises, or an exercise of
        a chapter not in ``chapters``
    """
    check_input(exercises, chapters=chapters, paper=paper)
    body = chapters_of(TypstMarkup(), exercises, book_title=book_title, chapters=chapters, key=key)
    title = typst_string(document_title(book_title, key=key))
    return (
        "// generated by build_tools.classroom.worksheets_typst: do not edit\n"
        f'#import "{TEMPLATE.name}": *\n'
        f"#show: worksheets.with(title: {title}, paper: {typst_string(PAPERS[paper])})\n\n"
        + "\n\n".join(body)
        + "\n"
    )


def _timestamp() -> int | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else None


def compile_worksheets(folder: Path, sources: Sequence[str]) -> list[str]:
    """Compile each ``.typ`` document of a folder to PDF, and write where its chapters start.

    Writes ``<stem>.pdf`` and ``<stem>.chapters`` (``<chapter> <page>`` lines)
    for each source; the fonts are loaded once for all of them.

    :param folder: the folder :func:`~build_tools.classroom.worksheets.write_sources` wrote
    :param sources: the ``.typ`` file names in it
    :return: Typst's warnings (a font this machine lacks, say)
    :raises RuntimeError: when Typst reports an error (with its message)
    """
    import typst

    messages: list[str] = []
    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(link_fonts(folder / "fonts"))],
    )
    for name in sources:
        source = folder / name
        stem = source.stem
        compiler = typst.Compiler(str(source), root=str(folder), font_paths=fonts)
        try:
            pdf, warnings = compiler.compile_with_warnings(format="pdf", timestamp=_timestamp())
            starts = json.loads(compiler.query("<ws-chapter>", field="value", format="json"))
        except typst.TypstError as err:
            raise RuntimeError(f"Typst failed on {name}: {err.message}\n{err.diagnostic}") from None
        messages += [f"{name}: {w.message} {w.diagnostic.strip()}" for w in warnings]
        assert isinstance(pdf, bytes)
        lines = "".join(f"{start['chapter']} {start['page']}\n" for start in starts)
        (folder / f"{stem}.chapters").write_text(lines, encoding="ascii")
        (folder / f"{stem}.pdf").write_bytes(pdf)
    return messages


def main(argv: Sequence[str] | None = None) -> int:
    """Compile the worksheets of a folder: ``python -m build_tools.classroom.worksheets_typst DIR``.

    :param argv: the folder, then the ``.typ`` file names (default: both documents)
    :return: 0, or 1 after printing Typst's error
    """
    from build_tools.classroom.worksheets import typst_sources

    arguments = list(sys.argv[1:] if argv is None else argv)
    folder = Path(arguments[0])
    try:
        warnings = compile_worksheets(folder, arguments[1:] or typst_sources())
    except RuntimeError as err:
        print(f"ERROR: {err}")  # noqa: T201 (the pipeline shows a failed tool's output)
        return 1
    for warning in warnings:
        print(f"WARNING: {warning}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
