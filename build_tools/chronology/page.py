"""The chronology page in MyST, with the timeline figure's alt text and caption."""

from __future__ import annotations

from build_tools.article.model import Article
from build_tools.chronology.model import (
    ChronologyResult,
    Event,
    format_event_date,
    key_events,
)
from build_tools.util.markup import myst_option, myst_ref, myst_role, myst_text


def escape_myst(text: str) -> str:
    """MyST inline text that shows ``text`` as is (:func:`~build_tools.util.markup.myst_text`).

    :param text: plain text from the article
    :return: MyST inline text
    """
    return myst_text(text)


def _ref(title: str, label: str) -> str:
    return myst_ref(title, label) if title.strip() else myst_role("ref", label)


def timeline_alt_text(result: ChronologyResult) -> str:
    """The timeline figure's alternative text: what it shows, in one paragraph.

    :param result: the chronology
    :return: plain text, one line
    """
    keys = key_events(result)
    if not keys:
        return f"A timeline of {result.title}: no dated events."
    first, last = keys[0], keys[-1]
    text = f"A horizontal timeline of the events in “{result.title}”"
    if result.span is not None:
        text += f", with the years {result.span.first} to {result.span.last} drawn month by month"
    text += (
        f". Labels mark key events, from {first.label} ({format_event_date(first)}) "
        f"to {last.label} ({format_event_date(last)})."
    )
    if result.phases:
        text += (
            f" Hatched bars in a panel below show the {len(result.phases)} periods named in "
            "the section headings."
        )
    return text + " The list below gives every event in words."


def timeline_caption(result: ChronologyResult) -> str:
    """The timeline figure's caption, saying how its time axis is drawn.

    :param result: the chronology
    :return: plain text
    """
    text = "Timeline of the key events."
    span = result.span
    if span is not None:
        days = [day for event in [*key_events(result), *result.phases] for day in event.span]
        squeezed = [
            side
            for side, found in (
                ("earlier years on the left", any(day.year < span.first for day in days)),
                ("later years on the right", any(day.year > span.last for day in days)),
            )
            if found
        ]
        text += f" The years {span.first}–{span.last} are drawn month by month"
        text += f"; {' and '.join(squeezed)} are compressed." if squeezed else "."
    if result.phases:
        text += " Hatched bars are the periods named in the section headings."
    return text


def render_chronology_page(
    result: ChronologyResult,
    article: Article,
    *,
    figure: str = "timeline.*",
    lead_label: str = "introduction",
) -> str:
    """The chronology as a MyST page: the timeline figure, then the events by period.

    :param result: the chronology
    :param article: the article (its title heads the page's introduction)
    :param figure: the figure's path relative to the page
    :param lead_label: the label of the page holding the lead paragraphs
    :return: the page's MyST
    """
    alt = timeline_alt_text(result)
    parts = [
        "(chronology)=\n# Chronology",
        escape_myst(
            f"Every dated event of “{article.title}”, in date order. Each entry links to the "
            "section that tells it; where the article tells an event more than once, every "
            "place is listed."
        ),
        f":::{{figure}} {figure}\n:alt: {myst_option(alt)}\n"
        ":name: chronology-timeline\n:width: 100%\n\n"
        + escape_myst(timeline_caption(result))
        + "\n:::",
    ]
    for period, events in result.periods():
        parts.append(f"## {escape_myst(period.title)}")
        items = []
        for event in events:
            places = _places(event, lead_label)
            items.append(
                f"- **{escape_myst(format_event_date(event))}**: {escape_myst(event.label)}"
                f" ({'; '.join(places)})"
            )
        parts.append("\n".join(items))
    if result.disagreements:
        parts.append("## Where the article disagrees with itself")
        parts.append(
            escape_myst(
                "The article gives different dates for these events in different places. "
                "Read both passages: which date is right, and how could you check?"
            )
        )
        items = []
        for item in result.disagreements:
            dates: dict[str, list[str]] = {}
            for telling in item.tellings:
                where = _places(telling, lead_label, also=False)[0]
                places = dates.setdefault(format_event_date(telling), [])
                if where not in places:
                    places.append(where)
            told = " or ".join(
                f"**{escape_myst(date)}** ({'; '.join(places)})" for date, places in dates.items()
            )
            items.append(f"- {escape_myst(item.subject)}: {told}")
        parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"


def _places(event: Event, lead_label: str, *, also: bool = True) -> list[str]:
    tellings = [event, *event.told_also] if also else [event]
    places: list[str] = []
    for telling in tellings:
        label = telling.link_label
        title = telling.link_title
        ref = _ref(title, label) if label and title else _ref("Introduction", lead_label)
        if ref not in places:
            places.append(ref)
    return places
