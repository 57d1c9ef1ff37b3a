"""Maps and data figures: TopoJSON, gazetteer, figures data, drawing, and the built book."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup

from build_tools.article.render import render_chapter
from build_tools.article.seed import parse_seed
from build_tools.figures.basemap import make_basemap
from build_tools.figures.charts import draw_chart
from build_tools.figures.mapgeometry import Extent, clip_ring
from build_tools.figures.maps import MapRequest, draw_map
from build_tools.figures.plan import course_chapter, figure_myst, make_figures
from build_tools.figures.topojson import TopologyError, decode_topology
from build_tools.pipeline.config import ROOT, Report
from build_tools.pipeline.figures import WORLD_ATLAS
from build_tools.places.gazetteer import find_mentions, parse_places
from build_tools.stats.load import numbers_in, parse_charts
from build_tools.stats.model import describe_row
from build_tools.util.errors import BuildError

# -- TopoJSON ---------------------------------------------------------------------------
# Two unit squares side by side, quantized (scale 0.5, translate (120, 30)):
#   arc 0: the shared edge x=2 from y=0 to y=2 (in quantized units)
#   arc 1: west square's other edges, arc 2: east square's
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [120, 30]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "1", "properties": {"name": "West"}, "arcs": [[0, 1]]},
                {
                    "type": "MultiPolygon",
                    "id": "2",
                    "properties": {"name": "East"},
                    "arcs": [[[2, -1]], [[3]]],
                },
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 2]],  # (2,0) -> (2,2)
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (2,2) -> (0,2) -> (0,0) -> (2,0)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (2,0) -> (4,0) -> (4,2) -> (2,2)
        [[6, 6], [1, 0], [0, 1], [-1, 0], [0, -1]],  # an island: (6,6) (7,6) (7,7) (6,7)
    ],
}


def test_topojson_decodes_deltas_and_transform() -> None:
    topology = decode_topology(TINY)
    np.testing.assert_allclose(topology.arc(0), [[121, 30], [121, 31]])
    np.testing.assert_allclose(topology.arc(~0), [[121, 31], [121, 30]])  # -1: reversed
    np.testing.assert_allclose(topology.arc(3)[-1], [123, 33])


def test_topojson_polygons_stitch_rings() -> None:
    topology = decode_topology(TINY)
    (west,) = topology.polygons(topology.find("countries", "West"))
    ring = west[0]
    np.testing.assert_allclose(ring[0], ring[-1])  # closed
    np.testing.assert_allclose(ring, [[121, 30], [121, 31], [120, 31], [120, 30], [121, 30]])
    east = topology.polygons(topology.find("countries", "2"))  # by id
    assert len(east) == 2  # the square and the island
    np.testing.assert_allclose(east[0][0][0], east[0][0][-1])


def test_topojson_shared_arc_is_the_border() -> None:
    topology = decode_topology(TINY)
    west, east = topology.find("countries", "West"), topology.find("countries", "East")
    (border,) = topology.shared_arcs(west, east)
    np.testing.assert_allclose(border, [[121, 30], [121, 31]])


def test_topojson_without_transform_and_errors() -> None:
    plain = {
        "type": "Topology",
        "objects": {"x": {"type": "Polygon", "arcs": [[0]]}},
        "arcs": [[[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 0.5]]],
    }
    topology = decode_topology(plain)
    (polygon,) = topology.polygons(topology.geometries("x")[0])
    np.testing.assert_allclose(polygon[0][1], [1.5, 0.5])
    with pytest.raises(TopologyError):
        decode_topology({"type": "FeatureCollection"})
    with pytest.raises(TopologyError):
        topology.polygons({"type": "LineString", "arcs": [0]})
    with pytest.raises(TopologyError):
        topology.find("countries", "Nowhere")


def test_clip_ring_keeps_the_inside() -> None:
    square = np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]])
    clipped = clip_ring(square, Extent(west=1, east=3, south=-1, north=2))
    assert clipped is not None
    assert clipped[:, 0].min() == 1 and clipped[:, 0].max() == 3
    assert clipped[:, 1].max() == 2
    assert clip_ring(square, Extent(west=10, east=11, south=10, north=11)) is None


# -- gazetteer ------------------------------------------------------------------------------
ARTICLE = """# A Small War

The war began at the 38th parallel near Seoul.

## Course

### Summer

Troops held the Pusan Perimeter around Pusan. Seoul fell.

### Winter

