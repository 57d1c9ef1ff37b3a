"""Glossary drafting: candidates, aliases, definitions, the recall on the seed, ``draft``, the build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import write_article

from build_tools.article.model import Article
from build_tools.article.seed import parse_seed
from build_tools.cli import main
from build_tools.glossary.draft import draft_glossary, draft_terms, quote
from build_tools.glossary.linking import find_usage
from build_tools.glossary.load import MAX_DEFINITION_WORDS, load_glossary
from build_tools.glossary.model import Glossary, whole_word
from build_tools.glossary.page import render_glossary_page
from build_tools.pipeline.drafts import draft_path
from build_tools.util.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "korean-war.md"
FIXTURES = ROOT / "tests" / "fixtures"
ARTICLES = [SEED, FIXTURES / "berlin-airlift.md", FIXTURES / "crimean-war.md"]
#: The hand-made glossary's terms the draft of the seed finds (a term counts as found when a
#: drafted term shares its headword or an alias); measured when the drafter was written.
RECALL_FLOOR = 70

SMALL = """# A Small War

The Korean People's Army (KPA) crossed the border in June. General Douglas MacArthur, the
commander of the United Nations Command (UNC), landed at Inchon in September.

## The Fighting

### The Landing

The landing at Inchon cut the supply lines of the KPA. MacArthur then advanced to the north,
where the UNC met the Chinese army near the Yalu River.

### The Retreat

In December the UNC retreated from the Yalu. President Harry S. Truman dismissed MacArthur in
April, after MacArthur had asked for a wider war.
"""


def _read(path: Path) -> Article:
    return parse_seed(path.read_text(encoding="utf-8"), source=str(path))


@pytest.fixture(scope="module", params=ARTICLES, ids=lambda p: p.stem)
def drafted(request: pytest.FixtureRequest) -> tuple[Article, str, Glossary]:
    """An article, the text of its drafted glossary, and that text loaded by the build's loader."""
    article = _read(request.param)
    text = draft_glossary(article)
    return article, text, load_glossary(text, path="drafted.yaml", article=article)


# -- the drafter on its own -------------------------------------------------------------------


def test_acronym_expansion_and_surname_aliases() -> None:
    terms = {term.term: term for term in draft_terms(parse_seed(SMALL))}
    kpa = terms["Korean People's Army"]
    assert kpa.aliases == ("Korean People's Army", "KPA")
    assert kpa.category == "organisation"
    assert terms["United Nations Command"].aliases == ("United Nations Command", "UNC")
    macarthur = terms["Douglas MacArthur"]
    assert macarthur.category == "person"
    assert "MacArthur" in macarthur.aliases
    assert terms["Yalu River"].category == "place"
    assert "Yalu" in terms["Yalu River"].aliases
    assert all(term.draft for term in terms.values())


def test_definition_is_the_defining_sentence() -> None:
    terms = {term.term: term for term in draft_terms(parse_seed(SMALL))}
    macarthur = terms["Douglas MacArthur"]
    assert macarthur.source.startswith("General Douglas MacArthur, the commander")
    assert macarthur.definition == macarthur.source


def test_drafted_file_passes_the_load_checks(drafted: tuple[Article, str, Glossary]) -> None:
    article, text, glossary = drafted
    assert 20 <= len(glossary.terms) <= 100
    assert all(term.draft for term in glossary.terms)
    assert text.count("\n    draft: true\n") == len(glossary.terms)
    texts = "\n".join(
        [p.text for _, _, p in article.paragraphs()]
        + [cell for table in article.tables for row in table.rows for cell in row]
        + [c.title for c in article.chapters]
        + [s.title for c in article.chapters for s in c.sections]
    )
    owners: dict[str, str] = {}
    for term in glossary.terms:
        assert term.term in term.aliases
        for alias in term.aliases:  # exactly as the article spells it, in one term only
            assert whole_word(alias).search(texts), alias
            assert owners.setdefault(alias, term.term) == term.term
        assert 4 <= len(term.definition.split()) <= MAX_DEFINITION_WORDS
        # the definition is the quoted source, with its cuts marked
        assert term.definition.strip("… ") == term.source


def test_drafted_terms_read_sensibly(drafted: tuple[Article, str, Glossary]) -> None:
    article, _, glossary = drafted
    heads = {term.term for term in glossary.terms}
    assert article.title not in heads  # the book's subject is no term of it
    by_category = {term.category for term in glossary.terms}
    assert {"person", "place", "organisation"} <= by_category
    for term in glossary.terms:
        assert not term.term[0].islower() or term.category == "concept"
        assert not term.term.endswith(("'s", "’s", ".", ","))


