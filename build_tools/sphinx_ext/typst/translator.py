"""The doctree as Typst markup: one visit/depart pair per node, like Sphinx's own writers.

The whole book arrives as one tree (the root document with every document of
its toctrees inlined, as for LaTeX). Text nodes go through
:func:`~build_tools.sphinx_ext.typst.markup.escape`; every other string the
output holds (link targets, index keys, file names) goes through
:func:`~build_tools.sphinx_ext.typst.markup.string`: nothing of the article is
ever read by Typst as code. Raw nodes are left out, whatever their format.
Nodes this writer does not know show their text.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxTranslator

from build_tools.sphinx_ext.typst.markup import escape, label, label_name, string

if TYPE_CHECKING:
    from build_tools.sphinx_ext.typst.builder import TypstBuilder

#: Schemes a link may have; any other link prints as its text.
_SCHEMES = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)
_LONG_WORD = re.compile(r"\S{30,}")
_LINK_PLACEHOLDER = re.compile(r"\0link:([^\0]*)\0")
_LABEL_DEFINITION = re.compile(r"<(r:[A-Za-z0-9_.:-]*)>")
#: Where a very long word (a checksum, a URL) may break: between chunks of this many characters.
_CHUNK = 12
#: Classes of paragraphs printed small, as metadata.
META_CLASSES = {"glossary-meta"}
#: The class of the front page's subtitle (on the title page instead).
SUBTITLE_CLASS = "book-subtitle"


def _ids(node: nodes.Element) -> list[str]:
    """A node's ids."""
    ids: list[str] = node.get("ids", [])
    return [str(ident) for ident in ids]


def _breakable(match: re.Match[str]) -> str:
    """A long word with zero-width spaces between its chunks: a line may break there."""
    word = match.group()
    return "\u200b".join(word[start : start + _CHUNK] for start in range(0, len(word), _CHUNK))


class index_mark(nodes.Inline, nodes.Element):  # noqa: N801 (docutils names nodes in lowercase)
    """Typst: a place the index points to; ``key`` is the term, ``definition`` its entry."""


