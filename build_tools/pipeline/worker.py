"""A Sphinx process started before its source is ready: imports first, build on demand.

Importing Sphinx, its builders, the theme and the extensions takes about
1.3 s of a 2.7 s incremental HTML build. The pipeline starts one worker per
Sphinx target as soon as it knows the targets, while it parses and renders
the article on the other core. The worker imports everything, then reads
from its standard input the ``sphinx-build`` arguments as a JSON list (or
nothing: exit 0), sets the Sphinx application up (configuration, extensions,
the saved environment), and waits for a second line: ``go`` builds (exit
with Sphinx's status), anything else exits 0 (the target is up to date).
The pipeline writes ``conf.py`` and ``book.json`` before the arguments, and
the pages before ``go``. Run as ``python -m build_tools.pipeline.worker``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from typing import Any

#: What a build of the book imports besides Sphinx's built-in extensions.
PRELOAD = (
    "sphinx.cmd.build",
    "sphinx.builders.html",
    "sphinx.builders.latex",
    "sphinx.builders.epub3",
    "sphinx.search.en",
    "myst_parser.sphinx_ext.main",
    "myst_parser.parsers.sphinx_",
    "sphinx_exercise",
    "sphinx_book_theme",
    "pydata_sphinx_theme",
    "build_tools.sphinx_ext.extension",
    "build_tools.sphinx_ext.epub",
    "build_tools.sphinx_ext.figures",
    "build_tools.sphinx_ext.files",
    "build_tools.sphinx_ext.glossary",
    "build_tools.sphinx_ext.review",
    "build_tools.sphinx_ext.scripts",
)


def preload() -> None:
    """Import what a build will import (a module that fails is left to Sphinx to report)."""
    from sphinx.application import builtin_extensions

    for name in (*builtin_extensions, *PRELOAD):
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def main() -> int:
    """Preload; read the arguments and set Sphinx up; build when told ``go``.

    :return: Sphinx's exit status, or 0 when told not to build
    """
    preload()
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    from sphinx.application import Sphinx
    from sphinx.cmd.build import build_main

    build = Sphinx.build

    def build_when_told(app: Sphinx, *args: Any, **kwargs: Any) -> None:
        # the application is set up (configuration, extensions, the saved
        # environment): now wait until the pipeline has written the source
        if sys.stdin.readline().strip() == "go":
            build(app, *args, **kwargs)

    Sphinx.build = build_when_told  # type: ignore[method-assign,assignment]
    return build_main(json.loads(line))


if __name__ == "__main__":
    sys.exit(main())
