"""A small TopoJSON reader: enough of the format for country outlines.

TopoJSON (https://github.com/topojson/topojson-specification) stores each
boundary once, as an *arc*; polygons list the arcs of their rings by index
(``~i``, i.e. ``-i - 1``, walks arc ``i`` backwards).  A *quantized* topology
has a ``transform``: its arcs hold integer positions, the first absolute and
each following one a delta from the previous (delta encoding); a position
``(x, y)`` stands for ``(x * scale_x + translate_x, y * scale_y + translate_y)``.

Because a boundary between two countries is stored once, the arcs both
countries' rings use are exactly their shared border: between North and
South Korea, today's inter-Korean boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: An array of ``(longitude, latitude)`` rows.
Coordinates = NDArray[np.float64]
#: A polygon: its outer ring, then its holes.
Polygon = list[Coordinates]


class TopologyError(ValueError):
    """The data is not a topology this reader understands."""


@dataclass(frozen=True)
class Topology:
    """A topology: its arcs and its geometry objects.

    Arcs are decoded to degrees when first used (a world file holds thousands;
    a map of one region needs a few hundred).
    """

    raw_arcs: Sequence[Sequence[Sequence[float]]]
    objects: Mapping[str, Any]
    scale: tuple[float, float] | None = None
    translate: tuple[float, float] = (0.0, 0.0)
    _decoded: dict[int, Coordinates] = field(default_factory=dict, repr=False, compare=False)

    def decoded(self, index: int) -> Coordinates:
        """Arc ``index`` in degrees (delta-decoded and transformed when quantized).

        :param index: a non-negative arc index
        :return: its positions
        """
        found = self._decoded.get(index)
        if found is None:
            positions = np.asarray(self.raw_arcs[index], dtype=np.float64).reshape(-1, 2)
            if self.scale is not None:
                positions = np.cumsum(positions, axis=0) * np.asarray(self.scale)
                positions = positions + np.asarray(self.translate)
            found = self._decoded[index] = positions
        return found

    def geometries(self, name: str) -> list[Mapping[str, Any]]:
        """The geometries of an object (a GeometryCollection or one geometry).

        :param name: the object's name, e.g. ``countries``
        :return: its geometries
        :raises TopologyError: if there is no such object
        """
        if name not in self.objects:
            raise TopologyError(f"the topology has no object {name!r}")
        found = self.objects[name]
        if found.get("type") == "GeometryCollection":
            return list(found.get("geometries", []))
        return [found]

    def find(self, name: str, key: str) -> Mapping[str, Any]:
        """One geometry of an object, by its ``id`` or its ``properties.name``.

        :param name: the object's name
        :param key: the id (``"410"``) or name (``"South Korea"``)
        :return: the geometry
        :raises TopologyError: if there is none
        """
        for geometry in self.geometries(name):
            if str(geometry.get("id")) == key or geometry.get("properties", {}).get("name") == key:
                return geometry
        raise TopologyError(f"no geometry {key!r} in object {name!r}")

    def polygons(self, geometry: Mapping[str, Any]) -> list[Polygon]:
        """The polygons of a Polygon or MultiPolygon geometry.

        :param geometry: the geometry
        :return: its polygons, each a list of closed rings
        :raises TopologyError: for another geometry type
        """
        kind = geometry.get("type")
        if kind == "Polygon":
            return [[self.ring(ring) for ring in geometry["arcs"]]]
        if kind == "MultiPolygon":
            return [[self.ring(ring) for ring in polygon] for polygon in geometry["arcs"]]
        if kind is None:  # a null geometry
            return []
        raise TopologyError(f"only polygons are supported, not {kind}")

    def arc(self, index: int) -> Coordinates:
        """An arc's positions; a negative index (``~i``) gives arc ``i`` reversed.

        :param index: the arc's index as a ring lists it
        :return: its positions
        """
        if index < 0:
            return self.decoded(~index)[::-1]
        return self.decoded(index)

    def ring(self, indexes: Sequence[int]) -> Coordinates:
        """Stitch a ring from its arcs: each arc starts where the previous ended.

        :param indexes: the ring's arc indexes
        :return: the ring's positions, first equal to last
        """
        parts = [self.arc(index) for index in indexes]
        return np.concatenate([parts[0], *(part[1:] for part in parts[1:])])

    def arc_indexes(self, geometry: Mapping[str, Any]) -> set[int]:
        """The arcs (as non-negative indexes) a polygon geometry uses.

        :param geometry: a Polygon or MultiPolygon
        :return: the set of arc indexes
        """
        kind = geometry.get("type")
        rings: Iterable[Sequence[int]]
        if kind == "Polygon":
            rings = geometry["arcs"]
        elif kind == "MultiPolygon":
            rings = [ring for polygon in geometry["arcs"] for ring in polygon]
        else:
            rings = []
        return {index if index >= 0 else ~index for ring in rings for index in ring}

    def shared_arcs(self, first: Mapping[str, Any], second: Mapping[str, Any]) -> list[Coordinates]:
        """The arcs two geometries share: their common border, merged into lines.

        :param first: a polygon geometry
        :param second: another one
        :return: the border as lines of positions (consecutive arcs joined)
        """
        shared = sorted(self.arc_indexes(first) & self.arc_indexes(second))
        return merge_lines([self.decoded(index) for index in shared])


def merge_lines(lines: Sequence[Coordinates]) -> list[Coordinates]:
    """Join lines that meet end to end (in either direction) into longer lines.

    :param lines: pieces of a border, in any order and direction
    :return: the joined lines, in a stable order
    """
    pending = [line for line in lines if len(line)]
    merged: list[Coordinates] = []
    while pending:
        current = pending.pop(0)
        joined = True
        while joined:
            joined = False
            for position, other in enumerate(pending):
                if np.array_equal(current[-1], other[0]):
                    current = np.concatenate([current, other[1:]])
                elif np.array_equal(current[-1], other[-1]):
                    current = np.concatenate([current, other[::-1][1:]])
                elif np.array_equal(current[0], other[-1]):
                    current = np.concatenate([other, current[1:]])
                elif np.array_equal(current[0], other[0]):
                    current = np.concatenate([other[::-1], current[1:]])
                else:
                    continue
                del pending[position]
                joined = True
                break
        merged.append(current)
    return merged


def decode_topology(data: Mapping[str, Any]) -> Topology:
    """Decode a parsed TopoJSON document.

    :param data: the document (``json.loads`` of the file)
    :return: the topology, arcs in degrees
    :raises TopologyError: if it is not a TopoJSON topology
    """
    if not isinstance(data, Mapping) or data.get("type") != "Topology":
        raise TopologyError("not a TopoJSON topology (expected type 'Topology')")
    transform = data.get("transform")
    arcs = data.get("arcs")
    if not isinstance(arcs, list):
        raise TopologyError("a topology needs a list of arcs")
    if not transform:
        return Topology(raw_arcs=arcs, objects=data.get("objects", {}))
    scale, translate = transform["scale"], transform["translate"]
    return Topology(
        raw_arcs=arcs,
        objects=data.get("objects", {}),
        scale=(float(scale[0]), float(scale[1])),
        translate=(float(translate[0]), float(translate[1])),
    )
