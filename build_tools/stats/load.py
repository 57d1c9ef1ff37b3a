"""Read the figures file and check every number it gives against the article.

The data lives in a reviewable YAML file next to the article
(``<name>.figures.yaml``).  Every number comes with a quote: a passage that
must occur in the article word for word (a paragraph or a table cell), and
that must state the number.  :func:`parse_charts` checks both and raises
:class:`~build_tools.util.errors.BuildError` naming the file's line otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from build_tools.article.model import Article, Paragraph, Table
from build_tools.stats.model import SIDES, Chart, Panel, Row, Value
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import (
    YamlList,
    YamlMap,
    boolean,
    fields,
    items,
    line_of,
    load_yaml,
    number,
    text,
)

_NUMBER = re.compile(
    r"(?P<a>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<sep>–|-|to)\s*(?:over\s+|~)?(?P<b>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?"
    r"(?P<mult>\s*(?:million\b|M\b))?"
)
#: A passage a quote may come from, and where it is (section title or table).
_Passages = list[tuple[str, str]]


def numbers_in(text: str) -> set[float]:
    """Every number a passage states, with ``million`` and ``M`` applied.

    ``1–1.5 million`` and ``1 to 2 million`` state two numbers in millions;
    ``~700,000–1M`` states 700,000 and 1,000,000.

    :param text: a passage
    :return: the numbers
    """
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        mult = 1e6 if match.group("mult") else 1.0
        first, second = match.group("a"), match.group("b")
        for token, is_first in ((first, True), (second, False)):
            if token is None:
                continue
            value = float(token.replace(",", ""))
            scale = mult
            if is_first and second is not None and ("," in token or value >= 1000):
                scale = 1.0  # "700,000–1M": the multiplier belongs to the second number
            found.add(value * scale)
    return found


def _passages(article: Article) -> Iterator[tuple[str, str]]:
    """Each passage a quote may come from, with where it is (section title or table)."""
    parts = [("the introduction", article.lead)]
    for chapter in article.chapters:
        parts.append((f"chapter “{chapter.title}”", chapter.blocks))
        parts += [(f"section “{section.title}”", section.blocks) for section in chapter.sections]
    for part, blocks in parts:
        for block in blocks:
            if isinstance(block, Paragraph):
                yield " ".join(block.text.split()), part
            elif isinstance(block, Table):
                where = f"the table of {part}"
                for cells in (block.header, *block.rows):
                    yield " | ".join(" ".join(c.split()) for c in cells), where
                    for cell in cells:
                        yield " ".join(cell.split()), where


def parse_charts(text: str, article: Article, *, path: str) -> tuple[Chart, ...]:
    """Read the figures file and check every number against the article.

    :param text: the file's YAML text
    :param article: the article
    :param path: the file's name, for messages
    :return: the charts
    :raises BuildError: naming the line of a bad entry, a quote not in the
        article, or a number its quote does not state
    """
    data = load_yaml(text, path=path)
    if not isinstance(data, YamlMap) or not isinstance(data.get("figures"), YamlList):
        raise BuildError("expected a mapping with a list 'figures'", path=path, line=1)
    passages = list(_passages(article))
    titles = {section.title for chapter in article.chapters for section in chapter.sections}
    return tuple(_chart(raw, passages, titles, path=path) for raw in data["figures"])


def _some(entry: YamlMap, key: str, *, needs: str, path: str) -> YamlList:
    """A field holding a list that must not be empty (``needs``: what a message says)."""
    listed = items(entry, key, path=path)
    if not listed:
        raise BuildError(needs, path=path, line=line_of(entry))
    return listed


def _chart(raw: Any, passages: _Passages, titles: set[str], *, path: str) -> Chart:
    """One figure of the file: its panels, and the passages its numbers come from."""
    entry = fields(
        raw,
        allowed=("name", "title", "section", "unit", "panels", "note", "draft"),
        what="a figure",
        path=path,
    )
    section = text(entry, "section", path=path)
    if section not in titles:
        raise BuildError(
            f"no section of the article is titled {section!r}",
            path=path,
            line=line_of(entry, "section"),
        )
    sources: list[str] = []
    panels = tuple(
        _panel(raw_panel, passages, sources, path=path)
        for raw_panel in _some(entry, "panels", needs="a figure needs panels", path=path)
    )
    return Chart(
        name=text(entry, "name", path=path),
        title=text(entry, "title", path=path),
        section=section,
        unit=text(entry, "unit", path=path),
        panels=panels,
        line=line_of(entry) or 0,
        sources=tuple(sources),
        note=text(entry, "note", path=path, default=""),
        draft=boolean(entry, "draft", path=path, default=False),
    )


def _panel(raw: Any, passages: _Passages, sources: list[str], *, path: str) -> Panel:
    """One panel of a figure; the places its quotes come from are added to ``sources``."""
    panel = fields(raw, allowed=("title", "rows"), what="a panel", path=path)
    rows = tuple(
        _row(raw_row, passages, sources, path=path)
        for raw_row in _some(panel, "rows", needs="a panel needs rows", path=path)
    )
    return Panel(title=text(panel, "title", path=path), rows=rows)


def _row(raw: Any, passages: _Passages, sources: list[str], *, path: str) -> Row:
    """One row of a panel; the places its quotes come from are added to ``sources``."""
    row = fields(raw, allowed=("label", "side", "values"), what="a row", path=path)
    side = row.get("side", "none")
    if side not in SIDES:
        raise BuildError(
            f"side must be one of {', '.join(SIDES)}", path=path, line=line_of(row, "side")
        )
    values = []
    for raw_value in _some(row, "values", needs="a row needs values", path=path):
        value, where = _value(raw_value, passages, path=path)
        values.append(value)
        if where not in sources:
            sources.append(where)
    return Row(
        label=text(row, "label", path=path),
        side=str(side),
        values=tuple(values),
        line=line_of(row) or 0,
    )


def _value(raw: Any, passages: _Passages, *, path: str) -> tuple[Value, str]:
    """One figure of a row, with where in the article its quote is."""
    entry = fields(raw, allowed=("number", "quote", "more", "less"), what="a value", path=path)
    quote = text(entry, "quote", path=path)
    stated = entry.get("number")
    amount = number(stated, what="number", path=path, line=line_of(entry, "number"))
    where = next((place for passage, place in passages if quote in passage), None)
    if where is None:
        raise BuildError(
            f"the quote {quote!r} does not occur in the article; copy it word for word",
            path=path,
            line=line_of(entry, "quote"),
        )
    if not any(math.isclose(amount, found) for found in numbers_in(quote)):
        raise BuildError(
            f"the number {stated:,} is not stated in its quote {quote!r}, so it is not "
            "the article's; give the number the passage states",
            path=path,
            line=line_of(entry, "number"),
        )
    return (
        Value(
            number=amount,
            quote=quote,
            line=line_of(entry) or 0,
            more=boolean(entry, "more", path=path, default=False),
            less=boolean(entry, "less", path=path, default=False),
        ),
        where,
    )
