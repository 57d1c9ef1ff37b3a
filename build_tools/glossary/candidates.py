"""Candidate glossary terms found in an article's own text.

:func:`read_passages` cuts the article into passages (paragraphs and table
cells) and sentences; :func:`find_candidates` finds in them the names a
glossary may explain: runs of capitalised words (people, places,
organisations, operations, agreements), acronyms with the expansion the
article gives them ("Korean People's Army (KPA)") and concepts the article
marks itself (a phrase it calls something, a policy of something, a term in
parentheses, a phrase of a section heading it uses in its text).  Every
candidate is spelled exactly as the article spells it.  Pure functions: no
file, no network, no word list of any one article.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from build_tools.article.model import Article, Paragraph, Table
from build_tools.glossary.model import book_parts
from build_tools.glossary.words import (
    COMMON_SHIPS,
    CONCEPT_HEADS,
    CONNECTORS,
    EVENT_NOUNS,
    EXPANSION_CONNECTORS,
    FUNCTION_WORDS,
    KEYWORDS,
    LOCATIVE,
    MONTHS,
    NAME_POSSESSIVES,
    PAST_TENSES,
    ROLE_NOUNS,
    TITLES,
)

_ROMAN = re.compile(r"^[IVXLC]+$")
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?(?:['’](?=\s|$)|\.(?<=[A-Z]\.))?")
_ACRONYM = re.compile(r"^(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])[A-Z][A-Z0-9-]*[A-Z0-9](?:s)?$")
ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_NUMBER = re.compile(r"^\d+(?:\([IVXL]+\))?$")
# a sentence ends at . ! ? (and a closing quote) followed by a space and a capital or a quote;
# not after an initial ("Harry S. Truman") or an abbreviation with inner dots ("U.S. Army")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_INITIAL_BEFORE = re.compile(r"(?:^|[\s(])(?:[A-Z]|[A-Z][a-z]{0,2}|(?:[A-Za-z]\.){1,3}[A-Za-z])\.$")


# -- passages and sentences --------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A paragraph or table cell: the text a source quote may come from.

    ``chapter`` is 0 for the introduction, else the chapter's number;
    ``order`` is the passage's position in the article.
    """

    text: str
    chapter: int
    order: int
    sentences: tuple[tuple[int, int], ...] = ()
    #: a table's header cell: capitalised as a heading, so no source of names
    header: bool = False


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of a text, as (start, end) offsets.

    :param text: a paragraph's text
    :return: the spans, covering every sentence, in order
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        head = text[start:end].rstrip('"”’)')
        if _INITIAL_BEFORE.search(head):
            continue  # "Harry S. Truman", "Gen. Walker", "U.S. forces"
        spans.append((start, match.start() + len(match.group()) - len(match.group().lstrip())))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple((s, e) for s, e in ((s, len(text[:e].rstrip()) if e else e) for s, e in spans))


def read_passages(article: Article) -> tuple[Passage, ...]:
    """Every paragraph and table cell of the article, with its chapter and sentences.

    :param article: the article
    :return: the passages in reading order
    """
    numbers = {chapter.label: chapter.number for chapter in article.chapters}
    passages: list[Passage] = []
    for _, place, blocks in book_parts(article):
        chapter = numbers.get(place.label, 0)
        for block in blocks:
            if isinstance(block, Paragraph):
                texts = [(block.text, False)]
            elif isinstance(block, Table):
                texts = [(cell, True) for cell in block.header]
                texts += [(cell, False) for row in block.rows for cell in row]
            else:
                continue
            for text, header in texts:
                if text.strip():
                    passages.append(
                        Passage(text, chapter, len(passages), split_sentences(text), header)
                    )
    return tuple(passages)


def headings(article: Article) -> tuple[str, ...]:
    """The article's title and every chapter and section title."""
    found = [article.title]
    for chapter in article.chapters:
        found += [chapter.title, *(section.title for section in chapter.sections)]
    return tuple(found)


# -- words --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word of a sentence, with its offsets in the passage."""

    text: str
    start: int
    end: int

    @property
    def capital(self) -> bool:
        return self.text[0].isupper()


