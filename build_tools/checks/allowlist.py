"""The reviewed allow-list: problems we accept, each with the reason why.

The file (``checks/allowlist.yaml``) holds a list ``entries``; each entry has

- ``check``: the check's name (``vnu``, ``axe``, ...);
- ``where``: a glob on the problem's place or its file (``fnmatch``, default ``*``);
- ``message``: a regular expression searched in the problem's message;
- ``reason``: why the problem is accepted (what emits it, why we cannot fix it).

An entry that matches nothing is reported, so the list cannot go stale.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_tools.checks.base import ROOT, Problem
from build_tools.util.errors import BuildError

#: The allow-list of the repository.
ALLOWLIST = ROOT / "checks" / "allowlist.yaml"


@dataclass(frozen=True)
class AllowEntry:
    """One accepted kind of problem."""

    check: str
    message: str
    reason: str
    where: str = "*"
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("every allow-list entry needs a reason")
        object.__setattr__(self, "pattern", re.compile(self.message))

    def matches(self, problem: Problem) -> bool:
        """Whether this entry accepts a problem."""
        file_part = problem.where.split(":")[0].split(" ")[0]
        return (
            problem.check == self.check
            and any(fnmatch.fnmatchcase(where, self.where) for where in (problem.where, file_part))
            and self.pattern.search(problem.message) is not None
        )


def load_allowlist(path: Path = ALLOWLIST) -> tuple[AllowEntry, ...]:
    """Read the allow-list.

    :param path: the YAML file; a missing file is an empty list
    :return: its entries
    :raises BuildError: if an entry is malformed (the message names it)
    """
    if not path.exists():
        return ()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise BuildError(f"not valid YAML: {err}", path=str(path)) from None
    raw = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise BuildError("expected a mapping with a list `entries`", path=str(path))
    entries: list[AllowEntry] = []
    for number, item in enumerate(raw, start=1):
        keys = {"check", "where", "message", "reason"}
        if not isinstance(item, dict) or not {"check", "message", "reason"} <= set(item):
            raise BuildError(f"entry {number} needs check, message and reason", path=str(path))
        if unknown := set(item) - keys:
            raise BuildError(f"entry {number}: unknown field(s) {sorted(unknown)}", path=str(path))
        try:
            entries.append(AllowEntry(**{key: str(value) for key, value in item.items()}))
        except (ValueError, re.error) as err:
            raise BuildError(f"entry {number}: {err}", path=str(path)) from None
    return tuple(entries)


def apply_allowlist(
    problems: Sequence[Problem], entries: Sequence[AllowEntry]
) -> tuple[list[Problem], list[tuple[Problem, AllowEntry]]]:
    """Split problems into those that count and those an entry accepts.

    :param problems: what the checkers found
    :param entries: the allow-list
    :return: the remaining problems, and each accepted problem with its entry
    """
    remaining: list[Problem] = []
    accepted: list[tuple[Problem, AllowEntry]] = []
    for problem in problems:
        entry = next((entry for entry in entries if entry.matches(problem)), None)
        if entry is None:
            remaining.append(problem)
        else:
            accepted.append((problem, entry))
    return remaining, accepted
