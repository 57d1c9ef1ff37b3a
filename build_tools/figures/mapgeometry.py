"""Map positions: the projection, a map's window in degrees, and clipping to it.

Projection: equidistant cylindrical, its standard parallel and centre those of
the region the book maps (:class:`Projection`, positions in kilometres from
its centre).  Meridians are vertical, so north is up everywhere; distances are
true along meridians and along the standard parallel, and within a few per
cent across a region of a few hundred kilometres, which a scale bar at this
size cannot show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from build_tools.figures.topojson import Coordinates

EARTH_RADIUS_KM = 6371.0
KM_PER_MILE = 1.609344


@dataclass(frozen=True)
class Projection:
    """Equidistant cylindrical, true to scale along ``lat0`` and every meridian.

    Positions are kilometres east of ``lon0`` and north of ``lat0``.
    """

    lat0: float
    lon0: float

    @classmethod
    def centred_on(cls, west: float, east: float, south: float, north: float) -> Projection:
        """The projection centred on a region, its centre rounded to half degrees.

        :return: the projection (the same for every region with the same rounded centre)
        """
        return cls(round((south + north) / 2 * 2) / 2, round((west + east) / 2 * 2) / 2)

    def project(self, lon: Any, lat: Any) -> tuple[Any, Any]:
        """Project degrees to map kilometres.

        :param lon: longitude(s) in degrees east
        :param lat: latitude(s) in degrees north
        :return: x and y in kilometres from the centre
        """
        kx = EARTH_RADIUS_KM * math.radians(1) * math.cos(math.radians(self.lat0))
        ky = EARTH_RADIUS_KM * math.radians(1)
        return (np.asarray(lon) - self.lon0) * kx, (np.asarray(lat) - self.lat0) * ky

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """Map kilometres back to degrees.

        :param x: kilometres east of the centre
        :param y: kilometres north of it
        :return: longitude and latitude
        """
        kx = EARTH_RADIUS_KM * math.radians(1) * math.cos(math.radians(self.lat0))
        ky = EARTH_RADIUS_KM * math.radians(1)
        return x / kx + self.lon0, y / ky + self.lat0

    def describe(self) -> str:
        """The projection in words, for a map's note (``along the 38th parallel``)."""
        lat = abs(self.lat0)
        hemisphere = "north" if self.lat0 >= 0 else "south"
        if lat == 0:
            return "Equidistant cylindrical projection, true to scale\nalong the equator"
        if lat == int(lat):
            n = int(lat)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            where = f"the {n}{suffix} parallel" + ("" if hemisphere == "north" else " south")
        else:
            where = f"latitude {lat:g}° {'N' if hemisphere == 'north' else 'S'}"
        return (
            f"Equidistant cylindrical projection, true to scale\nalong {where} "
            "and along every meridian."
        )


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
