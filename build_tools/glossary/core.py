"""The glossary: term data checked against the article, term links, the page and exports.

Pure functions and data, no file I/O: :func:`load_glossary` turns the text of
``<article>.glossary.yaml`` into a :class:`Glossary` (raising
:class:`~build_tools.errors.BuildError` with the data file's line for every
problem), :class:`TermLinker` makes the text renderers that link the first
occurrence of each term in every section, :func:`find_usage` says where each
term appears, and the ``render_*`` functions make the glossary page and the
flashcard exports.  Everything taken from the data file is text, never markup.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml

from build_tools.article.model import Article, Block, Paragraph, Table
from build_tools.article.render import TextRenderer, escape, escape_role
from build_tools.article.seed import repair_text
from build_tools.util.errors import BuildError

#: The categories a term may have, with the label the glossary page shows.
CATEGORIES = {
    "person": "Person",
    "place": "Place",
    "organisation": "Organisation or armed force",
    "operation": "Operation or battle",
    "agreement": "Agreement or resolution",
    "concept": "Concept",
}
#: The fields of a term in the data file, and which of them must be given.
FIELDS = ("term", "aliases", "category", "native", "definition", "source")
REQUIRED = ("term", "category", "definition", "source")
MAX_DEFINITION_WORDS = 60
#: Characters a term or alias may not hold: they would break the term role or a table.
_FORBIDDEN = re.compile(r"[`<>|\n]")
_INTRODUCTION = "introduction"


@dataclass(frozen=True)
class Term:
    """One glossary entry, as the data file gives it.

    ``aliases`` are the spellings the data lists (the headword may be among
    them); :attr:`names` are all the spellings linked in the text.
    """

    term: str
    aliases: tuple[str, ...]
    category: str
    definition: str
    source: str
    native: str = ""
    line: int = 0

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if not self.term:
            raise ValueError("a term needs a headword")

    @property
    def names(self) -> tuple[str, ...]:
        """The headword and every alias, each once, headword first."""
        return tuple(dict.fromkeys((self.term, *self.aliases)))


def sort_key(text: str) -> str:
    """The order of glossary entries: the one Sphinx's ``:sorted:`` glossary uses.

    :param text: a headword
    :return: its sort key
    """
    return unicodedata.normalize("NFD", text.lower())


@dataclass(frozen=True)
class Glossary:
    """All the terms of one data file, in alphabetical order."""

    terms: tuple[Term, ...]
    path: str = "glossary.yaml"

    def __post_init__(self) -> None:
        heads = [sort_key(term.term) for term in self.terms]
        if len(set(heads)) != len(heads):
            raise ValueError("two terms share a headword")


@dataclass(frozen=True)
class Place:
    """A chapter (or the introduction) of the book, as the glossary links to it."""

    label: str
    title: str
    slug: str


@dataclass(frozen=True)
class TermUsage:
    """Where a term appears: the parts it is linked in and their chapters, in order.

    ``parts`` are the labels of the introduction, chapter openings and sections.
    """

    term: str
    parts: tuple[str, ...]
    chapters: tuple[Place, ...]


# -- loading and checking -------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node, what: str, path: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise BuildError(f"{what} must be text, not a list or mapping", path=path, line=_line(node))
    return str(node.value).strip()


def _block_texts(block: Block) -> Iterator[str]:
    """The text of a block as the renderer passes it to a text renderer."""
    if isinstance(block, Paragraph):
        yield from (run.text for run in block.inlines if run.kind in ("text", "emphasis", "strong"))
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row


def _parts(article: Article) -> Iterator[tuple[str, Place, tuple[Block, ...]]]:
    """Every part with its own links: introduction, chapter openings, sections."""
    yield _INTRODUCTION, Place(_INTRODUCTION, "Introduction", _INTRODUCTION), article.lead
    for chapter in article.chapters:
        place = Place(chapter.label, chapter.title, chapter.slug)
        yield chapter.label, place, chapter.blocks
        for section in chapter.sections:
            yield section.label, place, section.blocks


def _article_texts(article: Article) -> list[str]:
    """Everything a reader sees as text: title, headings, paragraphs, table cells."""
    texts = [article.title]
    for _, _, blocks in _parts(article):
        for block in blocks:
            if isinstance(block, Paragraph):
                texts.append(block.text)
            elif isinstance(block, Table):
                texts += [*block.header, *(cell for row in block.rows for cell in row)]
    for chapter in article.chapters:
        texts += [chapter.title, *(section.title for section in chapter.sections)]
    return texts


def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _load_terms(text: str, path: str) -> yaml.SequenceNode:
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise BuildError(
            f"not valid YAML ({err.problem or err}); check the indentation and quotes",
            path=path,
            line=line,
        ) from None
    except yaml.YAMLError as err:
        raise BuildError(f"not valid YAML ({err})", path=path) from None
    if not isinstance(root, yaml.MappingNode):
        raise BuildError(
            "expected a mapping with one key, 'terms:', holding the list of terms",
            path=path,
            line=_line(root) if root is not None else 1,
        )
    terms: yaml.Node | None = None
    for key, value in root.value:
        if _scalar(key, "a key", path) != "terms":
            raise BuildError(
                f"unknown top-level key {key.value!r}; the file has one key, 'terms:'",
                path=path,
                line=_line(key),
            )
        terms = value
    if not isinstance(terms, yaml.SequenceNode):
        raise BuildError(
            "'terms:' must hold a list of terms (each starting with '- term:')",
            path=path,
            line=_line(terms) if terms is not None else _line(root),
        )
    return terms


def _check_name(name: str, node: yaml.Node, head: str, path: str) -> None:
    if not name:
        raise BuildError(f"an empty name in the term {head!r}", path=path, line=_line(node))
    bad = _FORBIDDEN.search(name)
    if bad:
        char = {"\n": "a line break"}.get(bad.group(), repr(bad.group()))
        raise BuildError(
            f"{name!r} contains {char}, which cannot be part of a term link; "
            "write the name as it appears in the article without it",
            path=path,
            line=_line(node),
        )


def _read_term(item: yaml.Node, path: str) -> tuple[Term, dict[str, yaml.Node]]:
    """One term of the data file, checked on its own; also its fields' nodes."""
    if not isinstance(item, yaml.MappingNode):
        raise BuildError(
            "each entry of 'terms:' must be a mapping starting with '- term:'",
            path=path,
            line=_line(item),
        )
    fields: dict[str, yaml.Node] = {}
    for key, value in item.value:
        name = _scalar(key, "a field name", path)
        if name not in FIELDS:
            raise BuildError(
                f"unknown field {name!r}; a term has the fields {', '.join(FIELDS)}",
                path=path,
                line=_line(key),
            )
        if name in fields:
            raise BuildError(f"the field {name!r} is given twice", path=path, line=_line(key))
        fields[name] = value
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise BuildError(
            f"missing field(s) {', '.join(missing)}; every term needs {', '.join(REQUIRED)}",
            path=path,
            line=_line(item),
        )
    values = {
        name: _scalar(node, f"the field {name!r}", path)
        for name, node in fields.items()
        if name != "aliases"
    }
    head = values["term"]
    _check_name(head, fields["term"], head, path)
    aliases: list[str] = []
    if "aliases" in fields:
        node = fields["aliases"]
        if not isinstance(node, yaml.SequenceNode):
            raise BuildError(
                "'aliases' must be a list, e.g. [Korean People's Army, KPA]",
                path=path,
                line=_line(node),
            )
        for alias_node in node.value:
            alias = _scalar(alias_node, "an alias", path)
            _check_name(alias, alias_node, head, path)
            aliases.append(alias)
    category = values["category"]
    if category not in CATEGORIES:
        raise BuildError(
            f"unknown category {category!r}; choose one of {', '.join(CATEGORIES)}",
            path=path,
            line=_line(fields["category"]),
        )
    definition = " ".join(values["definition"].split())
    words = len(definition.split())
    if not words:
        raise BuildError(
            f"the definition of {head!r} is empty; write one to three sentences",
            path=path,
            line=_line(fields["definition"]),
        )
    if words > MAX_DEFINITION_WORDS:
        raise BuildError(
            f"the definition of {head!r} has {words} words; "
            f"shorten it to at most {MAX_DEFINITION_WORDS}",
            path=path,
            line=_line(fields["definition"]),
        )
    term = Term(
        term=head,
        aliases=tuple(aliases),
        category=category,
        definition=definition,
        source=repair_text(values["source"]).strip(),
        native=values.get("native", ""),
        line=_line(item),
    )
    return term, fields


