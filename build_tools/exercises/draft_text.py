"""The article's sentences as drafting material, and the small rewrites a drafted question needs.

A drafted question quotes a sentence verbatim as its source and rewrites it
only in ways that keep it grammatical: dropping a leading connective
("However, "), lower-casing the first word where it is a common word, cutting
a quote to the words around what it must show.  Sentences that lean on the one
before them ("He ...", "This ...") are not used on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from build_tools.article.model import Article, Chapter, Paragraph, Section
from build_tools.chronology.model import MONTH_NAMES
from build_tools.chronology.sentences import split_sentences
from build_tools.exercises.schema import MAX_QUOTE_WORDS, MIN_QUOTE_WORDS

#: First words of a sentence that refer back to the one before it.
ANAPHORA: Final = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "this",
        "these",
        "that",
        "those",
        "his",
        "her",
        "its",
        "their",
        "such",
        "both",
        "there",
        "here",
        "other",
        "others",
        "another",
        "each",
        "neither",
        "either",
        "then",
        "so",
        "thus",
        "yet",
        "but",
        "and",
        "or",
        "nor",
        "also",
        "latter",
        "former",
    ]
)
#: Leading connectives a statement can drop without changing what it says.
_CONNECTIVE: Final = re.compile(
    r"^(?:However|Instead|In all|Concurrently|Meanwhile|In addition|Finally|Eventually|"
    r"Ultimately|Overall|In the end|At first|Soon|Later|Initially|In total|Altogether|"
    r"In contrast|By contrast|Similarly|Nevertheless|Moreover|Furthermore|Consequently|"
    r"As a result|Subsequently|Notably|Indeed),\s+"
)
_WORD: Final = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Words always written in lower case inside a sentence (the article may only start sentences with them).
_FUNCTION_WORDS: Final = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "after",
        "before",
        "from",
        "with",
        "when",
        "while",
        "as",
        "since",
        "until",
        "for",
        "of",
        "to",
        "over",
        "under",
        "during",
        "despite",
        "although",
        "though",
        "because",
        "if",
        "many",
        "most",
        "some",
        "all",
        "every",
        "no",
        "few",
    ]
)
#: Pronouns that, before any name, refer back to an earlier sentence.
_PRONOUNS: Final = frozenset(
    ["he", "she", "they", "it", "him", "them", "his", "her", "their", "its"]
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a section, verbatim, with where it stands.

    ``index`` is its position in the chapter (for a fixed order), ``paragraph``
    the index of its paragraph in the chapter, ``position`` its index in the
    paragraph.
    """

    text: str
    section: Section
    index: int
    paragraph: int
    position: int

    @property
    def words(self) -> int:
        """How many words it has."""
        return len(self.text.split())

    @property
    def standalone(self) -> bool:
        """Whether it can be read without the sentence before it.

        Not when it starts with a word that points back ("He", "This", "Other"),
        names someone by a pronoun before naming anyone ("On 5 May they ..."),
        says "this battle" early on, or "there" for a place.
        """
        return standalone(self.text)


def standalone(text: str) -> bool:
    """Whether a sentence can be read without the one before it (see :attr:`Sentence.standalone`).

    :param text: the sentence
    :return: whether it stands alone
    """
    words = [w.strip("\"'“”‘’(),.;:") for w in text.split()]
    if not words or words[0].lower() in ANAPHORA or text.startswith(("(", "—", "–", "-")):
        return False
    if len(words) > 1 and words[0] == "The" and words[1] in ("latter", "former", "same"):
        return False
    opening = words[0].lower() in _FUNCTION_WORDS  # "On 5 May they ...", not "Russia's defeat ..."
    for word in words[1:5] if opening else ():
        if word[:1].isupper() and word not in MONTH_NAMES:  # a name: later pronouns are its
            break
        if word in _PRONOUNS:  # a subject pronoun early on: who "they" are was said before
            return False
    demonstrative = any(w in ("this", "these", "those") for w in words[:6])
    there = any(
        w == "there"
        and (i + 1 >= len(words) or words[i + 1] not in ("was", "were", "is", "are", "had"))
        for i, w in enumerate(words)
    )
    return not demonstrative and not there


def chapter_sentences(chapter: Chapter) -> list[Sentence]:
    """Every sentence of the chapter's sections (the opening has no section to test).

    :param chapter: the chapter
    :return: the sentences in order
    """
    found: list[Sentence] = []
    paragraph = 0
    for section in chapter.sections:
        for block in section.blocks:
            if not isinstance(block, Paragraph):
                continue
            for position, (_, text) in enumerate(split_sentences(block.text)):
                found.append(
                    Sentence(" ".join(text.split()), section, len(found), paragraph, position)
                )
            paragraph += 1
    return found