The Punchbowl saw fighting; the Punchbowl Cemetery is far away.
"""

PLACES = """places:
  - name: Seoul
    kind: capital
    lat: 37.5665
    lon: 126.978
    hangul: 서울
    spellings: [Seoul]
  - name: Pusan
    kind: port
    lat: 35.18
    lon: 129.08
    hangul: 부산
    spellings: [Pusan]
  - name: Pusan Perimeter
    kind: line
    lat: 35.6
    lon: 128.8
    hangul: 낙동강 방어선
    spellings: [Pusan Perimeter]
    points: [[35.1, 128.5], [36.0, 128.4], [36.4, 129.4]]
  - name: Punchbowl
    kind: site
    lat: 38.285
    lon: 128.135
    hangul: 펀치볼
    spellings: [Punchbowl]
    except: [Punchbowl Cemetery]
"""


@pytest.fixture
def small_article() -> object:
    return parse_seed(ARTICLE)


def test_gazetteer_finds_sections_from_spellings(small_article: object) -> None:
    gazetteer = parse_places(PLACES, small_article, path="p.yaml")  # type: ignore[arg-type]
    labels = {name: [ref.label for ref in refs] for name, refs in gazetteer.mentions.items()}
    assert labels["Seoul"] == ["introduction", "sec-summer"]
    assert labels["Pusan"] == ["sec-summer"]  # "Pusan Perimeter" is not a mention of Pusan
    assert labels["Punchbowl"] == ["sec-winter"]
    assert [p.name for p in gazetteer.named_in("sec-summer")] == [
        "Seoul",
        "Pusan",
        "Pusan Perimeter",
    ]


def test_find_mentions_longest_and_except() -> None:
    places = parse_places(PLACES, parse_seed(ARTICLE), path="p.yaml").places
    found = find_mentions("Pusan Perimeter, Pusan, Punchbowl Cemetery, Seoulite", places)
    assert found == {
        "Pusan Perimeter": ["Pusan Perimeter"],
        "Pusan": ["Pusan"],
        "": ["Punchbowl Cemetery"],
    }


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (("[Pusan]", "[Pusan, Busan]"), "[Pusan, Busan]", "'Busan' of Pusan does not occur"),
        (("[Punchbowl Cemetery]", "[Punchbowl Hill]"), "[Punchbowl Hill]", "except phrase"),
        (("hangul: 서울", "hangul: Seoul"), "hangul: Seoul", "Hangul"),
        (("kind: port", "kind: harbour"), "kind: harbour", "unknown kind"),
        (("lat: 35.18", "lat: 135.18"), "lat: 135.18", "out of range"),
        (
            ("    lon: 126.978\n", "    lon: 126.978\n    colour: red\n"),
            "colour: red",
            "unknown field",
        ),
    ],
)
def test_gazetteer_errors_name_the_line(
    small_article: object, change: tuple[str, str], needle: str, message: str
) -> None:
    text = PLACES.replace(*change)
    with pytest.raises(BuildError) as caught:
        parse_places(text, small_article, path="p.yaml")  # type: ignore[arg-type]
    assert message in caught.value.message
    assert caught.value.path == "p.yaml"
    assert caught.value.line == _line_of(text, needle)


def test_gazetteer_place_never_named(small_article: object) -> None:
    text = PLACES + "  - name: Wonsan\n    kind: port\n    lat: 39.15\n    lon: 127.44\n"
    text += "    hangul: 원산\n    spellings: [Wonsan]\n"
    with pytest.raises(BuildError) as caught:
        parse_places(text, small_article, path="p.yaml")  # type: ignore[arg-type]
    assert caught.value.line == _line_of(text, "[Wonsan]")


def test_real_gazetteer_matches_the_article(seed_text: str) -> None:
    article = parse_seed(seed_text)
    path = ROOT / "seeds" / "korean-war.places.yaml"
    gazetteer = parse_places(path.read_text(encoding="utf-8"), article, path=str(path))
    assert all(gazetteer.mentions.get(place.name) for place in gazetteer.places)
    chapter = course_chapter(article, gazetteer)
    assert chapter is not None and chapter.title == "Course of the War"
    for place in gazetteer.places:  # inside the Korean theatre
        assert 32 < place.lat < 44 and 123 < place.lon < 133, place.name


# -- figures data ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("approximately 135,000 troops", {135000}),
        ("estimated at 1 to 1.5 million deaths", {1e6, 1.5e6}),
        ("around 700,000 to 1 million", {700000, 1e6}),
        ("North Korea: ~900,000–1.2M", {900000, 1.2e6}),
        ("UNC total: ~1M", {1e6}),
        ("from 215,000 to over 500,000", {215000, 500000}),
    ],
)
def test_numbers_in(text: str, numbers: set[float]) -> None:
    assert numbers_in(text) == numbers


CHARTS = """figures:
  - name: forces
    title: Forces
    section: Summer
    unit: troops
    panels:
      - title: Strength
        rows:
          - label: North
            side: communist
            values:
              - number: 135000
                quote: "North | 135,000"
              - number: 150000
                quote: "North had 150,000 more"
                more: true
