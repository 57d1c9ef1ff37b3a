"""The quiz exports (Moodle XML, GIFT, QTI 1.2) read back by independent parsers.

Each export is built from the real korean-war exercises, parsed as the
pipeline parses them, and read back: Moodle XML and QTI with defusedxml, GIFT
with a small parser below. pygiftparser (PyPI, last release 2017) was tried
first and rejected: it stops an answer at an escaped brace (``\\{``), keeps the
backslashes of escaped characters and cuts category names at a space.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring as safe_fromstring

from build_tools.article.seed import parse_seed
from build_tools.chronology.extract import extract_chronology
from build_tools.chronology.overrides import load_overrides
from build_tools.exercises.model import Exercise, Option
from build_tools.exercises.part import make_exercise_part
from build_tools.exports.lms import (
    QTI_KINDS,
    category_path,
    gift_escape,
    grader_info,
    qti_prompt,
    render_gift,
    render_lms_exports,
    render_moodle_xml,
    render_qti_zip,
)
from build_tools.glossary.part import make_glossary_part
from build_tools.pipeline.config import ROOT, BuildConfig
from build_tools.pipeline.inputs import companion_text, read_text

TITLE = "The Korean War"
SLUG = "korean-war"
SEED = ROOT / "seeds" / "korean-war.md"


@pytest.fixture(scope="module")
def exercises(tmp_path_factory: pytest.TempPathFactory) -> tuple[Exercise, ...]:
    """The real exercises, with the generated ordering and matching, as the pipeline makes them."""
    config = BuildConfig(seed=SEED, out=tmp_path_factory.mktemp("out"))
    article = parse_seed(read_text(SEED))
    overrides_file = companion_text(config, "chronology.yaml")
    overrides = load_overrides(overrides_file[0], path=overrides_file[1]) if overrides_file else ()
    glossary_file = companion_text(config, "glossary.yaml")
    assert glossary_file is not None
    glossary = make_glossary_part(
        glossary_file[0],
        path=glossary_file[1],
        article=article,
        title=TITLE,
    )
    files = sorted((SEED.parent.parent / "exercises" / SLUG).glob("*.yaml"))
    part = make_exercise_part(
        [(read_text(path), str(path)) for path in files],
        article=article,
        chronology=extract_chronology(article, overrides=overrides),
        glossary=glossary,
    )
    kinds = {exercise.kind for exercise in part.exercises}
    assert kinds == {
        "multiple-choice",
        "true-false",
        "short-answer",
        "source-analysis",
        "ordering",
        "matching",
    }
    # one exercise with every character that XML and GIFT treat specially
    tricky = next(e for e in part.exercises if e.kind == "multiple-choice")
    nasty = 'A <b>&amp; "quote" {x} ~y =z #1: back\\slash'
    tricky = replace(
        tricky,
        id="tricky",
        prompt=nasty + "?",
        options=(Option(nasty, correct=True), *(o for o in tricky.options if not o.correct)),
        explanation=nasty + ".",
    )
    return (*part.exercises, tricky)


# -- Moodle XML -------------------------------------------------------------------------------


def _text(element: object, path: str) -> str:
    found = element.find(path)  # type: ignore[attr-defined]
    assert found is not None, path
    return str(found.text or "")


def test_moodle_xml_round_trip(exercises: tuple[Exercise, ...]) -> None:
    root = safe_fromstring(render_moodle_xml(exercises, title=TITLE))
    assert root.tag == "quiz"
    category = ""
    questions = []
    for question in root.findall("question"):
        if question.get("type") == "category":
            category = _text(question, "category/text")
            continue
        questions.append((category, question))
    assert len(questions) == len(exercises)
    for exercise, (category, question) in zip(exercises, questions, strict=True):
        assert category == category_path(TITLE, exercise)
        assert _text(question, "name/text") == exercise.title
        assert _text(question, "idnumber") == exercise.id
        assert _text(question, "questiontext/text") == exercise.prompt
        answers = question.findall("answer")
        if exercise.kind == "multiple-choice":
            assert question.get("type") == "multichoice"
            assert _text(question, "single") == "true"
            assert [_text(a, "text") for a in answers] == [o.text for o in exercise.options]
            fractions = [a.get("fraction") for a in answers]
            assert fractions.count("100") == 1
            assert fractions.index("100") == exercise.correct_index
            assert all(exercise.explanation in _text(a, "feedback/text") for a in answers)
        elif exercise.kind == "true-false":
            assert question.get("type") == "truefalse"
            right = [_text(a, "text") for a in answers if a.get("fraction") == "100"]
            assert right == ["true" if exercise.answer else "false"]
            if exercise.correction:
                assert _text(question, "generalfeedback/text") == exercise.correction
        elif exercise.kind == "matching":
            assert question.get("type") == "matching"
            pairs = [
                (_text(s, "text"), _text(s, "answer/text")) for s in question.findall("subquestion")
            ]
            assert pairs == [(p.term, p.definition) for p in exercise.pairs]
        elif exercise.kind == "ordering":
            assert question.get("type") == "ordering"
            ordered = sorted(answers, key=lambda a: float(a.get("fraction", "0")))
            assert [_text(a, "text") for a in ordered] == [i.text for i in exercise.items]
        else:
            assert question.get("type") == "essay"
            info = _text(question, "graderinfo/text")
            assert info == grader_info(exercise)
            assert exercise.model_answer in info
            assert all(point in info for point in exercise.marking_points)
            assert exercise.guidance in info


# -- GIFT -------------------------------------------------------------------------------------

_ESCAPED = re.compile(r"\\(.)")
_QUESTION = re.compile(
    r"^::(?P<title>(?:\\.|[^:\\])*)::\[plain\](?P<text>(?:\\.|[^{\\])*) \{(?P<answer>(?:\\.|[^}\\])*)\}$"
)
_PART = re.compile(r"(?<!\\)(?:\\\\)*(?P<sign>[=~]|####)")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda match: "\n" if match[1] == "n" else match[1], text)


def _split(answer: str) -> list[tuple[str, str]]:
    """An answer block's parts: (``=``, ``~`` or ``####``, unescaped text)."""
    marks = list(_PART.finditer(answer))
    parts = []
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start("sign") if following else len(answer)
        parts.append((mark["sign"], answer[mark.end() : end].strip()))
    head = answer[: marks[0].start("sign")].strip() if marks else answer.strip()
    return [("", head), *parts] if head else parts


