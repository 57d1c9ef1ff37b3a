"""The chronology stage: dates in prose, overrides, disagreements, page, JSON and figure."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from build_tools.article.model import Article, Chapter, Inline, Paragraph, Section
from build_tools.article.seed import parse_seed
from build_tools.chronology.disagreements import render_chronology_report
from build_tools.chronology.exports import chronology_json, timelinejs_json
from build_tools.chronology.extract import extract_chronology
from build_tools.chronology.model import (
    ChronologyResult,
    Event,
    WarSpan,
    format_date,
    format_event_date,
    key_events,
    period_of,
)
from build_tools.chronology.overrides import apply_overrides, load_overrides
from build_tools.chronology.page import escape_myst, render_chronology_page, timeline_alt_text
from build_tools.chronology.sentences import split_sentences
from build_tools.figures.timeline import draw_timeline
from build_tools.util.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "korean-war.md"
OVERRIDES = ROOT / "seeds" / "korean-war.chronology.yaml"
HANDMADE = Path(__file__).parent / "data" / "chronology-handmade.yaml"


@pytest.fixture(scope="module")
def article() -> Article:
    return parse_seed(SEED.read_text(encoding="utf-8"), source="seeds/korean-war.md")


@pytest.fixture(scope="module")
def edited(article: Article) -> ChronologyResult:
    overrides = load_overrides(
        OVERRIDES.read_text(encoding="utf-8"), path="seeds/korean-war.chronology.yaml"
    )
    return extract_chronology(article, overrides=overrides)


def chronology(body: str, *, lead: str = "A lead without dates.") -> ChronologyResult:
    """Extract the chronology of a tiny article whose one section holds ``body``."""
    heading = "### Events" if not body.startswith("###") else ""
    text = f"# Tiny\n\n{lead}\n\n## Chapter\n\n{heading}\n\n{body}\n"
    return extract_chronology(parse_seed(text, source="tiny.md"))


def dates(result: ChronologyResult) -> list[tuple[str, str | None]]:
    return [(event.date, event.end_date) for event in result.events]


# -- recall and precision on the real article ---------------------------------------------------


def test_recall_and_precision_against_the_hand_made_list(article: Article) -> None:
    hand = yaml.safe_load(HANDMADE.read_text(encoding="utf-8"))
    assert len(hand) >= 40
    expected = Counter((item["line"], str(item["date"])) for item in hand)
    result = extract_chronology(article)
    found = Counter((event.line, event.date) for event in result.events)
    matched = sum((expected & found).values())
    recall = matched / sum(expected.values())
    precision = matched / sum(found.values())
    print(f"chronology: recall {recall:.3f}, precision {precision:.3f} ({matched} matched, "
          f"{sum(expected.values())} by hand, {sum(found.values())} extracted)")  # fmt: skip
    print("missed:", sorted((expected - found).elements()))
    print("extra:", sorted((found - expected).elements()))
    assert recall >= 0.9
    assert precision >= 0.85
    # no event in the wrong year: an extra on a hand-listed line must not be a
    # hand-listed date with another year
    for line, date in (found - expected).elements():
        for hand_line, hand_date in expected:
            if hand_line == line and hand_date[4:] == date[4:] and len(date) > 4:
                assert hand_date[:4] == date[:4], f"line {line}: {date} is in the wrong year"
    for event in result.events:
        assert 1900 <= int(event.date[:4]) <= 2030


def test_every_override_of_the_real_file_applies(edited: ChronologyResult) -> None:
    assert sum(event.edited for event in edited.events) >= 25
    assert all(len(event.label.split()) <= 12 for event in edited.events)
    invasion = next(e for e in edited.events if e.label == "North Korea invades the South")
    assert invasion.date == "1950-06-25"
    assert len(invasion.told_also) >= 7


def test_the_report_finds_the_articles_date_disagreements(edited: ChronologyResult) -> None:
    report = render_chronology_report(edited)
    found = {d.subject: {e.date for e in d.tellings} for d in edited.disagreements}
    resolution = next(v for k, v in found.items() if "Resolution 83" in k or "help the South" in k)
    assert {"1950-06-25", "1950-06-27"} <= resolution
    assert {"1950-12-26", "1951-01"} <= found["Ridgway takes command of the Eighth Army"]
    assert {"1950-01-30", "1950-04-08"} <= found["Stalin gives Kim the go-ahead"]
    assert {"1950-10-19", "1950-10"} <= found["Chinese troops cross into Korea"]
    assert {"1947", "1948"} <= found["Land reform begins in the South"]
    for line in (65, 230, 107, 159, 212, 57, 222, 5, 25, 276):
        assert f"line {line}," in report
    assert "line 143: 'July 5': no year" in report  # a doubtful date
    print(report)


def test_the_automatic_rule_finds_the_resolution_83_disagreement(article: Article) -> None:
    result = extract_chronology(article)
    subjects = [d for d in result.disagreements if "resolution 83" in d.shared]
    assert subjects
    assert {e.line for e in subjects[0].tellings} >= {65, 230}


# -- one case per date form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The army attacked on June 25, 1950, at dawn.", [("1950-06-25", None)]),
        ("Ridgway launched it on 25 January 1951.", [("1951-01-25", None)]),
        ("Mao gave the order in March 1949.", [("1949-03", None)]),
        ("The conference met in December 1945 in Moscow.", [("1945-12", None)]),
        ("The battle ran from August 18 to September 5, 1951.", [("1951-08-18", "1951-09-05")]),
        ("They met from April 8 to 25, 1950, in secret.", [("1950-04-08", "1950-04-25")]),
        ("Refugees died on July 26–29, 1950, near the bridge.", [("1950-07-26", "1950-07-29")]),
        ("The visit took place in March-April 1950.", [("1950-03", "1950-04")]),
        ("The offensives failed in May and June 1951.", [("1951-05", "1951-06")]),
        ("The commission sat (May 1946–May 1947) without result.", [("1946-05", "1947-05")]),
        ("The war (1950–1953) was fought in Korea.", [("1950", "1953")]),
        ("Bombers flew from 1950 to 1953 over the north.", [("1950", "1953")]),
        ("Japan annexed Korea in 1910.", [("1910", None)]),
        ("The Korean Workers' Party was founded by 1949.", [("1949", None)]),
        ("Korea had been a protectorate since 1905.", [("1905", None)]),
        ("Efforts failed at the 1954 Geneva Conference.", [("1954", None)]),
        ("The Truman Doctrine of 1947 set the policy.", [("1947", None)]),
        ("The March 1st Movement of 1919 was a protest.", [("1919-03-01", None)]),
        ("Executions went on in the summer of 1950.", [("1950", None)]),
    ],
)
def test_date_forms(body: str, expected: list[tuple[str, str | None]]) -> None:
    result = chronology(body)
    assert dates(result) == expected
    assert not result.doubtful


@pytest.mark.parametrize(
    ("body", "date", "qualifier"),
    [
        ("Preparations were complete by mid-1950.", "1950", "mid"),
        ("Chinese forces intervened in late October 1950.", "1950-10", "late"),
        ("Support waned by early 1951.", "1951", "early"),
        ("Kim was installed in late 1945.", "1945", "late"),
        ("The front collapsed by the end of 1950.", "1950", "late"),
    ],
)
def test_qualifiers_keep_their_precision(body: str, date: str, qualifier: str) -> None:
    (event,) = chronology(body).events
    assert (event.date, event.qualifier) == (date, qualifier)
    assert event.precision == ("month" if "-" in date else "year")


def test_a_day_without_year_takes_the_nearest_full_date_of_its_paragraph() -> None:
    result = chronology(
        "Ripper began on 7 March 1951. Seoul was retaken by 14 March, after heavy fire."
    )
    retaken = result.events[-1]
    assert (retaken.date, retaken.relation, retaken.year_from) == ("1951-03-14", "by", "paragraph")
    assert format_event_date(retaken) == "by 14 March 1951"


def test_a_day_without_year_takes_the_year_of_the_section_heading() -> None:
    result = chronology("### Advance (October–December 1950)\n\nThe army moved on November 27.")
    (event,) = result.events
    assert (event.date, event.year_from) == ("1950-11-27", "heading")


def test_a_range_without_year_takes_the_year_from_context() -> None:
    result = chronology(
        "Peng attacked on November 25, 1950. The withdrawal lasted from November 27 to "
        "December 13, under fire."
    )
    assert dates(result)[-1] == ("1950-11-27", "1950-12-13")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("### Talks (1951–1953)\n\nThe delegates met again on June 10.", "several years"),
        ("The first unit arrived on July 5 from Japan.", "none in the heading"),
        ("The front broke on December 20, 1950. Talks began on January 5.", "may be 1950 or 1951"),
        ("Protests peaked in the 1990s famine.", "decade"),
    ],
)
def test_doubtful_dates_are_reported_not_guessed(body: str, reason: str) -> None:
    result = chronology(body)
    assert result.doubtful, dates(result)
    assert reason in result.doubtful[-1].reason
    assert result.doubtful[-1].line > 1


@pytest.mark.parametrize(
    "body",
    [
        "The North's GDP per capita was around $1,100 in 2023.",
        "Spending tripled from $13 billion in 1950 to over $50 billion by 1953.",
        "The army had 1,950 tanks and 2,000 guns.",
        "Restraint post-1953 avoided a wider war.",
        "A force of 1950 men marched north.",
        "Soviet forces shot down 1,106 aircraft.",
        "They may return when March winds blow.",
    ],
)
def test_numbers_and_figures_are_not_events(body: str) -> None:
    result = chronology(body)
    assert result.events == ()


def test_heading_periods_become_phases_not_statements() -> None:
    result = chronology("### Postwar Division (1945–1948)\n\nNothing dated here.")
    (phase,) = result.phases
    assert (phase.date, phase.end_date, phase.kind) == ("1945", "1948", "phase")
    assert phase.label == "Postwar Division"
    assert result.events == ()


def test_hand_built_models_work_without_the_parser() -> None:
    section = Section(
        "Landing (September 1950)",
        "sec-landing",
        5,
        (Paragraph((Inline("text", "Marines landed on September 15 at dawn."),), 7),),
    )
    chapter = Chapter(1, "War", "ch-war", 3, (), (section,), slug="war")
    article = Article("Tiny", (), (chapter,))
    (event,) = extract_chronology(article).events
    assert (event.date, event.line, event.section_label, event.docname) == (
        "1950-09-15",
        7,
        "sec-landing",
        "01-war",
    )


def test_lead_events_link_to_the_chapter_less_introduction() -> None:
    result = chronology("Nothing.", lead="The war began on June 25, 1950, at dawn.")
    (event,) = result.events
    assert (event.chapter, event.section_label, event.docname) == (None, None, "introduction")


def test_sentences_do_not_end_at_initials_or_acronyms() -> None:
    text = "Harry S. Truman and the U.S. Army met Gen. Hodge. Then they left."
    assert [s for _, s in split_sentences(text)] == [
        "Harry S. Truman and the U.S. Army met Gen. Hodge.",
        "Then they left.",
    ]


def test_labels_are_the_clause_around_the_date() -> None:
    result = chronology(
        "Japan formally annexed Korea on August 22, 1910, via a treaty that dissolved the "
        "empire. On 25 January 1951, Ridgway launched Operation Thunderbolt, a limited "
        "offensive."
    )
    assert [e.label for e in result.events] == [
        "Japan formally annexed Korea",
        "Ridgway launched Operation Thunderbolt",
    ]


# -- overrides ----------------------------------------------------------------------------------

BODY = (
    "The army crossed the river on June 25, 1950, at dawn. Stalin sent a telegram on "
    "January 30, 1950, to Kim.\n\nMuch later the army crossed the river on June 27, 1950, "
    "at night."
)


def test_an_override_relabels_an_event() -> None:
    overrides = load_overrides("- {line: 9, date: 1950-06-25, label: The invasion}", path="o.yaml")
    result = apply_overrides(chronology(BODY), overrides)
    event = next(e for e in result.events if e.date == "1950-06-25")
    assert (event.label, event.edited, event.key) == ("The invasion", True, True)
    assert key_events(result) == [event]


def test_an_override_drops_an_event() -> None:
    overrides = load_overrides("- {match: sent a telegram, drop: true}", path="o.yaml")
    result = apply_overrides(chronology(BODY), overrides)
    assert "1950-01-30" not in [e.date for e in result.events]
    assert [e.date for e in result.dropped] == ["1950-01-30"]


def test_a_merge_lists_both_places_and_shows_the_disagreement() -> None:
    text = """
