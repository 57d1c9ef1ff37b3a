"""The back-of-book index for Typst: a mark at every use of a glossary term, one at its entry.

Typst has no index of its own: :class:`TypstIndexTransform` puts an
:class:`~build_tools.sphinx_ext.typst.translator.index_mark` before every link
to a glossary term (not in blocks of class ``no-index``, which only list the
terms) and one, marked as the definition, in each glossary entry; the
template's ``book-index`` finds them with ``query`` and prints the pages, in
bold where a term is defined. The order of the entries is ours
(:func:`~build_tools.sphinx_ext.typst.markup.sort_key`), not Typst's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from build_tools.sphinx_ext.glossary import _domain, _term_links, _unindexed
from build_tools.sphinx_ext.typst.translator import index_mark

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class TypstIndexTransform(SphinxPostTransform):
    """Typst: index marks at every term link and in every glossary entry."""

    default_priority = 20  # after the references are resolved (10)
    builders = ("typst",)

    def run(self, **kwargs: Any) -> None:
        """Insert the marks."""
        definitions = _domain(self.env).definitions
        for reference, target in _term_links(self.document):
            if target not in definitions or reference.parent is None or _unindexed(reference):
                continue
            mark = index_mark(key=definitions[target][1], definition=False)
            reference.parent.insert(reference.parent.index(reference), mark)
        for glossary in self.document.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                for term in item.findall(nodes.term):
                    for target in term["ids"]:
                        if target in definitions:
                            term.insert(0, index_mark(key=definitions[target][1], definition=True))
                            break


def index_terms(env: BuildEnvironment) -> list[str]:
    """Every glossary headword of the book (the template leaves out those never marked).

    :param env: the build environment
    :return: the headwords, each once
    """
    return sorted({headword for _, headword, _ in _domain(env).definitions.values()})
