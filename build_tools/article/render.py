"""Render the model as MyST pages: pure functions from models to strings.

Text taken from an article or a data file is data: it goes through the helpers
of :mod:`build_tools.util.markup` (:func:`escape` is MyST inline text), so
nothing an author typed can become MyST syntax (roles, directives, raw HTML,
links, comments or math).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from build_tools.article.model import Article, Block, Chapter, Inline, Literal, Paragraph, Table
from build_tools.util.markup import myst_argument, myst_code, myst_text, one_line

#: Turns a run of plain text into MyST (escaped, possibly with term links).
TextRenderer = Callable[[str], str]


def escape(text: str) -> str:
    """Escape text so that MyST shows it literally (:func:`~build_tools.util.markup.myst_text`).

    :param text: plain text
    :return: MyST inline text
    """
    return myst_text(text)


def escape_role(text: str) -> str:
    """Text for the inside of a role: kept for callers; a role's content is literal.

    Prefer :func:`~build_tools.util.markup.myst_ref`, which falls back to a link
    when the text cannot be a role's content.

    :param text: plain text
    :return: the text on one line (role content is not unescaped by Sphinx)
    """
    return one_line(text)


@dataclass(frozen=True)
class BookInfo:
    """What the front page, colophon and Sphinx configuration need to know."""

    title: str
    slug: str
    author: str
    publisher: str
    language: str
    description: str
    identifier: str
    date: str
    seed_name: str
    seed_sha256: str
    version: str


def _code_span(text: str) -> str:
    return myst_code(text)


def render_inlines(runs: Sequence[Inline], text: TextRenderer = escape) -> str:
    """Render inline runs as MyST.

    :param runs: the runs of a paragraph or heading
    :param text: how to render plain text runs (escaping, term links)
    :return: one line of MyST
    """
    parts: list[str] = []
    for run in runs:
        if run.kind == "code":
            parts.append(_code_span(run.text))
        elif run.kind == "link":
            parts.append(f"[{escape(run.text)}](<{quote(run.target, safe=':/?#=&%~+,;@!$*')}>)")
        elif run.kind in ("emphasis", "strong"):
            mark = "*" if run.kind == "emphasis" else "**"
            core = run.text.strip()
            lead = run.text[: len(run.text) - len(run.text.lstrip())]
            tail = run.text[len(run.text.rstrip()) :]
            parts.append(
                f"{myst_text(lead)}{mark}{text(core)}{mark}{myst_text(tail)}"
                if core
                else myst_text(run.text)
            )
        else:
            parts.append(text(run.text))
    return "".join(parts)


def render_table(table: Table, text: TextRenderer = escape) -> str:
    """Render a table as a captioned MyST table.

    :param table: the table
    :param text: how to render cell text
    :return: MyST for the table
    """

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(text(cell) if cell else " " for cell in cells) + " |"

    lines = [
        f":::{{table}} {myst_argument(table.caption)}" if table.caption else ":::{table}",
        f":name: table-{table.number}",
        "",
        row(table.header),
        "|" + "|".join("---" for _ in table.header) + "|",
        *(row(cells) for cells in table.rows),
        ":::",
    ]
    return "\n".join(lines)


def render_literal(block: Literal) -> str:
    """Render a block the author typed verbatim as a literal block.

    :param block: the literal block
    :return: a fenced ``text`` block long enough to hold any backticks inside
    """
    longest = max((len(m) for m in re.findall(r"`{3,}|~{3,}", block.text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{block.text}\n{fence}"


def render_block(block: Block, text: TextRenderer = escape) -> str:
    """Render one block.

    :param block: paragraph, literal or table
    :param text: how to render plain text runs
    :return: MyST for the block
    """
    if isinstance(block, Paragraph):
        return render_inlines(block.inlines, text)
    if isinstance(block, Table):
        return render_table(block, text)
    return render_literal(block)


def render_chapter(
    chapter: Chapter,
    *,
    text_for: Callable[[str], TextRenderer] | None = None,
    review: str = "",
    figures: Mapping[str, str] | None = None,
) -> str:
    """Render a chapter page.

    :param chapter: the chapter
    :param text_for: given a section or chapter label, the text renderer for
        that part (lets the glossary link each term once per section)
    :param review: MyST for the chapter's review exercises, appended at the end
    :param figures: MyST to insert, by label: a chapter's or section's label puts
        it right after the heading, a table's label (``table-N``) after the table
    :return: the page's MyST
    """

    def renderer(label: str) -> TextRenderer:
        return text_for(label) if text_for else escape

    inserts = figures or {}

    def blocks(label: str, content: Sequence[Block]) -> list[str]:
        text = renderer(label)
        rendered = [inserts[label]] if label in inserts else []
        for block in content:
            rendered.append(render_block(block, text))
            if isinstance(block, Table) and f"table-{block.number}" in inserts:
                rendered.append(inserts[f"table-{block.number}"])
        return rendered

    parts = [f"({chapter.label})=", f"# {escape(chapter.title)}"]
    parts += blocks(chapter.label, chapter.blocks)
    for section in chapter.sections:
        parts += [f"({section.label})=\n## {escape(section.title)}"]
        parts += blocks(section.label, section.blocks)
    if review:
        parts.append(review)
    return "\n\n".join(parts) + "\n"


def render_introduction(
    article: Article, *, text: TextRenderer = escape, heading: str = "Introduction"
) -> str:
    """Render the article's lead paragraphs as the book's introduction.

    In the PDF the introduction is an unnumbered chapter before chapter 1.

    :param article: the article
    :param text: how to render plain text runs
    :param heading: the introduction's heading
    :return: the page's MyST
    """
    parts = [
        "```{raw} latex\n\\setcounter{secnumdepth}{-1}\n```",
        f"(introduction)=\n# {escape(heading)}",
        *(render_block(block, text) for block in article.lead),
        "```{raw} latex\n\\setcounter{secnumdepth}{1}\n```",
    ]
    return "\n\n".join(parts) + "\n"


def render_front(
    article: Article,
    info: BookInfo,
    *,
    back_matter: Sequence[str] = (),
) -> str:
    """Render the front page: title, downloads and the table of contents.

    :param article: the article
    :param info: the book's metadata
    :param back_matter: docnames (relative to the generated folder) after the chapters
    :return: MyST included by ``book/index.md``
    """
    chapters = "\n".join(f"/_generated/{chapter.docname}" for chapter in article.chapters)
    back = "\n".join(f"/_generated/{name}" for name in back_matter)
    slug = html.escape(quote(info.slug))
    summary = article.lead[0] if article.lead and isinstance(article.lead[0], Paragraph) else None
    lines = [
        f"# {escape(info.title)}",
        "",
        f"{{.book-subtitle}}\n{escape(info.description)}",
        "",
        ":::{only} builder_html",
        "```{raw} html",
        '<p class="book-downloads">',
        f'<a class="download-link" href="downloads/{slug}.epub" download>Download EPUB</a>',
        f'<a class="download-link" href="downloads/{slug}.pdf" download>Download PDF</a>',
        "</p>",
        "```",
        ":::",
        "",
    ]
    if summary is not None:
        lines += [render_inlines(summary.inlines), ""]
    lines += [
        "```{toctree}",
        ":caption: Introduction",
        "",
        "/_generated/introduction",
        "```",
        "",
        "```{toctree}",
        ":caption: Chapters",
        ":numbered: 2",
        "",
        chapters,
        "```",
    ]
    if back:
        lines += ["", "```{toctree}", ":caption: Back matter", "", back, "```"]
    return "\n".join(lines) + "\n"


def render_colophon(info: BookInfo, *, build_date: str) -> str:
    """Render the colophon: where the text comes from and how it was built.

    :param info: the book's metadata
    :param build_date: the build date (ISO), from ``SOURCE_DATE_EPOCH`` when set
    :return: the page's MyST
    """
    rows = [
        ("Source text", _code_span(info.seed_name)),
        ("SHA-256 of the source", escape(info.seed_sha256)),
        ("Build date", escape(build_date)),
        ("Pipeline version", escape(info.version)),
        ("Publisher", escape(info.publisher)),
        ("Book identifier", escape(info.identifier)),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        "(colophon)=\n# Colophon\n\n"
        f"This book was made from the article {escape(info.title)} by the classroom "
        "publishing pipeline. To cite the exact version of the text, give its file "
        "name and SHA-256 checksum below.\n\n"
        ":::{table} Provenance of this edition\n:name: table-colophon\n\n"
        "| Item | Value |\n|---|---|\n"
        f"{table}\n:::\n"
    )


#: Put at the top of the first back-matter page: appendices in the PDF, their
#: figures and tables numbered "C.1" (Sphinx numbers them by ``\arabic{chapter}``).
LATEX_APPENDIX = (
    "```{raw} latex\n\\appendix\n"
    "\\renewcommand{\\thefigure}{\\thechapter.\\arabic{figure}}\n"
    "\\renewcommand{\\thetable}{\\thechapter.\\arabic{table}}\n```\n\n"
)
