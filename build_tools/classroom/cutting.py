"""Cut the compiled worksheets document into one PDF per chapter (with pypdf).

The document writes where each chapter starts to ``<jobname>.chapters``
(:func:`build_tools.classroom.worksheets.render_worksheets_tex`);
:func:`read_chapter_starts` reads it and :func:`split_by_chapter` cuts the PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Mapping
from pathlib import Path


def read_chapter_starts(chapters_file: Path) -> dict[int, int]:
    """Read where each chapter starts, as the document wrote it.

    :param chapters_file: ``<jobname>.chapters``: ``<chapter> <page>`` lines
    :return: the first page (1-based) of each chapter, in document order
    :raises ValueError: if the file is malformed or the pages do not increase
    """
    starts: dict[int, int] = {}
    for line in chapters_file.read_text(encoding="ascii").splitlines():
        fields = line.split()
        if len(fields) != 2 or not all(field.isdigit() for field in fields):
            raise ValueError(f"{chapters_file}: not a '<chapter> <page>' line: {line!r}")
        starts[int(fields[0])] = int(fields[1])
    pages = list(starts.values())
    if not pages or pages != sorted(set(pages)) or pages[0] != 1:
        raise ValueError(f"{chapters_file}: the chapters' first pages must increase from 1")
    return starts


def _pdf_date() -> str | None:
    """``SOURCE_DATE_EPOCH`` as a PDF date, or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def split_by_chapter(
    pdf: Path, chapters_file: Path, *, titles: Mapping[int, str] | None = None
) -> dict[int, bytes]:
    """Cut the compiled document into one PDF per chapter.

    The output is reproducible: no file identifier, no date unless
    ``SOURCE_DATE_EPOCH`` gives one; the fonts stay embedded (each chapter's PDF
    holds the fonts its pages use).

    :param pdf: the compiled document
    :param chapters_file: the ``.chapters`` file LaTeX wrote beside it
    :param titles: each chapter's PDF title (none: no title)
    :return: each chapter's PDF, by chapter number, in document order
    :raises ValueError: if a chapter would start past the document's last page
    """
    from pypdf import PdfReader, PdfWriter

    starts = read_chapter_starts(chapters_file)
    reader = PdfReader(pdf)
    total = len(reader.pages)
    numbers = list(starts)
    ends = [starts[number] - 1 for number in numbers[1:]] + [total]
    date = _pdf_date()
    result: dict[int, bytes] = {}
    for number, end in zip(numbers, ends, strict=True):
        first = starts[number]
        if first > end:
            raise ValueError(f"{chapters_file}: chapter {number} starts past the last page")
        writer = PdfWriter()
        for index in range(first - 1, end):
            writer.add_page(reader.pages[index])
        # the old module's name, kept: the PDFs must stay byte for byte the same
        metadata = {"/Producer": "pypdf", "/Creator": "build_tools.worksheets"}
        if titles and number in titles:
            metadata["/Title"] = titles[number]
        if date:
            metadata["/CreationDate"] = metadata["/ModDate"] = date
        writer.add_metadata(metadata)
        buffer = io.BytesIO()
        writer.write(buffer)
        result[number] = buffer.getvalue()
    return result
