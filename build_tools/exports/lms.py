"""Quiz exports of the question bank for learning platforms: Moodle XML, GIFT and QTI 1.2.

Pure functions: they take the numbered exercises (:mod:`build_tools.exercises.model`)
and return the file's text or bytes. XML is built with ElementTree, which
escapes every text; all texts are marked plain text, so nothing is read as HTML.

What each format carries (the README's "Quizzes for Moodle and Canvas"):

- Moodle XML: every kind; one category per chapter. Ordering uses Moodle's
  ``ordering`` question type (answers in the right order, ``fraction`` = position);
  short answers and source analysis are ``essay`` questions, the model answer
  (with marking points or guidance) as information for graders.
- GIFT: every kind; ordering as a matching of each event to its position
  (GIFT has no ordering type); essays carry the model answer as general feedback.
- QTI 1.2 (Canvas): multiple choice, true/false, essays and matching
  (Canvas's ``matching_question``: one ``response_lid`` a term, every definition
  a choice of each); ordering as a matching of each event to its position,
  Canvas having no ordering kind in QTI 1.2.

Texts go through :mod:`build_tools.util.markup`: GIFT's escapes
(:func:`~build_tools.util.markup.gift_text`), and for XML only the characters
XML 1.0 allows (:func:`~build_tools.util.markup.xml_chars`); ElementTree
escapes the rest.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from typing import Final

from build_tools.exercises.model import Exercise
from build_tools.util.markup import gift_comment, gift_match_left, gift_text, one_line, xml_chars

#: The kinds a free-text (essay) question carries.
ESSAY_KINDS: Final = ("short-answer", "source-analysis")
#: The kinds the QTI package carries (the others are skipped, see the module docstring).
QTI_KINDS: Final = ("multiple-choice", "true-false", *ESSAY_KINDS, "matching", "ordering")
_PLAIN: Final = "plain_text"
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)


def category_path(title: str, exercise: Exercise) -> str:
    """The Moodle category of an exercise's chapter (``/`` in names doubled, as Moodle reads it).

    :param title: the book's title
    :param exercise: the exercise
    :return: ``$course$/top/<book>/Chapter <n>: <title>``
    """
    parts = (title, f"Chapter {exercise.chapter}: {exercise.chapter_title}")
    return "$course$/top/" + "/".join(part.replace("/", "//") for part in parts)


def grader_info(exercise: Exercise) -> str:
    """For the teacher marking a free-text answer: the model answer and marking points or guidance.

    :param exercise: a short-answer or source-analysis exercise
    :return: plain text, one item a line
    """
    lines = [f"Model answer: {exercise.model_answer}"]
    if exercise.marking_points:
        lines.append("Marking points:")
        lines += [f"- {point}" for point in exercise.marking_points]
    if exercise.guidance:
        lines.append(f"Guidance: {exercise.guidance}")
    return "\n".join(lines)


def _feedback_text(exercise: Exercise) -> str:
    if exercise.kind == "multiple-choice":
        return exercise.explanation
    if exercise.kind == "true-false":
        return exercise.correction or "The statement is true."
    return ""


def _text(parent: ET.Element, tag: str, text: str, *, fmt: str | None = _PLAIN) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = xml_chars(text)
    return element


def _moodle_question(quiz: ET.Element, exercise: Exercise) -> None:
    qtype = {
        "multiple-choice": "multichoice",
        "true-false": "truefalse",
        "matching": "matching",
        "ordering": "ordering",
    }.get(exercise.kind, "essay")
    question = ET.SubElement(quiz, "question", {"type": qtype})
    _text(question, "name", exercise.title, fmt=None)
    _text(question, "questiontext", exercise.prompt)
    _text(question, "generalfeedback", _feedback_text(exercise))
    ET.SubElement(question, "defaultgrade").text = "1"
    ET.SubElement(question, "idnumber").text = exercise.id
    if exercise.kind == "multiple-choice":
        ET.SubElement(question, "single").text = "true"
        ET.SubElement(question, "shuffleanswers").text = "true"
        ET.SubElement(question, "answernumbering").text = "abc"
        right = exercise.options[exercise.correct_index].text
        for option in exercise.options:
            answer = _text(question, "answer", option.text)
            answer.set("fraction", "100" if option.correct else "0")
            note = "" if option.correct else f"The right answer: {right}. "
            _text(answer, "feedback", note + exercise.explanation)
    elif exercise.kind == "true-false":
        for value in (True, False):
            answer = _text(question, "answer", "true" if value else "false", fmt=None)
            answer.set("fraction", "100" if value == exercise.answer else "0")
            _text(answer, "feedback", _feedback_text(exercise))
    elif exercise.kind == "matching":
        ET.SubElement(question, "shuffleanswers").text = "true"
        for pair in exercise.pairs:
            subquestion = _text(question, "subquestion", pair.term)
            _text(subquestion, "answer", pair.definition, fmt=None)
    elif exercise.kind == "ordering":
        for tag, setting in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "ABSOLUTE_POSITION"),
            ("showgrading", "SHOW"),
        ):
            ET.SubElement(question, tag).text = setting
        for position, item in enumerate(exercise.items, start=1):
            _text(question, "answer", item.text).set("fraction", f"{position}")
    else:
        ET.SubElement(question, "responseformat").text = "editor"
        ET.SubElement(question, "responserequired").text = "1"
        ET.SubElement(question, "responsefieldlines").text = str(max(exercise.lines, 3) * 2)
        ET.SubElement(question, "attachments").text = "0"
        _text(question, "graderinfo", grader_info(exercise))
        _text(question, "responsetemplate", "")


def render_moodle_xml(exercises: Sequence[Exercise], *, title: str) -> bytes:
    """The question bank as Moodle XML: a category per chapter, then its questions.

    :param exercises: every exercise, numbered, in book order
    :param title: the book's title (the parent category)
    :return: the XML document, UTF-8
    """
    quiz = ET.Element("quiz")
    category = ""
    for exercise in exercises:
        if category_path(title, exercise) != category:
            category = category_path(title, exercise)
            question = ET.SubElement(quiz, "question", {"type": "category"})
            _text(question, "category", category, fmt=None)
        _moodle_question(quiz, exercise)
    ET.indent(quiz)
    return bytes(ET.tostring(quiz, encoding="utf-8", xml_declaration=True)) + b"\n"


# -- GIFT -------------------------------------------------------------------------------------


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters (``~ = # { } :`` and the backslash) with a backslash.

    :param text: plain text
    :return: the text, safe inside a GIFT question or answer (line breaks as ``\\n``)
    """
    return gift_text(text)


