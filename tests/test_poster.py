"""The wall poster: page, text, sizes, layout, fonts and determinism of the PDF.

Each poster is drawn once per module (drawing and embedding the fonts take about
a second); the tests read the PDF as a printer or a reader would, with pypdf and
poppler's ``pdftotext``/``pdffonts``.
"""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_tools.article.seed import parse_seed
from build_tools.chronology.extract import extract_chronology
from build_tools.chronology.model import ChronologyResult, Event, WarSpan, key_events
from build_tools.chronology.overrides import load_overrides
from build_tools.figures.poster import MAX_EVENTS, POSTERS, draw_poster, poster_name
from build_tools.figures.timeline import short_date as _short_date

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "korean-war.md"
OVERRIDES = ROOT / "seeds" / "korean-war.chronology.yaml"
TITLE = "Korean War"
MM = 72 / 25.4
SIZES = {"a3": (420 * MM, 297 * MM), "tabloid": (17 * 72, 11 * 72)}  # landscape, points
HOSTILE_TITLE = r"The $5 Question: {Braces} & 100% \LaTeX"
HOSTILE_LABELS = ("$x$ rises to $5 (not math)", r"100% {braces} \emph{tex} <b>&amp;</b>")


def event(
    date: str, label: str, line: int, *, precision: str = "day", end: str | None = None
) -> Event:
    return Event(date, precision, label, f"{label}.", line, key=True, end_date=end,
                 end_precision=precision if end else None)  # fmt: skip


def phase(first: str, last: str, label: str, line: int) -> Event:
    return Event(first, "year", label, label, line, end_date=last, end_precision="year",
                 kind="phase")  # fmt: skip


@pytest.fixture(scope="module")
def edited() -> ChronologyResult:
    article = parse_seed(SEED.read_text(encoding="utf-8"), source="seeds/korean-war.md")
    text = OVERRIDES.read_text(encoding="utf-8")
    overrides = load_overrides(text, path="seeds/korean-war.chronology.yaml")
    return extract_chronology(article, overrides=overrides)


@pytest.fixture(scope="module")
def tiny() -> ChronologyResult:
    """Another article's shape: no war span, few events, hostile text in labels."""
    return ChronologyResult(
        title="Tiny",
        source="tiny.md",
        events=(
            event("1801-03-04", HOSTILE_LABELS[0], 3),
            event("1805-10-21", HOSTILE_LABELS[1], 5),
            event("1812-06-18", "A war begins over the sea", 7, end="1812-06-20"),
            event("1815-01-08", "The last battle, after the peace", 9),
        ),
        phases=(
            phase("1801", "1811", "Early years", 2),
            phase("1812", "1815", "The $war$ years", 6),
        ),
    )


@pytest.fixture(scope="module")
def crowded() -> ChronologyResult:
    """More key events than fit: some are left out, none is shrunk or overlapped."""
    events = tuple(
        event(
            f"19{60 + i // 6}-{1 + i % 6 * 2:02d}-1{i % 9}", f"Event {i} with a longer label", i + 9
        )
        for i in range(30)
    )
    phases = tuple(
        phase(f"19{60 + 2 * i}", f"19{61 + 2 * i}", f"Phase {i}", i + 2) for i in range(4)
    )
    return ChronologyResult("Crowded", "c.md", events, phases, span=WarSpan(1960, 1964, None, "t"))


@pytest.fixture(scope="module")
def posters(
    edited: ChronologyResult,
    tiny: ChronologyResult,
    crowded: ChronologyResult,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    """Each poster drawn once, as a file: the book's on every paper, then the synthetic ones."""
    folder = tmp_path_factory.mktemp("posters")
    drawn = {paper: draw_poster(edited, title=TITLE, paper=paper) for paper in POSTERS}
    drawn["tiny"] = draw_poster(tiny, title=HOSTILE_TITLE, paper="tabloid")
    drawn["crowded"] = draw_poster(crowded, title="Crowded", paper="a3")
    paths = {}
    for name, data in drawn.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths


def normalise(text: str) -> str:
    """Ligatures undone (matplotlib shapes "fi"), whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdftotext(path: Path, *options: str) -> str:
    run = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def sized_text(path: Path) -> tuple[str, list[float]]:
    """The page's text without whitespace, with each character's font size in points."""
    chars: list[str] = []
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = abs(cm[0] * tm[0] + cm[2] * tm[1]) or abs(cm[1] * tm[0] + cm[3] * tm[1])
        for char in unicodedata.normalize("NFKC", text):
            if not char.isspace():
                chars.append(char)
                sizes.append(size * scale)

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return "".join(chars), sizes


def words(path: Path) -> tuple[tuple[float, float], list[tuple[str, float, float, float, float]]]:
    """The page size and every word's box (x0, y0, x1, y1, from the top left) by pdftotext."""
    html = pdftotext(path, "-bbox")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page is not None
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    )
    boxes = [(text, float(a), float(b), float(c), float(d)) for a, b, c, d, text in found]
    return (float(page[1]), float(page[2])), boxes


# -- names and pages ----------------------------------------------------------------------------


