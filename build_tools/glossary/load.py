"""Load the glossary data file and check it, entry by entry and against the article.

:func:`load_glossary` turns the text of ``<article>.glossary.yaml`` into a
:class:`~build_tools.glossary.model.Glossary`, raising
:class:`~build_tools.util.errors.BuildError` with the data file's line for
every problem.  The file is read with :func:`~build_tools.util.yamlfile.load_yaml`
and its shared field checks.  Everything taken from the data file is text,
never markup.
"""

from __future__ import annotations

import re

from build_tools.article.model import Article, Paragraph, Table
from build_tools.article.seed import repair_text
from build_tools.glossary.model import (
    CATEGORIES,
    Glossary,
    Term,
    book_parts,
    sort_key,
    whole_word,
)
from build_tools.util import yamlfile
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import YamlList, YamlMap, line_of

#: The fields of a term in the data file, and which of them must be given.
FIELDS = ("term", "aliases", "category", "native", "definition", "source", "draft")
REQUIRED = ("term", "category", "definition", "source")
MAX_DEFINITION_WORDS = 60
#: Characters a term or alias may not hold: they would break the term role or a table.
_FORBIDDEN = re.compile(r"[`<>|\n]")


def _article_texts(article: Article) -> list[str]:
    """Everything a reader sees as text: title, headings, paragraphs, table cells."""
    texts = [article.title]
    for _, _, blocks in book_parts(article):
        for block in blocks:
            if isinstance(block, Paragraph):
                texts.append(block.text)
            elif isinstance(block, Table):
                texts += [*block.header, *(cell for row in block.rows for cell in row)]
    for chapter in article.chapters:
        texts += [chapter.title, *(section.title for section in chapter.sections)]
    return texts


def _quotable(article: Article) -> list[str]:
    """What a source quote may come from: each paragraph and each table cell."""
    return [
        text
        for _, _, blocks in book_parts(article)
        for block in blocks
        for text in (
            [block.text]
            if isinstance(block, Paragraph)
            else [*block.header, *(cell for row in block.rows for cell in row)]
            if isinstance(block, Table)
            else []
        )
    ]


# -- one entry on its own ---------------------------------------------------------------------


def _load_terms(text: str, path: str) -> YamlList:
    """The list under the file's one key, ``terms:``."""
    root = yamlfile.load_yaml(text, path=path)
    if not isinstance(root, YamlMap):
        raise BuildError(
            "expected a mapping with one key, 'terms:', holding the list of terms",
            path=path,
            line=line_of(root) or 1,
        )
    yamlfile.fields(
        root,
        allowed=("terms",),
        required=("terms",),
        what="the glossary file",
        path=path,
        hint=", the list of terms (each starting with '- term:')",
    )
    return yamlfile.items(root, "terms", path=path)


def _entry(terms: YamlList, index: int, path: str) -> YamlMap:
    """One entry of ``terms:``: a mapping of known fields with the required ones."""
    entry = terms[index]
    if not isinstance(entry, YamlMap):
        raise BuildError(
            "each entry of 'terms:' must be a mapping starting with '- term:'",
            path=path,
            line=line_of(terms, index),
        )
    yamlfile.fields(entry, allowed=FIELDS, what="a term", path=path)
    missing = [name for name in REQUIRED if name not in entry]
    if missing:
        raise BuildError(
            f"missing field(s) {', '.join(missing)}; every term needs {', '.join(REQUIRED)}",
            path=path,
            line=entry.line,
        )
    return entry


def _text_field(entry: YamlMap, key: str, path: str) -> str:
    """A field holding text, stripped; an absent or empty field (``key:``, ``""``) gives ''."""
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return str(yamlfile.text(entry, key, path=path, collapse=False))


def _check_name(name: str, line: int | None, head: str, path: str) -> None:
    if not name:
        raise BuildError(f"an empty name in the term {head!r}", path=path, line=line)
    bad = _FORBIDDEN.search(name)
    if bad:
        char = {"\n": "a line break"}.get(bad.group(), repr(bad.group()))
        raise BuildError(
            f"{name!r} contains {char}, which cannot be part of a term link; "
            "write the name as it appears in the article without it",
            path=path,
            line=line,
        )


def _aliases(entry: YamlMap, head: str, path: str) -> tuple[str, ...]:
    """The entry's aliases, each checked as a name."""
    if "aliases" not in entry:
        return ()
    listed = yamlfile.items(entry, "aliases", path=path)
    aliases = yamlfile.texts(
        listed, what=f"the aliases of {head!r}", path=path, line=line_of(entry, "aliases")
    )
    for index, alias in enumerate(aliases):
        _check_name(alias, line_of(listed, index), head, path)
    return aliases


