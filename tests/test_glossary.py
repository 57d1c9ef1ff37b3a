"""The glossary: data checks, term links, the page, the exports, and tooltips in a browser."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import write_article
from pytest_regressions.file_regression import FileRegressionFixture

from build_tools.article.model import Article
from build_tools.article.render import render_chapter, render_introduction
from build_tools.article.seed import parse_seed
from build_tools.checks.browser import launch as launch_chromium
from build_tools.cli import main
from build_tools.exports.flashcards import render_anki_deck, render_flashcards_csv
from build_tools.glossary.linking import TermLinker, find_usage
from build_tools.glossary.load import load_glossary
from build_tools.glossary.model import Glossary
from build_tools.glossary.page import render_glossary_json, render_glossary_page
from build_tools.glossary.part import make_glossary_part
from build_tools.pipeline.build import run_build
from build_tools.pipeline.config import BuildConfig
from build_tools.pipeline.inputs import book_info
from build_tools.pipeline.processes import finish, sphinx_command, start
from build_tools.pipeline.render import render_book
from build_tools.util.errors import BuildError

ARTICLE = """# A Small War

The Korean People's Army (KPA) crossed the 38th parallel. The United Nations (UN) condemned the attack.

## First Chapter

The opening mentions Seoul and the KPA.

### Seoul Falls

Seoul fell to the Korean People's Army. Seoul burned; the KPA held Seoul. Seoulites fled.

| Side | Leader |
|---|---|
| South | Syngman Rhee |

### Resolution 376(V) and Korea

Resolution 376(V) followed, and the UN Command landed at Inchon. Text with {raw}`html` \
and <b>bold</b> stays text, as does *Seoul* here.

## Second Chapter

### Inchon

