"""Review exercises: the checks, generated kinds, the rendered review, exports, a browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from build_tools.article.model import Article
from build_tools.article.seed import parse_seed
from build_tools.checks.browser import launch as launch_chromium
from build_tools.chronology.extract import extract_chronology
from build_tools.exercises.check import parse_exercises
from build_tools.exercises.generate import generate_matching, generate_ordering
from build_tools.exercises.model import KINDS, Exercise
from build_tools.exercises.part import ExercisePart, make_exercise_part
from build_tools.exercises.schema import SCHEMA
from build_tools.glossary.part import GlossaryPart, make_glossary_part
from build_tools.pipeline.build import run_build
from build_tools.pipeline.config import BuildConfig
from build_tools.pipeline.inputs import book_info
from build_tools.pipeline.render import render_book
from build_tools.util.errors import BuildError

ARTICLE = """# A Small War

The war began on June 25, 1950, when the Northern Army crossed the border.

## The Campaign

### Opening Moves

The Northern Army crossed the river on June 25, 1950, at dawn. Seoul fell on June 28, 1950, \
after three days of fighting. The Southern Army held the port of Pusan from August 4, 1950.

### The Landing

General Smith landed at Inchon on September 15, 1950, behind the front. The Southern Army \
recaptured Seoul on September 28, 1950, after a week of street fighting. An armistice was \
signed at Panmunjom on July 27, 1953, and the guns fell silent.

| Side | Troops |
|---|---|
| North | 135,000 soldiers at the start of the war |
| South | 98,000 soldiers at the start of the war |

## The Aftermath

### Counting the Dead

Estimates of the dead range from one million to three million people, because many records \
were lost in the fighting.
"""

GLOSSARY = """terms:
  - term: Northern Army
    category: organisation
    definition: The army of the North, which crossed the border in 1950.
    source: The Northern Army crossed the river on June 25, 1950
  - term: Southern Army
    category: organisation
    definition: The army of the South, which held the last port.
    source: The Southern Army held the port of Pusan
  - term: Seoul
    category: place
    definition: The capital city, taken twice in 1950.
    source: Seoul fell on June 28, 1950
  - term: Pusan
    category: place
    definition: The port in the south-east that the defenders held.
    source: The Southern Army held the port of Pusan
  - term: Inchon
    category: place
    definition: The port where General Smith landed behind the front.
    source: General Smith landed at Inchon on September 15, 1950
"""

# line numbers matter: the checks below name them
EXERCISES = """chapter: The Campaign
exercises:
  - id: campaign-seoul
    kind: multiple-choice
    section: Opening Moves
    level: remember
    prompt: When did Seoul fall?
    options:
      - text: 28 June 1950
        correct: true
      - text: 25 June 1950
      - text: 15 September 1950
      - text: 28 September 1950
    explanation: Seoul fell three days after the crossing.
    source: "Seoul fell on June 28, 1950, after three days of fighting."
  - id: campaign-landing
    kind: true-false
    section: The Landing
    level: understand
    statement: General Smith landed at Pusan.
    answer: false
    correction: He landed at Inchon, behind the front.
    source: "General Smith landed at Inchon on September 15, 1950, behind the front."
  - id: campaign-retreat
    kind: short-answer
    section: Opening Moves
    level: apply
    prompt: Why did the Southern Army fall back to Pusan?
    model_answer: It lost Seoul after three days and held the port from August.
    marking_points:
      - Seoul fell after three days
      - The port of Pusan was held from August
    lines: 3
    source: "The Southern Army held the port of Pusan from August 4, 1950."
  - id: campaign-troops
    kind: source-analysis
    section: The Landing
    level: evaluate
    prompt: What do these troop numbers leave out?
    guidance: A good answer asks who counted and when.
    model_answer: They give numbers at the start only, not later reinforcements.
    lines: 4
    source: "135,000 soldiers at the start of the war"