def lowercase_words(article: Article) -> frozenset[str]:
    """The words the article writes in lower case somewhere (so a capital is only the start).

    :param article: the article
    :return: the words, lower-cased
    """
    words: set[str] = set()
    for _, _, paragraph in article.paragraphs():
        words.update(w for w in _WORD.findall(paragraph.text) if w.islower())
    return frozenset(words)


_FOLLOWED: Final = re.compile(r"\b([A-Z][a-z]+) ([a-z]+)?")
_VERBS_AFTER_NAMES: Final = frozenset(
    [
        "and",
        "or",
        "was",
        "were",
        "is",
        "are",
        "had",
        "has",
        "have",
        "in",
        "on",
        "at",
        "by",
        "to",
        "of",
        "for",
        "from",
        "with",
        "as",
        "but",
        "who",
        "which",
        "that",
        "where",
        "when",
        "while",
    ]
)


def adjective_words(article: Article) -> frozenset[str]:
    """Capitalised words the article mostly uses before a noun ("Soviet forces", "the Soviet zone").

    Such a word after a preposition ("of Soviet forces") is not a place.

    :param article: the article
    :return: the words
    """
    before_noun: dict[str, int] = {}
    seen: dict[str, int] = {}
    for _, _, paragraph in article.paragraphs():
        for match in _FOLLOWED.finditer(paragraph.text):
            word, following = match.group(1), match.group(2)
            seen[word] = seen.get(word, 0) + 1
            if following and following not in _VERBS_AFTER_NAMES:
                before_noun[word] = before_noun.get(word, 0) + 1
    return frozenset(word for word, count in before_noun.items() if 2 * count > seen[word])


def iter_paragraph_texts(chapter: Chapter) -> Iterator[tuple[Section, str]]:
    """Each paragraph of the chapter's sections with its section.

    :param chapter: the chapter
    :return: (section, text) pairs, in order
    """
    for section in chapter.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield section, " ".join(block.text.split())


def drop_connective(text: str) -> str:
    """A sentence without its leading connective ("However, the ..." -> "The ...").

    :param text: the sentence
    :return: the sentence, its first letter capitalised
    """
    stripped = _CONNECTIVE.sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != text else text


def lower_first(text: str, lowercase: frozenset[str]) -> str:
    """The text with its first word in lower case, when that word is a common word.

    "The Soviet Union ..." -> "the Soviet Union ..."; "Tunner ..." stays.

    :param text: a sentence or clause
    :param lowercase: the words the article writes in lower case (:func:`lowercase_words`)
    :return: the text, ready to follow other words
    """
    words = text.split(" ", 2)
    first = words[0]
    if not first[:1].isupper() or (first.isupper() and len(first) > 1):
        return text
    following = words[1] if len(words) > 1 else ""
    determiner = first.lower() in _FUNCTION_WORDS
    acronym = following.replace(".", "").isupper()  # "Initial PVA strength", "Total U.S. losses"
    if determiner or (first.lower() in lowercase and (acronym or not following[:1].isupper())):
        return first[:1].lower() + text[1:]
    return text


def sentence_case(text: str) -> str:
    """The text with a capital first letter."""
    return text[:1].upper() + text[1:]


def without_stop(text: str) -> str:
    """The sentence without its closing full stop (or other end mark)."""
    return text.rstrip().rstrip(".!?;:").rstrip()


def quote_around(text: str, start: int, end: int) -> str:
    """A verbatim quote of 6-40 words from ``text`` that holds ``text[start:end]``.

    The whole text when it is short enough, else a window of whole words
    around the span.

    :param text: a sentence, whitespace collapsed
    :param start: where the span starts
    :param end: where it ends
    :return: the quote (empty when the span alone is longer than 40 words)
    """
    words = text.split(" ")
    if MIN_QUOTE_WORDS <= len(words) <= MAX_QUOTE_WORDS:
        return text
    if len(words) < MIN_QUOTE_WORDS:
        return ""
    offsets = []
    position = 0
    for word in words:
        offsets.append(position)
        position += len(word) + 1
    first = max(i for i, offset in enumerate(offsets) if offset <= start)
    last = max(i for i, offset in enumerate(offsets) if offset < max(end, start + 1))
    if last - first + 1 > MAX_QUOTE_WORDS:
        return ""
    spare = MAX_QUOTE_WORDS - (last - first + 1)
    low = max(0, first - spare // 2)
    high = min(len(words), low + MAX_QUOTE_WORDS)
    low = max(0, high - MAX_QUOTE_WORDS)
    window = words[low:high]
    dangling = (
        "which",
        "and",
        "or",
        "the",
        "of",
        "to",
        "a",
        "an",
        "that",
        "with",
        "by",
        "in",
        "on",
    )
    while len(window) > MIN_QUOTE_WORDS and high > last + 1 and window[-1] in dangling:
        window.pop()  # a quote does not end on "which"
        high -= 1
    return " ".join(window).rstrip(",;:")
