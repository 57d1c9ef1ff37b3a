"""Draw the book's maps from a topology and a gazetteer: pure functions, files as bytes.

Every map has a scale bar (kilometres and miles), a north arrow, a legend, a
note of the data's source and licence, degree ticks on its frame, and labels
placed so that none overlaps another label, a marker, or the map furniture.

Projection: equidistant cylindrical with standard parallel 38° N (positions in
kilometres from 38° N, 127.5° E).  Meridians are vertical, so north is up
everywhere; distances are true along meridians and along the 38th parallel,
within 6 % across the peninsula, which a scale bar at this size cannot show.

Black-and-white safe: lines differ by dash pattern and width, markers by
shape, areas by hatching; colours come from Okabe & Ito's palette.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Polygon
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from build_tools.figures.plotting import PALETTE, book_style, new_figure, save_figure
from build_tools.figures.topojson import Coordinates, Topology
from build_tools.places.gazetteer import MARKER_KINDS, Place

EARTH_RADIUS_KM = 6371.0
LAT0, LON0 = 38.0, 127.5
_KX = EARTH_RADIUS_KM * math.radians(1) * math.cos(math.radians(LAT0))
_KY = EARTH_RADIUS_KM * math.radians(1)
KM_PER_MILE = 1.609344

SEA = "#dcebf5"
FOCUS_LAND = "#ffffff"
OTHER_LAND = "#e4e1da"
COAST = "#4d4d4d"
WATER_TEXT = "#005a8c"  # a darker shade of the palette's blue, for small italic labels
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]

#: Marker style per kind: (marker, size in points, face colour, edge colour).
MARKERS: dict[str, tuple[str, float, str, str]] = {
    "capital": ("s", 7.0, PALETTE["black"], PALETTE["black"]),
    "city": ("o", 5.5, PALETTE["black"], PALETTE["black"]),
    "port": ("o", 5.5, PALETTE["black"], PALETTE["black"]),
    "battle": ("X", 8.0, PALETTE["vermillion"], PALETTE["black"]),
    "site": ("D", 5.5, "white", PALETTE["black"]),
    "island": ("o", 5.0, "white", PALETTE["black"]),
    "reservoir": ("o", 7.0, PALETTE["sky"], WATER_TEXT),
}
_LEGEND_NAMES = {
    "capital": "Capital",
    "city": "City or port",
    "battle": "Battle",
    "site": "Other site",
    "island": "Island",
    "reservoir": "Reservoir",
}


def project(lon: Any, lat: Any) -> tuple[Any, Any]:
    """Project degrees to map kilometres (equidistant cylindrical, 38° N).

    :param lon: longitude(s) in degrees east
    :param lat: latitude(s) in degrees north
    :return: x and y in kilometres from 38° N, 127.5° E
    """
    return (np.asarray(lon) - LON0) * _KX, (np.asarray(lat) - LAT0) * _KY


def unproject(x: float, y: float) -> tuple[float, float]:
    """Map kilometres back to degrees.

    :param x: kilometres east of 127.5° E
    :param y: kilometres north of 38° N
    :return: longitude and latitude
    """
    return x / _KX + LON0, y / _KY + LAT0


@dataclass(frozen=True)
class Extent:
    """A map's window in degrees."""

    west: float
    east: float
    south: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        """Whether a position lies inside the window."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass(frozen=True)
class Basemap:
    """Country outlines for one region, split into the lines a map draws.

    ``coasts`` are arcs used by one country only, ``borders`` arcs two
    countries share (with the names of those drawn); ``shared`` holds the
    border of each pair by name, merged into lines.
    """

    land: Mapping[str, tuple[list[Coordinates], ...]]
    coasts: tuple[Coordinates, ...]
    borders: tuple[tuple[frozenset[str], Coordinates], ...]
    shared: Mapping[tuple[str, str], tuple[Coordinates, ...]]
    focus: tuple[str, ...]
    source: str

    def boundary(self, first: str, second: str) -> tuple[Coordinates, ...]:
        """The border between two countries of the map.

        :param first: a country's name in the map data
        :param second: another one
        :return: its lines (empty when they share none)
        """
        return self.shared.get((first, second)) or self.shared.get((second, first)) or ()


def _clip_edge(points: Coordinates, axis: int, value: float, keep_above: bool) -> Coordinates:
    """One step of Sutherland-Hodgman: clip a closed ring at one line, vectorised."""
    inside = points[:, axis] >= value if keep_above else points[:, axis] <= value
    previous = np.roll(points, 1, axis=0)
    previous_inside = np.roll(inside, 1)
    cross = inside != previous_inside
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (value - previous[:, axis]) / (points[:, axis] - previous[:, axis])
        crossing = previous + t[:, None] * (points - previous)
    counts = cross.astype(int) + inside.astype(int)
    start = np.cumsum(counts) - counts
    out = np.empty((int(counts.sum()), 2))
    out[start[cross]] = crossing[cross]
    out[(start + cross)[inside]] = points[inside]
    return out


def clip_ring(ring: Coordinates, window: Extent) -> Coordinates | None:
    """Clip a closed ring to a window (the part of a country a map shows).

    :param ring: positions, first equal to last
    :param window: the window in degrees
    :return: the clipped closed ring, or None when nothing of it is inside
    """
    points = ring[:-1] if len(ring) > 1 and np.array_equal(ring[0], ring[-1]) else ring
    for axis, value, keep_above in (
        (0, window.west, True),
        (0, window.east, False),
        (1, window.south, True),
        (1, window.north, False),
    ):
        if len(points) < 3:
            return None
        points = _clip_edge(points, axis, value, keep_above)
    if len(points) < 3:
        return None
    return np.concatenate([points, points[:1]])


def clip_line(line: Coordinates, window: Extent) -> list[Coordinates]:
    """The runs of a line inside a window, each with one point beyond each end.

    :param line: positions
    :param window: the window in degrees
    :return: the pieces to draw (the frame hides what lies beyond)
    """
    inside = (
        (line[:, 0] >= window.west)
        & (line[:, 0] <= window.east)
        & (line[:, 1] >= window.south)
        & (line[:, 1] <= window.north)
    )
    keep = inside | np.roll(inside, 1) | np.roll(inside, -1)
    keep[0] = inside[0] or (len(inside) > 1 and bool(inside[1]))
    keep[-1] = inside[-1] or (len(inside) > 1 and bool(inside[-2]))
    pieces: list[Coordinates] = []
    start: int | None = None
    for index, flag in enumerate([*keep.tolist(), False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            if index - start >= 2:
                pieces.append(line[start:index])
            start = None
    return pieces


def make_basemap(
    topology: Topology,
    *,
    countries: Sequence[str],
    focus: Sequence[str],
    source: str,
    window: Extent,
) -> Basemap:
    """Cut the outlines of some countries out of a world topology.

    :param topology: a world topology with an object ``countries``
    :param countries: names (``properties.name``) of the countries to draw
    :param focus: the countries the maps are about (drawn lighter)
    :param source: the note of the data's source and licence
    :param window: the largest window any map will show; rings outside it are dropped
    :return: the base map
    """
    geometries = {name: topology.find("countries", name) for name in countries}
    usage: dict[int, int] = {}
    for geometry in topology.geometries("countries"):
        for index in topology.arc_indexes(geometry):
            usage[index] = usage.get(index, 0) + 1
    owners: dict[int, set[str]] = {}
    for name, geometry in geometries.items():
        for index in topology.arc_indexes(geometry):
            owners.setdefault(index, set()).add(name)

    land: dict[str, tuple[list[Coordinates], ...]] = {}
    coasts: list[Coordinates] = []
    borders: list[tuple[frozenset[str], Coordinates]] = []
    seen: set[int] = set()
    for name, geometry in geometries.items():
        polygons: list[list[Coordinates]] = []
        for polygon in topology.polygons(geometry):
            rings = [clip_ring(ring, window) for ring in polygon]
            if rings[0] is not None:
                polygons.append([ring for ring in rings if ring is not None])
        land[name] = tuple(polygons)
        for index in sorted(topology.arc_indexes(geometry) - seen):
            seen.add(index)
            for piece in clip_line(topology.decoded(index), window):
                if usage.get(index, 0) > 1:
                    borders.append((frozenset(owners[index]), piece))
                else:
                    coasts.append(piece)
    shared: dict[tuple[str, str], tuple[Coordinates, ...]] = {}
    names = list(geometries)
    for position, first in enumerate(names):
        for second in names[position + 1 :]:
            lines = topology.shared_arcs(geometries[first], geometries[second])
            if lines:
                shared[first, second] = tuple(lines)
    return Basemap(
        land=land,
        coasts=tuple(coasts),
        borders=tuple(borders),
        shared=shared,
        focus=tuple(focus),
        source=source,
    )


@dataclass(frozen=True)
class MapRequest:
    """What one map shows.

    ``places`` are marked and labelled; ``base_labels`` (country names) are
    shown wherever they fall inside the window; ``links`` give a place an
    ``href`` (by name) for its marker and label in the SVG.
    """

    name: str
    places: tuple[Place, ...]
    base_labels: tuple[Place, ...] = ()
    links: Mapping[str, str] = field(default_factory=dict)
    width: float = 4.6
    aspect: float | None = None
    min_span_km: float = 420.0
    margin_km: float = 45.0
    extent: Extent | None = None
    title: str = ""
    font_scale: float = 1.0


@dataclass(frozen=True)
class DrawnMap:
    """A drawn map: its files, its window, and the labels it could not place clear.

    ``labels`` maps each label to its box in points from the figure's lower
    left corner (for checks and tests).
    """

    files: Mapping[str, bytes]
    extent: Extent
    overlaps: tuple[str, ...]
    labels: Mapping[str, tuple[float, float, float, float]]


def _anchor_points(place: Place) -> list[tuple[float, float]]:
    if place.kind in ("line", "area"):
        return [(lon, lat) for lat, lon in place.points]
    if place.kind in ("parallel", "boundary"):
        return []
    return [(place.lon, place.lat)]


def fit_extent(request: MapRequest) -> Extent:
    """The window of a map: its places with a margin, at least ``min_span_km`` across.

    :param request: the map's request
    :return: the window in degrees, with the map's aspect (height / width) when it has one
    """
    if request.extent is not None:
        return request.extent
    points = [point for place in request.places for point in _anchor_points(place)]
    if not points:
        points = [(LON0, LAT0)]
    xs, ys = project([p[0] for p in points], [p[1] for p in points])
    x0, x1 = float(np.min(xs)) - request.margin_km, float(np.max(xs)) + request.margin_km
    y0, y1 = float(np.min(ys)) - request.margin_km, float(np.max(ys)) + request.margin_km
    width, height = max(x1 - x0, request.min_span_km), max(y1 - y0, request.min_span_km)
    if request.aspect is not None:  # grow the shorter side to the map's shape
        if height / width < request.aspect:
            height = width * request.aspect
        else:
            width = height / request.aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    west, south = unproject(cx - width / 2, cy - height / 2)
    east, north = unproject(cx + width / 2, cy + height / 2)
    return Extent(west=west, east=east, south=south, north=north)


def slug(name: str) -> str:
    """A place's name as an XML id part (``38th parallel`` -> ``38th-parallel``)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _overlap(first: Bbox, second: Bbox) -> float:
    width = min(first.x1, second.x1) - max(first.x0, second.x0)
    height = min(first.y1, second.y1) - max(first.y0, second.y0)
    return float(width * height) if width > 0 and height > 0 else 0.0