def parse_gift(text: str) -> list[dict[str, object]]:
    """A minimal GIFT reader for what we write: category lines, comments, one question a line."""
    questions: list[dict[str, object]] = []
    category = ""
    for line in text.splitlines():
        if not line or line.startswith("//"):
            continue
        if line.startswith("$CATEGORY: "):
            category = line.removeprefix("$CATEGORY: ")
            continue
        match = _QUESTION.match(line)
        assert match, line
        parts = _split(match["answer"])
        questions.append(
            {
                "category": category,
                "title": _unescape(match["title"]),
                "text": _unescape(match["text"]),
                "parts": [(sign, _unescape(body)) for sign, body in parts],
                "raw": [body for _, body in parts],
            }
        )
    return questions


def test_gift_escape() -> None:
    assert gift_escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    assert _unescape(gift_escape("a~b=c#d{e}f:g\\h")) == "a~b=c#d{e}f:g\\h"


def test_gift_round_trip(exercises: tuple[Exercise, ...]) -> None:
    questions = parse_gift(render_gift(exercises, title=TITLE))
    assert len(questions) == len(exercises)
    for exercise, question in zip(exercises, questions, strict=True):
        assert question["category"] == category_path(TITLE, exercise)
        assert question["title"] == exercise.title
        assert str(question["text"]).startswith(exercise.prompt)
        parts = question["parts"]
        assert isinstance(parts, list)
        if exercise.kind == "multiple-choice":
            assert parts == [
                *[("=" if o.correct else "~", o.text) for o in exercise.options],
                ("####", exercise.explanation),
            ]
        elif exercise.kind == "true-false":
            assert parts[0] == ("", "TRUE" if exercise.answer else "FALSE")
        elif exercise.kind in ("matching", "ordering"):
            pairs = [tuple(body.split(" -> ")) for sign, body in parts if sign == "="]
            expected = (
                [(p.term, p.definition) for p in exercise.pairs]
                if exercise.kind == "matching"
                else [(item.text, str(n)) for n, item in enumerate(exercise.items, start=1)]
            )
            assert pairs == expected
            assert len(parts) == len(expected)
        else:
            assert parts == [("####", grader_info(exercise))]


# -- QTI --------------------------------------------------------------------------------------

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


