"""The live preview: served pages reload themselves after a save; errors show in the page."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from build_tools.checks.browser import launch as launch_chromium
from build_tools.pipeline.config import ROOT
from build_tools.pipeline.inputs import load_article
from build_tools.pipeline.preview import Outcome
from build_tools.pipeline.preview_server import EVENTS, SCRIPT, PreviewServer

FIXTURES = Path(__file__).parent / "fixtures"


def test_pages_get_the_reload_script_errors_and_warnings(tmp_path: Path) -> None:
    server = PreviewServer(tmp_path, port=0)
    try:
        page = b"<html><body class='x'><p>Text</p></body></html>"
        server.publish(Outcome(3))
        served = server.page(page).decode()
        assert f'<script data-build="3" src="{SCRIPT}"></script></body>' in served
        assert "<p>Text</p>" in served

        server.publish(Outcome(4, warnings=("chapter.md:7: WARNING: <b>bad</b> ref",)))
        served = server.page(page).decode()
        assert served.index("preview-problems") < served.index("<p>Text</p>")
        assert "&lt;b&gt;bad&lt;/b&gt;" in served  # the warning's text is escaped

        server.publish(Outcome(5, error="a.md:12: a second '#' title <script>"))
        served = server.page(page).decode()
        assert "<p>Text</p>" not in served  # the error instead of the stale page
        assert "a.md:12: a second &#x27;#&#x27; title &lt;script&gt;" in served
        assert 'data-build="5"' in served
    finally:
        server.stop()


def _start(seed: Path, out: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "build_tools", "preview", "--seed", str(seed)]
    process = subprocess.Popen(
        [*command, "--out", str(out), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if match := re.match(r"Serving (http://\S+)", line):
            return process, match.group(1)
    process.wait()
    process.stdout.close()
    pytest.fail("the preview stopped before serving:\n" + "".join(seen))


@pytest.mark.browser
def test_an_edit_shows_in_the_open_page_and_a_broken_save_shows_its_error(
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "crimean-war.md"
    shutil.copy(FIXTURES / "crimean-war.md", seed)
    chapter = load_article(seed).chapters[0]
    original = seed.read_text(encoding="utf-8").split("\n")
    index = next(i for i in range(chapter.line, len(original)) if original[i][:1].isalpha())

    def save(lines: list[str]) -> None:
        seed.write_text("\n".join(lines), encoding="utf-8")

    process, url = _start(seed, tmp_path / "out")
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(f"{url}_generated/{chapter.docname}.html")
            assert chapter.title in page.inner_text("h1")
            navigations: list[str] = []
            page.on("framenavigated", lambda frame: navigations.append(frame.url))

            edited = list(original)
            edited[index] += " Tolstoy-word-one."
            save(edited)
            page.wait_for_function(
                "() => !!document.body && document.body.innerText.includes('Tolstoy-word-one')",
                timeout=30_000,
            )
            assert navigations  # the page reloaded by itself: nothing here reloaded it

            save([*original, "", "# A second title"])
            error = page.wait_for_selector("#preview-error", timeout=30_000)
            assert error is not None
            assert re.search(r"crimean-war\.md:\d+: a second '#' title", error.inner_text())

            edited[index] += " Tolstoy-word-two."
            save(edited)  # the next good save brings the book back
            page.wait_for_function(
                "() => !!document.body && document.body.innerText.includes('Tolstoy-word-two')",
                timeout=30_000,
            )
            assert page.query_selector("#preview-error") is None
            browser.close()
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        code = process.wait(timeout=30)
        assert process.stdout is not None
        with process.stdout:
            output = process.stdout.read()
    assert code == 0, output
    assert "Stopped." in output
    assert "Traceback" not in output
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + EVENTS.lstrip("/"), timeout=5)
