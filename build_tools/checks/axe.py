"""axe-core (npm ``axe-core``) in Debian's chromium: no serious or critical violation.

Every page is loaded over HTTP in one browser session and axe runs in it:
alt text, page language, colour contrast, names of controls, landmarks...
Pages can be checked in the dark colour scheme too (the theme follows the
reader's system setting).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from build_tools.checks.base import Problem, node_package, node_package_version, relative
from build_tools.checks.browser import keep_offline, launch, offline_problems, serve

NAME = "axe"
FAILING = ("critical", "serious")
Scheme = Literal["light", "dark"]
_NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
_SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
_RUN = "async () => await axe.run(document, {resultTypes: ['violations']})"


def axe_version() -> str:
    """The installed axe-core version."""
    return node_package_version("axe-core")


def _violations(result: dict[str, Any], where: str) -> list[Problem]:
    problems: list[Problem] = []
    for violation in result.get("violations", []):
        if violation.get("impact") not in FAILING:
            continue
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            summary = " ".join(node.get("failureSummary", "").split())
            problems.append(
                Problem(
                    NAME,
                    f"{where} {target}".strip(),
                    f"{violation['impact']} {violation['id']}: {violation['help']}. {summary}",
                )
            )
    return problems


def check_axe(
    html_dir: Path,
    pages: Sequence[Path],
    *,
    dark_pages: Sequence[Path] = (),
) -> list[Problem]:
    """Run axe-core over pages of an HTML build.

    :param html_dir: the HTML output folder, served over HTTP
    :param pages: the pages to check in the light colour scheme
    :param dark_pages: pages to check again in the dark colour scheme
    :return: every serious or critical violation, and every request that left the server
    """
    from playwright.sync_api import sync_playwright

    script = node_package("axe-core", "axe.min.js")
    problems: list[Problem] = []
    remote: list[str] = []
    runs: list[tuple[Path, Scheme]] = [(page, "light") for page in pages]
    runs += [(page, "dark") for page in dark_pages]
    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context()
            keep_offline(context, base, remote)
            tab = context.new_page()
            for page, scheme in runs:
                name = relative(page, html_dir)
                tab.emulate_media(color_scheme=scheme)
                response = tab.goto(base + name, wait_until="load")
                where = name if scheme == "light" else f"{name} (dark)"
                if response is None or not response.ok:
                    problems.append(Problem(NAME, where, "the page did not load"))
                    continue
                # colours are checked as they settle: a theme's colour transition (the dark
                # scheme is set by script after load) caught halfway reads as low contrast
                tab.add_style_tag(content=_NO_MOTION)
                tab.evaluate(_SETTLED)
                tab.add_script_tag(path=str(script))
                problems += _violations(tab.evaluate(_RUN), where)
        finally:
            browser.close()
    problems += offline_problems(NAME, remote)
    return problems
