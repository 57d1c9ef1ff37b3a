"""Where a quote stands in the article: the texts it may come from and the part holding them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from build_tools.article.model import Article, Block, Chapter, Paragraph, Table
from build_tools.exercises.model import Place


def quotable_texts(blocks: Sequence[Block]) -> Iterator[str]:
    """The texts a quote may be taken from: each paragraph and each table cell.

    :param blocks: the blocks of a part of the article
    :return: their texts, in order
    """
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from block.header
            for row in block.rows:
                yield from row


def _parts(article: Article) -> Iterator[tuple[Chapter | None, Place, tuple[Block, ...]]]:
    """Every part of the article that a link can reach, with its blocks."""
    yield None, Place("introduction", "Introduction"), article.lead
    for chapter in article.chapters:
        yield chapter, Place(chapter.label, chapter.title), chapter.blocks
        for section in chapter.sections:
            yield chapter, Place(section.label, section.title), section.blocks


def find_quote(article: Article, quote: str, chapter: int | None = None) -> Place | None:
    """Where a quote stands verbatim in the article (one paragraph or table cell).

    :param article: the article
    :param quote: the quote, whitespace collapsed
    :param chapter: prefer a place in this chapter (its number)
    :return: the section, chapter opening or introduction holding it, or None
    """
    found = [
        (part_chapter, place)
        for part_chapter, place, blocks in _parts(article)
        if any(quote in text for text in quotable_texts(blocks))
    ]
    if not found:
        return None
    preferred = [place for c, place in found if c is not None and c.number == chapter]
    return (preferred or [place for _, place in found])[0]
