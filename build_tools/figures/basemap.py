"""The base map: country outlines cut from a world topology, and drawing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

from build_tools.figures.mapgeometry import Extent, Projection, clip_line, clip_ring
from build_tools.figures.mapstyle import COAST, FOCUS_LAND, OTHER_LAND
from build_tools.figures.topojson import Coordinates, Topology


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
    projection: Projection

    def boundary(self, first: str, second: str) -> tuple[Coordinates, ...]:
        """The border between two countries of the map.

        :param first: a country's name in the map data
        :param second: another one
        :return: its lines (empty when they share none)
        """
        return self.shared.get((first, second)) or self.shared.get((second, first)) or ()

    @cached_property
    def land_paths(self) -> tuple[tuple[MplPath, Any], ...]:
        """Each land polygon's outer ring as a path, with its bounding box (``x0 y0 x1 y1``)."""
        rings = [polygon[0] for polygons in self.land.values() for polygon in polygons]
        return tuple(
            (MplPath(ring), np.concatenate([np.min(ring, axis=0), np.max(ring, axis=0)]))
            for ring in (np.asarray(ring, dtype=float) for ring in rings)
        )


def make_basemap(
    topology: Topology,
    *,
    countries: Sequence[str],
    focus: Sequence[str],
    source: str,
    window: Extent,
    projection: Projection | None = None,
) -> Basemap:
    """Cut the outlines of some countries out of a world topology.

    :param topology: a world topology with an object ``countries``
    :param countries: names (``properties.name``) of the countries to draw
    :param focus: the countries the maps are about (drawn lighter)
    :param source: the note of the data's source and licence
    :param window: the largest window any map will show; rings outside it are dropped
    :param projection: the maps' projection (default: centred on the window)
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
        projection=projection
        or Projection.centred_on(window.west, window.east, window.south, window.north),
    )


def draw_base(
    axes: Axes, basemap: Basemap, extent: Extent, special: Sequence[frozenset[str]]
) -> None:
    project = basemap.projection.project
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


def land_share(axes: Axes, basemap: Basemap, box: Bbox) -> float:
    """Roughly how much of a box (display coordinates) covers land: 0 to 1."""
    inverse = axes.transData.inverted()
    (ax0, ay0), (ax1, ay1) = inverse.transform([(box.x0, box.y0), (box.x1, box.y1)])
    grid = [
        basemap.projection.unproject(
            ax0 + (ax1 - ax0) * (i + 0.5) / 5, ay0 + (ay1 - ay0) * (j + 0.5) / 4
        )
        for i in range(5)
        for j in range(4)
    ]
    points = np.array(grid, dtype=float)
    on_land = np.zeros(len(grid), dtype=bool)
    low, high = points.min(axis=0), points.max(axis=0)
    for path, (x0, y0, x1, y1) in basemap.land_paths:
        # a ring whose box misses every point holds none of them
        if x0 <= high[0] and low[0] <= x1 and y0 <= high[1] and low[1] <= y1:
            on_land |= path.contains_points(points)
    return int(np.count_nonzero(on_land)) / len(grid)
