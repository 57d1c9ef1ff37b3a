"""The escaping layer (build_tools/util/markup.py), and a scan of the renderers' source.

The scan reads every module that writes MyST or GIFT and fails where an f-string,
a ``+`` or ``.format`` puts a text field of the model (a title, a prompt, a
definition...) into markup without one of the typed helpers around it.
"""

from __future__ import annotations

import ast
import unicodedata

import pytest
from myst_parser.parsers.options import options_to_items

from build_tools.pipeline.config import ROOT
from build_tools.sphinx_ext.latex import latex_text
from build_tools.util.markup import (
    LINE_SEPARATORS,
    gift_match_left,
    gift_text,
    myst_argument,
    myst_option,
    myst_ref,
    myst_role,
    myst_text,
    one_line,
    role_safe,
    term_link,
    typst_string,
    typst_text,
    xml_chars,
    yaml_value,
)

HOSTILE = "a #1 :b: {c} `d` <e> \\f \"g\" 'h' %i $j$ [k](l) \u2028m\u2029n\x85o"


def test_one_line() -> None:
    assert one_line("a\nb\r\nc\u2028d\u2029e\x85f\vg\x00h\ti") == "a b c d e f gh i"


def test_one_line_drops_every_control_character_and_no_other() -> None:
    for code in range(0x3000):
        char = chr(code)
        if char in "\t\n\r" or char in LINE_SEPARATORS:
            assert one_line(f"a{char}b") == "a b", hex(code)
        elif unicodedata.category(char) == "Cc":
            assert one_line(f"a{char}b") == "ab", hex(code)
        else:
            assert one_line(f"a{char}b") == f"a{char}b", hex(code)


def test_myst_text_escapes_and_keeps_lines() -> None:
    text = myst_text(HOSTILE)
    assert "\n" not in text
    assert "\u2028" not in text
    assert "&#x2028;" in text
    assert "&#x2029;" in text
    assert "\\#1" in text
    assert "\\{c\\}" in text
    for start in ["%x", "1. x", "- x", "+ x", "(x)=", "> x", "# x", "| x"]:
        assert myst_text(start)[0] == "\\" or myst_text(start)[1] == "\\", start


def test_myst_option_reads_back_whole() -> None:
    value = myst_option(HOSTILE)
    assert "\n" not in value
    items, state = options_to_items(f"alt: {value}\nname: x")
    assert not state.has_comments
    assert dict(items) == {"alt": HOSTILE, "name": "x"}


def test_myst_argument_is_one_line() -> None:
    assert "\n" not in myst_argument("a\nb")
    assert myst_argument(" a ") == "a"


def test_roles() -> None:
    assert myst_role("ref", "a ` b <x>") == "{ref}``a ` b <x>``"
    assert myst_ref("Plain title", "sec-x") == "{ref}`Plain title <sec-x>`"
    assert myst_ref("a <b>", "sec-x") == "[a \\<b\\>](sec-x)"
    assert myst_ref(" spaced", "sec-x").startswith("[")
    assert not role_safe("x\u2028y")
    assert term_link("a <b", "a <b") == "a \\<b"
    assert term_link("KPA", "Korean People's Army") == "{term}`KPA <Korean People's Army>`"
    with pytest.raises(ValueError, match="role"):
        myst_role("ref", "a\nb")


def test_yaml_value_reads_back() -> None:
    import yaml

    assert yaml.safe_load(f"key: {yaml_value(HOSTILE)}") == {"key": HOSTILE}


