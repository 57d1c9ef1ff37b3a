"""The book's maps and data figures: which to draw, their captions, where they go.

:func:`make_figures` is pure: given the article, its gazetteer, its figures
data and the map data, it returns the image files (bytes, by name) and the
MyST that places each figure.  The figures are:

* a locator map of every gazetteer place, for the introduction;
* one map per section of the chapter whose sections name the most places
  (the course of the war), showing only that section's places;
* one chart per entry of the figures file, after its section's table.

Each figure is a MyST ``figure`` with ``name.*``, so each builder picks its
format: SVG (HTML), PDF (LaTeX), PNG (EPUB).  The locator map carries the
class ``inline-svg``: the HTML builder inlines it, so that its markers link
to the glossary (``term:<headword>`` links, resolved by our Sphinx extension).
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from build_tools.article.model import Article, Chapter, Table
from build_tools.article.render import escape
from build_tools.figures.plotting import FORMATS
from build_tools.places.model import Gazetteer, Place
from build_tools.stats.model import Chart, describe_row
from build_tools.util.markup import myst_option

if TYPE_CHECKING:  # the drawing modules import matplotlib: only when drawing
    from build_tools.figures.basemap import Basemap
    from build_tools.figures.maps import MapRequest
    from build_tools.figures.topojson import Topology

#: The note every map and its caption carry.
MAP_SOURCE = "Natural Earth, public domain, via world-atlas"
#: How far beyond its places a book's region reaches (degrees): every map's window fits in it.
REGION_MARGIN = 5.0
#: A country holding at least this share of the places of the one holding the most is a
#: subject of the maps (drawn lighter, named in the captions).
FOCUS_SHARE = 0.25


@dataclass(frozen=True)
class MapRegion:
    """What a book's maps show, worked out from its gazetteer and the map data.

    ``countries`` are those of the map data with land in ``window``, the subject
    countries (``focus``, most places first) first, then the others by name;
    ``neighbours`` the other countries the gazetteer labels, each with its
    direction from the subject's places.
    """

    window: tuple[float, float, float, float]
    projection: tuple[float, float]
    countries: tuple[str, ...]
    focus: tuple[str, ...]
    neighbours: tuple[tuple[str, str], ...]


def _anchors(place: Place) -> list[tuple[float, float]]:
    """The ``(lon, lat)`` positions of a place: its points (a line or area) and its anchor."""
    return [(lon, lat) for lat, lon in place.points] + [(place.lon, place.lat)]


def map_region(topology: Topology, gazetteer: Gazetteer) -> MapRegion:
    """The region of a book's maps: its window, projection, countries and subject.

    :param topology: the world map data
    :param gazetteer: the book's places
    :return: the region
    """
    from build_tools.figures.mapgeometry import Projection
    from build_tools.util.geo import bounds, compass, inside

    points = [point for place in gazetteer.places for point in _anchors(place)]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    projection = Projection.centred_on(west, east, south, north)
    window = (
        west - REGION_MARGIN,
        east + REGION_MARGIN,
        max(-90.0, south - REGION_MARGIN),
        min(90.0, north + REGION_MARGIN),
    )
    marked = [place for place in gazetteer.places if place.kind != "country"]
    held: dict[str, list[Place]] = {}
    for geometry in topology.geometries("countries"):
        name = str(geometry.get("properties", {}).get("name", ""))
        land = topology.polygons(geometry)
        box = bounds(land)
        if not name or box is None:
            continue
        if box[1] < window[0] or box[0] > window[1] or box[3] < window[2] or box[2] > window[3]:
            continue
        hits = inside(land, [p.lon for p in marked], [p.lat for p in marked])
        held[name] = [place for place, hit in zip(marked, hits, strict=True) if hit]
    most = max((len(places) for places in held.values()), default=0)
    focus = tuple(
        sorted(
            (name for name, places in held.items() if most and len(places) >= FOCUS_SHARE * most),
            key=lambda name: (-len(held[name]), name),
        )
    )
    others = tuple(sorted(name for name in held if name not in focus))
    subject = [place for name in focus for place in held[name]]
    neighbours: list[tuple[str, str]] = []
    if subject:
        lat = sum(p.lat for p in subject) / len(subject)
        lon = sum(p.lon for p in subject) / len(subject)
        neighbours = [
            (place.name, compass(lat, lon, place.lat, place.lon))
            for place in gazetteer.places
            if place.kind == "country" and place.name not in focus
        ]
    return MapRegion(
        window=window,
        projection=(projection.lat0, projection.lon0),
        countries=focus + others,
        focus=focus,
        neighbours=tuple(neighbours),
    )


@dataclass
class BookFigures:
    """The figures of a book.

    ``files`` are image files by name (``locator-map.svg``...); ``introduction``
    is MyST to add at the end of the introduction; ``chapters`` maps a chapter's
    docname to MyST by label (a section's label: after its heading; a table's
    label ``table-N``: after the table).
    """

    files: dict[str, bytes] = field(default_factory=dict)
    introduction: str = ""
    chapters: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """Everything but the files, as JSON (for the figure cache)."""
        data = asdict(self)
        del data["files"]
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, files: dict[str, bytes]) -> BookFigures:
        """The inverse of :meth:`to_json`, with the files read back."""
        return cls(files=files, **json.loads(text))


def figure_myst(
    name: str,
    *,
    caption: str,
    alt: str,
    legend: str = "",
    folder: str = "figures",
    inline: bool = False,
) -> str:
    """A MyST figure whose builders pick SVG, PDF or PNG.

    :param name: the files' stem and the figure's label (``fig-<name>``)
    :param caption: the caption (plain text; also the entry in the PDF's list of figures)
    :param alt: the alt text (plain text)
    :param legend: a paragraph under the caption (plain text)
    :param folder: where the files are, relative to the page
    :param inline: whether HTML inlines the SVG (for its links)
    :return: the MyST
    """
    lines = [
        f"```{{figure}} {folder}/{name}.*",
        f":name: fig-{name}",
        f":alt: {myst_option(' '.join(alt.split()))}",  # quoted: a ' #' would cut it
    ]
    if inline:
        lines.append(":class: inline-svg")
    lines += ["", escape(" ".join(caption.split()))]
    if legend:
        lines += ["", escape(" ".join(legend.split()))]
    lines.append("```")
    return "\n".join(lines)


def course_chapter(article: Article, gazetteer: Gazetteer) -> Chapter | None:
    """The chapter whose sections name the most places: the course of the war.

    :param article: the article
    :param gazetteer: the places
    :return: the chapter, or None when no section names a place
    """
    best: tuple[int, int, Chapter] | None = None
    for index, chapter in enumerate(article.chapters):
        count = sum(len(_mapped(gazetteer, section.label)) for section in chapter.sections)
        if count and (best is None or count > best[0]):
            best = (count, -index, chapter)
    return best[2] if best else None


def _mapped(gazetteer: Gazetteer, label: str) -> tuple[Place, ...]:
    """The places a section names that a map marks (not countries: they label every map)."""
    return tuple(place for place in gazetteer.named_in(label) if place.kind != "country")


def _links(places: Sequence[Place], terms: Mapping[str, str]) -> dict[str, str]:
    """``term:<headword>`` for each place one of whose spellings is a glossary alias."""
    links: dict[str, str] = {}
    for place in places:
        for spelling in place.spellings:
            if spelling in terms:
                links[place.name] = f"term:{terms[spelling]}"
                break
    return links


def make_basemap_for(topology: Topology, region: MapRegion) -> Basemap:
    """The base map of a book's region from a world topology.

    :param topology: ``countries-10m.json`` of world-atlas, decoded
    :param region: the region (:func:`map_region`)
    :return: the base map
    """
    from build_tools.figures.basemap import make_basemap
    from build_tools.figures.mapgeometry import Extent, Projection

    projection = Projection(*region.projection)
    return make_basemap(
        topology,
        countries=region.countries,
        focus=region.focus,
        source=f"Map data: {MAP_SOURCE}.\n{projection.describe()}",
        window=Extent(*region.window),
        projection=projection,
    )


@dataclass(frozen=True)
class _Job:
    """One figure to draw: a map (``request``) or a chart."""

    name: str
    what: str
    request: MapRequest | None = None
    chart: Chart | None = None
    formats: tuple[str, ...] = FORMATS


#: The base map the drawing processes share (set before they fork).
_SHARED: dict[str, Basemap] = {}


def _draw(job: _Job) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Draw one figure: its files by format, and its label overlaps."""
    if job.request is not None:
        from build_tools.figures.maps import draw_clear_map

        drawn = draw_clear_map(_SHARED["basemap"], job.request, formats=job.formats)
        return dict(drawn.files), drawn.overlaps
    from build_tools.figures.charts import draw_chart

    assert job.chart is not None
    return draw_chart(job.chart, formats=job.formats), ()


def make_figures(
    article: Article,
    *,
    gazetteer: Gazetteer | None,
    charts: Sequence[Chart],
    topology: Topology | None,
    terms: Mapping[str, str] | None = None,
    workers: int = 1,
    formats: tuple[str, ...] = FORMATS,
) -> BookFigures:
    """Draw every figure of the book and say where each goes.

    :param article: the article
    :param gazetteer: its places (None: no maps)
    :param charts: its data figures
    :param topology: the world map data (None: no maps)
    :param terms: glossary aliases of places, each to its headword (for links)
    :param workers: processes to draw in (the figures are independent)
    :param formats: the formats to save each figure in (the SVG always among them)
    :return: the figures (the same bytes whatever the number of workers)
    """
    figures = BookFigures()
    jobs: list[_Job] = []
    if gazetteer is not None and topology is not None and gazetteer.places:
        region = map_region(topology, gazetteer)
        _SHARED["basemap"] = make_basemap_for(topology, region)
        jobs += _plan_maps(figures, article, gazetteer, region, terms or {})
    for chart in charts:
        jobs += _plan_chart(figures, article, chart)
    jobs = [replace(job, formats=formats) for job in jobs]
    if workers > 1 and len(jobs) > 1:
        context = multiprocessing.get_context("fork")  # the children share the base map
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = list(pool.map(_draw, jobs))
    else:
        results = [_draw(job) for job in jobs]
    for job, (files, overlaps) in zip(jobs, results, strict=True):
        figures.files.update({f"{job.name}.{fmt}": data for fmt, data in files.items()})
        figures.warnings += [f"{job.what}: {overlap}" for overlap in overlaps]
    _SHARED.clear()
    return figures


def _subject(region: MapRegion) -> str:
    """The subject of the maps in words: ``Germany``, ``South Korea, North Korea``."""
    return ", ".join(region.focus)


def _map_alt(region: MapRegion, places: Sequence[Place]) -> str:
    """The locator map's alt text: its subject, neighbours, lines, and its places."""
    from build_tools.figures.maps import describe_places

    sentences = [f"Map of {_join(list(region.focus)) or 'the places this book names'}"]
    if region.neighbours:
        sentences[0] += ", with " + _join(
            [f"{name} to the {direction}" for name, direction in region.neighbours]
        )
    for place in places:
        if place.kind == "parallel":
            hemisphere = "N" if place.lat >= 0 else "S"
            sentences.append(
                f"A dashed line marks the {place.name} ({abs(place.lat):g}° {hemisphere})"
            )
        elif place.kind == "boundary":
            sentences.append(
                f"A dash-dot line marks today's boundary between {_join(list(place.between))} "
                f"({place.name})"
            )
    sentences.append("The map marks " + describe_places(places))
    return ". ".join(sentences) + "."


def _plan_maps(
    figures: BookFigures,
    article: Article,
    gazetteer: Gazetteer,
    region: MapRegion,
    terms: Mapping[str, str],
) -> list[_Job]:
    from build_tools.figures.maps import MapRequest, describe_places
    from build_tools.figures.mapstyle import slug

    jobs: list[_Job] = []
    countries = tuple(place for place in gazetteer.places if place.kind == "country")
    places = tuple(place for place in gazetteer.places if place.kind != "country")
    subject = _subject(region)
    request = MapRequest(
        name="locator-map",
        places=places,
        base_labels=countries,
        links=_links(places, terms),
        margin_km=30,
        title=f"{subject} and the places of this book" if subject else "The places of this book",
    )
    jobs.append(_Job("locator-map", "locator map", request=request))
    lines = [f"the {p.name}" for p in places if p.kind == "parallel"]
    lines += ["today's boundary" for p in places if p.kind == "boundary"]
    drafted = sum(1 for place in gazetteer.places if place.draft)
    legend = (
        _join([*lines, f"the {len(places)} places the article names"])
        + (", from the book's gazetteer" if not drafted else ", drafted from GeoNames")
        + f". Map data: {MAP_SOURCE}."
    )
    neighbours = "its neighbours" if len(region.focus) == 1 else "their neighbours"
    figures.introduction = figure_myst(
        "locator-map",
        inline=True,
        caption=(
            f"{subject} and {neighbours}: the places this book names"
            if subject
            else "The places this book names"
        ),
        legend=legend[0].upper() + legend[1:],
        alt=_map_alt(region, places),
    )
    figures.summary.append(f"maps: locator map of {len(places)} places")

    chapter = course_chapter(article, gazetteer)
    if chapter is None:
        return jobs
    inserts: dict[str, str] = {}
    for section in chapter.sections:
        named = _mapped(gazetteer, section.label)
        if not named:
            continue
        name = "map-" + _short(slug(section.title))
        request = MapRequest(
            name=name,
            places=named,
            base_labels=countries,
            aspect=1.1,
            min_span_km=380,
            margin_km=70,
            width=3.8,
            font_scale=1.3,  # legible on a phone, where the map is shown 300 px wide
            title=f"Places of {section.title}",
        )
        jobs.append(_Job(name, f"map of “{section.title}”", request=request))
        inserts[section.label] = figure_myst(
            name,
            caption=f"Where it happened: {section.title}",
            legend=f"The places this section names. Map data: {MAP_SOURCE}.",
            alt=f"Map of {_join(list(region.focus)) or 'the region'} marking "
            f"{describe_places(named)}.",
        )
    if inserts:
        figures.chapters.setdefault(chapter.docname, {}).update(inserts)
        figures.summary.append(f"maps: {len(inserts)} of “{chapter.title}”")
    return jobs


def _plan_chart(figures: BookFigures, article: Article, chart: Chart) -> list[_Job]:
    for chapter in article.chapters:
        for section in chapter.sections:
            if section.title != chart.section:
                continue
            table = next((block for block in section.blocks if isinstance(block, Table)), None)
            key = f"table-{table.number}" if table is not None else section.label
            name = f"chart-{chart.name}"
            rows = "; ".join(
                f"{row.label}: {describe_row(row)}" for panel in chart.panels for row in panel.rows
            )
            figures.chapters.setdefault(chapter.docname, {})[key] = figure_myst(
                name,
                caption=f"{chart.title}, as the article states them ({chart.unit})",
                legend=(
                    "Each bar spans the lowest to the highest figure the article gives, a tick "
                    "marks each figure and an arrow an open end (“over”); no figure is "
                    f"averaged. Source: {_join(chart.sources)}."
                ),
                alt=f"Chart of {chart.title[:1].lower() + chart.title[1:]}. {rows}.",
            )
            figures.summary.append(f"charts: {chart.name}")
            return [_Job(name, f"chart {chart.name}", chart=chart)]
    return []


def _short(name: str, limit: int = 40) -> str:
    """A slug cut at a word boundary (file names stay short and readable)."""
    if len(name) <= limit:
        return name
    return name[: limit + 1].rsplit("-", 1)[0]


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