"""
FORCES = """# A Small War

Lead.

## Course

### Summer

North had 150,000 more men, some said.

| Side | Troops |
|------|--------|
| North | 135,000 |
"""


def test_charts_parse_and_describe() -> None:
    (chart,) = parse_charts(CHARTS, parse_seed(FORCES), path="f.yaml")
    (row,) = chart.panels[0].rows
    assert (row.low, row.high) == (135000, 150000)
    assert describe_row(row) == "135,000 to over 150,000"
    assert chart.sources == ("the table of section “Summer”", "section “Summer”")


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (("number: 135000", "number: 136000"), "number: 136000", "not stated in its quote"),
        (('"North had 150,000 more"', '"North had 160,000 more"'), "160,000", "does not occur"),
        (("section: Summer", "section: Autumn"), "section: Autumn", "no section"),
        (("side: communist", "side: neutral"), "side: neutral", "side must be"),
    ],
)
def test_chart_errors_name_the_line(change: tuple[str, str], needle: str, message: str) -> None:
    text = CHARTS.replace(*change)
    with pytest.raises(BuildError) as caught:
        parse_charts(text, parse_seed(FORCES), path="f.yaml")
    assert message in caught.value.message
    assert caught.value.line == _line_of(text, needle)


def test_real_figures_file_matches_the_article(seed_text: str) -> None:
    path = ROOT / "seeds" / "korean-war.figures.yaml"
    charts = parse_charts(path.read_text(encoding="utf-8"), parse_seed(seed_text), path=str(path))
    assert [chart.name for chart in charts] == ["strengths", "casualties"]


# -- drawing ---------------------------------------------------------------------------------
def _tiny_map() -> tuple[object, MapRequest]:
    article = parse_seed(ARTICLE)
    text = PLACES.replace("lat: 35.18\n    lon: 129.08", "lat: 30.6\n    lon: 121.6")
    text = text.replace("lat: 37.5665\n    lon: 126.978", "lat: 30.4\n    lon: 120.4")
    gazetteer = parse_places(text, article, path="p.yaml")
    basemap = make_basemap(
        decode_topology(TINY),
        countries=["West", "East"],
        focus=["West"],
        source="Map data: a test topology",
        window=Extent(west=119, east=124, south=29, north=34),
    )
    points = tuple(p for p in gazetteer.places if p.kind in ("capital", "port"))
    return basemap, MapRequest(
        name="tiny", places=points, min_span_km=250, links={"Seoul": "term:Seoul"}
    )


def test_map_output_is_deterministic() -> None:
    basemap, request = _tiny_map()
    first = draw_map(basemap, request)  # type: ignore[arg-type]
    second = draw_map(basemap, request)  # type: ignore[arg-type]
    assert first.files == second.files
    assert set(first.files) == {"svg", "pdf", "png"}
    svg = first.files["svg"].decode()
    assert "<dc:date>" not in svg and "CreationDate" not in first.files["pdf"].decode("latin-1")
    assert 'xlink:href="term:Seoul"' in svg  # resolved to the glossary by the Sphinx extension
    assert "<title>Seoul (서울)</title>" in svg
    assert first.overlaps == ()


def test_chart_output_is_deterministic() -> None:
    (chart,) = parse_charts(CHARTS, parse_seed(FORCES), path="f.yaml")
    assert draw_chart(chart) == draw_chart(chart)


def test_figure_myst_and_chapter_hook() -> None:
    article = parse_seed(FORCES)
    chapter = article.chapters[0]
    myst = figure_myst("chart-x", caption="A *caption*", alt="Alt text")
    assert myst.startswith('```{figure} figures/chart-x.*\n:name: fig-chart-x\n:alt: "Alt text"')
    assert r"A \*caption\*" in myst
    page = render_chapter(chapter, figures={"sec-summer": "MAP", "table-1": "CHART"})
    assert page.index("## Summer") < page.index("MAP") < page.index("North had")
    assert page.index("| North | 135,000 |") < page.index("CHART")


def test_locator_map_from_world_atlas(seed_text: str) -> None:
    if not WORLD_ATLAS.exists():
        pytest.fail(f"{WORLD_ATLAS} is missing: run `make test`, which installs the npm packages")
    article = parse_seed(seed_text)
    path = ROOT / "seeds" / "korean-war.places.yaml"
    gazetteer = parse_places(path.read_text(encoding="utf-8"), article, path=str(path))
    topology = decode_topology(json.loads(WORLD_ATLAS.read_bytes()))
    korea = topology.shared_arcs(
        topology.find("countries", "South Korea"), topology.find("countries", "North Korea")
    )
    assert korea and all(37.6 < y < 38.7 for _, y in np.concatenate(korea))  # near the 38th
    figures = make_figures(
        article, gazetteer=gazetteer, charts=(), topology=topology, terms={"Pusan": "Pusan"}
    )
    assert figures.warnings == []  # no label overlaps anything
    assert len([name for name in figures.files if name.endswith(".svg")]) == 7  # locator + 6
    assert 'xlink:href="term:Pusan"' in figures.files["locator-map.svg"].decode()
    assert ":class: inline-svg" in figures.introduction


# -- the built book ---------------------------------------------------------------------------
def test_built_book_has_figures(built_book: tuple[Path, Report]) -> None:
    out, _ = built_book
    intro = BeautifulSoup(
        (out / "html" / "_generated" / "introduction.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    svg = intro.find("svg", class_="inline-svg")
    assert svg is not None and svg.get("aria-label", "").startswith(
        "Map of South Korea and North Korea, with China"
    )
    glossary = (out / "html" / "_generated" / "glossary.html").read_text(encoding="utf-8")
    links = [a.get("href") or a.get("xlink:href", "") for a in svg.find_all("a")]
    assert len(links) >= 20 and not any(link.startswith("term:") for link in links)
    for link in links:
        page, anchor = link.split("#")
        assert page == "glossary.html" and f'id="{anchor}"' in glossary, link
    chapter = (out / "html" / "_generated").glob("*course-of-the-war.html")
    assert (
        len(
            re.findall(
                r'<img alt="Map of South Korea and North Korea marking', next(chapter).read_text()
            )
        )
        == 6
    )
    with zipfile.ZipFile(out / "epub" / "korean-war.epub") as epub:
        names = epub.namelist()
        assert any(n.endswith("_images/locator-map.png") for n in names)
        assert not any(n.endswith(".svg") and "map" in n for n in names)
        intro_xhtml = next(n for n in names if n.endswith("_generated/introduction.xhtml"))
        assert (
            'alt="Map of South Korea and North Korea, with China' in epub.read(intro_xhtml).decode()
        )
    pdf = out / "pdf" / "korean-war.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "List of Figures" in text and text.count("Where it happened:") >= 12  # list + maps


def test_book_builds_without_map_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without npm's world-atlas the maps are left out with a warning; the charts stay."""
    from build_tools.pipeline import figures as pipeline
    from build_tools.pipeline.config import BuildConfig
    from build_tools.pipeline.inputs import load_article

    monkeypatch.setattr(pipeline, "WORLD_ATLAS", tmp_path / "missing" / "countries-10m.json")
    config = BuildConfig(out=tmp_path / "out")
    figures = pipeline.book_figures(config, load_article(config.seed), {})
    assert figures is not None
    assert any("maps left out" in warning and "npm ci" in warning for warning in figures.warnings)
    # Typst (the default engine) reads the SVG: no PDF figures are drawn for it
    assert sorted(figures.files) == [
        f"chart-{name}.{fmt}" for name in ("casualties", "strengths") for fmt in ("png", "svg")
    ]
    latex = BuildConfig(out=tmp_path / "latex", pdf_engine="latex")
    drawn = pipeline.book_figures(latex, load_article(latex.seed), {})
    assert drawn is not None
    assert {name.rpartition(".")[2] for name in drawn.files} == {"pdf", "png", "svg"}
    assert figures.introduction == ""


def test_figures_drawn_in_parallel_are_the_same(seed_text: str) -> None:
    article = parse_seed(seed_text)
    path = ROOT / "seeds" / "korean-war.figures.yaml"
    charts = parse_charts(path.read_text(encoding="utf-8"), article, path=str(path))
    serial = make_figures(article, gazetteer=None, charts=charts, topology=None)
    parallel = make_figures(article, gazetteer=None, charts=charts, topology=None, workers=2)
    assert serial.files == parallel.files
    assert serial.chapters == parallel.chapters
    # each chart goes right after the table it draws on
    assert [key for inserts in serial.chapters.values() for key in inserts] == [
        "table-1",
        "table-2",
    ]


def test_figure_text_is_never_maths() -> None:
    """Labels come from the article: "$5 and $6" must print as typed, not as mathtext."""
    import matplotlib as mpl

    from build_tools.figures.plotting import book_style, new_figure
    from build_tools.figures.timeline import _RC

    with book_style():
        assert new_figure(2, 1).text(0, 0, "$5 and $6").get_parse_math() is False
    with mpl.rc_context(_RC):  # the timeline's own style
        assert new_figure(2, 1).text(0, 0, "$5 and $6").get_parse_math() is False
