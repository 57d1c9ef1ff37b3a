"""Multiple-choice drafts: who did it, when it happened, how many; distractors of the same kind.

Three question shapes, each kept grammatical without reordering the sentence:

- **who**: a sentence that opens with a person ("General X, the governor,
  wanted to ...") becomes "According to the article, who wanted to ...?";
  a glossary place or organisation opening it becomes "which of these";
- **when**: a sentence that opens or ends with its date ("On June 24, 1948
  the ...", "... was signed on March 30, 1856.") is given without the date,
  then "According to the article, when did this happen?";
- **how many**: the number becomes "how many <unit>" where it stands
  ("... had food for about how many days?").

The distractors are other facts of the same kind from the article (other
people, other dates of the same precision, other numbers of the same unit),
numbers filled up by doubling or halving when the article has too few.
"""

from __future__ import annotations

import re
from typing import Final

from build_tools.chronology.model import MONTH_NAMES
from build_tools.exercises.draft_common import (
    Drafted,
    Material,
    in_range,
    person_others,
    scaled_numbers,
)
from build_tools.exercises.draft_facts import Fact, find_dates, replacement_text, split_count
from build_tools.exercises.draft_text import (
    ANAPHORA,
    Sentence,
    drop_connective,
    lower_first,
    sentence_case,
    without_stop,
)

MAX_WORDS: Final = 36
_LEADING_DATE: Final = re.compile(r"^(?:On|In|By|During) $")
_TRAILING_DATE: Final = re.compile(r" (?:on|in|by|during)$")
_CLAUSE_END: Final = re.compile(r"(?:,(?!\d)|;| —| –)")
#: The longest "how many" question, in words (a longer one reads as a puzzle).
MAX_ASKED_WORDS: Final = 26
#: Common irregular past tenses, for a name that opens a sentence as its subject.
_PAST: Final = frozenset(
    [
        "was",
        "were",
        "had",
        "took",
        "made",
        "became",
        "began",
        "led",
        "sent",
        "won",
        "lost",
        "fought",
        "held",
        "gave",
        "saw",
        "met",
        "left",
        "went",
        "rose",
        "fell",
        "struck",
        "drew",
        "built",
        "broke",
        "ran",
        "set",
        "kept",
        "put",
        "brought",
        "sought",
        "caught",
        "told",
        "said",
        "came",
        "chose",
        "drove",
        "threw",
        "bore",
    ]
)
_WHICH: Final = {
    "place": "which of these places",
    "organisation": "which of these",
    "operation": "which of these",
    "agreement": "which of these",
}


def _standalone(text: str) -> bool:
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    return first not in ANAPHORA


def _first_clause(text: str, after: int) -> str:
    """The sentence up to the end of the clause holding position ``after`` (", but ...": cut)."""
    match = _CLAUSE_END.search(text, after)
    return text[: match.start()] + "." if match else text


def _options(answer: str, distractors: list[str]) -> tuple[tuple[str, object], ...] | None:
    chosen: list[str] = []
    for text in distractors:
        if text.casefold() != answer.casefold() and text.casefold() not in {
            c.casefold() for c in chosen
        }:
            chosen.append(text)
        if len(chosen) == 3:
            break
    if len(chosen) < 3:
        return None
    return (("options", ({"text": answer, "correct": True}, *({"text": t} for t in chosen))),)


def _who(material: Material, sentence: Sentence, text: str, fact: Fact) -> Drafted | None:
    """ "Who ...?" for a sentence that opens with a person (or a glossary name)."""
    if fact.start != 0:
        return None
    rest = text[fact.end :]
    appositive = re.match(r"^, [^,]+, ", rest)
    if appositive:
        rest = rest[appositive.end() - 1 :]
    verb = rest.split()[0] if rest.split() else ""
    if not verb.islower() or verb in ("and", "or", "of", "in", "at", "to", "who", "which"):
        return None
    if fact.kind == "person":
        person = material.pool.people.get(fact.value)
        surname = person.surname if person else fact.text
        if surname in rest or any(
            f.kind == "person" and f.start >= fact.end for f in material.finder.people_in(text)
        ):
            return None  # "who commanded the British army and X the French army?"
        others = person_others(material, fact)
        answer = person.display if person else fact.text
        distractors = [
            material.pool.people[o.value].display for o in others if o.value in material.pool.people
        ]
        asking = "who"
        role = appositive.group(0).strip(", ") if appositive else ""
        explanation = (
            f"The article names {answer}, {role}; the other options are other people it mentions."
            if role.startswith(("a ", "an ", "the "))
            else f"The article names {answer} here; the other options are other people it mentions."
        )
    else:
        if not (verb.endswith("ed") or verb in _PAST):  # "KPA forces pressed": not a verb
            return None
        others = material.pool.others(fact)
        answer = fact.text
        distractors = [o.text for o in others]
        asking = _WHICH[fact.kind]
        explanation = f"The article names {answer} here; the other options are other names it uses."
    options = _options(answer, distractors)
    if options is None:
        return None
    prompt = f"According to the article, {asking}{without_stop(rest)}?"
    return _choice(sentence, prompt, options, explanation, name="who", rank=0.0)


