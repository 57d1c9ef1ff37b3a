"""Links to the classroom files the build writes beside the book.

Worksheets, teacher keys, quiz files and posters are not Sphinx documents:
the pipeline copies them into the HTML site's ``downloads/`` folder after
Sphinx has run. The ``book-file`` role names one of them by its path under
the build folder, e.g. ``{book-file}`Worksheet <worksheets/x-ch01-worksheet.pdf>```:

- HTML: a link to ``downloads/<path>``, relative to the page;
- every other format (the teacher's PDF): the text and the file's path, in
  monospace, so a teacher can find it in the build folder.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.osutil import relative_uri

if TYPE_CHECKING:
    from docutils.parsers.rst.states import Inliner
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: The folder of the HTML site that holds the classroom files (see the pipeline).
DOWNLOADS = "downloads"
_ROLE = re.compile(r"^(?P<text>.+?)\s*<(?P<path>[^<>]+)>$", re.DOTALL)
_PATH = re.compile(r"^[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*$")


class book_file(nodes.Inline, nodes.TextElement):  # noqa: N801 (docutils names nodes in lowercase)
    """A classroom file: ``path`` under the build folder, the link text as children."""


def book_file_role(  # noqa: PLR0917 (docutils calls roles with 7 positional arguments)
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: dict[str, object] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{book-file}`text <path>```: a link to a classroom file."""
    match = _ROLE.match(text)
    path = match.group("path") if match else ""
    if not match or not _PATH.match(path) or ".." in path.split("/"):
        message = inliner.reporter.error(
            f"book-file needs `text <folder/file>` with a plain relative path: {text!r}",
            line=lineno,
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    node = book_file(rawtext, match.group("text"), path=path)
    return [node], []


def visit_book_file_html(self: HTML5Translator, node: book_file) -> None:
    """An ``<a>`` to the file in ``downloads/``, relative to the current page."""
    page = self.builder.get_target_uri(self.builder.current_docname)
    target = relative_uri(page, posixpath.join(DOWNLOADS, node["path"]))
    self.body.append(f'<a class="reference external book-file" href="{self.attval(target)}">')


def depart_book_file_html(self: HTML5Translator, node: book_file) -> None:
    """Close the link."""
    self.body.append("</a>")


def _replace_by_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Outside HTML: the link's text, then the file's path in monospace."""
    if app.builder.format == "html" and app.builder.name != "epub":
        return
    for node in list(doctree.findall(book_file)):
        path = nodes.literal("", node["path"])
        node.replace_self([*node.children, nodes.Text(" ("), path, nodes.Text(")")])


def setup_files(app: Sphinx) -> None:
    """Register the ``book-file`` role and its node.

    :param app: the Sphinx application
    """
    app.add_node(book_file, html=(visit_book_file_html, depart_book_file_html))
    app.add_role("book-file", book_file_role)
    app.connect("doctree-resolved", _replace_by_text)
