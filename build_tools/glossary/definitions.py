"""Extractive definitions: the article's own sentence that best says what a term is.

:func:`define` scores every sentence that names a term (is it the first
use; does the sentence define the name: "X, the ...", "X was a ...", "known
as X", "X (ACR)"; is the name its subject; is it a readable length), takes
the best one, cuts it to a clause when it is too long for a glossary
(:data:`TARGET_WORDS`, below the loader's 60-word limit), and returns the
definition with the verbatim passage it quotes.  Cuts are marked with "…".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from build_tools.glossary.candidates import Passage
from build_tools.glossary.words import TITLES

#: The longest drafted definition, in words (the data file allows 60).
TARGET_WORDS = 50
_MIN_WORDS = 8

_APPOSITIVE = re.compile(r"^(?:,\s+(?:the|a|an|who|which)\b|\s+\(|,\s+[a-z])")
_COPULA = re.compile(
    r"^\s+(?:was|is|were|are|became|served as|remained|meant|refers to)\s+(?:a|an|the|one)\b"
)
_MARKED_BEFORE = re.compile(
    r"(?:known as|called|dubbed|termed|named|nicknamed|so-called|of|policy of)\s+(?:the\s+)?[\"“]?$"
)
_CLAUSE = re.compile(r";\s+|\s+[—–]\s+|,\s+(?=(?:which|while|whereas|but|although|though)\b)")
_REFERS_BACK = re.compile(r"^(?:This|These|It|They|Such)\b")
_CONTINUES = re.compile(r"^(?:He|She|It|They|This|These|His|Her|Its|Their)\b")


@dataclass(frozen=True)
class Definition:
    """A drafted definition and the passage of the article it quotes."""

    text: str
    source: str
    passage: int


def _words(text: str) -> int:
    return len(text.split())


def _score(
    passage: Passage, sentence: tuple[int, int], span: tuple[int, int], *, rank: int, headword: str
) -> float:
    """How well a sentence defines the term it names at ``span``: a defining pattern, the
    full name with a title, near the start, among the first uses, of a readable length."""
    start, end = span
    text = passage.text
    s_start, s_end = sentence
    after, before = text[end:s_end], text[s_start:start]
    score = 0.0
    if text[start:end] == headword:
        score += 1.0  # the full name ("Douglas MacArthur", not "MacArthur")
    if before.split()[-1:] and before.split()[-1] in TITLES:
        score += 1.0  # "General Douglas MacArthur": the sentence says who he was
    if _APPOSITIVE.match(after) or _COPULA.match(after):
        score += 3
    if _MARKED_BEFORE.search(before):
        score += 2
    if _words(before) <= 6:
        score += 1
    score += {0: 1.5, 1: 0.7, 2: 0.3}.get(rank, 0)
    words = _words(text[s_start:s_end])
    if words < _MIN_WORDS:
        score -= 2.5
    elif words > 90:
        score -= 1.5
    score -= 0.04 * max(0, words - 30)  # shorter sentences read better
    return score


def _clause(text: str, start: int, end: int, mention: int) -> tuple[int, int]:
    """The clause of ``text[start:end]`` around ``mention``, within :data:`TARGET_WORDS`."""
    cuts = [start, *(m.end() for m in _CLAUSE.finditer(text, start, end)), end]
    bounds = [(a, b) for a, b in itertools.pairwise(cuts)]
    index = next((i for i, (a, b) in enumerate(bounds) if a <= mention < b), len(bounds) - 1)
    low, high = bounds[index]
    while _words(text[low:high]) < 12 and index + 1 < len(bounds):
        index += 1
        if _words(text[low : bounds[index][1]]) > TARGET_WORDS:
            break
        high = bounds[index][1]
    # still too long: keep whole words from the clause start (or the mention), end at a comma
    if _words(text[low:high]) > TARGET_WORDS:
        words = list(re.finditer(r"\S+", text[low:high]))
        first = 0
        before_mention = [n for n, w in enumerate(words) if low + w.start() <= mention]
        if before_mention and before_mention[-1] > TARGET_WORDS - 15:
            first = before_mention[-1] - 5
        kept = words[first : first + TARGET_WORDS]
        cut = low + kept[-1].end()
        comma = text.rfind(", ", low + kept[0].start(), cut)
        if comma > low + kept[0].start() and _words(text[low + kept[0].start() : comma]) >= 20:
            cut = comma
        low, high = low + kept[0].start(), cut
    return low, high


def _tidy(text: str) -> str:
    return text.strip().rstrip(",;:—– ")


def define(
    mentions: Sequence[tuple[int, int, int]], passages: Sequence[Passage], *, headword: str = ""
) -> Definition | None:
    """The best defining passage of a term, cut to a glossary definition.

    :param mentions: every occurrence of the term: (passage, start, end), in order
    :param passages: the article's passages
    :param headword: the term's headword (a sentence using it in full defines better)
    :return: the definition and its verbatim source, or None when no sentence will do
    """
    best: tuple[float, int, int, int, int, int] | None = None
    for rank, (index, start, end) in enumerate(mentions):
        passage = passages[index]
        sentence = next(((a, b) for a, b in passage.sentences if a <= start < b), None)
        if sentence is None:
            continue
        score = _score(passage, sentence, (start, end), rank=rank, headword=headword)
        if best is None or score > best[0]:
            best = (score, index, sentence[0], sentence[1], start, rank)
    if best is None:
        return None
    _, index, s_start, s_end, start, _ = best
    passage = passages[index]
    text = passage.text
    low, high = s_start, s_end
    if _words(text[low:high]) > TARGET_WORDS:
        low, high = _clause(text, low, high, start)
    else:
        previous = [(a, b) for a, b in passage.sentences if b <= s_start]
        if (
            previous
            and _REFERS_BACK.match(text[s_start:])
            and _words(text[previous[-1][0] : high]) <= TARGET_WORDS
        ):  # "This problem was known as the Eastern Question.": say which problem
            low = s_start = previous[-1][0]
        following = [(a, b) for a, b in passage.sentences if a >= s_end]
        if (
            following
            and _words(text[low:high]) < 20
            and _CONTINUES.match(text[following[0][0] :])
            and _words(text[low : following[0][1]]) <= TARGET_WORDS
        ):
            high = following[0][1]
    source = _tidy(text[low:high])
    if _words(source) < 4:
        return None
    definition = source
    if low > s_start:  # cut at the front
        definition = "…" + definition
    if not re.search(r"[.!?][\"”’)]?$", source):  # cut at the end
        definition += " …"
    return Definition(definition, source, index)
