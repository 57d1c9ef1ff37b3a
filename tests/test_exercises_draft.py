"""Drafted review exercises: each kind's drafter, the checks they pass, the minimums, a build."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from build_tools.article.model import Article
from build_tools.article.seed import parse_seed
from build_tools.chronology.extract import extract_chronology
from build_tools.chronology.model import ChronologyResult
from build_tools.exercises.check import parse_exercises
from build_tools.exercises.draft import draft_exercises
from build_tools.exercises.draft_facts import find_dates, find_numbers, find_people
from build_tools.exercises.draft_text import drop_connective, standalone
from build_tools.exercises.generate import generate_matching, generate_ordering
from build_tools.exercises.model import Exercise
from build_tools.glossary.part import make_glossary_part
from build_tools.pipeline.build import run_build
from build_tools.pipeline.config import BuildConfig

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parent.parent / "seeds" / "korean-war.md"

#: A small article: people with titles, dates, numbers of one unit, a reason, a second figure.
ARTICLE = """# The Harbour War

The Harbour War was fought from March 1901 to May 1903 between the Republic of Avalon and the Kingdom of Brill.

## The Siege

### Closing the Harbour

On April 2, 1901 the Brill fleet closed the harbour of Port Ley. General Anna Voss, the commander of the city, wanted to break out by sea. President Karl Brandt rejected the plan because it could cost the whole fleet. The city had food for about 40 days and fuel for about 25 days.

General Otto Lenz took command of the defence in June 1901. Mayor Ida Kern spoke to about 20,000 people in the market square on August 9, 1901. The defenders built a new pier in less than 60 days.

### The Relief

A relief fleet reached Port Ley on February 14, 1902 with about 300 ships. The Brill army lost about 9,000 soldiers in the fighting. Other historians give a lower total of about 7,000 soldiers.

## The Peace

### The Treaty

The Treaty of Ley was the agreement that ended the war, signed in the town hall, after two years of fighting. It was signed on May 20, 1903. Admiral Piet Hals was dismissed in 1904.

### Remembering

