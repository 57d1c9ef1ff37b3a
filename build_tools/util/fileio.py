"""Writing files so that their timestamps mean something (for Sphinx and latexmk)."""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write a file only when its content changes, through a temporary file.

    :param path: the file
    :param data: the new content (text is written as UTF-8)
    :return: whether the file was written
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == payload:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(payload)
    temporary.replace(path)
    return True
