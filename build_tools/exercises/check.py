"""Read one exercise file and check it against the article.

:func:`parse_exercises` turns one exercise file (``exercises/<book>/NN-<chapter>.yaml``,
the format is :data:`~build_tools.exercises.schema.SCHEMA`, documented in
``exercises/README.md``) into :class:`~build_tools.exercises.model.Exercise`
objects: every problem is a :class:`~build_tools.util.errors.BuildError` naming
the file and the YAML line.  The field checks are the shared ones of
:mod:`build_tools.util.yamlfile`; the checks against the article (chapters,
sections, source quotes) are this module's own.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Final

from build_tools.article.model import Article, Chapter, Section
from build_tools.exercises.model import (
    LEVELS,
    MAX_ITEMS,
    MIN_ITEMS,
    Exercise,
    Option,
    OrderItem,
    Place,
    shuffled,
)
from build_tools.exercises.quotes import find_quote
from build_tools.exercises.schema import (
    COMMON,
    GENERATED_KINDS,
    MAX_QUOTE_WORDS,
    MIN_QUOTE_WORDS,
    SCHEMA,
    FieldSpec,
)
from build_tools.util import yamlfile
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import YamlList, YamlMap, line_of, load_yaml

_ID: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ISO: Final = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _suggest(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else f"choose from: {'; '.join(choices)}"


def _entries(
    values: YamlList, *, allowed: Sequence[str], what: str, path: str
) -> Iterator[YamlMap]:
    """Each item of a list of mappings, checked with :func:`~build_tools.util.yamlfile.fields`.

    :raises BuildError: naming the item's line, if it is not a mapping
    """
    for index, value in enumerate(values):
        if not isinstance(value, YamlMap):
            raise BuildError(
                f"{what} must be a mapping of fields", path=path, line=line_of(values, index)
            )
        yield yamlfile.fields(value, allowed=allowed, what=what, path=path)


# -- the file ---------------------------------------------------------------------------------


def parse_exercises(text: str, *, path: str, article: Article) -> tuple[Exercise, ...]:
    """Read one exercise file and check it against the article.

    :param text: the file's text (YAML, see :data:`~build_tools.exercises.schema.SCHEMA`)
    :param path: the file's name, for messages
    :param article: the article the exercises are about
    :return: the exercises, in file order (not yet numbered)
    :raises BuildError: naming the file's line, for an unknown field or kind, a
        missing or malformed field, a multiple-choice item without exactly one
        correct option or with duplicate options or not 4 options, a source
        quote not found verbatim in the article, a chapter or section that does
        not exist, ordering events without dates, or an id used twice
    """
    top = _top(text, path)
    chapter = _chapter(top, article, path)
    seen: dict[str, int] = {}
    exercises = []
    entries = yamlfile.items(top, "exercises", path=path)
    for index, value in enumerate(entries):
        exercise = _parse_one(value, line_of(entries, index), chapter, article, path)
        if exercise.id in seen:
            raise BuildError(
                f"the id {exercise.id!r} is already used on line {seen[exercise.id]}",
                path=path,
                line=exercise.line,
            )
        seen[exercise.id] = exercise.line
        exercises.append(exercise)
    return tuple(exercises)


def _top(text: str, path: str) -> YamlMap:
    """The file's mapping, with both its fields."""
    top = load_yaml(text, path=path)
    if not isinstance(top, YamlMap):
        raise BuildError("expected a mapping with `chapter:` and `exercises:`", path=path, line=1)
    yamlfile.fields(top, allowed=("chapter", "exercises"), what="the file", path=path)
    for name in ("chapter", "exercises"):
        if name not in top:
            raise BuildError(f"the file needs `{name}:`", path=path, line=1)
    return top


def _chapter(top: YamlMap, article: Article, path: str) -> Chapter:
    """The chapter the file's ``chapter:`` names."""
    title = yamlfile.text(top, "chapter", path=path)
    chapter = next((c for c in article.chapters if _folded(c.title) == title), None)
    if chapter is None:
        raise BuildError(
            f"the article has no chapter {title!r}; "
            + _suggest(title, [c.title for c in article.chapters]),
            path=path,
            line=line_of(top, "chapter"),
        )
    return chapter


