"""What every figure of the book shares: style, palette and byte-stable files.

Figures are drawn with matplotlib's object API on an Agg canvas (no pyplot, no
global figure manager) and saved in the three formats the builders pick from:
SVG for HTML, PDF for the print book, PNG for EPUB.  The same data gives the
same bytes on every run (no dates, no tool versions, fixed SVG ids), so the
pipeline's write-only-when-changed rule also decides what Sphinx and LaTeX
rebuild.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # matplotlib is imported when a figure is drawn (about a second)
    from matplotlib.figure import Figure

#: Okabe & Ito's palette: told apart with every common colour-vision deficiency.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
#: The formats the builders choose from (``figure`` with ``name.*``).
FORMATS = ("svg", "pdf", "png")
#: PNG resolution: sharp on e-readers, small enough for the EPUB.
PNG_DPI = 160

_STYLE: dict[str, Any] = {
    # DejaVu shipped with matplotlib: the same glyphs everywhere; Hangul, Han and Kana
    # from Noto Sans CJK (Debian fonts-noto-cjk), which matplotlib falls back to per glyph
    "font.family": ["DejaVu Sans", "Noto Sans CJK KR"],
    "text.parse_math": False,  # texts come from the article and data files: "$" is a dollar
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "svg.fonttype": "path",  # glyphs as outlines: no font substitution in browsers
    "svg.hashsalt": "classroom-book",  # stable ids for clip paths and glyphs
    "svg.image_inline": True,
    "pdf.fonttype": 42,  # embedded TrueType subsets
    "pdf.compression": 6,
    "path.simplify": True,
}
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": None, "Format": None, "Type": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}


@dataclass(frozen=True)
class Rendered:
    """One figure in every format, with what the page needs to show it.

    ``files`` maps a format (``svg``, ``pdf``, ``png``) to the file's bytes.
    """

    name: str
    files: Mapping[str, bytes]
    caption: str
    alt: str


def preload() -> None:
    """Import what drawing and saving a figure imports (about a second and a half).

    Called before forking the processes that draw: each then has it already,
    where each would import it again.
    """
    import importlib

    for module in (
        "matplotlib.figure",
        "matplotlib.backends.backend_agg",
        "matplotlib.backends.backend_pdf",
        "matplotlib.backends.backend_svg",
        "PIL.PngImagePlugin",
    ):
        importlib.import_module(module)


@contextmanager
def book_style() -> Iterator[None]:
    """Draw with the book's style, leaving matplotlib's global settings as they were."""
    import matplotlib as mpl

    with mpl.rc_context(cast("Any", _STYLE)), book_fonts():
        yield


#: The font families the figures are drawn in: their styles' ``font.family`` (here and in
#: build_tools.figures.timeline), and DejaVu's monospace.
FAMILIES = frozenset({"DejaVu Sans", "DejaVu Sans Mono", "Noto Sans CJK KR"})


@contextmanager
def book_fonts() -> Iterator[None]:
    """Let matplotlib choose among the figures' own families only, not every installed font.

    Each new font size or weight makes it score every font of the machine (600
    with TeX Live): a fifth of a map's drawing. The fonts chosen are the same, as
    the best match of a named family is always of that family.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    every = manager.ttflist
    manager.ttflist = [font for font in every if font.name in FAMILIES] or every
    try:
        yield
    finally:
        manager.ttflist = every


def new_figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas (no pyplot state).

    :param width: width in inches
    :param height: height in inches
    :return: the figure
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def save_figure(
    figure: Figure, *, title: str = "", formats: Sequence[str] = FORMATS
) -> dict[str, bytes]:
    """Save a figure as SVG, PDF and PNG, byte-stable.

    :param figure: the figure, drawn inside :func:`book_style`
    :param title: the document title stored in the SVG and PDF
    :param formats: the formats to save, some of :data:`FORMATS`
    :return: the bytes of each format
    """
    files: dict[str, bytes] = {}
    for fmt in formats:
        buffer = io.BytesIO()
        metadata = dict(_METADATA[fmt])
        if title and fmt in ("svg", "pdf"):
            metadata["Title"] = title
        # the RGBA PNG is only read back by _small_png: not worth compressing
        extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 0}} if fmt == "png" else {}
        figure.savefig(
            buffer,
            format=fmt,
            metadata=metadata,
            dpi=PNG_DPI if fmt == "png" else 100,
            facecolor="white",
            **extra,
        )
        files[fmt] = _small_png(buffer.getvalue()) if fmt == "png" else buffer.getvalue()
    return files


def _small_png(data: bytes) -> bytes:
    """A palette PNG (256 colours, no dithering): a third of the size, same look.

    :param data: an RGBA PNG from matplotlib
    :return: the smaller PNG (deterministic: no metadata, fixed settings)
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        palette = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    buffer = io.BytesIO()
    # zlib level 6: an eighth of the time of 9 (optimize) for files 5 % larger
    palette.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