def _gift_answers(exercise: Exercise) -> str:
    if exercise.kind == "multiple-choice":
        options = " ".join(
            ("=" if option.correct else "~") + gift_escape(option.text)
            for option in exercise.options
        )
        return f"{options} ####{gift_escape(exercise.explanation)}"
    if exercise.kind == "true-false":
        return (
            "TRUE" if exercise.answer else "FALSE"
        ) + f" ####{gift_escape(_feedback_text(exercise))}"
    if exercise.kind == "matching":
        return " ".join(
            f"={gift_match_left(pair.term)} -> {gift_escape(pair.definition)}"
            for pair in exercise.pairs
        )
    if exercise.kind == "ordering":
        return " ".join(
            f"={gift_match_left(item.text)} -> {position}"
            for position, item in enumerate(exercise.items, start=1)
        )
    return f"####{gift_escape(grader_info(exercise))}"


def render_gift(exercises: Sequence[Exercise], *, title: str) -> str:
    """The question bank in Moodle's GIFT format, a ``$CATEGORY`` per chapter.

    Ordering is a matching of each event to its position (GIFT has no ordering type).

    :param exercises: every exercise, numbered, in book order
    :param title: the book's title (the parent category)
    :return: the GIFT text
    """
    lines: list[str] = [f"// {gift_comment(title)}: review exercises", ""]
    category = ""
    for exercise in exercises:
        if category_path(title, exercise) != category:
            category = category_path(title, exercise)
            lines += [f"$CATEGORY: {one_line(category)}", ""]
        prompt = exercise.prompt
        if exercise.kind == "ordering":
            prompt += " Give each event its position in time, 1 the earliest."
        lines.append(f"// {exercise.id}: {exercise.kind}")
        lines.append(
            f"::{gift_escape(exercise.title)}::[plain]{gift_escape(prompt)} "
            f"{{{_gift_answers(exercise)}}}"
        )
        lines.append("")
    return "\n".join(lines)