# -- one exercise -----------------------------------------------------------------------------


def _parse_one(
    value: object, line: int | None, chapter: Chapter, article: Article, path: str
) -> Exercise:
    """One exercise of the file (``line``: where it starts), checked field by field."""
    entry, kind = _kind(value, line, path)
    spec = SCHEMA[kind]
    _check_fields(entry, kind, spec, path)
    ident = _ident(entry, path)
    section = _section(entry, chapter, path)
    yamlfile.text(entry, "level", path=path)  # a list or an empty value: "must be text"
    level = yamlfile.choice(entry, "level", LEVELS, path=path)
    source, place = _source(entry, chapter, article, path)
    draft = yamlfile.boolean(entry, "draft", path=path, default=False)
    values: dict[str, object] = {
        name: _value(entry, name, field_spec, ident, path)
        for name, field_spec in spec.items()
        if name in entry and name not in COMMON
    }
    if kind == "true-false":
        _check_correction(entry, values, path)
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
        draft=draft,
        path=path,
        line=entry.line,
        **values,  # type: ignore[arg-type]  # checked against SCHEMA above
    )


def _kind(value: object, line: int | None, path: str) -> tuple[YamlMap, str]:
    """The exercise's mapping and its kind, one a data file may hold."""
    if not isinstance(value, YamlMap):
        raise BuildError("each exercise must be a mapping of fields", path=path, line=line)
    if "kind" not in value:
        raise BuildError("the exercise needs `kind:`", path=path, line=value.line)
    kind = yamlfile.text(value, "kind", path=path)
    if kind in GENERATED_KINDS:
        raise BuildError(
            f"{kind} exercises are made by the pipeline from the glossary; remove this one",
            path=path,
            line=line_of(value, "kind"),
        )
    return value, yamlfile.choice(value, "kind", list(SCHEMA), path=path)


def _check_fields(entry: YamlMap, kind: str, spec: dict[str, FieldSpec], path: str) -> None:
    """No field the kind does not have, and every field it needs."""
    yamlfile.fields(entry, allowed=list(spec), what=f"a {kind} exercise", path=path)
    for name, field_spec in spec.items():
        if field_spec.required and name not in entry:
            raise BuildError(
                f"the {kind} exercise needs `{name}:` ({field_spec.help})",
                path=path,
                line=entry.line,
            )


def _ident(entry: YamlMap, path: str) -> str:
    ident: str = yamlfile.text(entry, "id", path=path)
    if not _ID.fullmatch(ident):
        raise BuildError(
            f"the id {ident!r} may hold lowercase letters, digits and single hyphens only",
            path=path,
            line=line_of(entry, "id"),
        )
    return ident


def _folded(title: str) -> str:
    """A heading as the YAML reader keeps a title: runs of white space (line separators
    too) folded into one space."""
    return " ".join(title.split())


def _section(entry: YamlMap, chapter: Chapter, path: str) -> Section:
    title = yamlfile.text(entry, "section", path=path)
    section = next((s for s in chapter.sections if _folded(s.title) == title), None)
    if section is None:
        raise BuildError(
            f"the chapter {chapter.title!r} has no section {title!r}; "
            + _suggest(title, [s.title for s in chapter.sections]),
            path=path,
            line=line_of(entry, "section"),
        )
    return section


def _source(entry: YamlMap, chapter: Chapter, article: Article, path: str) -> tuple[str, Place]:
    """The source quote and where it stands in the article."""
    source: str = yamlfile.text(entry, "source", path=path)
    words = len(source.split())
    if not MIN_QUOTE_WORDS <= words <= MAX_QUOTE_WORDS:
        raise BuildError(
            f"the source quote has {words} words; quote {MIN_QUOTE_WORDS}-{MAX_QUOTE_WORDS}",
            path=path,
            line=line_of(entry, "source"),
        )
    place = find_quote(article, source, chapter.number)
    if place is None:
        raise BuildError(
            "the source quote is not found in the article; copy a passage of one paragraph "
            "or table cell exactly as the article writes it (quotes, dashes and apostrophes too)",
            path=path,
            line=line_of(entry, "source"),
        )
    return source, place


