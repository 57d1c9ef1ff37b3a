"""Rendering MyST: snapshots of the generated pages, and text kept as data."""

from __future__ import annotations

import pytest
from conftest import MINIMAL
from pytest_regressions.file_regression import FileRegressionFixture

from build_tools.article.model import Inline, Paragraph
from build_tools.article.render import escape, render_block, render_chapter, render_introduction
from build_tools.article.seed import parse_seed


def test_chapter_snapshot(seed_text: str, file_regression: FileRegressionFixture) -> None:
    chapter = parse_seed(seed_text).chapters[3]  # the chapter with the forces table
    file_regression.check(render_chapter(chapter), extension=".md")


def test_introduction_snapshot(seed_text: str, file_regression: FileRegressionFixture) -> None:
    file_regression.check(render_introduction(parse_seed(seed_text)), extension=".md")


def test_minimal_chapter_snapshot(file_regression: FileRegressionFixture) -> None:
    file_regression.check(render_chapter(parse_seed(MINIMAL).chapters[0]), extension=".md")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{raw}`html` <b>", "\\{raw\\}\\`html\\` \\<b\\>"),
        ("1950. The war", "1950\\. The war"),
        ("- not a list", "\\- not a list"),
        ("$13 billion", "\\$13 billion"),
        ("\\input{x}", "\\\\input\\{x\\}"),
        ("Kim Il-sung, 25 (a); 'b'", "Kim Il-sung, 25 (a); 'b'"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_inline_markup_is_rendered_safely() -> None:
    paragraph = Paragraph(
        (
            Inline("strong", "bold"),
            Inline("text", " and "),
            Inline("code", "a`b"),
            Inline("text", " "),
            Inline("link", "a site", "https://example.org/a b"),
        ),
        1,
    )
    assert render_block(paragraph) == ("**bold** and ``a`b`` [a site](<https://example.org/a%20b>)")
