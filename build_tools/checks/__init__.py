"""Checks of a built book with real, independent tools: ``python -m build_tools check``.

One module per tool. Each checker is a function that takes paths (and a few
keyword options) and returns a list of :class:`~build_tools.checks.base.Problem`;
an empty list means the check passed. :mod:`build_tools.checks.runner` runs
them all over one build and applies the reviewed allow-list
(``checks/allowlist.yaml``).
"""

from __future__ import annotations

from build_tools.checks.base import Problem

__all__ = ["Problem"]