def load_glossary(text: str, *, path: str, article: Article) -> Glossary:
    """Read a glossary data file and check it against the article.

    :param text: the data file's text (YAML)
    :param path: the data file's name, for messages
    :param article: the article the terms are taken from
    :return: the glossary, terms in alphabetical order
    :raises BuildError: naming the data file's line, when a field is unknown or
        missing, a category is invalid, a definition is empty or too long, a
        name holds a backtick, ``<``, ``>`` or ``|``, a name never occurs in
        the article as a whole word, two terms claim the same name, or a
        source quote is not found verbatim in the article's text
    """
    nodes = _load_terms(text, path)
    texts = "\n".join(_article_texts(article))  # the parser leaves no line breaks in texts
    quotable = [
        text
        for _, _, blocks in _parts(article)
        for block in blocks
        for text in (
            [block.text]
            if isinstance(block, Paragraph)
            else [*block.header, *(cell for row in block.rows for cell in row)]
            if isinstance(block, Table)
            else []
        )
    ]
    heads: dict[str, Term] = {}
    owners: dict[str, tuple[Term, int]] = {}
    terms: list[Term] = []
    for item in nodes.value:
        term, fields = _read_term(item, path)
        first = heads.setdefault(sort_key(term.term), term)
        if first is not term:
            raise BuildError(
                f"the term {term.term!r} is already defined on line {first.line}; "
                "merge the two entries",
                path=path,
                line=_line(fields["term"]),
            )
        alias_nodes = fields["aliases"].value if "aliases" in fields else []
        lines = {term.term: _line(fields["term"])}
        for alias, node in zip(term.aliases, alias_nodes, strict=True):
            lines.setdefault(alias, _line(node))
        for name in term.names:
            owner, owner_line = owners.setdefault(name, (term, lines[name]))
            if owner is not term:
                raise BuildError(
                    f"{name!r} is already a name of the term {owner.term!r} "
                    f"(line {owner_line}); a name may belong to one term only",
                    path=path,
                    line=lines[name],
                )
            if not _whole_word(name).search(texts):
                raise BuildError(
                    f"{name!r} never occurs in the article as a whole word (the case "
                    "matters); write it exactly as the article does, or remove it",
                    path=path,
                    line=lines[name],
                )
        if not any(term.source in text for text in quotable):
            raise BuildError(
                f"the source quote of {term.term!r} is not found in the article; "
                "copy a passage of one paragraph or table cell exactly as the article writes it",
                path=path,
                line=_line(fields["source"]),
            )
        terms.append(term)
    if not terms:
        raise BuildError("the glossary has no terms; add some or remove the file", path=path)
    return Glossary(terms=tuple(sorted(terms, key=lambda t: sort_key(t.term))), path=path)


