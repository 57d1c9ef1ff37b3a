"""Candidate names grouped into terms: one term a thing, with every spelling and a category.

:func:`group_candidates` joins an acronym to its expansion ("UN", "United
Nations"), a surname to the full name ("MacArthur", "Douglas MacArthur"), a
name with a national adjective before it to the name ("North Korean People's
Army", "Korean People's Army"), and the other capitalisations the article
uses ("38th Parallel", "38th parallel"); :func:`category_of` says what a term
is from the words of its names and how the article uses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from build_tools.glossary.candidates import (
    ORDINAL,
    Candidate,
    Passage,
    is_acronym,
    spells_acronym,
)
from build_tools.glossary.words import (
    COMPASS,
    CONNECTORS,
    DEMONYM_ENDINGS,
    EVENT_NOUNS,
    FEATURES,
    FUNCTION_WORDS,
    KEYWORDS,
    MONTHS,
    ORDINAL_WORDS,
    ORDINAL_WORDS_IN_ORDER,
)

_ORDER = ("operation", "agreement", "organisation", "place", "concept")
_PRONOUN = re.compile(r"\b(?:he|his|him|she|her|hers)\b")


@dataclass
class Group:
    """A drafted term: its spellings (headword first) and how the article uses them."""

    names: list[str]
    category: str = "concept"
    kind: str = "name"
    acronym: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def headword(self) -> str:
        return self.names[0]

    def add(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)


def _tokens(name: str) -> list[str]:
    return name.split()


def _parts(name: str) -> list[str]:
    """The words of a name, hyphenated words split ("Party-South" -> "Party", "South")."""
    return [part for token in name.split() for part in token.split("-") if part]


def _adjective_share(candidate: Candidate) -> float:
    if not candidate.mentions:
        return 0.0
    return sum(m.adjective for m in candidate.mentions) / len(candidate.mentions)


def _person_evidence(candidate: Candidate, passages: tuple[Passage, ...]) -> int:
    """How often the article writes the name with a title, "who" or a pronoun after it."""
    score = 0
    for mention in candidate.mentions:
        if mention.person:
            score += 2
            continue
        passage = passages[mention.passage]
        for start, end in passage.sentences:
            if start <= mention.start < end:
                if _PRONOUN.search(passage.text, mention.end, end):
                    score += 1
                break
    return score


def _located_share(candidate: Candidate) -> float:
    if not candidate.mentions:
        return 0.0
    return sum(m.located for m in candidate.mentions) / len(candidate.mentions)


def _category_by_words(names: list[str]) -> str:
    """The category the words of a name say, if any: the head noun first, i.e. the last
    keyword before "of" ("Battle of Bloody Ridge" is an operation, not a place)."""
    for name in names:
        parts = _parts(name)
        head = parts[: parts.index("of")] if "of" in parts[1:] else parts
        for token in reversed(head):
            if token in KEYWORDS:
                return KEYWORDS[token]
    for category in _ORDER:
        for name in names:
            if any(KEYWORDS.get(token) == category for token in _parts(name)):
                return category
    return ""


def category_of(group: Group, passages: tuple[Passage, ...]) -> str:
    """The category of a term: from the words of its names, else from how they are used.

    :param group: the term
    :param passages: the article's passages
    :return: one of the glossary's categories
    """
    if group.kind in {"concept", "heading", "modifier"}:
        return "concept"
    names = [name for name in group.names if not is_acronym(name)] or group.names
    if all(is_acronym(name) for name in group.names):
        return "organisation"  # an acronym the article never spells out ("NATO")
    return _category_by_words(names) or _category_by_use(group, names[0], passages)


def _category_by_use(group: Group, name: str, passages: tuple[Passage, ...]) -> str:
    """The category of a name whose words say nothing: a title or "he" after it makes a
    person, "in" or "near" before it a place."""
    person = sum(_person_evidence(c, passages) for c in group.candidates)
    located = max((_located_share(c) for c in group.candidates), default=0.0)
    tokens = _tokens(name)
    if person >= 2 or (person >= 1 and len(tokens) >= 2 and located < 0.5):
        return "person"
    if located >= 0.25:
        return "place"
    if _personal(name) and not group.acronym:
        return "person"
    return "concept" if len(tokens) > 1 else "place"


def _lowercase_expansion(acronym: str, passages: tuple[Passage, ...]) -> str:
    """A lowercase phrase the acronym abbreviates ("prisoners of war" for POW), if it recurs."""
    letters = acronym.rstrip("s").replace("-", "").lower()
    if not letters.isalpha() or not 2 <= len(letters) <= 5:
        return ""
    pattern = re.compile(r"(?<![\w-])" + r"\s".join(rf"{c}[a-z]*" for c in letters) + r"(?![\w-])")
    counts: dict[str, int] = {}
    for passage in passages:
        for match in pattern.finditer(passage.text):
            words = match.group().split()
            if words[0] in FUNCTION_WORDS or words[-1] in FUNCTION_WORDS:
                continue
            if any(len(w) < 3 and w not in {"of", "in", "on"} for w in words):
                continue
            counts[match.group()] = counts.get(match.group(), 0) + 1
    best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return best[0][0] if best else ""


def _strip(name: str) -> str:
    return re.sub(r"['’]s?$", "", name)


def _adjectival(candidate: Candidate) -> bool:
    """Mostly written before a noun and never as a place ("Soviet forces", "Chinese troops")."""
    share = _adjective_share(candidate)
    named = any(part in KEYWORDS for part in _parts(candidate.name))  # "Han River crossing"
    adjective = share > 0.5 and len(candidate.mentions) >= 3 if named else share >= 0.5
    return adjective and _located_share(candidate) < 0.15


def _country_like(name: str, capitals: set[str]) -> bool:
    """A country or people the reader knows: the article also uses its adjective
    ("Korea"/"Korean", "China"/"Chinese"), maybe with a compass word ("North Korea")."""
    tokens = name.split()
    if len(tokens) == 2 and tokens[0] in COMPASS:
        tokens = tokens[1:]
    if len(tokens) != 1 or len(tokens[0]) < 4:
        return False
    word = tokens[0]
    stems = {word, word[:-1], word[:-2]}
    return any(
        stem + ending in capitals and stem + ending != word
        for stem in stems
        for ending in DEMONYM_ENDINGS
        if len(stem) >= 3
    )


def _keep(candidate: Candidate, title: str, capitals: set[str], adjectives: set[str]) -> bool:
    """A name worth a term: not the book's own title, an adjective, a country or a stray."""
    name = candidate.name
    if name == title or not candidate.mentions or len(name) < 2:
        return False
    marked = {
        "acronym": True,
        "concept": True,
        "heading": len(name.split()) >= 2,
        "modifier": len(candidate.mentions) >= 3,
    }
    if candidate.kind in marked:
        return marked[candidate.kind]
    base = name.rsplit(" ", 1)[0]
    if name.split()[-1] in EVENT_NOUNS and base in adjectives:
        return False  # "the North Korean invasion"
    return not (
        _adjectival(candidate)
        or (name.endswith("s") and name[:-1] in adjectives)
        or _stray_word(candidate, capitals)
        or _not_a_name(name)
        or _country_like(name, capitals)
    )


