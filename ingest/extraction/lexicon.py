"""Word lists the rule-based extraction stands on: countries and their words, titles, places, verbs.

Kept as plain data so a reader can see (and extend) what the extractor knows. Countries carry their
names, demonyms and seats of government, because reporting names a government by any of them:
"China", "the Chinese side", "Beijing". Statement verbs follow the CAMEO/PLOVER verb classes
(demand, request, disapprove, reject, threaten, agree ...), folded into the project's kinds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

# canonical side: (names, demonyms, seats of government and metonyms)
_HAND_WRITTEN: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "United States": (
        ("United States", "United States of America", "US", "U.S.", "USA", "U.S.A.", "America"),
        ("American", "US", "U.S."),
        ("Washington", "White House", "State Department", "Pentagon"),
    ),
    "China": (("China", "People's Republic of China", "PRC"), ("Chinese",), ("Beijing", "Zhongnanhai")),
    "Russia": (("Russia", "Russian Federation"), ("Russian",), ("Moscow", "Kremlin")),
    "Ukraine": (("Ukraine",), ("Ukrainian",), ("Kyiv", "Kiev")),
    "North Korea": (("North Korea", "DPRK"), ("North Korean",), ("Pyongyang",)),
    "South Korea": (("South Korea", "Republic of Korea", "ROK"), ("South Korean",), ("Seoul",)),
    "Japan": (("Japan",), ("Japanese",), ("Tokyo",)),
    "India": (("India",), ("Indian",), ("New Delhi", "Delhi")),
    "Palestine": (("Palestine", "State of Palestine", "Palestinian Authority", "PA"), ("Palestinian",), ("Ramallah",)),
    "Israel": (("Israel",), ("Israeli",), ("Tel Aviv",)),
    "United Kingdom": (
        ("United Kingdom", "Britain", "Great Britain", "UK", "U.K."),
        ("British",),
        ("London", "Downing Street"),
    ),
    "France": (("France",), ("French",), ("Paris", "Elysee", "Élysée")),
    "Germany": (("Germany",), ("German",), ("Berlin",)),
    "Italy": (("Italy",), ("Italian",), ("Rome",)),
    "Spain": (("Spain",), ("Spanish",), ("Madrid",)),
    "Poland": (("Poland",), ("Polish",), ("Warsaw",)),
    "Hungary": (("Hungary",), ("Hungarian",), ("Budapest",)),
    "Turkey": (("Turkey", "Türkiye", "Turkiye"), ("Turkish",), ("Ankara",)),
    "Iran": (("Iran",), ("Iranian",), ("Tehran",)),
    "Iraq": (("Iraq",), ("Iraqi",), ("Baghdad",)),
    "Syria": (("Syria",), ("Syrian",), ("Damascus",)),
    "Saudi Arabia": (("Saudi Arabia",), ("Saudi",), ("Riyadh",)),
    "Qatar": (("Qatar",), ("Qatari",), ("Doha",)),
    "United Arab Emirates": (("United Arab Emirates", "UAE"), ("Emirati",), ("Abu Dhabi",)),
    "Egypt": (("Egypt",), ("Egyptian",), ("Cairo",)),
    "Jordan": (("Jordan",), ("Jordanian",), ("Amman",)),
    "Lebanon": (("Lebanon",), ("Lebanese",), ("Beirut",)),
    "Pakistan": (("Pakistan",), ("Pakistani",), ("Islamabad",)),
    "Afghanistan": (("Afghanistan",), ("Afghan",), ("Kabul",)),
    "Taiwan": (("Taiwan",), ("Taiwanese",), ("Taipei",)),
    "Vietnam": (("Vietnam", "Viet Nam"), ("Vietnamese",), ("Hanoi",)),
    "Philippines": (("Philippines",), ("Philippine", "Filipino"), ("Manila",)),
    "Indonesia": (("Indonesia",), ("Indonesian",), ("Jakarta",)),
    "Malaysia": (("Malaysia",), ("Malaysian",), ("Kuala Lumpur",)),
    "Singapore": (("Singapore",), ("Singaporean",), ()),
    "Thailand": (("Thailand",), ("Thai",), ("Bangkok",)),
    "Australia": (("Australia",), ("Australian",), ("Canberra",)),
    "New Zealand": (("New Zealand",), ("New Zealander",), ("Wellington",)),
    "Canada": (("Canada",), ("Canadian",), ("Ottawa",)),
    "Mexico": (("Mexico",), ("Mexican",), ("Mexico City",)),
    "Brazil": (("Brazil",), ("Brazilian",), ("Brasilia", "Brasília")),
    "Argentina": (("Argentina",), ("Argentine", "Argentinian"), ("Buenos Aires",)),
    "South Africa": (("South Africa",), ("South African",), ("Pretoria",)),
    "Nigeria": (("Nigeria",), ("Nigerian",), ("Abuja",)),
    "Kenya": (("Kenya",), ("Kenyan",), ("Nairobi",)),
    "Ethiopia": (("Ethiopia",), ("Ethiopian",), ("Addis Ababa",)),
    "Belarus": (("Belarus",), ("Belarusian",), ("Minsk",)),
    "Serbia": (("Serbia",), ("Serbian",), ("Belgrade",)),
    "Kosovo": (("Kosovo",), ("Kosovar", "Kosovan"), ("Pristina", "Prishtina")),
    "Greece": (("Greece",), ("Greek",), ("Athens",)),
    "Netherlands": (("Netherlands",), ("Dutch",), ("The Hague", "Amsterdam")),
    "Sweden": (("Sweden",), ("Swedish",), ("Stockholm",)),
    "Finland": (("Finland",), ("Finnish",), ("Helsinki",)),
    "Norway": (("Norway",), ("Norwegian",), ("Oslo",)),
    "Cuba": (("Cuba",), ("Cuban",), ("Havana",)),
    "Venezuela": (("Venezuela",), ("Venezuelan",), ("Caracas",)),
    "Kazakhstan": (("Kazakhstan",), ("Kazakh",), ("Astana",)),
    "European Union": (("European Union", "EU", "E.U."), ("European",), ("Brussels",)),
    "NATO": (("NATO", "Nato"), (), ()),
    "United Nations": (("United Nations", "UN", "U.N."), (), ()),
    "ASEAN": (("ASEAN", "Association of Southeast Asian Nations"), (), ()),
    "African Union": (("African Union",), (), ()),
}


def _with_dataset(hand: Mapping[str, tuple[tuple[str, ...], ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every country of `countries.json` (made from the countryinfo package by `make_countries`),
    merged with the hand-written entries above, which add what no dataset has: metonyms ("the
    Kremlin", "Downing Street"), short forms reporting uses ("U.S.", "DPRK") and organisations.
    A word the dataset gives to several entries (territories share "French", "American") stays with
    the hand-written owner, or with nobody."""
    data = json.loads(Path(__file__).with_name("countries.json").read_text(encoding="utf-8"))
    owners: dict[str, set[str]] = {}
    for name, entry in data.items():
        for word in (*entry["names"], *entry["demonyms"], *entry["capitals"]):
            owners.setdefault(word.casefold(), set()).add(name)
    taken = {w.casefold() for entry in hand.values() for group in entry for w in group}
    out = {name: tuple(tuple(g) for g in entry) for name, entry in hand.items()}
    for name, entry in data.items():
        groups = []
        for key in ("names", "demonyms", "capitals"):
            groups.append(tuple(w for w in entry[key] if w.casefold() not in taken and len(owners[w.casefold()]) == 1))
        if name in out:
            out[name] = tuple(tuple(dict.fromkeys(old + extra)) for old, extra in zip(out[name], groups))
        elif any(groups):
            out[name] = tuple(groups)
    return out


