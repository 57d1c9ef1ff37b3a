"""The glossary page (Sphinx's glossary directive, in MyST) and the glossary as JSON.

Pure functions from the glossary and where its terms appear to text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from build_tools.article.render import escape
from build_tools.glossary.model import CATEGORIES, Glossary, TermUsage
from build_tools.util.markup import myst_ref


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.split("\n"))


def render_glossary_page(
    glossary: Glossary, usage: Sequence[TermUsage], *, downloads: str = "../data"
) -> str:
    """Render the glossary as a back-matter page with Sphinx's glossary directive.

    :param glossary: the terms
    :param usage: where each term appears (from
        :func:`~build_tools.glossary.linking.find_usage`)
    :param downloads: the flashcard files' folder, relative to the page in the HTML
    :return: the page's MyST
    """
    where = {entry.term: entry for entry in usage}
    csv_href = html.escape(f"{downloads}/glossary-flashcards.csv")
    apkg_href = html.escape(f"{downloads}/glossary.apkg")
    drafts = sum(term.draft for term in glossary.terms)
    if drafts == len(glossary.terms):
        words = (
            "The words and names below are explained in the article's own words: each "
            "definition is a passage quoted from the text (… marks a cut)."
        )
    elif drafts:
        words = (
            "The words and names below are explained in our own words, or, where marked "
            "*quoted from the article*, by a passage of the text (… marks a cut)."
        )
    else:
        words = "The words and names below are explained in our own words."
    lines = [
        "(glossary)=",
        "# Glossary",
        "",
        f"{words} In the text, the first time a term appears in a section it links here.",
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
        if term.draft and drafts < len(glossary.terms):
            meta += " · *quoted from the article*"
        body = [
            "{.glossary-meta}",
            meta,
            "",
            "{.glossary-definition}",
            escape(term.definition),
        ]
        chapters = where[term.term].chapters if term.term in where else ()
        if chapters:
            links = ", ".join(myst_ref(place.title, place.label) for place in chapters)
            body += ["", "{.glossary-chapters}", f"Appears in: {links}"]
        lines += ["", escape(term.term), _indent("\n".join(body))]
    lines.append("````")
    return "\n".join(lines) + "\n"


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
            "draft": term.draft,
            "chapters": [place.title for place in where[term.term].chapters]
            if term.term in where
            else [],
        }
        for term in glossary.terms
    ]
    return json.dumps({"book": title, "terms": terms}, ensure_ascii=False, indent=2) + "\n"
