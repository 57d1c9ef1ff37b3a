"""Hostile books built in every format with -W: every drawn text reaches the reader whole.

Each example is a whole book (tests/hostile_articles.py: an article drawn from the
special characters of every syntax, a glossary and an exercise file drawn the same
way) built by the CLI as ``build`` does (warnings are errors). The test asserts exit
0, every text verbatim in the HTML, the EPUB and the PDF (pdftotext, in reading and in drawn order), the timeline's
alternative text whole in the HTML and the EPUB, and that every data export parses:
JSON, CSV, Moodle XML, GIFT (read back) and the QTI package's XML.

A build takes ~20 s, so ``make test`` builds the recorded regression and
``HOSTILE_BUILDS`` drawn examples (default 2); ``make fuzz`` builds more.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from defusedxml.ElementTree import fromstring as safe_fromstring
from hostile_articles import HostileBook, book, expected_texts, flat, squeezed
from hypothesis import HealthCheck, Phase, example, given, settings
from test_lms import parse_gift

from build_tools.article.seed import parse_seed
from build_tools.chronology.extract import extract_chronology
from build_tools.chronology.page import timeline_alt_text
from build_tools.cli import main

BUILDS = int(os.environ.get("HOSTILE_BUILDS", "2"))

_MEETING = "The Fund #1, the Fund #2, the Fund {3} and the Fund $4 met in 1950."
# the article of the issue (a ' #1' in a dated sentence cut the timeline's alt text and
# failed the PDF build with -W), with what later draws found: a line separator in the
# title (the cover failed on U+2029), bidi marks and Arabic beside Hebrew in a table
# cell (the PDF printed Hebrew in the Arabic font, and the marks as missing glyphs)
ISSUE_BOOK = HostileBook(
    text=(
        "# The Hash & Dollar War #1\u2029 \\input{x}\n\n"
        "The lead says the war began on June 25, 1950 with order #1 costing $5 & 50% {more}.\n\n"
        "## First Chapter #2\n\n### Opening Section $x$\n\n"
        f"{_MEETING}\n\n"
        "On July 4, 1950, troops took hill #1 at 100% strength & a \\cost of {10}.\n\n"
        "On August 1, 1951, the second army reached ridge #2 --> ]]> {{ x }}.\n\n"
        "On March 3, 1952, the river :alt: #3 {% if %} was crossed.\n\n"
        "On May 9, 1953, the talks ended at \u2028 line #4.\n\n"
        "| Side | Troops #3 |\n|------|--------|\n| North | 135,000 & 50% |\n"
        "| بغداد\u202e ירושלים | 98,000 {x} \u200f |\n\n"
        "## Second Chapter\n\n### Closing Section\n\n"
        "On September 15, 1954, the landing at site #3 ended it.\n"
    ),
    terms=tuple(
        {
            "term": name,
            "aliases": [name],
            "category": "concept",
            "native": native,
            "definition": f"A fund #{number} of $5 & 50% {{more}}: \\x.",
            "source": _MEETING,
        }
        for number, (name, native) in enumerate(
            zip(
                ["Fund #1", "Fund #2", "Fund {3}", "Fund $4"],
                ["한국", "北京", "بغداد", "ירושלים"],
                strict=True,
            ),
            start=1,
        )
    ),
    exercise={
        "id": "hostile-choice",
        "kind": "multiple-choice",
        "section": "Opening Section $x$",
        "level": "remember",
        "prompt": "Which hill #1 {was} taken: a \\or b?",
        "options": [
            {"text": text, "correct": n == 0}
            for n, text in enumerate(["hill #1", "ridge ~2", "river = 3", "site :4"])
        ],
        "explanation": "Because of {10} & 100% -> #1.",
        "source": "On July 4, 1950, troops took hill #1 at 100% strength & a \\cost of {10}.",
    },
)


def write_book(root: Path, drawn: HostileBook) -> Path:
    """The article in ``seeds/``, its glossary beside it, its exercise file in ``exercises/``."""
    seed = root / "seeds" / "hostile.md"
    seed.parent.mkdir(parents=True)
    seed.write_text(drawn.text, encoding="utf-8")
    dump = {"allow_unicode": False, "sort_keys": False, "width": 10_000}
    (root / "seeds" / "hostile.glossary.yaml").write_text(
        yaml.safe_dump({"terms": list(drawn.terms)}, **dump), encoding="utf-8"
    )
    chapter = parse_seed(drawn.text).chapters[0]
    folder = root / "exercises" / "hostile"
    folder.mkdir(parents=True)
    (folder / f"01-{chapter.slug}.yaml").write_text(
        yaml.safe_dump({"chapter": chapter.title, "exercises": [drawn.exercise]}, **dump),
        encoding="utf-8",
    )
    return seed


def _html_text(pages: list[str]) -> tuple[str, list[str]]:
    text, alts = [], []
    for page in pages:
        soup = BeautifulSoup(page, "html.parser")
        for hidden in soup.find_all(["script", "style"]):
            hidden.decompose()
        alts += [str(img.get("alt", "")) for img in soup.find_all("img")]
        text.append(soup.get_text())
    return flat("\n".join(text)), alts


_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RTL_RUN = re.compile(f"[{_RTL}]+")
#: a run of right-to-left letters, or of other letters and digits (no underscore)
_PIECE = re.compile(f"[{_RTL}]+|[^\\W_{_RTL}]+")


def _bare(text: str) -> str:
    """PDF text without its combining marks (pdftotext moves them about near a
    right-to-left run), after :func:`squeezed`."""
    return "".join(
        char
        for char in unicodedata.normalize("NFKD", squeezed(text))
        if unicodedata.category(char) != "Mn"
    )


def pdf_pieces(text: str) -> list[str]:
    """What pdftotext gives back in order: the whole text, or, where it holds right-to-left
    letters, each run of right-to-left letters and each run of other letters and digits
    (pdftotext's own bidi pass may move the punctuation and marks next to a
    right-to-left run, and the runs, in its output)."""
    if not _RTL_RUN.search(text):
        return [text]
    return _PIECE.findall(text)


def _loaded(value: object) -> str:
    """A companion file's text as build_tools.util.yamlfile reads it (whitespace collapsed)."""
    return " ".join(str(value).split())


