"""The chronology as data: JSON for other tools and the web, and TimelineJS3's format."""

from __future__ import annotations

import html
import re

from build_tools.chronology.model import ChronologyResult, format_event_date, period_of


def chronology_json(
    result: ChronologyResult, base_url: str = "", *, lead_label: str = "introduction"
) -> list[dict[str, object]]:
    """The events as JSON-ready dictionaries, for other tools and the web.

    :param result: the chronology
    :param base_url: prefixed to each page URL
    :param lead_label: the anchor of the page holding the lead paragraphs
    :return: one dictionary per event; ``url`` is ``<docname>.html#<label>``
    """
    items: list[dict[str, object]] = []
    for event in result.events:
        anchor = event.link_label or lead_label
        items.append(
            {
                "date": event.date,
                "end_date": event.end_date,
                "precision": event.precision,
                "qualifier": event.qualifier,
                "label": event.label,
                "sentence": event.sentence,
                "line": event.line,
                "chapter": event.chapter,
                "section": event.section_title,
                "period": period_of(event, result.span).title,
                "url": f"{base_url}{event.docname or ''}.html#{anchor}",
            }
        )
    return items


def _timelinejs_date(value: str, precision: str) -> dict[str, int]:
    parts = [int(part) for part in value.split("-")]
    date = {"year": parts[0]}
    if precision in ("month", "day"):
        date["month"] = parts[1]
    if precision == "day":
        date["day"] = parts[2]
    return date


def timelinejs_json(result: ChronologyResult) -> dict[str, object]:
    """The events in TimelineJS3's JSON format.

    :param result: the chronology
    :return: ``{"title": ..., "events": [...]}``
    """
    events: list[dict[str, object]] = []
    for event in result.events:
        item: dict[str, object] = {
            "start_date": _timelinejs_date(event.date, event.precision),
            "text": {"headline": html.escape(event.label), "text": html.escape(event.sentence)},
            "group": period_of(event, result.span).title,
            "display_date": format_event_date(event),
            "unique_id": _slug(f"{event.line}-{event.date}-{event.label}"),
        }
        if event.end_date and event.end_precision:
            item["end_date"] = _timelinejs_date(event.end_date, event.end_precision)
        events.append(item)
    return {
        "title": {"text": {"headline": html.escape(f"{result.title}: chronology"), "text": ""}},
        "events": events,
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
