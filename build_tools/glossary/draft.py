"""Draft a glossary from the article alone: :func:`draft_glossary` -> ``<name>.glossary.yaml``.

The candidates come from the text (:mod:`.candidates`), are grouped into
terms with their spellings and categories (:mod:`.grouping`), ranked by how
much a student needs them (how often and how early the article uses them, in
how many chapters, whether it explains them) and defined by the article's own
sentences (:mod:`.definitions`).  Every entry is marked ``draft: true`` until a
teacher has read it.  Deterministic and pure: the same article gives the same
bytes, with no file, network or model.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from dataclasses import dataclass

from build_tools.article.model import Article
from build_tools.glossary.candidates import (
    Passage,
    find_candidates,
    headings,
    read_passages,
)
from build_tools.glossary.definitions import define
from build_tools.glossary.grouping import CaseIndex, Group, group_candidates
from build_tools.glossary.linking import find_usage
from build_tools.glossary.model import Glossary, Term, sort_key
from build_tools.glossary.words import KEYWORDS
from build_tools.util.errors import BuildError

#: How many terms a drafted glossary keeps: one per this many words of the article, within
#: :data:`MIN_TERMS` and :data:`MAX_TERMS`.
WORDS_PER_TERM = 115
MIN_TERMS, MAX_TERMS = 30, 100
#: A term's score below which it is left out however short the glossary.
MIN_SCORE = 1.5
_FORBIDDEN = re.compile(r"[`<>|\n]")


@dataclass(frozen=True)
class _Ranked:
    group: Group
    mentions: tuple[tuple[int, int, int], ...]
    score: float


def _occurrences(
    groups: list[Group], passages: tuple[Passage, ...]
) -> dict[int, list[tuple[int, int, int]]]:
    """Where each term's names occur as the linker finds them: the longest name wins."""
    owner = {name: n for n, group in enumerate(groups) for name in group.names}
    if not owner:
        return {}
    names = sorted(owner, key=len, reverse=True)
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)")
    found: dict[int, list[tuple[int, int, int]]] = {}
    for index, passage in enumerate(passages):
        for match in pattern.finditer(passage.text):
            found.setdefault(owner[match.group()], []).append((index, match.start(), match.end()))
    return found


def _score(
    group: Group, mentions: list[tuple[int, int, int]], passages: tuple[Passage, ...], chapters: int
) -> float:
    """How much a student needs the term: use, spread, first use, and how the article marks it."""
    spread = len({passages[index].chapter for index, _, _ in mentions})
    first = passages[mentions[0][0]].order / max(1, len(passages))
    score = 1.3 * math.log2(1 + len(mentions)) + 3.0 * spread / max(1, chapters + 1)
    score += 1.0 - first
    if group.acronym:
        score += 1.5
    if group.kind == "concept":
        score += 1.5
    mentioned = [m for c in group.candidates for m in c.mentions]
    listed = sum(m.listed for m in mentioned) * 2 >= len(mentioned)
    if mentioned and listed and not any(m.person for m in mentioned):
        score -= 1.5  # "Turkey, Canada and Greece": named in passing
    located = any(m.located for m in mentioned)
    if group.category == "place" and not located and not KEYWORDS.get(group.headword.split()[-1]):
        score -= 1.0  # "alarmed Beijing": a government named by its capital, not a place
    if group.category == "organisation" and re.search(r"\b\d+(?:st|nd|rd|th)\b", group.headword):
        score -= 1.5  # "7th Infantry Division": one unit of many
    if re.fullmatch(r"[A-Z][A-Za-z]*-?\d+[A-Za-z]*", group.headword):
        score -= 1.5  # "B-29", "M26": a model of aircraft or tank
    if group.category == "person" and len(group.names) > 1:
        score += 0.5
    if any(m.person for c in group.candidates for m in c.mentions):
        score += 1.5  # "General Walton Walker": the article says who it is
    if any(KEYWORDS.get(part) for part in re.split(r"[\s-]", group.headword)):
        score += 1.2  # "Operation Chromite", "Yalu River": the name says what it is
    marked = any(c.marked for c in group.candidates)
    if marked:
        score += 1.5  # "called the Bizone": the article explains the name
    if len(mentions) == 1 and group.kind != "concept" and not marked:
        score -= 0.8 if len(group.headword.split()) > 1 else 1.5
        # named once: the people and the fighting are what a student is asked about
        score += {"person": 0.5, "operation": 0.5, "agreement": 0.3}.get(group.category, 0.0)
    if group.kind == "heading" and len(mentions) < 3:
        score -= 1.0
    return score


def _tidy_groups(groups: list[Group], texts: list[str]) -> list[Group]:
    """Every name valid and in one term; headwords distinct; other capitalisations added."""
    index = CaseIndex(texts)
    owner: dict[str, Group] = {}
    heads: dict[str, Group] = {}
    kept: list[Group] = []
    for group in groups:
        names = [n for n in group.names if n and not _FORBIDDEN.search(n) and n not in owner]
        if not names or names[0] != group.headword:
            continue
        head = heads.get(sort_key(group.headword))
        target = head if head is not None else group
        if head is None:
            group.names = []
            heads[sort_key(group.headword if group.names else names[0])] = group
            kept.append(group)
        for name in names:
            if name not in owner:
                target.add(name)
                owner[name] = target
        for name in list(target.names):
            single = len(target.names) == 1 and " " not in name
            if len(name.split()) > 1 or name[0].islower() or single:
                for variant in index.variants(name):
                    if single and variant != variant.lower():
                        continue  # "Trusteeship": only its lowercase "trusteeship"
                    if variant not in owner and not _FORBIDDEN.search(variant):
                        target.add(variant)
                        owner[variant] = target
                        heads.setdefault(sort_key(variant), target)
        if (
            len(target.names) == 2
            and " " not in target.headword
            and target.names[1] == target.headword.lower()
        ):
            if target.headword.endswith(("ism", "ship")):  # "Trusteeship": a concept
                target.names.reverse()
                target.kind, target.category = "concept", "concept"
            else:  # "Opposition", "Fire": a common word at the start of a sentence
                for name in target.names:
                    del owner[name]
                target.names = []
    return [group for group in kept if group.names]