def test_gift() -> None:
    assert gift_text("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    assert gift_text("a\nb\u2028c") == "a\\nb\\nc"
    assert "->" not in gift_match_left("x -> y")


def test_latex_text_uses_sphinx_escaping() -> None:
    assert latex_text("50% & #1 \\x {y}\u2028z") == r"50\% \& \#1 \textbackslash{}x \{y\} z"


def test_xml_chars() -> None:
    assert xml_chars("a\x00b\x0bc\td\u2028") == "abc\td\u2028"


# -- the scan -------------------------------------------------------------------------------------

#: The modules that write MyST or GIFT from the model.
RENDERERS = [
    "article/render.py",
    "chronology/page.py",
    "glossary/page.py",
    "glossary/linking.py",
    "exercises/myst.py",
    "exercises/review.py",
    "exercises/answers.py",
    "classroom/teacher.py",
    "classroom/worksheet_content.py",
    "exports/lms.py",
]
#: Calls whose string arguments are plain text or already markup: the typed helpers (and
#: their thin wrappers in the renderers), and exceptions (messages are not markup).
HELPERS = {
    "myst_text", "myst_argument", "myst_option", "myst_role", "myst_ref", "myst_code",
    "term_link", "escape", "escape_myst", "quote", "ref", "choice_list", "option_value",
    "gift_text", "gift_escape", "gift_match_left", "gift_comment", "one_line", "xml_chars",
    "text", "BuildError", "ValueError",
}  # fmt: skip
#: Functions that build plain text (which a helper escapes where it is used).
PLAIN_TEXT = {
    "chronology/page.py": {"timeline_alt_text", "timeline_caption"},
    "glossary/page.py": {"render_glossary_json"},  # JSON, written by the json module
    "glossary/linking.py": {"unlinked_terms"},  # messages
    "classroom/worksheet_content.py": {"key_note"},  # escaped where it is used
    "exports/lms.py": {  # XML texts (ElementTree escapes them)
        "category_path", "grader_info", "qti_prompt", "qti_pairs", "_qti_item",
        "_moodle_question",
    },
}  # fmt: skip
#: The model's text fields, and parameter names that hold raw text.
TEXT_FIELDS = {
    "title", "text", "prompt", "caption", "definition", "term", "native", "source",
    "explanation", "correction", "model_answer", "guidance", "subject", "description",
    "author", "publisher", "chapter_title", "section", "date_text", "sentence",
}  # fmt: skip
TEXT_NAMES = {"title", "text", "heading", "caption", "prompt", "definition", "alt"}
#: Reviewed exceptions: (module, expression), each with its reason.
ALLOWED = {
    # a literal block: fenced by more backticks than the text holds, shown verbatim
    ("article/render.py", "block.text"),
    # "Exercise 3.4": our numbering, the legend argument of our review-choices directive
    ("exercises/review.py", "exercise.title"),
}


def _raw_text(expression: ast.expr) -> str | None:
    """The first model text field read by ``expression`` outside a helper call, if any."""
    if isinstance(expression, ast.Call) and _name(expression.func) in HELPERS:
        return None
    if isinstance(expression, ast.Attribute) and expression.attr in TEXT_FIELDS:
        return ast.unparse(expression)
    if isinstance(expression, ast.Name) and expression.id in TEXT_NAMES:
        return expression.id
    for child in ast.iter_child_nodes(expression):
        if isinstance(child, ast.expr) and (found := _raw_text(child)):
            return found
    return None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def scan(source: str, module: str = "") -> list[str]:
    """Every place where markup is built around a raw model text.

    :param source: a module's source
    :param module: its path under ``build_tools/`` (for the allowlists)
    :return: ``line: expression`` for each place
    """
    found: list[str] = []
    plain = PLAIN_TEXT.get(module, set())

    def visit(node: ast.AST, *, skip: bool) -> None:
        if isinstance(node, ast.FunctionDef) and node.name in plain:
            return
        if isinstance(node, ast.Call) and _name(node.func) in HELPERS:
            skip = True  # what goes in is plain text, escaped by the call
        if not skip:
            values: list[ast.expr] = []
            if isinstance(node, ast.JoinedStr):
                values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                values = [node.left, node.right]
            elif isinstance(node, ast.Call) and _name(node.func) == "format":
                values = [*node.args, *(keyword.value for keyword in node.keywords)]
            for value in values:
                raw = _raw_text(value)
                if raw and (module, raw) not in ALLOWED:
                    found.append(f"{getattr(node, 'lineno', 0)}: {raw}")
        for child in ast.iter_child_nodes(node):
            visit(child, skip=skip)

    visit(ast.parse(source), skip=False)
    return found


@pytest.mark.parametrize("module", RENDERERS)
def test_no_renderer_puts_raw_text_into_markup(module: str) -> None:
    source = (ROOT / "build_tools" / module).read_text(encoding="utf-8")
    assert scan(source, module) == []


@pytest.mark.parametrize(
    "snippet",
    [
        'f"# {chapter.title}"',
        'f":alt: {alt}"',
        '"## " + section.title',
        '"{{ref}}`{}`".format(place.title)',
        'f"- {escape(a)}: {event.subject}"',
        'f"{{ref}}`{title} <{label}>`"',
    ],
)
def test_the_scan_finds_raw_text(snippet: str) -> None:
    assert scan(snippet) != []


@pytest.mark.parametrize(
    "snippet",
    [
        'f"# {escape(chapter.title)}"',
        'f"({chapter.label})="',
        "myst_ref(f'Answer to {x.title}', y)",
    ],
)
def test_the_scan_passes_escaped_text(snippet: str) -> None:
    assert scan(snippet) == []


def test_allowlist_is_small_and_used() -> None:
    assert len(ALLOWED) <= 5
    for module, expression in ALLOWED:
        source = (ROOT / "build_tools" / module).read_text(encoding="utf-8")
        assert expression in source


def test_typst() -> None:
    # checked once by compiling with PyPI's typst 0.x and reading the PDF back (the Typst
    # builder's own tests compile); here: every special character escaped, one line
    text = typst_text('a #b $c$ *d* _e_ `f` <g> @h [i] // j = k - l \\ m "n"\u2028o')
    assert text == (
        'a \\#b \\$c\\$ \\*d\\* \\_e\\_ \\`f\\` \\<g\\> \\@h \\[i\\] \\/\\/ j \\= k \\- l \\\\ m \\"n\\" o'
    )
    assert typst_string('a"b\\c\u2028d') == '"a\\"b\\\\c\\u{2028}d"'