def _pdf_texts(pdf: Path) -> tuple[str, str]:
    """A PDF's text as pdftotext reads it in its two orders, squeezed.

    The default (reading order) moves neutral characters next to a right-to-left run
    ("_war" after Arabic reads "_ ...war"); ``-raw`` (the order drawn) moves combining
    marks there. What is printed appears whole in at least one of them.
    """
    return tuple(  # type: ignore[return-value]
        _bare(
            subprocess.run(
                ["pdftotext", *mode, str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
        for mode in ([], ["-raw"])
    )


def check_book(drawn: HostileBook, root: Path) -> None:
    seed = write_book(root, drawn)
    out = root / "out"
    assert main(["build", "--seed", str(seed), "--out", str(out)]) == 0
    parsed = parse_seed(drawn.text)
    alt = timeline_alt_text(extract_chronology(parsed))
    # companion files' texts as their reader keeps them: whitespace runs (and line
    # separators, which str.split takes for whitespace) as one space
    definitions = {_loaded(term["definition"]) for term in drawn.terms}
    prompt = _loaded(drawn.exercise["prompt"])
    options = [_loaded(option["text"]) for option in drawn.exercise["options"]]  # type: ignore[attr-defined]
    texts = [*expected_texts(parsed), *definitions, prompt, *options]

    html, html_alts = _html_text(
        [page.read_text(encoding="utf-8") for page in sorted((out / "html").rglob("*.html"))]
    )
    with zipfile.ZipFile(out / "epub" / "hostile.epub") as archive:
        epub, epub_alts = _html_text(
            [archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml")]
        )
    printed = _pdf_texts(out / "pdf" / "hostile-teacher.pdf")
    for text in texts:
        assert flat(text) in html, ("html", text)
        assert flat(text) in epub, ("epub", text)
        for piece in pdf_pieces(text):
            assert any(_bare(piece) in mode for mode in printed), ("pdf", piece, text)
    assert alt in html_alts
    sheet = _pdf_texts(out / "worksheets" / "hostile-worksheets.pdf")
    for text in [prompt, *options]:
        for piece in pdf_pieces(text):
            assert any(_bare(piece) in mode for mode in sheet), ("worksheet", piece, text)
    assert alt in epub_alts

    data = out / "data"
    glossary = json.loads((data / "glossary.json").read_text(encoding="utf-8"))
    assert {t["term"] for t in glossary["terms"]} == {t["term"] for t in drawn.terms}
    assert {t["definition"] for t in glossary["terms"]} == definitions
    json.loads((data / "chronology.json").read_text(encoding="utf-8"))
    json.loads((data / "timelinejs.json").read_text(encoding="utf-8"))
    json.loads((data / "exercises.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO((data / "glossary-flashcards.csv").read_text("utf-8"))))
    assert rows[0] == ["term", "definition"]
    assert {row[0] for row in rows[1:]} == {t["term"] for t in drawn.terms}

    lms = out / "lms"
    moodle = safe_fromstring((lms / "hostile-moodle.xml").read_bytes())
    shown = [t.text for t in moodle.iter("text")]
    assert prompt in shown
    questions = parse_gift((lms / "hostile.gift").read_text(encoding="utf-8"))
    choice = next(q for q in questions if q["title"].endswith("1.1"))  # type: ignore[union-attr]
    assert choice["text"] == prompt
    parts = choice["parts"]
    assert isinstance(parts, list)
    assert sorted(body for sign, body in parts if sign in "=~") == sorted(options)
    with zipfile.ZipFile(lms / "hostile-qti.zip") as archive:
        for name in archive.namelist():
            safe_fromstring(archive.read(name))


@settings(
    max_examples=BUILDS,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: a build is ~20 s
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(book())
@example(ISSUE_BOOK)
def test_hostile_books_build_in_every_format(drawn: HostileBook) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check_book(drawn, Path(folder))
