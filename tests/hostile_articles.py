"""Hostile articles: hypothesis strategies for articles of the valid shape made of syntax.

An article has one ``#`` title, a lead, ``##`` chapters with ``###`` sections,
paragraphs with dated sentences and a pipe table; every text in it is drawn
from the special characters of every syntax the book is written in (MyST,
YAML, LaTeX, GIFT, XML, HTML comments, CDATA, Jinja, Unicode separators, RTL
marks, combining marks) mixed with words and dates.

:func:`expected_texts` says what a reader must find verbatim: the plain text
of the parsed article. :func:`myst_text_of` reads a generated MyST page back
with MyST's own markdown-it parser (no Sphinx), for the render-only test.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from hypothesis import strategies as st

from build_tools.article.model import Article, Block, Paragraph, Table
from build_tools.util.markup import one_line

#: The special characters of every target syntax, and sequences with a meaning.
SPECIALS = [
    *"#$%&~_^\\{}[]<>\"'`|*:=@",
    "-->",
    "<!--",
    "]]>",
    "{{ x }}",
    "{% if %}",
    "#1",
    " #2",
    ":alt:",
    "\\input{x}",
    "&amp;",
    "$x$",
    "->",
    "%}",
    "\u2028",  # LINE SEPARATOR
    "\u2029",  # PARAGRAPH SEPARATOR
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "e\u0301",  # e and a combining acute accent
    "\u0301",  # a combining mark after whatever comes before
]
WORDS = ["war", "army", "river", "Seoul", "treaty", "한국", "北京", "東京", "بغداد", "ירושלים"]
MONTHS = ["January", "March", "June", "July", "September", "December"]

_token = st.one_of(st.sampled_from(SPECIALS), st.sampled_from(WORDS))


@st.composite
def phrase(draw: st.DrawFn, *, cell: bool = False, size: int = 5) -> str:
    """Words and special characters, starting with a word (so no line becomes a heading,
    a table row or a fence: those are the article's own syntax).

    :param cell: for a table cell: no ``|`` (it separates cells)
    :param size: the most tokens after the first word
    """
    tokens = draw(st.lists(_token, min_size=1, max_size=size))
    if cell:
        tokens = [token.replace("|", "/") for token in tokens]
    glue = draw(
        st.lists(st.sampled_from([" ", "", " "]), min_size=len(tokens), max_size=len(tokens))
    )
    text = draw(st.sampled_from(WORDS)) + "".join(g + t for g, t in zip(glue, tokens, strict=True))
    return re.sub(" +", " ", text).strip(" ")  # the parser collapses runs of spaces


@st.composite
def dated_sentence(draw: st.DrawFn) -> str:
    """A sentence the chronology extracts: a full date, then hostile text."""
    month = draw(st.sampled_from(MONTHS))
    day = draw(st.integers(1, 28))
    year = draw(st.integers(1900, 1999))
    return f"On {month} {day}, {year}, the {draw(phrase())} happened."


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    sentences = [draw(dated_sentence())]
    if draw(st.booleans()):
        sentences.append(f"Then {draw(phrase())}.")
    return " ".join(sentences)


@st.composite
def table(draw: st.DrawFn) -> str:
    header = [draw(phrase(cell=True, size=2)) for _ in range(2)]
    rows = [
        [draw(phrase(cell=True, size=2)) for _ in range(2)] for _ in range(draw(st.integers(1, 2)))
    ]
    lines = ["| " + " | ".join(header) + " |", "|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


@st.composite
def article(draw: st.DrawFn, *, chapters: int = 2) -> str:
    """A whole article of the valid shape (see the module docstring).

    :param chapters: the most chapters
    :return: the article's Markdown
    """
    parts = [f"# {draw(phrase())}", draw(paragraph())]
    for number in range(draw(st.integers(1, chapters))):
        parts.append(f"## {draw(phrase(size=3))} {number + 1}")
        for section in range(draw(st.integers(1, 2))):
            parts.append(f"### {draw(phrase(size=3))} {number + 1}.{section + 1}")
            parts += [draw(paragraph()) for _ in range(draw(st.integers(1, 2)))]
            if number == 0 and section == 0:
                parts.append(draw(table()))
    return "\n\n".join(parts) + "\n"


# -- what must survive ---------------------------------------------------------------------------


def _block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph):
        # a code span cannot hold a line separator (docutils would break the line there,
        # and character references are not read inside it): it shows a space
        yield "".join(one_line(r.text) if r.kind == "code" else r.text for r in block.inlines)
    elif isinstance(block, Table):
        yield from (cell for cell in block.header if cell)
        yield from (cell for row in block.rows for cell in row if cell)


def expected_texts(parsed: Article) -> list[str]:
    """Every text of the article a reader must find verbatim: title, headings, blocks.

    :param parsed: the parsed article
    :return: plain texts
    """
    texts = [parsed.title]
    for block in parsed.lead:
        texts += _block_texts(block)
    for chapter in parsed.chapters:
        texts.append(chapter.title)
        for block in chapter.blocks:
            texts += _block_texts(block)
        for section in chapter.sections:
            texts.append(section.title)
            for block in section.blocks:
                texts += _block_texts(block)
    return [text for text in texts if text.strip()]


def flat(text: str) -> str:
    """Runs of ASCII whitespace as one space (HTML layout), NFC (as Sphinx and browsers keep it)."""
    return unicodedata.normalize("NFC", " ".join(re.split(r"[ \t\n\r]+", text.strip())))


def squeezed(text: str) -> str:
    """For PDF text: no whitespace or separators at all, compatibility forms folded, no
    invisible marks (pdftotext breaks lines, spaces CJK glyphs, prints Arabic presentation
    forms and drops the directional marks that are not glyphs)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        char
        for char in folded
        if not char.isspace() and unicodedata.category(char) not in ("Cf", "Zl", "Zp", "Mn")
    )


