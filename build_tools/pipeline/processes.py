"""Run Sphinx and LaTeX as subprocesses (no global docutils state in our process)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ToolRun:
    """The outcome of one external tool run."""

    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        """Whether the tool succeeded."""
        return self.returncode == 0


def sphinx_command(
    builder: str,
    srcdir: Path,
    outdir: Path,
    doctreedir: Path,
    *,
    overrides: dict[str, str] | None = None,
    tags: tuple[str, ...] = (),
) -> list[str]:
    """The command line that builds one format with Sphinx, warnings as errors.

    :param builder: Sphinx builder name (html, epub, latex)
    :param srcdir: the Sphinx source folder
    :param outdir: where the builder writes
    :param doctreedir: the builder's own doctree cache
    :param overrides: ``-D name=value`` configuration overrides
    :param tags: ``-t`` tags
    :return: the argument list
    """
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-d", str(doctreedir)]
    command += ["-W", "--keep-going", "-q", "-j", "1"]
    for name, value in sorted((overrides or {}).items()):
        command += ["-D", f"{name}={value}"]
    for tag in tags:
        command += ["-t", tag]
    return [*command, str(srcdir), str(outdir)]


def start(
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: int = subprocess.DEVNULL,
) -> subprocess.Popen[str]:
    """Start a tool with its output captured (stdout and stderr merged).

    :param command: the argument list
    :param cwd: the working folder
    :param env: variables to set for the tool, on top of ours
    :param stdin: its standard input (``subprocess.PIPE`` to write to it)
    :return: the running process
    """
    env = {**os.environ, **(env or {})}
    env.setdefault("PYTHONHASHSEED", "0")
    return subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=stdin,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        start_new_session=True,
    )


def start_worker() -> subprocess.Popen[str]:
    """Start a Sphinx process that imports Sphinx now and builds when told to.

    See :mod:`build_tools.pipeline.worker`; :func:`assign` tells it what to build.

    :return: the running worker
    """
    return start([sys.executable, "-m", "build_tools.pipeline.worker"], stdin=subprocess.PIPE)


def assign(worker: subprocess.Popen[str], command: list[str] | None) -> None:
    """Give a worker a :func:`sphinx_command` (it sets Sphinx up), or None to let it exit.

    :param worker: a process from :func:`start_worker`
    :param command: the Sphinx command line, or None
    """
    _tell(worker, json.dumps(command[3:]) if command else None)  # after ``python -m sphinx``


def release(worker: subprocess.Popen[str], *, build: bool) -> None:
    """Let a worker given a command build (or exit without building).

    :param worker: a process given a command by :func:`assign`
    :param build: whether its source changed
    """
    _tell(worker, "go" if build else None)


def _tell(worker: subprocess.Popen[str], line: str | None) -> None:
    """Write a line to a worker, or close its input (None)."""
    stdin = worker.stdin
    if stdin is None:
        return
    try:
        if line is not None:
            stdin.write(line + "\n")
            stdin.flush()
            return
    except BrokenPipeError:  # a worker that died: finish() reports it
        pass
    with contextlib.suppress(BrokenPipeError):
        stdin.close()
    worker.stdin = None  # closed: communicate() must not flush it


def stop(process: subprocess.Popen[str]) -> None:
    """Stop a tool and everything it started (it runs in its own session).

    :param process: the process, running or not
    """
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(BrokenPipeError):
                stream.close()


def finish(process: subprocess.Popen[str]) -> ToolRun:
    """Wait for a started tool.

    :param process: the running process
    :return: its exit code and output
    """
    output, _ = process.communicate()
    return ToolRun(process.returncode, output or "")


def latex_command(texfile: str) -> list[str]:
    """The command line that turns Sphinx's LaTeX into PDF, without shell escape.

    latexmk reads Sphinx's ``latexmkrc`` in the folder (xelatex and xindy),
    and runs only as many passes as the document needs.

    :param texfile: the ``.tex`` file name inside the LaTeX folder
    :return: the argument list
    """
    return [
        "latexmk",
        "-pdfxe",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "-file-line-error",
        "-no-shell-escape",
        "-silent",
        texfile,
    ]


def latex_environment(folder: Path) -> dict[str, str]:
    """The variables Sphinx's LaTeX ``Makefile`` gives latexmk: ``XINDYOPTS``.

    Sphinx's ``latexmkrc`` runs xindy with ``$XINDYOPTS`` (language, codepage,
    ``sphinx.xdy``), which only its Makefile sets; without them xindy fails
    as soon as the book has an index.

    :param folder: the LaTeX builder's output folder
    :return: the variables (empty when there is no Makefile)
    """
    makefile = folder / "Makefile"
    options: list[str] = []
    if makefile.exists():
        for line in makefile.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^(?:export\s+)?XINDYOPTS\s*(\+?=)\s*(.*)$", line)
            if match:
                options = [*(options if match.group(1) == "+=" else []), match.group(2).strip()]
    return {"XINDYOPTS": " ".join(options)} if options else {}


def relevant_lines(output: str, *, limit: int = 25) -> list[str]:
    """Pick the lines of a tool's output a user needs to see after a failure.

    :param output: the tool's output (or a LaTeX log)
    :param limit: how many lines at most
    :return: warning and error lines, or the output's tail
    """
    lines = output.splitlines()
    picked: list[str] = []
    for index, line in enumerate(lines):
        if re.search(r"WARNING|ERROR|Error|^!|\.tex:\d+:|Traceback|Exception", line):
            picked += lines[index : index + (3 if line.startswith("!") else 1)]
    picked = picked or lines[-limit:]
    return picked[:limit]
