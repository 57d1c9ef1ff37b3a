"""The preview's web server: the HTML on 127.0.0.1, reloaded in the browser after each build.

Every HTML page it serves gets a small script that listens to
``/__preview__/events`` (Server-Sent Events, standard library only: no
websocket server to install) and reloads the page when a build newer than
the page's own has finished. While the last build failed, every page is the
error instead, with the same script: the next good save brings the book back.
Warnings (which fail the real build) are shown above the page.
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_tools.pipeline.config import BuildConfig
from build_tools.pipeline.preview import Outcome, PreviewSession, watch
from build_tools.pipeline.publish import build_lock, terminate_as_interrupt
from build_tools.util.errors import BuildError

EVENTS = "/__preview__/events"
SCRIPT = "/__preview__/reload.js"
RELOAD_JS = """\
(function () {
  var built = document.currentScript.dataset.build;
  var events = new EventSource("EVENTS");
  events.onmessage = function (event) {
    if (event.data !== built) { events.close(); window.location.reload(); }
  };
})();
""".replace("EVENTS", EVENTS)
ERROR_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: the book does not build</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem;
  padding: 0 1rem; color: #1a1a1a; }}
h1 {{ font-size: 1.4rem; color: #9b1c1c; }}
pre {{ white-space: pre-wrap; background: #fdf2f2; border-left: 4px solid #9b1c1c;
  padding: 1rem; font-size: 0.95rem; }}
</style>
</head>
<body>
<h1>The book does not build</h1>
<pre id="preview-error">{error}</pre>
<p>Fix the file named above and save it: this page reloads by itself.</p>
{script}
</body>
</html>
"""
BANNER = (
    '<div id="preview-problems" role="alert" style="position:sticky;top:0;z-index:10000;'
    "background:#fff4e5;border-bottom:3px solid #b45309;padding:.5rem 1rem;"
    'font:.9rem/1.4 system-ui,sans-serif;color:#1a1a1a;white-space:pre-wrap">'
    "<strong>Preview: Sphinx warned (the real build fails on these)</strong>\n{lines}</div>"
)


class PreviewServer:
    """Serves a folder on 127.0.0.1 and tells the open pages when a build finished."""

    def __init__(self, folder: Path, *, port: int = 8000) -> None:
        self.folder = folder
        self.outcome = Outcome(0)
        self.changed = threading.Condition()
        self.stopping = False
        handler = functools.partial(_Handler, self)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The site's address, ending in ``/``."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> None:
        """Serve from a thread."""
        self._thread.start()

    def publish(self, outcome: Outcome) -> None:
        """A build finished: the open pages reload."""
        with self.changed:
            self.outcome = outcome
            self.changed.notify_all()

    def stop(self) -> None:
        """Stop serving; the open event streams end."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()
        if self._thread.is_alive():
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()

    def page(self, body: bytes | None) -> bytes:
        """An HTML page as served: the reload script added, or the error instead.

        :param body: the page Sphinx wrote (None: there is none)
        :return: the bytes to send
        """
        outcome = self.outcome
        script = f'<script data-build="{outcome.number}" src="{SCRIPT}"></script>'
        if outcome.error or body is None:
            error = outcome.error or "This page does not exist (yet)."
            return ERROR_PAGE.format(error=html.escape(error), script=script).encode()
        text = body.decode("utf-8", errors="replace")
        if outcome.warnings:
            banner = BANNER.format(lines=html.escape("\n".join(outcome.warnings)))
            head, tag, rest = text.partition("<body")
            if tag:
                opened = rest.index(">") + 1
                text = head + tag + rest[:opened] + banner + rest[opened:]
        before, tag, after = text.rpartition("</body>")
        text = before + script + tag + after if tag else text + script
        return text.encode("utf-8")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the output folder; HTML pages with the reload script; the event stream."""

    def __init__(self, preview: PreviewServer, *args: Any, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.folder), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        """Print nothing per request."""

    def end_headers(self) -> None:
        """Pages never cached; versioned files kept; others checked again (a 304 when unchanged).

        A reload then fetches the new page without downloading the theme's
        scripts, styles and fonts again, and still sees a redrawn figure.
        """
        path, _, query = self.path.partition("?")
        if path.endswith((".html", "/")) or path == EVENTS:
            policy = "no-store"
        elif re.search(r"(^|&)(v|digest)=", query):
            policy = "max-age=3600"  # Sphinx and the theme name each version by its checksum
        else:
            policy = "no-cache"
        self.send_header("Cache-Control", policy)
        super().end_headers()

    def do_GET(self) -> None:
        """Serve the events, the script, a page or a file."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == EVENTS:
            self._events()
        elif path == SCRIPT:
            self._send(RELOAD_JS.encode(), "text/javascript")
        elif path.endswith((".html", "/")):
            file = Path(self.translate_path(path))
            if file.is_dir():
                file /= "index.html"
            body = file.read_bytes() if file.is_file() else None
            self._send(self.preview.page(body), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _events(self) -> None:
        """The number of the last build, now and after every build, until the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        preview, sent = self.preview, -1
        try:
            while True:
                with preview.changed:
                    preview.changed.wait_for(functools.partial(_news, preview, sent), timeout=15)
                    number, stopping = preview.outcome.number, preview.stopping
                if stopping:
                    return
                message = f"data: {number}\n\n" if number != sent else ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                sent = number
        except (BrokenPipeError, ConnectionResetError):
            return


def run_preview(
    config: BuildConfig, *, port: int = 8000, say: Callable[[str], None] = print
) -> int:
    """Build, serve and rebuild on every change until interrupted (Ctrl-C, SIGTERM).

    :param config: the book (its ``out`` holds the preview's working folders)
    :param port: the port on 127.0.0.1 (0: any free port)
    :param say: prints one line for the person at the terminal
    :return: 0 after an interrupt
    :raises BuildError: if another build holds the output folder, or the port is taken
    """
    session = PreviewSession(config)
    with build_lock(config.out), terminate_as_interrupt():
        try:
            server = PreviewServer(session.outdir, port=port)
        except OSError as err:
            raise BuildError(f"cannot serve on 127.0.0.1:{port}: {err.strerror}") from None
        try:
            say(f"Building {config.seed} (HTML only) ...")
            _report(session.rebuild(), server, say)
            server.start()
            say(f"Serving {server.url} (Ctrl-C stops)")
            for _ in watch(session.watched):
                _report(session.rebuild(), server, say)
        except KeyboardInterrupt:
            say("Stopped.")
        finally:
            server.stop()
            session.close()
    return 0


def _report(outcome: Outcome, server: PreviewServer, say: Callable[[str], None]) -> None:
    """Publish a build to the open pages and say how it went."""
    server.publish(outcome)
    times = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in outcome.seconds.items())
    if outcome.error:
        say(f"build {outcome.number}: error: {outcome.error}")
    else:
        note = f", {len(outcome.warnings)} warning(s)" if outcome.warnings else ""
        say(f"build {outcome.number}: {times}{note}")
    for warning in outcome.warnings:
        say(f"  warning: {warning}")


def _news(preview: PreviewServer, sent: int) -> bool:
    """Whether an event stream has something to say: a newer build, or the end."""
    return preview.stopping or preview.outcome.number != sent