def words_of(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]``, with offsets in ``text``."""
    found = _WORD.finditer(text, start, len(text) if end is None else end)
    return [Word(m.group(), m.start(), m.end()) for m in found]


def is_acronym(word: str) -> bool:
    """An acronym: two or more capitals, maybe digits and hyphens, maybe a plural s."""
    return bool(_ACRONYM.match(word)) and not _ROMAN.match(word.rstrip("s"))


def _is_name_word(word: str) -> bool:
    return word[0].isupper() or bool(ORDINAL.match(word))


# -- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One occurrence of a candidate name in a passage."""

    passage: int
    start: int
    end: int
    #: a title stood before it ("General"), or "who" after it: it names a person
    person: bool = False
    #: a preposition of place stood before it ("in", "near", "to")
    located: bool = False
    #: the next word is a lowercase content word: the name is used as an adjective
    adjective: bool = False
    #: it begins its sentence
    initial: bool = False
    #: it stands in a list of names ("Turkey, Canada and Greece")
    listed: bool = False


@dataclass
class Candidate:
    """A name the article uses, with every mention and what the article says of it."""

    name: str
    mentions: list[Mention] = field(default_factory=list)
    #: the acronym the article gives it, or the expansion of an acronym
    acronym: str = ""
    expansion: str = ""
    #: the article says what it is called ("called the Bizone", "known as the Candy Bomber")
    marked: bool = False
    #: how the article marks it: "name", "acronym", "concept" (the article says what it
    #: is called), "modifier" (a word before "strategy", "tactics"...), "heading"
    kind: str = "name"


@dataclass
class _Finder:
    passages: tuple[Passage, ...]
    lowercase: set[str]
    #: capitalised words the article writes inside a sentence
    inner: set[str]
    found: dict[str, Candidate] = field(default_factory=dict)

    def add(self, name: str, mention: Mention, kind: str = "name") -> Candidate:
        candidate = self.found.setdefault(name, Candidate(name, kind=kind))
        if kind != "name" and candidate.kind not in ("acronym", "concept"):
            candidate.kind = kind
        if all(
            m.start != mention.start or m.passage != mention.passage for m in candidate.mentions
        ):
            candidate.mentions.append(mention)
        return candidate


def _runs(words: list[Word]) -> Iterator[list[Word]]:
    """Runs of adjacent name words (connectors inside), as the sentence writes them."""
    run: list[Word] = []
    for index, word in enumerate(words):
        adjacent = not run or word.start == run[-1].end + 1
        if run and not adjacent:
            yield run
            run = []
        if run and adjacent and _NUMBER.match(word.text) and run[-1].text[0].isupper():
            run.append(word)  # "Resolution 82"
            yield run
            run = []
            continue
        if _is_name_word(word.text) and word.text not in MONTHS:
            run.append(word)
            possessive = "'" in word.text[1:] or "’" in word.text[1:]
            if possessive and word.text.lower().replace("’", "'") not in NAME_POSSESSIVES:
                yield run
                run = []
            continue
        if run and word.text in CONNECTORS and index + 1 < len(words):
            nxt = words[index + 1]
            if _is_name_word(nxt.text) or nxt.text in CONNECTORS:
                run.append(word)
                continue
        if run:
            yield run
            run = []
    if run:
        yield run