COUNTRIES = _with_dataset(_HAND_WRITTEN)

# Cities and venues where diplomats meet: a "which city" question needs one of these in the evidence.
CITIES = {
    s
    for entry in COUNTRIES.values()
    for s in entry[2]
    if s
    not in (
        "White House",
        "State Department",
        "Pentagon",
        "Kremlin",
        "Zhongnanhai",
        "Elysee",
        "Élysée",
        "Downing Street",
    )
} | {
    "Munich",
    "Geneva",
    "Davos",
    "Bali",
    "Nusa Dua",
    "Hiroshima",
    "Istanbul",
    "New York",
    "Vienna",
    "Anchorage",
    "Osaka",
    "Vientiane",
    "Phnom Penh",
    "Kharkiv",
    "Odesa",
    "Lviv",
    "Jerusalem",
    "Jeddah",
    "Dubai",
    "Sochi",
    "St Petersburg",
    "St. Petersburg",
    "Saint Petersburg",
    "Vladivostok",
    "Camp David",
    "San Francisco",
    "Woodside",
    "Shanghai",
    "Tianjin",
    "Guangzhou",
    "Kazan",
    "Samarkand",
    "Tashkent",
    "Bishkek",
    "Dushanbe",
    "Ulaanbaatar",
    "Kyoto",
    "Busan",
    "Copenhagen",
    "Vilnius",
    "Riga",
    "Tallinn",
    "Prague",
    "Bratislava",
    "Bucharest",
    "Sofia",
    "Zagreb",
    "Lisbon",
    "Dublin",
    "Bern",
    "Zurich",
    "Luxembourg",
    "Valletta",
    "Nicosia",
    "Baku",
    "Yerevan",
    "Tbilisi",
    "Chisinau",
    "Almaty",
    "Ashgabat",
    "Naypyidaw",
    "Port Moresby",
    "Auckland",
    "Suva",
    "Honolulu",
    "Hong Kong",
    "Macau",
    "Dhaka",
    "Colombo",
    "Kathmandu",
    "Muscat",
    "Kuwait City",
    "Manama",
    "Lima",
    "Santiago",
    "Bogota",
    "Bogotá",
    "Quito",
    "Montevideo",
    "Rio de Janeiro",
    "Sao Paulo",
    "São Paulo",
    "Johannesburg",
    "Cape Town",
    # seats of government the dataset's one capital per country leaves out
    "La Paz",
    "Putrajaya",
    "Abidjan",
    "Dar es Salaam",
    "Cotonou",
    "Lagos",
    "Accra",
    "Dakar",
    "Kigali",
    "Kinshasa",
    "Luanda",
    "Algiers",
    "Tunis",
    "Rabat",
    "Tripoli",
    "Khartoum",
    "Sharm el-Sheikh",
    "Aqaba",
    "Gaza City",
    "Bethlehem",
    "Hebron",
    "Nablus",
    "Mar-a-Lago",
    "Seattle",
    "Los Angeles",
    "Chicago",
    "Boston",
    "Philadelphia",
    "Miami",
    "Houston",
    "Brisbane",
    "Sydney",
    "Melbourne",
    "Perth",
    "Toronto",
    "Montreal",
    "Vancouver",
    "Hamburg",
    "Frankfurt",
    "Milan",
    "Naples",
    "Florence",
    "Venice",
    "Barcelona",
    "Marseille",
    "Lyon",
    "Nice",
    "Strasbourg",
    "Salzburg",
    "Lausanne",
    "Cannes",
    "Biarritz",
    "Elmau",
    "Cornwall",
    "Brussels",
    "Warsaw",
    "Ankara",
    "Kyiv",
    "Moscow",
    "Beijing",
    "Tokyo",
    "Seoul",
    "Washington",
}

