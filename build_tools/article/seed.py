"""Parse an article (CommonMark with pipe tables) into the typed model.

The article is data: raw HTML, MyST directives and roles, LaTeX commands are
kept as the literal text the author typed.  Anything outside the supported
shape (one ``#`` title, lead paragraphs, ``##`` chapters, ``###`` sections,
paragraphs and pipe tables) raises :class:`~build_tools.errors.BuildError`
naming the line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt

from build_tools.article.model import (
    Article,
    Block,
    Chapter,
    Inline,
    Literal,
    Paragraph,
    Section,
    Table,
)
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from markdown_it.token import Token

_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\n\r\f\v]")
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_UNSUPPORTED = {
    "bullet_list_open": "a bulleted list",
    "ordered_list_open": "a numbered list",
    "blockquote_open": "a block quote",
}


def decode_source(data: bytes, *, path: str) -> str:
    """Decode an article's bytes: UTF-8 with or without BOM, CRLF or LF.

    :param data: the file's bytes
    :param path: the file's name, for messages
    :return: the text with ``\\n`` line endings
    :raises BuildError: if the bytes are not UTF-8
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise BuildError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at byte {column} of the line, "
            f"offset {err.start} in the file); save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def repair_text(text: str) -> str:
    """Repair what exported articles get wrong without changing their meaning.

    Literal JSON escapes such as ``\\u003c`` become the character they name,
    and runs of spaces collapse to one.

    :param text: inline text of the article
    :return: the repaired text
    """
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _SPACES.sub(" ", text)


def slugify(title: str) -> str:
    """A label-safe ASCII slug of a title ('' when nothing ASCII is left).

    :param title: the title
    :return: lower-case words joined by hyphens
    """
    title = re.sub(r"['’]", "", title)
    spaced = "".join(c if c.isalnum() else " " for c in unicodedata.normalize("NFKD", title))
    ascii_title = spaced.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


@dataclass
class _Labels:
    """Hands out unique labels, warning about duplicate titles."""

    used: dict[str, int] = field(default_factory=dict)

    def take(self, base: str) -> str:
        count = self.used.get(base, 0) + 1
        self.used[base] = count
        return base if count == 1 else f"{base}-{count}"


@dataclass
class _Builder:
    """Collects blocks into chapters and sections while walking the tokens."""

    path: str
    title: str = ""
    title_line: int = 0
    lead: list[Block] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    labels: _Labels = field(default_factory=_Labels)
    titles_seen: dict[tuple[str, str], int] = field(default_factory=dict)
    tables: int = 0
    # the chapter and section being filled
    chapter: tuple[str, int, str] | None = None
    chapter_blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    section: tuple[str, int] | None = None
    section_blocks: list[Block] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.path}:{line}: {message}")

    def add(self, block: Block) -> None:
        if self.section is not None:
            self.section_blocks.append(block)
        elif self.chapter is not None:
            self.chapter_blocks.append(block)
        else:
            self.lead.append(block)

    def label(self, kind: str, title: str, line: int, scope: str) -> str:
        first = self.titles_seen.setdefault((scope, title), line)
        if first != line:
            self.warn(
                line,
                f"{kind} title {title!r} repeats the one on line {first}; "
                "it gets its own label, but readers may confuse the two",
            )
        base = slugify(title) or f"{kind}-{line}"
        prefix = "ch" if kind == "chapter" else "sec"
        return self.labels.take(f"{prefix}-{base}")

    def close_section(self) -> None:
        if self.section is None:
            return
        title, line = self.section
        if not self.section_blocks:
            raise BuildError(
                f"section {title!r} is empty; write its text or remove the heading",
                path=self.path,
                line=line,
            )
        label = self.label("section", title, line, scope="section")
        self.sections.append(Section(title, label, line, tuple(self.section_blocks)))
        self.section, self.section_blocks = None, []

    def close_chapter(self) -> None:
        self.close_section()
        if self.chapter is None:
            return
        title, line, label = self.chapter
        if not self.chapter_blocks and not self.sections:
            raise BuildError(
                f"chapter {title!r} is empty; write its text or remove the heading",
                path=self.path,
                line=line,
            )
        number = len(self.chapters) + 1
        slug = slugify(title) or f"chapter-{number}"
        self.chapters.append(
            Chapter(
                number=number,
                title=title,
                label=label,
                line=line,
                blocks=tuple(self.chapter_blocks),
                sections=tuple(self.sections),
                slug=slug,
            )
        )
        self.chapter, self.chapter_blocks, self.sections = None, [], []