# -- reading generated MyST back without Sphinx --------------------------------------------------

#: Directives our renderers write (anything else would be the article's text turned into syntax).
DIRECTIVES = {"table", "figure", "raw", "toctree", "only", "glossary"}
#: Roles our renderers write.
ROLES = {"ref", "term", "book-file"}
_MARKUP_TOKENS = {"html_inline", "html_block", "math_inline", "math_block", "myst_line_comment"}


@functools.cache
def _parser():  # type: ignore[no-untyped-def]
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={"colon_fence", "attrs_inline", "attrs_block"})
    return create_md_parser(config, RendererHTML)


@dataclass
class PageText:
    """What a reader would see of a MyST page, and any markup the text turned into."""

    text: str
    problems: list[str]
    options: list[dict[str, str]]
    targets: list[str] = field(default_factory=list)


def myst_text_of(page: str) -> PageText:
    """Parse a generated page with MyST's markdown-it, directive bodies too.

    :param page: MyST
    :return: the visible text (roles by their shown title), unexpected markup, and the
        options of every directive (parsed by MyST's own option parser)
    """
    parser = _parser()
    from myst_parser.parsers.options import TokenizeError, options_to_items

    out = PageText("", [], [])
    texts: list[str] = []

    def walk(source: str) -> None:
        for token in parser.parse(source):
            if token.type in _MARKUP_TOKENS:
                out.problems.append(f"{token.type}: {token.content!r}")
            if token.type in ("fence", "colon_fence") and token.info.startswith("{"):
                name = token.info[1 : token.info.index("}")]
                if name not in DIRECTIVES:
                    out.problems.append(f"directive {name}")
                    continue
                if name == "raw":
                    continue  # our fixed LaTeX and HTML
                argument = token.info[token.info.index("}") + 1 :].strip()
                body = token.content
                lines = body.split("\n")
                option_lines = []
                while lines and lines[0].startswith(":"):
                    option_lines.append(lines.pop(0))
                if option_lines:
                    # MyST reads ":key: value" lines as YAML "key: value"
                    try:
                        items, state = options_to_items("\n".join(o[1:] for o in option_lines))
                    except TokenizeError as error:
                        out.problems.append(f"options of {name}: {error}")
                        continue
                    if state.has_comments:
                        out.problems.append(f"comment in options of {name}")
                    out.options.append(dict(items))
                if argument and name in ("table", "figure"):
                    walk(argument)
                if name not in ("toctree",):
                    walk("\n".join(lines))
            elif token.type == "inline":
                texts.append(_inline_text(token, out))
            elif token.type in ("fence", "code_block"):
                texts.append(token.content)

    walk(page)
    out.text = "\n".join(texts)
    return out


