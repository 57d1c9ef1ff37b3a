"""The teacher's guide: reading times, levels of thinking, terms introduced, file links."""

from __future__ import annotations

import re

import pytest
import test_exercises

from build_tools.article.model import Article
from build_tools.article.seed import parse_seed
from build_tools.chronology.extract import extract_chronology
from build_tools.classroom.teacher import (
    ClassroomFiles,
    chapter_words,
    introduced_terms,
    reading_minutes,
    render_teacher_page,
)
from build_tools.exercises.part import ExercisePart, make_exercise_part
from build_tools.glossary.part import GlossaryPart

# the small book of the exercise tests: its article and glossary fixtures
article = test_exercises.article
glossary = test_exercises.glossary


@pytest.fixture(scope="module")
def part(article: Article, glossary: GlossaryPart) -> ExercisePart:
    events = extract_chronology(article)
    return make_exercise_part(
        [(test_exercises.EXERCISES, test_exercises.PATH)],
        article=article,
        chronology=events,
        glossary=glossary,
        worksheets={1: "worksheets/small-ch01-worksheet.pdf"},
    )


FILES = ClassroomFiles(
    chapters={1: ("worksheets/small-ch01-worksheet.pdf", "worksheets/small-ch01-key.pdf")},
    book=(("all worksheets", "worksheets/small-worksheets.pdf"),),
    quizzes=(("Moodle XML", "lms/small-moodle.xml"),),
    posters=(("A3", "posters/small-timeline-a3.pdf"),),
)


def test_reading_time_counts_text_and_tables(article: Article) -> None:
    campaign = article.chapters[0]
    paragraphs = sum(
        len(block.text.split())
        for section in campaign.sections
        for block in section.blocks
        if hasattr(block, "inlines")
    )
    assert chapter_words(campaign) > paragraphs  # the table's cells count too
    assert reading_minutes(0) == 1
    assert reading_minutes(200) == 1
    assert reading_minutes(201) == 2


def test_terms_are_introduced_once(article: Article, glossary: GlossaryPart) -> None:
    introduced = [introduced_terms(glossary.usage, chapter) for chapter in article.chapters]
    everything = [term for terms in introduced for term in terms]
    assert len(everything) == len(set(everything))
    # the lead names the Northern Army first: no chapter introduces it
    assert "Northern Army" not in everything
    assert "Inchon" in introduced[0]


def test_page_lists_sections_levels_and_files(
    article: Article, glossary: GlossaryPart, part: ExercisePart
) -> None:
    page = render_teacher_page(article, part.exercises, glossary.usage, FILES)
    assert page.startswith("(teacher-guide)=\n# Teacher's guide")
    campaign = page[page.index("## Chapter 1") : page.index("## Chapter 2")]
    assert "about 1 min" in campaign
    # every section of the chapter is a row, with its exercises and their levels
    opening = next(line for line in campaign.splitlines() if "Opening Moves" in line)
    assert "remember" in opening and "apply" in opening
    landing = next(line for line in campaign.splitlines() if "The Landing" in line)
    assert "understand" in landing and "evaluate" in landing
    assert "{book-file}`worksheet <worksheets/small-ch01-worksheet.pdf>`" in campaign
    assert "{book-file}`teacher key <worksheets/small-ch01-key.pdf>`" in campaign
    assert "{term}`Inchon`" in campaign
    # the chapter without exercises has no file links and no table
    aftermath = page[page.index("## Chapter 2") :]
    assert "book-file" not in aftermath and "| Section |" not in aftermath
    for path in ("lms/small-moodle.xml", "posters/small-timeline-a3.pdf"):
        assert f"<{path}>" in page


def test_review_links_the_worksheet_in_html_only(part: ExercisePart) -> None:
    review = next(iter(part.reviews.values()))
    html_only = re.search(r":::\{only\} builder_html\n\n(.*?)\n:::", review, re.DOTALL)
    assert html_only is not None
    assert "<worksheets/small-ch01-worksheet.pdf>" in html_only.group(1)
    assert review.count("small-ch01-worksheet.pdf") == 1


def test_hostile_titles_are_escaped() -> None:
    hostile = parse_seed(
        "# T\n\nLead.\n\n## <script>alert(1)</script> {raw}`x`\n\n### S\n\nText.\n"
    )
    page = render_teacher_page(hostile, (), (), ClassroomFiles())
    heading = next(line for line in page.splitlines() if line.startswith("## Chapter 1"))
    assert "{raw}`x`" not in heading
    assert "\\<script\\>" in heading