def _strip_possessive(text: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if text.endswith(ending) and text.lower().replace("’", "'") not in NAME_POSSESSIVES:
            return text[: -len(ending)]
    return text


def _trim(
    run: list[Word], first_in_sentence: bool, lowercase: set[str], inner: set[str]
) -> list[Word]:
    """A run without its sentence-initial common word, connectors or dates at its ends.

    A capitalised first word of a sentence is a common word when the article also writes it
    in lower case and never capitalised inside a sentence.
    """
    while run and (
        (
            first_in_sentence
            and run[0].text not in inner
            and (
                run[0].text.lower() in lowercase
                or run[0].text.endswith(("ing", "ly", "ed", "like"))
            )
        )
        or run[0].text in CONNECTORS
        or (first_in_sentence and run[0].text.lower() in FUNCTION_WORDS)
    ):
        run = run[1:]
        first_in_sentence = False
    while run and (run[-1].text in CONNECTORS or run[-1].text in MONTHS):
        run = run[:-1]
    return run


def _category_word(word: str) -> bool:
    return word in KEYWORDS


def _split_title(run: list[Word]) -> tuple[list[Word], bool]:
    """The name after a title ("South Korean President Syngman Rhee" -> "Syngman Rhee")."""
    for index in range(len(run) - 1, -1, -1):
        if run[index].text not in TITLES:
            continue
        rest = run[index + 1 :]
        if rest and rest[0].text == "of":  # "Secretary of State Dean Rusk"
            rest = rest[2:] if len(rest) > 2 else []
        if (
            rest
            and len(rest) <= 4
            and all(w.capital or w.text in CONNECTORS for w in rest)
            and not any(_category_word(w.text) or w.text[0].isdigit() for w in rest)
            and not is_acronym(rest[0].text)
        ):
            return rest, True
        return run, False
    return run, False


def _mention_of(
    text: str, words: list[Word], first: int, last: int, passage: int, *, person: bool
) -> Mention:
    before = words[first - 1].text.lower() if first > 0 else ""
    after = words[last + 1] if last + 1 < len(words) else None
    adjacent = after is not None and after.start == words[last].end + 1
    adjective = bool(
        adjacent
        and after is not None
        and after.text[0].islower()
        and after.text.lower() not in FUNCTION_WORDS
        and not after.text.endswith("ed")
        and after.text not in PAST_TENSES
        and not words[last].text.endswith(("'s", "’s"))
    )
    end = words[last].end
    numbered = re.match(r"\([IVXL]+\)", text[end:]) if words[last].text.isdigit() else None
    if numbered:  # "Resolution 376(V)"
        end += numbered.end()
    role = first > 0 and words[first - 1].text.lower().rstrip("s") in ROLE_NOUNS
    who = after is not None and text[words[last].end : after.start] == ", " and after.text == "who"
    return Mention(
        passage,
        words[first].start,
        words[first].start + len(_strip_possessive(text[words[first].start : end])),
        person=person or who or role,
        located=before in LOCATIVE,
        adjective=adjective,
        initial=first == 0,
        listed=bool(
            re.search(
                r"[A-Z][\w.]*(?:,| and| or)\s$",
                text[max(0, words[first].start - 30) : words[first].start],
            )
            or re.match(r"(?:,|,? and|,? or)\s[A-Z]", text[end : end + 8])
        ),
    )


def _find_names(finder: _Finder, index: int, passage: Passage) -> None:
    if passage.header:
        return
    text = passage.text
    for start, end in passage.sentences:
        words = words_of(text, start, end)
        positions = {id(word): n for n, word in enumerate(words)}
        for run in _runs(words):
            at = positions[id(run[0])]
            if at > 0 and words[at - 1].end == run[0].start - 1 and "-" in words[at - 1].text:
                continue  # "post-World War II": part of a longer word
            first_in_sentence = at == 0
            trimmed = _trim(run, first_in_sentence, finder.lowercase, finder.inner)
            if not trimmed:
                continue
            name_words, person = _split_title(trimmed)
            last_at = positions[id(name_words[-1])]
            if (
                len(name_words) == 1
                and ORDINAL.match(name_words[0].text)
                and last_at + 1 < len(words)
                and words[last_at + 1].start == name_words[0].end + 1
                and words[last_at + 1].text[0].islower()
                and words[last_at + 1].text not in FUNCTION_WORDS
            ):
                name_words = [*name_words, words[last_at + 1]]  # "38th parallel"
            if len(name_words) == 1 and (
                _ROMAN.match(name_words[0].text) or name_words[0].text.lower() in FUNCTION_WORDS
            ):
                continue
            first, last = positions[id(name_words[0])], positions[id(name_words[-1])]
            mention = _mention_of(text, words, first, last, index, person=person)
            if positions[id(trimmed[0])] != first:
                mention = dataclasses.replace(mention, initial=False)
            name = text[mention.start : mention.end]
            if name.endswith(".") and not re.search(r"[A-Z]\.$", name):
                name = name[:-1]
            if not name or not _is_name_word(name.split()[0]):
                continue
            following = words[last + 1] if last + 1 < len(words) else None
            if (
                following is not None
                and following.start == mention.end + 1
                and following.text in EVENT_NOUNS
                and not is_acronym(name)
            ):  # "the Chosin Reservoir campaign", "the Inchon landing": an operation
                finder.add(
                    text[mention.start : following.end],
                    Mention(index, mention.start, following.end, initial=mention.initial),
                )
            if is_acronym(name):
                finder.add(name, mention, "acronym")
            elif not ORDINAL.match(name) and not all(w in MONTHS for w in name.split()):
                finder.add(name, mention)


def spells_acronym(words: list[str], acronym: str) -> bool:
    """Whether the words spell the acronym: each capitalised word its initial (or itself,
    if it is an acronym), a connector its initial or nothing, a number itself."""
    letters = acronym.replace("-", "")

    def match(i: int, j: int) -> bool:
        if i == len(words):
            return j == len(letters)
        word = words[i]
        if word in EXPANSION_CONNECTORS:
            return match(i + 1, j) or (
                j < len(letters) and letters[j].lower() == word[0].lower() and match(i + 1, j + 1)
            )
        if word[0].isdigit():
            return letters.startswith(word, j) and match(i + 1, j + len(word))
        whole = word.replace(".", "") if "." in word and word.replace(".", "").isupper() else word
        if (
            (is_acronym(whole) or whole != word)
            and letters.startswith(whole, j)
            and match(i + 1, j + len(whole))  # "UN Command", "U.S. Army"
        ):
            return True
        parts = [part for part in word.split("-") if part]
        initials = "".join(p[0].upper() for p in parts)
        if len(parts) > 1 and letters.startswith(initials, j) and match(i + 1, j + len(parts)):
            return True
        return j < len(letters) and letters[j] == word[0].upper() and match(i + 1, j + 1)

    return len(words) >= 2 and match(0, 0) and words[0] not in EXPANSION_CONNECTORS


_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9-]*[A-Z0-9])\)")


