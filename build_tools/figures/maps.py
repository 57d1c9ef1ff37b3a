"""Draw the book's maps from a topology and a gazetteer: pure functions, files as bytes.

Every map has a scale bar (kilometres and miles), a north arrow, a legend, a
note of the data's source and licence, degree ticks on its frame, and labels
placed so that none overlaps another label, a marker, or the map furniture
(:mod:`labels`, :mod:`furniture`).  The projection is :mod:`mapgeometry`'s,
the look :mod:`mapstyle`'s.
"""

from __future__ import annotations

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
from matplotlib.patches import Patch, Polygon

from build_tools.figures.basemap import Basemap, draw_base
from build_tools.figures.furniture import draw_ticks, place_furniture
from build_tools.figures.labels import Placer, map_labels, place_label
from build_tools.figures.mapgeometry import Extent, Projection
from build_tools.figures.mapstyle import LEGEND_NAMES, MARKERS, SEA, slug
from build_tools.figures.plotting import FORMATS, PALETTE, book_style, new_figure, save_figure
from build_tools.places.model import MARKER_KINDS, Place


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


def fit_extent(request: MapRequest, projection: Projection) -> Extent:
    """The window of a map: its places with a margin, at least ``min_span_km`` across.

    :param request: the map's request
    :param projection: the map's projection
    :return: the window in degrees, with the map's aspect (height / width) when it has one
    """
    if request.extent is not None:
        return request.extent
    points = [point for place in request.places for point in _anchor_points(place)]
    if not points:
        points = [(projection.lon0, projection.lat0)]
    xs, ys = projection.project([p[0] for p in points], [p[1] for p in points])
    x0, x1 = float(np.min(xs)) - request.margin_km, float(np.max(xs)) + request.margin_km
    y0, y1 = float(np.min(ys)) - request.margin_km, float(np.max(ys)) + request.margin_km
    width, height = max(x1 - x0, request.min_span_km), max(y1 - y0, request.min_span_km)
    if request.aspect is not None:  # grow the shorter side to the map's shape
        if height / width < request.aspect:
            height = width * request.aspect
        else:
            width = height / request.aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    west, south = projection.unproject(cx - width / 2, cy - height / 2)
    east, north = projection.unproject(cx + width / 2, cy + height / 2)
    return Extent(west=west, east=east, south=south, north=north)


def _draw_shapes(
    axes: Axes, basemap: Basemap, places: Sequence[Place], x_range: tuple[float, float]
) -> list[tuple[Any, str]]:
    project = basemap.projection.project
    legend: list[tuple[Any, str]] = []
    for place in places:
        gid = f"place-{slug(place.name)}"
        if place.kind == "parallel":
            y = float(project(basemap.projection.lon0, place.lat)[1])
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


def _layout(request: MapRequest, extent: Extent, basemap: Basemap) -> _Layout:
    source = basemap.source
    x0, y0 = basemap.projection.project(extent.west, extent.south)
    x1, y1 = basemap.projection.project(extent.east, extent.north)
    aspect = float((y1 - y0) / (x1 - x0))
    shown = request.places
    entries = [
        LEGEND_NAMES["city" if kind == "port" else kind]
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


def _keep_clear(axes: Axes, placer: Placer, places: Sequence[Place], basemap: Basemap) -> None:
    """Make the lines of a map's places cost something to cover with a label."""
    project = basemap.projection.project
    x0, x1 = axes.get_xlim()
    for place in places:
        if place.kind == "boundary":
            for part in basemap.boundary(place.between[0], place.between[1]):
                placer.avoid_line(axes, *project(part[:, 0], part[:, 1]))
        elif place.kind in ("line", "area"):
            closed = [*place.points, place.points[0]] if place.kind == "area" else place.points
            placer.avoid_line(axes, *project([p[1] for p in closed], [p[0] for p in closed]))
        elif place.kind == "parallel":
            y = float(project(basemap.projection.lon0, place.lat)[1])
            placer.avoid_line(axes, [x0, x1], [y, y])


def _draw_markers(
    axes: Axes,
    placer: Placer,
    places: Sequence[Place],
    links: Mapping[str, str],
    projection: Projection,
) -> tuple[dict[str, Any], list[tuple[Any, str]]]:
    """Draw the markers; return them by place name, and their legend entries."""
    markers: dict[str, Any] = {}
    kinds: set[str] = set()
    for place in places:
        marker, size, face, edge = MARKERS[place.kind]
        x, y = projection.project(place.lon, place.lat)
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
        for kind, name in LEGEND_NAMES.items()
        if kind in kinds
    ]
    return markers, legend


