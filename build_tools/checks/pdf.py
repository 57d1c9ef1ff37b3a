"""The PDF, with poppler (``pdffonts``, ``pdfinfo``, ``pdftotext``), pypdf and the LaTeX log.

- every font embedded;
- every page of the configured size, title and author set;
- a bookmark for every chapter;
- every chapter title in the text, and no literal markup leaking through;
- in the LaTeX log: no overfull box wider than 5pt, no undefined reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from build_tools.checks.base import Problem, run_tool

NAME = "pdf"
LOG = "latex-log"
#: page sizes in PostScript points (width, height)
PAPER_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
#: markup that must never reach the reader: Markdown strong, MyST roles and
#: fences, unrepaired ``\uXXXX`` escapes
LITERAL_MARKUP = {
    "**": re.compile(r"\*\*"),
    "{term}": re.compile(r"\{term\}"),
    "a MyST role": re.compile(r"\{[a-z][a-z0-9_:-]*\}[`‘]"),  # ` may come out as ‘
    ":::": re.compile(r":::"),
    "\\u escape": re.compile(r"\\u[0-9A-Fa-f]{4}"),
}
_OVERFULL = re.compile(
    r"Overfull \\([hv])box \((\d+(?:\.\d+)?)pt too (?:wide|high)\) "
    r"(?:in paragraph at lines (\d+)--\d+|detected at line (\d+)|in alignment at lines (\d+))"
)
_UNDEFINED = re.compile(
    r"(?:LaTeX Warning: (?:Reference|Citation|Hyper reference) `([^']*)' on page \d+\s+undefined"
    r"|There were undefined references"
    r"|name\{([^}]*)\} has been referenced but does not exist)"
)


def poppler_version() -> str:
    """poppler-utils' version (from ``pdfinfo -v``)."""
    output = run_tool(["pdfinfo", "-v"], timeout=30)
    match = re.search(r"version (\S+)", output.stderr + output.stdout)
    return match.group(1) if match else "?"


def check_pdf_fonts(pdf: Path) -> list[Problem]:
    """Every font of the PDF is embedded.

    :param pdf: the PDF
    :return: each font that is not embedded
    """
    output = run_tool(["pdffonts", str(pdf)], timeout=120)
    if output.returncode:
        return [Problem(NAME, pdf.name, f"pdffonts failed: {output.stderr.strip()}")]
    problems: list[Problem] = []
    for line in output.stdout.splitlines()[2:]:
        words = line.split()
        # name type... encoding emb sub uni object-number generation
        if len(words) >= 7 and words[-5] != "yes":
            problems.append(Problem(NAME, pdf.name, f"font not embedded: {words[0]}"))
    return problems


def _pdfinfo(pdf: Path, *options: str) -> dict[str, str]:
    output = run_tool(["pdfinfo", *options, str(pdf)], timeout=120)
    info: dict[str, str] = {}
    for line in output.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def check_pdf_info(pdf: Path, *, paper: str, title: str | None = None) -> list[Problem]:
    """Every page has the configured size; the title and author are set.

    :param pdf: the PDF
    :param paper: ``a4`` or ``letter``
    :param title: the book's title, which the document's title must hold, when known
    :return: each wrong page size and each missing or wrong field
    """
    width, height = PAPER_SIZES[paper]
    info = _pdfinfo(pdf, "-f", "1", "-l", "100000")
    problems: list[Problem] = []
    if not info.get("Pages"):
        return [Problem(NAME, pdf.name, "pdfinfo cannot read the file")]
    for key, value in info.items():
        match = re.fullmatch(r"Page\s+(\d+) size", key)
        size = re.match(r"([\d.]+) x ([\d.]+) pts", value)
        if match and size:
            found = (float(size.group(1)), float(size.group(2)))
            if abs(found[0] - width) > 1 or abs(found[1] - height) > 1:
                problems.append(
                    Problem(
                        NAME,
                        f"{pdf.name} page {match.group(1)}",
                        f"page size {value}, expected {width} x {height} pts ({paper})",
                    )
                )
    problems += [
        Problem(NAME, pdf.name, f"no {field} in the document information")
        for field in ("Title", "Author")
        if not info.get(field)
    ]
    # whitespace as the PDF keeps it: a line separator in the title is printed as a space
    if title is not None and info.get("Title") and " ".join(title.split()) not in info["Title"]:
        problems.append(Problem(NAME, pdf.name, f"Title {info['Title']!r} lacks {title!r}"))
    return problems


