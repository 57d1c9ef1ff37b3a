"""Short-answer drafts on key sentences: why something happened, what something was, what someone did.

- **why**: a sentence giving its own reason ("... because ...", "in order
  to", "due to") becomes "Use the article to explain why <what happened>.";
  the model answer is the sentence (with the one before it, for context), the
  marking points the reason and the context;
- **what was**: a defining sentence ("The Treaty of Paris was the ...")
  becomes "According to the article, what was the Treaty of Paris?"; the
  marking points are the parts of the definition;
- **what did**: a person the chapter tells about in two sentences or more
  becomes "According to the article, what did <person> do?"; the marking
  points are what each sentence says.

Every answer is the article's own sentences: nothing the source does not state.
"""

from __future__ import annotations

import re
from typing import Final

from build_tools.exercises.draft_common import Drafted, Material
from build_tools.exercises.draft_text import (
    Sentence,
    drop_connective,
    lower_first,
    quote_around,
    sentence_case,
    without_stop,
)

_REASON: Final = re.compile(
    r"^(?P<main>.+?),? (?P<marker>because(?: of)?|in order to|so as to|due to|owing to) "
    r"(?P<reason>.+)$"
)
_DEFINITION: Final = re.compile(
    r"^(?P<subject>(?:The )?[A-Z][\w'’-]*(?: (?:of |the |and |de )*[A-Z][\w'’-]*){0,5})"
    r" (?P<verb>was|were|is|are) (?P<predicate>(?:a|an|the|one) .+)$"
)
_SPLIT: Final = re.compile(
    r", (?:and |but |which |who |where |while )?| (?=(?:after|because|when|from|with|during) )"
)
MAX_POINT_WORDS: Final = 20


def _point(text: str) -> str:
    """A marking point: a clause of at most :data:`MAX_POINT_WORDS` words, capitalised."""
    words = without_stop(text).split()
    if len(words) > MAX_POINT_WORDS:  # cut where a clause ends (", and", ";"), else keep it whole
        cut = next(
            (
                i
                for i in range(6, len(words))
                if words[i - 1].endswith(";")
                or (
                    words[i - 1].endswith(",")
                    and words[i] in ("and", "but", "while", "so", "which", "where")
                )
            ),
            len(words),
        )
        words = words[:cut]
    return sentence_case(" ".join(words).rstrip(",;:"))


def _neighbour(material: Material, sentence: Sentence) -> Sentence | None:
    """The sentence before (else after) in the same paragraph, for context."""
    same = [s for s in material.sentences if s.paragraph == sentence.paragraph]
    before = [s for s in same if s.position == sentence.position - 1]
    after = [s for s in same if s.position == sentence.position + 1 and s.standalone]
    found = before or after
    return found[0] if found and found[0].words <= 40 else None


def _why(material: Material, sentence: Sentence) -> Drafted | None:
    text = without_stop(drop_connective(sentence.text))
    match = _REASON.match(text)
    if not match or len(match["main"].split()) < 4 or len(match["reason"].split()) < 2:
        return None
    main, marker, reason = match["main"], match["marker"], match["reason"]
    clauses = re.split(r",(?!\d) ", main)
    if len(clauses) > 1:  # the reason explains the last clause: "..., though X declined because"
        last = re.sub(r"^(?:and|but|though|although|while|which|so|yet) ", "", clauses[-1])
        if last == clauses[-1] or len(last.split()) < 3:
            return None  # "In 1950, ..., because": too tangled to ask about
        main = last
    if len(main.split()) > MAX_POINT_WORDS:
        return None
    context = _neighbour(material, sentence)
    answer = sentence_case(drop_connective(sentence.text))
    points = [f"Gives the reason: {marker} {reason}"]
    if context is not None and context.standalone:
        order = (
            [context.text, answer]
            if context.position < sentence.position
            else [answer, context.text]
        )
        answer = " ".join(order)
        points.append(f"Adds the context: {_point(context.text)}")
    else:
        points.append(f"Says what happened: {_point(main)}")
    return Drafted(
        kind="short-answer",
        section=sentence.section.title,
        level="understand",
        source=quote_around(sentence.text, 0, len(sentence.text)),
        fields=(
            ("prompt", f"Use the article to explain why {lower_first(main, material.lowercase)}."),
            ("model_answer", answer),
            ("marking_points", tuple(points)),
            ("lines", 4),
        ),
        sentence=sentence.index,
        name="why",
        rank=0.0,
    )


