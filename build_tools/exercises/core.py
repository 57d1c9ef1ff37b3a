"""Review exercises: the checked question bank, generated exercises, pages and exports.

Pure functions and data, no file I/O (the pipeline reads the files):

- :func:`parse_exercises` turns one exercise file (``exercises/<book>/NN-<chapter>.yaml``,
  the format is :data:`SCHEMA`, documented in ``exercises/README.md``) into
  :class:`Exercise` objects, checked against the article: every problem is a
  :class:`~build_tools.errors.BuildError` naming the file and the YAML line;
- :func:`generate_ordering` and :func:`generate_matching` make, per chapter,
  an ordering exercise from the chronology and a matching exercise from the
  glossary (skipped, without error, when the chapter has too few dated events
  or glossary terms);
- :func:`render_review` renders a chapter's "Review" section (sphinx-exercise's
  ``exercise`` and ``solution`` directives and our ``review-*`` directives, see
  :mod:`build_tools.sphinx_ext.review`), :func:`render_answer_key` the answer
  key page (EPUB and the teacher's PDF);
- :func:`render_exercises_json` and :func:`render_coverage` the data exports.

Everything taken from a data file or the article is text: it is escaped
(:func:`~build_tools.render.escape`) before it goes into MyST.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import yaml

from build_tools.article.model import Article, Block, Chapter, Paragraph, Table
from build_tools.article.render import escape, escape_role
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from build_tools.chronology.core import ChronologyResult, Event
    from build_tools.glossary.core import GlossaryPart, Term

# -- the schema -------------------------------------------------------------------------------

#: The levels of thinking an exercise may test (Bloom's taxonomy, revised), lowest first.
LEVELS: Final = ("remember", "understand", "apply", "analyse", "evaluate")


@dataclass(frozen=True)
class FieldSpec:
    """One field of an exercise in a data file.

    ``kind`` is how its value is read: ``text`` (one line, whitespace collapsed),
    ``bool``, ``int``, ``texts`` (a list of texts), ``options`` (a list of
    ``{text, correct}``) or ``events`` (a list of ``{text, date}``).
    """

    kind: str
    required: bool
    help: str


_COMMON: Final = {
    "id": FieldSpec("text", True, "unique across the book: lowercase letters, digits, hyphens"),
    "kind": FieldSpec("text", True, "the kind of exercise"),
    "section": FieldSpec("text", True, "the exact `###` title of the section it tests"),
    "level": FieldSpec("text", True, "remember, understand, apply, analyse or evaluate"),
    "source": FieldSpec("text", True, "a verbatim quote (6-40 words) supporting the answer"),
}
_PROMPT: Final = FieldSpec("text", True, "the question, in our own words")
_MODEL: Final = FieldSpec("text", True, "a model answer, 1-3 sentences")
_LINES: Final = FieldSpec("int", True, "ruled lines for the answer in the student PDF (2-8)")

#: Every kind a data file may hold, with its fields (besides :data:`_COMMON`).
SCHEMA: Final[dict[str, dict[str, FieldSpec]]] = {
    "multiple-choice": {
        **_COMMON,
        "prompt": _PROMPT,
        "options": FieldSpec("options", True, "exactly 4 distinct options, one `correct: true`"),
        "explanation": FieldSpec("text", True, "why the answer is right, one line"),
    },
    "true-false": {
        **_COMMON,
        "statement": FieldSpec("text", True, "the statement to judge"),
        "answer": FieldSpec("bool", True, "true or false"),
        "correction": FieldSpec("text", False, "the corrected statement: required when false"),
    },
    "short-answer": {
        **_COMMON,
        "prompt": _PROMPT,
        "model_answer": _MODEL,
        "marking_points": FieldSpec("texts", True, "2-4 points a teacher awards marks for"),
        "lines": _LINES,
    },
    "source-analysis": {
        **_COMMON,
        "prompt": _PROMPT,
        "guidance": FieldSpec("text", True, "for the teacher: what a good answer does"),
        "model_answer": _MODEL,
        "lines": _LINES,
    },
    "ordering": {
        **_COMMON,
        "prompt": _PROMPT,
        "events": FieldSpec("events", True, "4-6 events, each `{text, date}` (ISO date)"),
    },
}
#: The kinds the pipeline makes itself (a data file may not hold them).
GENERATED_KINDS: Final = ("matching",)
#: Every kind, in the order a chapter's review lists them (recall first, argument last).
KINDS: Final = (
    "multiple-choice",
    "true-false",
    "matching",
    "ordering",
    "short-answer",
    "source-analysis",
)
KIND_NAMES: Final = {
    "multiple-choice": "Multiple choice",
    "true-false": "True or false",
    "matching": "Matching",
    "ordering": "Ordering",
    "short-answer": "Short answer",
    "source-analysis": "Source and perspective",
}
MIN_ITEMS, MAX_ITEMS = 4, 6
MIN_QUOTE_WORDS, MAX_QUOTE_WORDS = 6, 40
_ID: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO: Final = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_LETTERS: Final = "ABCDEFGHIJ"


# -- the model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A part of the book a reader can be sent to: a section, a chapter opening, the lead."""

    label: str
    title: str


@dataclass(frozen=True)
class Option:
    """One option of a multiple-choice exercise."""

    text: str
    correct: bool = False


@dataclass(frozen=True)
class OrderItem:
    """One event of an ordering exercise: its text (without the date) and its date."""

    text: str
    date: str
    date_text: str
    source: str
    place: Place | None = None


@dataclass(frozen=True)
class Pair:
    """One term of a matching exercise with its definition."""

    term: str
    definition: str
    source: str
    place: Place | None = None