def _stray_word(candidate: Candidate, capitals: set[str]) -> bool:
    """A one-word name that is a kind of thing, a direction, an adverb, a people's adjective
    or a capitalised word only ever seen at the start of a sentence."""
    name = candidate.name
    return " " not in name and (
        name in KEYWORDS
        or name in COMPASS
        or name.endswith(("ly", "ese", "ish", "ch"))
        or all(m.initial for m in candidate.mentions)
        or _demonym(name, capitals)
    )


def _not_a_name(name: str) -> bool:
    """ "U.S.-led", "March-April 1950", "PVA 39th": a compound adjective, a date, a unit."""
    parts = _parts(name)
    return (
        any(re.search(r"-[a-z]+ed$", token) for token in name.split())
        or any(p in MONTHS or re.fullmatch(r"\d{4}s?", p) for p in parts)
        or bool(ORDINAL.match(parts[-1]))
    )


def _demonym(word: str, capitals: set[str]) -> bool:
    """A people's adjective or name of a country the article names ("Japanese", "Russian")."""
    return any(
        word.endswith(ending)
        and any(
            other != word and len(other) >= 4 and word.startswith(other[: max(3, len(other) - 2)])
            for other in capitals
            if _country_like(other, capitals)
        )
        for ending in DEMONYM_ENDINGS
    )


