"""``python -m build_tools draft``: the companion files of an article, drafted from it alone.

:data:`COMPANIONS` is the registry: one :class:`Companion` a kind of file (its
path and its pure drafter).  :func:`draft_companions` drafts them all in
memory, then writes the ones that do not exist yet; a file that exists (a
person may have edited it) is never overwritten: the draft goes beside it as
``<file>.draft.yaml`` with a note of what it adds.  Nothing is written when a
drafter fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from build_tools.article.model import Article
from build_tools.pipeline.config import BuildConfig
from build_tools.pipeline.inputs import display_path, load_article, read_text
from build_tools.util.errors import BuildError

if TYPE_CHECKING:
    from build_tools.glossary.model import Glossary

#: A drafter: the files of one kind, path -> text, for an article.
Drafter = Callable[[BuildConfig, Article], dict[Path, str]]
#: What a draft adds to the file a person keeps: (existing text, drafted text) -> notes.
Adds = Callable[[str, str], list[str]]


def _lines_added(existing: str, drafted: str) -> list[str]:
    """The generic note: how many lines of the draft the existing file lacks."""
    have = {line.strip() for line in existing.splitlines()}
    new = [line for line in drafted.splitlines() if line.strip() and line.strip() not in have]
    return [f"{len(new)} lines not in the existing file"] if new else []


@dataclass(frozen=True)
class Companion:
    """One kind of companion file: its drafter and how to say what a draft adds."""

    kind: str
    draft: Drafter
    adds: Adds = _lines_added


# -- the drafters of this branch's kinds ---------------------------------------------------------


def _draft_book(config: BuildConfig, article: Article) -> dict[Path, str]:
    """``<name>.book.yaml``: the metadata fields with the defaults the build uses, commented."""
    from build_tools.glossary.draft import quote

    text = (
        f"# Metadata of the book made from {config.seed.name} (EPUB, PDF and the colophon).\n"
        "# Drafted: each field below is commented out and shows the default the build uses;\n"
        "# remove its '# ' to set your own.\n"
        "# author: Classroom Publishing Pipeline\n"
        "# publisher: Classroom Publishing Pipeline\n"
        "# language: en\n"
        f"# description: {quote(f'A classroom book: {article.title}.')}\n"
    )
    return {config.companion("book.yaml"): text}


_BOOK_FIELDS = ("author", "publisher", "language", "description")


def _book_adds(existing: str, drafted: str) -> list[str]:
    """The metadata fields the existing file does not set (the draft shows their defaults)."""
    try:
        loaded = yaml.safe_load(existing)
    except yaml.YAMLError:
        loaded = None
    have = set(loaded) if isinstance(loaded, dict) else set()
    missing = [name for name in _BOOK_FIELDS if name not in have]
    return [f"the defaults of {', '.join(missing)} (commented out)"] if missing else []


def _draft_glossary(config: BuildConfig, article: Article) -> dict[Path, str]:
    """``<name>.glossary.yaml``: the drafted terms (none when the article names nothing)."""
    from build_tools.glossary.draft import draft_terms, render_glossary_yaml

    terms = draft_terms(article)
    if not terms:
        return {}
    return {config.companion("glossary.yaml"): render_glossary_yaml(terms, name=config.seed.name)}


def _glossary_heads(text: str) -> dict[str, set[str]]:
    """Each term's names in a glossary file, read loosely (the file may be half-edited)."""
    from build_tools.util.yamlfile import load_yaml

    try:
        root = load_yaml(text, path="glossary")
    except BuildError:
        return {}
    entries = root.get("terms") if isinstance(root, dict) else None
    heads: dict[str, set[str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("term"), str):
            aliases = entry.get("aliases")
            listed = aliases if isinstance(aliases, list) else []
            heads[entry["term"]] = {entry["term"], *(str(a) for a in listed)}
    return heads


def _glossary_adds(existing: str, drafted: str) -> list[str]:
    """The drafted terms that share no name with a term of the existing file."""
    have = {name for names in _glossary_heads(existing).values() for name in names}
    new = [head for head, names in _glossary_heads(drafted).items() if not names & have]
    if not new:
        return []
    return [f"{len(new)} terms not in the existing file: {', '.join(new)}"]


def _glossary_of(config: BuildConfig, article: Article) -> Glossary | None:
    """The glossary the exercises draw names from: the file when there is one, else drafted."""
    from build_tools.glossary.load import load_glossary

    path = config.companion("glossary.yaml")
    if path.exists():
        return load_glossary(read_text(path), path=display_path(path), article=article)
    files = _draft_glossary(config, article)
    if not files:
        return None
    return load_glossary(files[path], path=f"{display_path(path)} (drafted)", article=article)


def _draft_exercises(config: BuildConfig, article: Article) -> dict[Path, str]:
    """``exercises/<name>/NN-<chapter>.yaml``: each chapter's drafted review exercises."""
    from build_tools.chronology.extract import extract_chronology
    from build_tools.chronology.overrides import load_overrides
    from build_tools.exercises.draft import draft_exercises

    overrides_path = config.companion("chronology.yaml")
    overrides = (
        load_overrides(read_text(overrides_path), path=display_path(overrides_path))
        if overrides_path.exists()
        else ()
    )
    chronology = extract_chronology(article, overrides=overrides)
    files = draft_exercises(article, chronology, _glossary_of(config, article))
    return {config.exercises / name: text for name, text in files.items()}


def _draft_places(config: BuildConfig, article: Article) -> dict[Path, str]:
    """``<name>.places.yaml``: the places GeoNames knows, as the article spells them."""
    from build_tools.pipeline.figures import drafted_places

    text = drafted_places(config, article)
    return {config.companion("places.yaml"): text} if text else {}


def _draft_figures(config: BuildConfig, article: Article) -> dict[Path, str]:
    """``<name>.figures.yaml``: the numbers the article states, grouped into charts."""
    from build_tools.stats.draft import draft_figures

    text = draft_figures(article, name=config.seed.name)
    return {config.companion("figures.yaml"): text} if text else {}


#: Every kind of companion file ``draft`` writes, in the order it writes them.  A kind is
#: one entry: e.g. ``Companion("exercises", _draft_exercises)`` whose drafter returns
#: ``{config.exercises / name: text}`` for ``draft_exercises(...)``'s files.
COMPANIONS: tuple[Companion, ...] = (
    Companion("book", _draft_book, adds=_book_adds),
    Companion("glossary", _draft_glossary, adds=_glossary_adds),
    Companion("places", _draft_places),
    Companion("figures", _draft_figures),
    Companion("exercises", _draft_exercises),
)


# -- drafting and writing -------------------------------------------------------------------------


def draft_path(path: Path) -> Path:
    """Where the draft of an existing file goes: ``x.glossary.yaml`` -> ``x.glossary.draft.yaml``.

    :param path: the existing file
    :return: the draft's path beside it
    """
    stem = path.name.removesuffix(".yaml").removesuffix(".yml")
    return path.with_name(f"{stem}.draft.yaml")


@dataclass
class DraftReport:
    """What ``draft`` did: the files written, the drafts put beside existing files."""

    written: list[tuple[str, Path]] = field(default_factory=list)
    beside: list[tuple[str, Path, Path, list[str]]] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        out = [f"  wrote {display_path(path)}  ({kind})" for kind, path in self.written]
        for kind, existing, draft, adds in self.beside:
            out.append(
                f"  {display_path(existing)} exists ({kind}): kept it, wrote the draft to "
                f"{display_path(draft)}"
            )
            out += [f"    the draft adds {note}" for note in adds] or [
                "    the draft adds nothing the existing file lacks"
            ]
        out += [f"  nothing to draft: {kind}" for kind in self.empty]
        return out


def _write(path: Path, text: str) -> None:
    """Write a file whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def draft_companions(
    config: BuildConfig, companions: tuple[Companion, ...] = COMPANIONS
) -> DraftReport:
    """Draft every companion file of the article and write the ones that do not exist.

    :param config: the build's configuration (its seed is the article)
    :param companions: the kinds to draft (default: all of :data:`COMPANIONS`)
    :return: what was written where
    :raises BuildError: with the file and line, when the article cannot be read or a
        drafter cannot draft from it; then nothing is written
    """
    article = load_article(config.seed)
    drafted = [(companion, companion.draft(config, article)) for companion in companions]
    report = DraftReport()
    plan: list[tuple[Path, str]] = []
    for companion, files in drafted:
        if not files:
            report.empty.append(companion.kind)
        for path, text in sorted(files.items()):
            if path.exists():
                beside = draft_path(path)
                plan.append((beside, text))
                adds = companion.adds(read_text(path), text)
                report.beside.append((companion.kind, path, beside, adds))
            else:
                plan.append((path, text))
                report.written.append((companion.kind, path))
    for path, text in plan:
        try:
            _write(path, text)
        except OSError as err:
            raise BuildError(f"cannot write the file: {err.strerror}", path=str(path)) from None
    return report