def _inline_text(token, out: PageText) -> str:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    for child in token.children or []:
        if child.type in _MARKUP_TOKENS:
            out.problems.append(f"{child.type}: {child.content!r}")
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append("\n")
        elif child.type == "myst_role":
            name = child.meta.get("name", "")
            if name not in ROLES:
                out.problems.append(f"role {name}")
            content = child.content
            # as Sphinx splits an explicit title (sphinx.util.nodes.split_explicit_title)
            match = re.fullmatch(r"(.+?)\s*<(.*?)>", content, re.DOTALL)
            parts.append(match.group(1) if match else content)
            if name == "ref":
                out.targets.append(match.group(2) if match else content)
        elif child.type == "link_open":
            out.targets.append(str(child.attrs.get("href", "")))
    return "".join(parts)


# -- a whole book: the article with a glossary and an exercise file ------------------------------

# what a glossary name may hold: the article's own inline syntax (emphasis, code, links,
# escapes) would change the parsed text, and the glossary refuses ` < > | and line breaks
# in a name (exit 2, naming the line: a {term} role cannot carry them)
TERM_SPECIALS = [*"#$%&~^{}\"':=@", "--", "]]", "{{", "}}", "{%", "%}", "-", "\u200f", "e\u0301"]


@dataclass(frozen=True)
class HostileBook:
    """A drawn book: the article's text and the companion files' data (not yet YAML)."""

    text: str
    terms: tuple[dict[str, object], ...]
    exercise: dict[str, object]


@st.composite
def term_name(draw: st.DrawFn, index: int) -> str:
    word = draw(st.sampled_from(WORDS))
    special = draw(st.sampled_from(TERM_SPECIALS))
    return f"Term{index}{special}{word}"


@st.composite
def book(draw: st.DrawFn) -> HostileBook:
    """An article whose first section names four glossary terms and holds four dated
    events (so the build makes matching and ordering exercises), with the glossary's and
    a multiple-choice exercise's texts drawn from every syntax too."""
    from build_tools.article.seed import parse_seed

    names = [draw(term_name(index)) for index in range(4)]
    meeting = "The " + ", the ".join(names[:3]) + " and the " + names[3] + " met in 1950."
    years = draw(st.lists(st.integers(1900, 1999), min_size=4, max_size=4, unique=True))
    dated = [
        f"On {draw(st.sampled_from(MONTHS))} 3, {year}, the {draw(phrase(size=3))} happened."
        for year in years
    ]
    base = draw(article(chapters=2))
    head, rest = base.split("\n### ", 1)
    title_line, after = rest.split("\n\n", 1)
    text = f"{head}\n### {title_line}\n\n{meeting}\n\n" + "\n\n".join(dated) + f"\n\n{after}"
    parsed = parse_seed(text)
    chapter = parsed.chapters[0]
    section = chapter.sections[0]
    source = next(block.text for block in section.blocks if isinstance(block, Paragraph))
    terms = tuple(
        {
            "term": name,
            "aliases": [name],
            "category": "concept",
            "native": draw(st.sampled_from(["", "한국", "北京", "بغداد", "ירושלים"])),
            "definition": f"A {draw(phrase())}.",
            "source": source,
        }
        for name in names
    )
    options = [draw(phrase(size=3)) + f" {n}" for n in range(4)]
    exercise = {
        "id": "hostile-choice",
        "kind": "multiple-choice",
        "section": section.title,
        "level": "remember",
        "prompt": f"Which {draw(phrase())}?",
        "options": [{"text": text, "correct": n == 0} for n, text in enumerate(options)],
        "explanation": f"Because {draw(phrase())}.",
        "source": dated_source(section),
    }
    return HostileBook(text=text, terms=terms, exercise=exercise)


def dated_source(section) -> str:  # type: ignore[no-untyped-def]
    """A paragraph of 6-40 words of the section (an exercise's source quote)."""
    for block in section.blocks:
        if isinstance(block, Paragraph) and 6 <= len(block.text.split()) <= 40:
            return block.text
    raise AssertionError("no paragraph of 6-40 words")
