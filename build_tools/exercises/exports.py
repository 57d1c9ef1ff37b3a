"""The exercises' data exports: ``exercises.json`` and the coverage report for teachers."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from build_tools.article.model import Article, Chapter
from build_tools.exercises.model import KINDS, LEVELS, Exercise


def _answer_data(exercise: Exercise) -> object:
    if exercise.kind == "multiple-choice":
        return exercise.options[exercise.correct_index].text
    if exercise.kind == "true-false":
        return exercise.answer
    if exercise.kind == "ordering":
        return [item.text for item in exercise.items]
    if exercise.kind == "matching":
        return {pair.term: pair.definition for pair in exercise.pairs}
    return exercise.model_answer


def _options_data(exercise: Exercise) -> object:
    if exercise.kind == "multiple-choice":
        return [option.text for option in exercise.options]
    if exercise.kind == "true-false":
        return ["True", "False"]
    if exercise.kind == "ordering":
        return [exercise.items[index].text for index in exercise.shown]
    if exercise.kind == "matching":
        return {
            "terms": [pair.term for pair in exercise.pairs],
            "definitions": [exercise.pairs[index].definition for index in exercise.shown],
        }
    return []


def exercise_record(exercise: Exercise) -> dict[str, object]:
    """One exercise as plain data (the entries of ``exercises.json``).

    :param exercise: the exercise
    :return: a JSON-ready mapping
    """
    record: dict[str, object] = {
        "id": exercise.id,
        "number": f"{exercise.chapter}.{exercise.number}",
        "kind": exercise.kind,
        "chapter": exercise.chapter_title,
        "chapter_number": exercise.chapter,
        "section": exercise.section,
        "section_label": exercise.section_label,
        "level": exercise.level,
        "prompt": exercise.prompt,
        "options": _options_data(exercise),
        "answer": _answer_data(exercise),
        "source": exercise.source,
        "source_section": exercise.place.title,
        "generated": exercise.generated,
    }
    extra: dict[str, object] = {
        "explanation": exercise.explanation,
        "correction": exercise.correction,
        "marking_points": list(exercise.marking_points),
        "guidance": exercise.guidance,
        "lines": exercise.lines,
    }
    record.update({key: value for key, value in extra.items() if value})
    if exercise.items:
        record["events"] = [
            {"text": item.text, "date": item.date_text, "source": item.source}
            for item in exercise.items
        ]
    if exercise.pairs:
        record["sources"] = {pair.term: pair.source for pair in exercise.pairs}
    return record


def render_exercises_json(exercises: Sequence[Exercise], *, title: str) -> str:
    """Every exercise as JSON, for other tools (``_build/data/exercises.json``).

    :param exercises: every exercise, numbered
    :param title: the book's title
    :return: the JSON text
    """
    data = {
        "title": title,
        "count": len(exercises),
        "exercises": [exercise_record(exercise) for exercise in exercises],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_coverage(article: Article, exercises: Sequence[Exercise]) -> str:
    """A plain-text report for teachers: per chapter, the sections, levels and kinds covered.

    :param article: the article
    :param exercises: every exercise, numbered
    :return: the report (``_build/data/exercise-coverage.txt``)
    """
    kinds = Counter(exercise.kind for exercise in exercises)
    lines = [
        f"Exercise coverage: {article.title}",
        "",
        f"{len(exercises)} exercises in {len(article.chapters)} chapters: "
        + ", ".join(f"{kinds[kind]} {kind}" for kind in KINDS),
        "Levels of thinking, lowest first: " + ", ".join(LEVELS) + ".",
        "Generated from the chronology and the glossary: ordering and matching.",
    ]
    header = "  Chapter  Exercises  " + "  ".join(LEVELS) + "  Sections tested"
    lines += ["", "Overview: exercises per level of thinking, and sections tested", header]
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        levels = Counter(exercise.level for exercise in mine)
        tested = {exercise.section_label for exercise in mine}
        covered = sum(section.label in tested for section in chapter.sections)
        cells = "  ".join(f"{levels[level]:>{len(level)}}" for level in LEVELS)
        lines.append(
            f"  {chapter.number:>7}  {len(mine):>9}  {cells}  {covered}/{len(chapter.sections)}"
        )
    for chapter in article.chapters:
        mine = [exercise for exercise in exercises if exercise.chapter == chapter.number]
        lines += ["", f"Chapter {chapter.number}: {chapter.title} ({len(mine)} exercises)"]
        if not mine:
            lines.append("  no exercises")
            continue
        lines += _chapter_coverage(chapter, mine)
    return "\n".join(lines) + "\n"


def _chapter_coverage(chapter: Chapter, mine: Sequence[Exercise]) -> list[str]:
    """One chapter's kinds, levels and sections tested (it has exercises)."""
    width = len(max(LEVELS + KINDS, key=len))
    levels = Counter(exercise.level for exercise in mine)
    by_kind = Counter(exercise.kind for exercise in mine)
    lines = ["  Kinds:"]
    lines += [f"    {kind:<{width}}  {by_kind[kind]}" for kind in KINDS]
    lines.append("  Levels:")
    lines += [
        f"    {level:<{width}}  {levels[level]}" + ("   <- none" if not levels[level] else "")
        for level in LEVELS
    ]
    lines.append("  Sections (exercises that test each one):")
    for section in chapter.sections:
        numbers = ", ".join(
            f"{e.chapter}.{e.number}" for e in mine if e.section_label == section.label
        )
        lines.append(f"    {section.title}")
        lines.append(f"      {numbers or '<- not covered'}")
    sourced = Counter(e.place.title for e in mine)
    elsewhere = [title for title in sourced if title not in {s.title for s in chapter.sections}]
    if elsewhere:
        lines.append("  Source quotes from outside the chapter's sections: " + "; ".join(elsewhere))
    return lines