def _rank(article: Article) -> tuple[list[_Ranked], tuple[Passage, ...]]:
    passages = read_passages(article)
    heads = headings(article)
    groups = group_candidates(find_candidates(passages, heads), passages, title=article.title)
    groups = _tidy_groups(groups, [p.text for p in passages] + list(heads))
    occurrences = _occurrences(groups, passages)
    ranked = [
        _Ranked(
            group,
            tuple(occurrences[n]),
            _score(group, occurrences[n], passages, len(article.chapters)),
        )
        for n, group in enumerate(groups)
        if n in occurrences
    ]
    ranked.sort(key=lambda r: (-r.score, r.mentions[0], r.group.headword))
    return ranked, passages


def _size(article: Article, passages: tuple[Passage, ...]) -> int:
    words = sum(len(p.text.split()) for p in passages)
    return max(MIN_TERMS, min(MAX_TERMS, round(words / WORDS_PER_TERM)))


def draft_terms(article: Article) -> tuple[Term, ...]:
    """The drafted terms of an article, each marked as a draft, in alphabetical order.

    :param article: the article
    :return: the terms (none when the article names nothing a glossary could explain)
    """
    ranked, passages = _rank(article)
    size = _size(article, passages)
    terms: list[Term] = []
    for entry in ranked:
        if len(terms) >= size or entry.score < MIN_SCORE:
            break
        definition = define(entry.mentions, passages, headword=entry.group.headword)
        if definition is None:
            continue
        group = entry.group
        terms.append(
            Term(
                term=group.headword,
                aliases=tuple(group.names),
                category=group.category,
                definition=definition.text,
                source=definition.source,
                draft=True,
            )
        )
    if not terms:
        return ()
    glossary = Glossary(tuple(sorted(terms, key=lambda t: sort_key(t.term))))
    linked = {usage.term for usage in find_usage(glossary, article) if usage.parts}
    return tuple(term for term in glossary.terms if term.term in linked)


# -- the data file -------------------------------------------------------------------------------

_HEADER = """\
# Glossary of the article {name}, drafted from the article alone: one entry a term.
#
# Every entry is marked `draft: true`: read it, correct it, then delete that line.
# The definitions are sentences of the article (cuts marked with …); rewrite them in
# your own words for readers of 14-18, and delete the terms your students do not need.
#
# term        headword as the article writes it
# aliases     every spelling used in the article, exactly as written (case-sensitive);
#             the first occurrence in each section becomes a link to the entry
# category    person, place, organisation, operation, agreement or concept
# native      the name in its own script (Hangul, Chinese, Japanese), where it has one
# definition  1-3 sentences, at most 60 words, for readers of 14-18
# source      a passage that occurs verbatim in the article and supports the definition
# draft       true until a person has read the entry
#
# Checked at build time: every source quote, term and alias must occur in the article,
# no alias may belong to two terms.
terms:
"""
# what YAML reads as a line break or may not hold, escaped inside a double-quoted scalar
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text`` (JSON's escapes are YAML's).

    :param text: any text
    :return: the scalar
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _folded(text: str, indent: str) -> str:
    """A folded block (``>-``) when the text is plain enough, else a quoted scalar."""
    if _UNSAFE.search(text) or text != " ".join(text.split()) or "\t" in text:
        return " " + quote(text)
    lines = textwrap.wrap(text, 80, break_long_words=False, break_on_hyphens=False)
    return " >-\n" + "\n".join(f"{indent}{line}" for line in lines)


def render_glossary_yaml(terms: tuple[Term, ...], *, name: str) -> str:
    """The text of a glossary data file holding the terms, as :mod:`.load` reads it.

    :param terms: the terms
    :param name: the article's file name, for the header
    :return: the YAML text
    """
    lines = [_HEADER.format(name=name).rstrip("\n")]
    for term in terms:
        lines.append(f"  - term: {quote(term.term)}")
        lines.append(f"    aliases: [{', '.join(quote(alias) for alias in term.aliases)}]")
        lines.append(f"    category: {term.category}")
        if term.native:
            lines.append(f"    native: {quote(term.native)}")
        lines.append(f"    definition:{_folded(term.definition, '      ')}")
        lines.append(f"    source: {quote(term.source)}")
        if term.draft:
            lines.append("    draft: true")
        lines.append("")
    return "\n".join(lines)


def draft_glossary(article: Article) -> str:
    """Draft ``<name>.glossary.yaml`` for an article.

    :param article: the article
    :return: the data file's text, every entry marked ``draft: true``
    :raises BuildError: naming the article, when it names nothing a glossary could explain
    """
    terms = draft_terms(article)
    if not terms:
        raise BuildError(
            "cannot draft a glossary: the article names no person, place, organisation "
            "or concept more than once",
            path=article.source,
            line=1,
        )
    return render_glossary_yaml(terms, name=article.source.rsplit("/", 1)[-1])