def _what_was(material: Material, sentence: Sentence) -> Drafted | None:
    text = without_stop(drop_connective(sentence.text))
    match = _DEFINITION.match(text)
    if not match:
        return None
    parts = [p for p in _SPLIT.split(match["predicate"]) if p and len(p.split()) >= 3]
    if len(parts) < 2:
        return None
    subject = lower_first(match["subject"], material.lowercase)
    return Drafted(
        kind="short-answer",
        section=sentence.section.title,
        level="remember",
        source=quote_around(sentence.text, 0, len(sentence.text)),
        fields=(
            ("prompt", f"According to the article, what {match['verb']} {subject}?"),
            ("model_answer", sentence_case(drop_connective(sentence.text))),
            ("marking_points", tuple(_point(p) for p in parts[:4])),
            ("lines", 3),
        ),
        sentence=sentence.index,
        name="what",
        rank=0.3,
    )


def _what_did(material: Material) -> list[Drafted]:
    """One "what did X do?" per person the chapter tells about in two sentences or more.

    A sentence tells about the person when it names them in its first ten words
    and before anyone else ("Ridgway succeeded MacArthur" is about Ridgway).
    """
    found: list[Drafted] = []
    told: dict[str, list[Sentence]] = {}
    for sentence in material.sentences:
        people = [fact for fact in material.facts_of(sentence) if fact.kind == "person"]
        # about the person: named in its first ten words, before anyone else
        if people and sentence.words <= 40 and len(sentence.text[: people[0].start].split()) < 10:
            told.setdefault(people[0].value, [])
            if sentence not in told[people[0].value]:
                told[people[0].value].append(sentence)
    for name, sentences in told.items():
        person = material.pool.people.get(name)
        first = sentences[0]
        if person is None or len(sentences) < 2 or not first.standalone:
            continue
        chosen = sentences[:3]
        # the sentences right after a mention that go on about the person ("He ...", "She ...")
        follow = [
            s
            for s in material.sentences
            if s.paragraph == first.paragraph
            and s.position == first.position + 1
            and s.text.split()[0] in ("He", "She")
        ]
        if follow and follow[0] not in chosen:
            chosen = sorted([*chosen[:2], follow[0]], key=lambda s: s.index)
        found.append(
            Drafted(
                kind="short-answer",
                section=first.section.title,
                level="understand",
                source=first.text,
                fields=(
                    ("prompt", f"According to the article, what did {person.display} do?"),
                    ("model_answer", " ".join(drop_connective(s.text) for s in chosen)),
                    ("marking_points", tuple(_point(drop_connective(s.text)) for s in chosen)),
                    ("lines", 5),
                ),
                sentence=first.index,
                name="person",
                rank=0.1,
            )
        )
    return found


def _summaries(material: Material) -> list[Drafted]:
    """One "summarise the section" per section: its two or three sentences richest in facts.

    The sentences are those that stand alone, ranked by how many dates, numbers
    and names they state (ties: the earlier), then given in the article's order.
    """
    found: list[Drafted] = []
    for number, section in enumerate(material.chapter.sections):
        mine = [
            s
            for s in material.sentences
            if s.section is section and s.standalone and 6 <= s.words <= 40
        ]
        shorter = [s for s in mine if s.words <= 30]
        mine = shorter if len(shorter) >= 2 else mine
        ranked = sorted(mine, key=lambda s: (-len(material.facts_of(s)), s.index))
        chosen = sorted(ranked[:3], key=lambda s: s.index)
        if len(chosen) < 2:
            continue
        found.append(
            Drafted(
                kind="short-answer",
                section=section.title,
                level="understand",
                source=chosen[0].text,
                fields=(
                    (
                        "prompt",
                        (
                            f"Summarise what the article tells you under “{section.title}”. "
                            "Give two or three points."
                        ),
                    ),
                    ("model_answer", " ".join(drop_connective(s.text) for s in chosen)),
                    ("marking_points", tuple(_point(drop_connective(s.text)) for s in chosen)),
                    ("lines", 5),
                ),
                sentence=-1000 - number,  # built on several sentences: shares none
                name="summary",
                rank=0.6,
            )
        )
    return found


def draft_short_answers(material: Material) -> list[Drafted]:
    """Every short-answer candidate of a chapter: why, what was, what did, summaries.

    :param material: the chapter's material
    :return: the candidates
    """
    found: list[Drafted] = []
    for sentence in material.sentences:
        if not sentence.standalone:
            continue
        for maker in (_why, _what_was):
            drafted = maker(material, sentence)
            if drafted is not None and drafted.source:
                found.append(drafted)
                break
    return found + _what_did(material) + _summaries(material)