@dataclass(frozen=True)
class Exercise:
    """One review exercise, hand-written or generated.

    ``number`` is its number in the chapter's review (Exercise 3.4 has
    ``chapter == 3`` and ``number == 4``), given by :func:`number_exercises`.
    ``items`` (ordering) and ``pairs`` (matching) are in answer order;
    ``shown`` is the order a student sees them in (indices into them).
    ``place`` is where the source quote stands in the article.
    """

    id: str
    kind: str
    chapter: int
    chapter_title: str
    section: str
    section_label: str
    level: str
    prompt: str
    source: str
    place: Place
    options: tuple[Option, ...] = ()
    explanation: str = ""
    answer: bool | None = None
    correction: str = ""
    model_answer: str = ""
    marking_points: tuple[str, ...] = ()
    guidance: str = ""
    lines: int = 0
    items: tuple[OrderItem, ...] = ()
    pairs: tuple[Pair, ...] = ()
    shown: tuple[int, ...] = ()
    generated: bool = False
    number: int = 0
    path: str = ""
    line: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}")
        if self.kind == "multiple-choice":
            texts = {option.text.casefold() for option in self.options}
            if len(self.options) != 4 or len(texts) != 4:
                raise ValueError("a multiple-choice exercise needs 4 distinct options")
            if sum(option.correct for option in self.options) != 1:
                raise ValueError("a multiple-choice exercise needs exactly one correct option")
        if self.kind == "true-false" and (
            self.answer is None or (not self.answer) != bool(self.correction)
        ):
            raise ValueError("a true-false exercise needs an answer, and a correction when false")
        if self.kind == "ordering":
            dates = [item.date for item in self.items]
            if not MIN_ITEMS <= len(self.items) <= MAX_ITEMS or not all(dates):
                raise ValueError("an ordering exercise needs 4-6 dated events")
            if dates != sorted(dates) or len(set(dates)) != len(dates):
                raise ValueError("the events of an ordering exercise need distinct dates, in order")
        if self.kind == "matching" and not MIN_ITEMS <= len(self.pairs) <= MAX_ITEMS:
            raise ValueError("a matching exercise needs 4-6 pairs")
        count = len(self.items) or len(self.pairs)
        if count and sorted(self.shown) != list(range(count)):
            raise ValueError("shown must be a permutation of the items")

    @property
    def label(self) -> str:
        """The exercise's label (sphinx-exercise's ``:label:``)."""
        return f"exercise-{self.id}"

    @property
    def title(self) -> str:
        """``Exercise 3.4``."""
        return f"Exercise {self.chapter}.{self.number}"

    @property
    def correct_index(self) -> int:
        """The 0-based index of the correct option (multiple choice)."""
        return next(i for i, option in enumerate(self.options) if option.correct)


# -- reading a data file ----------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(node: yaml.Node, name: str, path: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise BuildError(f"{name} must be text, not a list or mapping", path=path, line=_line(node))
    value = _clean(str(node.value))
    if not value:
        raise BuildError(
            f"{name} is empty; write it or remove the field", path=path, line=_line(node)
        )
    return value


def _bool(node: yaml.Node, name: str, path: str) -> bool:
    value = str(node.value).lower() if isinstance(node, yaml.ScalarNode) else ""
    if node.tag != "tag:yaml.org,2002:bool" or value not in ("true", "false"):
        raise BuildError(f"{name} must be true or false", path=path, line=_line(node))
    return value == "true"


def _int(node: yaml.Node, name: str, path: str, low: int, high: int) -> int:
    if node.tag != "tag:yaml.org,2002:int" or not isinstance(node, yaml.ScalarNode):
        raise BuildError(f"{name} must be a whole number", path=path, line=_line(node))
    value = int(str(node.value))
    if not low <= value <= high:
        raise BuildError(f"{name} must be between {low} and {high}", path=path, line=_line(node))
    return value