def _find_expansions(finder: _Finder, index: int, passage: Passage) -> None:
    """ "Expansion (ACR)": the shortest run of words before the parenthesis that spells it."""
    text = passage.text
    for match in _PAREN_ACRONYM.finditer(text):
        acronym = match.group(1)
        if not is_acronym(acronym):
            continue
        before = words_of(text, max(0, match.start() - 200), match.start())
        if not before or before[-1].end != match.start() - 1:
            continue
        runs = []
        for chosen in (before[-size:] for size in range(2, min(len(before), 12) + 1)):
            words = [w.text for w in chosen]
            if any(w.end != n.start - 1 for w, n in itertools.pairwise(chosen)):
                break
            if not (words[0][0].isupper() or words[0][0].isdigit()):
                if words[0] not in EXPANSION_CONNECTORS:
                    break
                continue
            runs.append(chosen)
        # the run that spells the acronym; else the capitalised run that begins and ends
        # with its first and last letters ("Demilitarized Zone (DMZ)")
        exact = [run for run in runs if spells_acronym([w.text for w in run], acronym)]
        if not exact and len(acronym) >= 5:  # "Temporary Commission on Korea (UNTCOK)"
            exact = [run for run in runs if spells_acronym([w.text for w in run], acronym[2:])]
        loose = [
            run
            for run in runs
            if run[0].text[0] == acronym[0]
            and run[-1].text[0] == acronym.rstrip("s")[-1]
            and all(w.capital for w in run)
            and len(run) < len(acronym.replace("-", ""))
        ]
        for chosen in (exact or loose)[:1]:
            mention = Mention(index, chosen[0].start, chosen[-1].end)
            expansion = text[mention.start : mention.end]
            candidate = finder.add(expansion, mention)
            candidate.acronym = acronym
            finder.add(acronym, Mention(index, match.start(1), match.end(1)), "acronym")
            finder.found[acronym].expansion = finder.found[acronym].expansion or expansion


