"""Source-analysis drafts: wherever the article gives two different dates or figures for one thing.

Two dates come from the chronology's disagreement report
(:attr:`~build_tools.chronology.model.ChronologyResult.disagreements`); two
figures from a sentence that reports another account's number ("Other
historians give a lower total of about 500,000 dead", "official figures
report about 145,000 deaths ..., though U.S. military estimates ... suggest
400,000") next to the article's own.  The review shows the passage; the
prompt quotes the other figure and asks why they differ; the
model answer says what the article itself says about the difference and what
a careful reader does with two figures.
"""

from __future__ import annotations

import re
from typing import Final

from build_tools.chronology.model import ChronologyResult, format_event_date
from build_tools.exercises.draft_common import Drafted, Material
from build_tools.exercises.draft_facts import find_numbers
from build_tools.exercises.draft_text import quote_around, without_stop

_OTHER_ACCOUNT: Final = re.compile(
    r"\b(?:[Oo]ther|[Ss]ome|[Oo]fficial|[Ll]ater|[Oo]lder|[Nn]ewer|[Mm]ilitary) "
    r"(?:accounts|historians|sources|estimates|figures|studies|records|scholars|writers|counts)\b"
    r"|\bestimates (?:range|vary|differ)\b"
)
_ANY_NUMBER: Final = re.compile(
    r"(?<![\w.])\d[\d,.]*\d(?: (?:million|billion))?|(?<![\w.])\d(?![\w])"
)
_BECAUSE: Final = re.compile(r"\b(?:because|as|since) (?P<reason>[^,;]+)")
_DATE_GUIDANCE: Final = (
    "A good answer sees that both dates cannot be true for one event, suggests why "
    "they differ (a slip in one passage, two steps of the same event, different "
    "sources), and says how to check: other sources, documents from the time."
)
_FIGURE_GUIDANCE: Final = (
    "A good answer sees that the two figures count the same thing, suggests why "
    "accounts differ (what each one counts or leaves out, incomplete records, who "
    "did the counting), uses any reason the article itself gives, and says that a "
    "student should name the figure they use and where it comes from."
)


def _short(text: str, limit: int = 30) -> str:
    words = without_stop(text).split()
    return " ".join(words) if len(words) <= limit else " ".join(words[:limit]) + " …"


def _dates(material: Material, chronology: ChronologyResult) -> list[Drafted]:
    """One exercise per disagreement whose first telling with a section is in this chapter."""
    chapter = material.chapter
    found: list[Drafted] = []
    for number, disagreement in enumerate(chronology.disagreements):
        placed = [t for t in disagreement.tellings if t.section_title is not None]
        if not placed or placed[0].chapter != chapter.number:
            continue
        here = placed[0]
        others = [
            t
            for t in disagreement.tellings
            if t is not here and format_event_date(t) != format_event_date(here)
        ]
        if not others or not any(s.title == here.section_title for s in chapter.sections):
            continue
        there = others[0]
        start = here.sentence.find(here.text) if here.text else 0
        source = quote_around(
            " ".join(here.sentence.split()), max(start, 0), max(start, 0) + len(here.text)
        )
        if not source:
            continue
        where = (
            f"the section “{there.section_title}”" if there.section_title else "the introduction"
        )
        prompt = (  # the review shows the passage itself above the prompt
            "The article dates one event in two ways: this passage gives "
            f"{format_event_date(here)}, but in {where} it says: “{_short(there.sentence)}” "
            f"({format_event_date(there)}). Why might one article give two dates for the same "
            "event, and how could you find out which is right?"
        )
        answer = (
            f"The article gives {format_event_date(here)} in one place and "
            f"{format_event_date(there)} in another, and both cannot be true of one event. "
            "One passage may be a slip, or the two may describe different steps of the same "
            "event; checking other sources, such as documents from the time, would settle it."
        )
        found.append(
            Drafted(
                kind="source-analysis",
                section=here.section_title or chapter.sections[0].title,
                level="evaluate",
                source=source,
                fields=(
                    ("prompt", prompt),
                    ("guidance", _DATE_GUIDANCE),
                    ("model_answer", answer),
                    ("lines", 6),
                ),
                sentence=-1 - number,
                name="dates",
            )
        )
    return found


def _figures(material: Material) -> list[Drafted]:
    """One exercise per sentence that sets another account's figure beside the article's."""
    found: list[Drafted] = []
    for sentence in material.sentences:
        marker = _OTHER_ACCOUNT.search(sentence.text)
        numbers = list(_ANY_NUMBER.finditer(sentence.text))
        if marker is None or not numbers:
            continue
        # the article's own figure: the paragraph's first one before the other account's, and
        # the last one counting the same unit (the reader compares them)
        numbered = [
            s
            for s in material.sentences
            if s.paragraph == sentence.paragraph
            and s.position < sentence.position
            and _ANY_NUMBER.search(s.text)
        ]
        units = {f.unit for f in find_numbers(sentence.text)}
        same = [s for s in numbered if units & {f.unit for f in find_numbers(s.text)}]
        earlier = sorted({*numbered[:1], *same[-1:]}, key=lambda s: s.position)
        if len(numbers) >= 2:  # "official figures report X, though estimates suggest Y"
            earlier = []
        elif not earlier:
            continue
        source = quote_around(sentence.text, marker.start(), numbers[-1].end())
        if not source:
            continue
        quotes = [f"“{_short(s.text)}”" for s in earlier]
        quoted = (  # the review shows the passage itself above the prompt
            f"Before this passage the article says {' and '.join(quotes)}. " if quotes else ""
        )
        reason = _BECAUSE.search(sentence.text[marker.start() :])
        own = (
            f" The article itself gives a reason: {reason['reason'].strip().rstrip('.')}."
            if reason and "because" in reason.group(0)
            else ""
        )
        answer = (
            "The article gives two figures for the same thing, so at least one account counts "
            f"differently or is less complete.{own} Figures like these depend on who counted, "
            "what they included and which records survived, so a student should say which "
            "figure they use and whose it is."
        )
        found.append(
            Drafted(
                kind="source-analysis",
                section=sentence.section.title,
                level="evaluate",
                source=source,
                fields=(
                    (
                        "prompt",
                        (
                            f"{quoted}This passage gives another account's figure. Why might "
                            "accounts of the same event give different figures, and what "
                            "should a student do when they meet two?"
                        ),
                    ),
                    ("guidance", _FIGURE_GUIDANCE),
                    ("model_answer", answer),
                    ("lines", 6),
                ),
                sentence=sentence.index,
                name="figures",
            )
        )
    return found


def draft_source_analysis(material: Material, chronology: ChronologyResult) -> list[Drafted]:
    """Every source-analysis candidate of a chapter: two dates, then two figures, for one thing.

    :param material: the chapter's material
    :param chronology: the chronology (its disagreements)
    :return: the candidates
    """
    return _dates(material, chronology) + _figures(material)