"""
PATH = "exercises/small/01-the-campaign.yaml"


@pytest.fixture(scope="module")
def article() -> Article:
    return parse_seed(ARTICLE)


@pytest.fixture(scope="module")
def glossary(article: Article) -> GlossaryPart:
    return make_glossary_part(GLOSSARY, path="small.glossary.yaml", article=article, title="A")


@pytest.fixture(scope="module")
def part(article: Article, glossary: GlossaryPart) -> ExercisePart:
    events = extract_chronology(article)
    return make_exercise_part(
        [(EXERCISES, PATH)], article=article, chronology=events, glossary=glossary
    )


def _line_of(text: str, marker: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if marker in line)


def test_fixture_parses(article: Article) -> None:
    exercises = parse_exercises(EXERCISES, path=PATH, article=article)
    assert [e.kind for e in exercises] == [
        "multiple-choice",
        "true-false",
        "short-answer",
        "source-analysis",
    ]
    seoul = exercises[0]
    assert (seoul.chapter, seoul.section, seoul.level, seoul.line) == (
        1,
        "Opening Moves",
        "remember",
        3,
    )
    assert seoul.place.label == "sec-opening-moves"
    # shown in a fixed shuffled order: the answer is not always first
    assert seoul.options[seoul.correct_index].text == "28 June 1950"
    assert seoul.correct_index != 0
    years = EXERCISES.replace("28 June 1950", "1950").replace("25 June 1950", "1953")
    years = years.replace("15 September 1950", "1,949").replace("28 September 1950", "1951")
    shown = parse_exercises(years, path=PATH, article=article)[0].options
    assert [o.text for o in shown] == ["1,949", "1950", "1951", "1953"]  # numbers in order
    assert exercises[3].place.title == "The Landing"  # a table cell's quote


# each case: (old text, new text, marker of the expected line, expected message part)
BAD = [
    (
        "    level: remember\n",
        "    level: remember\n    difficulty: easy\n",
        "difficulty",
        "unknown field 'difficulty'",
    ),
    ("kind: short-answer", "kind: essay", "kind: essay", "unknown kind 'essay'"),
    ("kind: short-answer", "kind: matching", "kind: matching", "made by the pipeline"),
    ("        correct: true\n", "", "    options:", "exactly one option must have `correct: true`"),
    (
        "      - text: 25 June 1950\n",
        "      - text: 28 June 1950\n",
        "      - text: 28 June 1950\n      - text: 15",
        "the same as the one on line",
    ),
    ("      - text: 28 September 1950\n", "", "    options:", "exactly 4 options, not 3"),
    (
        'after three days of fighting."',
        'after four days of fighting."',
        "four days",
        "source quote is not found",
    ),
    ("chapter: The Campaign", "chapter: The Campain", "chapter:", "did you mean 'The Campaign'?"),
    (
        "section: The Landing\n    level: understand",
        "section: The Landings\n    level: understand",
        "The Landings",
        "has no section 'The Landings'",
    ),
    (
        "id: campaign-troops",
        "id: campaign-seoul",
        "id: campaign-seoul\n    kind: source",
        "already used on line 3",
    ),
    ("    answer: false\n", "    answer: maybe\n", "answer: maybe", "must be true or false"),
    (
        "    correction: He landed at Inchon, behind the front.\n",
        "",
        "answer: false",
        "needs `correction:`",
    ),
    ("    lines: 3\n", "    lines: 12\n", "lines: 12", "between 2 and 8"),
    (
        "    explanation: Seoul fell three days after the crossing.\n",
        "",
        "id: campaign-seoul",
        "needs `explanation:`",
    ),
]


@pytest.mark.parametrize(("old", "new", "marker", "message"), BAD)
def test_checks_name_the_file_and_line(
    article: Article, old: str, new: str, marker: str, message: str
) -> None:
    assert old in EXERCISES
    text = EXERCISES.replace(old, new, 1)
    with pytest.raises(BuildError) as caught:
        parse_exercises(text, path=PATH, article=article)
    assert caught.value.path == PATH
    first = marker.split("\n", maxsplit=1)[0]
    expected = (
        _line_of(text, first) if "\n" not in marker else text[: text.index(marker)].count("\n") + 1
    )
    assert caught.value.line == expected, str(caught.value)
    assert message in caught.value.message


ORDERING = """chapter: The Campaign
exercises:
  - id: campaign-order
    kind: ordering
    section: The Landing
    level: understand
    prompt: Put these in order.
    events:
      - text: Seoul falls
        date: 1950-06-28
      - text: The landing
        date: 1950-09-15
      - text: The armistice
      - text: Seoul retaken
        date: 1950-09-28
    source: "General Smith landed at Inchon on September 15, 1950, behind the front."