# -- QTI 1.2 ----------------------------------------------------------------------------------

_QTI_NS: Final = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_CP_NS: Final = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
_QTI_TYPES: Final = {
    "multiple-choice": "multiple_choice_question",
    "true-false": "true_false_question",
    "short-answer": "essay_question",
    "source-analysis": "essay_question",
    "matching": "matching_question",
    "ordering": "matching_question",
}


def _mattext(parent: ET.Element, text: str) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", {"texttype": "text/plain"}).text = xml_chars(text)


def _qti_item(section: ET.Element, exercise: Exercise) -> None:
    item = ET.SubElement(
        section, "item", {"ident": exercise.id, "title": xml_chars(exercise.title)}
    )
    fields = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in (
        ("question_type", _QTI_TYPES[exercise.kind]),
        ("points_possible", "1.0"),
    ):
        field = ET.SubElement(fields, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry
    presentation = ET.SubElement(item, "presentation")
    _mattext(presentation, qti_prompt(exercise))
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(
        outcomes,
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    feedback = _feedback_text(exercise)
    if exercise.kind in ("matching", "ordering"):
        _qti_matching(presentation, processing, exercise)
    elif exercise.kind in ESSAY_KINDS:
        response = ET.SubElement(presentation, "response_str", {"ident": "response1"})
        response.set("rcardinality", "Single")
        ET.SubElement(ET.SubElement(response, "render_fib"), "response_label", {"ident": "answer1"})
        feedback = grader_info(exercise)
    else:
        if exercise.kind == "multiple-choice":
            choices = [(f"{exercise.id}-{i}", o.text) for i, o in enumerate(exercise.options)]
            right = choices[exercise.correct_index][0]
        else:
            choices = [(f"{exercise.id}-true", "True"), (f"{exercise.id}-false", "False")]
            right = choices[0 if exercise.answer else 1][0]
        response = ET.SubElement(presentation, "response_lid", {"ident": "response1"})
        response.set("rcardinality", "Single")
        render = ET.SubElement(response, "render_choice")
        for ident, text in choices:
            _mattext(ET.SubElement(render, "response_label", {"ident": ident}), text)
        condition = ET.SubElement(processing, "respcondition", {"continue": "No"})
        varequal = ET.SubElement(ET.SubElement(condition, "conditionvar"), "varequal")
        varequal.set("respident", "response1")
        varequal.text = right
        ET.SubElement(condition, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
    if feedback:
        shown = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(shown, "conditionvar"), "other")
        ET.SubElement(
            shown, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"}
        )
        flow = ET.SubElement(
            ET.SubElement(item, "itemfeedback", {"ident": "general_fb"}), "flow_mat"
        )
        _mattext(flow, feedback)


def qti_prompt(exercise: Exercise) -> str:
    """The question text of a QTI item (ordering says how positions are given).

    :param exercise: the exercise
    :return: plain text
    """
    if exercise.kind == "ordering":
        return exercise.prompt + " Match each event to its position in time, 1 the earliest."
    return exercise.prompt


def qti_pairs(exercise: Exercise) -> tuple[list[str], list[str], list[int]]:
    """A matching item's terms, its choices in the order shown, and each term's right choice.

    Ordering is carried as matching: each event to its position (1 the earliest).

    :param exercise: a matching or ordering exercise
    :return: (left texts, choice texts, index of the right choice of each left text)
    """
    if exercise.kind == "ordering":
        lefts = [exercise.items[index].text for index in exercise.shown]
        choices = [str(position) for position in range(1, len(exercise.items) + 1)]
        return lefts, choices, list(exercise.shown)
    lefts = [pair.term for pair in exercise.pairs]
    choices = [exercise.pairs[index].definition for index in exercise.shown]
    return lefts, choices, [exercise.shown.index(index) for index in range(len(lefts))]


def _qti_matching(presentation: ET.Element, processing: ET.Element, exercise: Exercise) -> None:
    """Canvas's ``matching_question``: a ``response_lid`` a term, scored a share each."""
    lefts, choices, right = qti_pairs(exercise)
    share = f"{100 / len(lefts):.2f}"
    for number, (left, answer) in enumerate(zip(lefts, right, strict=True), start=1):
        response = ET.SubElement(presentation, "response_lid", {"ident": f"response_{number}"})
        _mattext(response, left)
        render = ET.SubElement(response, "render_choice")
        for index, text in enumerate(choices):
            label = ET.SubElement(render, "response_label", {"ident": f"{exercise.id}-{index}"})
            _mattext(label, text)
        condition = ET.SubElement(processing, "respcondition")
        varequal = ET.SubElement(ET.SubElement(condition, "conditionvar"), "varequal")
        varequal.set("respident", f"response_{number}")
        varequal.text = f"{exercise.id}-{answer}"
        ET.SubElement(condition, "setvar", {"varname": "SCORE", "action": "Add"}).text = share


def render_qti_zip(exercises: Sequence[Exercise], *, slug: str, title: str) -> bytes:
    """A QTI 1.2 package (as Canvas imports it) of the exercises of :data:`QTI_KINDS`.

    :param exercises: every exercise, numbered, in book order (other kinds are skipped)
    :param slug: the book's slug (the assessment's identifier)
    :param title: the book's title (the assessment's title)
    :return: the zip file, with fixed timestamps (the same input gives the same bytes)
    """
    ident = f"{slug}-review"
    root = ET.Element("questestinterop", {"xmlns": _QTI_NS})
    assessment = ET.SubElement(
        root, "assessment", {"ident": ident, "title": xml_chars(f"{title}: review")}
    )
    section = ET.SubElement(assessment, "section", {"ident": "root_section"})
    for exercise in exercises:
        if exercise.kind in QTI_KINDS:
            _qti_item(section, exercise)
    manifest = ET.Element("manifest", {"identifier": f"{ident}-manifest", "xmlns": _CP_NS})
    metadata = ET.SubElement(manifest, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    href = f"{ident}/{ident}.xml"
    resource = ET.SubElement(
        resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2", "href": href}
    )
    ET.SubElement(resource, "file", {"href": href})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, element in (("imsmanifest.xml", manifest), (href, root)):
            ET.indent(element)
            data = bytes(ET.tostring(element, encoding="utf-8", xml_declaration=True)) + b"\n"
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def render_lms_exports(
    exercises: Sequence[Exercise], *, slug: str, title: str
) -> dict[str, str | bytes]:
    """The three quiz files, by their path under the data exports (``lms/...``).

    :param exercises: every exercise, numbered, in book order
    :param slug: the book's slug (the file names)
    :param title: the book's title
    :return: Moodle XML, GIFT and the QTI zip
    """
    return {
        f"lms/{slug}-moodle.xml": render_moodle_xml(exercises, title=title),
        f"lms/{slug}.gift": render_gift(exercises, title=title),
        f"lms/{slug}-qti.zip": render_qti_zip(exercises, slug=slug, title=title),
    }
