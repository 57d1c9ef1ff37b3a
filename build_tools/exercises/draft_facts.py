"""The facts a drafted question can ask about or change: dates, figures, people, glossary names.

A :class:`Fact` is a span of one sentence with its kind; :class:`FactPool`
holds every fact of the article by kind, so that a changed fact or a
distractor is always another fact of the same kind that the article itself
states (another year, another number of the same unit, another person, another
place of the glossary).  People are recognised without a glossary only where
the article marks them as people: a title ("General", "Mayor"), a middle
initial ("Harry S. Truman"), an appositive naming a role (", a businesswoman
from ..."), or a next sentence starting "He"/"She".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from build_tools.article.model import Article
from build_tools.chronology.model import MONTH_NAMES
from build_tools.chronology.sentences import split_sentences
from build_tools.glossary.model import Glossary, whole_word

_MONTH: Final = "(?:" + "|".join(MONTH_NAMES) + ")"
_DAY_FIRST: Final = rf"\d{{1,2}} {_MONTH},? \d{{4}}"
_MONTH_FIRST: Final = rf"{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?, \d{{4}}"
_DATE: Final = re.compile(
    rf"(?<![\w–-])(?:(?P<day>{_MONTH_FIRST}|{_DAY_FIRST})|(?P<month>{_MONTH} \d{{4}})"
    rf"|(?P<year>(?:1[0-9]|20)\d{{2}}))(?![\w–%-])(?!,\d)"
)
_SCALE: Final = r"(?: (?:million|billion|thousand))?"
_NUMBER: Final = re.compile(
    rf"(?<![\w$£€.,–/-])(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?){_SCALE}"
    r" (?P<unit>[A-Za-z][a-z]+)(?: (?P<head>[a-z]+s)\b)?\b"
)
_MONTH_BEFORE: Final = re.compile(rf"{_MONTH} $")
_RANGE_BEFORE: Final = re.compile(r"(?:\bfrom|\bbetween|\bto|–|-) $")
_RANGE_AFTER: Final = re.compile(r"^ ?(?:to|and|–|-) ?\d")
#: Words after a number that are not what it counts.
_NOT_UNITS: Final = frozenset(
    [
        "million",
        "billion",
        "thousand",
        "and",
        "or",
        "of",
        "the",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "per",
        "percent",
        "than",
        "as",
        "a",
        "an",
        "is",
        "was",
        "were",
        "are",
        "be",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "which",
        "who",
        "when",
        "while",
        "after",
        "before",
    ]
) | frozenset(name.lower() for name in MONTH_NAMES)
_QUALIFIER: Final = re.compile(
    r"(?:about|around|some|over|nearly|almost|approximately|roughly|more than|fewer than"
    r"|less than|at least|up to|only|just) $"
)
#: Titles and roles that mark the name after them as a person.
_TITLES: Final = (
    "Field Marshal|Lieutenant General|Major General|Brigadier General|Prime Minister"
    "|Vice President|Secretary of State|General|Lieutenant|Colonel|Major|Captain|Admiral"
    "|Marshal|President|Premier|Chairman|Secretary|Senator|Governor|Mayor|King|Queen|Tsar"
    "|Emperor|Empress|Sultan|Lord|Lady|Sir|Dr\\.|Prince|Princess|Pope|Chancellor|Minister"
    "|Commander|Sergeant|Private|Ambassador|Foreign Minister"
)
_NAME_WORD: Final = (
    r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z]?[a-z]+|['’][A-Z][a-z]+)*|[A-Z]\.|I{1,3}|IV|VI{0,3})"
)
_NAME: Final = rf"{_NAME_WORD}(?: (?:(?:de|von|van|der|du|da|di|le|la) )?{_NAME_WORD}){{0,3}}"
_TITLED: Final = re.compile(rf"\b(?P<title>{_TITLES}) (?P<name>{_NAME})")
_INITIAL: Final = re.compile(r"\b[A-Z][a-z]+ (?:[A-Z]\. )+[A-Z][a-z]+\b")
_PLAIN_NAME: Final = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b")
_ROLE_AFTER: Final = re.compile(r"^, (?:a|an|the) [a-z]+(?: [a-z]+)?(?: from| of|,)")
_ROLE_BEFORE: Final = re.compile(
    r"\bthe (?:poet|pilot|writer|engineer|nurse|painter|artist|"
    r"journalist|reporter|photographer|scientist|general|leader)"
    r" $"
)
#: Words that make a capitalised run an organisation or a place, not a person.
_NOT_PERSON: Final = frozenset(
    [
        "Army",
        "Air",
        "Force",
        "Navy",
        "Council",
        "Union",
        "Nations",
        "Empire",
        "Republic",
        "Kingdom",
        "States",
        "Treaty",
        "Party",
        "Committee",
        "Command",
        "Corps",
        "Brigade",
        "Division",
        "Battle",
        "Operation",
        "War",
        "Peninsula",
        "Sea",
        "River",
        "Ocean",
        "Street",
        "Park",
        "Hotel",
        "Times",
        "Question",
        "Parade",
        "Memorial",
        "Airlift",
        "Blockade",
        "Wall",
        "Zone",
        "Sector",
        "Assembly",
        "Resolution",
        "Staff",
        "Conference",
        "Convention",
        "Ministers",
        "Independence",
    ]
)
#: A nationality (or faith) before a noun: "a Russian fleet", "an Ottoman squadron", "North Korean forces".
_NATIONALITY: Final = re.compile(
    r"(?<![\w-])(?:(?:North|South|East|West) )?[A-Z][a-z]+(?:ian|ese|ish|ench|utch|ean|ican|oman)"
    r"(?= [a-z])"
)
#: A place after a preposition: "in Palestine", "near Frankfurt", "at Tempelhof", "from New York".
_PLACE: Final = re.compile(
    r"\b(?:in|at|near|from|to|of|through|across|into|towards) "
    r"(?P<place>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?(?: [A-Z][a-z]+)?)(?![\w'’-]| [A-Z])"
)
#: Glossary categories whose names can stand in for each other.
NAME_KINDS: Final = ("person", "place", "organisation", "operation", "agreement")


@dataclass(frozen=True)
class Fact:
    """A span of a sentence that states one fact.

    ``kind`` is ``day``, ``month``, ``year`` (dates, as the article writes
    them), ``number`` (with ``unit``, the noun it counts), or a name kind of
    :data:`NAME_KINDS`; ``value`` is what two facts are compared by (an ISO
    date, a number, a name's canonical form).
    """

    kind: str
    text: str
    start: int
    end: int
    value: str
    unit: str = ""

    @property
    def group(self) -> str:
        """What a replacement must share with it: the kind, and the unit of a number."""
        return f"{self.kind}:{self.unit}" if self.kind == "number" else self.kind


def _iso(match: re.Match[str]) -> tuple[str, str]:
    text = match.group(0)
    if match.group("year"):
        return "year", text
    months = {name: f"{number:02d}" for number, name in enumerate(MONTH_NAMES, start=1)}
    month = next(name for name in MONTH_NAMES if name in text)
    year = re.findall(r"\d{4}", text)[-1]
    if match.group("month"):
        return "month", f"{year}-{months[month]}"
    day = next(int(d) for d in re.findall(r"\d{1,2}", text.replace(year, "")))
    return "day", f"{year}-{months[month]}-{day:02d}"


def find_dates(sentence: str) -> list[Fact]:
    """The dates of a sentence, each as precise as it is written.

    :param sentence: the sentence
    :return: the dates in order
    """
    facts = []
    for match in _DATE.finditer(sentence):
        kind, value = _iso(match)
        facts.append(Fact(kind, match.group(0), match.start(), match.end(), value))
    return facts


def number_value(text: str) -> float:
    """The value of a number as the article writes it ("2.3 million", "12,941").

    :param text: the number, with its scale word if any
    :return: its value
    """
    parts = text.split()
    value = float(parts[0].replace(",", ""))
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
    return value * scale.get(parts[1], 1.0) if len(parts) > 1 else value


_COUNT: Final = re.compile(r"^(?P<number>[\d,.]+(?: (?:million|billion|thousand))?) (?P<unit>.+)$")


def split_count(text: str) -> tuple[str, str]:
    """A counted number's number and unit: "2.3 million tons" -> ("2.3 million", "tons").

    :param text: the number as the article writes it, with its unit
    :return: the number and the unit
    """
    match = _COUNT.match(text)
    return (match["number"], match["unit"]) if match else (text, "")


def _unit(word: str) -> str:
    lower = word.lower()
    return lower[:-1] if lower.endswith("s") and not lower.endswith("ss") else lower


def find_numbers(sentence: str) -> list[Fact]:
    """The counted numbers of a sentence ("about 36 days", "2.3 million tons"), not years.

    :param sentence: the sentence
    :return: the numbers (the number and its unit noun) in order
    """
    facts = []
    for match in _NUMBER.finditer(sentence):
        unit = match.group("unit")
        number = match.group(0)[: match.start("unit") - match.start()].strip()
        if unit.lower() in _NOT_UNITS or re.fullmatch(r"(?:1[0-9]|20)\d{2}", number):
            continue
        if unit[:1].isupper() and not unit.endswith("s"):  # "39 British": not what it counts
            continue
        before, after = sentence[: match.start()], sentence[match.end("number") :]
        if (
            _MONTH_BEFORE.search(before)
            or _RANGE_BEFORE.search(before)
            or _RANGE_AFTER.match(after)
        ):
            continue  # "October 19", one end of "1 to 1.5 million": not a count to change alone
        end = match.end()
        if match.group("head") and not unit.endswith("s"):  # "12 police stations"
            unit = f"{unit} {match.group('head')}"
        else:
            end = match.end("unit")
        value = number_value(number)
        facts.append(
            Fact(
                "number",
                sentence[match.start() : end],
                match.start(),
                end,
                f"{value:g}",
                _unit(unit),
            )
        )
    return facts


@dataclass(frozen=True)
class Person:
    """A person the article names: their full name, the title it gives them, their surname."""

    name: str
    title: str = ""

    @property
    def surname(self) -> str:
        """The last word of the name (a regnal number belongs to the name)."""
        words = self.name.split()
        return words[-1]

    @property
    def display(self) -> str:
        """The name as an option shows it: with its title."""
        return f"{self.title} {self.name}" if self.title else self.name


def find_people(article: Article, glossary: Glossary | None) -> list[Person]:
    """The people the article names, by the marks that make a name a person's.

    :param article: the article
    :param glossary: the glossary (its ``person`` terms count too), or None
    :return: the people, in order of first mention, each once
    """
    found: dict[str, Person] = {}

    def add(name: str, title: str = "") -> None:
        titled = _TITLED.fullmatch(name)
        if titled:  # "Lieutenant Gail Halvorsen", found as a plain name
            name, title = titled.group("name"), titled.group("title")
        words = name.split()
        if any(word in _NOT_PERSON for word in words) or len(words) < 1:
            return
        if len(words) == 1 and not title:
            return
        known = found.get(name)
        if known is None or (title and not known.title):
            found[name] = Person(name, title)

    for _, _, paragraph in article.paragraphs():
        text = " ".join(paragraph.text.split())
        sentences = [s for _, s in split_sentences(text)]
        for index, sentence in enumerate(sentences):
            for match in _TITLED.finditer(sentence):
                add(match.group("name"), match.group("title"))
            for match in _INITIAL.finditer(sentence):
                add(match.group(0))
            following = sentences[index + 1] if index + 1 < len(sentences) else ""
            for match in _PLAIN_NAME.finditer(sentence):
                name = match.group(0)
                if (
                    (match.start() == 0 and following.startswith(("He ", "She ")))
                    or _ROLE_AFTER.match(sentence[match.end() :])
                    or _ROLE_BEFORE.search(sentence[: match.start()])
                ):
                    add(name)
    if glossary is not None:
        for term in glossary.terms:
            if term.category == "person" and term.term not in found:
                add(term.term)
    # a name that is the end of a longer name is that person (Clay, Lucius D. Clay), and so
    # is one with the same first name and surname (Harry Truman, Harry S. Truman)
    people = list(found.values())

    def same(person: Person, other: Person) -> bool:
        mine, theirs = person.name.split(), other.name.split()
        return other.name.endswith(" " + person.name) or (
            len(mine) < len(theirs) and mine[0] == theirs[0] and mine[-1] == theirs[-1]
        )

    return [
        person
        for person in people
        if not any(other is not person and same(person, other) for other in people)
    ]


def _after_name(before: str) -> bool:
    """Whether a preposition follows a capitalised word: "Treaty of Ley" is one name, not a place."""
    words = before.split()
    return bool(words) and words[-1][:1].isupper() and len(words) > 1


class Finder:
    """Finds the facts of a sentence: dates, numbers, the article's people, glossary names.

    The patterns of every name are compiled once, for all the sentences of a book.
    """

    def __init__(
        self,
        people: Sequence[Person],
        glossary: Glossary | None,
        lowercase: frozenset[str] = frozenset(),
        adjectives: frozenset[str] = frozenset(),
    ) -> None:
        self._adjectives = adjectives
        self._found: dict[str, list[Fact]] = {}
        self._people_list = list(people)
        self._surnames = {person.surname for person in people}
        self._lowercase = {word.capitalize() for word in lowercase}
        surnames: dict[str, list[Person]] = {}
        for person in people:
            surnames.setdefault(person.surname, []).append(person)
        forms: list[tuple[str, Person]] = []
        for person in people:
            if person.title:
                forms.append((person.display, person))
            forms.append((person.name, person))
            if len(surnames[person.surname]) == 1 and person.surname != person.name:
                forms.append((person.surname, person))
        self._people = [
            (re.compile(rf"(?<![\w.]){re.escape(form)}(?![\w'’-])"), form, person)
            for form, person in sorted(forms, key=lambda pair: (-len(pair[0]), pair[0]))
        ]
        self._terms = [
            (
                term.category,
                term.term,
                [(name, whole_word(name)) for name in sorted(term.names, key=len, reverse=True)],
            )
            for term in (glossary.terms if glossary is not None else ())
            if term.category in NAME_KINDS and term.category != "person"
        ]

    def _place(self, name: str) -> bool:
        """Whether a capitalised name after a preposition is a place (not a month, a people...)."""
        words = name.split()
        return not (
            set(re.split(r"[ -]", name)) & (_NOT_PERSON | set(MONTH_NAMES) | self._adjectives)
            or name.endswith(("s", "ern", "ied", "ian", "ese", "ish"))
            or re.search(r"-[a-z]", name)
            or any(word in self._surnames or word in self._lowercase for word in words)
            or any(name in person.name for person in self._people_list)
        )

    def people_in(self, sentence: str) -> list[Fact]:
        """Where the sentence names a person: title and name, full name, or surname alone."""
        spans: list[Fact] = []
        for pattern, form, person in self._people:
            if person.surname not in sentence:
                continue
            for match in pattern.finditer(sentence):
                if any(match.start() < f.end and f.start < match.end() for f in spans):
                    continue
                spans.append(Fact("person", form, match.start(), match.end(), person.name))
        return sorted(spans, key=lambda fact: fact.start)

    def terms_in(self, sentence: str) -> list[Fact]:
        """Where the sentence names a glossary term with peers (a place, an organisation...)."""
        spans: list[Fact] = []
        for category, headword, patterns in self._terms:
            for name, pattern in patterns:
                match = pattern.search(sentence) if name in sentence else None
                if match and not any(
                    match.start() < f.end and f.start < match.end() for f in spans
                ):
                    spans.append(
                        Fact(category, match.group(0), match.start(), match.end(), headword)
                    )
                    break
        return sorted(spans, key=lambda fact: fact.start)

    def facts(self, sentence: str) -> list[Fact]:
        """Every fact of a sentence, in order, no two overlapping (dates, names, then numbers)."""
        if sentence not in self._found:
            self._found[sentence] = self._facts(sentence)
        return list(self._found[sentence])

    def _facts(self, sentence: str) -> list[Fact]:
        chosen: list[Fact] = []
        nationalities = [
            Fact("nationality", m.group(0), m.start(), m.end(), m.group(0))
            for m in _NATIONALITY.finditer(sentence)
            if m.group(0) not in self._lowercase and m.group(0) not in self._surnames
        ]
        places = [
            Fact("place", m["place"], m.start("place"), m.end("place"), m["place"])
            for m in _PLACE.finditer(sentence)
            if self._place(m["place"]) and not _after_name(sentence[: m.start()])
        ]
        for fact in [
            *find_dates(sentence),
            *self.people_in(sentence),
            *self.terms_in(sentence),
            *nationalities,
            *places,
            *find_numbers(sentence),
        ]:
            if not any(fact.start < other.end and other.start < fact.end for other in chosen):
                chosen.append(fact)
        return sorted(chosen, key=lambda fact: fact.start)


@dataclass
class FactPool:
    """Every fact of the article, by :attr:`Fact.group`, each value once (first spelling kept)."""

    by_group: dict[str, dict[str, Fact]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def add(self, facts: Iterable[Fact]) -> None:
        """Add facts (a value already held keeps its first spelling)."""
        for fact in facts:
            self.by_group.setdefault(fact.group, {}).setdefault(fact.value, fact)

    def others(self, fact: Fact, *, avoid: Iterable[str] = ()) -> list[Fact]:
        """The facts of the same kind with another value, nearest first.

        Dates and numbers are ordered by how close they are (a near year is a
        better distractor than a far one); names keep the article's order.

        :param fact: the fact
        :param avoid: values not to offer (those of the same sentence)
        :return: the other facts
        """
        skip = {fact.value, *avoid}
        pool = [
            other for value, other in self.by_group.get(fact.group, {}).items() if value not in skip
        ]
        if fact.kind in ("day", "month", "year"):
            near = sorted(
                pool, key=lambda other: (_date_distance(fact.value, other.value), other.value)
            )
            return _spaced(fact, near)
        if fact.kind == "number":
            here = float(fact.value)
            return sorted(pool, key=lambda other: (abs(float(other.value) - here), other.value))
        return pool


#: How far apart (in :func:`_date_distance` units) dates offered together must be.
_MIN_GAP: Final = {"day": 7, "month": 31, "year": 2 * 372}


def _spaced(fact: Fact, near: list[Fact]) -> list[Fact]:
    """Dates spaced from the fact and from each other (2023 beside 2024 tests nothing); the rest after."""
    gap = _MIN_GAP[fact.kind]
    chosen: list[Fact] = []
    for other in near:
        if all(_date_distance(other.value, taken.value) >= gap for taken in (fact, *chosen)):
            chosen.append(other)
    return chosen + [other for other in near if other not in chosen]


def _date_distance(first: str, second: str) -> int:
    def days(value: str) -> int:
        parts = [int(part) for part in value.split("-")] + [1, 1]
        return parts[0] * 372 + parts[1] * 31 + parts[2]

    return abs(days(first) - days(second))


def article_pool(article: Article, people: Sequence[Person], finder: Finder) -> FactPool:
    """Every fact of the article's paragraphs, for replacements and distractors.

    The year of every full date counts as a year too.

    :param article: the article
    :param people: the article's people
    :param finder: the finder of facts
    :return: the pool
    """
    pool = FactPool(people={person.name: person for person in people})
    for _, _, paragraph in article.paragraphs():
        for _, sentence in split_sentences(" ".join(paragraph.text.split())):
            facts = finder.facts(sentence)
            pool.add(facts)
            years = [f for f in facts if f.kind in ("day", "month")]
            pool.add(Fact("year", f.value[:4], 0, 0, f.value[:4]) for f in years)
    return pool


def replacement_text(fact: Fact, other: Fact, pool: FactPool) -> str:
    """How ``other`` is written in ``fact``'s place: a person in the same form (title, surname).

    :param fact: the fact to replace
    :param other: the fact that replaces it
    :param pool: the pool (its people)
    :return: the text to put in
    """
    if fact.kind != "person":
        return other.text
    mine, theirs = pool.people.get(fact.value), pool.people.get(other.value)
    if mine is None or theirs is None:
        return other.text
    if fact.text == mine.display and mine.title:
        return theirs.display
    if fact.text == mine.surname and mine.surname != mine.name:
        return theirs.surname
    return theirs.name