def group_candidates(
    candidates: dict[str, Candidate], passages: tuple[Passage, ...], *, title: str
) -> list[Group]:
    """Group the candidate names into terms.

    :param candidates: every candidate, by spelling (from
        :func:`~build_tools.glossary.candidates.find_candidates`)
    :param passages: the article's passages
    :param title: the article's title (the book's subject, not a term of it)
    :return: the terms, each name in one term only, in the order they first occur
    """
    capitals = {name for name in candidates if " " not in name}
    adjectives = {name for name, c in candidates.items() if _adjectival(c)}
    kept = {name: c for name, c in candidates.items() if _keep(c, title, capitals, adjectives)}
    prefixes = {
        name for name in candidates if name.split()[0] not in ORDINAL_WORDS and name not in kept
    } | {name for name in candidates if is_acronym(name) or "." in name}
    owner: dict[str, Group] = {}
    groups: list[Group] = []

    def join(group: Group, name: str) -> None:
        if name in owner:
            return
        group.add(name)
        owner[name] = group
        if name in kept:
            group.candidates.append(kept[name])

    def new(name: str, kind: str) -> Group:
        group = Group([name], kind=kind)
        groups.append(group)
        join(group, name)
        return group

    # acronyms and their expansions
    for name, candidate in kept.items():
        if candidate.kind != "acronym" or name in owner:
            continue
        base = name[:-1] if name.endswith("s") and name[:-1] in candidates else name
        if base in owner:  # "POWs"
            join(owner[base], name)
            continue
        given = candidates[base].expansion if base in candidates else ""
        expansions = [
            other
            for other, c in candidates.items()
            if c.kind == "name"
            and c.mentions
            and other not in owner
            and (c.acronym == base or spells_acronym(other.split(), base))
            and (not given or other == given or other.split()[-1] == given.split()[-1])
            and other != title
        ]
        expansions.sort(key=lambda e: (e != given, -len(candidates[e].mentions), e))
        if not expansions:
            lowercase = _lowercase_expansion(base, passages)
            if lowercase:
                expansions = [lowercase]
        if not expansions and len(candidate.mentions) < 3:
            continue
        group = new(expansions[0] if expansions else base, "acronym")
        group.acronym = base
        for other in [*expansions[1:], base, name]:
            join(group, other)
        for other in expansions:
            if other in candidates and other not in kept:
                group.candidates.append(candidates[other])
        if expansions and expansions[0] not in candidates:
            group.kind = "concept"  # a lowercase expansion: a concept
    # the part of an expansion before its small word ("Temporary Commission" of
    # "UN Temporary Commission on Korea") belongs to it
    expanded = [(name, group) for name, group in owner.items() if group.kind == "acronym"]
    for name, candidate in kept.items():
        if name in owner or candidate.kind != "name" or len(name.split()) < 2:
            continue
        for long, group in expanded:
            at = long.find(name)
            after = long[at + len(name) :].split()
            if at >= 0 and after and after[0] in ("on", "in", "for", "and", "to"):
                join(group, name)
                break
    # names, shortest first, so that "U.S. Eighth Army" finds "Eighth Army"
    plain = sorted(
        (n for n, c in kept.items() if c.kind == "name" and n not in owner),
        key=lambda n: (len(n.split()), n),
    )
    for name in plain:
        tokens = name.split()
        for cut in (1, 2):
            rest = " ".join(tokens[cut:])
            prefix = " ".join(tokens[:cut])
            if rest not in owner and f"{rest}s" in owner:
                rest += "s"  # "U.S. Far East Air Force", "Far East Air Forces"
            if (
                len(tokens) > cut
                and rest in owner
                and len(rest.split()) >= 2
                and (prefix in prefixes or _strip(prefix) in prefixes)
            ):
                join(owner[rest], name)  # "North Korean People's Army"
                break
        if name not in owner and f"{name}s" in owner and len(tokens) > 1:
            join(owner[f"{name}s"], name)  # "Geneva Convention", "Geneva Conventions"
        if name not in owner:
            new(name, "name")
    _join_surnames(groups, owner, passages)
    _join_events(groups, owner)
    _join_known_as(groups, owner, passages)
    _join_reordered(groups, owner)
    groups = [g for g in groups if g.names]
    for group in groups:
        group.category = category_of(group, passages)
    for name, candidate in kept.items():
        if name not in owner and candidate.kind in {"concept", "heading", "modifier"}:
            group = new(name, candidate.kind)
            group.category = "concept"
    groups = [g for g in groups if g.names]
    return groups


def _personal(name: str) -> bool:
    """A name that may be a person's: two to four capitalised words, no keyword, no digit."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 4
        and tokens[0] not in COMPASS
        and tokens[0][0].isupper()
        and tokens[-1][0].isupper()
        and all(
            (t[0].isupper() or t in CONNECTORS) and not any(c.isdigit() for c in t) for t in tokens
        )
        and not any(part in KEYWORDS for part in _parts(name))
        and not any(is_acronym(t) for t in tokens)
    )


def _join(target: Group, other: Group, owner: dict[str, Group]) -> None:
    for name in other.names:
        target.add(name)
        owner[name] = target
    target.candidates += other.candidates
    other.names.clear()


def _join_surnames(
    groups: list[Group], owner: dict[str, Group], passages: tuple[Passage, ...]
) -> None:
    """Spellings of one person ("Harry Truman", "Harry S. Truman", "Truman") become one
    term, and a river's short name joins it ("Yalu", "Yalu River")."""
    persons = [g for g in groups if g.names and g.kind == "name" and _personal(g.headword)]
    persons.sort(key=lambda g: (-len(g.headword.split()), g.headword))
    for group in persons:
        for other in persons:
            if other is group or not other.names or not group.names:
                continue
            a, b = group.headword.split(), other.headword.split()
            if a[0] == b[0] and a[-1] == b[-1] and len(a) > len(b):
                _join(group, other, owner)
    persons = [g for g in persons if g.names]
    features = [
        g
        for g in groups
        if g.names
        and g.kind == "name"
        and len(g.headword.split()) == 2
        and g.headword.split()[-1] in FEATURES
    ]
    for group in list(groups):
        if len(group.names) != 1 or len(group.headword.split()) != 1 or group.kind != "name":
            continue
        word = group.headword
        last = [p for p in persons if p.headword.split()[-1] == word]
        first = [p for p in persons if p.headword.split()[0] == word]
        river = [f for f in features if f.headword.split()[0] == word]
        matches = last or first or river
        if len(matches) != 1 or matches[0] is group:
            continue
        evidence = sum(_person_evidence(c, passages) for c in [*group.candidates])
        if matches[0] in persons and evidence == 0 and not first and not last:
            continue
        _join(matches[0], group, owner)


