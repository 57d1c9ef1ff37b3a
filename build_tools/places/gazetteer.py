"""The gazetteer: the places an article names that belong on a map.

The gazetteer is a reviewable YAML file next to the article
(``<name>.places.yaml``).  Each place gives its position (WGS 84 degrees), the
spellings the article uses for it and, optionally, its name in Hangul; an
entry marked ``draft: true`` was drafted (:mod:`~build_tools.places.draft`)
and no person has checked it yet.  The file does not
say which sections mention a place: :func:`parse_places` finds that in the
article from the spellings, so nothing in the file can drift from the text.

A mention is the longest spelling at a position (``Pusan Perimeter`` is the
perimeter, not the city of Pusan), as a whole word and case-sensitive; the
phrases listed under ``except`` are not mentions (``Punchbowl Cemetery``, in
Hawaii, is not the Punchbowl in Korea).  Every spelling, and every ``except``
phrase, must occur in the article: a place the article never names is an
error naming the file's line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from build_tools.article.model import Article, Block, Paragraph, Table
from build_tools.places.model import KINDS, Gazetteer, Place, SectionRef
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import (
    YamlList,
    YamlMap,
    boolean,
    choice,
    fields,
    line_of,
    load_yaml,
    number,
    text,
    texts,
)

_FIELDS = {
    "name": "the name shown on the maps",
    "kind": "one of " + ", ".join(KINDS),
    "lat": "latitude in degrees north (WGS 84)",
    "lon": "longitude in degrees east (WGS 84)",
    "hangul": "the name in Hangul",
    "spellings": "every spelling the article uses, exactly as written",
    "points": "for a line or area: its [lat, lon] points",
    "between": "for a boundary: the two countries it separates",
    "except": "phrases containing a spelling that do not name this place",
    "angle": "for a river: the angle of its label, in degrees",
    "note": "what the position stands for and where it comes from",
    "draft": "true while the entry is a draft no person has checked yet",
}
_REQUIRED = ("name", "kind", "lat", "lon", "spellings")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def _parts(article: Article) -> Iterator[tuple[SectionRef, Sequence[Block]]]:
    """The article's parts with their blocks: lead, chapter openings, sections."""
    yield SectionRef("introduction", "Introduction", ""), article.lead
    for chapter in article.chapters:
        yield SectionRef(chapter.label, chapter.title, chapter.title), chapter.blocks
        for section in chapter.sections:
            yield SectionRef(section.label, section.title, chapter.title), section.blocks


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Table):
        return "\n".join(" | ".join(cells) for cells in (block.header, *block.rows))
    return ""


@functools.lru_cache(maxsize=8)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all phrases, longest first: a match is the longest at its start."""
    ordered = sorted(phrases, key=lambda phrase: (-len(phrase), phrase))
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def find_mentions(text: str, places: Sequence[Place]) -> dict[str, list[str]]:
    """Which spellings of which places a text names (longest match first).

    :param text: plain text
    :param places: the places
    :return: for each place named, the spellings found (one entry a mention);
        ``except`` phrases found are listed under the key ``""``
    """
    owners = {phrase: place.name for place in places for phrase in place.spellings}
    owners.update({phrase: "" for place in places for phrase in place.excepts})
    found: dict[str, list[str]] = {}
    if not owners:
        return found
    for match in _pattern(tuple(owners)).finditer(text):
        found.setdefault(owners[match.group(1)], []).append(match.group(1))
    return found


def _place(entry: Any, *, path: str) -> Place:
    """One entry of the file as a place, every field checked."""
    missing = [key for key in _REQUIRED if isinstance(entry, YamlMap) and key not in entry]
    entry = fields(
        entry,
        allowed=tuple(_FIELDS),
        required=_REQUIRED,
        what="a place",
        path=path,
        hint=f" ({_FIELDS[missing[0]]})" if missing else "",
    )
    name = text(entry, "name", path=path, collapse=False)
    kind = choice(entry, "kind", KINDS, path=path)
    hangul = _hangul(entry, path=path) if "hangul" in entry else ""
    points = _points(entry, kind, path=path)
    between = _between(entry, kind, path=path)
    angle = number(entry.get("angle", 0.0), what="angle", path=path, line=line_of(entry, "angle"))
    return Place(
        name=name,
        kind=kind,
        lat=_degrees(entry["lat"], what="lat", limit=90, path=path, line=line_of(entry, "lat")),
        lon=_degrees(entry["lon"], what="lon", limit=180, path=path, line=line_of(entry, "lon")),
        hangul=hangul,
        spellings=texts(
            entry["spellings"], what="spellings", path=path, line=line_of(entry, "spellings")
        ),
        line=entry.line or 0,
        points=points,
        between=between,
        excepts=texts(
            entry.get("except", []), what="except", path=path, line=line_of(entry, "except")
        ),
        angle=angle,
        note=text(entry, "note", path=path, default="", collapse=False),
        draft=boolean(entry, "draft", path=path, default=False),
    )


def _degrees(value: Any, *, what: str, limit: float, path: str, line: int | None) -> float:
    """A latitude or longitude: a number of degrees between ``-limit`` and ``limit``."""
    return number(value, what=what, path=path, line=line, low=-limit, high=limit, unit="degrees")


def _hangul(entry: YamlMap, *, path: str) -> str:
    """The place's name in Hangul (it must hold Hangul letters)."""
    hangul = entry["hangul"]
    if not isinstance(hangul, str) or not _HANGUL.search(hangul):
        raise BuildError(
            f"hangul must be the name in Hangul, not {hangul!r}",
            path=path,
            line=line_of(entry, "hangul"),
        )
    return hangul.strip()