def _title(build: _Builder, title: str, line: int) -> None:
    """Take the article's one ``#`` title."""
    if build.title:
        raise BuildError(
            f"a second '#' title ({title!r}); the article has one title, "
            f"on line {build.title_line}: make this one a '##' chapter",
            path=build.path,
            line=line,
        )
    if build.lead:
        raise BuildError(
            "text comes before the '#' title; move the title to the top",
            path=build.path,
            line=line,
        )
    build.title, build.title_line = title, line


def _heading(build: _Builder, level: int, title: str, line: int) -> None:
    """Take a heading: the title, or open a chapter (``##``) or a section (``###``)."""
    if not title:
        raise BuildError(
            "this heading has no text; write a title or remove it", path=build.path, line=line
        )
    if level == 1:
        _title(build, title, line)
        return
    if not build.title:
        raise BuildError(
            "the article has no '#' title before its first heading; start the file with '# Title'",
            path=build.path,
            line=line,
        )
    if level == 2:
        build.close_chapter()
        build.chapter = (title, line, build.label("chapter", title, line, scope="chapter"))
    elif level == 3:
        if build.chapter is None:
            raise BuildError(
                f"section {title!r} ('###') comes before any chapter ('##'): "
                "a heading level is skipped; add a '##' chapter above it",
                path=build.path,
                line=line,
            )
        build.close_section()
        build.section = (title, line)
    else:
        raise BuildError(
            f"heading level {level} ({'#' * level}) is deeper than a section; "
            "use '###' or make it a paragraph",
            path=build.path,
            line=line,
        )


def _inlines(token: Token) -> tuple[Inline, ...]:
    """Turn an inline token's children into plain runs (no raw markup kept)."""
    runs: list[Inline] = []
    strong = emphasis = 0
    link: str | None = None
    for child in token.children or ():
        kind = child.type
        if kind.endswith(("_open", "_close")):
            step = 1 if kind.endswith("_open") else -1
            if kind.startswith("strong"):
                strong += step
            elif kind.startswith("em"):
                emphasis += step
            elif kind.startswith("link"):
                href = str(child.attrs.get("href", "")) if step == 1 else ""
                link = href if step == 1 and _SAFE_LINK.match(href) else None
            continue
        if kind == "code_inline":
            runs.append(Inline("code", child.content))
            continue
        if kind in ("softbreak", "hardbreak"):
            text = " "
        elif kind == "image":
            text = child.content  # the alt text: images are never fetched
        else:  # text, html_inline, entities: what the author typed, as text
            text = child.content
        style = "link" if link else "strong" if strong else "emphasis" if emphasis else "text"
        if runs and runs[-1].kind == style and runs[-1].target == (link or ""):
            runs[-1] = Inline(style, runs[-1].text + text, link or "")
        else:
            runs.append(Inline(style, text, link or ""))
    return tuple(
        Inline(run.kind, run.text if run.kind == "code" else repair_text(run.text), run.target)
        for run in runs
    )


