"""Hostile articles (tests/hostile_articles.py): text is data in every generated page.

The render-only property reads each generated MyST page back with MyST's own
parser (no Sphinx): every text of the article is still text, nothing turned
into markup, and the timeline's alternative text is one whole option value.
Its example count is the hypothesis profile's (``make fuzz`` runs thousands).
"""

from __future__ import annotations

import os
import re

from hostile_articles import article, expected_texts, flat, myst_text_of
from hypothesis import HealthCheck, example, given, settings

from build_tools.article.render import render_chapter, render_introduction
from build_tools.article.seed import parse_seed
from build_tools.chronology.extract import extract_chronology
from build_tools.chronology.page import render_chronology_page, timeline_alt_text

# the article of the issue: a ' #1' in a dated sentence cut the alt text and failed -W
ISSUE_ARTICLE = """# The Hash & Dollar War #1

The lead says the war began on June 25, 1950 with order #1 costing $5 & 50% {more}.

## First Chapter #2

### Opening Section $x$

On July 4, 1950, troops took hill #1 at 100% strength & a \\cost of {10}.

| Side | Troops #3 |
|------|--------|
| North | 135,000 & 50% |

## Second Chapter

### Closing Section

On September 15, 1950, the landing at site #3 ended it.
"""
# found by the generator on the code before the escaping layer (both failed there):
# a line separator in a heading and in the alt text broke the option block (docutils
# and MyST's option parser break lines at U+2028), and hypothesis's shrunk ' #' case
FOUND = [
    (
        "# war\u2028x\n\nOn June 1, 1950, the war happened.\n\n## army\u2029 1\n\n"
        "### a 1.1\n\nOn June 2, 1950, the army happened.\n"
    ),
    # found by `make fuzz` (a full build failed -W: undefined label '!-- 1.1 <sec-1-1'):
    # a '<' in a section title made Sphinx read the rest of the {ref} as its target
    "# war\n\nOn June 1, 1950, the war happened.\n\n## a 1\n\n### 東京 <!-- 1.1\n\nOn June 2, 1950, the army happened.\n",
    # found by `make fuzz`: a line separator inside a code span (shown as a space)
    "# w\n\nOn January 1, 1900, the war # ` \u2028 happened. Then war `.\n\n## w 1\n\n### w 1.1\n\nx\n",
    (
        "# war\n\nOn January 1, 1900, the war # happened.\n\n## war 1\n\n### war 1.1\n\n"
        "On January 1, 1900, the war # happened.\n"
    ),
]


def check_rendered(text: str) -> None:
    parsed = parse_seed(text)
    result = extract_chronology(parsed)
    pages = [render_introduction(parsed), *(render_chapter(c) for c in parsed.chapters)]
    chronology = render_chronology_page(result, parsed)
    seen = []
    for page in [*pages, chronology]:
        read = myst_text_of(page)
        assert read.problems == [], (read.problems, page)
        # every {ref} and link reaches one of our labels, never a piece of a title
        assert all(re.fullmatch(r"[a-z0-9-]+", target) for target in read.targets), read.targets
        seen.append(read.text)
    shown = flat("\n".join(seen))
    for expected in expected_texts(parsed):
        assert flat(expected) in shown, expected
    for event in result.events:
        assert flat(event.label) in shown, event.label
    figure = myst_text_of(chronology).options
    assert [options["alt"] for options in figure if "alt" in options] == [timeline_alt_text(result)]


#: ``make test`` draws 100 articles (~10 s); ``make fuzz`` thousands
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "100"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article())
@example(ISSUE_ARTICLE)
@example(FOUND[0])
@example(FOUND[1])
@example(FOUND[2])
@example(FOUND[3])
def test_rendered_pages_keep_every_text(text: str) -> None:
    check_rendered(text)