- id: crossing
  line: 9
  date: 1950-06-25
  label: The army crosses the river
- line: 11
  date: 1950-06-27
  merge_into: crossing
"""
    overrides = load_overrides(text, path="o.yaml")
    tiny = f"# Tiny\n\nA lead.\n\n## Chapter\n\n### Events\n\n{BODY}\n"
    result = extract_chronology(parse_seed(tiny, source="tiny.md"), overrides=overrides)
    crossing = next(e for e in result.events if e.label == "The army crosses the river")
    assert [e.line for e in crossing.told_also] == [11]
    (disagreement,) = result.disagreements
    assert [e.date for e in disagreement.tellings] == ["1950-06-25", "1950-06-27"]
    assert "The army crosses the river" in render_chronology_report(result)


def test_a_stale_override_names_its_file_and_line() -> None:
    text = "# comment\n- {line: 9, date: 1950-06-25, label: Fine}\n- line: 9\n  date: 1961-01-01\n  label: Gone\n"
    overrides = load_overrides(text, path="seeds/x.chronology.yaml")
    with pytest.raises(BuildError, match="matches no event") as raised:
        apply_overrides(chronology(BODY), overrides)
    assert (raised.value.path, raised.value.line) == ("seeds/x.chronology.yaml", 3)
    assert str(raised.value).startswith("seeds/x.chronology.yaml:3: ")


def test_an_ambiguous_override_is_an_error() -> None:
    overrides = load_overrides("- {match: army crossed the river, label: X}", path="o.yaml")
    with pytest.raises(BuildError, match="matches 2 events"):
        apply_overrides(chronology(BODY), overrides)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- {line: 9, colour: red}", 1, "unknown field"),
        ("- {line: 9, date: 1950-06-25}", 1, "changes nothing"),
        ("- {line: 9, drop: maybe}", 1, "true or false"),
        ("- {line: nine, drop: true}", 1, "a number"),
        ("\n\n- [1, 2]", 3, "a mapping"),
        ("line: 9", 1, "a list"),
        ("- {line: 9, drop: true, label: X}", 1, "nothing else"),
        ("- {line: 9, label: [a, b]}", 1, "must be text"),
        ("- {line: 9\n", 2, "not valid YAML"),
    ],
)
def test_malformed_overrides_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(BuildError, match=message) as raised:
        load_overrides(text, path="o.yaml")
    assert (raised.value.path, raised.value.line) == ("o.yaml", line)


def test_a_merge_into_an_unknown_event_is_an_error() -> None:
    overrides = load_overrides("- {line: 9, date: 1950-06-25, merge_into: nowhere}", path="o.yaml")
    with pytest.raises(BuildError, match="nowhere"):
        apply_overrides(chronology(BODY), overrides)


def test_an_empty_overrides_file_changes_nothing() -> None:
    assert load_overrides("# nothing yet\n", path="o.yaml") == ()


# -- periods, formats, page, JSON ---------------------------------------------------------------


def event(date: str, precision: str, qualifier: str | None = None) -> Event:
    return Event(
        date=date, precision=precision, qualifier=qualifier, label="x", sentence="x", line=1
    )


@pytest.mark.parametrize(
    ("date", "precision", "qualifier", "key"),
    [
        ("1910-08-22", "day", None, "decade-1910"),
        ("1948", "year", None, "decade-1940"),
        ("1950-01-30", "day", None, "prelude-1950"),
        ("1950", "year", "early", "prelude-1950"),
        ("1950", "year", None, "war-1950"),
        ("1950-06-25", "day", None, "war-1950"),
        ("1953-07", "month", None, "war-1953"),
        ("1954-04-26", "day", None, "aftermath"),
    ],
)
def test_periods(date: str, precision: str, qualifier: str | None, key: str) -> None:
    span = WarSpan(1950, 1953, "1950-06-25", "test")
    assert period_of(event(date, precision, qualifier), span).key == key


def test_the_war_span_comes_from_the_leads_first_year_range(edited: ChronologyResult) -> None:
    assert edited.span == WarSpan(1950, 1953, "1950-06-25", "the first year range of the lead")
    titles = [period.title for period, _ in edited.periods()]
    assert titles[-6:] == ["1950, before 25 June", "1950", "1951", "1952", "1953", "After 1953"]


@pytest.mark.parametrize(
    ("value", "precision", "qualifier", "text"),
    [
        ("1950-06-25", "day", None, "25 June 1950"),
        ("1950-06", "month", None, "June 1950"),
        ("1950", "year", None, "1950"),
        ("1950-10", "month", "late", "late October 1950"),
        ("1950", "year", "mid", "mid-1950"),
        ("1950", "year", "summer", "summer 1950"),
    ],
)
def test_format_date(value: str, precision: str, qualifier: str | None, text: str) -> None:
    assert format_date(value, precision, qualifier) == text


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (("1951-08-18", "day"), ("1951-09-05", "day"), "18 August – 5 September 1951"),
        (("1950-04-08", "day"), ("1950-04-25", "day"), "8–25 April 1950"),
        (("1950-03", "month"), ("1950-04", "month"), "March–April 1950"),
        (("1945-12", "month"), ("1946-01", "month"), "December 1945 – January 1946"),
        (("1950", "year"), ("1953", "year"), "1950–1953"),
    ],
)
def test_format_ranges(start: tuple[str, str], end: tuple[str, str], text: str) -> None:
    ranged = Event(
        date=start[0], precision=start[1], end_date=end[0], end_precision=end[1], label="x",
        sentence="x", line=1,
    )  # fmt: skip
    assert format_event_date(ranged) == text


def test_the_page_has_periods_links_and_the_figure(
    edited: ChronologyResult, article: Article
) -> None:
    page = render_chronology_page(edited, article)
    assert page.startswith("(chronology)=\n# Chronology\n")
    assert ":::{figure} timeline.*\n:alt: " in page
    assert "\n## 1950\n" in page and "\n## After 1953\n" in page
    assert "- **25 June 1950**: North Korea invades the South (" in page
    assert (
        "{ref}`North Korean Invasion as Communist Aggression (June 1950) "
        "<sec-north-korean-invasion-as-communist-aggression-june-1950>`"
    ) in page
    assert "{ref}`Introduction <introduction>`" in page
    assert "## Where the article disagrees with itself" in page
    # dates are in order within each period
    for period, events in edited.periods():
        assert [e.sort_key for e in events] == sorted(e.sort_key for e in events), period


def test_article_text_cannot_become_markup() -> None:
    result = chronology("The *army* {ref}`x` <b>crossed</b> [a](b) on June 25, 1950, $5 `code`.")
    article = parse_seed("# T\n\nLead.\n\n## C\n\nText.\n", source="t.md")
    page = render_chronology_page(result, article)
    line = next(line for line in page.splitlines() if line.startswith("- **25 June 1950**"))
    label = line.split(": ", 1)[1].rsplit(" (", 1)[0]
    assert not re.search(r"(?<!\\)[*`<>\[\]{}$]", label), label
    assert escape_myst("a*b_c") == "a\\*b\\_c"


def test_titles_a_role_cannot_carry_become_links_with_escaped_text() -> None:
    result = chronology("### Odd `title` <x>\n\nIt happened on June 25, 1950.")
    article = parse_seed("# T\n\nLead.\n\n## C\n\nText.\n", source="t.md")
    page = render_chronology_page(result, article)
    assert "([Odd title \\<x\\>](sec-odd-title-x))" in page


def test_chronology_json(edited: ChronologyResult) -> None:
    items = chronology_json(edited, base_url="https://example.org/book/")
    invasion = next(item for item in items if item["label"] == "North Korea invades the South")
    assert set(invasion) >= {"date", "end_date", "precision", "label", "sentence", "chapter",
                             "section", "url"}  # fmt: skip
    assert invasion["url"] == (
        "https://example.org/book/02-origins-and-outbreak-of-war.html"
        "#sec-north-korean-invasion-as-communist-aggression-june-1950"
    )
    json.dumps(items)


def test_timelinejs_json(edited: ChronologyResult) -> None:
    data = timelinejs_json(edited)
    assert set(data) == {"title", "events"}
    chosin = next(
        e for e in data["events"] if e["text"]["headline"] == "Battle of the Chosin Reservoir"
    )
    assert chosin["start_date"] == {"year": 1950, "month": 11, "day": 27}
    assert chosin["end_date"] == {"year": 1950, "month": 12, "day": 13}
    assert chosin["group"] == "1950"
    year_only = next(e for e in data["events"] if e["start_date"] == {"year": 1905})
    assert "month" not in year_only["start_date"]
    json.dumps(data)


# -- the figure ---------------------------------------------------------------------------------


def test_the_timeline_is_byte_for_byte_deterministic(
    edited: ChronologyResult, tmp_path: Path
) -> None:
    first = draw_timeline(edited, tmp_path / "a")
    second = draw_timeline(edited, tmp_path / "b")
    assert [p.name for p in first] == ["timeline.svg", "timeline.pdf", "timeline.png"]
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    svg = first[0].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    png = first[2].read_bytes()
    width = int.from_bytes(png[16:20], "big")
    assert 1500 <= width <= 1700


def test_the_alt_text_names_the_span_and_the_key_events(edited: ChronologyResult) -> None:
    alt = timeline_alt_text(edited)
    assert "1950 to 1953" in alt
    assert "Japan annexes Korea" in alt and "Armistice signed at Panmunjom" in alt
    assert "\n" not in alt


# -- robustness ---------------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["in", "by", "from", "to", "and", "the", "late", "mid-", "early", "since", "June", "March",
     "May", "25,", "1950", "1950s", "31", "1,100", "$13", "(", ")", "–", "-", ".", "post-",
     "army", "Resolution", "83", "Seoul", "of", "summer", "end", "December's", "1st"]
)  # fmt: skip


@given(st.lists(WORDS, max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_valid_events_or_doubts(words: list[str]) -> None:
    text = " ".join(words)
    section = Section(
        "Anything (1950–1953)", "sec-any", 3, (Paragraph((Inline("text", text),), 5),)
    )
    article = Article("T", (), (Chapter(1, "C", "ch-c", 1, (), (section,), slug="c"),))
    result = extract_chronology(article)
    for found in result.events:
        assert found.span[0] <= found.span[1]
        assert found.label
    render_chronology_page(result, article)
    render_chronology_report(result)
