"""Review exercises: in-page multiple choice, solution toggles and space to write.

sphinx-exercise's ``exercise`` and ``solution`` directives make the exercises;
this module adds what a classroom needs on top:

- ``review-choices`` and ``review-items`` (directives): the options of a multiple-choice or
  true-or-false question as a lettered list in every format; in the HTML
  builder, :class:`ChoicesHtmlTransform` turns the list into a ``fieldset`` of
  radio buttons with a *Check answer* button and a live region for the
  feedback (``_static/review.js``). The EPUB keeps the plain list: no script.
- ``review-lines`` and ``review-boxes`` (directives): ruled lines to write an
  answer on and numbered boxes for ordering and matching, in the PDF only.
- :class:`SolutionToggleTransform` (HTML builder): a solution with the class
  ``dropdown`` becomes a ``<details>`` element, closed until the reader opens it
  (keyboard-operable without script).
- :class:`MatchingGridTransform` (LaTeX): the matching table as a grid of rows
  that may break across pages (a table inside the exercise's frame cannot).
- :class:`ExerciseAnchorTransform` (LaTeX): the ``\\label`` a link to an
  exercise needs in the PDF (sphinx-exercise writes only its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

#: The builders that get the interactive page (not ``epub``, which shares their format).
HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
#: The answer key's document, and the prefix of its answers' labels (build_tools.exercises.answers).
ANSWER_KEY = "_generated/answers"
ANSWER_PREFIX = "answer-"
_LETTERS = "ABCDEFGHIJ"


class review_choices(nodes.Element):  # noqa: N801 (docutils names nodes in lowercase)
    """HTML: a fieldset of radio buttons; ``correct`` is the 1-based number of the answer."""


class review_option(nodes.Element):  # noqa: N801
    """HTML: one radio button and its label (the option's inline text as children)."""


class review_space(nodes.Element):  # noqa: N801
    """PDF: ``lines`` ruled lines, or ``boxes`` numbered boxes, after an optional prompt."""


class review_toggle(nodes.Element):  # noqa: N801
    """HTML: a ``<details>`` element whose ``<summary>`` is the plain text ``summary``."""


class review_grid(nodes.Element):  # noqa: N801
    """LaTeX: the matching table as rows of two columns that may break across pages."""


class review_grid_row(nodes.Element):  # noqa: N801
    """LaTeX: one row of a :class:`review_grid` (``header`` for the column heads)."""


class review_grid_cell(nodes.Element):  # noqa: N801
    """LaTeX: one cell of a :class:`review_grid_row` (``first`` for the left column)."""


class review_anchor(nodes.Element):  # noqa: N801
    """LaTeX: a ``\\label`` for the id ``refid`` of the current document."""


# -- directives -------------------------------------------------------------------------------


class ReviewChoicesDirective(SphinxDirective):
    """The options of a question: an ordered list, shown with letters.

    ``review-choices``: the argument is the legend of the HTML fieldset,
    ``:correct:`` the number of the right option. ``review-items``: the items
    of an ordering exercise, lettered, with nothing to click.
    """

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {"correct": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        """Parse the list and mark it (``review-items``: a lettered list, nothing more)."""
        container = nodes.container(classes=["review-choices"])
        self.set_source_info(container)
        self.state.nested_parse(self.content, self.content_offset, container)
        lists = [child for child in container.children if isinstance(child, nodes.enumerated_list)]
        if len(lists) != 1 or len(container.children) != 1:
            raise self.error("review-choices holds one numbered list of options")
        options = lists[0]
        options["enumtype"] = "upperalpha"
        if self.name == "review-items":
            container["classes"] = ["review-items"]
            return [container]
        correct = self.options.get("correct", 0)
        if not self.arguments:
            raise self.error("review-choices needs a legend as its argument")
        if not 1 <= correct <= len(options.children) <= len(_LETTERS):
            raise self.error(f":correct: must be an option's number (1-{len(options.children)})")
        container["review_legend"] = self.arguments[0]
        container["review_correct"] = correct
        container["review_name"] = f"review-choice-{self.env.new_serialno('review-choice')}"
        return [container]


class ReviewSpaceDirective(SphinxDirective):
    """Space to write in the PDF: ``review-lines N`` (ruled lines) or ``review-boxes N``.

    The content, if any, is a prompt printed before the space (PDF only too).
    """

    has_content = True
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """Make the space node, with the prompt parsed inside it."""
        try:
            count = int(self.arguments[0])
        except ValueError:
            raise self.error("the argument is a number of lines or boxes") from None
        node = review_space(kind=self.name.removeprefix("review-"), count=count)
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


# -- post-transforms --------------------------------------------------------------------------


class ChoicesHtmlTransform(SphinxPostTransform):
    """HTML: the lettered options become radio buttons in a fieldset."""

    default_priority = 200
    builders = HTML_BUILDERS

    def run(self, **kwargs: Any) -> None:
        """Replace each marked container."""
        for container in list(self.document.findall(nodes.container)):
            if "review_correct" not in container:
                continue
            fieldset = review_choices(
                legend=container["review_legend"],
                correct=container["review_correct"],
                name=container["review_name"],
            )
            items = list(container.findall(nodes.list_item))
            for number, item in enumerate(items, start=1):
                option = review_option(
                    ident=f"{container['review_name']}-{number}",
                    name=container["review_name"],
                    value=number,
                    letter=_LETTERS[number - 1],
                )
                for paragraph in item.findall(nodes.paragraph):
                    option += paragraph.children
                fieldset += option
            container.replace_self(fieldset)


class SolutionToggleTransform(SphinxPostTransform):
    """HTML: a solution with the class ``dropdown`` becomes a closed ``<details>``.

    Runs after sphinx-exercise has resolved the solution's title (priority 21).
    The summary is the title's plain text, so the toggle holds no link.
    """

    default_priority = 30
    builders = HTML_BUILDERS

    def run(self, **kwargs: Any) -> None:
        """Turn each dropdown solution into a details element."""
        from sphinx_exercise.nodes import solution_node

        for node in list(self.document.findall(solution_node)):
            if "dropdown" not in node["classes"]:
                continue
            title = node.children[0] if node.children else None
            summary = title.astext() if isinstance(title, nodes.title) else "Solution"
            details = review_toggle(ids=node["ids"], summary=summary)
            details += node.children[1:] if isinstance(title, nodes.title) else node.children
            node.replace_self(details)


class MatchingGridTransform(SphinxPostTransform):
    """LaTeX: the matching table (class ``review-matching``) becomes a breakable grid.

    A LaTeX table cannot break across pages, and inside the exercise's frame a
    tall one runs off the page: rows of two ``minipage`` columns can break
    between them.
    """

    default_priority = 30
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Replace each matching table."""
        for table in list(self.document.findall(nodes.table)):
            if "review-matching" not in table["classes"]:
                continue
            grid = review_grid()
            for row in table.findall(nodes.row):
                line = review_grid_row(header=isinstance(row.parent, nodes.thead))
                for number, entry in enumerate(row.findall(nodes.entry)):
                    cell = review_grid_cell(first=number == 0)
                    for paragraph in entry.findall(nodes.paragraph):
                        cell += paragraph.children
                    line += cell
                grid += line
            table.replace_self(grid)


class UniqueIdsTransform(SphinxPostTransform):
    """Every exercise's and solution's body is a section with the same id: drop those ids.

    sphinx-exercise gives each body the id ``exercise-content`` (or
    ``solution-content``); a page with two exercises would repeat an id, which
    HTML forbids and epubcheck reports.
    """

    default_priority = 25

    def run(self, **kwargs: Any) -> None:
        """Remove the repeated ids."""
        for section in self.document.findall(nodes.section):
            if section["ids"] in (["exercise-content"], ["solution-content"]):
                section["ids"] = []


class ExerciseAnchorTransform(SphinxPostTransform):
    """LaTeX: a ``\\label`` for each exercise's id, where links to it (``{ref}``) point."""

    default_priority = 30
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        """Put an anchor after each exercise's title."""
        from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

        for node in list(self.document.findall(nodes.Element)):
            if isinstance(node, exercise_enumerable_node | exercise_node) and node["ids"]:
                node.insert(1, review_anchor(refid=node["ids"][0]))


# -- visitors ---------------------------------------------------------------------------------


def visit_review_choices_html(self: HTML5Translator, node: review_choices) -> None:
    """Open the fieldset (the correct option's number is for ``review.js``)."""
    self.body.append(
        self.starttag(node, "fieldset", CLASS="review-choices", **{"data-correct": node["correct"]})
    )
    self.body.append(f"<legend>{self.encode(node['legend'])}</legend>\n")


def depart_review_choices_html(self: HTML5Translator, node: review_choices) -> None:
    """The button (shown by ``review.js``) and the live region for its feedback."""
    self.body.append(
        '<p class="review-actions"><button type="button" class="review-check" hidden>'
        "Check answer</button></p>\n"
        '<p class="review-feedback" role="status" aria-live="polite"></p>\n'
        "</fieldset>\n"
    )


def visit_review_option_html(self: HTML5Translator, node: review_option) -> None:
    """A radio button with its label."""
    ident = self.attval(node["ident"])
    self.body.append(
        f'<div class="review-option"><input type="radio" id="{ident}" '
        f'name="{self.attval(node["name"])}" value="{node["value"]}">'
        f'<label for="{ident}"><span class="review-letter">{node["letter"]}.</span> '
    )


def depart_review_option_html(self: HTML5Translator, node: review_option) -> None:
    """Close the label."""
    self.body.append("</label></div>\n")


def visit_review_toggle_html(self: HTML5Translator, node: review_toggle) -> None:
    """Open the ``<details>`` element with its summary."""
    self.body.append(self.starttag(node, "details", CLASS="review-solution"))
    self.body.append(f"<summary>{self.encode(node['summary'])}</summary>\n")
    self.body.append('<div class="review-solution-body">\n')


def depart_review_toggle_html(self: HTML5Translator, node: review_toggle) -> None:
    """Close the ``<details>`` element."""
    self.body.append("</div>\n</details>\n")


def visit_review_space_latex(self: LaTeXTranslator, node: review_space) -> None:
    """The prompt, then ruled lines or numbered boxes."""
    self.body.append("\n\\par\\begin{bookreviewspace}\n")


def depart_review_space_latex(self: LaTeXTranslator, node: review_space) -> None:
    """Close the prompt; draw the space."""
    command = "bookreviewlines" if node["kind"] == "lines" else "bookreviewboxes"
    self.body.append(f"\\end{{bookreviewspace}}\\{command}{{{int(node['count'])}}}\n")


def visit_review_grid_latex(self: LaTeXTranslator, node: review_grid) -> None:
    """Start the grid on a new paragraph."""
    self.body.append("\n\\par\\medskip\n")


def depart_review_grid_latex(self: LaTeXTranslator, node: review_grid) -> None:
    """End the grid."""
    self.body.append("\\par\\medskip\n")


def visit_review_grid_row_latex(self: LaTeXTranslator, node: review_grid_row) -> None:
    """A row is one paragraph: the term in a box, the definition hanging beside it.

    The definition's lines may break across pages (a box or table could not).
    Column heads are in small bold type.
    """
    self.body.append(
        "\\par\\begingroup\\raggedright\\noindent\\hangindent=0.33\\linewidth\\hangafter=1\\relax"
    )
    if node["header"]:
        self.body.append("\\small\\bfseries ")


def depart_review_grid_row_latex(self: LaTeXTranslator, node: review_grid_row) -> None:
    """End the row's paragraph."""
    self.body.append("\\par\\endgroup\\smallskip\n")


def visit_review_grid_cell_latex(self: LaTeXTranslator, node: review_grid_cell) -> None:
    """The term: a top-aligned box a third of the line wide."""
    if node["first"]:
        self.body.append("\\makebox[0.33\\linewidth][l]{\\parbox[t]{0.3\\linewidth}{\\raggedright ")


def depart_review_grid_cell_latex(self: LaTeXTranslator, node: review_grid_cell) -> None:
    """Close the term's box."""
    if node["first"]:
        self.body.append("}}")


def visit_review_anchor_latex(self: LaTeXTranslator, node: review_anchor) -> None:
    """The label of the exercise's id in the current document."""
    self.body.append(self.hypertarget(node["refid"], anchor=True))
    raise nodes.SkipNode


def skip(self: Any, node: nodes.Element) -> None:
    """Formats without a visitor of their own show nothing of the node."""
    raise nodes.SkipNode


#: LaTeX for the space to write: lines across the text width, boxes in a row.
LATEX_REVIEW_PREAMBLE = r"""
\newenvironment{bookreviewspace}{\par\small\itshape}{\par}
\newcount\bookreviewcount
\newcommand{\bookreviewlines}[1]{\par\nobreak\bookreviewcount=#1\relax
  \loop\ifnum\bookreviewcount>0
    \noindent\rule{0pt}{2.1em}\textcolor[gray]{0.55}{\rule{\linewidth}{0.4pt}}\par\nobreak
    \advance\bookreviewcount by -1\repeat\medskip}
\newcommand{\bookreviewboxes}[1]{\par\nobreak\medskip\noindent\bookreviewcount=0
  \loop\ifnum\bookreviewcount<#1\advance\bookreviewcount by 1
    \mbox{\small\the\bookreviewcount\,\fbox{\rule{0pt}{1.3em}\hspace{1.6em}}}\hspace{1.4em}\repeat
  \par\medskip}
"""


def add_review_preamble(app: Sphinx, config: Config) -> None:
    """Give LaTeX the commands of :data:`LATEX_REVIEW_PREAMBLE`."""
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + LATEX_REVIEW_PREAMBLE
    config.latex_elements = elements


def drop_exercise_css_from_epub(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """EPUB pages do without sphinx-exercise's stylesheet.

    It draws icons with an icon font the EPUB lacks, and the extension copies it
    only after the EPUB is packed, so a link to it would point at nothing.
    """
    if app.builder.name == "epub" and "css_files" in context:
        context["css_files"] = [
            css
            for css in context["css_files"]
            if not str(getattr(css, "filename", css)).endswith("exercise.css")
        ]


def keep_answer_links_quiet(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """A link to the answer key in a build without it (HTML, student PDF) is no error.

    Such links stand in ``{only} builder_epub or teacher`` blocks, which Sphinx
    removes only after it resolved the references (and warned about them).
    """
    inside_only = any(isinstance(parent, addnodes.only) for parent in _parents(node))
    target = str(node.get("reftarget", ""))
    if inside_only and target.startswith(ANSWER_PREFIX) and ANSWER_KEY not in env.found_docs:
        return contnode
    return None


def _parents(node: nodes.Node) -> Iterator[nodes.Element]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def setup_review(app: Sphinx) -> None:
    """Register the directives, nodes and transforms.

    :param app: the Sphinx application
    """
    app.add_directive("review-choices", ReviewChoicesDirective)
    app.add_directive("review-items", ReviewChoicesDirective)
    app.add_directive("review-lines", ReviewSpaceDirective)
    app.add_directive("review-boxes", ReviewSpaceDirective)
    app.add_node(review_choices, html=(visit_review_choices_html, depart_review_choices_html))
    app.add_node(review_option, html=(visit_review_option_html, depart_review_option_html))
    app.add_node(
        review_space,
        html=(skip, None),
        latex=(visit_review_space_latex, depart_review_space_latex),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_node(review_anchor, latex=(visit_review_anchor_latex, None))
    app.add_node(review_grid, latex=(visit_review_grid_latex, depart_review_grid_latex))
    app.add_node(review_grid_row, latex=(visit_review_grid_row_latex, depart_review_grid_row_latex))
    app.add_node(
        review_grid_cell, latex=(visit_review_grid_cell_latex, depart_review_grid_cell_latex)
    )
    app.add_post_transform(MatchingGridTransform)
    app.add_node(review_toggle, html=(visit_review_toggle_html, depart_review_toggle_html))
    app.add_post_transform(ChoicesHtmlTransform)
    app.add_post_transform(SolutionToggleTransform)
    app.add_post_transform(ExerciseAnchorTransform)
    app.add_post_transform(UniqueIdsTransform)
    app.connect("config-inited", add_review_preamble)
    app.connect("html-page-context", drop_exercise_css_from_epub, priority=900)
    app.connect("missing-reference", keep_answer_links_quiet)