def _mapping(node: yaml.Node, allowed: Sequence[str], what: str, path: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise BuildError(f"{what} must be a mapping of fields", path=path, line=_line(node))
    fields: dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = str(key.value)
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise BuildError(
                f"unknown field {name!r} in {what}{hint}; allowed: {', '.join(allowed)}",
                path=path,
                line=_line(key),
            )
        if name in fields:
            raise BuildError(f"the field {name!r} is given twice", path=path, line=_line(key))
        fields[name] = value
    return fields


def _sequence(node: yaml.Node, name: str, path: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise BuildError(f"{name} must be a list", path=path, line=_line(node))
    return list(node.value)


def _suggest(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else f"choose from: {'; '.join(choices)}"


def _quotable(blocks: Sequence[Block]) -> Iterator[str]:
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
        if any(quote in text for text in _quotable(blocks))
    ]
    if not found:
        return None
    preferred = [place for c, place in found if c is not None and c.number == chapter]
    return (preferred or [place for _, place in found])[0]


def _load(text: str, path: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise BuildError(f"not valid YAML: {problem}", path=path, line=line) from None
    if not isinstance(root, yaml.MappingNode):
        raise BuildError("expected a mapping with `chapter:` and `exercises:`", path=path, line=1)
    return root


def parse_exercises(text: str, *, path: str, article: Article) -> tuple[Exercise, ...]:
    """Read one exercise file and check it against the article.

    :param text: the file's text (YAML, see :data:`SCHEMA`)
    :param path: the file's name, for messages
    :param article: the article the exercises are about
    :return: the exercises, in file order (not yet numbered)
    :raises BuildError: naming the file's line, for an unknown field or kind, a
        missing or malformed field, a multiple-choice item without exactly one
        correct option or with duplicate options or not 4 options, a source
        quote not found verbatim in the article, a chapter or section that does
        not exist, ordering events without dates, or an id used twice
    """
    root = _load(text, path)
    top = _mapping(root, ("chapter", "exercises"), "the file", path)
    for name in ("chapter", "exercises"):
        if name not in top:
            raise BuildError(f"the file needs `{name}:`", path=path, line=1)
    title = _text(top["chapter"], "chapter", path)
    chapter = next((c for c in article.chapters if c.title == title), None)
    if chapter is None:
        raise BuildError(
            f"the article has no chapter {title!r}; "
            + _suggest(title, [c.title for c in article.chapters]),
            path=path,
            line=_line(top["chapter"]),
        )
    seen: dict[str, int] = {}
    exercises = []
    for item in _sequence(top["exercises"], "exercises", path):
        exercise = _parse_one(item, chapter, article, path)
        if exercise.id in seen:
            raise BuildError(
                f"the id {exercise.id!r} is already used on line {seen[exercise.id]}",
                path=path,
                line=exercise.line,
            )
        seen[exercise.id] = exercise.line
        exercises.append(exercise)
    return tuple(exercises)


def _parse_one(item: yaml.Node, chapter: Chapter, article: Article, path: str) -> Exercise:
    if not isinstance(item, yaml.MappingNode):
        raise BuildError("each exercise must be a mapping of fields", path=path, line=_line(item))
    kind_node = next((v for k, v in item.value if k.value == "kind"), None)
    if kind_node is None:
        raise BuildError("the exercise needs `kind:`", path=path, line=_line(item))
    kind = _text(kind_node, "kind", path)
    if kind in GENERATED_KINDS:
        raise BuildError(
            f"{kind} exercises are made by the pipeline from the glossary; remove this one",
            path=path,
            line=_line(kind_node),
        )
    if kind not in SCHEMA:
        raise BuildError(
            f"unknown kind {kind!r}; {_suggest(kind, list(SCHEMA))}",
            path=path,
            line=_line(kind_node),
        )
    spec = SCHEMA[kind]
    fields = _mapping(item, list(spec), f"a {kind} exercise", path)
    for name, field_spec in spec.items():
        if field_spec.required and name not in fields:
            raise BuildError(
                f"the {kind} exercise needs `{name}:` ({field_spec.help})",
                path=path,
                line=_line(item),
            )
    ident = _text(fields["id"], "id", path)
    if not _ID.fullmatch(ident):
        raise BuildError(
            f"the id {ident!r} may hold lowercase letters, digits and single hyphens only",
            path=path,
            line=_line(fields["id"]),
        )
    section_title = _text(fields["section"], "section", path)
    section = next((s for s in chapter.sections if s.title == section_title), None)
    if section is None:
        raise BuildError(
            f"the chapter {chapter.title!r} has no section {section_title!r}; "
            + _suggest(section_title, [s.title for s in chapter.sections]),
            path=path,
            line=_line(fields["section"]),
        )
    level = _text(fields["level"], "level", path)
    if level not in LEVELS:
        raise BuildError(
            f"unknown level {level!r}; choose from {', '.join(LEVELS)}",
            path=path,
            line=_line(fields["level"]),
        )
    source = _text(fields["source"], "source", path)
    words = len(source.split())
    if not MIN_QUOTE_WORDS <= words <= MAX_QUOTE_WORDS:
        raise BuildError(
            f"the source quote has {words} words; quote {MIN_QUOTE_WORDS}-{MAX_QUOTE_WORDS}",
            path=path,
            line=_line(fields["source"]),
        )
    place = find_quote(article, source, chapter.number)
    if place is None:
        raise BuildError(
            "the source quote is not found in the article; copy a passage of one paragraph "
            "or table cell exactly as the article writes it (quotes, dashes and apostrophes too)",
            path=path,
            line=_line(fields["source"]),
        )
    values: dict[str, object] = {}
    for name, field_spec in spec.items():
        if name not in fields or name in _COMMON:
            continue
        node = fields[name]
        if field_spec.kind == "text":
            values[name] = _text(node, name, path)
        elif field_spec.kind == "bool":
            values[name] = _bool(node, name, path)
        elif field_spec.kind == "int":
            values[name] = _int(node, name, path, 2, 8)
        elif field_spec.kind == "texts":
            points = _sequence(node, name, path)
            if not 2 <= len(points) <= 4:
                raise BuildError(f"give 2-4 {name}", path=path, line=_line(node))
            values[name] = tuple(_text(point, name, path) for point in points)
        elif field_spec.kind == "options":
            values[name] = _ordered_options(ident, _options(node, path, _key_line(item, name)))
        else:
            values[name] = _events(node, path, _key_line(item, name))
    if kind == "true-false":
        if values["answer"] is False and "correction" not in values:
            raise BuildError(
                "a false statement needs `correction:` (the corrected statement)",
                path=path,
                line=_line(fields["answer"]),
            )
        if values["answer"] is True and "correction" in values:
            raise BuildError(
                "a true statement has no correction; remove `correction:`",
                path=path,
                line=_line(fields["correction"]),
            )
    items: tuple[OrderItem, ...] = ()
    shown: tuple[int, ...] = ()
    if kind == "ordering":
        written = values.pop("events")
        assert isinstance(written, tuple)
        items = tuple(sorted(written, key=lambda event: event.date))
        shown = tuple(items.index(event) for event in written)
    prompt = values.pop("statement", values.pop("prompt", ""))
    return Exercise(
        id=ident,
        kind=kind,
        chapter=chapter.number,
        chapter_title=chapter.title,
        section=section.title,
        section_label=section.label,
        level=level,
        prompt=str(prompt),
        source=source,
        place=place,
        items=items,
        shown=shown,
        path=path,
        line=_line(item),
        **values,  # type: ignore[arg-type]  # checked against SCHEMA above
    )


def _key_line(item: yaml.MappingNode, name: str) -> int:
    """The line of a field's key (where a list value starts is the line after it)."""
    return next(_line(key) for key, _ in item.value if key.value == name)


def _options(node: yaml.Node, path: str, line: int) -> tuple[Option, ...]:
    options: list[Option] = []
    lines: dict[str, int] = {}
    for item in _sequence(node, "options", path):
        fields = _mapping(item, ("text", "correct"), "an option", path)
        if "text" not in fields:
            raise BuildError("an option needs `text:`", path=path, line=_line(item))
        text = _text(fields["text"], "text", path)
        if text.casefold() in lines:
            raise BuildError(
                f"the option {text!r} is the same as the one on line {lines[text.casefold()]}",
                path=path,
                line=_line(item),
            )
        lines[text.casefold()] = _line(item)
        correct = _bool(fields["correct"], "correct", path) if "correct" in fields else False
        options.append(Option(text, correct))
    if len(options) != 4:
        raise BuildError(
            f"a multiple-choice exercise needs exactly 4 options, not {len(options)}",
            path=path,
            line=line,
        )
    marked = sum(option.correct for option in options)
    if marked != 1:
        raise BuildError(
            f"exactly one option must have `correct: true` ({marked} have it)",
            path=path,
            line=line,
        )
    return tuple(options)


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _ordered_options(ident: str, options: tuple[Option, ...]) -> tuple[Option, ...]:
    """The options in the order students see them.

    Numbers (years, counts) in increasing order; other options in a fixed
    shuffled order seeded by the exercise's id, so the answer's letter does not
    follow from where the author wrote it.
    """
    numbers = [_number(option.text) for option in options]
    if all(number is not None for number in numbers):
        return tuple(sorted(options, key=lambda option: _number(option.text) or 0.0))
    return tuple(options[index] for index in _shuffled(ident, len(options)))


def _events(node: yaml.Node, path: str, line: int) -> tuple[OrderItem, ...]:
    events: list[OrderItem] = []
    dates: dict[str, int] = {}
    for item in _sequence(node, "events", path):
        fields = _mapping(item, ("text", "date"), "an event", path)
        if "text" not in fields:
            raise BuildError("an event needs `text:`", path=path, line=_line(item))
        if "date" not in fields:
            raise BuildError(
                "this event has no date; give `date:` (YYYY, YYYY-MM or YYYY-MM-DD)",
                path=path,
                line=_line(item),
            )
        date = _text(fields["date"], "date", path)
        if not _ISO.fullmatch(date):
            raise BuildError(
                f"the date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                path=path,
                line=_line(fields["date"]),
            )
        same = next((d for d in dates if d.startswith(date) or date.startswith(d)), None)
        if same is not None:
            raise BuildError(
                f"the date {date} overlaps {same} (line {dates[same]}); their order is unclear",
                path=path,
                line=_line(fields["date"]),
            )
        dates[date] = _line(fields["date"])
        events.append(OrderItem(_text(fields["text"], "text", path), date, date, ""))
    if not MIN_ITEMS <= len(events) <= MAX_ITEMS:
        raise BuildError(
            f"an ordering exercise needs {MIN_ITEMS}-{MAX_ITEMS} events, not {len(events)}",
            path=path,
            line=line,
        )
    return tuple(events)


# -- generated exercises ----------------------------------------------------------------------

_DATE_WORDS: Final = re.compile(
    r"\b(?:\d{3,4}s?|January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|spring|summer"
    r"|autumn|winter|year|month|week|day)\b",
    re.IGNORECASE,
)


_MONTH: Final = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_DATE_EXPRESSION: Final = re.compile(
    rf"(?:\b(?:early|mid|late)[- ])?(?:(?:\b\d{{1,2}}(?:st|nd|rd|th)? )?\b{_MONTH}"
    rf"(?: \d{{1,2}}(?:st|nd|rd|th)?\b)?(?:[–-]\d{{1,2}}\b)?(?:,? \d{{4}})?|\b\d{{4}}s?(?:[–-]\d{{2,4}})?\b)"
)


def _mask_dates(sentence: str) -> str:
    """A sentence with every date in it replaced by "…", so it does not give its order away."""
    return _DATE_EXPRESSION.sub("…", sentence)


def _shuffled(ident: str, count: int) -> tuple[int, ...]:
    """A fixed, never sorted order of ``count`` items, seeded by the exercise's id."""
    order = list(range(count))
    random.Random(hashlib.sha256(ident.encode()).digest()).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)


def _spread(count: int) -> list[int]:
    """Indices 0..count-1, ends first, then midpoints: early picks spread over the range."""
    if count == 0:
        return []
    order = [0, count - 1]
    intervals = [(0, count - 1)]
    while intervals:
        halves = []
        for low, high in intervals:
            if high - low > 1:
                middle = (low + high) // 2
                order.append(middle)
                halves += [(low, middle), (middle, high)]
        intervals = halves
    return list(dict.fromkeys(order))


#: First words of extracted labels that are fragments, not statements ("Near No Gun Ri ...").
_FRAGMENT_STARTS: Final = frozenset(
    [
        "and",
        "as",
        "at",
        "broader",
        "by",
        "during",
        "following",
        "for",
        "from",
        "in",
        "into",
        "near",
        "of",
        "on",
        "or",
        "over",
        "since",
        "that",
        "these",
        "this",
        "those",
        "through",
        "to",
        "under",
        "until",
        "when",
        "where",
        "which",
        "while",
        "with",
        "without",
        "like",
        "such",
        "seen",
        "including",
    ]
)


def _usable_event(event: Event) -> bool:
    """Whether an event's label can stand alone as an item: no date in it, a whole statement.

    Labels an editor set always can; extracted labels must not start like a fragment
    (a preposition, a participle, an adverb) and must have 4-14 words.
    """
    if (
        event.kind != "statement"
        or _DATE_WORDS.search(event.label)
        or not event.label[:1].isupper()
    ):
        return False
    if event.edited:
        return True
    words = event.label.split()
    first = words[0].lower()
    return (
        4 <= len(words) <= 14
        and first not in _FRAGMENT_STARTS
        and not first.endswith(("ing", "ed", "ly"))
        and not words[-1].endswith("ing")
    )


def generate_ordering(
    article: Article, chronology: ChronologyResult, chapter: Chapter
) -> Exercise | None:
    """An ordering exercise of 4-6 events of a chapter, taken from the chronology.

    Events whose dates may overlap are never put together, so the order is
    certain. Events an editor labelled come first, then day-precise ones; within
    each group picks spread over the chapter's time span. The same chronology
    always gives the same exercise.

    :param article: the article
    :param chronology: the chronology (:func:`build_tools.chronology.extract_chronology`)
    :param chapter: the chapter
    :return: the exercise, or None when the chapter has fewer than 4 usable events
    """
    from build_tools.chronology.core import format_event_date

    mine = [e for e in chronology.events if e.chapter == chapter.number and e.kind == "statement"]
    candidates = [e for e in mine if _usable_event(e)]
    tiers = [
        [e for e in candidates if e.edited],
        [e for e in candidates if not e.edited and e.precision == "day"],
        [e for e in candidates if not e.edited and e.precision != "day"],
        # last resort: the event's sentence, its dates hidden
        [e for e in mine if e not in candidates and _mask_dates(e.sentence) != e.sentence],
    ]
    chosen: list[tuple[Event, Place]] = []
    for number, tier in enumerate(tiers):
        if number < len(tiers) - 1:
            ordered = [sorted(tier, key=lambda e: e.sort_key)[i] for i in _spread(len(tier))]
            wanted = MAX_ITEMS
        else:  # long sentences: the shortest ones, and only as many as needed
            ordered = sorted(tier, key=lambda e: (len(e.sentence.split()), e.sort_key))
            wanted = MIN_ITEMS
        for event in ordered:
            if len(chosen) >= wanted:
                break
            first, last = event.span
            if any(
                not (last < other.span[0] or other.span[1] < first)
                or event.label.casefold() == other.label.casefold()
                or event.sentence == other.sentence
                for other, _ in chosen
            ):
                continue
            place = find_quote(article, event.sentence, chapter.number)
            if place is not None:
                chosen.append((event, place))
    if len(chosen) < MIN_ITEMS:
        return None
    chosen.sort(key=lambda pair: pair[0].sort_key)
    items = tuple(
        OrderItem(
            text=event.label if event in candidates else _mask_dates(event.sentence),
            date=event.span[0].isoformat(),
            date_text=format_event_date(event),
            source=event.sentence,
            place=place,
        )
        for event, place in chosen
    )
    ident = f"{chapter.slug}-ordering"
    counts = Counter(item.place for item in items if item.place is not None)
    main = max(counts, key=lambda place: (counts[place], -_position(chapter, place)))
    return Exercise(
        id=ident,
        kind="ordering",
        chapter=chapter.number,
        chapter_title=chapter.title,
        section=main.title if main.label != chapter.label else "",
        section_label=main.label,
        level="understand",
        prompt="Put these events in the order in which they happened, starting with the earliest.",
        source=items[0].source,
        place=items[0].place or main,
        items=items,
        shown=_shuffled(ident, len(items)),
        generated=True,
    )


def _position(chapter: Chapter, place: Place) -> int:
    labels = [chapter.label, *(section.label for section in chapter.sections)]
    return labels.index(place.label) if place.label in labels else len(labels)


def _names_pattern(term: Term) -> re.Pattern[str]:
    names = sorted(term.names, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")


def generate_matching(
    article: Article, glossary: GlossaryPart, chapter: Chapter
) -> Exercise | None:
    """A matching exercise of 4-6 glossary terms that occur in a chapter.

    Terms the chapter introduces (it is the first chapter that uses them) come
    first, then the others, each in the order they first occur in the chapter.
    A definition that names its own term shows "…" instead of the name.

    :param article: the article
    :param glossary: the glossary part of the book
    :param chapter: the chapter
    :return: the exercise, or None when fewer than 4 terms occur in the chapter
    """
    parts = [(Place(chapter.label, chapter.title), chapter.blocks)] + [
        (Place(section.label, section.title), section.blocks) for section in chapter.sections
    ]
    first_chapter = {
        usage.term: usage.chapters[0].label for usage in glossary.usage if usage.chapters
    }
    found: list[tuple[bool, int, Term, Place]] = []
    for term in glossary.glossary.terms:
        pattern = _names_pattern(term)
        for position, (place, blocks) in enumerate(parts):
            if any(pattern.search(text) for text in _quotable(blocks)):
                introduced = first_chapter.get(term.term) == chapter.label
                found.append((not introduced, position, term, place))
                break
    found.sort(key=lambda entry: (entry[0], entry[1], entry[2].term))
    pairs = []
    for _, _, term, place in found[:MAX_ITEMS]:
        definition = _names_pattern(term).sub("…", _clean(term.definition))
        source_place = find_quote(article, term.source, chapter.number)
        pairs.append(Pair(term.term, definition, term.source, source_place or place))
    if len(pairs) < MIN_ITEMS:
        return None
    ident = f"{chapter.slug}-matching"
    first = pairs[0]
    term_place = next(place for _, _, term, place in found if term.term == first.term)
    return Exercise(
        id=ident,
        kind="matching",
        chapter=chapter.number,
        chapter_title=chapter.title,
        section=term_place.title if term_place.label != chapter.label else "",
        section_label=term_place.label,
        level="remember",
        prompt="Match each term with its definition.",
        source=first.source,
        place=first.place or term_place,
        pairs=tuple(pairs),
        shown=_shuffled(ident, len(pairs)),
        generated=True,
    )


def number_exercises(exercises: Sequence[Exercise], article: Article) -> tuple[Exercise, ...]:
    """Number each chapter's exercises: by kind (:data:`KINDS`), then in file order.

    :param exercises: every exercise of the book
    :param article: the article
    :return: the exercises in book order, each with its number in its chapter
    """
    from dataclasses import replace

    ordered = sorted(
        enumerate(exercises), key=lambda pair: (pair[1].chapter, KINDS.index(pair[1].kind), pair[0])
    )
    numbered: list[Exercise] = []
    counters: Counter[int] = Counter()
    for _, exercise in ordered:
        counters[exercise.chapter] += 1
        numbered.append(replace(exercise, number=counters[exercise.chapter]))
    return tuple(numbered)


# -- the book part ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExercisePart:
    """What the exercises add to a book: chapter reviews, the answer key, exports."""

    exercises: tuple[Exercise, ...]
    reviews: dict[str, str] = field(default_factory=dict)
    answer_key: str = ""
    exports: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """One line for the build report."""
        kinds = Counter(exercise.kind for exercise in self.exercises)
        counts = ", ".join(f"{kinds[kind]} {kind}" for kind in KINDS if kinds[kind])
        return f"exercises: {len(self.exercises)} ({counts})"


def make_exercise_part(
    files: Sequence[tuple[str, str]],
    *,
    article: Article,
    chronology: ChronologyResult | None = None,
    glossary: GlossaryPart | None = None,
    worksheets: Mapping[int, str] | None = None,
) -> ExercisePart:
    """Check the exercise files, add the generated exercises and render everything.

    :param files: each exercise file's text and display name
    :param article: the article
    :param chronology: the chronology, for the ordering exercises (None: none)
    :param glossary: the glossary part, for the matching exercises (None: none)
    :param worksheets: each chapter's printable worksheet (a ``book-file`` path), by number
    :return: the reviews by chapter docname, the answer key page and the exports
    :raises BuildError: for a problem in a file, or an id used in two files
    """
    written: list[Exercise] = []
    owners: dict[str, Exercise] = {}
    for text, path in files:
        for exercise in parse_exercises(text, path=path, article=article):
            other = owners.setdefault(exercise.id, exercise)
            if other is not exercise:
                raise BuildError(
                    f"the id {exercise.id!r} is already used in {other.path}:{other.line}",
                    path=path,
                    line=exercise.line,
                )
            written.append(exercise)
    generated: list[Exercise] = []
    for chapter in article.chapters:
        made = [
            generate_ordering(article, chronology, chapter) if chronology else None,
            generate_matching(article, glossary, chapter) if glossary else None,
        ]
        generated += [exercise for exercise in made if exercise is not None]
    for exercise in generated:
        if exercise.id in owners:
            other = owners[exercise.id]
            raise BuildError(
                f"the id {exercise.id!r} is the id of a generated exercise; choose another",
                path=other.path,
                line=other.line,
            )
    exercises = number_exercises([*written, *generated], article)
    reviews = {
        chapter.docname: render_review(
            chapter,
            [e for e in exercises if e.chapter == chapter.number],
            worksheet=(worksheets or {}).get(chapter.number, ""),
        )
        for chapter in article.chapters
        if any(e.chapter == chapter.number for e in exercises)
    }
    return ExercisePart(
        exercises=exercises,
        reviews=reviews,
        answer_key=render_answer_key(article, exercises),
        exports={
            "exercises.json": render_exercises_json(exercises, title=article.title),
            "exercise-coverage.txt": render_coverage(article, exercises),
        },
    )


# -- rendering --------------------------------------------------------------------------------


def _ref(place: Place) -> str:
    return f"{{ref}}`{escape_role(place.title)} <{place.label}>`"


def _quote(text: str) -> str:
    return f"“{escape(text)}”"


def _fence(depth: int) -> str:
    return ":" * (3 + depth)


def _directive(name: str, argument: str, options: dict[str, str], body: str, depth: int) -> str:
    """A colon-fenced directive; ``depth`` is how many directives it holds inside."""
    fence = _fence(depth)
    lines = [f"{fence}{{{name}}}{' ' + argument if argument else ''}"]
    lines += [f":{key}: {value}" for key, value in options.items()]
    return "\n".join(lines) + "\n\n" + body.strip("\n") + f"\n{fence}"


def _letter(index: int) -> str:
    return _LETTERS[index]


def _choice_list(texts: Sequence[str]) -> str:
    return "\n".join(f"{number}. {escape(text)}" for number, text in enumerate(texts, start=1))


def _exercise_body(exercise: Exercise) -> list[str]:
    """The question as a student sees it (no answer), in every format."""
    parts: list[str] = []
    legend = f"Your answer to {exercise.title}"
    if exercise.kind == "multiple-choice":
        parts.append(escape(exercise.prompt))
        parts.append(
            _directive(
                "review-choices",
                legend,
                {"correct": str(exercise.correct_index + 1)},
                _choice_list([option.text for option in exercise.options]),
                0,
            )
        )
    elif exercise.kind == "true-false":
        parts.append(f"Is this statement true or false? {escape(exercise.prompt)}")
        parts.append(
            _directive(
                "review-choices",
                legend,
                {"correct": "1" if exercise.answer else "2"},
                _choice_list(["True", "False"]),
                0,
            )
        )
        parts.append(_directive("review-lines", "2", {}, "If it is false, correct it:", 0))
    elif exercise.kind in ("short-answer", "source-analysis"):
        if exercise.kind == "source-analysis":
            parts.append(f"Read this passage from {_ref(exercise.place)}:")
            parts.append(f"> {_quote(exercise.source)}")
        parts.append(escape(exercise.prompt))
        parts.append(_directive("review-lines", str(exercise.lines), {}, "", 0))
    elif exercise.kind == "ordering":
        parts.append(escape(exercise.prompt))
        parts.append(
            _directive(
                "review-items",
                "",
                {},
                _choice_list([exercise.items[index].text for index in exercise.shown]),
                0,
            )
        )
        parts.append(
            _directive(
                "review-boxes",
                str(len(exercise.items)),
                {},
                "Write the letters in time order, the earliest in box 1:",
                0,
            )
        )
    elif exercise.kind == "matching":
        parts.append(escape(exercise.prompt))
        definitions = [exercise.pairs[index].definition for index in exercise.shown]
        rows = [
            f"* - {number}\\. {escape(pair.term)}\n  - {_letter(number - 1)}\\. {escape(definition)}"
            for number, (pair, definition) in enumerate(
                zip(exercise.pairs, definitions, strict=True), start=1
            )
        ]
        parts.append(
            _directive(
                "list-table",
                "",
                {"header-rows": "1", "widths": "3 7", "class": "review-matching"},
                "* - Term\n  - Definition\n" + "\n".join(rows),
                0,
            )
        )
        parts.append(
            _directive(
                "review-boxes",
                str(len(exercise.pairs)),
                {},
                "Write the letter of each term's definition in the term's box:",
                0,
            )
        )
    return parts


def _answer_letters(exercise: Exercise) -> list[str]:
    """Ordering: the letters in time order; matching: the letter of each term."""
    if exercise.kind == "ordering":
        return [_letter(exercise.shown.index(index)) for index in range(len(exercise.items))]
    return [_letter(exercise.shown.index(index)) for index in range(len(exercise.pairs))]


def _source_line(exercise: Exercise) -> str:
    return f"*Source* ({_ref(exercise.place)}): {_quote(exercise.source)}"


def _answer(exercise: Exercise, *, teacher: bool) -> str:
    """The solution of an exercise: the answer and where the article supports it.

    ``teacher`` adds the guidance for the teacher (the answer key) behind ``{only} teacher``.
    """
    parts: list[str] = []
    if exercise.kind == "multiple-choice":
        index = exercise.correct_index
        parts.append(f"**Answer:** {_letter(index)}\\. {escape(exercise.options[index].text)}")
        parts.append(escape(exercise.explanation))
    elif exercise.kind == "true-false":
        if exercise.answer:
            parts.append("**Answer:** True.")
        else:
            parts.append(f"**Answer:** False. {escape(exercise.correction)}")
    elif exercise.kind in ("short-answer", "source-analysis"):
        parts.append(f"**Model answer:** {escape(exercise.model_answer)}")
        if exercise.marking_points:
            points = "\n".join(f"- {escape(point)}" for point in exercise.marking_points)
            parts.append(f"**Marking points:**\n\n{points}")
        if exercise.guidance and teacher:
            parts.append(
                _directive(
                    "only",
                    "teacher",
                    {},
                    f"**Guidance for the teacher:** {escape(exercise.guidance)}",
                    0,
                )
            )
    elif exercise.kind == "ordering":
        parts.append(f"**Answer:** {', '.join(_answer_letters(exercise))}")
        parts.append(
            "\n".join(
                f"{number}. {escape(item.date_text)}: {escape(item.text)}"
                + (f" ({_ref(item.place)})" if item.place else "")
                for number, item in enumerate(exercise.items, start=1)
            )
        )
        if teacher:
            quotes = "\n".join(f"- {_quote(item.source)}" for item in exercise.items if item.source)
            parts.append(_directive("only", "teacher", {}, f"*Sources:*\n\n{quotes}", 0))
        return "\n\n".join(parts)
    elif exercise.kind == "matching":
        parts.append(
            "**Answer:** "
            + ", ".join(
                f"{number}–{letter}"
                for number, letter in enumerate(_answer_letters(exercise), start=1)
            )
        )
        parts.append(
            "\n".join(
                f"- **{escape(pair.term)}**: {escape(pair.definition)}" for pair in exercise.pairs
            )
        )
        if teacher:
            quotes = "\n".join(
                f"- {escape(pair.term)}: {_quote(pair.source)}"
                + (f" ({_ref(pair.place)})" if pair.place else "")
                for pair in exercise.pairs
            )
            parts.append(_directive("only", "teacher", {}, f"*Sources:*\n\n{quotes}", 0))
        return "\n\n".join(parts)
    parts.append(_source_line(exercise))
    return "\n\n".join(parts)


def review_label(chapter: Chapter) -> str:
    """The label of a chapter's Review section."""
    return f"review-{chapter.label}"


def render_review(chapter: Chapter, exercises: Sequence[Exercise], *, worksheet: str = "") -> str:
    """Render a chapter's "Review" section, appended at the end of the chapter page.

    Every format shows the questions; the HTML adds each solution behind a
    toggle (``{only} builder_html``), the EPUB and the teacher's PDF link each
    exercise to its answer in the answer key (``answers-<id>``), the student's
    PDF has no answers.

    :param chapter: the chapter
    :param exercises: its exercises, numbered
    :param worksheet: the chapter's printable worksheet, linked in the HTML (a
        ``book-file`` path; empty: none)
    :return: MyST
    """
    printable = (
        f" To work on paper, print the {{book-file}}`worksheet for this chapter (PDF) <{worksheet}>`."
        if worksheet
        else ""
    )
    parts = [
        f"({review_label(chapter)})=\n## Review",
        _directive(
            "only",
            "builder_html",
            {},
            "Check what you have understood. Multiple-choice and true-or-false questions "
            "can be answered on this page; each answer is hidden under its exercise until "
            "you open it." + printable,
            0,
        ),
        _directive(
            "only",
            "builder_epub",
            {},
            "Check what you have understood. The answers are in the answer key at the end "
            "of the book: follow the link under each exercise, and the link in the answer "
            "to come back.",
            0,
        ),
        _directive(
            "only",
            "format_latex",
            {},
            "Check what you have understood. Write your answers in the spaces provided.",
            0,
        ),
    ]
    for exercise in exercises:
        body = _exercise_body(exercise)
        body.append(
            _directive(
                "only",
                "builder_epub or teacher",
                {},
                f"{{ref}}`Answer to {exercise.title} <answer-{exercise.id}>`",
                0,
            )
        )
        parts.append(
            _directive(
                "exercise",
                KIND_NAMES[exercise.kind],
                {"label": exercise.label, "class": f"review-exercise review-{exercise.kind}"},
                "\n\n".join(body),
                1,
            )
        )
        solution = _directive(
            "solution",
            exercise.label,
            {"label": f"solution-{exercise.id}", "class": "dropdown"},
            _answer(exercise, teacher=False),
            0,
        )
        parts.append(_directive("only", "builder_html", {}, solution, 1))
    return "\n\n".join(parts)


def render_answer_key(article: Article, exercises: Sequence[Exercise]) -> str:
    """Render the answer key: a back-matter page in the EPUB and the teacher's PDF.

    Each answer is a sphinx-exercise ``solution`` whose title links back to its
    exercise; it gives the answer, the marking points or explanation, the
    source quote and the section it comes from, and (teacher's PDF only) the
    guidance for the teacher.

    :param article: the article
    :param exercises: every exercise, numbered
    :return: MyST for ``_generated/answers.md``
    """
    parts = [
        "(answers)=\n# Answer key",
        (
            "The answers to the review exercises at the end of each chapter. Each answer "
            "names the passage of the article that supports it."
        ),
    ]
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        if not mine:
            continue
        parts.append(
            f"(answers-{chapter.label})=\n## Chapter {chapter.number}: {escape(chapter.title)}"
        )
        for exercise in mine:
            where = f"*{escape(KIND_NAMES[exercise.kind])}, level: {exercise.level}*"
            if exercise.section:
                where += f" · {{ref}}`{escape_role(exercise.section)} <{exercise.section_label}>`"
            body = _directive("only", "teacher", {}, where, 0) + "\n\n"
            body += _answer(exercise, teacher=True)
            parts.append(
                _directive("solution", exercise.label, {"label": f"answer-{exercise.id}"}, body, 1)
            )
    return "\n\n".join(parts) + "\n"


# -- exports ----------------------------------------------------------------------------------


def _answer_data(exercise: Exercise) -> object:
    if exercise.kind == "multiple-choice":
        return exercise.options[exercise.correct_index].text
    if exercise.kind == "true-false":
        return exercise.answer
    if exercise.kind == "ordering":
        return [item.text for item in exercise.items]
    if exercise.kind == "matching":
        return {pair.term: pair.definition for pair in exercise.pairs}
    return exercise.model_answer


def _options_data(exercise: Exercise) -> object:
    if exercise.kind == "multiple-choice":
        return [option.text for option in exercise.options]
    if exercise.kind == "true-false":
        return ["True", "False"]
    if exercise.kind == "ordering":
        return [exercise.items[index].text for index in exercise.shown]
    if exercise.kind == "matching":
        return {
            "terms": [pair.term for pair in exercise.pairs],
            "definitions": [exercise.pairs[index].definition for index in exercise.shown],
        }
    return []


def exercise_record(exercise: Exercise) -> dict[str, object]:
    """One exercise as plain data (the entries of ``exercises.json``).

    :param exercise: the exercise
    :return: a JSON-ready mapping
    """
    record: dict[str, object] = {
        "id": exercise.id,
        "number": f"{exercise.chapter}.{exercise.number}",
        "kind": exercise.kind,
        "chapter": exercise.chapter_title,
        "chapter_number": exercise.chapter,
        "section": exercise.section,
        "section_label": exercise.section_label,
        "level": exercise.level,
        "prompt": exercise.prompt,
        "options": _options_data(exercise),
        "answer": _answer_data(exercise),
        "source": exercise.source,
        "source_section": exercise.place.title,
        "generated": exercise.generated,
    }
    extra: dict[str, object] = {
        "explanation": exercise.explanation,
        "correction": exercise.correction,
        "marking_points": list(exercise.marking_points),
        "guidance": exercise.guidance,
        "lines": exercise.lines,
    }
    record.update({key: value for key, value in extra.items() if value})
    if exercise.items:
        record["events"] = [
            {"text": item.text, "date": item.date_text, "source": item.source}
            for item in exercise.items
        ]
    if exercise.pairs:
        record["sources"] = {pair.term: pair.source for pair in exercise.pairs}
    return record


def render_exercises_json(exercises: Sequence[Exercise], *, title: str) -> str:
    """Every exercise as JSON, for other tools (``_build/data/exercises.json``).

    :param exercises: every exercise, numbered
    :param title: the book's title
    :return: the JSON text
    """
    data = {
        "title": title,
        "count": len(exercises),
        "exercises": [exercise_record(exercise) for exercise in exercises],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_coverage(article: Article, exercises: Sequence[Exercise]) -> str:
    """A plain-text report for teachers: per chapter, the sections, levels and kinds covered.

    :param article: the article
    :param exercises: every exercise, numbered
    :return: the report (``_build/data/exercise-coverage.txt``)
    """
    kinds = Counter(exercise.kind for exercise in exercises)
    lines = [
        f"Exercise coverage: {article.title}",
        "",
        f"{len(exercises)} exercises in {len(article.chapters)} chapters: "
        + ", ".join(f"{kinds[kind]} {kind}" for kind in KINDS),
        "Levels of thinking, lowest first: " + ", ".join(LEVELS) + ".",
        "Generated from the chronology and the glossary: ordering and matching.",
    ]
    header = "  Chapter  Exercises  " + "  ".join(LEVELS) + "  Sections tested"
    lines += ["", "Overview: exercises per level of thinking, and sections tested", header]
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        levels = Counter(exercise.level for exercise in mine)
        tested = {exercise.section_label for exercise in mine}
        covered = sum(section.label in tested for section in chapter.sections)
        cells = "  ".join(f"{levels[level]:>{len(level)}}" for level in LEVELS)
        lines.append(
            f"  {chapter.number:>7}  {len(mine):>9}  {cells}  {covered}/{len(chapter.sections)}"
        )
    width = len(max(LEVELS + KINDS, key=len))
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        lines += ["", f"Chapter {chapter.number}: {chapter.title} ({len(mine)} exercises)"]
        if not mine:
            lines.append("  no exercises")
            continue
        levels = Counter(exercise.level for exercise in mine)
        by_kind = Counter(exercise.kind for exercise in mine)
        lines.append("  Kinds:")
        lines += [f"    {kind:<{width}}  {by_kind[kind]}" for kind in KINDS]
        lines.append("  Levels:")
        lines += [
            f"    {level:<{width}}  {levels[level]}" + ("   <- none" if not levels[level] else "")
            for level in LEVELS
        ]
        lines.append("  Sections (exercises that test each one):")
        for section in chapter.sections:
            numbers = ", ".join(
                f"{e.chapter}.{e.number}" for e in mine if e.section_label == section.label
            )
            lines.append(f"    {section.title}")
            lines.append(f"      {numbers or '<- not covered'}")
        sourced = Counter(e.place.title for e in mine)
        elsewhere = [title for title in sourced if title not in {s.title for s in chapter.sections}]
        if elsewhere:
            lines.append(
                "  Source quotes from outside the chapter's sections: " + "; ".join(elsewhere)
            )
    return "\n".join(lines) + "\n"
