"""EPUB Accessibility metadata in ``content.opf``, and the language of every XHTML page.

DAISY Ace checks these too; this check says in plain words which property
or page is missing, and needs neither Node nor a browser.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from build_tools.checks.base import Problem

NAME = "epub-a11y"
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The schema.org properties EPUB Accessibility 1.1 asks a publication to declare.
REQUIRED = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
)


def package_path(epub: zipfile.ZipFile) -> str:
    """The package document's path, from ``META-INF/container.xml``."""
    container = ET.fromstring(epub.read("META-INF/container.xml"))
    for element in container.iter():
        if element.tag.endswith("rootfile") and element.get("full-path"):
            return str(element.get("full-path"))
    return "content.opf"


def check_accessibility_metadata(epub: Path) -> list[Problem]:
    """Check the EPUB's accessibility metadata and page languages.

    :param epub: the ``.epub`` file
    :return: each missing or empty property, and each XHTML page without a language
    """
    problems: list[Problem] = []
    with zipfile.ZipFile(epub) as book:
        opf_name = package_path(book)
        package = ET.fromstring(book.read(opf_name))
        declared: dict[str, list[str]] = {}
        for meta in package.iter(f"{OPF}meta"):
            if prop := meta.get("property"):
                declared.setdefault(prop, []).append((meta.text or "").strip())
        for prop in REQUIRED:
            values = declared.get(prop, [])
            if not values:
                problems.append(Problem(NAME, opf_name, f"no <meta property={prop!r}>"))
            elif not all(values):
                problems.append(Problem(NAME, opf_name, f"empty <meta property={prop!r}>"))
        folder = posixpath.dirname(opf_name)
        for item in package.iter(f"{OPF}item"):
            if item.get("media-type") != "application/xhtml+xml":
                continue
            name = posixpath.normpath(posixpath.join(folder, item.get("href", "")))
            root = ET.fromstring(book.read(name))
            missing = [attr for attr in ("lang", XML_LANG) if not root.get(attr)]
            if missing:
                shown = ", ".join("xml:lang" if attr == XML_LANG else attr for attr in missing)
                problems.append(Problem(NAME, name, f"<html> has no {shown} attribute"))
    return problems