The landing at Inchon surprised the KPA. Read about [Seoul](https://example.org/seoul) later.
"""

# line numbers matter: the checks below name them
GLOSSARY = """terms:
  - term: Korean People's Army
    aliases:
      - Korean People's Army
      - KPA
    category: organisation
    native: 조선인민군
    definition: "North Korea's army. <b>Not bold</b>, {sub}`not a role`, *not emphasis*."
    source: The Korean People's Army (KPA) crossed the 38th parallel
  - term: Seoul
    category: place
    native: 서울
    definition: The capital of South Korea.
    source: Seoul fell to the Korean People's Army
  - term: Syngman Rhee
    aliases: [Syngman Rhee]
    category: person
    native: 이승만
    definition: South Korea's first president.
    source: Syngman Rhee
  - term: United Nations
    aliases: [UN]
    category: organisation
    definition: The world organisation of states, founded in 1945.
    source: The United Nations (UN) condemned the attack
  - term: UN Command
    category: organisation
    definition: The unified command of the UN forces in Korea.
    source: the UN Command landed at Inchon
  - term: Resolution 376(V)
    category: agreement
    definition: The UN resolution of October 1950 on Korea.
    source: Resolution 376(V) followed
  - term: Inchon
    category: place
    native: 인천
    definition: A port city west of Seoul.
    source: The landing at Inchon surprised the KPA
"""
PATH = "small.glossary.yaml"


@pytest.fixture(scope="module")
def article() -> Article:
    return parse_seed(ARTICLE)


@pytest.fixture(scope="module")
def glossary(article: Article) -> Glossary:
    return load_glossary(GLOSSARY, path=PATH, article=article)


def _edit(line: int, new: str | None) -> str:
    """The fixture glossary with one line replaced (or removed, with None)."""
    lines = GLOSSARY.split("\n")
    lines[line - 1 : line] = [] if new is None else [new]
    return "\n".join(lines)


def test_fixture_loads(glossary: Glossary) -> None:
    heads = [term.term for term in glossary.terms]
    assert heads == sorted(heads, key=str.lower)
    kpa = next(term for term in glossary.terms if term.term == "Korean People's Army")
    assert kpa.names == ("Korean People's Army", "KPA")
    assert (kpa.native, kpa.category, kpa.line) == ("조선인민군", "organisation", 2)


LONG = " ".join(["word"] * 61)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(_edit(13, "    definiton: The capital."), 13, "unknown field 'definiton'", id="unknown-field"),
        pytest.param(_edit(14, None), 10, "missing field(s) source", id="missing-field"),
        pytest.param(_edit(11, "    category: city"), 11, "unknown category 'city'", id="category"),
        pytest.param(_edit(14, "    source: Seoul fell to the army"), 14, "source quote of 'Seoul'", id="source"),
        pytest.param(_edit(5, "      - KPAX"), 5, "'KPAX' never occurs", id="alias-missing"),
        pytest.param(_edit(5, "      - kpa"), 5, "'kpa' never occurs", id="alias-case"),
        pytest.param(_edit(16, "    aliases: [Syngman Rhee, Rhe]"), 16, "'Rhe' never occurs", id="not-whole-word"),
        pytest.param(_edit(10, "  - term: Seoulite"), 10, "'Seoulite' never occurs", id="term-missing"),
        pytest.param(_edit(22, "    aliases: [UN, KPA]"), 22, "'KPA' is already a name of the term", id="alias-twice"),
        pytest.param(_edit(26, "  - term: united nations"), 26, "already defined on line 21", id="term-twice"),
        pytest.param(_edit(19, '    definition: ""'), 19, "definition of 'Syngman Rhee' is empty", id="empty"),
        pytest.param(_edit(19, f"    definition: {LONG}"), 19, "has 61 words", id="too-long"),
        pytest.param(_edit(16, '    aliases: [Syngman Rhee, "Rhee`s"]'), 16, "contains '`'", id="backtick"),
        pytest.param(_edit(16, '    aliases: [Syngman Rhee, "<Rhee>"]'), 16, "contains '<'", id="angle"),
        pytest.param(_edit(13, "    definition: [a, b]"), 13, "must be text", id="not-text"),
        pytest.param(_edit(11, "   category: place"), 11, "not valid YAML", id="yaml"),
        pytest.param("- term: Seoul\n", 1, "expected a mapping", id="no-terms-key"),
    ],
)  # fmt: skip
def test_bad_data_names_file_and_line(article: Article, text: str, line: int, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        load_glossary(text, path=PATH, article=article)
    assert (caught.value.path, caught.value.line) == (PATH, line), caught.value
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{PATH}:{line}: ")


def test_bad_data_stops_the_build_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = write_article(tmp_path, ARTICLE, name="war.md")
    (tmp_path / "war.glossary.yaml").write_text(_edit(11, "    category: city"), encoding="utf-8")
    assert main(["build", "--seed", str(seed), "--out", str(tmp_path / "o")]) == 2
    assert "war.glossary.yaml:11: unknown category 'city'" in capsys.readouterr().err


# -- linking ------------------------------------------------------------------------


def _pages(article: Article, linker: TermLinker) -> dict[str, str]:
    pages = {"introduction": render_introduction(article, text=linker.text_for("introduction"))}
    for chapter in article.chapters:
        pages[chapter.slug] = render_chapter(chapter, text_for=linker.text_for)
    return pages


def _sections(page: str) -> list[str]:
    return re.split(r"\n\(sec-[^)]*\)=\n", page)


def test_first_occurrence_in_each_section(article: Article, glossary: Glossary) -> None:
    pages = _pages(article, TermLinker(glossary))
    intro = pages["introduction"]
    assert "The {term}`Korean People's Army <Korean People's Army>` (KPA) crossed" in intro
    assert intro.count("{term}") == 2  # KPA once (not again as "KPA"), UN
    opening, falls, resolution = _sections(pages["first-chapter"])
    assert opening.count("{term}`Seoul <Seoul>`") == 1
    # once per section, again in the next section, never in a word ("Seoulites")
    assert falls.count("{term}`Seoul <Seoul>`") == 1
    assert "Seoul burned" in falls
    assert "Seoulites fled" in falls
    # table cells get links too
    assert "| South | {term}`Syngman Rhee <Syngman Rhee>` |" in falls
    # inside emphasis
    assert "*{term}`Seoul <Seoul>`*" in resolution


def test_longest_name_wins(article: Article, glossary: Glossary) -> None:
    resolution = _sections(_pages(article, TermLinker(glossary))["first-chapter"])[2]
    assert "the {term}`UN Command <UN Command>` landed" in resolution
    assert "<United Nations>" not in resolution


def test_never_in_headings_or_links(article: Article, glossary: Glossary) -> None:
    pages = _pages(article, TermLinker(glossary))
    for page in pages.values():
        for line in page.splitlines():
            if line.startswith("#"):
                assert "{term}" not in line, line
    second = pages["second-chapter"]
    assert "# Inchon\n" in second
    assert "at {term}`Inchon <Inchon>` surprised" in second
    assert "[Seoul](<https://example.org/seoul>)" in second
    assert "<Seoul>" not in second


def test_text_around_links_is_escaped(article: Article, glossary: Glossary) -> None:
    resolution = _sections(_pages(article, TermLinker(glossary))["first-chapter"])[2]
    assert "{term}`Resolution 376(V) <Resolution 376(V)>` followed" in resolution
    assert "\\{raw\\}`html` and \\<b\\>bold\\</b\\>" in resolution  # `html` is code
    assert "# Resolution 376(V) and Korea" in resolution  # the heading stays plain


def test_escape_of_role_text() -> None:
    small = parse_seed("# T\n\n## C\n\nThe A\\B side won.\n")
    data = (
        "terms:\n  - {term: A\\B, category: concept, definition: A side., source: The A\\B side}\n"
    )
    linker = TermLinker(load_glossary(data, path=PATH, article=small))
    # a role's content is literal (MyST does not unescape it): no doubled backslash
    assert linker.text_for("x")("The A\\B side") == "The {term}`A\\B <A\\B>` side"


def test_links_counted_and_usage(article: Article, glossary: Glossary) -> None:
    linker = TermLinker(glossary)
    made = sum(page.count("{term}") for page in _pages(article, linker).values())
    usage = {entry.term: entry for entry in find_usage(glossary, article)}
    assert made == linker.links == sum(len(entry.parts) for entry in usage.values()) == 13
    assert [p.title for p in usage["Korean People's Army"].chapters] == [
        "Introduction",
        "First Chapter",
        "Second Chapter",
    ]
    assert [p.title for p in usage["Seoul"].chapters] == ["First Chapter"]  # not via a link
    assert usage["United Nations"].parts == ("introduction",)


# -- page and exports ------------------------------------------------------------------


def test_glossary_page_snapshot(
    article: Article, glossary: Glossary, file_regression: FileRegressionFixture
) -> None:
    page = render_glossary_page(glossary, find_usage(glossary, article))
    assert "\\<b\\>Not bold\\</b\\>, \\{sub\\}\\`not a role\\`, \\*not emphasis\\*" in page
    file_regression.check(page, extension=".md")


def test_exports_parse_back(article: Article, glossary: Glossary) -> None:
    usage = find_usage(glossary, article)
    data = json.loads(render_glossary_json(glossary, usage, title="A Small War"))
    assert data["book"] == "A Small War"
    assert [entry["term"] for entry in data["terms"]] == [t.term for t in glossary.terms]
    seoul = next(entry for entry in data["terms"] if entry["term"] == "Seoul")
    assert seoul == {
        "term": "Seoul",
        "aliases": [],
        "category": "place",
        "native": "서울",
        "definition": "The capital of South Korea.",
        "source": "Seoul fell to the Korean People's Army",
        "draft": False,
        "chapters": ["First Chapter"],
    }
    rows = list(csv.reader(io.StringIO(render_flashcards_csv(glossary))))
    assert rows[0] == ["term", "definition"]
    assert rows[1:] == [[t.term, t.definition] for t in glossary.terms]


def test_anki_deck(tmp_path: Path, article: Article, glossary: Glossary) -> None:
    usage = find_usage(glossary, article)
    deck = render_anki_deck(glossary, usage, slug="war", title="A Small War", timestamp=1.7e9)
    again = render_anki_deck(glossary, usage, slug="war", title="A Small War", timestamp=1.7e9)
    assert deck == again  # deterministic
    with zipfile.ZipFile(io.BytesIO(deck)) as package:
        assert package.namelist() == ["collection.anki2", "media"]
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = connection.execute("SELECT flds, tags FROM notes").fetchall()
        cards = connection.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        connection.close()
    assert len(notes) == cards == len(glossary.terms)
    fields = {flds.split("\x1f")[0]: (flds.split("\x1f"), tags.split()) for flds, tags in notes}
    kpa_fields, kpa_tags = fields["Korean People&#x27;s Army"]
    assert kpa_fields[2].startswith("North Korea&#x27;s army. &lt;b&gt;Not bold&lt;/b&gt;")
    assert set(kpa_tags) == {"first-chapter", "introduction", "organisation", "second-chapter"}


def test_render_book_with_and_without_glossary(tmp_path: Path) -> None:
    seed = write_article(tmp_path, ARTICLE, name="war.md")
    config = BuildConfig(seed=seed, out=tmp_path / "o")
    article = parse_seed(ARTICLE)
    info = book_info(config, article, seed.read_bytes())
    # `terms: []` says the book has no glossary: none is drafted for it
    (tmp_path / "war.glossary.yaml").write_text("terms: []\n", encoding="utf-8")
    plain = render_book(config, article, info)
    assert "_generated/glossary.md" not in plain.pages
    assert plain.summary[0].startswith("glossary: none (")
    # (the exercises are drafted without exercise files: their exports are not the glossary's)
    assert not [name for name in plain.exports if name.startswith("glossary")]
    (tmp_path / "war.glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    rendered = render_book(config, article, info)
    assert str(rendered.pages["_generated/glossary.md"]).startswith("(glossary)=\n# Glossary")
    assert rendered.back[0] == "glossary"
    assert rendered.back.index("glossary") < rendered.back.index("teacher")
    glossary_exports = sorted(name for name in rendered.exports if name.startswith("glossary"))
    assert glossary_exports == ["glossary-flashcards.csv", "glossary.apkg", "glossary.json"]
    assert rendered.summary[0] == "glossary: 7 terms, 13 links"
    assert "{term}`Inchon <Inchon>`" in str(rendered.pages["_generated/02-second-chapter.md"])


def test_never_linked_term_is_a_warning(article: Article) -> None:
    data = GLOSSARY + (
        "  - term: Command\n"
        "    category: concept\n"
        "    definition: An order.\n"
        "    source: the UN Command landed\n"
    )
    part = make_glossary_part(data, path=PATH, article=article, title="A Small War")
    assert part.warnings == (
        (
            f"{PATH}:39: the term 'Command' is never linked: it only occurs as part of a "
            "longer term's name (e.g. 'UN Command') or outside the running text"
        ),
    )


# -- the built book: HTML in a real browser, LaTeX index entries --------------------------


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture article and glossary built as HTML."""
    folder = tmp_path_factory.mktemp("glossary-book")
    seed = write_article(folder, ARTICLE, name="war.md")
    (folder / "war.glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    run_build(BuildConfig(seed=seed, out=folder / "out", formats=("html",)))
    return folder / "out"


def test_html_glossary_page_and_downloads(small_book: Path) -> None:
    html = small_book / "html"
    soup = BeautifulSoup((html / "_generated" / "glossary.html").read_text(), "html.parser")
    for anchor in soup.select("a.headerlink"):
        anchor.decompose()
    terms = [dt.get_text(" ", strip=True) for dt in soup.select("dl.glossary dt")]
    assert len(terms) == 7
    assert "Resolution 376(V)" in terms
    text = soup.get_text(" ")
    assert "<b>Not bold</b>, {sub}`not a role`, *not emphasis*." in text
    for link in soup.select(".glossary-downloads a.download-link"):
        target = (html / "_generated" / str(link["href"])).resolve()
        assert target.read_bytes() == (small_book / "data" / target.name).read_bytes()
    chapter = BeautifulSoup(
        (html / "_generated" / "01-first-chapter.html").read_text(), "html.parser"
    )
    titles = {a.get_text(): a["title"] for a in chapter.select("a.glossary-term")}
    assert titles["Syngman Rhee"] == "South Korea's first president."
    assert titles["Resolution 376(V)"] == "The UN resolution of October 1950 on Korea."


def test_latex_index_entry_at_every_term_link(small_book: Path, tmp_path: Path) -> None:
    srcdir = next((small_book / ".work").glob("src*/conf.py")).parent
    command = sphinx_command("latex", srcdir, tmp_path / "latex", tmp_path / "doctrees")
    result = finish(start(command))
    assert result.ok, result.output
    tex = (tmp_path / "latex" / "war.tex").read_text()
    seoul = re.findall(r"\\index\{Seoul@\\spxentry\{Seoul\}(\|spxpagem)?\}", tex)
    assert seoul.count("|spxpagem") == 1  # where it is defined
    assert len(seoul) == 1 + 3  # and where it is linked: 3 parts
    assert "\\sphinxlineitem{Seoul\\index" not in tex  # not in the term's label


@pytest.mark.browser
def test_tooltip_in_chromium(small_book: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_url = (small_book / "html" / "_generated" / "01-first-chapter.html").as_uri()
    shots = small_book / "screenshots"
    shots.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.goto(page_url)
            tooltip = page.locator("#glossary-tooltip")
            # hover: the definition shows, linked to the term
            rhee = page.locator("a.glossary-term", has_text="Syngman Rhee")
            rhee.hover()
            tooltip.wait_for(state="visible")
            assert tooltip.inner_text() == "South Korea's first president."
            assert tooltip.get_attribute("role") == "tooltip"
            assert rhee.get_attribute("aria-describedby") == "glossary-tooltip"
            assert rhee.get_attribute("title") is None  # no second, native tooltip
            page.screenshot(path=str(shots / "glossary-tooltip.png"))
            shutil.copy(shots / "glossary-tooltip.png", "/tmp/glossary-tooltip.png")
            page.keyboard.press("Escape")
            tooltip.wait_for(state="hidden")
            page.mouse.move(0, 0)
            # keyboard: Tab from the chapter's title to the first term link
            page.locator("main h1").first.evaluate("h => { h.tabIndex = -1; h.focus(); }")
            for _ in range(20):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.classList.contains('glossary-term')"):
                    break
            focused = page.evaluate("document.activeElement.textContent")
            assert focused == "Seoul"
            tooltip.wait_for(state="visible")
            assert tooltip.inner_text() == "The capital of South Korea."
            page.keyboard.press("Escape")
            tooltip.wait_for(state="hidden")
            # a phone: the tooltip stays on the screen
            phone = browser.new_page(viewport={"width": 375, "height": 700})
            phone.goto(page_url)
            phone.locator("a.glossary-term", has_text="Korean People's Army").first.hover()
            phone.locator("#glossary-tooltip").wait_for(state="visible")
            box = phone.locator("#glossary-tooltip").bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 375
            assert "<b>Not bold</b>" in phone.locator("#glossary-tooltip").inner_text()
            phone.screenshot(path=str(shots / "glossary-tooltip-375.png"))
        finally:
            browser.close()


def test_seed_glossary_is_valid(seed_text: str) -> None:
    from conftest import SEED

    article = parse_seed(seed_text)
    text = SEED.with_name("korean-war.glossary.yaml").read_text(encoding="utf-8")
    glossary = load_glossary(text, path="korean-war.glossary.yaml", article=article)
    assert len(glossary.terms) >= 80
    assert {term.category for term in glossary.terms} == {
        "person",
        "place",
        "organisation",
        "operation",
        "agreement",
        "concept",
    }
