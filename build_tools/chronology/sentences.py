"""The words of a sentence: where sentences end, a date's label and a label's key words.

Labels
    The label is the clause around the date: the sentence's part between strong
    breaks (``;``, a lone dash), then the comma-separated chunk holding the
    date, with the date and its preposition removed, asides in brackets or
    between dashes dropped, and connectives trimmed; at most 12 words.  An
    editor improves the labels of the key events in an overrides file
    (:func:`build_tools.chronology.overrides.load_overrides`).
"""

from __future__ import annotations

import re
from typing import Final

from build_tools.chronology.model import MONTH_NAMES

#: The most words a derived label has.
MAX_LABEL_WORDS: Final = 12

# fmt: off
_ABBREVIATIONS: Final = frozenset([
    "gen", "brig", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr", "mr", "mrs", "ms", "dr", "st",
    "no", "nos", "vs", "etc", "approx", "ca", "c", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "jr", "sr", "co", "corp", "inc", "ltd", "fig", "vol", "pp",
    "p", "rev", "gov", "sen", "rep", "pres",
])
_COMMA: Final = re.compile(r"(?<!\d),|,(?!\d)")  # not the comma of "780,000"
_SENTENCE_END: Final = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

_LEADING_WORDS: Final = frozenset([
    "and", "but", "or", "nor", "while", "which", "who", "whom", "whose", "where", "when", "as",
    "with", "then", "thereby", "following", "after", "before", "since", "although", "though",
    "despite", "amid", "including", "via", "so", "yet", "also", "until", "till", "of", "to", "for",
    "by", "in", "on", "at", "from",
])
_TRAILING_WORDS: Final = frozenset([
    "on", "in", "by", "at", "of", "to", "from", "for", "and", "or", "nor", "the", "a", "an",
    "with", "amid", "across", "against", "into", "onto", "under", "over", "as", "that", "which",
    "who", "its", "their", "his", "her", "starting", "beginning", "since", "until", "till",
    "during", "around", "circa", "early", "mid", "late",
])
_STOPWORDS: Final = frozenset([
    "a", "about", "above", "across", "after", "against", "all", "along", "also", "amid", "among",
    "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "during", "each", "either", "even", "every",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "his", "how",
    "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less",
    "many", "may", "might", "more", "most", "much", "must", "my", "near", "nearly", "new", "no",
    "nor", "not", "now", "of", "off", "on", "once", "one", "only", "onto", "or", "other", "our",
    "out", "over", "own", "per", "same", "several", "she", "should", "since", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "though", "through", "to", "too", "toward", "towards", "under", "until", "up", "upon", "very",
    "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose",
    "why", "will", "with", "within", "without", "would", "yet", "approximately", "around",
    "roughly", "almost", "first", "second", "third", "initial", "initially", "later", "subsequent",
    "following", "followed", "began", "begun", "including", "included", "despite", "day", "days",
    "month", "months", "year", "years", "time", "period", "early", "mid", "late", "mid-",
])
# fmt: on
_MONTHS_LOWER: Final = frozenset(name.lower() for name in MONTH_NAMES)


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Split running text into sentences.

    A full stop ends a sentence unless it closes an initial (``Harry S.``), an
    acronym with inner stops (``U.S.``) or a common abbreviation (``Gen.``).

    :param text: a paragraph's text
    :return: each sentence with its offset in the text
    """
    sentences: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start() + 1]
        word = re.search(r"([\w.]+)\.$", head)
        if word:
            last = word.group(1)
            if (
                len(last) == 1
                or "." in last
                or last.lower() in _ABBREVIATIONS
                or (last.isupper() and len(last) <= 2)
            ):
                continue
        sentences.append((start, text[start : match.end()].strip()))
        start = match.end()
    if text[start:].strip():
        sentences.append((start, text[start:].strip()))
    return sentences


def _words(text: str) -> list[str]:
    return re.findall(r"[^\s]+", text)


def _clean_words(words: list[str]) -> list[str]:
    words = [word.strip("\"“”‘’'*_") for word in words]
    words = [word for word in words if word and word not in ("—", "–", "-")]
    while words and words[0].lower().strip(",.") in _LEADING_WORDS:
        words = words[1:]
    while words and words[-1].lower().strip(",.;:") in _TRAILING_WORDS:
        words = words[:-1]
    if words:
        words[-1] = words[-1].rstrip(",.;:")
    return [word for word in words if word]


def _remove_spans(
    text: str, spans: list[tuple[int, int]], keep: tuple[int, int]
) -> tuple[str, int, int]:
    """Replace character spans of ``text`` by a space, moving the ``keep`` span accordingly."""
    a, b = keep
    shift = 0
    out: list[str] = []
    position = 0
    for first, last in sorted(spans):
        if first < position:
            continue
        out.append(text[position:first] + " ")
        if last <= keep[0]:
            shift += last - first - 1
        position = last
    out.append(text[position:])
    return "".join(out), a - shift, b - shift


def _asides(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed asides and of asides between two dashes."""
    spans: list[tuple[int, int]] = []
    depth, opened = 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, index + 1))
    spans += [(m.start(), m.end()) for m in re.finditer(r"—[^—]{1,200}—", text)]
    return spans