_ORDINAL_DIGITS = {
    word: f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'}"
    for n, word in enumerate(ORDINAL_WORDS_IN_ORDER, start=1)
}


def _join_reordered(groups: list[Group], owner: dict[str, Group]) -> None:
    """One unit however the article orders its words: "U.S. Eighth Army", "Eighth United
    States Army", "U.S. 8th Army" (an abbreviation read as its expansion, an ordinal as
    its figure)."""
    expansions = {
        name.replace(".", ""): group.headword
        for group in groups
        if group.acronym and group.names
        for name in group.names
        if is_acronym(name.replace(".", "")) and " " not in name
    }

    def key(name: str) -> frozenset[str]:
        words: list[str] = []
        for token in name.split():
            word = _ORDINAL_DIGITS.get(token, token)
            bare = word.replace(".", "")
            words += expansions[bare].split() if "." in word and bare in expansions else [word]
        return frozenset(words)

    seen: dict[frozenset[str], Group] = {}
    for group in groups:
        if not group.names or not any(KEYWORDS.get(p) for p in _parts(group.headword)):
            continue
        for name in list(group.names):
            first = seen.setdefault(key(name), group)
            if first is not group and first.names and group.names:
                _join(first, group, owner)
                # the headword: the name spelled out ("Eighth United States Army")
                first.names.sort(key=lambda n: ("." in n or any(c.isdigit() for c in n), -len(n)))
                break


def _join_events(groups: list[Group], owner: dict[str, Group]) -> None:
    """One event however the article calls it: "X campaign", "X battle"."""
    by_base: dict[str, Group] = {}
    for group in groups:
        words = group.headword.split() if group.names else []
        if len(words) > 1 and words[-1] in EVENT_NOUNS:
            base = " ".join(words[:-1])
            first = by_base.setdefault(base, group)
            if first is not group:
                _join(first, group, owner)


_KNOWN_AS = re.compile(r",\s+(?:also\s+)?(?:known as|called)\s+(?:the\s+)?")


def _join_known_as(
    groups: list[Group], owner: dict[str, Group], passages: tuple[Passage, ...]
) -> None:
    """ "the Fifth Phase Offensive, known as the Chinese Spring Offensive": one term."""
    for passage in passages:
        for match in _KNOWN_AS.finditer(passage.text):
            before = [n for n in owner if passage.text.endswith(n, 0, match.start())]
            after = [n for n in owner if passage.text.startswith(n, match.end())]
            if before and after:
                first, second = owner[max(before, key=len)], owner[max(after, key=len)]
                if first is not second and first.names and second.names:
                    _join(first, second, owner)


class CaseIndex:
    """Finds the other capitalisations of a name in the article's texts, fast.

    :param texts: the article's texts
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.text = "\n".join(texts)
        lower = self.text.lower()
        # lowercasing keeps offsets for nearly every text; when it does not, search with re
        self.lower = lower if len(lower) == len(self.text) else ""

    def variants(self, name: str) -> list[str]:
        """The other capitalisations of a name ("Trench Warfare", "trench warfare").

        :param name: a term's name
        :return: the variants, as whole words, in the order they first occur
        """
        found: dict[str, None] = {}
        if not self.lower:
            pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
            spans = [m.span() for m in pattern.finditer(self.text)]
        else:
            key, spans, at = name.lower(), [], self.lower.find(name.lower())
            while at >= 0:
                spans.append((at, at + len(key)))
                at = self.lower.find(key, at + 1)
        for start, end in spans:
            before = self.text[start - 1] if start else " "
            after = self.text[end] if end < len(self.text) else " "
            if before.isalnum() or before in "_-" or after.isalnum() or after in "_-":
                continue
            if self.text[start:end] != name:
                found.setdefault(self.text[start:end])
        return list(found)
