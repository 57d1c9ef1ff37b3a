"""The typed model of an article: dataclasses only, no I/O.

Every text field holds plain text exactly as the reader should see it
(after the repairs done by :mod:`build_tools.article.seed`); renderers escape it for
their target format.  Every element keeps the 1-based line of the source
file it came from, so later stages can name it in their messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Inline:
    """A run of inline content.

    ``kind`` is one of ``text``, ``emphasis``, ``strong``, ``code`` or
    ``link``; ``text`` is the visible text, ``target`` the URL of a link.
    """

    kind: str
    text: str
    target: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    inlines: tuple[Inline, ...]
    line: int

    @property
    def text(self) -> str:
        """The paragraph's plain text, without markup."""
        return "".join(run.text for run in self.inlines)


@dataclass(frozen=True)
class Literal:
    """A block the author typed verbatim (code, raw HTML, directives): shown as-is."""

    text: str
    line: int


@dataclass(frozen=True)
class Table:
    """A pipe table with one header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int
    number: int = 0
    caption: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError("every table row needs as many cells as the header")


Block = Paragraph | Literal | Table


@dataclass(frozen=True)
class Section:
    """A ``###`` section of a chapter."""

    title: str
    label: str
    line: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Chapter:
    """A ``##`` chapter: optional opening blocks, then its sections."""

    number: int
    title: str
    label: str
    line: int
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    slug: str = ""

    @property
    def docname(self) -> str:
        """The name of the chapter's generated page, without suffix."""
        return f"{self.number:02d}-{self.slug}"


@dataclass(frozen=True)
class Article:
    """A whole article: title, lead paragraphs and chapters."""

    title: str
    lead: tuple[Block, ...]
    chapters: tuple[Chapter, ...]
    source: str = "article.md"
    warnings: tuple[str, ...] = field(default=())

    def paragraphs(self) -> list[tuple[Chapter | None, Section | None, Paragraph]]:
        """Every paragraph with the chapter and section it belongs to, in order."""
        found: list[tuple[Chapter | None, Section | None, Paragraph]] = [
            (None, None, block) for block in self.lead if isinstance(block, Paragraph)
        ]
        for chapter in self.chapters:
            found += [(chapter, None, b) for b in chapter.blocks if isinstance(b, Paragraph)]
            for section in chapter.sections:
                found += [(chapter, section, b) for b in section.blocks if isinstance(b, Paragraph)]
        return found

    @property
    def tables(self) -> list[Table]:
        """Every table of the article, in order."""
        blocks = list(self.lead)
        for chapter in self.chapters:
            blocks += chapter.blocks
            for section in chapter.sections:
                blocks += section.blocks
        return [block for block in blocks if isinstance(block, Table)]
