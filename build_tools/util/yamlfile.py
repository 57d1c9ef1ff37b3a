"""Read a reviewable YAML data file, keeping the line of every value.

A data file next to the article is checked against the article at build time;
a problem must name the line of the file that holds it.  :func:`load_yaml`
gives plain Python values whose mappings and lists also know their lines.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from build_tools.util.errors import BuildError

#: libyaml's parser when PyYAML was built with it (ten times faster), else Python's.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based).

    ``written`` holds, for each key whose value is a scalar, the value as the
    file spells it: ``answer: No`` is the boolean False, but as text it is "No".
    """

    line: int = 0
    lines: dict[str, int]
    written: dict[str, str]


class YamlList(list[Any]):
    """A list that knows its own line and the line of each item (1-based)."""

    line: int = 0
    lines: list[int]


def load_yaml(text: str, *, path: str) -> Any:
    """Parse a YAML document (safe tags only).

    :param text: the file's text
    :param path: the file's name, for messages
    :return: the value, with :class:`YamlMap` and :class:`YamlList` for collections
    :raises BuildError: if it is not valid YAML, naming the line
    """
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(err, "problem", None) or str(err)
        raise BuildError(f"not valid YAML: {problem}", path=path, line=line) from None
    if node is None:
        return None
    return _convert(node, SafeConstructor(), path)


