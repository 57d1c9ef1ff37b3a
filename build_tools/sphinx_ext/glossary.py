"""Glossary term links: definitions for the HTML tooltips, index entries for the PDF.

Sphinx's own ``glossary`` directive and ``term`` role do the linking; this
module adds two things on top:

- :class:`GlossaryDefinitionsDomain` collects, while documents are read, the
  definition of every glossary term (keyed by the term's target id);
- :class:`TermTitleTransform` (HTML and EPUB) puts that definition in the
  ``title`` of every term link and gives the link the class ``glossary-term``:
  ``_static/glossary.js`` turns it into an accessible tooltip in the HTML;
- :class:`TermIndexTransform` (LaTeX) puts an index entry at every term link,
  so the PDF's index gives the pages where a term is used, not only the page
  where it is defined (Sphinx issue 11814);
- in HTML a line break after each ``</dt>``: the search's summaries are the
  page's text content, where a term ran into its definition ("Douglas
  MacArthurPerson").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from collections.abc import Iterator
    from collections.abc import Set as AbstractSet

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: The class of the paragraph that holds a term's definition proper (the tooltip's text).
DEFINITION_CLASS = "glossary-definition"
#: The class given to term links in HTML.
TERM_CLASS = "glossary-term"


class GlossaryDefinitionsDomain(Domain):
    """The definitions of the glossary terms, by target id: ``{id: (docname, term, text)}``.

    The tooltip text is the definition's paragraph with the class
    ``glossary-definition`` when there is one, else its first paragraph.
    """

    name = "glossary_definitions"
    label = "Glossary definitions"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"definitions": {}}

    @property
    def definitions(self) -> dict[str, tuple[str, str, str]]:
        """Each term's target id, with its document, headword and definition."""
        found: dict[str, tuple[str, str, str]] = self.data.setdefault("definitions", {})
        return found

    def clear_doc(self, docname: str) -> None:
        """Forget the terms of a document that is read again."""
        for key, (doc, _, _) in list(self.definitions.items()):
            if doc == docname:
                del self.definitions[key]

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        """Take the terms of documents read by a parallel process."""
        for key, value in otherdata["definitions"].items():
            if value[0] in docnames:
                self.definitions[key] = value

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Collect the definitions of the glossaries of a document."""
        for glossary in document.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                text = _definition_text(item)
                for term in item.findall(nodes.term):
                    for target in term["ids"]:
                        self.definitions[target] = (docname, term.astext(), text)

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[tuple[str, nodes.reference]]:
        """This domain has no roles: nothing to resolve."""
        return []


def _domain(env: BuildEnvironment) -> GlossaryDefinitionsDomain:
    return cast("GlossaryDefinitionsDomain", env.domains[GlossaryDefinitionsDomain.name])


def _definition_text(item: nodes.definition_list_item) -> str:
    paragraphs = [
        paragraph
        for definition in item.findall(nodes.definition)
        for paragraph in definition.findall(nodes.paragraph)
    ]
    marked = [p for p in paragraphs if DEFINITION_CLASS in p["classes"]]
    chosen = marked or paragraphs[:1]
    return " ".join(chosen[0].astext().split()) if chosen else ""


def _term_links(document: nodes.document) -> Iterator[tuple[nodes.reference, str]]:
    """Every resolved link to a glossary term, with the term's target id."""
    for reference in list(document.findall(nodes.reference)):
        if not any(
            isinstance(child, nodes.inline) and "std-term" in child["classes"]
            for child in reference.children
        ):
            continue
        target = reference.get("refid") or reference.get("refuri", "").partition("#")[2]
        if target:
            yield reference, target


class TermTitleTransform(SphinxPostTransform):
    """HTML and EPUB: a term link carries its definition as ``title``."""

    default_priority = 20  # after the references are resolved (10)
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Give each term link its definition and the ``glossary-term`` class."""
        definitions = _domain(self.env).definitions
        for reference, target in _term_links(self.document):
            if target in definitions:
                reference["reftitle"] = definitions[target][2]
                reference["classes"].append(TERM_CLASS)


#: A block whose term links are not uses of the terms (the teacher's guide lists them).
NO_INDEX = "no-index"


class TermIndexTransform(SphinxPostTransform):
    """LaTeX: an index entry at every term link, so the index gives where a term is used.

    The glossary's own entry (the page where the term is defined) moves from
    the term's label into its definition: inside the label LaTeX would expand
    the entry's commands (``\\sphinxhyphen``) before writing it, and the index
    would list a hyphenated term twice under two different sort keys. Links in
    a block of class ``no-index`` only name the terms: they get no entry.
    """

    default_priority = 20
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Insert an index entry before each term link; move the glossary's own."""
        definitions = _domain(self.env).definitions
        for reference, target in _term_links(self.document):
            if target not in definitions or reference.parent is None or _unindexed(reference):
                continue
            index = addnodes.index(entries=[("single", definitions[target][1], "", "", None)])
            index["inline"] = True
            reference.parent.insert(reference.parent.index(reference), index)
        for glossary in self.document.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                _move_term_index(item)


def _unindexed(node: nodes.Element) -> bool:
    """Whether a term link stands in a block of class :data:`NO_INDEX` (a list of terms)."""
    parent = node.parent
    while parent is not None:
        if NO_INDEX in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def _move_term_index(item: nodes.definition_list_item) -> None:
    """Move the index entries of a glossary item's terms to the start of its definition."""
    entries = [index for term in item.findall(nodes.term) for index in term.findall(addnodes.index)]
    paragraph = next(
        (
            p
            for definition in item.findall(nodes.definition)
            for p in definition.findall(nodes.paragraph)
        ),
        None,
    )
    if paragraph is None:
        return
    for index in reversed(entries):
        index.parent.remove(index)
        index["inline"] = True
        paragraph.insert(0, index)


#: LaTeX for the index: entries in the text font (Sphinx sets them as code), and
#: page ranges with an en dash (Sphinx's xindy style writes "12" and "15" side by
#: side as "1215": a page number directly followed by another one starts a range).
LATEX_INDEX_PREAMBLE = r"""
\renewcommand{\sphinxstyleindexentry}[1]{#1}
\makeatletter
\AtBeginDocument{\let\book@hyperpage\hyperpage
  \renewcommand{\hyperpage}[1]{\book@hyperpage{#1}\@ifnextchar\hyperpage{\textendash}{}}}
\makeatother
"""


def add_index_preamble(app: Sphinx, config: Config) -> None:
    """Give LaTeX the index styling of :data:`LATEX_INDEX_PREAMBLE`."""
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + LATEX_INDEX_PREAMBLE
    config.latex_elements = elements


def setup_glossary(app: Sphinx) -> None:
    """Register the domain and the two post-transforms.

    :param app: the Sphinx application
    """
    app.add_domain(GlossaryDefinitionsDomain)
    app.add_post_transform(TermTitleTransform)
    app.add_post_transform(TermIndexTransform)
    app.add_node(nodes.term, override=True, html=(_visit_term_html, _depart_term_html))
    app.connect("config-inited", add_index_preamble)


def _visit_term_html(self: Any, node: nodes.term) -> None:
    type(self).visit_term(self, node)


def _depart_term_html(self: Any, node: nodes.term) -> None:
    """Sphinx's end of a term, then a line break (text to the search, nothing to the page)."""
    type(self).depart_term(self, node)
    if self.body and self.body[-1] == "</dt>":  # not left open for a classifier
        self.body.append("\n")