"""


def test_ordering_events_need_dates(article: Article) -> None:
    with pytest.raises(BuildError) as caught:
        parse_exercises(ORDERING, path=PATH, article=article)
    assert caught.value.line == _line_of(ORDERING, "The armistice")
    assert "has no date" in caught.value.message
    dated = ORDERING.replace(
        "      - text: The armistice\n", "      - text: The armistice\n        date: 1953-07-27\n"
    )
    exercise = parse_exercises(dated, path=PATH, article=article)[0]
    assert [item.text for item in exercise.items] == [
        "Seoul falls",
        "The landing",
        "Seoul retaken",
        "The armistice",
    ]
    assert [exercise.items[i].text for i in exercise.shown][:2] == ["Seoul falls", "The landing"]
    overlapping = dated.replace("date: 1950-09-15", "date: 1950-09")
    with pytest.raises(BuildError, match="overlaps"):
        parse_exercises(overlapping, path=PATH, article=article)


def test_duplicate_ids_across_files(article: Article) -> None:
    with pytest.raises(BuildError) as caught:
        make_exercise_part([(EXERCISES, PATH), (EXERCISES, "other.yaml")], article=article)
    assert (caught.value.path, caught.value.line) == ("other.yaml", 3)
    assert f"already used in {PATH}:3" in caught.value.message


def test_not_yaml(article: Article) -> None:
    with pytest.raises(BuildError) as caught:
        parse_exercises("chapter: [unclosed\n", path=PATH, article=article)
    assert caught.value.path == PATH and caught.value.line is not None


def test_generated_ordering(article: Article) -> None:
    events = extract_chronology(article)
    ordering = generate_ordering(article, events, article.chapters[0])
    assert ordering is not None
    assert 4 <= len(ordering.items) <= 6
    dates = [item.date for item in ordering.items]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    assert list(ordering.shown) != sorted(ordering.shown)
    for item in ordering.items:
        assert item.source in ARTICLE.replace("\\\n", "")
        assert not re.search(r"\b1950\b|June|September", item.text)  # no date gives it away
    assert ordering.generated and ordering.level == "understand"
    # the same input gives the same exercise
    assert generate_ordering(article, events, article.chapters[0]) == ordering
    # a chapter without four dated events gets none
    assert generate_ordering(article, events, article.chapters[1]) is None


def test_generated_matching(article: Article, glossary: GlossaryPart) -> None:
    matching = generate_matching(article, glossary, article.chapters[0])
    assert matching is not None
    assert {pair.term for pair in matching.pairs} == {
        "Northern Army",
        "Southern Army",
        "Seoul",
        "Pusan",
        "Inchon",
    }
    assert all("Inchon" not in pair.definition for pair in matching.pairs)  # masked: "…"
    assert generate_matching(article, glossary, article.chapters[1]) is None


def test_generated_matching_leaves_out_a_second_term_of_the_same_sentence(
    article: Article, glossary: GlossaryPart
) -> None:
    """Two terms defined by one sentence (as drafted definitions are) cannot be told apart.

    (Pusan and the Southern Army share a source sentence but not a definition: both stay.)
    """
    from dataclasses import replace

    # one sentence defines both: shown, each masks its own name and they still read alike
    sentence = "Pusan and Inchon were the two ports of the war."
    terms = tuple(
        replace(term, definition=sentence) if term.term in {"Pusan", "Inchon"} else term
        for term in glossary.glossary.terms
    )
    same = replace(glossary, glossary=replace(glossary.glossary, terms=terms))
    matching = generate_matching(article, same, article.chapters[0])
    assert matching is not None
    chosen = {pair.term for pair in matching.pairs}
    assert chosen == {"Northern Army", "Southern Army", "Seoul", "Pusan"}  # not Inchon too


def test_part_numbers_and_kinds(part: ExercisePart) -> None:
    kinds = [e.kind for e in part.exercises]
    assert sorted(kinds, key=KINDS.index) == kinds
    assert set(kinds) == set(KINDS)
    assert [e.title for e in part.exercises][:2] == ["Exercise 1.1", "Exercise 1.2"]
    assert list(part.reviews) == ["01-the-campaign"]
    assert "exercises: 6 (" in part.summary


def test_review_snapshot(part: ExercisePart, file_regression: FileRegressionFixture) -> None:
    file_regression.check(part.reviews["01-the-campaign"], extension=".md")


def test_answer_key_snapshot(part: ExercisePart, file_regression: FileRegressionFixture) -> None:
    file_regression.check(part.answer_key, extension=".md")


def test_hostile_text_stays_text(article: Article) -> None:
    text = EXERCISES.replace(
        "prompt: When did Seoul fall?", 'prompt: "When did Seoul fall? {raw}`html` <b>x</b> $y$"'
    )
    part = make_exercise_part([(text, PATH)], article=article)
    review = part.reviews["01-the-campaign"]
    assert r"When did Seoul fall? \{raw\}\`html\` \<b\>x\</b\> \$y\$" in review
    assert "<b>" not in review


def test_exports(part: ExercisePart) -> None:
    data = json.loads(part.exports["exercises.json"])
    assert data["count"] == len(part.exercises) == len(data["exercises"])
    first = data["exercises"][0]
    for key in (
        "id",
        "number",
        "kind",
        "prompt",
        "options",
        "answer",
        "chapter",
        "section",
        "level",
        "source",
    ):
        assert key in first
    assert first["number"] == "1.1" and first["answer"] == "28 June 1950"
    tf = next(e for e in data["exercises"] if e["kind"] == "true-false")
    assert tf["answer"] is False and tf["correction"].startswith("He landed")
    coverage = part.exports["exercise-coverage.txt"]
    assert "Chapter 1: The Campaign (6 exercises)" in coverage
    assert "Chapter 2: The Aftermath (0 exercises)" in coverage
    assert re.search(r"Counting the Dead|no exercises", coverage)
    assert "apply" in coverage and "evaluate" in coverage


def test_schema_is_documented() -> None:
    readme = (Path(__file__).parent.parent / "exercises" / "README.md").read_text()
    for kind, fields in SCHEMA.items():
        assert f"`{kind}`" in readme
        for name in fields:
            assert f"`{name}`" in readme, name


def test_exercise_invariants(part: ExercisePart) -> None:
    from dataclasses import replace

    mc = next(e for e in part.exercises if e.kind == "multiple-choice")
    with pytest.raises(ValueError, match="exactly one correct"):
        replace(mc, options=tuple(replace(o, correct=True) for o in mc.options))
    assert isinstance(mc, Exercise)


def _small_book(tmp_path: Path) -> Path:
    """An article with its glossary and exercises, laid out as in the repository."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    seed = seeds / "small.md"
    seed.write_text(ARTICLE, encoding="utf-8")
    (seeds / "small.glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    folder = tmp_path / "exercises" / "small"
    folder.mkdir(parents=True)
    (folder / "01-the-campaign.yaml").write_text(EXERCISES, encoding="utf-8")
    return seed


def test_pipeline_finds_the_exercises(tmp_path: Path, article: Article) -> None:
    seed = _small_book(tmp_path)
    config = BuildConfig(seed=seed, out=tmp_path / "out")
    rendered = render_book(config, article, book_info(config, article, b""))
    assert "## Review" in str(rendered.pages["_generated/01-the-campaign.md"])
    assert "_generated/answers.md" in rendered.pages
    assert rendered.back.index("answers") < rendered.back.index("colophon")
    assert rendered.only["answers"] == ("epub", "pdf-teacher")
    assert {"exercises.json", "exercise-coverage.txt"} <= set(rendered.exports)
    assert not any(exercise.draft for exercise in rendered.exercises)
    # no exercise file (a draft beside it is not read): drafted in memory, no error
    folder = tmp_path / "exercises" / "small"
    (folder / "01-the-campaign.yaml").rename(folder / "01-the-campaign.draft.yaml")
    rendered = render_book(config, article, book_info(config, article, b""))
    assert "answers" in rendered.back
    assert "## Review" in str(rendered.pages["_generated/01-the-campaign.md"])
    written = [e for e in rendered.exercises if not e.generated]
    assert written and all(exercise.draft for exercise in written)
    assert not {e.id for e in rendered.exercises} & {"campaign-seoul", "campaign-landing"}
    line = next(line for line in rendered.summary if line.startswith("exercises:"))
    assert "(drafted: no " in line
    assert line.endswith("exercises/small/; run `python -m build_tools draft`)")


@pytest.mark.browser
def test_answers_in_a_real_browser(tmp_path: Path) -> None:
    """Answer a question right and wrong with the keyboard; open a solution."""
    from playwright.sync_api import sync_playwright

    seed = _small_book(tmp_path)
    out = tmp_path / "out"
    run_build(BuildConfig(seed=seed, out=out, formats=("html",)))
    page_path = out / "html" / "_generated" / "01-the-campaign.html"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            remote: list[str] = []
            page.on("request", lambda r: remote.append(r.url) if r.url.startswith("http") else None)
            page.goto(page_path.as_uri())
            fieldset = page.locator("fieldset.review-choices").first
            correct = int(fieldset.get_attribute("data-correct") or "0")
            wrong = 1 if correct != 1 else 2
            button = fieldset.locator("button.review-check")
            feedback = fieldset.locator(".review-feedback")
            assert button.is_visible()
            assert feedback.get_attribute("aria-live") == "polite"

            def answer(value: int) -> str:
                fieldset.locator("input[value='1']").focus()
                page.keyboard.press("Space")
                for _ in range(value - 1):
                    page.keyboard.press("ArrowDown")
                assert fieldset.locator(f"input[value='{value}']").is_checked()
                page.keyboard.press("Tab")
                assert button.evaluate("b => b === document.activeElement")
                page.keyboard.press("Enter")
                return feedback.inner_text()

            assert answer(wrong).startswith("Not quite")
            assert "review-wrong" in (fieldset.get_attribute("class") or "")
            assert answer(correct).startswith("Correct: ")
            assert "28 June 1950" in feedback.inner_text()

            details = page.locator("details.review-solution").first
            body = details.locator(".review-solution-body")
            assert details.get_attribute("open") is None and not body.is_visible()
            details.locator("summary").focus()
            page.keyboard.press("Enter")
            assert details.get_attribute("open") is not None and body.is_visible()
            assert "Answer:" in body.inner_text()
            assert remote == []  # works offline: nothing from the network
        finally:
            browser.close()
