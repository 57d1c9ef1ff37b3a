"""The Nu HTML Checker (W3C's validator, npm ``vnu-jar``, run with Java): zero errors."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from build_tools.checks.base import (
    JAVA_OPTIONS,
    Problem,
    node_package,
    node_package_version,
    relative,
    run_tool,
)

NAME = "vnu"
FAILING = ("error", "non-document-error")


def vnu_version() -> str:
    """The installed Nu HTML Checker version."""
    return node_package_version("vnu-jar")


def check_vnu(pages: Sequence[Path], *, root: Path) -> list[Problem]:
    """Validate HTML pages with the Nu HTML Checker.

    :param pages: the HTML files
    :param root: the folder that report paths are relative to
    :return: every error
    """
    if not pages:
        return [Problem(NAME, relative(root, root), "no HTML pages to check")]
    jar = node_package("vnu-jar", "build", "dist", "vnu.jar")
    command = ["java", *JAVA_OPTIONS, "-jar", str(jar), "--errors-only", "--format", "json"]
    output = run_tool([*command, *(str(page) for page in pages)])
    try:
        report = json.loads(output.stderr or output.stdout)
    except json.JSONDecodeError:
        tail = (output.stderr or output.stdout).strip().splitlines()[-5:]
        return [Problem(NAME, relative(root, root), "vnu did not run: " + " | ".join(tail))]
    problems: list[Problem] = []
    for message in report.get("messages", []):
        if message.get("type") not in FAILING:
            continue
        url = message.get("url", "")
        where = relative(Path(unquote(urlparse(url).path)), root) if url else ""
        if "lastLine" in message:
            where += f":{message['lastLine']}:{message.get('firstColumn', message['lastColumn'])}"
        text = message.get("message", "")
        if extract := message.get("extract"):
            text += f"  [{extract.strip()}]"
        problems.append(Problem(NAME, where, text))
    return problems
