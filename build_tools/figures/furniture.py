"""A map's furniture: degree ticks on its frame, the scale bar and the north arrow."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from build_tools.figures.basemap import Basemap, land_share
from build_tools.figures.labels import Placer
from build_tools.figures.mapgeometry import KM_PER_MILE, Extent, Projection
from build_tools.figures.mapstyle import HALO


def draw_ticks(axes: Axes, extent: Extent, projection: Projection) -> None:
    def steps(low: float, high: float) -> list[float]:
        step = 1.0 if high - low <= 6 else 2.0
        first = math.ceil(low / step) * step
        return [first + step * i for i in range(int((high - first) // step) + 1)]

    lons, lats = steps(extent.west, extent.east), steps(extent.south, extent.north)
    axes.set_xticks([float(projection.project(lon, projection.lat0)[0]) for lon in lons])
    axes.set_xticklabels([f"{lon:g}°E" for lon in lons])
    axes.set_yticks([float(projection.project(projection.lon0, lat)[1]) for lat in lats])
    axes.set_yticklabels([f"{lat:g}°N" for lat in lats])
    axes.tick_params(labelsize=7, length=3, width=0.5, colors="#444444", pad=2)
    for spine in axes.spines.values():
        spine.set_visible(True)
        spine.set_linewidth(0.7)


def _nice(length: float) -> float:
    magnitude = 10.0 ** math.floor(math.log10(length))
    for factor in (5.0, 2.0, 1.0):
        if factor * magnitude <= length:
            return factor * magnitude
    return magnitude


def _anchor(axes: Axes, corner: str, nudge: float) -> tuple[float, float]:
    """Where the scale bar starts (data coordinates) in a corner, ``nudge`` along the side.

    ``nudge`` is a fraction of the map's height. The rest of the furniture is drawn
    relative to this point, the same shape in every corner.
    """
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    width, height = x1 - x0, y1 - y0
    km = _nice(width * 0.26)
    arrow_room = width * 0.09
    pad_x, pad_y = width * 0.04, height * 0.045
    bar_x = x0 + pad_x + arrow_room if corner.endswith("left") else x1 - pad_x - km
    lower = corner.startswith("lower")
    bar_y = y0 + pad_y * 1.4 if lower else y1 - pad_y * 1.6
    bar_y += (1 if lower else -1) * nudge * height
    return bar_x, bar_y


def _furniture(axes: Axes, corner: str, nudge: float = 0.0) -> list[Any]:
    """Draw the scale bar (km above, miles below) and the north arrow in a corner.

    ``nudge`` moves it along the map's side, as a fraction of the height.
    """
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    width, height = x1 - x0, y1 - y0
    km = _nice(width * 0.26)
    miles = _nice(km / KM_PER_MILE)
    arrow_room = width * 0.09
    bar_x, bar_y = _anchor(axes, corner, nudge)
    tick = height * 0.012
    artists: list[Any] = []
    style: dict[str, Any] = {"color": "black", "linewidth": 0.8, "zorder": 6}
    for total, unit, sign in ((km, "km", 1), (miles, "mi", -1)):
        length = total * (1 if unit == "km" else KM_PER_MILE)
        artists += axes.plot([bar_x, bar_x + length], [bar_y, bar_y], **style)
        for fraction in (0.0, 0.5, 1.0):
            position = bar_x + length * fraction
            artists += axes.plot([position, position], [bar_y, bar_y + sign * tick], **style)
            if fraction == 0.5:  # a tick without a number: short bars have no room for it
                continue
            text = f"{total * fraction:g}" + (f" {unit}" if fraction == 1.0 else "")
            artists.append(
                axes.text(
                    position,
                    bar_y + sign * tick * 1.5,
                    text,
                    ha="center",
                    va="bottom" if sign > 0 else "top",
                    fontsize=6.5,
                    zorder=6,
                    path_effects=HALO,
                )
            )
    arrow_x = bar_x - arrow_room * 0.55  # left of the bar, in every corner
    arrow_y = bar_y - height * 0.03
    length = height * 0.06
    artists.append(
        axes.annotate(
            "",
            xy=(arrow_x, arrow_y + length),
            xytext=(arrow_x, arrow_y),
            arrowprops={
                "arrowstyle": "-|>,head_width=0.3,head_length=0.6",
                "color": "black",
                "linewidth": 1.1,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            zorder=6,
        )
    )
    artists.append(
        axes.text(
            arrow_x,
            arrow_y + length + height * 0.006,
            "N",
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            zorder=6,
            path_effects=HALO,
        )
    )
    return artists


def place_furniture(axes: Axes, placer: Placer, basemap: Basemap) -> None:
    """Put the scale bar and north arrow where they cover least (labels, then land).

    The furniture has the same shape in every corner: it is drawn and measured
    once, and each trial place is that box moved by its anchor's offset.
    """
    artists = _furniture(axes, "lower left")
    measured = Bbox.union([placer.box(a, pad=2.0) for a in artists])
    for artist in artists:
        artist.remove()
    to_display = axes.transData
    start = to_display.transform(_anchor(axes, "lower left", 0.0))
    best: tuple[float, str, float] | None = None
    for nudge in (0.0, 0.06, 0.12):
        for corner in ("lower left", "lower right", "upper left", "upper right"):
            dx, dy = to_display.transform(_anchor(axes, corner, nudge)) - start
            box = measured.translated(dx, dy)
            cost = placer.cost(box) * 10 + land_share(axes, basemap, box) * 50 + nudge
            if best is None or cost < best[0]:
                best = (cost, corner, nudge)
    assert best is not None
    artists = _furniture(axes, best[1], best[2])
    placer.take(
        "scale bar and north arrow",
        Bbox.union([placer.box(a, 2.0) for a in artists]),
        label=False,
    )