def _definition(entry: YamlMap, head: str, path: str) -> str:
    """The entry's definition, white space collapsed: one to three sentences."""
    line = line_of(entry, "definition")
    if not _text_field(entry, "definition", path):
        raise BuildError(
            f"the definition of {head!r} is empty; write one to three sentences",
            path=path,
            line=line,
        )
    definition = str(yamlfile.text(entry, "definition", path=path))
    words = len(definition.split())
    if words > MAX_DEFINITION_WORDS:
        raise BuildError(
            f"the definition of {head!r} has {words} words; "
            f"shorten it to at most {MAX_DEFINITION_WORDS}",
            path=path,
            line=line,
        )
    return definition


def _read_term(entry: YamlMap, path: str) -> Term:
    """One term of the data file, checked on its own."""
    values = {
        key: _text_field(entry, key, path) for key in FIELDS if key not in ("aliases", "draft")
    }
    head = values["term"]
    _check_name(head, line_of(entry, "term"), head, path)
    aliases = _aliases(entry, head, path)
    category = yamlfile.choice(entry, "category", tuple(CATEGORIES), path=path)
    return Term(
        term=head,
        aliases=aliases,
        category=category,
        definition=_definition(entry, head, path),
        source=repair_text(values["source"]).strip(),
        native=values["native"],
        line=entry.line,
        draft=yamlfile.boolean(entry, "draft", path=path, default=False),
    )


# -- the terms together, against the article -------------------------------------------------


def _name_lines(term: Term, entry: YamlMap) -> dict[str, int]:
    """The line of each of a term's names: the headword's, else the alias's first."""
    lines = {term.term: entry.lines["term"]}
    listed = entry.get("aliases", YamlList())
    for index, alias in enumerate(term.aliases):
        lines.setdefault(alias, listed.lines[index])
    return lines


def _check_names(
    term: Term, entry: YamlMap, owners: dict[str, tuple[Term, int]], texts: str, path: str
) -> None:
    """Each name belongs to this term only and occurs in the article as a whole word."""
    lines = _name_lines(term, entry)
    for name in term.names:
        owner, owner_line = owners.setdefault(name, (term, lines[name]))
        if owner is not term:
            raise BuildError(
                f"{name!r} is already a name of the term {owner.term!r} "
                f"(line {owner_line}); a name may belong to one term only",
                path=path,
                line=lines[name],
            )
        if not whole_word(name).search(texts):
            raise BuildError(
                f"{name!r} never occurs in the article as a whole word (the case "
                "matters); write it exactly as the article does, or remove it",
                path=path,
                line=lines[name],
            )


def load_glossary(text: str, *, path: str, article: Article) -> Glossary:
    """Read a glossary data file and check it against the article.

    :param text: the data file's text (YAML)
    :param path: the data file's name, for messages
    :param article: the article the terms are taken from
    :return: the glossary, terms in alphabetical order (none for ``terms: []``, which says
        the book has no glossary, so none is drafted for it)
    :raises BuildError: naming the data file's line, when a field is unknown or
        missing, a category is invalid, a definition is empty or too long, a
        name holds a backtick, ``<``, ``>`` or ``|``, a name never occurs in
        the article as a whole word, two terms claim the same name, or a
        source quote is not found verbatim in the article's text
    """
    listed = _load_terms(text, path)
    texts = "\n".join(_article_texts(article))  # the parser leaves no line breaks in texts
    quotable = _quotable(article)
    heads: dict[str, Term] = {}
    owners: dict[str, tuple[Term, int]] = {}
    terms: list[Term] = []
    for index in range(len(listed)):
        entry = _entry(listed, index, path)
        term = _read_term(entry, path)
        first = heads.setdefault(sort_key(term.term), term)
        if first is not term:
            raise BuildError(
                f"the term {term.term!r} is already defined on line {first.line}; "
                "merge the two entries",
                path=path,
                line=line_of(entry, "term"),
            )
        _check_names(term, entry, owners, texts, path)
        if not any(term.source in text for text in quotable):
            raise BuildError(
                f"the source quote of {term.term!r} is not found in the article; "
                "copy a passage of one paragraph or table cell exactly as the article writes it",
                path=path,
                line=line_of(entry, "source"),
            )
        terms.append(term)
    return Glossary(terms=tuple(sorted(terms, key=lambda t: sort_key(t.term))), path=path)
