"""No broken internal link: a crawl of the HTML output and of the EPUB's XHTML.

Every ``href`` and ``src`` that stays inside the book must name a file that
exists and, with a ``#fragment``, an element with that id. Resources loaded
from elsewhere (``<script src="https://...">``) are problems too: the book
must work offline. Links *to* other sites (``<a href="https://...">``) are
not followed.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from build_tools.checks.base import Problem, html_pages, relative

NAME = "links"
#: attributes that load a resource (must be local) or link to a place (may be remote)
_LOADS = {"src", "poster", "data"}
_SKIP_SCHEMES = ("mailto", "tel", "javascript", "data", "about")


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    # (attribute, value, line, loads a resource)
    refs: list[tuple[str, str, int, bool]] = field(default_factory=list)


class _Collector(HTMLParser):
    """Collects a page's ids and references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        line = self.getpos()[0]
        rel = values.get("rel", "").split()
        for name in ("href", "src", "poster", "data"):
            if name in values:
                loads = name in _LOADS or (tag == "link" and "stylesheet" in rel)
                self.page.refs.append((name, values[name], line, loads))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _parse(text: str) -> _Page:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.page


def _crawl(
    pages: dict[str, str],
    exists: Callable[[str], bool],
    read: Callable[[str], str],
    *,
    check: str,
) -> list[Problem]:
    """Check every reference of some pages.

    :param pages: each page's path (``/``-separated, relative to the book's root) and text
    :param exists: whether a path exists in the book
    :param read: a page's text, for pages that are targets but not in ``pages``
    :param check: the check's name for the problems
    :return: every broken reference
    """
    parsed: dict[str, _Page] = {}

    def page(name: str) -> _Page:
        if name not in parsed:
            parsed[name] = _parse(pages[name] if name in pages else read(name))
        return parsed[name]

    problems: list[Problem] = []
    for name in pages:
        for attribute, value, line, loads in page(name).refs:
            where = f"{name}:{line}"
            parts = urlsplit(value.strip())
            if parts.scheme in _SKIP_SCHEMES:
                continue
            if parts.scheme or parts.netloc:
                if loads:
                    problems.append(
                        Problem(check, where, f"{attribute}={value!r} loads a remote resource")
                    )
                continue
            if parts.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(parts.path))
                )
                if target.startswith("../") or not exists(target):
                    problems.append(Problem(check, where, f"{attribute}={value!r}: no such file"))
                    continue
            else:
                target = name
            fragment = unquote(parts.fragment)
            if (
                fragment
                and target.endswith((".html", ".xhtml"))
                and fragment not in page(target).ids
            ):
                problems.append(
                    Problem(check, where, f"{attribute}={value!r}: no id {fragment!r} in {target}")
                )
    return problems


def check_html_links(html_dir: Path) -> list[Problem]:
    """Crawl an HTML build.

    :param html_dir: the HTML output folder
    :return: every broken internal link and every remote resource
    """
    pages = {
        relative(path, html_dir): path.read_text(encoding="utf-8", errors="replace")
        for path in html_pages(html_dir)
    }
    if not pages:
        return [Problem(NAME, "", f"no HTML pages in {html_dir}")]

    def exists(name: str) -> bool:
        path = html_dir / name
        return path.is_file() or (path / "index.html").is_file()

    def read(name: str) -> str:
        return (html_dir / name).read_text(encoding="utf-8", errors="replace")

    return _crawl(pages, exists, read, check=NAME)


def check_epub_links(epub: Path) -> list[Problem]:
    """Crawl an EPUB's XHTML pages and its NCX table of contents.

    :param epub: the ``.epub`` file
    :return: every broken internal link and every remote resource
    """
    with zipfile.ZipFile(epub) as book:
        names = set(book.namelist())

        def read(name: str) -> str:
            return book.read(name).decode("utf-8", errors="replace")

        # the NCX too: the parser reads its <content src="..."> like any src
        pages = {name: read(name) for name in sorted(names) if name.endswith((".xhtml", ".ncx"))}
        problems = _crawl(pages, names.__contains__, read, check="epub-links")
    return [
        Problem(problem.check, f"{epub.name}/{problem.where}", problem.message)
        for problem in problems
    ]
