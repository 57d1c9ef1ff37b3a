"""Term links: the text renderers that link terms, where each term appears, unlinked terms.

:class:`TermLinker` makes the text renderers that link the first occurrence
of each term in every part of the book, :func:`find_usage` says where each
term is linked, and :func:`unlinked_terms` warns about terms that never are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from build_tools.article.model import Article, Block, Paragraph, Table
from build_tools.article.render import TextRenderer, escape
from build_tools.glossary.model import Glossary, Place, TermUsage, book_parts, whole_word
from build_tools.util.markup import term_link


def _names_pattern(glossary: Glossary) -> re.Pattern[str]:
    """Every name as a whole word; at a position the longest name wins."""
    names = sorted({name for term in glossary.terms for name in term.names}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")


def _block_texts(block: Block) -> Iterator[str]:
    """The text of a block as the renderer passes it to a text renderer."""
    if isinstance(block, Paragraph):
        yield from (run.text for run in block.inlines if run.kind in ("text", "emphasis", "strong"))
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row


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
                parts.append(term_link(match.group(), term.term))
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
    for label, place, blocks in book_parts(article):
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
            and any(whole_word(name).search(long) for name in term.names for long in other.names)
        )
        within = f" (e.g. {longer[0]!r})" if longer else ""
        messages.append(
            f"{glossary.path}:{term.line}: the term {term.term!r} is never linked: it only "
            f"occurs as part of a longer term's name{within} or outside the running text"
        )
    return tuple(messages)