def _points(entry: YamlMap, kind: str, *, path: str) -> tuple[tuple[float, float], ...]:
    """The ``(lat, lon)`` points of a line or area (other kinds have none)."""
    if kind not in ("line", "area"):
        if "points" in entry:
            raise BuildError(
                "only a line or area has points", path=path, line=line_of(entry, "points")
            )
        return ()
    raw_points = entry.get("points", [])
    if not isinstance(raw_points, YamlList) or len(raw_points) < (2 if kind == "line" else 3):
        raise BuildError(
            f"a {kind} needs points: a list of [lat, lon] pairs",
            path=path,
            line=line_of(entry, "points") if "points" in entry else entry.line,
        )
    points: list[tuple[float, float]] = []
    for index, pair in enumerate(raw_points):
        where = line_of(raw_points, index)
        if not isinstance(pair, list) or len(pair) != 2:
            raise BuildError("each point is a [lat, lon] pair", path=path, line=where)
        points.append(
            (
                _degrees(pair[0], what="latitude", limit=90, path=path, line=where),
                _degrees(pair[1], what="longitude", limit=180, path=path, line=where),
            )
        )
    return tuple(points)


def _between(entry: YamlMap, kind: str, *, path: str) -> tuple[str, ...]:
    """The two countries a boundary separates (other kinds: none)."""
    if kind != "boundary":
        return ()
    between = texts(entry.get("between"), what="between", path=path, line=line_of(entry, "between"))
    if len(between) != 2:
        raise BuildError(
            "a boundary needs between: [country, country]",
            path=path,
            line=line_of(entry, "between"),
        )
    return between


def parse_places(text: str, article: Article, *, path: str) -> Gazetteer:
    """Read a gazetteer and find where the article names each place.

    :param text: the gazetteer's YAML text
    :param article: the article it belongs to
    :param path: the gazetteer's file name, for messages
    :return: the places, with the sections naming each
    :raises BuildError: naming the line of a bad entry, or of a spelling or
        ``except`` phrase the article does not use
    """
    data = load_yaml(text, path=path)
    if not isinstance(data, YamlMap) or not isinstance(data.get("places"), YamlList):
        raise BuildError("expected a mapping with a list 'places'", path=path, line=1)
    entries: YamlList = data["places"]
    places = [_place(entry, path=path) for entry in entries]
    seen: dict[str, str] = {}
    for place, entry in zip(places, entries, strict=True):
        for index, phrase in enumerate(place.spellings):
            if phrase in seen:
                raise BuildError(
                    f"the spelling {phrase!r} is given for both {seen[phrase]} and {place.name}",
                    path=path,
                    line=line_of(entry["spellings"], index),
                )
            seen[phrase] = place.name
        if place.name in {other.name for other in places if other is not place}:
            raise BuildError(
                f"two places are named {place.name!r}", path=path, line=line_of(entry, "name")
            )

    mentions: dict[str, list[SectionRef]] = {}
    used: set[str] = set()
    for ref, blocks in _parts(article):
        text_of_part = "\n".join(_block_text(block) for block in blocks)
        for owner, phrases in find_mentions(text_of_part, places).items():
            used.update(phrases)
            if owner:
                mentions.setdefault(owner, []).append(ref)
    for place, entry in zip(places, entries, strict=True):
        for key, listed in (("spellings", place.spellings), ("except", place.excepts)):
            for index, phrase in enumerate(listed):
                if phrase not in used:
                    what = "spelling" if key == "spellings" else "except phrase"
                    raise BuildError(
                        f"the {what} {phrase!r} of {place.name} does not occur in the article "
                        "(whole words, case-sensitive); list only what the article writes",
                        path=path,
                        line=line_of(entry[key], index),
                    )
    return Gazetteer(
        places=tuple(places),
        mentions={name: tuple(refs) for name, refs in mentions.items()},
    )