# Title words: what comes before a name ("Foreign Minister Wang Yi") or after it in apposition.
TITLE_WORDS = {
    "president",
    "vice",
    "prime",
    "minister",
    "ministers",
    "premier",
    "chancellor",
    "foreign",
    "defense",
    "defence",
    "secretary",
    "state",
    "general",
    "commerce",
    "trade",
    "treasury",
    "finance",
    "national",
    "security",
    "advisor",
    "adviser",
    "councilor",
    "councillor",
    "counselor",
    "counsellor",
    "ambassador",
    "envoy",
    "special",
    "king",
    "queen",
    "prince",
    "crown",
    "emir",
    "sultan",
    "supreme",
    "leader",
    "chairman",
    "chairwoman",
    "chair",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "director",
    "deputy",
    "senator",
    "sen.",
    "speaker",
    "governor",
    "mayor",
    "pope",
    "representative",
    "chief",
    "head",
    "authority",
    "executive",
    "commissioner",
    "high",
    "top",
    "diplomat",
    "counterpart",
    "official",
    "officials",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "gen.",
    "adm.",
    "lt.",
    "col.",
    "party",
    "communist",
    "central",
    "committee",
    "military",
    "commission",
    "cabinet",
    "office",
    "department",
    "ministry",
    "affairs",
    "external",
    "interior",
    "home",
    "energy",
    "economy",
    "economic",
    "agriculture",
    "health",
    "u.s.",
    "assistant",
    "under",
    "senior",
    "first",
    "lady",
    "sheikh",
    "hon",  # honorifics of official readouts: "Senator the Hon Claire Whitmore", "His Excellency ..."
    "hon.",
    "honourable",
    "honorable",
    "excellency",
    "h.e.",
    "general-secretary",
    "secretary-general",
    "of",
    "the",
}
# The head noun of a title: what a descriptor mention ("the Russian leader") ends in.
TITLE_HEADS = {
    "excellency",  # "His Excellency Arif Wicaksono"
    "president",
    "minister",
    "premier",
    "chancellor",
    "secretary",
    "advisor",
    "adviser",
    "councilor",
    "councillor",
    "counselor",
    "counsellor",
    "ambassador",
    "envoy",
    "king",
    "queen",
    "prince",
    "emir",
    "sultan",
    "leader",
    "chairman",
    "chairwoman",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "director",
    "senator",
    "speaker",
    "governor",
    "mayor",
    "chief",
    "head",
    "diplomat",
    "counterpart",
    "commissioner",
    "official",
    "host",
    "guest",
}