The city built a memorial in 1910 for the 4,000 defenders who died. General Anna Voss opened the memorial on June 1, 1910.
"""


Small = tuple[Article, ChronologyResult, dict[str, str]]


@pytest.fixture(scope="module")
def small() -> Small:
    article = parse_seed(ARTICLE)
    chronology = extract_chronology(article)
    return article, chronology, draft_exercises(article, chronology)


def _parsed(article: Article, files: dict[str, str]) -> list[Exercise]:
    return [
        e for name, text in files.items() for e in parse_exercises(text, path=name, article=article)
    ]


def _article_text(article: Article) -> str:
    return "\n".join(" ".join(p.text.split()) for _, _, p in article.paragraphs())


def _changed_span(first: str, second: str) -> tuple[str, str]:
    """The part where two texts differ (common prefix and suffix removed)."""
    start = 0
    while start < min(len(first), len(second)) and first[start] == second[start]:
        start += 1
    end = 0
    while end < min(len(first), len(second)) - start and first[-1 - end] == second[-1 - end]:
        end += 1
    return first[start : len(first) - end], second[start : len(second) - end]


def test_every_draft_passes_the_checks_and_is_marked(small: Small) -> None:
    article, _, files = small
    assert sorted(files) == ["01-the-siege.yaml", "02-the-peace.yaml"]
    exercises = _parsed(article, files)
    assert exercises and all(exercise.draft for exercise in exercises)
    text = _article_text(article)
    for exercise in exercises:
        assert exercise.source in text  # verbatim
        assert exercise.section in {s.title for c in article.chapters for s in c.sections}


def test_true_false_changes_one_fact_of_the_same_kind(small: Small) -> None:
    article, _, files = small
    text = _article_text(article)
    false = [e for e in _parsed(article, files) if e.kind == "true-false" and e.answer is False]
    assert len(false) >= 2
    for exercise in false:
        assert exercise.correction == drop_connective(exercise.source)
        assert exercise.prompt != exercise.correction
        assert exercise.prompt not in text  # the changed statement is not in the article
        new, old = _changed_span(exercise.prompt, exercise.correction)
        assert old and old in exercise.source  # the true fact is the source's
        if find_dates(old) or find_numbers(old + " x"):
            # a date for a date; a number for a number (of the same unit, or scaled)
            assert bool(find_dates(new)) == bool(find_dates(old))
        if re.fullmatch(r"[A-Z][\w. ]+", old) and not find_dates(old):
            assert new in text  # another name the article itself gives
    trues = [e for e in _parsed(article, files) if e.kind == "true-false" and e.answer]
    assert all(drop_connective(e.source) == e.prompt for e in trues)


def test_multiple_choice_distractors_are_of_the_same_kind(small: Small) -> None:
    article, _, files = small
    people = {person.display for person in find_people(article, None)}
    choice = [e for e in _parsed(article, files) if e.kind == "multiple-choice"]
    assert {"who", "when"} <= {_shape(e) for e in choice}
    for exercise in choice:
        answer = exercise.options[exercise.correct_index].text
        others = [o.text for o in exercise.options if not o.correct]
        assert answer not in others
        assert answer in exercise.source or answer.split(" ", 1)[-1] in exercise.source
        if _shape(exercise) == "who":
            assert exercise.prompt.startswith("According to the article, who ")
            assert {o.text for o in exercise.options} <= people
        elif _shape(exercise) == "when":
            precision = {len(find_dates(o.text)[0].value) for o in exercise.options}
            assert len(precision) == 1  # all days, all months or all years
            assert not find_dates(exercise.prompt)  # the date is not given away
        else:
            units = {o.text.rsplit(" ", 1)[-1] for o in exercise.options}
            assert len(units) == 1 and "how many" in exercise.prompt


def _shape(exercise: Exercise) -> str:
    if exercise.prompt.startswith("According to the article, who "):
        return "who"
    return "when" if exercise.prompt.endswith("when did this happen?") else "how-many"


def test_short_answers_come_from_the_source(small: Small) -> None:
    article, _, files = small
    short = [e for e in _parsed(article, files) if e.kind == "short-answer"]
    why = next(e for e in short if e.prompt.startswith("Use the article to explain why"))
    assert why.prompt == "Use the article to explain why President Karl Brandt rejected the plan."
    assert "because it could cost the whole fleet" in why.model_answer
    assert why.marking_points[0] == "Gives the reason: because it could cost the whole fleet"
    text = _article_text(article)
    for exercise in short:
        assert 2 <= len(exercise.marking_points) <= 4
        for sentence in re.split(r"(?<=\.) ", exercise.model_answer):
            assert sentence.rstrip(".") in text or drop_connective(sentence) in text


def test_source_analysis_where_the_article_gives_two_figures(small: Small) -> None:
    article, _, files = small
    analysis = [e for e in _parsed(article, files) if e.kind == "source-analysis"]
    assert len(analysis) == 1
    assert analysis[0].source.startswith("Other historians give a lower total")
    assert "7,000 soldiers" in analysis[0].source  # the review shows the passage
    assert "9,000 soldiers" in analysis[0].prompt  # the prompt quotes the other figure


def test_source_analysis_of_two_dates_from_the_chronology() -> None:
    article = parse_seed(SEED.read_text(encoding="utf-8"))
    chronology = extract_chronology(article)
    assert chronology.disagreements  # the seed dates one event in two ways
    exercises = _parsed(article, draft_exercises(article, chronology))
    dates = [e for e in exercises if e.kind == "source-analysis" and "two ways" in e.prompt]
    assert len(dates) == len(chronology.disagreements)


def test_no_sentence_that_leans_on_the_one_before() -> None:
    assert not standalone("He became known as the Candy Bomber.")
    assert not standalone("On September 20, 1854 they defeated the army at the river.")
    assert not standalone("During this battle a misunderstood order sent the brigade away.")
    assert standalone(
        "Mary Seacole, a businesswoman from Jamaica, opened a hotel where she cooked."
    )


def test_same_article_same_bytes() -> None:
    for path in (FIXTURES / "berlin-airlift.md", FIXTURES / "crimean-war.md"):
        article = parse_seed(path.read_text(encoding="utf-8"))
        first = draft_exercises(article, extract_chronology(article))
        second = draft_exercises(article, extract_chronology(article))
        assert first == second


@pytest.mark.parametrize("name", ["berlin-airlift.md", "crimean-war.md"])
def test_every_chapter_of_the_fixtures_gets_enough(name: str) -> None:
    """Without a glossary: each chapter at least 6 exercises in the book, every kind in the book.

    (A chapter of two short sections with only two dates, the Crimean War's first, gets
    true-or-false and short-answer exercises only: no sentence there opens with a person or
    a date, or counts something.)
    """
    article = parse_seed((FIXTURES / name).read_text(encoding="utf-8"))
    chronology = extract_chronology(article)
    files = draft_exercises(article, chronology)
    assert len(files) == len(article.chapters)
    book: Counter[str] = Counter()
    for chapter in article.chapters:
        drafted = parse_exercises(
            files[f"{chapter.docname}.yaml"], path=chapter.docname, article=article
        )
        ordering = generate_ordering(article, chronology, chapter)
        kinds = Counter(e.kind for e in drafted) + Counter([ordering.kind] if ordering else [])
        assert sum(kinds.values()) >= 6, chapter.title
        assert {"true-false", "short-answer"} <= set(kinds), chapter.title
        assert len({e.section for e in drafted}) == len(chapter.sections)  # every section tested
        book += kinds
    assert set(book) == {
        "multiple-choice",
        "true-false",
        "short-answer",
        "source-analysis",
        "ordering",
    }


def test_the_seed_with_its_glossary_gets_four_kinds_a_chapter() -> None:
    article = parse_seed(SEED.read_text(encoding="utf-8"))
    chronology = extract_chronology(article)
    glossary_path = SEED.with_name("korean-war.glossary.yaml")
    glossary = make_glossary_part(
        glossary_path.read_text(encoding="utf-8"),
        path=str(glossary_path),
        article=article,
        title="",
    )
    files = draft_exercises(article, chronology, glossary.glossary)
    for chapter in article.chapters:
        drafted = parse_exercises(files[f"{chapter.docname}.yaml"], path="x", article=article)
        made = [
            generate_ordering(article, chronology, chapter),
            generate_matching(article, glossary, chapter),
        ]
        kinds = Counter(e.kind for e in drafted) + Counter(e.kind for e in made if e is not None)
        assert sum(kinds.values()) >= 6 and len(kinds) >= 4, (chapter.title, kinds)


def test_a_bare_article_builds_with_drafted_reviews(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    seed = seeds / "berlin-airlift.md"
    seed.write_text((FIXTURES / "berlin-airlift.md").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run_build(BuildConfig(seed=seed, out=out, formats=("html",)))
    page = (out / "html" / "_generated" / "02-the-blockade.html").read_text(encoding="utf-8")
    review = page[page.index('id="review-ch-the-blockade"') :]
    kinds = set(re.findall(r"Exercise 2\.\d+ \(([A-Za-z ]+)\)", review))
    assert {"Multiple choice", "True or false", "Short answer"} <= kinds
    assert "draft" not in review.lower()  # nothing about drafts for students
    teacher = (out / "html" / "_generated" / "teacher.html").read_text(encoding="utf-8")
    assert "Still drafts" in teacher


def test_a_draft_the_checks_refuse_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """A drafter's mistake never stops a build: the exercise is dropped, another chosen."""
    from build_tools.exercises import draft
    from build_tools.exercises.draft_common import Drafted, Material

    def broken(material: Material) -> list[Drafted]:
        section = material.chapter.sections[0].title
        return [
            Drafted(
                kind="true-false",
                section=section,
                level="guessing",  # not a level: the checks refuse it
                source="the Brill fleet closed the harbour of Port Ley",
                fields=(("statement", "A statement."), ("answer", True)),
                sentence=0,
                name="true",
                rank=-1.0,
            )
        ]

    monkeypatch.setattr(draft, "draft_true_false", broken)
    article = parse_seed(ARTICLE)
    files = draft.draft_exercises(article, extract_chronology(article))
    exercises = _parsed(article, files)
    assert exercises and not any(e.kind == "true-false" for e in exercises)


def test_teachers_guide_counts_the_drafts_per_chapter() -> None:
    from dataclasses import replace

    from build_tools.classroom.teacher import ClassroomFiles, render_teacher_page
    from build_tools.exercises.generate import number_exercises

    article = parse_seed(ARTICLE)
    chronology = extract_chronology(article)
    exercises = _parsed(article, draft_exercises(article, chronology))
    read = {exercises[0].id}  # a teacher read one exercise and deleted its `draft: true`
    exercises = [replace(e, draft=False) if e.id in read else e for e in exercises]
    numbered = number_exercises(exercises, article)
    page = render_teacher_page(article, numbered, (), ClassroomFiles())
    siege = sum(e.chapter == 1 for e in numbered)
    peace = sum(e.chapter == 2 for e in numbered)
    assert f"| {siege} | {siege - 1} |" in page  # chapter 1: one read
    assert f"| {peace} | {peace} |" in page
    assert f"- **Still drafts:** {siege - 1} of {siege} (" in page
    # a book without drafts says nothing about them
    plain = render_teacher_page(
        article, [replace(e, draft=False) for e in numbered], (), ClassroomFiles()
    )
    assert "draft" not in plain.lower()