# -- linking --------------------------------------------------------------------------


def _names_pattern(glossary: Glossary) -> re.Pattern[str]:
    """Every name as a whole word; at a position the longest name wins."""
    names = sorted({name for term in glossary.terms for name in term.names}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")


class TermLinker:
    """Makes the text renderers that link terms to the glossary.

    In every part (the introduction, a chapter's opening, a section) the first
    occurrence of each term, by any of its names, becomes
    ``{term}`name <Headword>```; everything else is escaped.  Headings and
    links never reach a text renderer, so they never get term links.

    :param glossary: the terms
    """

    def __init__(self, glossary: Glossary) -> None:
        self._pattern = _names_pattern(glossary)
        self._owner = {name: term for term in glossary.terms for name in term.names}
        self._linked: dict[str, set[str]] = {}
        #: how many links the renderers made so far
        self.links = 0

    def text_for(self, label: str) -> TextRenderer:
        """The text renderer of one part of the book.

        :param label: the part's label (a section, a chapter, ``introduction``)
        :return: a function turning a run of plain text into MyST
        """
        linked = self._linked.setdefault(label, set())

        def render(text: str) -> str:
            parts: list[str] = []
            start = 0
            for match in self._pattern.finditer(text):
                term = self._owner[match.group()]
                if term.term in linked:
                    continue
                linked.add(term.term)
                self.links += 1
                parts.append(escape(text[start : match.start()]))
                parts.append(f"{{term}}`{escape_role(match.group())} <{escape_role(term.term)}>`")
                start = match.end()
            parts.append(escape(text[start:]))
            return "".join(parts)

        return render


def find_usage(glossary: Glossary, article: Article) -> tuple[TermUsage, ...]:
    """Where each term is linked: the parts and chapters, as :class:`TermLinker` links them.

    :param glossary: the terms
    :param article: the article
    :return: one usage a term, in the glossary's order
    """
    pattern = _names_pattern(glossary)
    owner = {name: term.term for term in glossary.terms for name in term.names}
    parts: dict[str, list[str]] = {term.term: [] for term in glossary.terms}
    chapters: dict[str, dict[str, Place]] = {term.term: {} for term in glossary.terms}
    for label, place, blocks in _parts(article):
        found = {
            owner[match.group()]
            for block in blocks
            for text in _block_texts(block)
            for match in pattern.finditer(text)
        }
        for head in found:
            parts[head].append(label)
            chapters[head].setdefault(place.label, place)
    return tuple(
        TermUsage(term.term, tuple(parts[term.term]), tuple(chapters[term.term].values()))
        for term in glossary.terms
    )


# -- the page -------------------------------------------------------------------------


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.split("\n"))


