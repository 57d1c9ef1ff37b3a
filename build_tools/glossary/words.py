"""The generic English the drafter reads names by: titles, small words, kinds of names.

The only word lists of the glossary drafter.  None holds a fact of any one
article: they are words of the language ("General", "River", "Treaty").
"""

from __future__ import annotations

#: Words before a person's name that say what the person was.
TITLES = frozenset(
    [
        "General",
        "Lieutenant",
        "Colonel",
        "Major",
        "Captain",
        "Admiral",
        "Marshal",
        "Commander",
        "Brigadier",
        "Sergeant",
        "Corporal",
        "Private",
        "Mayor",
        "President",
        "Premier",
        "Chairman",
        "Secretary",
        "Minister",
        "Chancellor",
        "Governor",
        "Ambassador",
        "Senator",
        "Representative",
        "Emperor",
        "Empress",
        "King",
        "Queen",
        "Tsar",
        "Czar",
        "Tsarina",
        "Kaiser",
        "Sultan",
        "Shah",
        "Pope",
        "Cardinal",
        "Bishop",
        "Archbishop",
        "Lord",
        "Lady",
        "Sir",
        "Dame",
        "Prince",
        "Princess",
        "Duke",
        "Duchess",
        "Count",
        "Countess",
        "Baron",
        "Dr",
        "Dr.",
        "Mr",
        "Mr.",
        "Mrs",
        "Mrs.",
        "Ms",
        "Ms.",
        "Professor",
        "Judge",
        "Justice",
        "Chief",
        "Vice",
        "Field",
        "Resident-General",
        "Governor-General",
        "Leader",
        "Dictator",
        "Generalissimo",
    ]
)
#: Lowercase words before a person's name that say what the person was ("colonels Dean Rusk").
ROLE_NOUNS = frozenset(
    [
        "general",
        "colonel",
        "commander",
        "officer",
        "official",
        "leader",
        "admiral",
        "president",
        "premier",
        "minister",
        "diplomat",
        "envoy",
        "ambassador",
        "secretary",
        "governor",
        "pilot",
        "lieutenant",
        "captain",
        "soldier",
        "journalist",
        "reporter",
        "nurse",
        "writer",
        "historian",
        "dictator",
        "chairman",
        "mayor",
        "king",
        "queen",
        "emperor",
        "tsar",
        "sultan",
        "marshal",
        "brigadier",
        "negotiator",
        "delegate",
        "spokesman",
        "statesman",
        "politician",
    ]
)
#: Small words that may stand inside a name ("Republic of Korea", "Charles de Gaulle").
CONNECTORS = frozenset(
    [
        "of",
        "the",
        "de",
        "du",
        "da",
        "del",
        "della",
        "di",
        "von",
        "van",
        "der",
        "den",
        "la",
        "le",
        "al",
        "bin",
        "ibn",
    ]
)
#: Words that may join a name only inside an acronym's expansion ("Commission on Korea").
EXPANSION_CONNECTORS = CONNECTORS | {"on", "for", "in", "and", "to", "&"}
MONTHS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
)
#: Possessives that belong to a name ("Korean People's Army").
NAME_POSSESSIVES = frozenset(
    [
        "people's",
        "peoples'",
        "workers'",
        "women's",
        "children's",
        "farmers'",
        "soldiers'",
        "peasants'",
    ]
)
#: Words after a name that show it is used as an adjective or a verb follows, etc.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "if",
        "then",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "to",
        "up",
        "upon",
        "with",
        "within",
        "without",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "being",
        "had",
        "has",
        "have",
        "having",
        "do",
        "did",
        "does",
        "not",
        "no",
        "also",
        "only",
        "even",
        "about",
        "after",
        "before",
        "during",
        "since",
        "until",
        "against",
        "between",
        "among",
        "through",
        "across",
        "along",
        "around",
        "near",
        "under",
        "above",
        "below",
        "beside",
        "behind",
        "beyond",
        "toward",
        "towards",
        "via",
        "per",
        "its",
        "his",
        "her",
        "their",
        "our",
        "he",
        "she",
        "it",
        "they",
        "we",
        "you",
        "i",
        "this",
        "these",
        "those",
        "there",
        "here",
        "both",
        "each",
        "either",
        "neither",
        "all",
        "any",
        "some",
        "most",
        "many",
        "much",
        "more",
        "less",
        "few",
        "other",
        "such",
        "own",
        "same",
        "very",
        "too",
        "just",
        "still",
        "already",
        "later",
        "soon",
        "again",
        "once",
        "twice",
        "itself",
        "himself",
        "herself",
        "themselves",
        "would",
        "could",
        "should",
        "might",
        "must",
        "may",
        "can",
        "will",
        "shall",
    ]
)
#: Words that, next to a lowercase word, make a concept ("the containment strategy").
CONCEPT_HEADS = frozenset(
    [
        "doctrine",
        "doctrines",
        "strategy",
        "strategies",
        "policy",
        "policies",
        "tactics",
        "tactic",
        "principle",
        "principles",
        "theory",
        "system",
        "approach",
        "warfare",
    ]
)