def _convert(node: yaml.Node, constructor: SafeConstructor, path: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = YamlMap()
        mapping.line, mapping.lines, mapping.written = line, {}, {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise BuildError(f"keys must be text, not {key!r}", path=path, line=line)
            if key in mapping:
                raise BuildError(
                    f"the key {key!r} is given twice", path=path, line=key_node.start_mark.line + 1
                )
            mapping[key] = _convert(value_node, constructor, path)
            mapping.lines[key] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.ScalarNode):
                mapping.written[key] = str(value_node.value)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YamlList()
        items.line, items.lines = line, []
        for item in node.value:
            items.append(_convert(item, constructor, path))
            items.lines.append(item.start_mark.line + 1)
        return items
    try:
        return constructor.construct_object(node, deep=True)
    except ValueError:  # looks like a date but is none (1950-02-30): the text as written
        return str(node.value)


def line_of(value: Any, key: str | int | None = None) -> int | None:
    """The line of a collection, or of one of its keys or items.

    :param value: a value from :func:`load_yaml`
    :param key: a key of a mapping or an index of a list
    :return: the 1-based line, or None for plain values
    """
    if isinstance(value, YamlMap):
        return value.lines.get(key, value.line) if isinstance(key, str) else value.line
    if isinstance(value, YamlList):
        if isinstance(key, int) and 0 <= key < len(value.lines):
            return value.lines[key]
        return value.line
    return None


# -- the field checks every companion file shares ----------------------------------------------
#
# Each takes a value from :func:`load_yaml` and either returns it checked or
# raises :class:`BuildError` with the file, the line of the offending key or
# item, and what to write instead.  The messages have one shape everywhere:
# "<field> must be ...", "unknown field 'x' in <what> (did you mean 'y'?)".

_MISSING: Any = object()


def _close(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def fields(
    value: Any,
    *,
    allowed: Sequence[str],
    required: Sequence[str] = (),
    what: str,
    path: str,
    hint: str = "",
) -> YamlMap:
    """Check that a value is a mapping of known fields, with the required ones.

    :param value: a value from :func:`load_yaml`
    :param allowed: the field names it may have, in the order a message lists them
    :param required: the field names it must have
    :param what: what the mapping is, for messages ("a place", "the term 'Seoul'")
    :param path: the file's name, for messages
    :param hint: what a missing field should hold, added to its message
    :return: the mapping
    :raises BuildError: naming the line of the mapping or of the unknown key
    """
    if not isinstance(value, YamlMap):
        raise BuildError(f"{what} must be a mapping of fields", path=path, line=line_of(value))
    for key in value:
        if key not in allowed:
            raise BuildError(
                f"unknown field {key!r} in {what}{_close(key, allowed)}; "
                f"allowed: {', '.join(allowed)}",
                path=path,
                line=line_of(value, key),
            )
    for key in required:
        if key not in value:
            raise BuildError(f"{what} needs {key!r}{hint}", path=path, line=value.line)
    return value


def text(
    entry: YamlMap, key: str, *, path: str, default: Any = _MISSING, collapse: bool = True
) -> Any:
    """A field holding text (a number or date written bare counts as its text).

    :param entry: a mapping from :func:`fields`
    :param key: the field
    :param path: the file's name, for messages
    :param default: returned when the field is absent (else it is required)
    :param collapse: fold runs of white space into one space (else only strip)
    :return: the text, never empty
    :raises BuildError: if it is missing, a list or mapping, or empty
    """
    if key not in entry:
        if default is not _MISSING:
            return default
        raise BuildError(f"{key} is missing; write it", path=path, line=entry.line)
    value = entry[key]
    if value is not None and not isinstance(value, str) and key in getattr(entry, "written", {}):
        value = entry.written[key]  # a bare No, 010 or 12:30: the text as written
    if isinstance(value, dict | list) or value is None:
        kind = "empty" if value is None else "a list or mapping"
        raise BuildError(f"{key} must be text, not {kind}", path=path, line=line_of(entry, key))
    value = str(value)
    value = " ".join(value.split()) if collapse else value.strip()
    if not value:
        raise BuildError(
            f"{key} is empty; write it or remove the field", path=path, line=line_of(entry, key)
        )
    return value


def boolean(entry: YamlMap, key: str, *, path: str, default: bool | None = None) -> bool:
    """A field holding true or false.

    :raises BuildError: if it is anything else (or missing, without a default)
    """
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise BuildError(f"{key} must be true or false", path=path, line=line_of(entry, key))
    return value


def whole_number(entry: YamlMap, key: str, *, path: str, low: int, high: int) -> int:
    """A field holding a whole number between ``low`` and ``high``.

    :raises BuildError: if it is not a whole number or out of range
    """
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BuildError(f"{key} must be a whole number", path=path, line=line_of(entry, key))
    if not low <= value <= high:
        raise BuildError(
            f"{key} must be between {low} and {high}", path=path, line=line_of(entry, key)
        )
    return value


def number(
    value: Any,
    *,
    what: str,
    path: str,
    line: int | None,
    low: float = -math.inf,
    high: float = math.inf,
    unit: str = "",
) -> float:
    """A number (not a boolean, not NaN) between ``low`` and ``high``.

    :param value: the value
    :param what: its name, for messages
    :param path: the file's name, for messages
    :param line: its line
    :param unit: what it counts ("degrees"), for messages
    :raises BuildError: if it is not a number or out of range
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        of = f" of {unit}" if unit else ""
        raise BuildError(f"{what} must be a number{of}", path=path, line=line)
    if not low <= value <= high:
        raise BuildError(f"{what} {value} is out of range ({low} to {high})", path=path, line=line)
    return float(value)


def items(entry: YamlMap, key: str, *, path: str, default: Any = _MISSING) -> YamlList:
    """A field holding a list.

    :raises BuildError: if it is not a list (or missing, without a default)
    """
    if key not in entry and default is not _MISSING:
        return default  # type: ignore[no-any-return]
    value = entry.get(key)
    if not isinstance(value, YamlList):
        raise BuildError(f"{key} must be a list", path=path, line=line_of(entry, key))
    return value


def texts(value: Any, *, what: str, path: str, line: int | None) -> tuple[str, ...]:
    """A list of non-empty texts, each stripped.

    :raises BuildError: if it is not a list of texts
    """
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BuildError(f"{what} must be a list of texts", path=path, line=line)
    return tuple(v.strip() for v in value)


def choice(entry: YamlMap, key: str, choices: Sequence[str], *, path: str) -> str:
    """A field holding one of a few words.

    :raises BuildError: naming the closest word, or all of them
    """
    value = entry.get(key)
    if value not in choices:
        close = _close(str(value), choices)
        hint = close.strip(" ()") if close else f"choose one of {', '.join(choices)}"
        raise BuildError(f"unknown {key} {value!r}; {hint}", path=path, line=line_of(entry, key))
    return str(value)
