"""Clickable maps: HTML inlines the SVG of a figure whose image has the class ``inline-svg``.

An ``<img>`` cannot follow the links inside an SVG; an inline ``<svg>`` can.
The map's SVG links to glossary entries as ``term:<headword>``; here each
becomes the entry's real address on this build (from the standard domain's
glossary terms), or, when the book has no such entry, the link is dropped and
its content kept.  Other builders keep the figure's image: EPUB a PNG, LaTeX
a PDF (the builders choose from ``name.*``).
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The class that asks for an inline SVG.
INLINE_CLASS = "inline-svg"
_LINK = re.compile(r'<a xlink:href="term:([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


class InlineSvgTransform(SphinxPostTransform):
    """Replace an ``inline-svg`` image by its SVG, with glossary links resolved."""

    default_priority = 400
    builders = ("html", "dirhtml", "singlehtml")

    def run(self, **kwargs: Any) -> None:
        """Inline every image of the class whose candidates include an SVG."""
        for image in list(self.document.findall(nodes.image)):
            if INLINE_CLASS not in image.get("classes", []):
                continue
            candidates: dict[str, str] = image.get("candidates") or {}
            candidate = candidates.get("image/svg+xml")
            if not candidate:
                continue
            svg = (self.env.srcdir / candidate).read_text(encoding="utf-8")
            svg = self.resolve_links(svg)
            svg = _METADATA.sub("", _PROLOGUE.sub("", svg, count=1), count=1)
            label = html.escape(image.get("alt", ""), quote=True)
            svg = svg.replace(
                "<svg ",
                f'<svg role="group" aria-label="{label}" class="{INLINE_CLASS}" '
                'style="max-width: none; height: auto" ',
                1,
            )
            # at its own size, so its labels stay legible; a phone scrolls it sideways
            scroller = (
                '<div class="inline-svg-scroll" style="overflow-x: auto" tabindex="0" '
                'role="region" aria-label="Map (scrolls sideways on a narrow screen)">'
            )
            image.replace_self(nodes.raw("", f"{scroller}\n{svg}\n</div>", format="html"))

    def resolve_links(self, svg: str) -> str:
        """Point ``term:`` links at the glossary entries of this build, or drop them."""
        objects = self.env.domains.standard_domain.objects
        builder = self.app.builder

        def link(match: re.Match[str]) -> str:
            term, content = match.group(1), match.group(3)
            rest = match.group(2).replace(' target="_blank"', "")  # same page, not a new tab
            found = objects.get(("term", html.unescape(term)))
            if found is None:
                return content
            docname, anchor = found[0], found[1]
            uri = builder.get_relative_uri(self.env.docname, docname) + "#" + anchor
            name = html.escape(f"{html.unescape(term)}: glossary entry", quote=True)
            # SVG 2's plain href: browsers and checkers (axe) take it for a link
            return (
                f'<a href="{html.escape(uri, quote=True)}" aria-label="{name}"{rest}>{content}</a>'
            )

        return _LINK.sub(link, svg)
