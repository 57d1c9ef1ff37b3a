"""Draft the figures file: the article's numbers for forces and deaths, where the grouping is clear.

:func:`draft_figures` is pure: it returns the text of a ``<name>.figures.yaml``
that :func:`~build_tools.stats.load.parse_charts` reads, every figure marked
``draft: true``.  It drafts two kinds of chart, and nothing it would have to
guess:

* **a table's column**: a column whose header names forces or losses
  (``Soldiers at the Alma``, ``Military Deaths``) becomes a panel, one row a
  table row (labelled by its first cell) whose cell states one number or one
  range; a cell with several figures or a label of its own (``ROK: 98,000;
  U.S.: <10,000``) is left out, and so is a column left with fewer than two rows;
* **the sentences** stating a number of deaths (``about 450,000 dead``) or of
  troops: one row for each who the sentence names next to the number
  (``3,000 Ottoman sailors``), or the total when it speaks of one (``Total``); the
  quote is the whole sentence.  The chart is drafted only when it compares
  something: two rows, or two figures for one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import yaml

from build_tools.article.model import Article, Block, Paragraph, Table
from build_tools.stats.load import _NUMBER, numbers_in

_FORCE_NOUNS = r"soldiers|troops|men|sailors|personnel|marines|infantry|combatants"
_DEATH_NOUNS = r"dead|deaths|fatalities|killed|casualties"
#: A number of people: the number, up to two words (``Ottoman``), then the noun.
_MENTION = re.compile(
    rf"(?P<number>{_NUMBER.pattern})(?:(?P<words>(?:\s+[\w'’-]+){{0,2}}?)"
    rf"\s+(?P<noun>{_FORCE_NOUNS}|{_DEATH_NOUNS}|people)|\s+(?P<people>[A-Z][a-z]+(?:ans|ons|s)))\b"
    r"(?!\s+and\s+[A-Z])"
)
_DEATHS = re.compile(rf"\b(?:{_DEATH_NOUNS}|died|lost|perished)\b")
_TOTAL = re.compile(
    r"\b(?:all sides|in all|in total|a total of|the war killed|altogether)\b", re.IGNORECASE
)
_OPEN_HIGH = re.compile(r"\b(?:over|more than|or more|at least)\s*$|^\s*or more\b")
_OPEN_LOW = re.compile(r"(?:\bunder|\bfewer than|\bless than|<)\s*~?\s*$")
_HEADER_FORCES = re.compile(r"\b(?:strength|troops|soldiers|forces|men)\b", re.IGNORECASE)
_HEADER_DEATHS = re.compile(
    r"\b(?:deaths|dead|killed|casualties|losses|fatalities)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")
_INITIAL = re.compile(r"\b(?:[A-Z]|St|Mr|Mrs|Dr|Gen|Lt|Col|Capt|Maj|Sgt|Adm|Brig|Jr|Sr|No)\.$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TITLES = {"troops": "Forces", "deaths": "Deaths", "casualties": "Casualties (killed and wounded)"}


@dataclass
class _Row:
    label: str
    values: list[dict[str, object]] = field(default_factory=list)


@dataclass
class _Draft:
    """A chart being drafted: its panels of rows, and the sections its quotes come from."""

    kind: str
    panels: list[tuple[str, list[_Row]]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def _sections(article: Article) -> Iterator[tuple[str, Sequence[Block]]]:
    for chapter in article.chapters:
        for section in chapter.sections:
            yield section.title, section.blocks


def _value(number: float, quote: str, before: str, after: str) -> dict[str, object]:
    value: dict[str, object] = {"number": int(number) if number == int(number) else number}
    value["quote"] = quote
    if _OPEN_HIGH.search(before) or after.lstrip().startswith("or more"):
        value["more"] = True
    elif _OPEN_LOW.search(before):
        value["less"] = True
    return value


def _cell_values(cell: str) -> list[dict[str, object]] | None:
    """A table cell's figures: one number or one range, else None."""
    text = " ".join(cell.split())
    matches = [m for m in _NUMBER.finditer(text) if not _is_year(m.group())]
    if len(matches) != 1 or ":" in text or ";" in text:
        return None
    match = matches[0]
    numbers = sorted(numbers_in(match.group()))
    before, after = text[: match.start()], text[match.end() :]
    values = [_value(number, text, before, after) for number in numbers]
    if len(values) == 2:  # a range: an open end belongs to its high figure only
        values[0].pop("more", None)
    return values


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", token))


def _table_charts(article: Article) -> list[tuple[str, _Draft]]:
    drafts: list[tuple[str, _Draft]] = []
    for title, blocks in _sections(article):
        for table in (block for block in blocks if isinstance(block, Table)):
            for kind, pattern in (("deaths", _HEADER_DEATHS), ("troops", _HEADER_FORCES)):
                draft = _Draft(kind, sections=[title])
                for column, header in enumerate(table.header[1:], start=1):
                    if not pattern.search(header):
                        continue
                    rows = []
                    for cells in table.rows:
                        values = _cell_values(cells[column])
                        if values is not None and cells[0].strip():
                            rows.append(_Row(" ".join(cells[0].split()), values))
                    if len(rows) >= 2:
                        draft.panels.append((" ".join(header.split()), rows))
                if draft.panels:
                    drafts.append((title, draft))
    return drafts