class TypstTranslator(SphinxTranslator):
    """Write the assembled book as Typst markup, for our template ``book.typ``."""

    builder: TypstBuilder

    def __init__(self, document: nodes.document, builder: TypstBuilder) -> None:
        super().__init__(document, builder)
        self.body: list[str] = []
        self.docnames: list[str] = [builder.config.root_doc]
        self.section_level = 0
        self.seen_numbered = False
        self.appendix = 0
        self.main_matter = False
        self.subtitle: str | None = None
        self.stack: list[list[str]] = []  # bodies of the elements being gathered
        self.table: dict[str, Any] | None = None

    # -- helpers ------------------------------------------------------------------------------

    @property
    def docname(self) -> str:
        """The document whose nodes are being written."""
        return self.docnames[-1]

    def astext(self) -> str:
        """The book's Typst source (after the preamble the builder writes).

        A link to a label this edition has becomes a plain ``link``; to one it
        lacks (an answer of the teacher's edition), its text alone.
        """
        source = "".join(self.body)
        defined = Counter(_LABEL_DEFINITION.findall(source))

        def link(match: re.Match[str]) -> str:
            name = match.group(1)
            if defined[name] == 1:
                return f"#link(<{name}>)["
            # a label given twice (never by Sphinx's ids): the first, found at compile time
            return f"#book-link({string(name)})[" if defined[name] else "#["

        return _LINK_PLACEHOLDER.sub(link, source)

    def push(self) -> None:
        """Gather what follows apart, until :meth:`pop`."""
        self.stack.append(self.body)
        self.body = []

    def pop(self) -> str:
        """What was gathered since :meth:`push`."""
        text = "".join(self.body).strip()
        self.body = self.stack.pop()
        return text

    def anchors(self, node: nodes.Element, *, skip: int = 0) -> str:
        """Invisible anchors for the ids of a node (links reach them by :meth:`link_to`)."""
        return "".join(
            f"#metadata(none){label(self.docname, ident)}" for ident in _ids(node)[skip:]
        )

    def link_to(self, docname: str, ident: str) -> str:
        """The start of a link to an id in a document (``""``: the document), for :meth:`astext`.

        Control characters never come from the text (:func:`escape` drops them).
        """
        return f"\0link:{label_name(docname, ident)}\0"

    def numbers(self, node: nodes.Element, level: int) -> tuple[int, ...]:
        """A section's numbers from Sphinx's numbered toctrees, or ``()``.

        A document's top section (a chapter, ``level`` 1) is numbered under ``""``.
        """
        secnumbers = self.builder.env.toc_secnumbers.get(self.docname, {})
        if level == 1:
            return tuple(secnumbers.get("", ()))
        for ident in _ids(node):
            number = secnumbers.get(f"#{ident}", ())
            if number:
                return tuple(number)
        return ()

    def figure_number(self, kind: str, node: nodes.Element) -> str | None:
        """The number Sphinx's ``numfig`` gave a figure, table or exercise."""
        numbers = self.builder.env.toc_fignumbers.get(self.docname, {}).get(kind, {})
        for ident in _ids(node):
            if ident in numbers:
                return ".".join(map(str, numbers[ident]))
        return None

    # -- structure ----------------------------------------------------------------------------

    def visit_document(self, node: nodes.document) -> None:
        """Nothing before the book (the builder writes the preamble)."""

    def depart_document(self, node: nodes.document) -> None:
        """Nothing after the book."""

    def visit_start_of_file(self, node: addnodes.start_of_file) -> None:
        """A document of the toctree begins: its ids are relative to it."""
        self.docnames.append(node["docname"])

    def depart_start_of_file(self, node: addnodes.start_of_file) -> None:
        """Back to the including document."""
        self.docnames.pop()

    def visit_section(self, node: nodes.section) -> None:
        """One level deeper."""
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        """One level up."""
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        """A heading (a section's title), or the title of a table, an exercise, a solution."""
        parent = node.parent
        if isinstance(parent, nodes.table) or not isinstance(parent, nodes.section):
            self.push()
            return
        if self.section_level <= 1:  # the book's own title: on the title page
            raise nodes.SkipNode
        self.push()

    def depart_title(self, node: nodes.title) -> None:
        """Write the heading with its number, label and anchors."""
        parent = node.parent
        text = self.pop()
        if not isinstance(parent, nodes.section):
            parent["typst_title"] = text
            return
        level = self.section_level - 1
        numbers = self.numbers(parent, level)
        number = ".".join(map(str, numbers)) if numbers else ""
        if level == 1:
            if numbers:
                self.seen_numbered = True
            elif self.seen_numbered:  # back matter after the numbered chapters
                self.appendix += 1
            if not self.main_matter:
                self.main_matter = True
                self.body.append(
                    '\n#set page(numbering: "1")\n#counter(page).update(1)\n'
                    "#metadata(none) <book-main-matter>\n"  # the index counts pages from it
                )
            if not numbers and self.appendix:
                number = chr(ord("A") + self.appendix - 1)  # the template says "Appendix"
        supplement = f"[{escape(number)}]" if number else "none"
        ids = _ids(parent)
        first = f" {label(self.docname, ids[0])}" if ids else ""
        self.body.append(f"\n#heading(level: {level}, supplement: {supplement})[{text}]{first}\n")
        extra = self.anchors(parent, skip=1)
        if level == 1:
            extra += f"#metadata(none){label(self.docname, '')}"
        if extra:
            self.body.append(extra + "\n")
        self.body.append("\n")

    def visit_subtitle(self, node: nodes.subtitle) -> None:
        """A subtitle is a paragraph in italics."""
        self.body.append("#emph[")

    def depart_subtitle(self, node: nodes.subtitle) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        """A paragraph (the front page's subtitle goes to the title page)."""
        if SUBTITLE_CLASS in node["classes"]:
            self.push()
            return
        if self.section_level <= 1 and not self.docnames[1:]:
            raise nodes.SkipNode  # the front page's lead: the introduction repeats it
        self.body.append(self.anchors(node))
        if META_CLASSES & set(node["classes"]):
            self.body.append("#book-meta[")

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        """End the paragraph."""
        if SUBTITLE_CLASS in node["classes"]:
            self.subtitle = self.pop()
            return
        if META_CLASSES & set(node["classes"]):
            self.body.append("]")
        self.body.append("\n\n")

    def visit_compound(self, node: nodes.compound) -> None:
        """A toctree's wrapper: its content."""

    def depart_compound(self, node: nodes.compound) -> None:
        """Nothing to close."""

    def visit_container(self, node: nodes.container) -> None:
        """A container: its content."""
        self.body.append(self.anchors(node))

    def depart_container(self, node: nodes.container) -> None:
        """Nothing to close."""

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        """An indented quotation."""
        self.body.append("#quote(block: true)[")

    def depart_block_quote(self, node: nodes.block_quote) -> None:
        """Close it."""
        self.body.append("]\n\n")

    def visit_transition(self, node: nodes.transition) -> None:
        """A short centred rule."""
        self.body.append("#align(center, line(length: 30%, stroke: 0.5pt))\n\n")
        raise nodes.SkipNode

    def visit_target(self, node: nodes.target) -> None:
        """Anchors for a target's ids (most have moved to the element they precede)."""
        self.body.append(self.anchors(node))

    def depart_target(self, node: nodes.target) -> None:
        """Nothing to close."""

    def visit_comment(self, node: nodes.comment) -> None:
        """Comments are not printed."""
        raise nodes.SkipNode

    def visit_raw(self, node: nodes.raw) -> None:
        """Raw output of any format is never passed to Typst."""
        raise nodes.SkipNode

    def visit_toctree(self, node: addnodes.toctree) -> None:
        """A toctree left over (one of another document): the template has the contents."""
        raise nodes.SkipNode

    def visit_index(self, node: addnodes.index) -> None:
        """Sphinx's index entries: the book's index comes from :class:`index_mark`."""
        raise nodes.SkipNode

    def visit_index_mark(self, node: index_mark) -> None:
        """A place the index points to."""
        definition = "true" if node["definition"] else "false"
        self.body.append(f"#book-mark({string(node['key'])}, def: {definition})")
        raise nodes.SkipNode

    # -- inline -------------------------------------------------------------------------------

    def visit_Text(self, node: nodes.Text) -> None:  # noqa: N802 (docutils' name)
        """Text, escaped: printed exactly as written (very long words may break)."""
        self.body.append(escape(_LONG_WORD.sub(_breakable, node.astext())))

    def depart_Text(self, node: nodes.Text) -> None:  # noqa: N802
        """Nothing to close."""

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        """Italics."""
        self.body.append("#emph[")

    def depart_emphasis(self, node: nodes.emphasis) -> None:
        """Close them."""
        self.body.append("]")

    def visit_strong(self, node: nodes.strong) -> None:
        """Bold."""
        self.body.append("#strong[")

    def depart_strong(self, node: nodes.strong) -> None:
        """Close it."""
        self.body.append("]")

    def visit_literal(self, node: nodes.literal) -> None:
        """Code: its text as a Typst string, in the monospace font."""
        self.body.append(f"#raw({string(node.astext())})")
        raise nodes.SkipNode

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        """A code block."""
        self.body.append(f"#block(width: 100%, raw(block: true, {string(node.astext())}))\n\n")
        raise nodes.SkipNode

    def visit_inline(self, node: nodes.inline) -> None:
        """Inline text: its content."""
        self.body.append(self.anchors(node))

    def depart_inline(self, node: nodes.inline) -> None:
        """Nothing to close."""

    def visit_reference(self, node: nodes.reference) -> None:
        """A link: inside the book to a label, outside to an address."""
        uri = node.get("refuri", "")
        if "refid" in node:
            self.body.append(self.link_to(self.docname, node["refid"]))
        elif uri.startswith("%"):
            docname, _, ident = uri[1:].partition("#")
            self.body.append(self.link_to(docname, ident))
        elif _SCHEMES.match(uri):
            self.body.append(f"#link({string(uri)})[")
        else:
            self.body.append("#[")

    def depart_reference(self, node: nodes.reference) -> None:
        """Close the link."""
        self.body.append("]")

    def visit_number_reference(self, node: addnodes.number_reference) -> None:
        """A numbered reference is a link."""
        self.visit_reference(node)

    def depart_number_reference(self, node: addnodes.number_reference) -> None:
        """Close the link."""
        self.depart_reference(node)

    def visit_pending_xref(self, node: addnodes.pending_xref) -> None:
        """A reference Sphinx could not resolve: its text."""

    def depart_pending_xref(self, node: addnodes.pending_xref) -> None:
        """Nothing to close."""

    def visit_image(self, node: nodes.image) -> None:
        """An image, as large as the text is wide at most."""
        uri = self.builder.images.get(node["uri"], node["uri"])
        uri = posixpath.normpath(uri).lstrip("/")
        if isinstance(node.parent, nodes.figure):
            self.body.append(f"book-image({string(uri)})")
        else:
            self.body.append(f"#box(book-image({string(uri)}))")
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.figure) -> None:
        """A numbered figure with its caption and legend (listed in the List of Figures)."""
        self.push()

    def depart_figure(self, node: nodes.figure) -> None:
        """Assemble the figure."""
        content = self.pop()
        image, _, rest = content.partition("\0caption\0")
        caption, _, legend = rest.partition("\0legend\0")
        number = self.figure_number("figure", node)
        legend = f"[{legend.strip()}]" if legend.strip() else "none"
        self.body.append(
            f"\n{self.anchors(node)}#book-figure({image.strip()}, caption: [{caption.strip()}], "
            f"number: {string(number) if number else 'none'}, legend: {legend})\n\n"
        )

    def visit_caption(self, node: nodes.caption) -> None:
        """Mark where the caption starts (see :meth:`depart_figure`)."""
        self.body.append("\0caption\0")

    def depart_caption(self, node: nodes.caption) -> None:
        """Nothing to close."""

    def visit_legend(self, node: nodes.legend) -> None:
        """Mark where the legend starts (see :meth:`depart_figure`)."""
        self.body.append("\0legend\0")

    def depart_legend(self, node: nodes.legend) -> None:
        """Nothing to close."""

    # -- lists --------------------------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        """A bulleted list: one content block an item."""
        self.body.append("#list(")

    def depart_bullet_list(self, node: nodes.bullet_list) -> None:
        """Close the list."""
        self.body.append(")\n\n")

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        """A numbered (or lettered) list."""
        pattern = {"upperalpha": "A.", "loweralpha": "a.", "upperroman": "I.", "lowerroman": "i."}
        numbering = pattern.get(node.get("enumtype", ""), "1.")
        start = int(node.get("start", 1))
        self.body.append(f'#enum(numbering: "{numbering}", start: {start}, ')

    def depart_enumerated_list(self, node: nodes.enumerated_list) -> None:
        """Close the list."""
        self.body.append(")\n\n")

    def visit_list_item(self, node: nodes.list_item) -> None:
        """One item."""
        self.body.append("[")

    def depart_list_item(self, node: nodes.list_item) -> None:
        """End the item."""
        while self.body and self.body[-1] == "\n\n":
            self.body.pop()
        self.body.append("], ")

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        """A definition list (the glossary's entries)."""

    def depart_definition_list(self, node: nodes.definition_list) -> None:
        """Nothing to close."""

    def visit_definition_list_item(self, node: nodes.definition_list_item) -> None:
        """Gather the term and its definition."""
        self.push()

    def depart_definition_list_item(self, node: nodes.definition_list_item) -> None:
        """One entry: the term in bold, the definition indented below."""
        content = self.pop()
        term, _, definition = content.partition("\0definition\0")
        self.body.append(f"#book-glossary-entry([{term.strip()}], [{definition.strip()}])\n\n")

    def visit_term(self, node: nodes.term) -> None:
        """The term, with its anchors."""
        self.body.append(self.anchors(node))

    def depart_term(self, node: nodes.term) -> None:
        """Nothing to close."""

    def visit_classifier(self, node: nodes.classifier) -> None:
        """A classifier after the term."""
        self.body.append(" (")

    def depart_classifier(self, node: nodes.classifier) -> None:
        """Close it."""
        self.body.append(")")

    def visit_definition(self, node: nodes.definition) -> None:
        """Mark where the definition starts."""
        self.body.append("\0definition\0")

    def depart_definition(self, node: nodes.definition) -> None:
        """Nothing to close."""

    def visit_glossary(self, node: addnodes.glossary) -> None:
        """The glossary: its definition list."""

    def depart_glossary(self, node: addnodes.glossary) -> None:
        """Nothing to close."""

    # -- tables -------------------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> None:
        """Gather the table's columns, head and rows."""
        self.table = {"widths": [], "header": [], "rows": [], "in_head": False}
        self.push()

    def depart_table(self, node: nodes.table) -> None:
        """A table whose head row repeats on every page, captioned when it has a title."""
        self.pop()
        table = self.table or {}
        self.table = None
        widths = table["widths"] or [1]
        columns = "(" + ", ".join(f"{width}fr" for width in widths) + ",)"
        header = "(" + "".join(f"[{cell}], " for cell in table["header"]) + ")"
        rows = "(" + "".join(f"[{cell}], " for row in table["rows"] for cell in row) + ")"
        title = node.get("typst_title")
        caption = f"[{title}]" if title else "none"
        number = self.figure_number("table", node)
        number_arg = string(number) if number else "none"
        self.body.append(
            f"\n{self.anchors(node)}#book-table(columns: {columns}, caption: {caption}, "
            f"number: {number_arg}, header: {header}, rows: {rows})\n\n"
        )

    def visit_tgroup(self, node: nodes.tgroup) -> None:
        """The table's body."""

    def depart_tgroup(self, node: nodes.tgroup) -> None:
        """Nothing to close."""

    def visit_colspec(self, node: nodes.colspec) -> None:
        """One column's relative width."""
        if self.table is not None:
            self.table["widths"].append(max(1, int(node.get("colwidth", 1))))
        raise nodes.SkipNode

    def visit_thead(self, node: nodes.thead) -> None:
        """The head rows."""
        if self.table is not None:
            self.table["in_head"] = True

    def depart_thead(self, node: nodes.thead) -> None:
        """The body rows follow."""
        if self.table is not None:
            self.table["in_head"] = False

    def visit_tbody(self, node: nodes.tbody) -> None:
        """The body rows."""

    def depart_tbody(self, node: nodes.tbody) -> None:
        """Nothing to close."""

    def visit_row(self, node: nodes.row) -> None:
        """Start a row."""
        if self.table is not None and not self.table["in_head"]:
            self.table["rows"].append([])

    def depart_row(self, node: nodes.row) -> None:
        """Nothing to close."""

    def visit_entry(self, node: nodes.entry) -> None:
        """Gather a cell."""
        self.push()

    def depart_entry(self, node: nodes.entry) -> None:
        """A cell of the head or of the current row."""
        cell = self.pop()
        if self.table is None:
            return
        if self.table["in_head"]:
            self.table["header"].append(cell)
        else:
            self.table["rows"][-1].append(cell)

    # -- exercises, solutions, space to write -------------------------------------------------

    def visit_exercise_enumerable_node(self, node: nodes.Element) -> None:
        """An exercise: its number, title and body in a frame."""
        self.push()

    def depart_exercise_enumerable_node(self, node: nodes.Element) -> None:
        """Assemble the exercise."""
        body = self.pop()
        number = self.figure_number("exercise", node)
        title = str(node.get("typst_title", ""))
        heading = escape(f"Exercise {number}") + " " + title if number else title
        self.body.append(f"\n{self.anchors(node)}#book-exercise([{heading.strip()}], [{body}])\n\n")

    visit_exercise_node = visit_exercise_enumerable_node

    def depart_exercise_node(self, node: nodes.Element) -> None:
        """An unnumbered exercise."""
        body = self.pop()
        title = node.get("typst_title", "")
        self.body.append(f"\n{self.anchors(node)}#book-exercise([{title}], [{body}])\n\n")

    def visit_solution_node(self, node: nodes.Element) -> None:
        """A solution (in the answer key)."""
        self.push()

    def depart_solution_node(self, node: nodes.Element) -> None:
        """Assemble the solution."""
        body = self.pop()
        title = node.get("typst_title", "")
        self.body.append(f"\n{self.anchors(node)}#book-solution([{title}], [{body}])\n\n")

    def visit_review_space(self, node: nodes.Element) -> None:
        """Space to write after an optional prompt."""
        self.push()

    def depart_review_space(self, node: nodes.Element) -> None:
        """Ruled lines or numbered boxes."""
        prompt = self.pop()
        function = "book-lines" if node["kind"] == "lines" else "book-boxes"
        argument = f"[{prompt}]" if prompt else "none"
        self.body.append(f"\n#{function}({int(node['count'])}, {argument})\n\n")

    # -- anything else ------------------------------------------------------------------------

    def visit_system_message(self, node: nodes.system_message) -> None:
        """Sphinx reports these itself (and fails the build on them)."""
        raise nodes.SkipNode

    def unknown_visit(self, node: nodes.Node) -> None:
        """A node without a Typst form shows its text (escaped, as all text)."""

    def unknown_departure(self, node: nodes.Node) -> None:
        """Nothing to close."""
