"""Draw the book's cover: a plain, deterministic PNG (no timestamps)."""

from __future__ import annotations

import functools
import importlib.util
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from build_tools.util.markup import one_line

_WIDTH, _HEIGHT = 1200, 1800
_INK, _PAPER, _ACCENT = (24, 39, 64), (246, 242, 232), (176, 58, 46)


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu from matplotlib's own data: the same glyphs on every machine."""
    spec = importlib.util.find_spec("matplotlib")  # its data, without importing it
    assert spec is not None and spec.submodule_search_locations
    base = Path(next(iter(spec.submodule_search_locations)))
    path = base / "mpl-data" / "fonts" / "ttf" / name
    return ImageFont.truetype(str(path), size)


@functools.lru_cache(maxsize=8)
def draw_cover(title: str, subtitle: str) -> bytes:
    """Draw a cover with the title and subtitle (once a process: a preview asks on every save).

    :param title: the book's title
    :param subtitle: one line under the title
    :return: the PNG file's bytes
    """
    image = Image.new("RGB", (_WIDTH, _HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, _WIDTH, 620), fill=_INK)
    draw.rectangle((0, 620, _WIDTH, 650), fill=_ACCENT)
    title_font = _font("DejaVuSerif-Bold.ttf", 120)
    y = 180
    # any separator or control as a space: Pillow's layout fails on U+2029 and NEL
    for line in textwrap.wrap(" ".join(one_line(title).split()), width=16)[:4]:
        draw.text((90, y), line, font=title_font, fill=_PAPER)
        y += 140
    body = _font("DejaVuSans.ttf", 48)
    y = 760
    for line in textwrap.wrap(" ".join(one_line(subtitle).split()), width=38)[:8]:
        draw.text((90, y), line, font=body, fill=_INK)
        y += 66
    label = _font("DejaVuSans-Bold.ttf", 44)
    draw.text((90, _HEIGHT - 160), "Classroom edition", font=label, fill=_ACCENT)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
