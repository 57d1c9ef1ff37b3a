"""The offline bundle: the HTML site as one zip, for a USB stick or a learning platform.

``<out>/<slug>-html.zip`` holds the site in one folder, ``<slug>-html/``,
opened at its ``index.html`` straight from the disk (``file://``): Sphinx's
pages link files, not folders, and the search reads ``searchindex.js``
through a script tag, so nothing needs a server. The same site gives the
same bytes: members sorted, dated ``SOURCE_DATE_EPOCH`` (as the EPUB is),
fixed modes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

#: the earliest date a zip can hold (1980-01-01)
_ZIP_EPOCH = 315532800


def bundle_name(slug: str) -> str:
    """The bundle's file name: ``<slug>-html.zip``."""
    return f"{slug}-html.zip"


def write_bundle(site: Path, target: Path) -> Path:
    """Zip a built HTML site, atomically (a half-written zip is never left at ``target``).

    :param site: the site's folder (``<out>/html``)
    :param target: the zip to write
    :return: the zip
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", str(_ZIP_EPOCH)) or _ZIP_EPOCH)
    stamp = time.gmtime(max(epoch, _ZIP_EPOCH))[:6]
    top = target.name.removesuffix(".zip")
    partial = target.with_name(f".{target.name}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(path for path in site.rglob("*") if path.is_file())
    with ZipFile(partial, "w") as bundle:
        for path in files:
            info = ZipInfo(f"{top}/{path.relative_to(site).as_posix()}", date_time=stamp)
            info.compress_type = ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # level 6: half the time of 9 for a zip 0.4 % larger (the seed's site: 0.62
            # against 1.15 s, 6.71 against 6.68 MB)
            bundle.writestr(info, path.read_bytes(), compresslevel=6)
    partial.replace(target)
    return target
