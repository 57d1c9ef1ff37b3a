"""Browser journeys: what a student does with the HTML book, in Debian's chromium.

The pages are served over HTTP from 127.0.0.1; every request that leaves
that server is refused and reported (the book must work offline). Each step
saves a screenshot under the screenshots folder; the front page and a
chapter also at 375 px wide (a phone), where the page must not scroll
sideways. Links and controls are used from the keyboard where a reader can
(focus and Enter, Ctrl+K, Escape), so the journeys also show that the
interactive parts work without a mouse.

The glossary tooltip, the quiz button and the solution toggle are checked when
the book is expected to have them (:class:`JourneyPlan`), never skipped silently.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from build_tools.checks.base import Problem
from build_tools.checks.browser import keep_offline, launch, offline_problems, serve

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize

NAME = "journeys"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 740}
TIMEOUT_MS = 15_000
#: the glossary's term links (sphinx glossary + our tooltip script)
GLOSSARY_TERM = "a.glossary-term"
#: the heading of a chapter's review exercises
REVIEW_HEADING = re.compile(r"\bReview\b", re.IGNORECASE)
DOWNLOAD_MAGIC = {"epub": b"PK\x03\x04", "pdf": b"%PDF"}


class StepFailedError(Exception):
    """A journey step did not reach its goal; the message says what the reader saw."""


@dataclass(frozen=True)
class JourneyPlan:
    """What the journeys expect of one book.

    :param title: the book's title
    :param slug: the book's file name stem (``downloads/<slug>.epub``)
    :param chapter: the first chapter's title and page (relative to the HTML folder)
    :param query: the word searched for
    :param section: the title and page of the section the search must reach
    :param expect_glossary: the book has glossary term links with tooltips
    :param expect_solutions: chapters end with review exercises: questions checked
        with a button, solutions that toggle
    """

    title: str
    slug: str
    chapter: tuple[str, str]
    query: str
    section: tuple[str, str]
    expect_glossary: bool = False
    expect_solutions: bool = False


def _page_path(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _check_width(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"] + 1:
        raise StepFailedError(f"{what} is {width} px wide at 375 px: it scrolls sideways")


def _in_viewport(locator: Locator) -> bool:
    return bool(
        locator.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight && r.height > 0; }"
        )
    )


class _Journeys:
    """The steps, sharing one browser context and the screenshots folder."""

    def __init__(self, context: BrowserContext, base: str, html_dir: Path, shots: Path) -> None:
        self.context = context
        self.base = base
        self.html_dir = html_dir
        self.shots = shots
        self.page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)

    def open(self, path: str, page: Page | None = None) -> Page:
        tab = page or self.page
        response = tab.goto(self.base + path, wait_until="load")
        if self.base.startswith("file:"):  # a page opened from the disk has no HTTP status
            return tab
        if response is None or not response.ok:
            status = response.status if response else "no response"
            raise StepFailedError(f"{path} did not load ({status})")
        return tab

    def shot(self, name: str, page: Page | None = None) -> None:
        (page or self.page).screenshot(path=str(self.shots / f"{name}.png"))

    def phone_shot(self, path: str, name: str, what: str) -> None:
        phone = self.context.new_page()
        phone.set_viewport_size(PHONE)
        try:
            self.open(path, phone)
            phone.screenshot(path=str(self.shots / f"{name}.png"))
            _check_width(phone, what)
        finally:
            phone.close()

    # -- the steps ---------------------------------------------------------------

    def front(self, plan: JourneyPlan) -> None:
        page = self.open("index.html")
        heading = page.locator("main h1, article h1").first
        if plan.title not in heading.inner_text():
            raise StepFailedError(f"the front page's heading is not {plan.title!r}")
        self.shot("01-front")
        self.phone_shot("index.html", "01-front-375", "the front page")

    def skip_link(self, plan: JourneyPlan) -> None:
        page = self.open("index.html")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if "skip" not in focused.lower():
            raise StepFailedError(f"the first Tab focuses {focused!r}, not a skip link")
        page.keyboard.press("Enter")
        if not urlsplit(page.url).fragment:
            raise StepFailedError("Enter on the skip link does not move to the content")

    def table_of_contents(self, plan: JourneyPlan) -> None:
        title, target = plan.chapter
        page = self.open("index.html")
        link = page.locator(".bd-article .toctree-wrapper a", has_text=title).first
        if not link.count():
            raise StepFailedError(f"the front page's contents has no link to {title!r}")
        link.focus()
        page.keyboard.press("Enter")  # from the keyboard
        page.wait_for_url(re.compile(re.escape(target) + r"(#.*)?$"))
        if title not in page.locator("main h1").first.inner_text():
            raise StepFailedError(f"the chapter page's heading is not {title!r}")
        self.shot("02-chapter")
        self.phone_shot(target, "02-chapter-375", "the chapter page")

    def search(self, plan: JourneyPlan) -> None:
        title, target = plan.section
        page = self.open(plan.chapter[1])
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        page.keyboard.press("Control+k")
        field = page.locator("input[name='q']:visible").first
        try:
            field.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeoutError:
            raise StepFailedError("Ctrl+K does not open a search field") from None
        field.fill(plan.query)
        field.press("Enter")
        page.wait_for_url(re.compile(r"search\.html\?q="))
        page.locator("#search-results li a").first.wait_for()
        self.shot("03-search")
        results = page.locator("#search-results li a")
        hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
        match = next(
            (i for i, href in enumerate(hrefs) if href.split("?")[0].split("#")[0] == target), None
        )
        if match is None:
            raise StepFailedError(f"no search result for {plan.query!r} leads to {target}")
        results.nth(match).click()
        page.wait_for_url(re.compile(re.escape(target)))
        toc_link = page.locator(".bd-sidebar-secondary a", has_text=title).first
        if not toc_link.count():
            raise StepFailedError(f"the page's contents has no link to the section {title!r}")
        toc_link.click()
        fragment = urlsplit(page.url).fragment
        heading = page.locator(f"[id='{fragment}'] > :is(h1, h2, h3, h4)").first
        if not fragment or not heading.count() or title not in heading.inner_text():
            raise StepFailedError(f"the search did not reach the section {title!r}")
        page.wait_for_function(
            "id => { const r = document.getElementById(id).getBoundingClientRect();"
            " return r.top >= -1 && r.top < window.innerHeight; }",
            arg=fragment,
        )
        self.shot("04-section")

    def downloads(self, plan: JourneyPlan) -> None:
        page = self.open("index.html")
        for kind in ("epub", "pdf"):
            link = page.locator("a.download-link", has_text=f"Download {kind.upper()}").first
            if not link.count():
                raise StepFailedError(f"no 'Download {kind.upper()}' link on the front page")
            with page.expect_download() as info:
                link.focus()
                page.keyboard.press("Enter")  # from the keyboard
            download = info.value
            received = Path(download.path()).read_bytes()
            if not received.startswith(DOWNLOAD_MAGIC[kind]):
                raise StepFailedError(f"the {kind.upper()} download is not an {kind.upper()} file")
            expected = self.html_dir / "downloads" / f"{plan.slug}.{kind}"
            if not expected.exists() or received != expected.read_bytes():
                raise StepFailedError(f"the {kind.upper()} download differs from {expected.name}")
            response = self.context.request.get(download.url)
            kind_header = response.headers.get("content-type", "")
            if response.status != 200 or kind not in kind_header:
                raise StepFailedError(
                    f"GET {_page_path(download.url)}: HTTP {response.status}, {kind_header!r}"
                )
        page.locator(".book-downloads-nav, .book-downloads").first.scroll_into_view_if_needed()
        self.shot("05-downloads")

    def glossary(self, plan: JourneyPlan) -> None:
        page = self.open(plan.chapter[1])
        terms = page.locator(f"main {GLOSSARY_TERM}")
        if not terms.count():
            raise StepFailedError(f"the chapter has no glossary term link ({GLOSSARY_TERM})")
        term = terms.first
        term.scroll_into_view_if_needed()
        term.hover()
        tip = self._tooltip(page, term)
        if not tip.inner_text().strip():
            raise StepFailedError("the glossary tooltip is empty")
        self.shot("06-glossary-hover")
        page.mouse.move(0, 0)
        term.focus()  # from the keyboard: focus shows it, Escape hides it
        self._tooltip(page, term)
        page.keyboard.press("Escape")
        if tip.is_visible():
            raise StepFailedError("Escape does not hide the glossary tooltip")

    def _tooltip(self, page: Page, term: Locator) -> Locator:
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        try:
            page.wait_for_function(
                "e => e.getAttribute('aria-describedby')", arg=term.element_handle(), timeout=3_000
            )
        except PlaywrightTimeoutError:
            raise StepFailedError("the term has no tooltip (aria-describedby) when shown") from None
        tip = page.locator(f"[id='{term.get_attribute('aria-describedby')}']")
        tip.wait_for(state="visible", timeout=3_000)
        return tip

    def _review(self, plan: JourneyPlan) -> tuple[Page, Locator]:
        page = self.open(plan.chapter[1])
        review = page.locator("main section").filter(
            has=page.locator(":scope > :is(h2, h3)", has_text=REVIEW_HEADING)
        )
        if not review.count():
            raise StepFailedError("the chapter has no section headed 'Review'")
        return page, review.first

    def quiz(self, plan: JourneyPlan) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

        page, review = self._review(plan)
        question = review.locator("fieldset:has(input[type='radio']):has(button)").first
        if not question.count():
            raise StepFailedError("the review has no question with options and a button")
        question.scroll_into_view_if_needed()
        question.locator("input[type='radio']").first.focus()
        page.keyboard.press("Space")  # from the keyboard: choose, then check
        question.locator("button").first.focus()
        page.keyboard.press("Enter")
        status = question.locator("[role='status'], [aria-live]").first
        if not status.count():
            raise StepFailedError("the question has no live region (role=status) for feedback")
        try:
            page.wait_for_function("e => e.textContent.trim() !== ''", arg=status.element_handle())
        except PlaywrightTimeoutError:
            raise StepFailedError("checking an answer gives no feedback") from None
        self.shot("07-quiz")

    def solution(self, plan: JourneyPlan) -> None:
        page, review = self._review(plan)
        summary = review.locator("details > summary").first
        if summary.count():
            summary.scroll_into_view_if_needed()
            summary.focus()
            page.keyboard.press("Enter")  # from the keyboard
            details = review.locator("details").first
            if details.get_attribute("open") is None:
                raise StepFailedError("Enter on the solution's summary does not open it")
            body = details.locator(":scope > :not(summary)").first
        else:
            button = review.locator("button[aria-expanded='false']").first
            if not button.count():
                raise StepFailedError("the review has no solution toggle (details or button)")
            button.scroll_into_view_if_needed()
            button.focus()
            page.keyboard.press("Enter")
            if button.get_attribute("aria-expanded") != "true":
                raise StepFailedError("Enter on the solution toggle does not open it")
            controls = button.get_attribute("aria-controls")
            body = page.locator(f"[id='{controls}']") if controls else button
        if not body.is_visible():
            raise StepFailedError("the opened solution is not visible")
        self.shot("08-solution")


STEPS = ("front", "skip-link", "toc", "search", "downloads", "glossary", "quiz", "solution")


def check_journeys(
    html_dir: Path,
    plan: JourneyPlan,
    *,
    screenshots: Path,
    steps: Collection[str] = STEPS,
    base: str | None = None,
) -> list[Problem]:
    """Walk through the HTML book as a student does.

    :param html_dir: the HTML output folder, served over HTTP
    :param plan: what the book holds (title, a chapter, a search, optional parts)
    :param screenshots: the folder for one screenshot per step (created)
    :param steps: the steps to take (default: all of :data:`STEPS`); the glossary
        and solution steps only when the plan expects those parts
    :param base: the pages' address, ending in ``/`` (a ``file://`` URL opens them from
        the disk, as the offline bundle is); default: served over HTTP from 127.0.0.1
    :return: each step that failed, and every request that left the server
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    screenshots.mkdir(parents=True, exist_ok=True)
    for old in screenshots.glob("*.png"):
        old.unlink()
    problems: list[Problem] = []
    remote: list[str] = []
    pages = contextlib.nullcontext(base) if base else serve(html_dir)
    with pages as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
            keep_offline(context, url, remote)
            journeys = _Journeys(context, url, html_dir, screenshots)
            walk: list[tuple[str, str, Callable[[JourneyPlan], None]]] = [
                ("front", "front page", journeys.front),
                ("skip-link", "skip link", journeys.skip_link),
                ("toc", "table of contents", journeys.table_of_contents),
                ("search", f"search {plan.query!r}", journeys.search),
                ("downloads", "downloads", journeys.downloads),
            ]
            if plan.expect_glossary:
                walk.append(("glossary", "glossary tooltip", journeys.glossary))
            if plan.expect_solutions:
                walk.append(("quiz", "quiz button", journeys.quiz))
                walk.append(("solution", "solution toggle", journeys.solution))
            for key, name, step in walk:
                if key not in steps:
                    continue
                try:
                    step(plan)
                except StepFailedError as failure:
                    problems.append(Problem(NAME, name, str(failure)))
                except PlaywrightError as error:
                    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
                    problems.append(Problem(NAME, name, f"browser error: {first}"))
        finally:
            browser.close()
    problems += offline_problems(NAME, remote)
    return problems
