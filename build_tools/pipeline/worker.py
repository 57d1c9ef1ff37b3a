"""Sphinx processes started before their source is ready: imports once, builds on demand.

Importing Sphinx, its builders, the theme and the extensions takes about
1.2 s of CPU, more than an incremental HTML build's writing. As soon as the
pipeline knows the targets it starts ``python -m build_tools.pipeline.worker
IN:OUT ...`` (:func:`~build_tools.pipeline.processes.start_workers`): it
imports everything once, then forks a worker per pair of inherited
descriptors (the worker's standard input, its output), each in a process
group of its own, while the pipeline parses and renders the article.

Each worker reads from its standard input the ``sphinx-build`` arguments as
a JSON list (or an empty line: exit 0), sets the Sphinx application up
(configuration, extensions, the saved environment), and waits for a second
line: ``go`` builds (exit with Sphinx's status), anything else exits 0 (the
target is up to date). The pipeline writes ``conf.py`` and ``book.json``
before the arguments, and the pages before ``go``.

The forking process prints ``pid I PID`` for the I-th worker it forked and
``exit I CODE`` when that worker ends, and exits once every worker has ended
(:class:`~build_tools.pipeline.processes.ForkedWorker` reads these lines).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import traceback
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


def serve() -> int:
    """Read the arguments from standard input and set Sphinx up; build when told ``go``.

    :return: Sphinx's exit status, or 0 when told not to build
    """
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


def fork_workers(pairs: list[tuple[int, int]]) -> int:
    """Preload once, then fork a worker on each pair of descriptors and wait for them all.

    :param pairs: each worker's standard input and output (stdout and stderr), inherited
    :return: 0 (each worker's own status is printed as it ends)
    """
    preload()
    children: dict[int, int] = {}
    for index, (read_from, write_to) in enumerate(pairs):
        sys.stdout.flush()  # nothing buffered for the child to print again
        pid = os.fork()
        if pid == 0:
            _child(read_from, write_to, [fd for pair in pairs for fd in pair])
        # its own process group, set on both sides of the fork: whichever runs
        # first, the group exists before its pid is reported (and may be stopped)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        children[pid] = index
        _report(f"pid {index} {pid}")
    for fd in {fd for pair in pairs for fd in pair}:
        os.close(fd)  # only the workers hold their pipes: the pipeline sees them end
    while children:
        pid, status = os.wait()
        if pid in children:
            _report(f"exit {children.pop(pid)} {os.waitstatus_to_exitcode(status)}")
    return 0


def _report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _child(read_from: int, write_to: int, inherited: list[int]) -> None:
    """In a forked worker: its own process group and standard streams, then :func:`serve`."""
    code = 1
    try:
        with contextlib.suppress(OSError):  # the parent sets it too: whichever is first
            os.setpgid(0, 0)  # stopped with everything it starts, apart from the other workers
        os.dup2(read_from, 0)
        os.dup2(write_to, 1)
        os.dup2(write_to, 2)
        for fd in set(inherited):
            os.close(fd)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stderr = sys.stdout
        code = serve()
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except Exception:  # noqa: BLE001 (a worker's own failure: printed to its output)
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(code)


def main(arguments: list[str]) -> int:
    """Fork a worker on each ``IN:OUT`` pair of descriptors given.

    :param arguments: the pairs, each worker's input and output descriptors
    :return: 0
    """
    pairs = [pair.partition(":") for pair in arguments]
    return fork_workers([(int(read_from), int(write_to)) for read_from, _, write_to in pairs])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
