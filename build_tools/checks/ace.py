"""DAISY Ace (npm ``@daisy/ace``), the EPUB accessibility checker: no critical or serious issue.

Ace runs its checks in a browser; ``ace-puppeteer`` drives Debian's chromium
(plain ``ace`` needs Electron, whose binary cannot be downloaded here).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from build_tools.checks.base import Problem, node_package, node_package_version, run_tool

NAME = "ace"
FAILING = ("critical", "serious")
CHROMIUM = "/usr/bin/chromium"


def ace_version() -> str:
    """The installed DAISY Ace version."""
    return node_package_version("@daisy/ace")


def check_ace(epub: Path, *, report_dir: Path) -> list[Problem]:
    """Check an EPUB with DAISY Ace.

    :param epub: the ``.epub`` file
    :param report_dir: where Ace writes ``report.json`` and ``report.html`` (replaced)
    :return: every critical or serious issue
    """
    script = node_package("@daisy/ace", "bin", "ace-puppeteer.js")
    if report_dir.exists():
        shutil.rmtree(report_dir)
    report_dir.parent.mkdir(parents=True, exist_ok=True)
    output = run_tool(
        ["node", str(script), "--silent", "--force", "--outdir", str(report_dir), str(epub)],
        env={"PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    report_file = report_dir / "report.json"
    if not report_file.exists():
        tail = (output.stderr or output.stdout).strip().splitlines()[-5:]
        return [Problem(NAME, epub.name, "Ace wrote no report: " + " | ".join(tail))]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    problems: list[Problem] = []
    for subject in report.get("assertions", []):
        url = subject.get("earl:testSubject", {}).get("url", epub.name)
        for assertion in subject.get("assertions", []):
            test = assertion.get("earl:test", {})
            if test.get("earl:impact") not in FAILING:
                continue
            result = assertion.get("earl:result", {})
            selectors = result.get("earl:pointer", {}).get("css", [])
            where = f"{url} {selectors[0]}" if selectors else url
            description = result.get("dct:description") or test.get("dct:description", "")
            problems.append(
                Problem(NAME, where, f"{test['earl:impact']} {test['dct:title']}: {description}")
            )
    return problems