def _clause(sentence: str, a: int, b: int) -> tuple[str, int, int]:
    """The sentence reduced to the clause that holds ``[a, b)``, asides removed."""
    for first, last in sorted(_asides(sentence), key=lambda s: s[1] - s[0]):
        if first <= a and b <= last:
            inner = sentence[first + 1 : last - 1]
            rest = (inner[: a - first - 1] + inner[b - first - 1 :]).strip()
            if len(_words(rest)) >= 2:
                sentence, a, b = inner, a - first - 1, b - first - 1
            else:
                sentence = sentence[:first] + sentence[last:]
                a = b = first
            break
    spans = [(f, l) for f, l in _asides(sentence) if l <= a or f >= b]
    sentence, a, b = _remove_spans(sentence, spans, (a, b))
    breaks = [m.start() for m in re.finditer(r";|:(?=\s)|\s[—–-]\s|—", sentence)]
    left = max((p for p in breaks if p < a), default=-1)
    right = min((p for p in breaks if p >= b), default=len(sentence))
    return sentence[left + 1 : right], a - left - 1, b - left - 1


def derive_label(sentence: str, start: int, end: int) -> str:
    """A short label for the date at ``sentence[start:end]``: the clause around it.

    :param sentence: the sentence
    :param start: where the date starts in the sentence
    :param end: where the date ends
    :return: at most 12 words, first letter capitalised
    """
    clause, a, b = _clause(sentence, start, end)
    head, tail = clause[:a], clause[b:]
    head_cuts = [m.start() for m in _COMMA.finditer(head)]
    tail_cuts = [m.start() for m in _COMMA.finditer(tail)] + [len(tail)]
    before = _words(head[head_cuts[-1] + 1 :] if head_cuts else head)
    while before and before[-1].lower() in _TRAILING_WORDS:
        before = before[:-1]  # the date's own preposition
    after = _words(tail[: tail_cuts[0]])
    following = _words(tail[tail_cuts[0] + 1 : tail_cuts[1]] if len(tail_cuts) > 1 else "")
    if len(before) >= 3:
        fits = len(before) + len(after) <= MAX_LABEL_WORDS
        words = before + after if fits else before[-MAX_LABEL_WORDS:]
    elif len(before) + len(after) >= 3:
        words = (before + after)[:MAX_LABEL_WORDS]
    else:
        words = (before + after + following)[:MAX_LABEL_WORDS]
    words = _clean_words(words)
    if len(words) < 2:
        words = _clean_words(_words(head + " " + tail))[:MAX_LABEL_WORDS]
    label = " ".join(words) or " ".join(_words(sentence)[:MAX_LABEL_WORDS])
    return label[:1].upper() + label[1:]


def _stem(word: str) -> str:
    word = re.sub(r"['’]s$", "", word.lower())
    return word[:6] if len(word) > 6 else word


def key_terms(label: str, sentence: str = "") -> set[str]:
    """The key words of a label, to tell whether two labels tell one event.

    Identifiers (a capitalised word with a number, "Resolution 83") start with
    ``#``; names (capitalised inside the sentence) keep a capital; other content
    words are lower-case.  Words are cut to six letters, a crude stemmer that
    makes "intervened" and "intervention" one word.

    :param label: the label
    :param sentence: the sentence it comes from, to tell names from a capital
        that only starts the label
    :return: the key words
    """
    terms = {
        f"#{m.group(1).lower()} {m.group(2)}"
        for m in re.finditer(r"\b([A-Z][a-z]+)\s+(\d+[A-Za-z()]*)", label)
    }
    for position, word in enumerate(re.findall(r"[^\W\d_][\w'’-]*", label)):
        lower = word.lower()
        if lower in _STOPWORDS or len(lower) < 3 or lower in _MONTHS_LOWER:
            continue
        name = word[:1].isupper() and (
            position > 0 or re.search(rf"\S\s+{re.escape(word)}\b", sentence) is not None
        )
        terms.add(_stem(lower).capitalize() if name else _stem(lower))
    return terms