def draw_map(
    basemap: Basemap,
    request: MapRequest,
    *,
    save_overlapping: bool = True,
    formats: Sequence[str] = FORMATS,
) -> DrawnMap:
    """Draw one map.

    :param basemap: the country outlines
    :param request: what to show
    :param save_overlapping: whether to save the files when labels overlap (a caller
        that will draw again with smaller labels need not: saving is most of the work)
    :param formats: the formats to save (the SVG always among them)
    :return: the map's files by format, its window, and any labels placed over something
    """
    projection = basemap.projection
    extent = fit_extent(request, projection)
    x0, y0 = (float(v) for v in projection.project(extent.west, extent.south))
    x1, y1 = (float(v) for v in projection.project(extent.east, extent.north))
    shown = request.places
    layout = _layout(request, extent, basemap)
    with book_style():
        figure = new_figure(layout.width, layout.height)
        axes = _map_axes(figure, layout, (x0, x1), (y0, y1))
        draw_ticks(axes, extent, projection)
        draw_base(
            axes, basemap, extent, [frozenset(p.between) for p in shown if p.kind == "boundary"]
        )
        shapes = _draw_shapes(axes, basemap, shown, (x0, x1))
        placer = Placer(figure, axes)
        _keep_clear(axes, placer, shown, basemap)
        pointed = [p for p in shown if p.kind in MARKER_KINDS and extent.contains(p.lon, p.lat)]
        _, legend = _draw_markers(axes, placer, pointed, request.links, projection)
        place_furniture(axes, placer, basemap)
        for label in map_labels(
            axes, (*request.places, *request.base_labels), extent, pointed, projection
        ):
            place_label(axes, placer, label, request.links, request.font_scale)
        if legend or shapes:
            _draw_legend(figure, layout, legend + shapes, request.font_scale)
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
        files = save_figure(figure, title=request.title, formats=formats)
    svg = _add_titles(files["svg"].decode("utf-8"), (*shown, *request.base_labels))
    return DrawnMap(
        files={**files, "svg": svg.encode("utf-8")},
        extent=extent,
        overlaps=tuple(placer.overlaps),
        labels=dict(placer.labels),
    )


def _map_axes(
    figure: Figure, layout: _Layout, xs: tuple[float, float], ys: tuple[float, float]
) -> Axes:
    """The axes of the map itself: its window in map kilometres, the sea behind the land."""
    axes = figure.add_axes(
        (
            layout.left / layout.width,
            layout.bottom / layout.height,
            layout.map_width / layout.width,
            layout.map_height / layout.height,
        )
    )
    axes.set_facecolor(SEA)
    axes.set_xlim(*xs)
    axes.set_ylim(*ys)
    axes.set_aspect("equal")
    axes.set_autoscale_on(False)
    axes.apply_aspect()
    return axes


def _draw_legend(
    figure: Figure, layout: _Layout, entries: Sequence[tuple[Any, str]], font_scale: float
) -> None:
    """The legend under the map: its markers, then its lines and areas."""
    figure.legend(
        [h for h, _ in entries],
        [t for _, t in entries],
        loc="upper left",
        bbox_to_anchor=(
            layout.left / layout.width - 0.02,
            (layout.bottom - 0.3) / layout.height,
        ),
        ncols=layout.legend_columns,
        fontsize=7.5 * font_scale,
        frameon=False,
        handlelength=2.6,
        columnspacing=1.2,
        labelspacing=0.4,
        borderaxespad=0,
        borderpad=0,
    )


def draw_clear_map(
    basemap: Basemap,
    request: MapRequest,
    *,
    smallest: float = 0.85,
    formats: Sequence[str] = FORMATS,
) -> DrawnMap:
    """Draw a map; when labels collide, draw it again with smaller labels.

    :param basemap: the country outlines
    :param request: what to show
    :param smallest: the smallest label scale to try
    :param formats: the formats to save (the SVG always among them)
    :return: the first drawing without overlaps, else the one at the smallest scale
    """
    scale = request.font_scale
    while True:
        last = scale - 0.1 < smallest - 1e-9
        drawn = draw_map(
            basemap, replace(request, font_scale=scale), save_overlapping=last, formats=formats
        )
        if not drawn.overlaps or last:
            return drawn
        scale = round(scale - 0.1, 2)


def _add_titles(svg: str, places: Sequence[Place]) -> str:
    """Give each place's groups in the SVG a tooltip: its name (and its name in Hangul)."""
    for place in places:
        named = f"{place.name} ({place.hangul})" if place.hangul else place.name
        tooltip = named.replace("&", "&amp;").replace("<", "&lt;")
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