# Capitalised words that are never part of a person's name.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# News style abbreviates most months before a day ("Nov. 14", "Sept. 5"): how a month may be written,
# a pattern for it, and its number.
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
MONTH_PATTERN = r"(?:" + "|".join(m.title() for m in (*MONTHS, *MONTH_ABBREVIATIONS)) + r")\.?"


def month_number(word: str) -> int:
    """1-12 for a month as written: "November", "Nov.", "Sept."."""
    key = word.rstrip(".").casefold()[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


def month_spellings(number: int) -> set[str]:
    """Every way a month is written, casefolded and without a full stop: {"september", "sep", "sept"}."""
    return {m for m in (*MONTHS, *MONTH_ABBREVIATIONS) if month_number(m) == number}


NON_NAME = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "as",
    "according",
    "when",
    "while",
    "later",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "it",
    "its",
    "his",
    "her",
    "their",
    "but",
    "and",
    "also",
    "first",
    "second",
    "third",
    "read",
    "photo",
    "credits",
    "credit",
    "follow",
    "hey",
    "thanks",
    *WEEKDAYS,
    *MONTHS,
    "conference",
    "summit",
    "council",
    "ministry",
    "department",
    "corp",
    "corp.",
    "co",
    "inc",
    "party",
    "agency",
    "news",
    "press",
    "union",
    "nations",
    "assembly",
    "forum",
    "house",
    "reuters",
    "ap",
    "afp",
    "xinhua",
    "tass",
    "kcna",
    "yonhap",
    "wafa",
    "unn",
    "jiji",
    "kyodo",
    "reporting",
    "editing",
    "writing",
    "by",
    "for",
    "from",
    "with",
    "to",
    "of",
    "under",
    "there",
    "here",
    "what",
    "who",
    "which",
    "why",
    "how",
    "if",
    "not",
    "no",
    "yes",
    "all",
    "both",
    "each",
    "some",
    "many",
    "more",
    "most",
    "strait",
    "sea",
    "peninsula",
    "ocean",
    "valley",
    "bank",
    "strip",
    "asia",
    "europe",
    "africa",
    "america",
    "middle",
    "east",
    "west",
    "north",
    "south",
    "central",
    "indo-pacific",
    "peace",
    "war",
    "security",
    "state",
    "minister",
    "president",
    "secretary",
    "prime",
    "foreign",
    "chancellor",
    "premier",
    "leader",
    "government",
    "statement",
    "readout",
    "spokesperson",
    "official",
    "officials",
    "talks",
    "meeting",
    "agreement",
    "patriot",
    "patriots",
    "petriots",
    "kh-101",
    "g7",
    "g20",
    "brics",
    "ly",
    "naver",
    "mr",
    "ms",
    "mrs",
    "dr",
    "says",
    "said",
    "will",
    "would",
    "should",
    "can",
    "could",
    "we",
    "i",
    "you",
    "our",
    "my",
    "your",
    "one-china",
    "however",
    "meanwhile",
    "still",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "earlier",
    "last",
    "next",
    "new",
    "breaking",
    "update",
    "live",
    "advertisement",
    "share",
    "subscribe",
    "related",
    "image",
    "video",
    "watch",
}


