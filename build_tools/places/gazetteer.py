"""The gazetteer: the places an article names that belong on a map.

The gazetteer is a reviewable YAML file next to the article
(``<name>.places.yaml``).  Each place gives its position (WGS 84 degrees), its
name in Hangul, and the spellings the article uses for it.  The file does not
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
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from build_tools.article.model import Article, Block, Paragraph, Table
from build_tools.util.errors import BuildError
from build_tools.util.yamlfile import YamlList, YamlMap, line_of, load_yaml

#: Places drawn as a marker with a label.
MARKER_KINDS = ("capital", "city", "port", "battle", "site", "island", "reservoir")
#: Places drawn as a label only (their position is the label's centre); a
#: country labels every map whose window holds its position.
LABEL_KINDS = ("river", "region", "sea", "country")
#: Places drawn as lines or areas; their position is where the label goes.
SHAPE_KINDS = ("line", "area", "parallel", "boundary")
KINDS = MARKER_KINDS + LABEL_KINDS + SHAPE_KINDS
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
}
_REQUIRED = ("name", "kind", "lat", "lon", "hangul", "spellings")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer.

    ``lat``/``lon`` is the marker (or, for labels and shapes, the label's
    anchor); ``points`` are the ``(lat, lon)`` vertices of a line or area.
    """

    name: str
    kind: str
    lat: float
    lon: float
    hangul: str
    spellings: tuple[str, ...]
    line: int
    points: tuple[tuple[float, float], ...] = ()
    between: tuple[str, ...] = ()
    excepts: tuple[str, ...] = ()
    angle: float = 0.0
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if not self.spellings:
            raise ValueError("a place needs at least one spelling")


@dataclass(frozen=True)
class SectionRef:
    """Where a place is named: a section (or chapter opening, or the lead)."""

    label: str
    title: str
    chapter: str


@dataclass(frozen=True)
class Gazetteer:
    """The places and where the article names each of them."""

    places: tuple[Place, ...]
    mentions: dict[str, tuple[SectionRef, ...]] = field(default_factory=dict)

    def named_in(self, label: str) -> tuple[Place, ...]:
        """The places a section names, in gazetteer order.

        :param label: the section's label
        :return: its places
        """
        return tuple(
            place
            for place in self.places
            if any(ref.label == label for ref in self.mentions.get(place.name, ()))
        )


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


def _number(
    value: Any, *, low: float, high: float, what: str, path: str, line: int | None
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise BuildError(f"{what} must be a number of degrees", path=path, line=line)
    if not low <= value <= high:
        raise BuildError(f"{what} {value} is out of range ({low} to {high})", path=path, line=line)
    return float(value)


def _texts(value: Any, *, what: str, path: str, line: int | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BuildError(f"{what} must be a list of texts", path=path, line=line)
    return tuple(v.strip() for v in value)


def _place(entry: Any, *, path: str) -> Place:
    line = line_of(entry)
    if not isinstance(entry, YamlMap):
        raise BuildError("each place must be a mapping of fields", path=path, line=line)
    for key in entry:
        if key not in _FIELDS:
            raise BuildError(
                f"unknown field {key!r}; allowed: {', '.join(_FIELDS)}",
                path=path,
                line=line_of(entry, key),
            )
    for key in _REQUIRED:
        if key not in entry:
            raise BuildError(f"a place needs {key!r} ({_FIELDS[key]})", path=path, line=line)
    name, kind, hangul = entry["name"], entry["kind"], entry["hangul"]
    if not isinstance(name, str) or not name.strip():
        raise BuildError("name must be a text", path=path, line=line_of(entry, "name"))
    if kind not in KINDS:
        raise BuildError(
            f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}",
            path=path,
            line=line_of(entry, "kind"),
        )
    if not isinstance(hangul, str) or not _HANGUL.search(hangul):
        raise BuildError(
            f"hangul must be the name in Hangul, not {hangul!r}",
            path=path,
            line=line_of(entry, "hangul"),
        )
    points: list[tuple[float, float]] = []
    raw_points = entry.get("points", [])
    if kind in ("line", "area"):
        if not isinstance(raw_points, YamlList) or len(raw_points) < (2 if kind == "line" else 3):
            raise BuildError(
                f"a {kind} needs points: a list of [lat, lon] pairs",
                path=path,
                line=line_of(entry, "points") if "points" in entry else line,
            )
        for index, pair in enumerate(raw_points):
            where = line_of(raw_points, index)
            if not isinstance(pair, list) or len(pair) != 2:
                raise BuildError("each point is a [lat, lon] pair", path=path, line=where)
            points.append(
                (
                    _number(pair[0], low=-90, high=90, what="latitude", path=path, line=where),
                    _number(pair[1], low=-180, high=180, what="longitude", path=path, line=where),
                )
            )
    elif "points" in entry:
        raise BuildError("only a line or area has points", path=path, line=line_of(entry, "points"))
    between: tuple[str, ...] = ()
    if kind == "boundary":
        between = _texts(
            entry.get("between"), what="between", path=path, line=line_of(entry, "between")
        )
        if len(between) != 2:
            raise BuildError(
                "a boundary needs between: [country, country]",
                path=path,
                line=line_of(entry, "between"),
            )
    angle = entry.get("angle", 0.0)
    if isinstance(angle, bool) or not isinstance(angle, int | float):
        raise BuildError("angle must be a number", path=path, line=line_of(entry, "angle"))
    return Place(
        name=name.strip(),
        kind=kind,
        lat=_number(
            entry["lat"], low=-90, high=90, what="lat", path=path, line=line_of(entry, "lat")
        ),
        lon=_number(
            entry["lon"], low=-180, high=180, what="lon", path=path, line=line_of(entry, "lon")
        ),
        hangul=hangul.strip(),
        spellings=_texts(
            entry["spellings"], what="spellings", path=path, line=line_of(entry, "spellings")
        ),
        line=line or 0,
        points=tuple(points),
        between=between,
        excepts=_texts(
            entry.get("except", []), what="except", path=path, line=line_of(entry, "except")
        ),
        angle=float(angle),
        note=str(entry.get("note", "")).strip(),
    )


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
