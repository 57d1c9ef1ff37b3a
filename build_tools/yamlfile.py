"""Read a reviewable YAML data file, keeping the line of every value.

A data file next to the article is checked against the article at build time;
a problem must name the line of the file that holds it.  :func:`load_yaml`
gives plain Python values whose mappings and lists also know their lines.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from build_tools.errors import BuildError

#: libyaml's parser when PyYAML was built with it (ten times faster), else Python's.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    lines: dict[str, int]


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
        mapping.line, mapping.lines = line, {}
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
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = YamlList()
        items.line, items.lines = line, []
        for item in node.value:
            items.append(_convert(item, constructor, path))
            items.lines.append(item.start_mark.line + 1)
        return items
    return constructor.construct_object(node, deep=True)


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