def _value(entry: YamlMap, name: str, field_spec: FieldSpec, ident: str, path: str) -> object:
    """The value of one of the kind's own fields (not one of :data:`COMMON`)."""
    if field_spec.kind == "text":
        return yamlfile.text(entry, name, path=path)
    if field_spec.kind == "bool":
        return yamlfile.boolean(entry, name, path=path)
    if field_spec.kind == "int":
        return yamlfile.whole_number(entry, name, path=path, low=2, high=8)
    if field_spec.kind == "texts":
        points = yamlfile.items(entry, name, path=path)
        if not 2 <= len(points) <= 4:
            raise BuildError(f"give 2-4 {name}", path=path, line=points.line)
        given = yamlfile.texts(points, what=name, path=path, line=points.line)
        return tuple(" ".join(point.split()) for point in given)
    values = yamlfile.items(entry, name, path=path)
    if field_spec.kind == "options":
        return _ordered_options(ident, _options(values, path, line_of(entry, name)))
    return _events(values, path, line_of(entry, name))


def _check_correction(entry: YamlMap, values: dict[str, object], path: str) -> None:
    """A false statement has a correction, a true one has none."""
    if values["answer"] is False and "correction" not in values:
        raise BuildError(
            "a false statement needs `correction:` (the corrected statement)",
            path=path,
            line=line_of(entry, "answer"),
        )
    if values["answer"] is True and "correction" in values:
        raise BuildError(
            "a true statement has no correction; remove `correction:`",
            path=path,
            line=line_of(entry, "correction"),
        )


# -- options and events -----------------------------------------------------------------------


def _options(values: YamlList, path: str, line: int | None) -> tuple[Option, ...]:
    """A multiple-choice exercise's options (``line``: the line of ``options:``)."""
    options: list[Option] = []
    lines: dict[str, int] = {}
    for entry in _entries(values, allowed=("text", "correct"), what="an option", path=path):
        if "text" not in entry:
            raise BuildError("an option needs `text:`", path=path, line=entry.line)
        option: str = yamlfile.text(entry, "text", path=path)
        if option.casefold() in lines:
            raise BuildError(
                f"the option {option!r} is the same as the one on line {lines[option.casefold()]}",
                path=path,
                line=entry.line,
            )
        lines[option.casefold()] = entry.line
        correct = yamlfile.boolean(entry, "correct", path=path, default=False)
        options.append(Option(option, correct))
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
    return tuple(options[index] for index in shuffled(ident, len(options)))


def _events(values: YamlList, path: str, line: int | None) -> tuple[OrderItem, ...]:
    """An ordering exercise's events, as written (``line``: the line of ``events:``)."""
    events: list[OrderItem] = []
    dates: dict[str, int] = {}
    for entry in _entries(values, allowed=("text", "date"), what="an event", path=path):
        if "text" not in entry:
            raise BuildError("an event needs `text:`", path=path, line=entry.line)
        if "date" not in entry:
            raise BuildError(
                "this event has no date; give `date:` (YYYY, YYYY-MM or YYYY-MM-DD)",
                path=path,
                line=entry.line,
            )
        date: str = yamlfile.text(entry, "date", path=path)
        if not _ISO.fullmatch(date):
            raise BuildError(
                f"the date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
                path=path,
                line=entry.lines["date"],
            )
        same = next((d for d in dates if d.startswith(date) or date.startswith(d)), None)
        if same is not None:
            raise BuildError(
                f"the date {date} overlaps {same} (line {dates[same]}); their order is unclear",
                path=path,
                line=entry.lines["date"],
            )
        dates[date] = entry.lines["date"]
        events.append(OrderItem(yamlfile.text(entry, "text", path=path), date, date, ""))
    if not MIN_ITEMS <= len(events) <= MAX_ITEMS:
        raise BuildError(
            f"an ordering exercise needs {MIN_ITEMS}-{MAX_ITEMS} events, not {len(events)}",
            path=path,
            line=line,
        )
    return tuple(events)
