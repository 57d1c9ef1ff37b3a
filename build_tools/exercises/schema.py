"""The exercise files' format: the kinds a file may hold and the fields of each.

``exercises/README.md`` documents it for authors; :mod:`build_tools.exercises.check`
reads the files against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class FieldSpec:
    """One field of an exercise in a data file.

    ``kind`` is how its value is read: ``text`` (one line, whitespace collapsed),
    ``bool``, ``int``, ``texts`` (a list of texts), ``options`` (a list of
    ``{text, correct}``) or ``events`` (a list of ``{text, date}``).
    """

    kind: str
    required: bool
    help: str


#: The fields every kind has.
COMMON: Final = {
    "id": FieldSpec("text", True, "unique across the book: lowercase letters, digits, hyphens"),
    "kind": FieldSpec("text", True, "the kind of exercise"),
    "section": FieldSpec("text", True, "the exact `###` title of the section it tests"),
    "level": FieldSpec("text", True, "remember, understand, apply, analyse or evaluate"),
    "source": FieldSpec("text", True, "a verbatim quote (6-40 words) supporting the answer"),
    "draft": FieldSpec("bool", False, "true: drafted by the pipeline, not yet read by a teacher"),
}
_PROMPT: Final = FieldSpec("text", True, "the question, in our own words")
_MODEL: Final = FieldSpec("text", True, "a model answer, 1-3 sentences")
_LINES: Final = FieldSpec("int", True, "ruled lines for the answer in the student PDF (2-8)")

#: Every kind a data file may hold, with its fields (besides :data:`COMMON`).
SCHEMA: Final[dict[str, dict[str, FieldSpec]]] = {
    "multiple-choice": {
        **COMMON,
        "prompt": _PROMPT,
        "options": FieldSpec("options", True, "exactly 4 distinct options, one `correct: true`"),
        "explanation": FieldSpec("text", True, "why the answer is right, one line"),
    },
    "true-false": {
        **COMMON,
        "statement": FieldSpec("text", True, "the statement to judge"),
        "answer": FieldSpec("bool", True, "true or false"),
        "correction": FieldSpec("text", False, "the corrected statement: required when false"),
    },
    "short-answer": {
        **COMMON,
        "prompt": _PROMPT,
        "model_answer": _MODEL,
        "marking_points": FieldSpec("texts", True, "2-4 points a teacher awards marks for"),
        "lines": _LINES,
    },
    "source-analysis": {
        **COMMON,
        "prompt": _PROMPT,
        "guidance": FieldSpec("text", True, "for the teacher: what a good answer does"),
        "model_answer": _MODEL,
        "lines": _LINES,
    },
    "ordering": {
        **COMMON,
        "prompt": _PROMPT,
        "events": FieldSpec("events", True, "4-6 events, each `{text, date}` (ISO date)"),
    },
}
#: The kinds the pipeline makes itself (a data file may not hold them).
GENERATED_KINDS: Final = ("matching",)
#: How many words a source quote has.
MIN_QUOTE_WORDS, MAX_QUOTE_WORDS = 6, 40