class _Placer:
    """The boxes already taken on a map, in display coordinates."""

    def __init__(self, figure: Figure, axes: Axes) -> None:
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.frame = axes.get_window_extent(self.renderer)
        self.taken: list[tuple[str, Bbox]] = []
        self.overlaps: list[str] = []
        self.labels: dict[str, tuple[float, float, float, float]] = {}
        self.lines = np.empty((0, 2))

    def box(self, artist: Any, pad: float = 1.0) -> Bbox:
        extent: Bbox = artist.get_window_extent(self.renderer)
        return Bbox.from_extents(extent.x0 - pad, extent.y0 - pad, extent.x1 + pad, extent.y1 + pad)

    def cost(self, box: Bbox, *, ignore: Sequence[str] = ()) -> float:
        """How badly a box overlaps what is taken, or leaves the frame (0: not at all)."""
        frame = self.frame
        outside = (
            max(0.0, frame.x0 - box.x0)
            + max(0.0, box.x1 - frame.x1)
            + max(0.0, frame.y0 - box.y0)
            + max(0.0, box.y1 - frame.y1)
        )
        total = float(outside) * 1e4
        for name, other in self.taken:
            if name not in ignore:
                total += _overlap(box, other)
        return total

    def blocked(
        self, segment: tuple[tuple[float, float], tuple[float, float]], *, ignore: Sequence[str]
    ) -> int:
        """How many points of a segment (every 2 display units) lie in taken boxes."""
        (x0, y0), (x1, y1) = segment
        steps = max(2, int(math.dist((x0, y0), (x1, y1)) // 2))
        count = 0
        for fraction in np.linspace(0.15, 1.0, steps):
            x, y = x0 + (x1 - x0) * fraction, y0 + (y1 - y0) * fraction
            count += sum(
                1
                for name, box in self.taken
                if name not in ignore and box.x0 < x < box.x1 and box.y0 < y < box.y1
            )
        return count

    def crossings(self, box: Bbox) -> int:
        """How many points of the lines to keep clear a box covers."""
        x, y = self.lines[:, 0], self.lines[:, 1]
        return int(np.count_nonzero((x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)))

    def avoid_line(self, axes: Axes, xs: Any, ys: Any) -> None:
        """Let labels avoid a line: its points every 3 display units count against them."""
        points = axes.transData.transform(np.column_stack([xs, ys]))
        pieces = [self.lines]
        for start, end in itertools.pairwise(points):
            steps = max(1, int(math.dist(start, end) // 3))
            fractions = np.linspace(0, 1, steps, endpoint=False)[:, None]
            pieces.append(start + (end - start) * fractions)
        self.lines = np.concatenate(pieces)

    def take(self, name: str, box: Bbox, *, label: bool, ignore: Sequence[str] = ()) -> None:
        """Mark a box as taken; a label's overlaps are recorded for the build's warnings."""
        if label and self.cost(box, ignore=ignore) > 0:
            clashes = [
                other for other, taken in self.taken if other not in ignore and _overlap(box, taken)
            ]
            where = ", ".join(clashes) or "the edge of the map"
            self.overlaps.append(f"{name} overlaps {where}")
        self.taken.append((name, box))
        if label:
            self.labels[name] = (box.x0, box.y0, box.x1, box.y1)


# label positions around a marker, best first: (dx, dy, ha, va) in units of distance
_AROUND = [
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (0.8, 0.8, "left", "bottom"),
    (-0.8, 0.8, "right", "bottom"),
    (0.8, -0.8, "left", "top"),
    (-0.8, -0.8, "right", "top"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
]
_MARKER_DISTANCES = (5.0, 10.0, 17.0, 27.0, 40.0)
_FREE_DISTANCES = (0.0, 8.0, 16.0, 26.0)
_RIVER_DISTANCES = (0.0, 5.0, 10.0, 16.0)
_LEADER_FROM = 10.0  # labels this far (points) from their marker get a leader line


_LABEL_STYLES: dict[str, dict[str, Any]] = {
    "capital": {"fontsize": 9.5, "fontweight": "bold"},
    "river": {"fontsize": 8.5, "fontstyle": "italic", "color": WATER_TEXT},
    "reservoir": {"fontsize": 8.5, "fontstyle": "italic", "color": WATER_TEXT},
    "sea": {"fontsize": 8.5, "fontstyle": "italic", "color": WATER_TEXT},
    "region": {"fontsize": 8.5, "fontstyle": "italic", "color": "#4d4d4d"},
    "country": {"fontsize": 8.5, "color": "#666666", "fontweight": "bold"},
    "line": {"fontsize": 8, "color": PALETTE["blue"], "fontweight": "bold"},
    "area": {"fontsize": 8, "color": "#006e50", "fontweight": "bold"},
    "boundary": {"fontsize": 8, "color": "#b34700", "fontweight": "bold"},
}


def _label_style(place: Place, scale: float = 1.0) -> dict[str, Any]:
    style = dict(_LABEL_STYLES.get(place.kind, {"fontsize": 8.5}))
    style["fontsize"] = style["fontsize"] * scale
    return style


def _label_text(place: Place) -> str:
    if place.kind == "country":
        return place.name.upper()
    return place.name


def _draw_base(
    axes: Axes, basemap: Basemap, extent: Extent, special: Sequence[frozenset[str]]
) -> None:
    window = Extent(extent.west - 0.3, extent.east + 0.3, extent.south - 0.3, extent.north + 0.3)
    for name, polygons in basemap.land.items():
        colour = FOCUS_LAND if name in basemap.focus else OTHER_LAND
        vertices: list[Any] = []
        codes: list[Any] = []
        for polygon in polygons:
            for ring in polygon:
                clipped = clip_ring(ring, window)
                if clipped is None:
                    continue
                xs, ys = project(clipped[:, 0], clipped[:, 1])
                vertices += list(zip(xs, ys, strict=True))
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(clipped) - 2)
                codes.append(MplPath.CLOSEPOLY)
        if vertices:
            patch = PathPatch(MplPath(vertices, codes), facecolor=colour, edgecolor="none")
            patch.set_zorder(1)
            axes.add_artist(patch)
    for arc in basemap.coasts:
        for piece in clip_line(arc, window):
            xs, ys = project(piece[:, 0], piece[:, 1])
            axes.plot(xs, ys, color=COAST, linewidth=0.5, zorder=2)
    for owners, arc in basemap.borders:
        if owners in special:  # drawn in its own style, as a place of the map
            continue
        for piece in clip_line(arc, window):
            xs, ys = project(piece[:, 0], piece[:, 1])
            axes.plot(
                xs, ys, color="#5a5a5a", linewidth=0.8, linestyle=(0, (4, 1.5, 1, 1.5)), zorder=2
            )


def _ticks(axes: Axes, extent: Extent) -> None:
    def steps(low: float, high: float) -> list[float]:
        step = 1.0 if high - low <= 6 else 2.0
        first = math.ceil(low / step) * step
        return [first + step * i for i in range(int((high - first) // step) + 1)]

    lons, lats = steps(extent.west, extent.east), steps(extent.south, extent.north)
    axes.set_xticks([float(project(lon, LAT0)[0]) for lon in lons])
    axes.set_xticklabels([f"{lon:g}°E" for lon in lons])
    axes.set_yticks([float(project(LON0, lat)[1]) for lat in lats])
    axes.set_yticklabels([f"{lat:g}°N" for lat in lats])
    axes.tick_params(labelsize=7, length=3, width=0.5, colors="#444444", pad=2)
    for spine in axes.spines.values():
        spine.set_visible(True)
        spine.set_linewidth(0.7)


def _nice(length: float) -> float:
    magnitude = 10.0 ** math.floor(math.log10(length))
    for factor in (5.0, 2.0, 1.0):
        if factor * magnitude <= length:
            return factor * magnitude
    return magnitude


def _furniture(axes: Axes, corner: str, nudge: float = 0.0) -> list[Any]:
    """Draw the scale bar (km above, miles below) and the north arrow in a corner.

    ``nudge`` moves it along the map's side, as a fraction of the height.
    """
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    width, height = x1 - x0, y1 - y0
    km = _nice(width * 0.26)
    miles = _nice(km / KM_PER_MILE)
    arrow_room = width * 0.09
    left = corner.endswith("left")
    pad_x, pad_y = width * 0.04, height * 0.045
    bar_x = x0 + pad_x + arrow_room if left else x1 - pad_x - km
    bar_y = y0 + pad_y * 1.4 if corner.startswith("lower") else y1 - pad_y * 1.6
    bar_y += (1 if corner.startswith("lower") else -1) * nudge * height
    tick = height * 0.012
    artists: list[Any] = []
    style: dict[str, Any] = {"color": "black", "linewidth": 0.8, "zorder": 6}
    for total, unit, sign in ((km, "km", 1), (miles, "mi", -1)):
        length = total * (1 if unit == "km" else KM_PER_MILE)
        artists += axes.plot([bar_x, bar_x + length], [bar_y, bar_y], **style)
        for fraction in (0.0, 0.5, 1.0):
            position = bar_x + length * fraction
            artists += axes.plot([position, position], [bar_y, bar_y + sign * tick], **style)
            if fraction == 0.5:  # a tick without a number: short bars have no room for it
                continue
            text = f"{total * fraction:g}" + (f" {unit}" if fraction == 1.0 else "")
            artists.append(
                axes.text(
                    position,
                    bar_y + sign * tick * 1.5,
                    text,
                    ha="center",
                    va="bottom" if sign > 0 else "top",
                    fontsize=6.5,
                    zorder=6,
                    path_effects=HALO,
                )
            )
    arrow_x = bar_x - arrow_room * 0.55 if left else bar_x + km + arrow_room * 0.55
    if not left:
        arrow_x = bar_x - arrow_room * 0.55
    arrow_y = bar_y - height * 0.03
    length = height * 0.06
    artists.append(
        axes.annotate(
            "",
            xy=(arrow_x, arrow_y + length),
            xytext=(arrow_x, arrow_y),
            arrowprops={
                "arrowstyle": "-|>,head_width=0.3,head_length=0.6",
                "color": "black",
                "linewidth": 1.1,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=6,
        )
    )
    artists.append(
        axes.text(
            arrow_x,
            arrow_y + length + height * 0.006,
            "N",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            zorder=6,
            path_effects=HALO,
        )
    )
    return artists


@dataclass
class _Label:
    """A label to place: its lines (one for most places, several for a cluster)."""

    names: list[Place]
    x: float
    y: float
    distances: tuple[float, ...]
    marker_names: list[str]
    rotation: float = 0.0


def _clusters(places: Sequence[Place], markers: Mapping[str, Any], axes: Axes) -> list[list[Place]]:
    """Group markers drawn so close that their labels must be read as one list."""
    points = {
        place.name: axes.transData.transform(project(place.lon, place.lat)) for place in places
    }
    groups: list[list[Place]] = []
    for place in places:
        size = MARKERS[place.kind][1]
        for group in groups:
            if any(
                math.dist(points[place.name], points[other.name])
                < (size + MARKERS[other.kind][1]) * 0.5 + 2.0
                for other in group
            ):
                group.append(place)
                break
        else:
            groups.append([place])
    return groups


def _text_size(
    axes: Axes, placer: _Placer, text: str, style: Mapping[str, Any], rotation: float
) -> tuple[float, float]:
    """The size of a label in display units (rotated labels: their bounding box)."""
    probe = axes.text(0, 0, text, rotation=rotation, linespacing=1.1, **style)
    extent = probe.get_window_extent(placer.renderer)
    probe.remove()
    return float(extent.width), float(extent.height)


def _candidate(
    anchor: tuple[float, float],
    size: tuple[float, float],
    offset: tuple[float, float],
    align: tuple[str, str],
    pad: float = 1.0,
) -> Bbox:
    """The box a label would take (display units), from its size and alignment."""
    x = anchor[0] + offset[0]
    y = anchor[1] + offset[1]
    width, height = size
    x0 = {"left": x, "right": x - width, "center": x - width / 2}[align[0]]
    y0 = {"bottom": y, "top": y - height, "center": y - height / 2}[align[1]]
    return Bbox.from_extents(x0 - pad, y0 - pad, x0 + width + pad, y0 + height + pad)


def _leader(anchor: Any, box: Bbox) -> tuple[tuple[float, float], tuple[float, float]]:
    """A leader line from a marker to the nearest point of its label's box."""
    mx, my = float(anchor[0]), float(anchor[1])
    return (mx, my), (min(max(mx, box.x0), box.x1), min(max(my, box.y0), box.y1))


def _place_label(
    axes: Axes, placer: _Placer, label: _Label, links: Mapping[str, str], scale: float = 1.0
) -> None:
    """Place a label at the best free position around its anchor.

    A position that overlaps a label, a marker or the map's furniture, or leaves
    the frame, is taken only when every position does; among the free ones the
    nearest wins, less so when it covers a line the map shows (the 38th parallel,
    the boundary, the perimeter).
    """
    style = _label_style(label.names[0], scale)
    text_of = "\n".join(_label_text(place) for place in label.names)
    free = label.names[0].kind not in MARKER_KINDS
    rotated = bool(label.rotation)
    size = _text_size(axes, placer, text_of, style, label.rotation)
    anchor = tuple(axes.transData.transform((label.x, label.y)))
    scale = axes.figure.dpi / 72  # points to display units
    best: tuple[float, tuple[float, float, str, str, float]] | None = None
    for step, distance in enumerate(label.distances):
        choices = [(0.0, 0.0, "center", "center")] if distance == 0 else _AROUND
        for rank, (dx, dy, h_align, v_align) in enumerate(choices):
            # a rotated label stays centred: only its centre moves
            ha, va = ("center", "center") if rotated else (h_align, v_align)
            offset = (dx * distance * scale, dy * distance * scale)
            box = _candidate((anchor[0], anchor[1]), size, offset, (ha, va))
            hard = placer.cost(box, ignore=label.marker_names)
            if not free and distance >= _LEADER_FROM:  # its leader must not cross a label
                hard += 100 * placer.blocked(_leader(anchor, box), ignore=label.marker_names)
            score = (
                (1e6 + hard)
                if hard
                else (placer.crossings(box) * 1.5 + distance * 0.5 + rank * 0.3 + step)
            )
            if best is None or score < best[0]:
                best = (score, (dx, dy, ha, va, distance))
    assert best is not None
    dx, dy, ha, va, distance = best[1]
    if rotated:
        ha, va = "center", "center"

    def annotate(**extra: Any) -> Any:
        """The label at the chosen offset (the probe measures it, the last draws it)."""
        return axes.annotate(
            text_of,
            (label.x, label.y),
            xytext=(dx * distance, dy * distance),
            textcoords="offset points",
            ha=ha,
            va=va,
            rotation=label.rotation,
            rotation_mode="anchor",
            annotation_clip=False,
            **extra,
            **style,
        )

    probe = annotate(linespacing=1.1)
    box = placer.box(probe)
    probe.remove()
    # one text per name, so that each line carries its own link and tooltip
    count = len(label.names)
    line_height = (box.y1 - box.y0 - 2.0) / count
    for index, place in enumerate(label.names):
        top = box.y1 - 1.0 - line_height * index
        anchor_x = {"left": box.x0 + 1.0, "right": box.x1 - 1.0, "center": (box.x0 + box.x1) / 2}
        x, y = axes.transData.inverted().transform(
            (anchor_x[ha] if count > 1 else 0.0, top - line_height / 2)
        )
        if count > 1:
            text = axes.text(
                x, y, _label_text(place), ha=ha, va="center", zorder=6, path_effects=HALO, **style
            )
        else:
            text = annotate(zorder=6, path_effects=HALO)
        text.set_gid(f"place-{slug(place.name)}-label")
        if place.name in links:
            text.set_url(links[place.name])
    if not free and distance >= _LEADER_FROM:
        stop = _leader(anchor, box)[1]
        end = axes.transData.inverted().transform(stop)
        axes.plot([label.x, end[0]], [label.y, end[1]], color="#333333", linewidth=0.5, zorder=4)
        placer.avoid_line(axes, [label.x, end[0]], [label.y, end[1]])
    name = ", ".join(p.name for p in label.names)
    if not rotated:
        placer.take(name, box, label=True, ignore=label.marker_names)
        return
    # a slanted label takes a slanted strip, not its whole bounding box: small squares
    # along its baseline
    placer.labels[name] = (box.x0, box.y0, box.x1, box.y1)
    length, height = _text_size(axes, placer, text_of, style, 0.0)
    angle = math.radians(label.rotation)
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    pieces = max(1, math.ceil(length / height))
    for index in range(pieces):
        along = (index + 0.5) / pieces * length - length / 2
        px, py = cx + along * math.cos(angle), cy + along * math.sin(angle)
        half = max(height, length / pieces) / 2 + 1.0
        piece = f"{name} ({index + 1})"
        placer.take(
            piece,
            Bbox.from_extents(px - half, py - height / 2 - 1, px + half, py + height / 2 + 1),
            label=True,
            ignore=[*label.marker_names, *(f"{name} ({j})" for j in range(1, index + 1))],
        )
        del placer.labels[piece]


def _draw_shapes(
    axes: Axes, basemap: Basemap, places: Sequence[Place], x_range: tuple[float, float]
) -> list[tuple[Any, str]]:
    legend: list[tuple[Any, str]] = []
    for place in places:
        gid = f"place-{slug(place.name)}"
        if place.kind == "parallel":
            y = float(project(LON0, place.lat)[1])
            (line,) = axes.plot(
                list(x_range),
                [y, y],
                color="black",
                linewidth=1.1,
                linestyle=(0, (7, 3)),
                zorder=3,
                gid=gid,
            )
            legend.append((line, f"{place.name} ({place.lat:g}° N)"))
        elif place.kind == "boundary":
            line = None
            for part in basemap.boundary(place.between[0], place.between[1]):
                xs, ys = project(part[:, 0], part[:, 1])
                (line,) = axes.plot(
                    xs,
                    ys,
                    color=PALETTE["vermillion"],
                    linewidth=2.2,
                    linestyle=(0, (5, 1.5, 1.5, 1.5)),
                    zorder=3,
                    gid=gid,
                )
            if line is not None:
                legend.append((line, f"Today's boundary ({place.name})"))
        elif place.kind == "line":
            xs, ys = project([p[1] for p in place.points], [p[0] for p in place.points])
            ticked = [patheffects.withTickedStroke(angle=90, spacing=7, length=0.7)]
            (line,) = axes.plot(
                xs,
                ys,
                color=PALETTE["blue"],
                linewidth=1.8,
                zorder=3,
                gid=gid,
                path_effects=[*ticked, patheffects.Normal()],
            )
            handle = Line2D(
                [],
                [],
                color=PALETTE["blue"],
                linewidth=1.8,
                path_effects=[*ticked, patheffects.Normal()],
            )
            legend.append((handle, f"{place.name} (approx.)"))
        elif place.kind == "area":
            xs, ys = project([p[1] for p in place.points], [p[0] for p in place.points])
            patch = Polygon(
                list(zip(xs, ys, strict=True)),
                closed=True,
                facecolor="none",
                edgecolor=PALETTE["green"],
                hatch="////",
                linewidth=1.2,
                zorder=3,
                gid=gid,
            )
            axes.add_patch(patch)
            legend.append(
                (Patch(facecolor="none", edgecolor=PALETTE["green"], hatch="////"), place.name)
            )
    return legend


_PRIORITY = [
    "river",
    "capital",
    "port",
    "city",
    "battle",
    "reservoir",
    "site",
    "island",
    "boundary",
    "line",
    "area",
    "parallel",
    "region",
    "sea",
    "country",
]


@dataclass(frozen=True)
class _Layout:
    """A map figure's size and margins (inches) and its legend's shape."""

    width: float
    height: float
    left: float
    bottom: float
    map_width: float
    map_height: float
    legend_columns: int


def _layout(request: MapRequest, extent: Extent, source: str) -> _Layout:
    x0, y0 = project(extent.west, extent.south)
    x1, y1 = project(extent.east, extent.north)
    aspect = float((y1 - y0) / (x1 - x0))
    shown = request.places
    entries = [
        _LEGEND_NAMES["city" if kind == "port" else kind]
        for kind in {p.kind for p in shown if p.kind in MARKER_KINDS}
    ] + [f"{p.name} (approx.)" for p in shown if p.kind in ("parallel", "boundary", "line", "area")]
    # two columns when the longest entry fits twice (DejaVu: about 0.55 em a character)
    column = 0.55 * 7.5 * request.font_scale / 72 * max(map(len, entries), default=0) + 0.5
    columns = 2 if 2 * column + 0.3 <= request.width else 1
    rows = math.ceil(len(set(entries)) / columns)
    left, right, top = 0.45, 0.1, 0.08
    bottom = 0.3 + 0.17 * request.font_scale * rows + 0.05 + 0.12 * (source.count("\n") + 1)
    map_width = request.width - left - right
    return _Layout(
        width=request.width,
        height=map_width * aspect + bottom + top,
        left=left,
        bottom=bottom,
        map_width=map_width,
        map_height=map_width * aspect,
        legend_columns=columns,
    )


def _keep_clear(axes: Axes, placer: _Placer, places: Sequence[Place], basemap: Basemap) -> None:
    """Make the lines of a map's places cost something to cover with a label."""
    x0, x1 = axes.get_xlim()
    for place in places:
        if place.kind == "boundary":
            for part in basemap.boundary(place.between[0], place.between[1]):
                placer.avoid_line(axes, *project(part[:, 0], part[:, 1]))
        elif place.kind in ("line", "area"):
            closed = [*place.points, place.points[0]] if place.kind == "area" else place.points
            placer.avoid_line(axes, *project([p[1] for p in closed], [p[0] for p in closed]))
        elif place.kind == "parallel":
            y = float(project(LON0, place.lat)[1])
            placer.avoid_line(axes, [x0, x1], [y, y])


def _draw_markers(
    axes: Axes, placer: _Placer, places: Sequence[Place], links: Mapping[str, str]
) -> tuple[dict[str, Any], list[tuple[Any, str]]]:
    """Draw the markers; return them by place name, and their legend entries."""
    markers: dict[str, Any] = {}
    kinds: set[str] = set()
    for place in places:
        marker, size, face, edge = MARKERS[place.kind]
        x, y = project(place.lon, place.lat)
        (artist,) = axes.plot(
            [x],
            [y],
            marker=marker,
            markersize=size,
            markerfacecolor=face,
            markeredgecolor=edge,
            markeredgewidth=0.8,
            linestyle="none",
            zorder=5,
            gid=f"place-{slug(place.name)}-marker",
        )
        if place.name in links:
            artist.set_url(links[place.name])
        markers[place.name] = artist
        placer.take(f"{place.name} (marker)", placer.box(artist, pad=0.5), label=False)
        kinds.add("city" if place.kind == "port" else place.kind)
    legend = [
        (
            Line2D(
                [],
                [],
                marker=MARKERS[kind][0],
                markersize=MARKERS[kind][1],
                markerfacecolor=MARKERS[kind][2],
                markeredgecolor=MARKERS[kind][3],
                markeredgewidth=0.8,
                linestyle="none",
            ),
            name,
        )
        for kind, name in _LEGEND_NAMES.items()
        if kind in kinds
    ]
    return markers, legend


def _place_furniture(axes: Axes, placer: _Placer, basemap: Basemap) -> None:
    """Put the scale bar and north arrow where they cover least (labels, then land)."""
    best: tuple[float, str, float] | None = None
    for nudge in (0.0, 0.06, 0.12):
        for corner in ("lower left", "lower right", "upper left", "upper right"):
            artists = _furniture(axes, corner, nudge)
            box = Bbox.union([placer.box(a, pad=2.0) for a in artists])
            cost = placer.cost(box) * 10 + _land_share(axes, basemap, box) * 50 + nudge
            for artist in artists:
                artist.remove()
            if best is None or cost < best[0]:
                best = (cost, corner, nudge)
    assert best is not None
    artists = _furniture(axes, best[1], best[2])
    placer.take(
        "scale bar and north arrow",
        Bbox.union([placer.box(a, 2.0) for a in artists]),
        label=False,
    )


def _labels(
    axes: Axes,
    request: MapRequest,
    extent: Extent,
    pointed: Sequence[Place],
    markers: Mapping[str, Any],
) -> list[_Label]:
    """Every label of a map, in the order they are placed."""
    labels: list[_Label] = []
    for group in _clusters(pointed, markers, axes):
        xs, ys = project([p.lon for p in group], [p.lat for p in group])
        labels.append(
            _Label(
                names=sorted(group, key=lambda p: -p.lat),
                x=float(np.mean(xs)),
                y=float(np.mean(ys)),
                distances=_MARKER_DISTANCES,
                marker_names=[f"{p.name} (marker)" for p in group],
            )
        )
    for place in (*request.places, *request.base_labels):
        if place.kind in MARKER_KINDS or not extent.contains(place.lon, place.lat):
            continue
        x, y = project(place.lon, place.lat)
        labels.append(
            _Label(
                names=[place],
                x=float(x),
                y=float(y),
                distances=_RIVER_DISTANCES if place.kind == "river" else _FREE_DISTANCES,
                marker_names=[],
                rotation=place.angle,
            )
        )
    labels.sort(key=lambda label: _PRIORITY.index(_kind_rank(label.names[0].kind)))
    return labels


def draw_map(basemap: Basemap, request: MapRequest, *, save_overlapping: bool = True) -> DrawnMap:
    """Draw one map.

    :param basemap: the country outlines
    :param request: what to show
    :param save_overlapping: whether to save the files when labels overlap (a caller
        that will draw again with smaller labels need not: saving is most of the work)
    :return: the map's SVG, PDF and PNG, its window, and any labels placed over something
    """
    extent = fit_extent(request)
    x0, y0 = (float(v) for v in project(extent.west, extent.south))
    x1, y1 = (float(v) for v in project(extent.east, extent.north))
    shown = request.places
    layout = _layout(request, extent, basemap.source)
    with book_style():
        figure = new_figure(layout.width, layout.height)
        axes = figure.add_axes(
            (
                layout.left / layout.width,
                layout.bottom / layout.height,
                layout.map_width / layout.width,
                layout.map_height / layout.height,
            )
        )
        axes.set_facecolor(SEA)
        axes.set_xlim(x0, x1)
        axes.set_ylim(y0, y1)
        axes.set_aspect("equal")
        axes.set_autoscale_on(False)
        axes.apply_aspect()
        _ticks(axes, extent)
        _draw_base(
            axes, basemap, extent, [frozenset(p.between) for p in shown if p.kind == "boundary"]
        )
        shapes = _draw_shapes(axes, basemap, shown, (x0, x1))
        placer = _Placer(figure, axes)
        _keep_clear(axes, placer, shown, basemap)
        pointed = [p for p in shown if p.kind in MARKER_KINDS and extent.contains(p.lon, p.lat)]
        markers, legend = _draw_markers(axes, placer, pointed, request.links)
        _place_furniture(axes, placer, basemap)
        for label in _labels(axes, request, extent, pointed, markers):
            _place_label(axes, placer, label, request.links, request.font_scale)
        if legend or shapes:
            entries = legend + shapes
            figure.legend(
                [h for h, _ in entries],
                [t for _, t in entries],
                loc="upper left",
                bbox_to_anchor=(
                    layout.left / layout.width - 0.02,
                    (layout.bottom - 0.3) / layout.height,
                ),
                ncols=layout.legend_columns,
                fontsize=7.5 * request.font_scale,
                frameon=False,
                handlelength=2.6,
                columnspacing=1.2,
                labelspacing=0.4,
                borderaxespad=0,
                borderpad=0,
            )
        figure.text(
            layout.left / layout.width - 0.02,
            0.06 / layout.height,
            basemap.source,
            fontsize=6.5,
            color="#444444",
            ha="left",
            va="bottom",
        )
        if placer.overlaps and not save_overlapping:
            return DrawnMap(
                files={}, extent=extent, overlaps=tuple(placer.overlaps), labels=placer.labels
            )
        files = save_figure(figure, title=request.title)
    svg = _add_titles(files["svg"].decode("utf-8"), (*shown, *request.base_labels))
    return DrawnMap(
        files={**files, "svg": svg.encode("utf-8")},
        extent=extent,
        overlaps=tuple(placer.overlaps),
        labels=dict(placer.labels),
    )


def draw_clear_map(basemap: Basemap, request: MapRequest, *, smallest: float = 0.85) -> DrawnMap:
    """Draw a map; when labels collide, draw it again with smaller labels.

    :param basemap: the country outlines
    :param request: what to show
    :param smallest: the smallest label scale to try
    :return: the first drawing without overlaps, else the one at the smallest scale
    """
    scale = request.font_scale
    while True:
        last = scale - 0.1 < smallest - 1e-9
        drawn = draw_map(basemap, replace(request, font_scale=scale), save_overlapping=last)
        if not drawn.overlaps or last:
            return drawn
        scale = round(scale - 0.1, 2)


def _kind_rank(kind: str) -> str:
    return kind if kind in _PRIORITY else "site"


def _land_share(axes: Axes, basemap: Basemap, box: Bbox) -> float:
    """Roughly how much of a box (display coordinates) covers land: 0 to 1."""
    inverse = axes.transData.inverted()
    (ax0, ay0), (ax1, ay1) = inverse.transform([(box.x0, box.y0), (box.x1, box.y1)])
    grid = [
        unproject(ax0 + (ax1 - ax0) * (i + 0.5) / 5, ay0 + (ay1 - ay0) * (j + 0.5) / 4)
        for i in range(5)
        for j in range(4)
    ]
    paths = [MplPath(polygon[0]) for polygons in basemap.land.values() for polygon in polygons]
    on_land = sum(1 for point in grid if any(path.contains_point(point) for path in paths))
    return on_land / len(grid)


def _add_titles(svg: str, places: Sequence[Place]) -> str:
    """Give each place's groups in the SVG a tooltip: its name and its name in Hangul."""
    for place in places:
        tooltip = f"{place.name} ({place.hangul})".replace("&", "&amp;").replace("<", "&lt;")
        pattern = re.compile(
            rf'(<g id="place-{re.escape(slug(place.name))}(?:-marker|-label)?"[^>]*>)'
        )
        svg = pattern.sub(rf"\1\n   <title>{_replacement(tooltip)}</title>", svg)
    return svg


def _replacement(text: str) -> str:
    """Text safe in the replacement of :func:`re.sub` (backslashes doubled)."""
    return text.replace("\\", "\\\\")


def describe_places(places: Sequence[Place]) -> str:
    """A plain-language list of places, for alt text.

    :param places: the places
    :return: e.g. ``Seoul, Pusan and Inchon``
    """
    names = [place.name for place in places]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
