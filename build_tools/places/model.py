"""The gazetteer's data types: places, where the article names them, and their kinds."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Places drawn as a marker with a label.
MARKER_KINDS = ("capital", "city", "port", "battle", "site", "island", "reservoir")
#: Places drawn as a label only (their position is the label's centre); a
#: country labels every map whose window holds its position.
LABEL_KINDS = ("river", "region", "sea", "country")
#: Places drawn as lines or areas; their position is where the label goes.
SHAPE_KINDS = ("line", "area", "parallel", "boundary")
KINDS = MARKER_KINDS + LABEL_KINDS + SHAPE_KINDS


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
    hangul: str  # "" when the file gives none
    spellings: tuple[str, ...]
    line: int
    points: tuple[tuple[float, float], ...] = ()
    between: tuple[str, ...] = ()
    excepts: tuple[str, ...] = ()
    angle: float = 0.0
    note: str = ""
    draft: bool = False

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
