"""How the maps look: colours, markers and label styles, and the ids of their SVG parts.

Black-and-white safe: lines differ by dash pattern and width, markers by
shape, areas by hatching; colours come from Okabe & Ito's palette.
"""

from __future__ import annotations

import re
from typing import Any

from matplotlib import patheffects

from build_tools.figures.plotting import PALETTE

SEA = "#dcebf5"
FOCUS_LAND = "#ffffff"
OTHER_LAND = "#e4e1da"
COAST = "#4d4d4d"
WATER_TEXT = "#005a8c"  # a darker shade of the palette's blue, for small italic labels
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]

#: Marker style per kind: (marker, size in points, face colour, edge colour).
MARKERS: dict[str, tuple[str, float, str, str]] = {
    "capital": ("s", 7.0, PALETTE["black"], PALETTE["black"]),
    "city": ("o", 5.5, PALETTE["black"], PALETTE["black"]),
    "port": ("o", 5.5, PALETTE["black"], PALETTE["black"]),
    "battle": ("X", 8.0, PALETTE["vermillion"], PALETTE["black"]),
    "site": ("D", 5.5, "white", PALETTE["black"]),
    "island": ("o", 5.0, "white", PALETTE["black"]),
    "reservoir": ("o", 7.0, PALETTE["sky"], WATER_TEXT),
}
LEGEND_NAMES = {
    "capital": "Capital",
    "city": "City or port",
    "battle": "Battle",
    "site": "Other site",
    "island": "Island",
    "reservoir": "Reservoir",
}
LABEL_STYLES: dict[str, dict[str, Any]] = {
    "capital": {"fontsize": 9.5, "fontweight": "bold"},
    "river": {"fontsize": 8.5, "fontstyle": "italic", "color": WATER_TEXT},
    "reservoir": {"fontsize": 8.5, "fontstyle": "italic", "color": WATER_TEXT},
    "sea": {"fontsize": 8.5, "fontstyle": "italic", "color": WATER_TEXT},
    "region": {"fontsize": 8.5, "fontstyle": "italic", "color": "#4d4d4d"},
    "country": {"fontsize": 8.5, "color": "#666666", "fontweight": "bold"},
    "line": {"fontsize": 8, "color": PALETTE["blue"], "fontweight": "bold"},
    "area": {"fontsize": 8, "color": "#006e50", "fontweight": "bold"},
    "boundary": {"fontsize": 8, "color": "#b34700", "fontweight": "bold"},
}


def slug(name: str) -> str:
    """A place's name as an XML id part (``38th parallel`` -> ``38th-parallel``)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