def test_poster_names() -> None:
    assert set(POSTERS) == {"a3", "tabloid"}
    assert poster_name("korean-war", "a3") == "korean-war-timeline-a3.pdf"
    assert poster_name("korean-war", "tabloid") == "korean-war-timeline-tabloid.pdf"
    with pytest.raises(ValueError, match="unknown poster paper 'a4'"):
        poster_name("korean-war", "a4")
    with pytest.raises(ValueError, match="unknown poster paper"):
        draw_poster(ChronologyResult("T", "t.md", ()), title="T", paper="letter")


def test_importing_the_module_does_not_import_matplotlib() -> None:
    """The pipeline imports the module at start-up: matplotlib waits for a drawing."""
    code = "import sys, build_tools.figures.poster; print('matplotlib' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


@pytest.mark.parametrize("paper", ["a3", "tabloid"])
def test_one_landscape_page_of_the_paper(posters: dict[str, Path], paper: str) -> None:
    reader = PdfReader(posters[paper])
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(SIZES[paper], abs=0.05)
    assert (
        "Pages:           1"
        in subprocess.run(
            ["pdfinfo", str(posters[paper])], capture_output=True, text=True, check=True
        ).stdout
    )


# -- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a3", "tabloid"])
def test_title_every_key_event_in_date_order_and_the_source_note(
    posters: dict[str, Path], edited: ChronologyResult, paper: str
) -> None:
    text = normalise(pdftotext(posters[paper], "-raw"))
    assert text.startswith(TITLE)
    keys = key_events(edited, limit=MAX_EVENTS)
    assert len(keys) >= 15
    position = 0
    for key in keys:  # every key event of the book, its date then its label
        found = text.find(normalise(f"{_short_date(key)} {key.label}"), position)
        assert found >= 0, f"{key.label!r} is missing or out of date order"
        position = found
    note = (
        f"From the chronology of {TITLE}; every event is in the book's chronology with its chapter."
    )
    assert note in text
    raw = posters[paper].read_bytes()
    assert b"CreationDate" not in raw and b"Matplotlib" not in raw and b"ModDate" not in raw


def test_article_text_shows_as_written_not_as_markup(posters: dict[str, Path]) -> None:
    text = normalise(pdftotext(posters["tiny"], "-raw"))
    for label in (HOSTILE_TITLE, *HOSTILE_LABELS, "The $war$ years (1812–1815)"):
        assert normalise(label) in text
    assert "Korea" not in text  # nothing of the book's own subject is built in


@pytest.mark.parametrize("paper", ["a3", "tabloid"])
def test_dates_and_labels_are_20pt_and_the_title_60pt(
    posters: dict[str, Path], edited: ChronologyResult, paper: str
) -> None:
    chars, sizes = sized_text(posters[paper])
    assert sizes
    title = chars.find(TITLE.replace(" ", ""))
    assert title >= 0 and min(sizes[title : title + len(TITLE) - 1]) >= 60
    position = 0
    for key in key_events(edited, limit=MAX_EVENTS):
        wanted = "".join(normalise(f"{_short_date(key)} {key.label}").split())
        found = chars.find(wanted, position)
        while found >= 0 and min(sizes[found : found + len(wanted)]) < 20:
            found = chars.find(wanted, found + 1)  # the same words, smaller, elsewhere
        assert found >= 0, f"{key.label!r} is not set at 20 pt or more"
        position = found


# -- layout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a3", "tabloid", "tiny", "crowded"])
def test_no_two_words_overlap_and_all_stay_inside_the_margins(
    posters: dict[str, Path], name: str
) -> None:
    (width, height), boxes = words(posters[name])
    assert len(boxes) > 20
    margin = 12 * MM
    for text, x0, y0, x1, y1 in boxes:
        assert margin <= x0 and x1 <= width - margin, f"{text!r} runs into the side margins"
        assert margin <= y0 and y1 <= height - margin, f"{text!r} runs into the top or bottom"
    for one, two in itertools.combinations(boxes, 2):
        across = min(one[3], two[3]) - max(one[1], two[1])
        down = min(one[4], two[4]) - max(one[2], two[2])
        assert across <= 0.5 or down <= 0.5, f"{one[0]!r} overlaps {two[0]!r}"


def test_a_crowded_chronology_leaves_events_out_rather_than_shrink_them(
    posters: dict[str, Path], crowded: ChronologyResult
) -> None:
    text = normalise(pdftotext(posters["crowded"], "-raw"))
    shown = [e for e in key_events(crowded, limit=MAX_EVENTS) if f"{e.label} " in f"{text} "]
    assert 6 <= len(shown) < MAX_EVENTS
    chars, sizes = sized_text(posters["crowded"])
    for key in shown:
        label = "".join(key.label.split())
        found = chars.find(label)
        assert min(sizes[found : found + len(label)]) >= 20


# -- the file ---------------------------------------------------------------------------------


def test_fonts_are_embedded(posters: dict[str, Path]) -> None:
    listing = subprocess.run(
        ["pdffonts", str(posters["a3"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for row in listing:  # name type encoding emb sub uni object ID
        assert row.split()[-5] == "yes", row


def test_the_poster_is_byte_for_byte_deterministic(
    posters: dict[str, Path], tiny: ChronologyResult
) -> None:
    again = draw_poster(tiny, title=HOSTILE_TITLE, paper="tabloid")
    assert again == posters["tiny"].read_bytes()
    assert PdfReader(io.BytesIO(again)).metadata == {"/Title": f"{HOSTILE_TITLE}: timeline"}