def _lowercase_phrases(finder: _Finder, phrase: str, *, kind: str = "concept") -> Candidate | None:
    """Every whole-word occurrence of a lowercase phrase, as one candidate."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])")
    candidate = None
    for index, passage in enumerate(finder.passages):
        for match in pattern.finditer(passage.text):
            candidate = finder.add(phrase, Mention(index, match.start(), match.end()), kind)
    return candidate


_MARKED = re.compile(
    r"\b(?:known as|called|termed|dubbed|nicknamed|so-called|referred to as)\s+"
    r"(?:the\s+|a\s+|an\s+)?[\"“]?([A-Za-z][\w’'-]*(?:\s+[A-Za-z][\w’'-]*){0,3}?)[\"”]?"
    r"(?=[\"”]?(?:[,.;:)]|\s+(?:by|to|for|in|on|because|after|and|which|that|of)\b))"
)
_POLICY_OF = re.compile(
    r"\b(?:policy|doctrine|strategy|principle|system|practice|theory)\s+of\s+"
    r"([a-z][\w-]{3,}(?:\s+[a-z][\w-]{2,})?)(?=[\s,.;])"
)
_PARENTHESIS = re.compile(r"\(([a-zà-ÿ][^\W\d_]*(?:[-\s][^\W\d_]+){0,2})\)")


def _plain_phrase(phrase: str) -> bool:
    """A lowercase phrase that can be a concept: no function word at either end."""
    words = phrase.split()
    return (
        bool(words)
        and not any(word in FUNCTION_WORDS for word in words)
        and not words[0].endswith("ing")  # "avoiding provocation": an action, no concept
    )


def _find_concepts(finder: _Finder, heads: tuple[str, ...]) -> None:
    modifiers: dict[str, int] = {}
    for passage in finder.passages:
        text = passage.text
        for match in _MARKED.finditer(text):
            phrase = match.group(1)
            if phrase[0].isupper():  # a name: found already, and now known to be explained
                if phrase in finder.found:
                    finder.found[phrase].marked = True
                continue
            if not _plain_phrase(phrase):
                continue
            _lowercase_phrases(finder, phrase)
        for match in _POLICY_OF.finditer(text):
            if _plain_phrase(match.group(1)):
                _lowercase_phrases(finder, match.group(1))
        for match in _PARENTHESIS.finditer(text):
            phrase = match.group(1)
            if ("-" in phrase or not phrase.isascii()) and phrase.split()[0] not in FUNCTION_WORDS:
                _lowercase_phrases(finder, phrase)
        for word in words_of(text):
            following = text[word.end + 1 : word.end + 20].split(" ", 1)[0].strip(",.;:")
            if (
                following in CONCEPT_HEADS
                and word.text[0].islower()
                and len(word.text) > 5
                and word.text not in FUNCTION_WORDS
                and not word.text.endswith(
                    ("al", "ic", "ive", "ary", "ed", "ing", "ous", "ior", "er", "ful", "ant")
                )
            ):
                modifiers[word.text] = modifiers.get(word.text, 0) + 1
        for word in words_of(text):
            if (
                word.text.endswith(("ism", "ship"))
                and word.text[0].islower()
                and word.text not in COMMON_SHIPS
            ):
                modifiers[word.text] = modifiers.get(word.text, 0) + 1
    for modifier, count in modifiers.items():
        if count >= 2:  # "the containment strategy ... containment doctrine"
            _lowercase_phrases(finder, modifier, kind="modifier")
    for title in heads[1:]:
        for phrase in re.split(r"\s*(?:\band\b|\bof\b|,|:|\(.*?\)|\bin\b|\bon\b)\s*", title):
            words = phrase.split()
            if not 2 <= len(words) <= 3 or words[0].lower() in FUNCTION_WORDS:
                continue
            lower = " ".join(words).lower()
            if lower.split()[-1] in FUNCTION_WORDS:
                continue
            _lowercase_phrases(finder, lower, kind="heading")


def find_candidates(
    passages: tuple[Passage, ...], heads: tuple[str, ...] = ()
) -> dict[str, Candidate]:
    """Every candidate name of the article, by its exact spelling.

    :param passages: the article's passages (from :func:`read_passages`)
    :param heads: the article's title and headings (from :func:`headings`)
    :return: the candidates, in the order they first occur
    """
    lowercase = {
        w.group().lower()
        for passage in passages
        for w in _WORD.finditer(passage.text)
        if w.group()[0].islower()
    }
    inner = {
        word.text
        for passage in passages
        for start, end in passage.sentences
        for word in words_of(passage.text, start, end)[1:]
        if word.capital
    }
    finder = _Finder(passages, lowercase, inner)
    for index, passage in enumerate(passages):
        _find_expansions(finder, index, passage)
    for index, passage in enumerate(passages):
        _find_names(finder, index, passage)
    _find_concepts(finder, heads)
    for candidate in finder.found.values():
        candidate.mentions.sort(key=lambda m: (m.passage, m.start))
    return finder.found
