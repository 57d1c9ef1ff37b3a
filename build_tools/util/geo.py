"""Small geometry on the sphere and on lon/lat rings, shared by drafting and drawing.

A country is a tuple of polygons, each a list of rings (the first the outer
ring, the others holes), each ring an ``(n, 2)`` array of ``(lon, lat)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

EARTH_RADIUS_KM = 6371.0

#: One country's land: polygons of ``(lon, lat)`` rings.
Land = Sequence[Sequence[Any]]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two positions (haversine).

    :return: kilometres
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _in_ring(ring: Any, xs: Any, ys: Any) -> Any:
    """Which points lie inside one ring (even-odd rule), vectorised over the points."""
    ring = np.asarray(ring, dtype=float)
    x1, y1 = ring[:-1, 0][:, None], ring[:-1, 1][:, None]
    x2, y2 = ring[1:, 0][:, None], ring[1:, 1][:, None]
    crosses = (y1 > ys) != (y2 > ys)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x1 + (ys - y1) * (x2 - x1) / (y2 - y1)
    return (np.count_nonzero(crosses & (xs < at), axis=0) % 2) == 1


def inside(land: Land, lons: Sequence[float], lats: Sequence[float]) -> Any:
    """Which positions lie on a country's land.

    :param land: the country's polygons
    :param lons: longitudes
    :param lats: latitudes (as many)
    :return: a boolean array, one entry a position
    """
    xs = np.asarray(lons, dtype=float)[None, :]
    ys = np.asarray(lats, dtype=float)[None, :]
    result = np.zeros(xs.shape[1], dtype=bool)
    for polygon in land:
        outer = np.asarray(polygon[0], dtype=float)
        box = (
            (xs[0] >= outer[:, 0].min())
            & (xs[0] <= outer[:, 0].max())
            & (ys[0] >= outer[:, 1].min())
            & (ys[0] <= outer[:, 1].max())
        )
        if not box.any():
            continue
        hit = _in_ring(outer, xs[:, box], ys[:, box])
        for hole in polygon[1:]:
            hit &= ~_in_ring(hole, xs[:, box], ys[:, box])
        result[np.flatnonzero(box)[hit]] = True
    return result


def bounds(land: Land) -> tuple[float, float, float, float] | None:
    """A country's box: west, east, south, north (None when it has no land)."""
    rings = [np.asarray(polygon[0], dtype=float) for polygon in land if len(polygon)]
    if not rings:
        return None
    points = np.concatenate(rings)
    return (
        float(points[:, 0].min()),
        float(points[:, 0].max()),
        float(points[:, 1].min()),
        float(points[:, 1].max()),
    )


def compass(from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> str:
    """The direction from one position to another, in eight points (``north-west``).

    :return: the direction's name
    """
    east = (to_lon - from_lon) * math.cos(math.radians((from_lat + to_lat) / 2))
    north = to_lat - from_lat
    angle = math.degrees(math.atan2(east, north)) % 360
    names = ("north", "north-east", "east", "south-east", "south", "south-west", "west")
    return (*names, "north-west")[round(angle / 45) % 8]