def render_glossary_page(
    glossary: Glossary, usage: Sequence[TermUsage], *, downloads: str = "../data"
) -> str:
    """Render the glossary as a back-matter page with Sphinx's glossary directive.

    :param glossary: the terms
    :param usage: where each term appears (from :func:`find_usage`)
    :param downloads: the flashcard files' folder, relative to the page in the HTML
    :return: the page's MyST
    """
    where = {entry.term: entry for entry in usage}
    csv_href = html.escape(f"{downloads}/glossary-flashcards.csv")
    apkg_href = html.escape(f"{downloads}/glossary.apkg")
    lines = [
        "(glossary)=",
        "# Glossary",
        "",
        (
            "The words and names below are explained in our own words. In the text, the "
            "first time a term appears in a section it links here."
        ),
        "",
        ":::{only} builder_html",
        "```{raw} html",
        '<p class="book-downloads glossary-downloads">',
        (
            f'<a class="download-link" href="{csv_href}" download>'
            "Flashcards (CSV, for Quizlet or Anki)</a>"
        ),
        f'<a class="download-link" href="{apkg_href}" download>Anki deck (.apkg)</a>',
        "</p>",
        "```",
        ":::",
        "",
        "````{glossary}",
        ":sorted:",
    ]
    for term in glossary.terms:
        meta = f"*{escape(CATEGORIES[term.category])}*"
        if term.native:
            meta += f" · {escape(term.native)}"
        body = [
            "{.glossary-meta}",
            meta,
            "",
            "{.glossary-definition}",
            escape(term.definition),
        ]
        chapters = where[term.term].chapters if term.term in where else ()
        if chapters:
            links = ", ".join(
                f"{{ref}}`{escape_role(place.title)} <{place.label}>`" for place in chapters
            )
            body += ["", "{.glossary-chapters}", f"Appears in: {links}"]
        lines += ["", escape(term.term), _indent("\n".join(body))]
    lines.append("````")
    return "\n".join(lines) + "\n"


# -- exports --------------------------------------------------------------------------


def render_glossary_json(glossary: Glossary, usage: Sequence[TermUsage], *, title: str) -> str:
    """The glossary as JSON, for other tools.

    :param glossary: the terms
    :param usage: where each term appears
    :param title: the book's title
    :return: a JSON document: ``{"book": ..., "terms": [...]}``
    """
    where = {entry.term: entry for entry in usage}
    terms = [
        {
            "term": term.term,
            "aliases": list(term.aliases),
            "category": term.category,
            "native": term.native,
            "definition": term.definition,
            "source": term.source,
            "chapters": [place.title for place in where[term.term].chapters]
            if term.term in where
            else [],
        }
        for term in glossary.terms
    ]
    return json.dumps({"book": title, "terms": terms}, ensure_ascii=False, indent=2) + "\n"


def render_flashcards_csv(glossary: Glossary) -> str:
    """The flashcards as CSV (UTF-8, one header row): term and definition.

    :param glossary: the terms
    :return: the CSV text
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["term", "definition"])
    writer.writerows([term.term, term.definition] for term in glossary.terms)
    return buffer.getvalue()


def stable_id(*parts: str) -> int:
    """A stable Anki id (between 2**30 and 2**31) derived from some strings.

    :param parts: what the id stands for, e.g. the book's slug and ``deck``
    :return: the id
    """
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    return (1 << 30) | int.from_bytes(digest[:4], "big") & ((1 << 30) - 1)


_CARD_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: center; }
.native { font-size: 18px; color: #555; margin-top: 0.3em; }
.definition { text-align: left; line-height: 1.4; }
.category { font-size: 14px; color: #777; margin-top: 1em; }
"""