def test_same_article_same_bytes() -> None:
    """The same bytes in two processes with different string hashing (set orders)."""
    code = (
        "import sys; from pathlib import Path; from build_tools.article.seed import parse_seed; "
        "from build_tools.glossary.draft import draft_glossary; p = Path(sys.argv[1]); "
        "sys.stdout.write(draft_glossary(parse_seed(p.read_text('utf-8'), source=p.name)))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(FIXTURES / "crimean-war.md")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
            cwd=ROOT,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    article = _read(FIXTURES / "crimean-war.md")
    assert outputs == {draft_glossary(article).encode("utf-8")}


def test_page_says_where_definitions_come_from() -> None:
    article = _read(FIXTURES / "crimean-war.md")
    text = draft_glossary(article)
    drafted = load_glossary(text, path="g.yaml", article=article)
    quoted = render_glossary_page(drafted, find_usage(drafted, article))
    assert "explained in the article's own words" in quoted
    assert "*quoted from the article*" not in quoted  # all drafts: no mark on each
    # a teacher has read one entry: the others are marked on the page
    mixed = load_glossary(text.replace("    draft: true\n", "", 1), path="g.yaml", article=article)
    page = render_glossary_page(mixed, find_usage(mixed, article))
    assert "or, where marked *quoted from the article*" in page
    assert page.count("· *quoted from the article*") == len(mixed.terms) - 1


def test_recall_of_the_hand_made_glossary() -> None:
    drafted = load_glossary(draft_glossary(_read(SEED)), path="drafted.yaml", article=_read(SEED))
    names = {name for term in drafted.terms for name in term.names}
    hand = yaml.safe_load(SEED.with_name("korean-war.glossary.yaml").read_text("utf-8"))["terms"]
    found = [entry for entry in hand if {entry["term"], *entry.get("aliases", [])} & names]
    assert len(found) >= RECALL_FLOOR, [e["term"] for e in hand if e not in found]
    assert len(drafted.terms) <= 100


@pytest.mark.parametrize(
    "text", ["plain", 'a "quote" and \\ backslash', "line\u2028separator", "bell\x07", "ünï ōk"]
)
def test_quote_is_read_back_exactly(text: str) -> None:
    assert yaml.safe_load(f"value: {quote(text)}\n") == {"value": text}


def test_an_article_with_nothing_to_draft() -> None:
    article = parse_seed(
        "# Title\n\nA lead without names.\n\n## One\n\nit rained, then it snowed.\n"
    )
    assert draft_terms(article) == ()
    with pytest.raises(BuildError, match="cannot draft a glossary"):
        draft_glossary(article)


# -- `python -m build_tools draft` ------------------------------------------------------------


def test_draft_writes_missing_files_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = tmp_path / "seeds" / "berlin-airlift.md"
    seed.parent.mkdir()
    shutil.copy(FIXTURES / "berlin-airlift.md", seed)
    assert main(["draft", "--seed", str(seed)]) == 0
    glossary = seed.with_name("berlin-airlift.glossary.yaml")
    book = seed.with_name("berlin-airlift.book.yaml")
    assert "wrote" in capsys.readouterr().out
    loaded = load_glossary(glossary.read_text("utf-8"), path=str(glossary), article=_read(seed))
    assert loaded.terms and all(term.draft for term in loaded.terms)
    assert yaml.safe_load(book.read_text("utf-8")) is None  # every field commented
    # a person edits the glossary (keeps two terms); the second run keeps their file
    data = yaml.safe_load(glossary.read_text("utf-8"))
    data["terms"] = data["terms"][:2]
    edited = yaml.safe_dump(data, allow_unicode=True)
    glossary.write_text(edited, encoding="utf-8")
    assert main(["draft", "--seed", str(seed)]) == 0
    out = capsys.readouterr().out
    assert glossary.read_text("utf-8") == edited
    beside = draft_path(glossary)
    assert beside.name == "berlin-airlift.glossary.draft.yaml"
    assert beside.exists() and draft_path(book).exists()
    assert f"the draft adds {len(loaded.terms) - 2} terms not in the existing file" in out
    # the build reads the person's file, not the draft beside it
    assert len(load_glossary(edited, path="g.yaml", article=_read(seed)).terms) == 2


def test_draft_of_a_missing_article_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["draft", "--seed", str(tmp_path / "none.md")]) == 2
    err = capsys.readouterr().err
    assert "none.md: file not found" in err
    assert "Nothing was written." in err
    assert list(tmp_path.iterdir()) == []


def test_draft_of_a_bad_article_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = write_article(tmp_path, "# Title\n\n- a list is not supported\n", name="bad.md")
    assert main(["draft", "--seed", str(seed)]) == 2
    assert f"{seed.name}:3" in capsys.readouterr().err.replace(str(tmp_path) + os.sep, "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.md"]


# -- the build of a bare article --------------------------------------------------------------


def test_bare_article_builds_with_a_drafted_glossary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = tmp_path / "crimean-war.md"
    shutil.copy(FIXTURES / "crimean-war.md", seed)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "out"
    assert main(["build", "--seed", str(seed), "--out", str(out), "--formats", "html"]) == 0
    printed = capsys.readouterr().out
    assert "(drafted: no " in printed and "crimean-war.glossary.yaml" in printed
    assert not seed.with_name("crimean-war.glossary.yaml").exists()  # drafted in memory only
    html = out / "html" / "_generated"
    page = BeautifulSoup((html / "glossary.html").read_text("utf-8"), "html.parser")
    assert "quoted from the text" in page.get_text(" ")
    terms = page.select("dl.glossary dt")
    assert len(terms) >= 20
    chapter = BeautifulSoup((html / "01-causes-of-the-war.html").read_text("utf-8"), "html.parser")
    links = chapter.select("a.glossary-term")
    assert links and all("glossary.html#term-" in str(a["href"]) for a in links)
    assert all(a.get("title") for a in links)  # the tooltip: the drafted definition
    data = (out / "data" / "glossary.json").read_text("utf-8")
    assert '"draft": true' in data
