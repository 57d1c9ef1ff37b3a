"""The parser: the seed's shape, repairs, and errors with line numbers."""

from __future__ import annotations

import pytest
from conftest import MINIMAL
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.article.model import Article, Paragraph, Table
from build_tools.article.seed import decode_source, parse_seed, slugify
from build_tools.util.errors import BuildError


def test_seed_shape(seed_text: str) -> None:
    article = parse_seed(seed_text, source="korean-war.md")
    assert article.title == "Korean War"
    assert len(article.lead) == 3
    assert len(article.chapters) == 8
    assert sum(len(chapter.sections) for chapter in article.chapters) == 27
    assert len(article.tables) == 2
    assert [chapter.title for chapter in article.chapters][:3] == [
        "Historical Background",
        "Origins and Outbreak of War",
        "Course of the War",
    ]
    assert [chapter.number for chapter in article.chapters] == list(range(1, 9))
    assert article.warnings == ()


def test_sections_in_order_with_lines(seed_text: str) -> None:
    article = parse_seed(seed_text)
    lines = [s.line for c in article.chapters for s in c.sections]
    assert lines == sorted(lines)
    first = article.chapters[0].sections[0]
    assert first.line == 11
    assert first.title.startswith("Japanese Colonial Rule")


def test_tables_have_headers_rows_and_captions(seed_text: str) -> None:
    forces, losses = parse_seed(seed_text).tables
    assert forces.header[0] == "Belligerent"
    assert len(forces.header) == 5
    assert len(forces.rows) == 3
    assert forces.caption == "Comparison of Belligerent Strengths and Preparations"
    assert losses.header == (
        "Side",
        "Military Deaths (Estimate)",
        "Civilian Deaths (Estimate)",
    )
    assert losses.line == 183


def test_unicode_escape_repaired(seed_text: str) -> None:
    forces = parse_seed(seed_text).tables[0]
    assert forces.rows[1][1] == "ROK: 98,000; U.S.: <10,000 in theater"
    assert "\\u003c" not in str(parse_seed(seed_text))


def test_spaces_collapse() -> None:
    article = parse_seed(MINIMAL.replace("A paragraph of", "A   paragraph    of"))
    paragraph = article.chapters[0].sections[0].blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == "A paragraph of the first section."


def test_labels_are_stable_and_unique() -> None:
    text = MINIMAL.replace("### Closing Section", "### Opening Section")
    article = parse_seed(text)
    labels = [s.label for c in article.chapters for s in c.sections]
    assert labels == ["sec-opening-section", "sec-opening-section-2"]
    assert any("repeats the one on line" in warning for warning in article.warnings)
    assert parse_seed(text).chapters == article.chapters


def test_slugify() -> None:
    assert slugify("Soviet Union's Covert Role (1945–1948)") == (
        "soviet-unions-covert-role-1945-1948"
    )
    assert slugify("한국 전쟁") == ""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the article is empty"),
        ("# Title\n\nOnly a lead.\n", 1, "no '##' chapters"),
        ("Intro first.\n\n## Chapter\n\nText.\n", 1, "no '#' title"),
        ("# T\n\n### Section\n\nText.\n", 3, "a heading level is skipped"),
        ("# T\n\n## Chapter\n\n#### Deep\n\nText.\n", 5, "deeper than a section"),
        ("# T\n\n## Empty\n\n## Full\n\nText.\n", 3, "chapter 'Empty' is empty"),
        ("# T\n\n## C\n\n### S\n\n### S2\n\nText.\n", 5, "section 'S' is empty"),
        ("# T\n\n## C\n\n- a list\n- item\n", 5, "a bulleted list is not supported"),
        ("# T\n\n## C\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", 7, "has 3 cells"),
        ("# T\n\n# Again\n\n## C\n\nText.\n", 3, "a second '#' title"),
    ],
)
def test_shape_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        parse_seed(text, source="bad.md")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"bad.md:{line}: ")


def test_ragged_short_row_is_a_warning() -> None:
    article = parse_seed("# T\n\n## C\n\n| a | b |\n|---|---|\n| 1 |\n")
    table = article.chapters[0].blocks[0]
    assert isinstance(table, Table)
    assert table.rows == (("1", ""),)
    assert "7: this table row has 1 cells" in article.warnings[0]


def test_decode_bom_crlf_and_invalid_utf8() -> None:
    assert decode_source(b"\xef\xbb\xbf# T\r\n\r\nx\r\n", path="a.md") == "# T\n\nx\n"
    with pytest.raises(BuildError) as caught:
        decode_source(b"# T\n\nok\nbad \xff here\n", path="a.md")
    assert caught.value.line == 4
    assert "byte 5 of the line" in caught.value.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_gives_a_model_or_our_error(text: str) -> None:
    try:
        result = parse_seed(text)
    except BuildError as err:
        assert err.line is None or err.line >= 0
    else:
        assert isinstance(result, Article)
        assert result.chapters