#: Common nouns in -ship that are no concept of a subject.
COMMON_SHIPS = frozenset(
    [
        "relationship",
        "relationships",
        "leadership",
        "membership",
        "ownership",
        "partnership",
        "hardship",
        "hardships",
        "worship",
        "championship",
        "friendship",
        "citizenship",
        "readership",
    ]
)
LOCATIVE = frozenset(
    [
        "in",
        "at",
        "near",
        "to",
        "toward",
        "towards",
        "from",
        "into",
        "across",
        "through",
        "around",
        "outside",
        "inside",
        "reached",
        "captured",
        "entered",
        "occupied",
        "crossed",
        "besieged",
        "via",
        "within",
        "beyond",
        "north",
        "south",
        "east",
        "west",
    ]
)

#: Words of a name that say what kind of thing it names (generic English).
CATEGORY_WORDS = {
    "operation": (
        "Operation Battle Battles Siege Campaign campaign Offensive offensive Counteroffensive "
        "Landing landing Raid Invasion Airlift Blockade Uprising Revolt Rebellion Massacre "
        "Charge Retreat Evacuation Expedition Breakout Assault Parade"
    ),
    "agreement": (
        "Treaty Agreement Resolution Convention Conventions Accord Accords Pact Conference "
        "Declaration Protocol Charter Act Report Plan Armistice Settlement Ultimatum Note"
    ),
    "organisation": (
        "Army Armies Corps Force Forces Navy Command Council Nations Party League Commission "
        "Government Republic Organization Organisation Union Committee Ministry Assembly "
        "Congress Division Brigade Regiment Battalion Fleet Squadron Company Agency Bureau "
        "Office Department Cabinet Parliament Senate Guard Marines Police Society Association "
        "Alliance Coalition Front Empire Kingdom Administration Service Services Group Institute "
        "Bank Court Staff Headquarters Unit Units Legion Federation Confederation Church "
        "Brigades Volunteers Airlines Cross Movement"
    ),
    "place": (
        "River Reservoir Sea Ocean Lake Mountain Mountains Mount Hill Hills Ridge Valley Island "
        "Islands Peninsula Strait Straits Bay Gulf Canal Zone Perimeter Parallel parallel Alley "
        "Province Port Harbour Harbor Airfield Airport Street Square Bridge Gate Wall Park "
        "Castle Palace Heights Pass Coast Plateau Desert Forest Region District Sector City "
        "Bulge Line Peak Valley Heights Basin Delta Field Fields Memorial Monument Cemetery"
    ),
    "concept": "Doctrine War Question Mark Marks Crisis Era Age Rule Policy Theory",
}
KEYWORDS = {word: category for category, words in CATEGORY_WORDS.items() for word in words.split()}

ORDINAL_WORDS = frozenset(
    [
        "First",
        "Second",
        "Third",
        "Fourth",
        "Fifth",
        "Sixth",
        "Seventh",
        "Eighth",
        "Ninth",
        "Tenth",
        "Last",
        "Final",
    ]
)

COMPASS = frozenset(
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
    ]
)
DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "ish", "i", "ic")

#: Natural features whose first word alone names them too ("the Yalu").
FEATURES = frozenset(["River", "Lake", "Mountains"])