def _outline_titles(items: Sequence[Any]) -> Iterator[str]:
    for item in items:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(item.title)


def check_pdf_bookmarks(pdf: Path, chapters: Sequence[str]) -> list[Problem]:
    """Every chapter has a bookmark (an entry of the PDF's outline).

    :param pdf: the PDF
    :param chapters: the chapter titles
    :return: each chapter without a bookmark
    """
    from pypdf import PdfReader

    titles = {" ".join(title.split()) for title in _outline_titles(PdfReader(pdf).outline)}
    return [
        Problem(NAME, pdf.name, f"no bookmark for the chapter {chapter!r}")
        for chapter in chapters
        if " ".join(chapter.split()) not in titles
    ]


def check_pdf_text(pdf: Path, chapters: Sequence[str]) -> list[Problem]:
    """The extracted text holds every chapter title and no literal markup.

    :param pdf: the PDF
    :param chapters: the chapter titles
    :return: each missing title and each page with literal markup
    """
    output = run_tool(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], timeout=120)
    if output.returncode:
        return [Problem(NAME, pdf.name, f"pdftotext failed: {output.stderr.strip()}")]
    text = " ".join(output.stdout.split())
    problems = [
        Problem(NAME, pdf.name, f"chapter title not in the text: {chapter!r}")
        for chapter in chapters
        if " ".join(chapter.split()) not in text
    ]
    for number, page in enumerate(output.stdout.split("\f"), start=1):
        for label, pattern in LITERAL_MARKUP.items():
            for match in pattern.finditer(page):
                context = " ".join(page[max(0, match.start() - 30) : match.end() + 30].split())
                problems.append(
                    Problem(NAME, f"{pdf.name} page {number}", f"literal {label}: ...{context}...")
                )
    return problems


def check_latex_log(log: Path, *, max_overfull: float = 5.0) -> list[Problem]:
    """No overfull box wider than ``max_overfull`` points, no undefined reference.

    :param log: the LaTeX log (``<out>/.work/latex/<slug>.log``)
    :param max_overfull: the widest overfull box accepted, in points
    :return: each overfull box (with the text it holds) and each undefined reference
    """
    if not log.exists():
        return [Problem(LOG, str(log), "no LaTeX log: was the PDF built?")]
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    tex = log.with_suffix(".tex").name
    problems: list[Problem] = []
    for index, line in enumerate(lines):
        match = _OVERFULL.search(line)
        if match and float(match.group(2)) > max_overfull:
            tex_line = match.group(3) or match.group(4) or match.group(5)
            # the next log line shows the box's text, as TeX typeset it ([] for a page)
            snippet = " ".join(lines[index + 1].split())[:100] if index + 1 < len(lines) else ""
            if match.group(1) == "v" or snippet in ("", "[]"):
                snippet = "too tall for its page or box: see that line of the .tex"
            problems.append(
                Problem(
                    LOG,
                    f"{tex}:{tex_line}",
                    f"overfull \\{match.group(1)}box, {match.group(2)}pt: {snippet}",
                )
            )
    for match in _UNDEFINED.finditer(_unwrap(lines)):
        label = match.group(1) or match.group(2)
        message = f"undefined reference {label!r}" if label else match.group(0)
        problem = Problem(LOG, log.name, message)
        if problem not in problems:
            problems.append(problem)
    return problems


def _unwrap(lines: Sequence[str], width: int = 79) -> str:
    """Undo TeX's wrapping of log lines at ``max_print_line`` (79) characters."""
    return "".join(line if len(line) == width else line + "\n" for line in lines)
