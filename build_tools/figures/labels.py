"""Place a map's labels clear of each other, of the markers, the furniture and the frame."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from build_tools.figures.mapgeometry import Extent, Projection
from build_tools.figures.mapstyle import HALO, LABEL_STYLES, MARKERS, slug
from build_tools.places.model import MARKER_KINDS, Place


def _overlap(first: Bbox, second: Bbox) -> float:
    width = min(first.x1, second.x1) - max(first.x0, second.x0)
    height = min(first.y1, second.y1) - max(first.y0, second.y0)
    return float(width * height) if width > 0 and height > 0 else 0.0


class Placer:
    """The boxes already taken on a map, in display coordinates."""

    def __init__(self, figure: Figure, axes: Axes) -> None:
        self.renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.frame = axes.get_window_extent(self.renderer)
        self.taken: list[tuple[str, Bbox]] = []
        self._extents: list[tuple[float, float, float, float]] = []  # of taken, as floats
        self._array = np.empty((0, 4))  # the same, as an array (rebuilt after a take)
        self.overlaps: list[str] = []
        self.labels: dict[str, tuple[float, float, float, float]] = {}
        self.lines = np.empty((0, 2))

    def box(self, artist: Any, pad: float = 1.0) -> Bbox:
        extent: Bbox = artist.get_window_extent(self.renderer)
        return Bbox.from_extents(extent.x0 - pad, extent.y0 - pad, extent.x1 + pad, extent.y1 + pad)

    def _taken(self, ignore: Sequence[str]) -> Any:
        """The extents of the taken boxes (an array, ``x0 y0 x1 y1`` a row) not in ``ignore``."""
        if len(self._array) != len(self._extents):
            self._array = np.array(self._extents, dtype=float).reshape(-1, 4)
        if not ignore:
            return self._array
        keep = [name not in ignore for name, _ in self.taken]
        return self._array[np.array(keep, dtype=bool)]

    def cost(self, box: Bbox, *, ignore: Sequence[str] = ()) -> float:
        """How badly a box overlaps what is taken, or leaves the frame (0: not at all)."""
        frame = self.frame
        x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
        outside = (
            max(0.0, frame.x0 - x0)
            + max(0.0, x1 - frame.x1)
            + max(0.0, frame.y0 - y0)
            + max(0.0, y1 - frame.y1)
        )
        total = float(outside) * 1e4
        taken = self._taken(ignore)
        # each overlap as _overlap() measures it, added in the order taken (same sum)
        width = np.minimum(x1, taken[:, 2]) - np.maximum(x0, taken[:, 0])
        height = np.minimum(y1, taken[:, 3]) - np.maximum(y0, taken[:, 1])
        for area in (width * height)[(width > 0) & (height > 0)].tolist():
            total += area
        return total

    def blocked(
        self, segment: tuple[tuple[float, float], tuple[float, float]], *, ignore: Sequence[str]
    ) -> int:
        """How many points of a segment (every 2 display units) lie in taken boxes."""
        (x0, y0), (x1, y1) = segment
        steps = max(2, int(math.dist((x0, y0), (x1, y1)) // 2))
        fractions = np.linspace(0.15, 1.0, steps)
        xs = (x0 + (x1 - x0) * fractions)[:, None]
        ys = (y0 + (y1 - y0) * fractions)[:, None]
        taken = self._taken(ignore)
        inside = (taken[:, 0] < xs) & (xs < taken[:, 2]) & (taken[:, 1] < ys) & (ys < taken[:, 3])
        return int(np.count_nonzero(inside))

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
        self._extents.append((float(box.x0), float(box.y0), float(box.x1), float(box.y1)))
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


def _label_style(place: Place, scale: float = 1.0) -> dict[str, Any]:
    style = dict(LABEL_STYLES.get(place.kind, {"fontsize": 8.5}))
    style["fontsize"] = style["fontsize"] * scale
    return style


def _label_text(place: Place) -> str:
    if place.kind == "country":
        return place.name.upper()
    return place.name


@dataclass
class Label:
    """A label to place: its lines (one for most places, several for a cluster)."""

    names: list[Place]
    x: float
    y: float
    distances: tuple[float, ...]
    marker_names: list[str]
    rotation: float = 0.0


def _clusters(places: Sequence[Place], axes: Axes, projection: Projection) -> list[list[Place]]:
    """Group markers drawn so close that their labels must be read as one list."""
    points = {
        place.name: axes.transData.transform(projection.project(place.lon, place.lat))
        for place in places
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
    axes: Axes, placer: Placer, text: str, style: Mapping[str, Any], rotation: float
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


def place_label(
    axes: Axes, placer: Placer, label: Label, links: Mapping[str, str], scale: float = 1.0
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
    dx, dy, ha, va, distance = _best_position(axes, placer, label, size, anchor, free=free)
    if rotated:
        ha, va = "center", "center"
    offset = (dx * distance, dy * distance)
    probe = _annotate(
        axes, label, text_of, offset=offset, align=(ha, va), style=style, linespacing=1.1
    )
    box = placer.box(probe)
    probe.remove()
    _draw_names(
        axes, label, box, text_of=text_of, offset=offset, align=(ha, va), style=style, links=links
    )
    if not free and distance >= _LEADER_FROM:
        _draw_leader(axes, placer, label, anchor, box)
    name = ", ".join(p.name for p in label.names)
    if not rotated:
        placer.take(name, box, label=True, ignore=label.marker_names)
        return
    _take_slanted(axes, placer, label, box, name=name, text_of=text_of, style=style)


def _best_position(
    axes: Axes,
    placer: Placer,
    label: Label,
    size: tuple[float, float],
    anchor: tuple[float, ...],
    *,
    free: bool,
) -> tuple[float, float, str, str, float]:
    """The best offset for a label: ``(dx, dy, ha, va, distance)``, in units of distance.

    Every distance of the label is tried in every direction around its anchor
    (a distance of 0: centred on it); overlaps cost most, then covered lines,
    then distance and direction.
    """
    rotated = bool(label.rotation)
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
    return best[1]


def _annotate(
    axes: Axes,
    label: Label,
    text: str,
    *,
    offset: tuple[float, float],
    align: tuple[str, str],
    style: Mapping[str, Any],
    **extra: Any,
) -> Any:
    """The label at its offset in points (a probe measures it, the last draws it)."""
    return axes.annotate(
        text,
        (label.x, label.y),
        xytext=offset,
        textcoords="offset points",
        ha=align[0],
        va=align[1],
        rotation=label.rotation,
        rotation_mode="anchor",
        annotation_clip=False,
        **extra,
        **style,
    )


def _draw_names(
    axes: Axes,
    label: Label,
    box: Bbox,
    *,
    text_of: str,
    offset: tuple[float, float],
    align: tuple[str, str],
    style: Mapping[str, Any],
    links: Mapping[str, str],
) -> None:
    """Draw a placed label: one text per name, so that each carries its own link and tooltip."""
    ha = align[0]
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
            text = _annotate(
                axes,
                label,
                text_of,
                offset=offset,
                align=align,
                style=style,
                zorder=6,
                path_effects=HALO,
            )
        text.set_gid(f"place-{slug(place.name)}-label")
        if place.name in links:
            text.set_url(links[place.name])


def _draw_leader(
    axes: Axes, placer: Placer, label: Label, anchor: tuple[float, ...], box: Bbox
) -> None:
    """A thin line from a marker to its label, which later labels avoid."""
    stop = _leader(anchor, box)[1]
    end = axes.transData.inverted().transform(stop)
    axes.plot([label.x, end[0]], [label.y, end[1]], color="#333333", linewidth=0.5, zorder=4)
    placer.avoid_line(axes, [label.x, end[0]], [label.y, end[1]])


def _take_slanted(
    axes: Axes,
    placer: Placer,
    label: Label,
    box: Bbox,
    *,
    name: str,
    text_of: str,
    style: Mapping[str, Any],
) -> None:
    """Take a slanted label's strip, not its whole bounding box: small squares along its
    baseline."""
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


def map_labels(
    axes: Axes,
    places: Sequence[Place],
    extent: Extent,
    pointed: Sequence[Place],
    projection: Projection,
) -> list[Label]:
    """Every label of a map, in the order they are placed.

    :param axes: the map
    :param places: the map's places and base labels
    :param extent: the map's window
    :param pointed: the places marked inside the window
    :param projection: the map's projection
    :return: the labels, those placed first (rivers, capitals...) first
    """
    labels: list[Label] = []
    for group in _clusters(pointed, axes, projection):
        xs, ys = projection.project([p.lon for p in group], [p.lat for p in group])
        labels.append(
            Label(
                names=sorted(group, key=lambda p: -p.lat),
                x=float(np.mean(xs)),
                y=float(np.mean(ys)),
                distances=_MARKER_DISTANCES,
                marker_names=[f"{p.name} (marker)" for p in group],
            )
        )
    for place in places:
        if place.kind in MARKER_KINDS or not extent.contains(place.lon, place.lat):
            continue
        x, y = projection.project(place.lon, place.lat)
        labels.append(
            Label(
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


def _kind_rank(kind: str) -> str:
    return kind if kind in _PRIORITY else "site"
