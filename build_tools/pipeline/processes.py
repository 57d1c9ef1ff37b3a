"""Run Sphinx and LaTeX as subprocesses (no global docutils state in our process)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


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


def start_workers(count: int) -> tuple[subprocess.Popen[str], list[ForkedWorker]]:
    """Start Sphinx workers that share one import of Sphinx: forked after it.

    See :mod:`build_tools.pipeline.worker`; :func:`assign` tells each what to
    build. The process that forks them is returned too, to be stopped with them.

    :param count: how many workers
    :return: the forking process, and the workers
    """
    ours: list[tuple[int, int]] = []  # what the pipeline keeps: each worker's input, output
    theirs: list[tuple[int, int]] = []
    for _ in range(count):
        read_from, to_worker = os.pipe()
        from_worker, write_to = os.pipe()
        ours.append((to_worker, from_worker))
        theirs.append((read_from, write_to))
    try:
        zygote = subprocess.Popen(
            [sys.executable, "-m", "build_tools.pipeline.worker"]
            + [f"{read_from}:{write_to}" for read_from, write_to in theirs],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,  # read with os.read(): see _Statuses
            stderr=subprocess.STDOUT,
            text=True,
            env={"PYTHONHASHSEED": "0", **os.environ},
            pass_fds=[fd for pair in theirs for fd in pair],
            start_new_session=True,
        )
    finally:
        for fd in (fd for pair in theirs for fd in pair):
            os.close(fd)
    statuses = _Statuses(zygote)
    workers = [
        ForkedWorker(statuses, index, to_worker, from_worker)
        for index, (to_worker, from_worker) in enumerate(ours)
    ]
    return zygote, workers


class _Statuses:
    """The forking process's report: each worker's pid, then its exit code."""

    def __init__(self, zygote: subprocess.Popen[str]) -> None:
        self.zygote = zygote
        self.pids: dict[int, int] = {}
        self.codes: dict[int, int] = {}
        self.ended = False  # the report is read to its end
        self._pending = b""

    def read(self, timeout: float | None) -> bool:
        """Read the report's next line (False: none within ``timeout`` seconds)."""
        stream = self.zygote.stdout
        assert stream is not None
        while b"\n" not in self._pending:
            if self.ended:
                return False
            ready, _, _ = select.select([stream], [], [], timeout)
            if not ready:
                return False
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                self.ended = True
                self.zygote.wait()
                stream.close()
                continue
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        match = re.fullmatch(rb"(pid|exit) (\d+) (-?\d+)", line)
        if match:  # anything else is the forking process's own output: ignored
            table = self.pids if match.group(1) == b"pid" else self.codes
            table[int(match.group(2))] = int(match.group(3))
        return True

    def pid(self, index: int) -> int | None:
        """A worker's pid (None: it was never forked)."""
        while index not in self.pids and self.read(None):
            pass
        return self.pids.get(index)

    def code(self, index: int, timeout: float | None) -> int | None:
        """A worker's exit code once it ended (None: still running after ``timeout``).

        A worker never forked, or whose end was not reported, failed: 1.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while index not in self.codes:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not self.read(left):
                if not self.ended:
                    return None
                self.codes[index] = 1
        return self.codes[index]


class ForkedWorker:
    """A worker of :func:`start_workers`: what the pipeline uses of :class:`subprocess.Popen`."""

    def __init__(self, statuses: _Statuses, index: int, to_worker: int, from_worker: int) -> None:
        self._statuses = statuses
        self._index = index
        self.stdin: TextIO | None = open(to_worker, "w", encoding="utf-8")  # noqa: SIM115
        self.stdout: TextIO | None = open(  # noqa: SIM115
            from_worker, encoding="utf-8", errors="replace"
        )
        self.returncode: int | None = None

    @property
    def pid(self) -> int:
        """The worker's pid (its process group's, too), or -1 when it was never forked."""
        pid = self._statuses.pid(self._index)
        return -1 if pid is None else pid

    def poll(self) -> int | None:
        """The exit code, or None while the worker runs."""
        return self.wait(timeout=0)

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the worker to end; its exit code.

        :raises subprocess.TimeoutExpired: still running after ``timeout`` (not 0) seconds
        """
        if self.returncode is None:
            self.returncode = self._statuses.code(self._index, timeout)
            if self.returncode is None and timeout:
                raise subprocess.TimeoutExpired("Sphinx worker", timeout)
        return self.returncode

    def communicate(self) -> tuple[str, None]:
        """Close the worker's input, read its output to the end and wait for it."""
        if self.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.stdin.close()
            self.stdin = None
        output = ""
        if self.stdout is not None:
            output = self.stdout.read()
            self.stdout.close()
            self.stdout = None
        self.wait()
        return output, None


#: A process the pipeline runs and stops: a tool, or a Sphinx worker of :func:`start_workers`.
Worker = subprocess.Popen[str] | ForkedWorker


def assign(worker: Worker, command: list[str] | None) -> None:
    """Give a worker a :func:`sphinx_command` (it sets Sphinx up), or None to let it exit.

    :param worker: a worker from :func:`start_workers`
    :param command: the Sphinx command line, or None
    """
    _tell(worker, json.dumps(command[3:]) if command else None)  # after ``python -m sphinx``


def release(worker: Worker, *, build: bool) -> None:
    """Let a worker given a command build (or exit without building).

    :param worker: a process given a command by :func:`assign`
    :param build: whether its source changed
    """
    _tell(worker, "go" if build else None)


def _tell(worker: Worker, line: str | None) -> None:
    """Write a line to a worker, or an empty line and close its input (None).

    The empty line tells the worker to exit even while a forked process of
    ours still holds the pipe's end open (no end of file would reach it).
    """
    stdin = worker.stdin
    if stdin is None:
        return
    try:
        stdin.write(("" if line is None else line) + "\n")
        stdin.flush()
        if line is not None:
            return
    except BrokenPipeError:  # a worker that died: finish() reports it
        pass
    with contextlib.suppress(BrokenPipeError):
        stdin.close()
    worker.stdin = None  # closed: communicate() must not flush it


def stop(process: Worker) -> None:
    """Stop a tool and everything it started (it runs in its own session or process group).

    :param process: the process, running or not
    """
    if process.poll() is None and process.pid > 0:
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


def finish(process: Worker) -> ToolRun:
    """Wait for a started tool.

    :param process: the running process
    :return: its exit code and output
    """
    output, _ = process.communicate()
    returncode = process.returncode
    return ToolRun(1 if returncode is None else returncode, output or "")


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