# Statement kinds and the verb phrases that signal them (CAMEO/PLOVER classes, folded).
STATEMENT_CUES: dict[str, tuple[str, ...]] = {
    "demand": (
        r"demand(?:s|ed|ing)?",
        r"insist(?:s|ed|ing)?",
        r"press(?:es|ed)?\b(?=\s+\w+(?:\s+\w+)?\s+to\b)",
        # "Ankara pressed for a joint commission", "what Brussels pushed for", "wanted Turkey to withdraw"
        # not the passive "When pressed for details, Silva declined", "Silva, pressed for time, ..."
        r"(?<=\w )(?<!when )(?<!When )(?<!was )(?<!were )(?<!been )(?<!being )(?:press|push)(?:es|ed|ing)?\s+for\b"
        r"(?!\s+(?:details|comment|time|an?\s+answer|a\s+response|specifics)\b)",
        r"want(?:s|ed)?\b(?=\s+\w+(?:\s+\w+)?\s+to\b)",
        r"ask(?:s|ed)?\b(?=\s+\w+(?:\s+\w+)?\s+(?:to|for)\b)",
        # "He asked that Peruvian authorities step up inspections", "Norway would like Canada to send a
        # frigate" (not "Asked that question, Lavrov smiled", "When asked that day"; "expected Iraq to"
        # is as often a forecast: "Few diplomats expected Trump to agree")
        r"(?<=\w )(?<![Ww]hen )ask(?:s|ed)?\s+that\b(?!\s+(?:question|day|time|week|month|year|morning|evening)\b)",
        r"would\s+like\b(?=\s+\w+(?:\s+\w+)?\s+to\b)",
        r"request(?:s|ed|ing)?",
        r"need(?:s|ed)?\b",
        r"must\b",
        # "sought the release of"; not "sought to ease tensions", which reports an aim, not a demand,
        # nor "a sought-after deal".
        r"sought\b(?!\s+to\b|-)",
        r"seek(?:s|ing)?\b(?!\s+to\b|-)",
    ),
    "urge": (r"urg(?:e|es|ed|ing)",),
    "call-on": (r"call(?:s|ed|ing)?\s+(?:on|upon|for)\b",),
    "warn": (r"warn(?:s|ed|ing)?", r"caution(?:s|ed)?", r"threaten(?:s|ed)?"),
    "concern": (
        r"rais(?:e|es|ed|ing)\s+(?:\W?\s*)?concerns?",
        r"express(?:es|ed)?\s+(?:\w+\s+)?(?:concern|unease|worry)",
        r"voic(?:e|es|ed)\s+(?:\w+\s+)?(?:concern|unease)",
        r"concerns?\s+(?:about|over|regarding)",
    ),
    "emphasize": (
        r"emphasi[sz](?:e|es|ed|ing)",
        r"stress(?:es|ed|ing)?",
        r"underlin(?:e|es|ed)",
        r"underscor(?:e|es|ed)",
        r"reiterat(?:e|es|ed|ing)",
        r"restat(?:e|es|ed|ing)",
        r"highlight(?:s|ed)?",
        r"noted",
        r"reaffirm(?:s|ed)?",
    ),
    "reject": (
        r"reject(?:s|ed|ing)?",
        r"oppos(?:e|es|ed)",
        r"condemn(?:s|ed|ing)?",
        r"denounc(?:e|es|ed)",
        r"criticiz(?:e|es|ed)",
        r"criticis(?:e|es|ed)",
        r"protest(?:s|ed)?",
    ),
    "agree": (
        r"agree(?:s|d|ing)?",
        r"pledg(?:e|es|ed|ing)",
        r"sign(?:s|ed|ing)?\b",
        r"confirm(?:s|ed)?",
        r"commit(?:s|ted)?",
        r"promis(?:e|es|ed)",
        r"vow(?:s|ed)?",
        r"will\s+(?:open|launch|hold|continue)",
    ),
    "propose": (r"propos(?:e|es|ed|ing)", r"suggest(?:s|ed)?", r"invit(?:e|es|ed)", r"offer(?:s|ed)?"),
    "state": (
        r"said",
        r"saying",
        r"assert(?:s|ed)?",
        r"claim(?:s|ed)?",
        r"accus(?:e|es|ed)",
        r"den(?:y|ies|ied)",
        r"says",
        r"told",
        r"stated",
        r"wrote",
        r"writes",
        r"tweeted",
        r"describ(?:e|es|ed|ing)",
        r"thank(?:s|ed|ing)?",
        r"prais(?:e|es|ed)",
        r"expressed",
        r"voiced",
        r"believ(?:e|es|ed)",
        r"hop(?:e|es|ed)",
        r"welcom(?:e|es|ed)",
        r"added",
        r"supports?",
        r"supported",
        r"brought\s+up",
        r"raised",
        r"set\s+out",
        r"referred",
        r"described",
    ),
}
CUE_PATTERNS = {kind: re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.I) for kind, cues in STATEMENT_CUES.items()}