def test_qti_round_trip(exercises: tuple[Exercise, ...]) -> None:
    data = render_qti_zip(exercises, slug=SLUG, title=TITLE)
    assert data == render_qti_zip(exercises, slug=SLUG, title=TITLE)  # reproducible
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        manifest = safe_fromstring(archive.read("imsmanifest.xml"))
        resource = manifest.find(f"{CP}resources/{CP}resource")
        assert resource is not None
        assert resource.get("type") == "imsqti_xmlv1p2"
        href = resource.find(f"{CP}file")
        assert href is not None
        assessment = safe_fromstring(archive.read(str(href.get("href"))))
    items = assessment.findall(f".//{QTI}item")
    carried = [e for e in exercises if e.kind in QTI_KINDS]
    assert len(items) == len(carried)
    assert {e.kind for e in exercises} <= set(QTI_KINDS)
    assert {"ordering", "matching"} <= {e.kind for e in exercises}
    for exercise, item in zip(carried, items, strict=True):
        assert item.get("ident") == exercise.id
        fields = {
            _text(f, f"{QTI}fieldlabel"): _text(f, f"{QTI}fieldentry")
            for f in item.iter(f"{QTI}qtimetadatafield")
        }
        assert _text(item, f"{QTI}presentation/{QTI}material/{QTI}mattext") == qti_prompt(exercise)
        if exercise.kind in ("matching", "ordering"):
            assert fields["question_type"] == "matching_question"
            _check_qti_matching(item, exercise)
            continue
        labels = item.findall(f".//{QTI}response_label")
        texts = [
            _text(label, f"{QTI}material/{QTI}mattext")
            for label in labels
            if exercise.kind not in ("short-answer", "source-analysis")
        ]
        right = item.find(f".//{QTI}varequal")
        feedback = item.find(f"{QTI}itemfeedback//{QTI}mattext")
        if exercise.kind == "multiple-choice":
            assert fields["question_type"] == "multiple_choice_question"
            assert texts == [o.text for o in exercise.options]
            assert right is not None
            assert right.text == labels[exercise.correct_index].get("ident")
            assert feedback is not None
            assert feedback.text == exercise.explanation
        elif exercise.kind == "true-false":
            assert fields["question_type"] == "true_false_question"
            assert texts == ["True", "False"]
            assert right is not None
            assert right.text == labels[0 if exercise.answer else 1].get("ident")
        else:
            assert fields["question_type"] == "essay_question"
            assert feedback is not None
            assert feedback.text == grader_info(exercise)


def _check_qti_matching(item: ET.Element, exercise: Exercise) -> None:
    """Canvas's matching structure: a response_lid a left text, each with every choice."""
    presentation = item.find(f"{QTI}presentation")
    assert presentation is not None
    responses = presentation.findall(f"{QTI}response_lid")
    if exercise.kind == "matching":
        lefts = [pair.term for pair in exercise.pairs]
        right = {pair.term: pair.definition for pair in exercise.pairs}
    else:
        lefts = [exercise.items[index].text for index in exercise.shown]
        right = {item.text: str(n) for n, item in enumerate(exercise.items, start=1)}
    assert [_text(r, f"{QTI}material/{QTI}mattext") for r in responses] == lefts
    choices = {
        str(label.get("ident")): _text(label, f"{QTI}material/{QTI}mattext")
        for label in responses[0].iter(f"{QTI}response_label")
    }
    assert sorted(choices.values()) == sorted(right.values())
    for response in responses:  # every term offers the same choices
        assert {
            str(label.get("ident")): _text(label, f"{QTI}material/{QTI}mattext")
            for label in response.iter(f"{QTI}response_label")
        } == choices
    scored = {}
    shares = []
    for condition in item.findall(f"{QTI}resprocessing/{QTI}respcondition"):
        varequal = condition.find(f"{QTI}conditionvar/{QTI}varequal")
        setvar = condition.find(f"{QTI}setvar")
        assert varequal is not None
        assert setvar is not None
        assert setvar.get("action") == "Add"
        scored[varequal.get("respident")] = choices[str(varequal.text)]
        shares.append(float(str(setvar.text)))
    assert scored == {
        r.get("ident"): right[_text(r, f"{QTI}material/{QTI}mattext")] for r in responses
    }
    assert abs(sum(shares) - 100) < 0.1


def test_lms_exports_are_named_by_slug(exercises: tuple[Exercise, ...]) -> None:
    exports = render_lms_exports(exercises, slug=SLUG, title=TITLE)
    assert sorted(exports) == [
        f"lms/{SLUG}-moodle.xml",
        f"lms/{SLUG}-qti.zip",
        f"lms/{SLUG}.gift",
    ]
    assert not Path(f"lms/{SLUG}.gift").is_absolute()
