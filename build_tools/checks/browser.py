"""Debian's chromium driven by Playwright for Python, over pages served on 127.0.0.1.

Never ``playwright install``: browser downloads fail here, and the book is
read in a real browser anyway. The flags keep chromium off the network.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from build_tools.checks.base import Problem, ToolMissingError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright, Request

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without printing a line per request."""

    extensions_map = {  # noqa: RUF012 (the base class declares it as a plain dict)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".epub": "application/epub+zip",
        ".pdf": "application/pdf",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: Any) -> None:
        """Print nothing."""


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 from a thread.

    :param folder: the folder (the HTML build)
    :return: the base URL, ending in ``/``
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Playwright) -> Browser:
    """Start Debian's chromium, headless.

    :param playwright: a started Playwright
    :return: the browser
    :raises ToolMissingError: if chromium is not installed
    """
    if not CHROMIUM.exists():
        raise ToolMissingError(f"{CHROMIUM} is missing (`make setup` installs chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def chromium_version() -> str:
    """Debian chromium's version."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            version = browser.version
            browser.close()
    except ToolMissingError:
        return "not installed"
    return version


def keep_offline(context: BrowserContext, base_url: str, requests: list[str]) -> None:
    """Refuse every request that leaves the local server, and record it.

    The book must work offline (no CDN): a page that asks for anything
    else is a problem the caller reports.

    :param context: the browser context
    :param base_url: the local server's URL
    :param requests: receives each refused URL
    """
    local = urlparse(base_url).netloc

    def is_remote(url: str) -> bool:
        parts = urlparse(url)
        return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local

    def refuse(request: Request) -> None:
        requests.append(request.url)

    context.route(is_remote, lambda route: route.abort())
    context.on("request", lambda request: refuse(request) if is_remote(request.url) else None)


def offline_problems(name: str, requests: list[str]) -> list[Problem]:
    """One problem per remote resource a page asked for (see :func:`keep_offline`).

    :param name: the check's name
    :param requests: the remote URLs recorded
    :return: the problems, in URL order
    """
    return [
        Problem(name, url, "a page requested a remote resource: the book must work offline")
        for url in sorted(set(requests))
    ]
