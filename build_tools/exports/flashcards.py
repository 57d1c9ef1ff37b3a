"""The glossary as flashcards: a CSV file (Quizlet, Anki) and an Anki package (``.apkg``).

Pure functions from the glossary to the file's text or bytes; the same
glossary always gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import sqlite3
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from build_tools.glossary.model import CATEGORIES, Glossary, TermUsage

if TYPE_CHECKING:
    import genanki


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


def _card_model(slug: str) -> genanki.Model:
    """The note type of the deck: term (and native name) on the front, definition behind."""
    import genanki

    return genanki.Model(
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


def _package(deck: genanki.Deck, timestamp: float) -> bytes:
    """The deck's collection database, zipped as an ``.apkg`` with fixed dates."""
    import genanki

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

    model = _card_model(slug)
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
    return _package(deck, timestamp)