def _strip(runs: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Trim spaces at both ends of a run sequence and drop empty runs."""
    items = [run for run in runs if run.text]
    if items:
        items[0] = Inline(items[0].kind, items[0].text.lstrip(), items[0].target)
        items[-1] = Inline(items[-1].kind, items[-1].text.rstrip(), items[-1].target)
    return tuple(run for run in items if run.text)


def _split_row(line: str) -> list[str]:
    """Split a raw pipe-table line into cells, honouring ``\\|`` escapes."""
    cells = re.split(r"(?<!\\)\|", line.strip())
    if cells and cells[0].strip() == "":
        cells = cells[1:]
    if cells and cells[-1].strip() == "" and line.strip().endswith("|"):
        cells = cells[:-1]
    return cells


def _table(tokens: list[Token], start: int, lines: list[str], build: _Builder) -> int:
    """Read a table starting at ``tokens[start]``; return the index after it."""
    open_token = tokens[start]
    first, last = open_token.map or (0, 0)
    header: list[str] = []
    rows: list[list[str]] = []
    in_head = True
    index = start + 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tbody_open":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            rows.append([])
        elif token.type == "inline":
            text = "".join(run.text for run in _strip(_inlines(token)))
            (header if in_head else rows[-1]).append(text)
        index += 1
    width = len(header)
    for number, raw in enumerate(lines[first:last], start=first + 1):
        if number == first + 2:
            continue  # the delimiter row
        cells = len(_split_row(raw))
        if cells > width:
            raise BuildError(
                f"this table row has {cells} cells but the header has {width}; "
                "the extra cells would be lost: add header cells or merge the row's cells",
                path=build.path,
                line=number,
            )
        if cells < width:
            build.warn(
                number,
                f"this table row has {cells} cells but the header has {width}; "
                "the missing cells are left empty",
            )
    build.tables += 1
    build.add(
        Table(
            header=tuple(header),
            rows=tuple(tuple(row) for row in rows),
            line=first + 1,
            number=build.tables,
            caption=build.section[0] if build.section else (build.chapter or ("",))[0],
        )
    )
    return index + 1


def _literal(token: Token, lines: list[str], line: int) -> Literal:
    """A code block, fence or HTML block, kept as the text the author typed."""
    if token.type == "fence":
        # the text as typed, fences included: it is shown, never run
        end = token.map[1] if token.map else line
        literal = "\n".join(lines[line - 1 : end]).rstrip("\n")
    else:
        literal = token.content.rstrip("\n")
    return Literal(_UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), literal), line)


def _block(tokens: list[Token], index: int, lines: list[str], build: _Builder) -> int:
    """Read the heading or block starting at ``tokens[index]``; return the index after it."""
    token = tokens[index]
    line = (token.map[0] + 1) if token.map else 0
    if token.type == "heading_open":
        title = "".join(run.text for run in _strip(_inlines(tokens[index + 1])))
        _heading(build, int(token.tag[1:]), title, line)
        return index + 3
    if not build.title and token.type not in ("hr",):
        raise BuildError(
            "the article has no '#' title; start the file with '# Title'",
            path=build.path,
            line=line,
        )
    if token.type == "paragraph_open":
        runs = _strip(_inlines(tokens[index + 1]))
        if runs:
            build.add(Paragraph(runs, line))
        return index + 3
    if token.type == "table_open":
        return _table(tokens, index, lines, build)
    if token.type in ("fence", "code_block", "html_block"):
        build.add(_literal(token, lines, line))
        return index + 1
    if token.type == "hr":
        build.warn(line, "a horizontal rule ('---') is ignored; remove it")
        return index + 1
    if token.type in _UNSUPPORTED:
        raise BuildError(
            f"{_UNSUPPORTED[token.type]} is not supported in an article; "
            "write it as a paragraph or a pipe table",
            path=build.path,
            line=line,
        )
    raise BuildError(
        f"unsupported Markdown ({token.type}); write it as a paragraph",
        path=build.path,
        line=line,
    )


def _article(build: _Builder) -> Article:
    """The article the builder collected, once every token is read."""
    if not build.title:
        raise BuildError(
            "the article has no '#' title; start the file with '# Title'", path=build.path, line=1
        )
    build.close_chapter()
    if not build.chapters:
        raise BuildError(
            "the article has a title but no '##' chapters; add at least one '## Chapter'",
            path=build.path,
            line=build.title_line,
        )
    return Article(
        title=build.title,
        lead=tuple(build.lead),
        chapters=tuple(build.chapters),
        source=build.path,
        warnings=tuple(build.warnings),
    )


def parse_seed(text: str, *, source: str = "article.md") -> Article:
    """Parse an article into the model.

    :param text: the article's text (decoded, ``\\n`` line endings)
    :param source: the file's name, for messages
    :return: the article
    :raises BuildError: if the article is outside the supported shape
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise BuildError(
            "the article is empty; it needs a '# Title', lead paragraphs and '##' chapters",
            path=source,
            line=1,
        )
    lines = text.split("\n")
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = parser.parse(text)
    build = _Builder(path=source)
    index = 0
    while index < len(tokens):
        index = _block(tokens, index, lines, build)
    return _article(build)