def render_anki_deck(
    glossary: Glossary,
    usage: Sequence[TermUsage],
    *,
    slug: str,
    title: str,
    timestamp: float,
) -> bytes:
    """The flashcards as an Anki package (``.apkg``): one note a term.

    Notes are tagged with the term's category and the slugs of the chapters
    it appears in.  Ids come from the book's slug and the zip holds fixed
    dates, so the same glossary gives the same bytes.

    :param glossary: the terms
    :param usage: where each term appears
    :param slug: the book's slug (stable model, deck and note ids)
    :param title: the book's title (the deck's name)
    :param timestamp: the notes' modification time (the build date)
    :return: the package's bytes
    """
    import genanki

    model = genanki.Model(
        stable_id(slug, "glossary-model"),
        f"{slug} glossary term",
        fields=[{"name": "Term"}, {"name": "Native"}, {"name": "Definition"}, {"name": "Category"}],
        templates=[
            {
                "name": "Term to definition",
                "qfmt": '{{Term}}{{#Native}}<div class="native">{{Native}}</div>{{/Native}}',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="definition">{{Definition}}</div>'
                '<div class="category">{{Category}}</div>',
            }
        ],
        css=_CARD_CSS,
    )
    deck = genanki.Deck(stable_id(slug, "glossary-deck"), f"{title.replace('::', ':')} glossary")
    where = {entry.term: entry for entry in usage}
    for term in glossary.terms:
        chapters = where[term.term].chapters if term.term in where else ()
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    html.escape(term.term),
                    html.escape(term.native),
                    html.escape(term.definition),
                    html.escape(CATEGORIES[term.category]),
                ],
                tags=[term.category, *(place.slug for place in chapters)],
                guid=genanki.guid_for(slug, term.term),
            )
        )
    connection = sqlite3.connect(":memory:")
    try:
        genanki.Package(deck).write_to_db(
            connection.cursor(), timestamp, itertools.count(int(timestamp * 1000))
        )
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in (("collection.anki2", database), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class GlossaryPart:
    """What the glossary adds to a book: its page, exports and term links."""

    glossary: Glossary
    usage: tuple[TermUsage, ...]
    page: str
    exports: tuple[tuple[str, str | bytes], ...]
    linker: TermLinker
    warnings: tuple[str, ...] = ()

    @property
    def links(self) -> int:
        """How many term links the book gets (one a term and part)."""
        return sum(len(entry.parts) for entry in self.usage)

    @property
    def summary(self) -> str:
        """One line for the build report."""
        return f"glossary: {len(self.glossary.terms)} terms, {self.links} links"


def make_glossary_part(
    text: str, *, path: str, article: Article, slug: str, title: str, timestamp: float
) -> GlossaryPart:
    """Check a glossary data file and make everything the book needs from it.

    :param text: the data file's text
    :param path: its name, for messages
    :param article: the article
    :param slug: the book's slug
    :param title: the book's title
    :param timestamp: the build time (seconds since the epoch), for the Anki deck
    :return: the page (``_generated/glossary.md``), the exports (``glossary.json``,
        ``glossary-flashcards.csv``, ``glossary.apkg``) and the linker
    :raises BuildError: if the data file has a problem
    """
    glossary = load_glossary(text, path=path, article=article)
    usage = find_usage(glossary, article)
    exports: tuple[tuple[str, str | bytes], ...] = (
        ("glossary.json", render_glossary_json(glossary, usage, title=title)),
        ("glossary-flashcards.csv", render_flashcards_csv(glossary)),
        (
            "glossary.apkg",
            render_anki_deck(glossary, usage, slug=slug, title=title, timestamp=timestamp),
        ),
    )
    return GlossaryPart(
        glossary=glossary,
        usage=usage,
        page=render_glossary_page(glossary, usage),
        exports=exports,
        linker=TermLinker(glossary),
        warnings=unlinked_terms(glossary, usage),
    )


def unlinked_terms(glossary: Glossary, usage: Sequence[TermUsage]) -> tuple[str, ...]:
    """Warnings for terms that never get a link (a longer name always wins).

    :param glossary: the terms
    :param usage: where each term appears
    :return: one message a term that is never linked, naming the data file's line
    """
    used = {entry.term for entry in usage if entry.parts}
    messages = []
    for term in glossary.terms:
        if term.term in used:
            continue
        longer = sorted(
            other.term
            for other in glossary.terms
            if other is not term
            and any(_whole_word(name).search(long) for name in term.names for long in other.names)
        )
        within = f" (e.g. {longer[0]!r})" if longer else ""
        messages.append(
            f"{glossary.path}:{term.line}: the term {term.term!r} is never linked: it only "
            f"occurs as part of a longer term's name{within} or outside the running text"
        )
    return tuple(messages)
