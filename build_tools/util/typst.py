"""What every Typst document of ours shares: the fonts it may use, linked into one folder.

Typst is given only this folder (``font_paths``, ``ignore_system_fonts=True``),
so the same input gives the same bytes on every machine that has the fonts.
The text reaches Typst through :func:`build_tools.util.markup.typst_text`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

#: The fonts a document may use, by folder and file-name pattern (Debian's packages
#: fonts-texgyre, fonts-noto-cjk, fonts-noto-core, fonts-dejavu-core, fonts-symbola).
FONTS: Final = (
    ("/usr/share/texmf/fonts/opentype/public/tex-gyre", "texgyrepagella-*.otf"),
    ("/usr/share/texmf/fonts/opentype/public/tex-gyre", "texgyreheros-*.otf"),
    ("/usr/share/fonts/opentype/noto", "Noto*CJK-Regular.ttc"),
    ("/usr/share/fonts/opentype/noto", "Noto*CJK-Bold.ttc"),
    ("/usr/share/fonts/truetype/noto", "NotoSerifHebrew-*.ttf"),
    ("/usr/share/fonts/truetype/noto", "NotoSansHebrew-*.ttf"),
    ("/usr/share/fonts/truetype/noto", "NotoNaskhArabic-*.ttf"),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf"),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSansMono*.ttf"),
    ("/usr/share/fonts/truetype/ancient-scripts", "Symbola*.ttf"),
    ("/usr/share/fonts/truetype/symbola", "Symbola*.ttf"),
)


def link_fonts(folder: Path) -> Path:
    """Make ``folder`` a folder of links to the fonts of :data:`FONTS` that this machine has.

    :param folder: the folder (emptied first)
    :return: the folder
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for directory, pattern in FONTS:
        for path in sorted(Path(directory).glob(pattern)):
            link = folder / path.name
            if not link.exists():
                link.symlink_to(path)
    return folder