def _when(material: Material, sentence: Sentence, text: str, fact: Fact) -> Drafted | None:
    """ "When did this happen?" for a sentence that opens or ends with its date."""
    before, after = text[: fact.start], text[fact.end :]
    if _LEADING_DATE.match(before):
        rest = sentence_case(after.lstrip(", "))
    elif _TRAILING_DATE.search(before) and after.strip() in (".", ""):
        rest = _TRAILING_DATE.sub("", before).rstrip(",") + "."
    else:
        return None
    if len(rest.split()) < 5 or in_range(text, fact) or not _standalone(rest):
        return None
    if find_dates(rest) or any(month in rest for month in MONTH_NAMES):
        return None  # another date left in: "when" would be unclear
    others = material.pool.others(fact, avoid={f.value for f in material.facts_of(sentence)})
    if fact.kind == "day":
        others = [o for o in others if o.value[:7] != fact.value[:7]] or others
    options = _options(fact.text, [o.text for o in others])
    if options is None:
        return None
    explanation = (
        f"The article dates this to {fact.text}; the other dates are those of "
        "other events in the article."
    )
    prompt = f"{rest} According to the article, when did this happen?"
    return _choice(sentence, prompt, options, explanation, name="when", rank=0.2)


def _count_explanation(
    answer: str, options: tuple[tuple[str, object], ...], drawn: list[str]
) -> str:
    """Why the figure is right, and where the wrong ones come from (the article, or made up)."""
    offered = options[0][1]
    assert isinstance(offered, tuple)
    wrong = [option["text"] for option in offered if not option.get("correct")]
    from_article = sum(text in drawn for text in wrong)
    source = (
        "other figures the article gives"
        if from_article == len(wrong)
        else "made up from it (doubled, halved)"
        if not from_article
        else "other figures the article gives, or made up from this one"
    )
    return f"The article gives {answer}; the other options are {source}."


def _how_many(material: Material, sentence: Sentence, text: str, fact: Fact) -> Drafted | None:
    """ "... how many <unit> ...?" where the number stands."""
    unit = split_count(fact.text)[1]
    if not unit.islower() and not unit.endswith("s"):
        return None
    before = re.sub(r"\bthe $", "", text[: fact.start])  # "for the 4,000 defenders": "for how many"
    if re.search(r", (?:which|who|where|whose) [^,]*$", before):
        return None  # inside a relative clause: cut there, the question has no verb
    asked = _first_clause(f"{before}how many {unit}{text[fact.end :]}", len(before))
    names = [w for w in asked.split()[1:] if w[:1].isupper()]
    if sentence.position > 0 and not names:
        return None  # "UNC forces incurred how many casualties?": in which battle? (said before)
    participle = re.search(r", [a-z]+ing\b[^,]*$", before)
    if participle and not any(
        w.endswith("ed") or w in _PAST for w in before[: participle.start()].split()
    ):
        return None  # "the ROK Army, numbering about how many troops ...?": no main verb
    here = {f.value for f in material.facts_of(sentence)}
    drawn = [
        replacement_text(fact, o, material.pool) for o in material.pool.others(fact, avoid=here)
    ]
    options = _options(fact.text, [*drawn, *scaled_numbers(fact)])
    if options is None or len(asked.split()) > MAX_ASKED_WORDS:
        return None
    prompt = f"According to the article, {lower_first(without_stop(asked), material.lowercase)}?"
    explanation = _count_explanation(fact.text, options, drawn)
    return _choice(
        sentence, prompt, options, explanation, name="how-many", rank=0.4 if drawn else 0.8
    )


def _choice(
    sentence: Sentence,
    prompt: str,
    options: tuple[tuple[str, object], ...],
    explanation: str,
    *,
    name: str,
    rank: float,
) -> Drafted:
    """A multiple-choice draft on one sentence: its prompt, options and explanation."""
    return Drafted(
        kind="multiple-choice",
        section=sentence.section.title,
        level="remember",
        source=sentence.text,
        fields=(("prompt", prompt), *options, ("explanation", explanation)),
        sentence=sentence.index,
        name=name,
        rank=rank,
    )


def draft_multiple_choice(material: Material) -> list[Drafted]:
    """Every multiple-choice candidate of a chapter, at most one per sentence.

    :param material: the chapter's material
    :return: the candidates (who, then when, then how many, for each sentence)
    """
    found: list[Drafted] = []
    for sentence in material.sentences:
        if not sentence.standalone or sentence.words > MAX_WORDS or not sentence.text.endswith("."):
            continue
        text = drop_connective(sentence.text)
        shift = len(sentence.text) - len(text)
        facts = [
            Fact(f.kind, f.text, f.start - shift, f.end - shift, f.value, f.unit)
            for f in material.facts_of(sentence)
            if f.start >= shift
        ]
        for maker, kinds in (
            (_who, ("person", "place", "organisation", "operation", "agreement")),
            (_when, ("day", "month", "year")),
            (_how_many, ("number",)),
        ):
            drafted = next(
                (
                    d
                    for f in facts
                    if f.kind in kinds
                    for d in [maker(material, sentence, text, f)]
                    if d is not None
                ),
                None,
            )
            if drafted is not None:
                found.append(drafted)
                break
    return found
