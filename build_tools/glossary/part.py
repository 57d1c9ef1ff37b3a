"""What the glossary adds to a book: :func:`make_glossary_part` checks the file and makes it all.

The page and its JSON (:mod:`.page`), the term linker (:mod:`.linking`) and
the warnings about terms that are never linked.  The flashcards are an
export of the build (:mod:`build_tools.exports.flashcards`), not of this stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.article.model import Article
from build_tools.glossary.linking import TermLinker, find_usage, unlinked_terms
from build_tools.glossary.load import load_glossary
from build_tools.glossary.model import Glossary, TermUsage
from build_tools.glossary.page import render_glossary_json, render_glossary_page


@dataclass(frozen=True)
class GlossaryPart:
    """What the glossary adds to a book: its page, exports and term links."""

    glossary: Glossary
    usage: tuple[TermUsage, ...]
    page: str
    exports: tuple[tuple[str, str | bytes], ...]
    linker: TermLinker
    warnings: tuple[str, ...] = ()
    #: why the terms were drafted in memory and how to edit them, or "" for a data file
    drafted: str = ""

    @property
    def links(self) -> int:
        """How many term links the book gets (one a term and part)."""
        return sum(len(entry.parts) for entry in self.usage)

    @property
    def summary(self) -> str:
        """One line for the build report."""
        drafts = sum(term.draft for term in self.glossary.terms)
        if self.drafted:
            note = f" (drafted: {self.drafted})"
        elif drafts:
            note = f" ({drafts} still marked draft: true)"
        else:
            note = ""
        return f"glossary: {len(self.glossary.terms)} terms, {self.links} links{note}"


def make_glossary_part(
    text: str, *, path: str, article: Article, title: str, drafted: str = ""
) -> GlossaryPart | None:
    """Check a glossary data file and make everything the book needs from it.

    :param text: the data file's text
    :param path: its name, for messages
    :param article: the article
    :param title: the book's title
    :param drafted: why the text was drafted in memory (for the summary), or ""
    :return: the page (``_generated/glossary.md``), the export ``glossary.json``
        and the linker; None when the file lists no terms (``terms: []``: no glossary)
    :raises BuildError: if the data file has a problem
    """
    glossary = load_glossary(text, path=path, article=article)
    if not glossary.terms:
        return None
    usage = find_usage(glossary, article)
    exports: tuple[tuple[str, str | bytes], ...] = (
        ("glossary.json", render_glossary_json(glossary, usage, title=title)),
    )
    return GlossaryPart(
        glossary=glossary,
        usage=usage,
        page=render_glossary_page(glossary, usage),
        exports=exports,
        linker=TermLinker(glossary),
        warnings=unlinked_terms(glossary, usage),
        drafted=drafted,
    )