MEETING_CUES = re.compile(
    r"\b(?:met|meet|meets|meeting|talks|talked|held|hold|holds|discuss(?:ed|es|ion|ions)?|summit|visit(?:ed|s)?|"
    r"spoke|phone call|call|sat down|conversation|exchange|encounter|hosted|received|"
    # "welcomed his Chilean counterpart", "welcomed Mohamud to State House" (not "welcomed the deal")
    r"welcom(?:ed|es|ing)\s+(?:[\w'\u2019-]+\s+){0,4}?(?:counterpart|guest|visitor|delegation)s?|"
    r"welcom(?:ed|es|ing)\s+(?-i:(?:(?:[A-Z]\.)+\s+|[A-Z][\w'\u2019-]*\s+){1,4})to)\b",
    re.I,
)


def side_aliases() -> dict[str, str]:
    """Every name, demonym and seat, casefolded, mapped to its side."""
    out: dict[str, str] = {}
    for side, (names, demonyms, seats) in COUNTRIES.items():
        for word in (*names, *demonyms, *seats):
            out.setdefault(word.casefold(), side)
    return out


def trie_pattern(words: Iterable[str]) -> str:
    """One regex for many words, shaped as their prefix tree ("Arm(?:enia(?:n)?)", ...).

    Python's regex engine tries the branches of a plain alternation one by one at every position of
    the text; with a thousand country words that made every country lookup cost as much as the rest
    of a sentence's analysis. In a tree only the branch of the next letter is tried. At each word end
    the longer continuation is tried first, so the longest word wins, as with an alternation sorted
    longest first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return build(trie)


SIDE_ALIASES = side_aliases()
_ALIAS_RE = re.compile(
    r"(?<![\w.])(" + trie_pattern({w for e in COUNTRIES.values() for g in e for w in g}) + r")(?![\w])"
)


def country_word(words: str) -> str | None:
    """The side whose own name or demonym `words` wholly are ("EU", "Ivorian", "Portugal"); None for
    anything else, a seat or a metonym too ("Elysee", "the Kremlin", "Lisbon" name buildings and cities)."""
    found = find_sides(words)
    if len(found) != 1 or found[0][:2] != (0, len(words)):
        return None
    names, demonyms, _seats = COUNTRIES.get(found[0][2], ((), (), ()))
    return found[0][2] if words.casefold() in {w.casefold() for w in (*names, *demonyms)} else None


# "South American presidents", "Latin America", "Pan-American": a region and its people, not the
# United States (the word before may be wrapped onto another line or joined by any hyphen).
_REGION_BEFORE = re.compile(r"(?<![\w-])(?:South|North|Latin|Central|Pan)[\s\u00a0\u2010-\u2013-]+$")


def names_a_region(text: str, start: int) -> bool:
    """Whether the word at `start` ("America", "American(s)") is a region's, by the word before it."""
    return text.startswith("America", start) and bool(_REGION_BEFORE.search(text[max(0, start - 16) : start]))


def find_sides(text: str) -> list[tuple[int, int, str]]:
    """Spans of country words in `text` with the side they name (case-sensitive: "US" not "us")."""
    out = []
    for m in _ALIAS_RE.finditer(text):
        side = SIDE_ALIASES.get(m.group(1).casefold())
        if side and not names_a_region(text, m.start()):
            out.append((m.start(), m.end(), side))
    return out
