"""Read a build's inputs: the article, its companion files and the book's metadata."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import asdict
from pathlib import Path

import yaml

from build_tools import __version__
from build_tools.article.model import Article
from build_tools.article.render import BookInfo
from build_tools.article.seed import decode_source, parse_seed
from build_tools.pipeline.config import BuildConfig
from build_tools.util.errors import BuildError


def read_text(path: Path) -> str:
    """Read a source file as text: UTF-8 with or without BOM, any line ending.

    :param path: the file
    :return: its text
    :raises BuildError: if it is missing or not UTF-8
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(
            "file not found; check the path (the default article is seeds/korean-war.md)",
            path=str(path),
        ) from None
    except OSError as err:
        raise BuildError(f"cannot read the file: {err.strerror}", path=str(path)) from None
    return decode_source(data, path=str(path))


def load_article(path: Path) -> Article:
    """Read and parse an article.

    :param path: the article's Markdown file
    :return: the parsed article
    """
    return parse_seed(read_text(path), source=display_path(path))


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the current folder when under it."""
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


def companion_text(config: BuildConfig, suffix: str) -> tuple[str, str] | None:
    """Read an optional data file kept next to the article.

    :param config: the build's configuration
    :param suffix: the part after the article's stem, e.g. ``glossary.yaml``
    :return: the file's text and its display name, or None when there is none
    """
    path = config.companion(suffix)
    if not path.exists():
        return None
    return read_text(path), display_path(path)


def build_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def book_info(config: BuildConfig, article: Article, seed_bytes: bytes) -> BookInfo:
    """The book's metadata: defaults, overlaid by ``<stem>.book.yaml`` when present.

    :param config: the build's configuration
    :param article: the parsed article
    :param seed_bytes: the article file's bytes, for its checksum
    :return: the metadata
    """
    meta: dict[str, object] = {}
    meta_path = config.companion("book.yaml")
    if meta_path.exists():
        try:
            loaded = yaml.safe_load(read_text(meta_path)) or {}
        except yaml.YAMLError as err:
            line = getattr(getattr(err, "problem_mark", None), "line", -1) + 1
            raise BuildError(f"not valid YAML: {err}", path=str(meta_path), line=line) from None
        if not isinstance(loaded, dict):
            raise BuildError("expected a mapping of metadata fields", path=str(meta_path), line=1)
        allowed = {"author", "publisher", "description", "language"}
        for key in loaded:
            if key not in allowed:
                raise BuildError(
                    f"unknown field {key!r}; allowed: {', '.join(sorted(allowed))}",
                    path=str(meta_path),
                )
        meta = {key: str(value) for key, value in loaded.items()}
    digest = hashlib.sha256(seed_bytes).hexdigest()
    return BookInfo(
        title=article.title,
        slug=config.slug,
        author=str(meta.get("author", "Classroom Publishing Pipeline")),
        publisher=str(meta.get("publisher", "Classroom Publishing Pipeline")),
        language=str(meta.get("language", "en")),
        description=str(meta.get("description", f"A classroom book: {article.title}.")),
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'book:' + config.slug)}",
        date=build_date().isoformat(),
        seed_name=config.seed.name,
        seed_sha256=digest,
        version=__version__,
    )


def book_json(info: BookInfo) -> str:
    """``_generated/book.json``: the book's metadata, read by ``book/conf.py``."""
    return json.dumps(asdict(info), indent=2, sort_keys=True) + "\n"
