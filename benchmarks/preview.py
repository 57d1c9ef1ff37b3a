"""Save-to-reload latency of ``python -m build_tools preview``, in Debian's chromium.

The preview runs as a user runs it (its own process, serving on 127.0.0.1);
chromium (Playwright, Debian's binary) opens the edited chapter; each edit
appends a new word to one paragraph and the clock runs from just before the
file is written until the page, reloaded by the preview's own script, shows
the word. Nothing reloads the page by hand.
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from build_tools.checks.browser import launch
from build_tools.pipeline.inputs import load_article


def start_preview(seed: Path, out: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the preview on a free port; return it and its address once it serves."""
    command = [sys.executable, "-m", "build_tools", "preview", "--seed", str(seed)]
    process = subprocess.Popen(
        [*command, "--out", str(out), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if match := re.match(r"Serving (http://\S+)", line):
            return process, match.group(1)
    raise SystemExit(f"the preview stopped before serving (exit {process.wait()})")


def stop_preview(process: subprocess.Popen[str]) -> int:
    """Ctrl-C, as a person would; return the exit code."""
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=20)
    finally:
        if process.stdout:
            process.stdout.close()
    return code


def chapter_edit(seed: Path) -> tuple[int, str]:
    """The line of a paragraph of the first chapter, and that chapter's page."""
    article = load_article(seed)
    chapter = article.chapters[0]
    lines = seed.read_text(encoding="utf-8").split("\n")
    index = next(i for i in range(chapter.line, len(lines)) if lines[i][:1].isalpha())
    return index, f"_generated/{chapter.docname}.html"


def measure_preview(seed: Path, out: Path, *, edits: int = 7) -> list[float]:
    """Seconds from saving an edit to the browser showing it, for each edit."""
    from playwright.sync_api import sync_playwright

    index, page_path = chapter_edit(seed)
    original = seed.read_text(encoding="utf-8").split("\n")
    process, url = start_preview(seed, out)
    latencies: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(url + page_path)
            for number in range(1, edits + 1):
                word = f"Previewword{number}x"
                lines = list(original)
                lines[index] = f"{lines[index]} {word}."
                started = time.perf_counter()
                seed.write_text("\n".join(lines), encoding="utf-8")
                page.wait_for_function(
                    "word => document.body && document.body.innerText.includes(word)",
                    arg=word,
                    polling=10,
                    timeout=30_000,
                )
                latencies.append(time.perf_counter() - started)
                time.sleep(0.3)  # a person reads before the next save
            browser.close()
    finally:
        seed.write_text("\n".join(original), encoding="utf-8")
        stop_preview(process)
    return latencies


if __name__ == "__main__":
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copytree(ROOT / "exercises", work / "exercises")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    times = measure_preview(work / "seeds" / "korean-war.md", work / "out")
    print(" ".join(f"{t:.2f}" for t in times))
    print(f"median {statistics.median(times):.2f} s over {len(times)} edits")
    shutil.rmtree(work, ignore_errors=True)