def _sentences(text: str) -> list[str]:
    """A paragraph's sentences (a full stop after an initial does not end one)."""
    parts: list[str] = []
    for piece in _SENTENCE_END.split(" ".join(text.split())):
        if parts and _INITIAL.search(parts[-1]):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


def _who(sentence: str, match: re.Match[str], common: set[str]) -> str | None:
    """Who a number in a sentence counts: the name next to it, all sides, or None (unclear)."""
    if match.group("people"):  # "40 Britons"
        return str(match.group("people"))
    named = [w for w in _WORD.findall(match.group("words") or "") if w[0].isupper()]
    if named:  # "3,000 Ottoman sailors"
        return " ".join(named)
    if _TOTAL.search(sentence[: match.start()]) or _TOTAL.search(sentence[match.end() :]):
        return "Total"
    before = [
        w
        for w in _WORD.findall(sentence[: match.start()])
        if w[0].isupper() and w.lower() not in common
    ]
    first_clause = not re.search(
        r"[;:]|\b(?:while|whereas|but|against|compared)\b", sentence[: match.start()]
    )
    if len(before) == 1 and sentence.startswith(before[0]) and first_clause:
        return str(before[0])  # "Russia lost the largest number, about 450,000 dead"
    return None


def _kind(sentence: str, match: re.Match[str]) -> str | None:
    """Whether a number counts deaths or casualties (killed and wounded), or neither."""
    noun = match.group("noun") or ""
    after = sentence[match.end() : match.end() + 20]
    if noun == "casualties" or re.match(r"\s*(?:or|and) wounded", after):
        return "casualties"
    if noun in ("dead", "deaths", "fatalities", "killed"):
        return "deaths"
    if re.search(r"\bwounded\b", sentence):
        return None  # killed and wounded counted together, or apart: unclear
    return "deaths"


def _sentence_charts(article: Article) -> list[tuple[str, _Draft]]:
    """The deaths each section's sentences state, by who (only clear, comparing charts)."""
    common = {
        word.lower()
        for _, blocks in _sections(article)
        for block in blocks
        if isinstance(block, Paragraph)
        for word in _WORD.findall(block.text)
        if word[0].islower()
    }
    drafts: list[tuple[str, _Draft]] = []
    for title, blocks in _sections(article):
        by_kind: dict[str, dict[str, _Row]] = {}
        for block in blocks:
            if not isinstance(block, Paragraph):
                continue
            for sentence in _sentences(block.text):
                if not _DEATHS.search(sentence):
                    continue
                for match in _MENTION.finditer(sentence):
                    if _is_year(match.group("number")):
                        continue
                    who = _who(sentence, match, common)
                    kind = _kind(sentence, match)
                    if who is None or kind is None:
                        continue
                    before, after = sentence[: match.start()], sentence[match.end() :]
                    row = by_kind.setdefault(kind, {}).setdefault(who, _Row(who))
                    for number in sorted(numbers_in(match.group("number"))):
                        row.values.append(_value(number, sentence, before, after))
        for kind, rows in sorted(by_kind.items()):
            kept = list(rows.values())
            if len(kept) >= 2 or any(len(row.values) >= 2 for row in kept):
                drafts.append((title, _Draft(kind, [(kind.capitalize(), kept)], [title])))
    return drafts


def draft_figures(article: Article, *, name: str = "") -> str | None:
    """Draft the figures file of an article.

    :param article: the article
    :param name: the article's file name, for the file's header
    :return: the YAML text of ``<name>.figures.yaml``, or None when no chart is clear
    """
    drafts = _table_charts(article)
    taken = {(title, draft.kind) for title, draft in drafts}
    drafts += [
        (title, draft)
        for title, draft in _sentence_charts(article)
        if (title, draft.kind) not in taken
    ]
    if not drafts:
        return None
    figures = []
    used: set[str] = set()
    for title, draft in drafts:
        slug = "figure"
        for index, word in enumerate(re.findall(r"\w+", title.lower())):
            longer = word if index == 0 else f"{slug}-{word}"
            if len(longer) > 40:
                break
            slug = longer
        chart_name = f"{draft.kind}-{slug}"
        while chart_name in used:
            chart_name += "-2"
        used.add(chart_name)
        figures.append(
            {
                "name": chart_name,
                "title": draft.panels[0][0]
                if len(draft.panels) == 1 and draft.panels[0][0] != draft.kind.capitalize()
                else f"{_TITLES[draft.kind]} in “{title}”",
                "section": title,
                "unit": draft.kind,
                "draft": True,
                "panels": [
                    {
                        "title": panel,
                        "rows": [{"label": row.label, "values": row.values} for row in rows],
                    }
                    for panel, rows in draft.panels
                ],
            }
        )
    header = [
        f"# Data figures of the article {name or article.source}, DRAFTED from its own",
        "# sentences and tables: every figure is marked draft: true until a person has",
        "# checked it (then delete the marker, and give each row its side).  Each number",
        "# comes with the passage that states it, copied word for word.  The format is",
        "# described in seeds/korean-war.figures.yaml.",
    ]
    body: str = yaml.safe_dump(
        {"figures": figures}, allow_unicode=True, sort_keys=False, width=88, indent=2
    )
    return "\n".join(header) + "\n" + body
