"""What every checker shares: the problem type and how external tools are run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: The repository's root: ``package.json`` and ``node_modules/`` live here.
ROOT = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = ROOT / "node_modules"
#: A short-lived JVM compiles less: epubcheck and vnu run about twice as fast.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m")


@dataclass(frozen=True)
class Problem:
    """One thing a checker found wrong.

    :param check: the check's name (``epubcheck``, ``vnu``, ``axe``, ...)
    :param where: the file (relative to the checked folder), with a line, a
        CSS selector or a step name when known
    :param message: what is wrong, in the tool's words or ours
    """

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ToolMissingError(Exception):
    """An external tool the check needs is not installed; the message says how to get it."""


@dataclass(frozen=True)
class ToolOutput:
    """What a finished external tool printed."""

    returncode: int
    stdout: str
    stderr: str


def run_tool(
    command: list[str],
    *,
    timeout: float = 600,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> ToolOutput:
    """Run an external tool to the end and capture its output.

    :param command: the argument list; its first item is looked up on ``PATH``
    :param timeout: seconds before the tool is stopped
    :param env: variables added to the environment
    :param cwd: the working folder
    :return: its exit code and output
    :raises ToolMissingError: if the program is not installed
    """
    if shutil.which(command[0]) is None:
        raise ToolMissingError(f"{command[0]} is not installed (`make setup` installs it)")
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return ToolOutput(result.returncode, result.stdout, result.stderr)


def node_package(name: str, *parts: str) -> Path:
    """A file of an npm package installed from ``package-lock.json``.

    :param name: the package's name, e.g. ``axe-core``
    :param parts: the path inside the package
    :return: the file
    :raises ToolMissingError: if the package is not installed
    """
    path = NODE_MODULES.joinpath(name, *parts)
    if not path.exists():
        raise ToolMissingError(
            f"node_modules/{name} is missing: run `npm ci` in {ROOT} (`make node` does)"
        )
    return path


def node_package_version(name: str) -> str:
    """The installed version of an npm package, or ``"not installed"``."""
    try:
        manifest = node_package(name, "package.json")
    except ToolMissingError:
        return "not installed"
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def relative(path: Path, root: Path) -> str:
    """A path as shown in a report: relative to the checked folder, with ``/``."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def html_pages(folder: Path) -> list[Path]:
    """The pages of an HTML build: every ``.html`` file but the theme's ``_static`` files.

    :param folder: the HTML output folder
    :return: the pages, sorted
    """
    return sorted(
        path
        for path in folder.rglob("*.html")
        if "_static" not in path.relative_to(folder).parts and path.is_file()
    )
