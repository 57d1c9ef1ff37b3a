"""Editorial overrides: read an overrides file, and relabel, drop and merge events by it.

An overrides file is a YAML list of entries.  Each entry selects one event
(``line``, ``date``, ``end_date``, ``match``) and sets a ``label``, drops it
(``drop: true``) or merges it into another (``merge_into``: an ``id`` given to
another entry, or ``line:date``).  The file is read by the caller and passed
in as text: nothing here reads files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from build_tools.chronology.model import ChronologyResult, Event, Override
from build_tools.util import yamlfile
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import YamlList, YamlMap, line_of

_FIELDS: Final = ("line", "date", "end_date", "match", "label", "drop", "merge_into", "id", "key")
_MAX_LINE: Final = 10_000_000


def load_overrides(text: str, *, path: str) -> tuple[Override, ...]:
    """Read an overrides file: a YAML list of editorial entries.

    Each entry selects one event (``line``, ``date``, ``end_date``, ``match``)
    and sets a ``label``, drops it (``drop: true``) or merges it into another
    (``merge_into``: an ``id`` given to another entry, or ``line:date``).
    Values are read as text (``date: 1950-06-25`` gives the string
    ``"1950-06-25"``).

    :param text: the file's text
    :param path: the file's name, for messages
    :return: the entries in file order
    :raises BuildError: naming the file and line of a malformed entry
    """
    root = yamlfile.load_yaml(text, path=path)
    if root is None:
        return ()
    if not isinstance(root, YamlList):
        raise BuildError(
            "an overrides file is a list of entries ('- line: ...')",
            path=path,
            line=line_of(root),
        )
    overrides = [_override(entry, path, root.lines[n]) for n, entry in enumerate(root)]
    idents = Counter(o.ident for o in overrides if o.ident)
    for override in overrides:
        if override.ident and idents[override.ident] > 1:
            raise BuildError(
                f"the id {override.ident!r} is used by more than one entry",
                path=path,
                line=override.source_line,
            )
    return tuple(overrides)


def _override(entry: object, path: str, line: int) -> Override:
    """One entry of an overrides file.

    :param entry: the entry, from :func:`~build_tools.util.yamlfile.load_yaml`
    :param path: the file's name, for messages
    :param line: the entry's line
    :return: the entry
    :raises BuildError: if a field is unknown or malformed, or the entry does nothing
    """
    if not isinstance(entry, YamlMap):
        raise BuildError("each entry is a mapping ('line: ..., label: ...')", path=path, line=line)
    yamlfile.fields(entry, allowed=_FIELDS, what="an override entry", path=path)
    values: dict[str, str | None] = {
        name: yamlfile.text(entry, name, path=path, default=None, collapse=False)
        for name in ("date", "end_date", "match", "label", "id")
    }
    drop = yamlfile.boolean(entry, "drop", path=path, default=False)
    key = yamlfile.boolean(entry, "key", path=path) if "key" in entry else None
    selected_line = _line(entry, path)
    merge_into = _merge_into(entry, path)
    actions = (values["label"] is not None) + drop + (merge_into is not None) + (key is not None)
    if actions == 0:
        raise BuildError(
            "this entry changes nothing: give it a label, drop, merge_into or key",
            path=path,
            line=line,
        )
    if drop and actions > 1:
        raise BuildError("a dropped event takes nothing else", path=path, line=line)
    try:
        return Override(
            path=path,
            source_line=line,
            line=selected_line,
            date=values["date"],
            end_date=values["end_date"],
            match=values["match"],
            label=values["label"],
            drop=drop,
            merge_into=merge_into,
            ident=values["id"],
            key=key,
        )
    except ValueError as err:
        raise BuildError(str(err), path=path, line=line) from None


def _line(entry: YamlMap, path: str) -> int | None:
    """The source line an entry selects by, if it gives one."""
    if "line" not in entry:
        return None
    # "line must be a number" for a word; then it must be a whole one, from 1
    yamlfile.number(entry["line"], what="line", path=path, line=line_of(entry, "line"))
    return yamlfile.whole_number(entry, "line", path=path, low=1, high=_MAX_LINE)


def _merge_into(entry: YamlMap, path: str) -> str | None:
    """The event an entry merges into: an ``id``, or ``line:date`` (also as a mapping)."""
    target = entry.get("merge_into")
    if isinstance(target, YamlMap):
        yamlfile.fields(
            target,
            allowed=("line", "date"),
            required=("line", "date"),
            what="merge_into",
            path=path,
        )
        line = yamlfile.text(target, "line", path=path)
        date = yamlfile.text(target, "date", path=path)
        return f"{line}:{date}"
    merge_into: str | None = yamlfile.text(
        entry, "merge_into", path=path, default=None, collapse=False
    )
    return merge_into


def _selects(override: Override, event: Event) -> bool:
    return (
        (override.line is None or override.line == event.line)
        and (override.date is None or override.date == event.date)
        and (override.end_date is None or override.end_date == event.end_date)
        and (override.match is None or override.match in event.sentence)
    )


def _describe(override: Override) -> str:
    parts = [
        f"{name} {value}"
        for name, value in (
            ("line", override.line),
            ("date", override.date),
            ("end_date", override.end_date),
        )
        if value is not None
    ]
    if override.match is not None:
        parts.append(f"match {override.match!r}")
    return ", ".join(parts)


def apply_overrides(result: ChronologyResult, overrides: Sequence[Override]) -> ChronologyResult:
    """Apply editorial overrides: relabel, drop and merge events.

    :param result: the extracted chronology
    :param overrides: the entries of :func:`load_overrides`
    :return: the chronology with the overrides applied
    :raises BuildError: if an entry matches no event or several, or merges
        into an unknown, dropped or merged-away event
    """
    events = list(result.events)
    chosen = [_chosen(override, events) for override in overrides]
    by_ident = {o.ident: chosen[n] for n, o in enumerate(overrides) if o.ident}
    by_ident.update({events[i].ident: i for i in range(len(events))})
    by_ident.update({f"{e.line}:{e.date}": i for i, e in enumerate(events)})
    for n, override in enumerate(overrides):
        event = events[chosen[n]]
        if override.label is not None:
            event = replace(event, label=override.label, edited=True, key=True)
        if override.key is not None:
            event = replace(event, key=override.key)
        events[chosen[n]] = event
    dropped = {chosen[n] for n, o in enumerate(overrides) if o.drop}
    final = _merge_targets(overrides, chosen, by_ident, dropped)
    merged: dict[int, list[Event]] = {}
    for source, into in sorted(final.items()):
        merged.setdefault(into, []).append(events[source])
    kept: list[Event] = []
    for index, event in enumerate(events):
        if index in dropped or index in final:
            continue
        also = [*event.told_also]
        for other in merged.get(index, []):
            also += [replace(other, told_also=()), *other.told_also]
        kept.append(replace(event, told_also=tuple(sorted(also, key=lambda e: e.line))))
    return replace(
        result,
        events=tuple(sorted(kept, key=lambda e: e.sort_key)),
        dropped=result.dropped + tuple(events[i] for i in sorted(dropped)),
    )


def _chosen(override: Override, events: Sequence[Event]) -> int:
    """The index of the one event an override selects.

    :param override: the entry
    :param events: the events
    :return: the index of its event
    :raises BuildError: if it selects none, or several
    """
    matches = [i for i, event in enumerate(events) if _selects(override, event)]
    if len(matches) != 1:
        what = _describe(override)
        if not matches:
            message = (
                f"this override ({what}) matches no event: the article changed or the "
                "entry is mistyped; update or delete it"
            )
        else:
            found = "; ".join(events[i].ident for i in matches)
            message = (
                f"this override ({what}) matches {len(matches)} events ({found}); "
                "add date, end_date or match to choose one"
            )
        raise BuildError(message, path=override.path, line=override.source_line)
    return matches[0]


def _merge_targets(
    overrides: Sequence[Override],
    chosen: Sequence[int],
    by_ident: dict[str, int],
    dropped: set[int],
) -> dict[int, int]:
    """Where each merged event ends up, following chains of merges.

    :param overrides: the entries
    :param chosen: the event each entry selects
    :param by_ident: events by entry ``id``, :attr:`Event.ident` and ``line:date``
    :param dropped: the dropped events
    :return: the final event of each merged event (indexes into the events)
    :raises BuildError: if a merge names no event, a dropped one or itself, or
        the merges form a loop
    """
    target: dict[int, int] = {}
    for n, override in enumerate(overrides):
        if override.merge_into is None:
            continue
        into = by_ident.get(override.merge_into)
        if into is None or into in dropped or into == chosen[n]:
            why = (
                "is dropped"
                if into in dropped
                else "is itself"
                if into == chosen[n]
                else ("names no event or id")
            )
            raise BuildError(
                f"merge_into {override.merge_into!r} {why}",
                path=override.path,
                line=override.source_line,
            )
        target[chosen[n]] = into
    final: dict[int, int] = {}
    for source, first_target in target.items():
        seen = {source}
        into = first_target
        while into in target:
            if into in seen:
                line = next(o.source_line for n, o in enumerate(overrides) if chosen[n] == source)
                raise BuildError("these merges form a loop", path=overrides[0].path, line=line)
            seen.add(into)
            into = target[into]
        final[source] = into
    return final
