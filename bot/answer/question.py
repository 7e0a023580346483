"""Question understanding: what is asked (intent) and about whom, which side, where and when (focus).

Intents: who_met, where_when, topics, demands, side_position, outcome, other. Country words
("China", "Chinese", "Beijing", "the American side") become a side, which the answer matches to that
side's people through the extracted statements.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from bot.answer.catalog import Catalog, KnownPerson
from bot.answer.names import same_person
from bot.answer.text import STOP, similar_name
from ingest.extraction.lexicon import (
    CITIES,
    COUNTRIES,
    MONTH_ABBREVIATIONS,
    MONTH_PATTERN,
    MONTHS,
    NON_NAME,
    SIDE_ALIASES,
    TITLE_HEADS,
    TITLE_WORDS,
    WEEKDAYS,
    find_sides,
    month_number,
    names_a_region,
)

_CROSS = re.compile(
    r"\b(?:which|what|in which|how many)\s+(?:of\s+(?:these|the)\s+|other\s+)?(?:meetings|articles|reports|stories|encounters)\b|"
    r"\bin\s+these\s+articles\b|\bin\s+this\s+(?:collection|set)\b(?!\s+of\b)|\bacross\s+(?:the|these)\s+articles\b|\bwhich\s+of\s+these\b|"
    r"\b(?:covered|reported)\s+here\b|\bin\s+each\s*\?",
    re.I,
)
Intent = Literal["who_met", "where_when", "topics", "demands", "side_position", "outcome", "other"]

_INTENTS: list[tuple[Intent, re.Pattern]] = [
    (
        "where_when",
        re.compile(
            r"^\W*(?:and\s+)?(?:where|when)\b|\b(?:what|which)\s+(?:exact\s+|precise\s+)?(?:day|date|city|venue|country|place)\b|"
            r"\bon\s+what\s+day\b|\bsidelines\s+of\s+which\b|\bmargins\s+of\s+which\b|\bhow\s+long\b|"
            r"\b(?:in|at)\s+(?:which|what)\s+(?:city|country|town|building|palace|hotel|residence|venue)\b|"
            r"\bfiled\s+from\b",
            re.I,
        ),
    ),
    (
        "who_met",
        re.compile(
            r"^\W*(?:and\s+)?(?:who|whom|which\s+(?:(?!(?:did|do|does|will|was|were|is|are)\b)\w+\s+){0,2}"
            r"(?:leaders?|officials?|ministers?|diplomats?|presidents?|"
            r"premiers?|chancellors?|envoys?))\b.*"
            r"\b(?:meet|meets|met|talk(?:s|ed|ing)?(?!\s+about)|counterpart|t[ao]ok\s+part|take\s+part|participat\w*|"
            r"s[ai]t\s+down|sitting\s+down|hold|held|holding|involved|with whom|receive|received|host|hosted|"
            r"welcome|welcomed|represented|attended|(?:speak|spoke|spoken|speaking)\s+with|(?:tele)?phoned)\b|"
            r"\bcounterpart\b|\bwith whom\b|\bwho\s+(?:took part|attended|met|was\s+\w+\s+meeting)|"
            # "Who were the two presidents at the border meeting?"
            r"^\W*who\s+(?:were|was)\s+the\s+(?:\w+\s+){0,2}(?:leaders|presidents|ministers|officials|delegates|"
            r"participants|envoys|diplomats|heads|representatives|negotiators|mediators)\s+(?:at|in)\s+the\b[^?]*"
            r"\b(?:meeting|talks|summit)\b",
            re.I,
        ),
    ),
    (
        "demands",
        re.compile(
            r"\b(?:ask|asks|asked|urge|urged|urges|demand|demanded|demands|press|pressed|call\s+on|called\s+on|"
            r"call\s+for|called\s+for|request\w*|want\w*\s+\w+\s+to|press\w*\s+\w+\s+to|single\s+out|"
            r"(?:push|press)\w*\s+for|want(?:s|ed)?(?=\s*\?))\b",
            re.I,
        ),
    ),
    (
        "outcome",
        re.compile(
            r"\b(?:agree|agreed|agreement|sign|signed|deal|outcome|result|progress|pledge\w*|decid\w*|commit\w*|"
            # "What did the summit produce?", "What came out of the talks?"
            r"follow-up|follow up|c[ao]me\s+out\s+of|"
            r"(?:talks|meeting|summit|visit|call|trip|session|round)\s+(?:\w+\s+){0,3}?(?:produce|produced|yield|yielded))\b",
            re.I,
        ),
    ),
    (
        "side_position",
        re.compile(
            r"\b(?:say|said|tell|told|emphasi[sz]e|stress|warn|raise|raised|concerns?|describe|describ\w+|"
            r"characteri[sz]e|thank|thanked|support|respond|react\w*|condemn|promise|propose|reject|insist|"
            r"call|view|position|stance|defend|intend\w*|think|believe|continue)\b",
            re.I,
        ),
    ),
    (
        "topics",
        re.compile(
            r"\b(?:discuss\w*|topics?|subjects?|themes?|issues?|agenda|(?<!put\s)on\s+the\s+table|talk\s+about|came\s+up|exchange\w*\s+views|situations?|"
            r"dealt\s+with|deal\s+with|involve)\b",
            re.I,
        ),
    ),
]
_KIND_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("warn", ("warn",)),
    ("concern", ("concern",)),
    ("emphasize", ("emphasi", "stress", "underlin", "reiterat", "principle")),
    ("agree", ("agree", "sign", "pledge", "promis", "commit")),
    ("reject", ("condemn", "reject", "oppose")),
    (
        "demand",
        (
            "ask",
            "urge",
            "demand",
            "call on",
            "call for",
            "called on",
            "called for",
            "press",
            "push",
            "want",
            "request",
            "single",
        ),
    ),
]
_KEEP_IN_NAMES = {
    "g7",
    "g20",
    "brics",
    "ly",
    "naver",
    "patriot",
    "patriots",
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
    "middle",
    "east",
    "west",
    "north",
    "south",
    "central",
    "indo-pacific",
    "conference",
    "summit",
    "council",
    "union",
    "nations",
    "assembly",
    "forum",
    "security",
    "peace",
    "corp",
    "corp.",
}
_FIRST_WORDS = {
    "what",
    "who",
    "which",
    "where",
    "when",
    "how",
    "did",
    "does",
    "do",
    "and",
    "in",
    "on",
    "why",
    "is",
    "was",
    "were",
    "are",
    "besides",
    "according",
    "at",
    "with",
    "from",
    "for",
    "during",
    "after",
    "before",
    "has",
    "have",
    # Other words of the closed classes (prepositions, conjunctions, auxiliaries) that open a question
    # with a capital only because they come first: "Apart from the dam, ...?" names no one "Apart".
    "apart",
    "aside",
    "beyond",
    "since",
    "despite",
    "following",
    "under",
    "between",
    "among",
    "against",
    "as",
    "to",
    "by",
    "if",
    "once",
    "until",
    "while",
    "whom",
    "whose",
    "can",
    "could",
    "would",
    "will",
    "should",
    "had",
    "but",
    "so",
    "then",
    "also",
    "other",
}
_PLACE = re.compile(r"\b(?:in|at)\s+((?:the\s+)?[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*)")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DAY = r"(?:(" + MONTH_PATTERN + r")\s+(\d{1,2})|(\d{1,2})\s+(" + MONTH_PATTERN + r"))(?:,?\s+\d{4})?"
_MEETING_WORD = r"(?:meeting|talks|visit|summit|call|conversation)"
# A day given for the meeting itself: "their August 31, 2022 meeting", "the talks on 27 February".
_MEETING_DAY = [
    re.compile(r"\b" + _DAY + r"(?=(?:\s+[\w'\u2019-]+){0,2}\s+" + _MEETING_WORD + r"\b)"),
    re.compile(r"\b" + _MEETING_WORD + r"\s+(?:on\s+)?" + _DAY),
    # "Which leaders met in Seoul on May 26?", "when they spoke on Friday, 15 November"
    re.compile(r"\b(?:met|meet|meets|spoke|talked|held\s+talks)\b[^?.]{0,60}?\bon\s+(?:[A-Z][a-z]+,?\s+)?" + _DAY),
]
_ABOUT = re.compile(
    r"\b(?:about|regarding|concerning|on|over|in\s+terms\s+of|with\s+regard\s+to)\s+(?:the\s+)?(.+?)"
    r"(?:\s+(?:when|during|at|in|with)\s+.*)?\??$",
    re.I,
)
# A yes-or-no question whether a topic came up: "Did they discuss X?", "Was X raised at the talks?"
_DISCUSSED = re.compile(
    r"\W*(?:did|do|does|have|has|had)\b.{0,60}?\b(?:discuss(?:ed)?|raised?|address(?:ed)?|mention(?:ed)?|"
    r"(?:bring|brought)\s+up|talk(?:ed)?\s+about|touch(?:ed)?\s+on)\s+"
    r"(?:the\s+(?:issue|question|subject|topic)\s+of\s+|the\s+)?(.+?)"
    # what follows the topic: the meeting ("at the talks"), a time ("before"), or a second question
    r"(?:\s+(?:when|during|at|in|with|after|before)\s+.*|,?\s+and\s+(?:what|where|when|who|whom|how|which|did|was|were)\b.*|"
    r"\s+(?:before|earlier|again|previously|yet|already)\b.*)?\??$|"
    r"\W*(?:was|were|is|are)\s+(?:the\s+(?:issue|question|subject|topic)\s+of\s+|the\s+)?(.+?)\s+"
    r"(?:discussed|raised|addressed|mentioned|brought\s+up|on\s+the\s+agenda)\b.*$",
    re.I,
)
_SECOND_QUESTION = re.compile(r",?\s+and\s+(?:what|where|when|who|whom|how|which|did|was|were)\b", re.I)
# The kind of fact a question asks for, which the answer must state.
_WANTS_VENUE = re.compile(
    r"\b(?:where\s+exactly|exact\s+(?:venue|location|place|spot)|(?:which|what)\s+(?:building|palace|hotel|"
    r"residence|venue|guest\s*house))\b",
    re.I,
)
# "Where in Moscow ...?" (a city: the building is asked; "Where in Russia ...?" asks for the city)
_WHERE_IN = re.compile(r"\bwhere\s+in\s+([\w'\u2019-]+)(?:\s+([\w'\u2019-]+))?", re.I)
_WANTS_PLACE = re.compile(
    r"\bwhere\b|\bcity\b|\btown\b|\bvenue\b|\bplace\b|\bsidelines\b|\bmargins\b|\bcountry\b|"
    r"\bbuilding\b|\bpalace\b|\bhotel\b|\bresidence\b",
    re.I,
)
_WANTS_DURATION = re.compile(r"\bhow\s+long\b|\bfor\s+how\s+long\b|\bhow\s+many\s+(?:hours|days|years|months)\b", re.I)
# "How long after / since / before ...?", "How long ago ...?", "How long had it been ...?": how long
# ago; "How long did the talks last?", "... did Biden stay in Beijing before flying on?": how long.
_ASKS_INTERVAL = re.compile(r"\bhow\s+long\s+(?:after|since|before|ago|(?:had|has|was|is)\s+it\s+been)\b", re.I)
_ASKS_LENGTH = re.compile(r"\b(?:last|lasted|take|took|talk|talked|meet|met|stay|stayed|spend|spent|run|ran)\b", re.I)
# A sum of money asked for: "How much will it cost / did they pledge / is it worth?", "What is the
# (estimated) cost / value of ...?", "its monetary value". Not "How much of the land ...", nor "What
# did they say about the cost of living?", which asks what was said.
_ASKS_MONEY = re.compile(
    r"^\W*how\s+much\b(?!\s+(?:of|time|longer|more|land|water|territory|gas|oil|grain|progress|support))"
    r"(?:(?!\btalk\w*\s+about\b|\b(?:emphasis|attention|weight|importance)\b)[^?])*"
    r"\b(?:cost|costs|pay|paid|spend|spent|invest\w*|pledg\w*|worth|fund\w*|grant\w*|aid|money|loans?|"
    r"financ\w*|budget|compensation)\b|"
    r"^\W*what\s+(?:is|was|will\s+be|would\s+be)\s+the\s+(?:\w+\s+){0,2}(?:cost|price|value)\s+of\b|"
    # "At what price will they sell power?", "What price per unit did they settle on?"; not "What price
    # controls were discussed?", which asks for a topic
    r"^\W*(?:and\s+)?(?:at\s+)?what\s+(?:\w+\s+)?price(?:\s+per\s+[\w-]+)?\s+"
    r"(?:did|does|do|was|is|were|are|has|have|had|will|would|should|can|could)\b|"
    r"\bmonetary\s+value\b",
    re.I,
)
_WANTS_NUMBER = re.compile(
    r"\bhow\s+(?:much|many)\b|\bwhat\s+(?:\w+\s+)?(?:volume|amount|sum|number|figure|percentage|share|size|total)\b",
    re.I,
)
# the verb, not a place asked for: "When will the session take place?" asks only when
_TAKE_PLACE = re.compile(r"\b(?:take|takes|took|taken|taking)\s+place\b", re.I)
_WANTS_TIME = re.compile(
    r"\b(?:deadline|timeline|timetable|time\s?frame|period|by\s+when|how\s+soon|within\s+what|until\s+when)\b", re.I
)
# "Where are they next due to meet?", "When will she bring them together again?", "... intend to ...".
_WANTS_NEXT = re.compile(
    r"\b(?:next(?!\s+to\b)|again|supposed\s+to|(?:due|intends?|plans?|(?<!was\s)(?<!were\s)scheduled)\s+to\s+(?:\w+\s+){0,2}?(?:meet|visit|"
    r"hold|convene|travel|host|return|resume|talk|speak|see)|(?:will|would|shall)\s+(?:\w+\s+){0,3}?(?:meet|visit|hold|convene|"
    r"travel|host|return|resume))\b",
    re.I,
)
# "When will the first session of the new commission take place?", "On what date will the committee
# hold its first meeting?": the date of something to come, however far the verb is from the question word.
_WHEN_WILL = re.compile(
    r"^\W*(?:and\s+)?(?:when|where|(?:on|in)\s+(?:what|which)\s+(?:exact\s+|precise\s+)?(?:date|day|month|city))\s+"
    r"(?:will|would|shall)\s+(?:[\w'\u2019-]+\s+){1,10}?(?:be\s+held|take\s+place|hold|convene|meet)\b",
    re.I,
)
# "When did they last meet?", "their previous talks"; not "How long did the meeting last?".
_WANTS_EARLIER = re.compile(
    r"\b(?:previous(?:ly)?|earlier\s+(?:meeting|talks|visit)|"
    r"last\s+(?:met|meet|spoke|spoken|speak|talked|talk|visited|visit|saw|see|held|hold|time))\b",
    re.I,
)
_WANTS_NAME = re.compile(
    r"^\W*(?:and\s+)?(?:who|whom|with\s+whom|which\s+(?:\w+\s+)?(?:leaders?|officials?|bodies|body|"
    r"countries|organi[sz]ations?|envoys?|ministers?|mediators?|states?))\b",
    re.I,
)
# "How many Kenyan troops are ...", "How many barrels of oil a day ...": what is counted, two words at
# most right before an auxiliary ("How many US troops remain ...?" and "How many were released?" name
# no such thing, and are not checked).
_NOT_AUX = r"(?!(?:are|is|were|was|will|would|do|does|did|have|has|had|can|could|should|of|the|a)\b)"
_COUNTED = re.compile(
    r"^\W*(?:and\s+)?(?:by\s+)?how\s+many\s+((?:" + _NOT_AUX + r"[\w'\u2019-]+\s+)?" + _NOT_AUX + r"[a-z][\w-]*)\s+"
    r"(?:are|is|were|was|will|would|do|does|did|have|has|had|can|could|should|of|a|per|each)\b",
    re.I,
)
# "For how long ...?", "By how many days ...?" (not "By how much ...?", which "by half" answers)
_ASKS_QUANTITY = re.compile(r"^\W*(?:and\s+)?(?:for\s+|by\s+(?=how\s+many))?how\s+(much|many|long)\b", re.I)
# "What (annual) volume of water ...?", "What sum of money ...?": a quantity asked for as plainly.
_ASKS_QUANTITY_OF = re.compile(
    r"^\W*(?:and\s+)?what\s+(?:\w+\s+)?(?:volume|amount|sum|number|figure|percentage|size|total)\s+of\b", re.I
)


@dataclass
class Question:
    text: str
    intent: Intent
    cross: bool = False
    people: list[KnownPerson] = field(default_factory=list)  # known people named, in order
    actor: KnownPerson | None = None
    actor_side: str | None = None
    sides: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # "in Munich", "at the Kremlin"
    unknown_names: list[str] = field(default_factory=list)  # proper nouns the store does not know as people
    offices: list[Office] = field(default_factory=list)  # offices named instead of people
    years: list[str] = field(default_factory=list)
    meeting_days: list[tuple[int, int]] = field(default_factory=list)  # (month, day) the meeting is said to be on
    kinds: set[str] = field(default_factory=set)
    wants_date: bool = False
    wants_place: bool = False  # a where/when question about a place
    wants_city: bool = False  # "In which city ...?": a venue or an event is not an answer
    # "Where in Moscow ...?", "At which venue in Beijing ...?", "In which building ...?", "Where exactly
    # ...?": the building, not the city the question already knows
    wants_venue: bool = False
    wants_duration: bool = False
    # "How long after / since ...?", "How long had it been ...?" ask how long ago (True); "How long did
    # the talks last?" how long something lasted (False); None when the question does not say.
    wants_interval: bool | None = None
    wants_number: bool = False
    wants_time: bool = False  # a deadline or a period
    wants_name: bool = False  # "who", "which leaders"
    asks_title: bool = False  # "What position does Abbas hold?": the title the report gives one person
    wants_next: bool = False  # about a meeting or step still to come ("Where will they meet next?")
    wants_earlier: bool = False  # about a meeting before the one reported ("When did they last meet?")
    quantity: str | None = None  # "duration" or "number" when the question opens with "How long/much/many"
    counted: str | None = None  # "How many patrol ships is ...?": what is counted ("patrol ships")
    wants_money: bool = False  # "How much will the corridor cost?", "What is the value of the deal?"
    about: str | None = None
    excluded: str = ""  # "besides Ukraine", "apart from the dam": what the answer is not about
    about_strict: bool = False
    parts: list[str] = field(default_factory=list)  # "..., and what did Russia claim?": asked separately
    core: str = ""  # the question without its "according to ..." source clause
    role: bool = False  # "What position does X hold?"

    @property
    def asks_speaker(self) -> bool:
        """What one person or side said or asked for ("What did X urge?"), not who met where."""
        has_speaker = self.actor is not None or bool(self.actor_side)
        return has_speaker and self.intent not in ("where_when", "who_met", "topics")

    @property
    def proper_terms(self) -> list[str]:
        return self.unknown_names + self.places


# "Besides Ukraine, ...", "Apart from the dam, ...", "... other than trade?": named to be left out.
_EXCLUDED = re.compile(
    r"\b(?:besides|apart\s+from|aside\s+from|other\s+than|except(?:\s+for)?|beyond)\s+"
    r"((?:(?!what\b|which\b|who\b|how\b)[^,?;])+)",
    re.I,
)
_INTERROGATIVE = re.compile(r"^\s*(?:what|which|who|whom|whose|how|when|where|why)\b\s*", re.I)


def embedding_text(question: str) -> str:
    """The question as the embedder sees it: without its opening interrogative word and question mark.

    all-MiniLM-L6-v2 was trained on pairs of statements, and the sentences it is compared with are
    statements: the "What"/"How" and the "?" carry no content, yet in a short question they pull the
    vector towards other questions. Dropping them raised the rank of the gold evidence sentence on
    both gold sets, out of fold (mean reciprocal rank dev 0.839 -> 0.843, dev2 0.747 -> 0.771); also
    dropping the auxiliary ("What did" -> "") or keeping the "?" did less well on dev2.
    """
    stripped = _INTERROGATIVE.sub("", question).rstrip(" ?")
    return stripped or question


def classify(text: str) -> Intent:
    for intent, pattern in _INTENTS:
        if pattern.search(text):
            return intent
    return "other"


# A people named in the plural ("Guatemalans", "the Americans", "Israelis"): the side of its demonym.
_PLURAL_PEOPLES = {
    demonym.casefold() + "s": side
    for side, (_, demonyms, *_) in COUNTRIES.items()
    for demonym in demonyms
    if demonym[-1:].isalpha() and not demonym.endswith(("s", "sh", "ch", "ese"))
}


def plural_peoples(text: str) -> list[str]:
    """The sides a question names as a people in the plural, which `find_sides` does not read."""
    return [
        _PLURAL_PEOPLES[m.group().casefold()]
        for m in re.finditer(r"\b[A-Z][a-z]+s\b", text)
        if m.group().casefold() in _PLURAL_PEOPLES and not names_a_region(text, m.start())
    ]


# The last word of a demonym of several ("Korean" of "South Korean", "Lankan" of "Sri Lankan"): joined
# to another by a hyphen ("the Kazakh-Korean talks") a country, if not which one, and no name a
# report must hold word for word.
_DEMONYM_TAILS = {d.rsplit(" ", 1)[1].casefold() for entry in COUNTRIES.values() for d in entry[1] if " " in d}


def _side_word(word: str, hyphened: bool = False) -> bool:
    """A country word, or a people named in the plural."""
    low = word.casefold()
    return low in SIDE_ALIASES or low in _PLURAL_PEOPLES or (hyphened and low in _DEMONYM_TAILS)


def proper_nouns(text: str) -> list[str]:
    """Runs of capitalised words that are not question words, titles or dates; a run that is only
    a country word ("China", "North Korea") names a side, not something the store must contain."""
    out: list[str] = []
    tokens = re.findall(r"[A-Za-z0-9][\w'\u2019.]*(?:-[\w'\u2019.]+)*|[\u2013\u2014,?;:]", text)
    run: list[str] = []

    def flush() -> None:
        if run:
            phrase = " ".join(run)
            # "the Japan-Philippines summit": two sides; (part, joined to another by a hyphen)
            parts = [(p, "-" in t) for t in run for p in t.split("-") if p]
            hyphened = any("-" in t for t in run)
            # "the Sudan-South Sudan talks": a country of two words on one side of the hyphen
            segments = [seg.strip() for seg in phrase.split("-") if seg.strip()]
            sides_only = all(_side_word(p, joined) for p, joined in parts) or (
                hyphened and all(_side_word(seg, hyphened) for seg in segments)
            )
            if phrase.casefold() not in SIDE_ALIASES and not sides_only:
                out.append(phrase)
            run.clear()

    for i, tok in enumerate(tokens):
        bare = re.sub(r"['\u2019]s$", "", tok).rstrip(".")
        if tok in ("U.S.", "U.K.", "U.N.", "E.U."):
            bare = tok
        low = bare.casefold()
        is_cap = bare[:1].isupper() or (bare[:1].isdigit() and bare[1:2].isupper())
        if (
            not is_cap
            or (i == 0 and low in _FIRST_WORDS)
            or low in STOP
            or (low in TITLE_WORDS and low not in SIDE_ALIASES)
            or low in WEEKDAYS
            or low in MONTHS
            or low in MONTH_ABBREVIATIONS
            or (low in NON_NAME and low not in _KEEP_IN_NAMES and low not in SIDE_ALIASES)
        ):
            flush()
            continue
        # "the AU-mediated talks", "Saudi-backed": the name, not the adjective made of it
        run.append(re.sub(r"(?<=\w)-[a-z][\w-]*$", "", bare))
    flush()
    return out


def _match_people(text: str, catalog: Catalog) -> list[tuple[int, KnownPerson]]:
    """Known people the question names, with where. A name written in full claims its words ("Mahmoud
    Abbas" is not also "Faisal Mahmoud"), and a word that is someone's surname is not also someone
    else's given name ("Abbas" alone is Mahmoud Abbas, not Abbas Mousavi)."""
    matches: list[tuple[int, KnownPerson, str]] = []  # (position, person, "surname" | "first")
    tokens: list[tuple[int, str]] = []
    for m in re.finditer(r"[A-Z][\w'\u2019]*(?:-[\w]+)*", text):
        if "-" in m.group() and not catalog.people_named(re.sub(r"['\u2019]s$", "", m.group())):
            # "the Merz-Erdoğan call", "the Biden-Xi summit": two people joined by a hyphen
            tokens += [(m.start() + p.start(), p.group()) for p in re.finditer(r"[A-Z][\w'\u2019]*", m.group())]
        else:
            tokens.append((m.start(), m.group()))
    for i, (pos, tok) in enumerate(tokens):
        bare = re.sub(r"['\u2019]s$", "", tok)
        for person in catalog.people_named(bare):
            parts = person.name.split()
            # the next word of the same name: after a space, not a hyphen ("the Li-Whitfield talks")
            adjacent = i + 1 < len(tokens) and tokens[i + 1][0] <= pos + len(tok) + 1 and text[pos + len(tok)].isspace()
            nxt = tokens[i + 1][1] if adjacent else None
            if any(len(p) > 1 and similar_name(bare, p) for p in parts[1:] or parts):
                matches.append((pos, person, "surname"))
            # A first name counts only when it is not followed by someone else's surname ("Anthony Albanese").
            elif (
                len(parts) > 1
                and len(parts[0]) > 1
                and similar_name(bare, parts[0])
                and (nxt is None or similar_name(nxt, parts[-1]) or nxt in parts)
            ):
                matches.append((pos, person, "first"))
    full = [(text.find(p.name), text.find(p.name) + len(p.name)) for _, p, _ in matches if p.name in text]
    surnames = {pos for pos, _, how in matches if how == "surname"}
    found: dict[str, tuple[int, KnownPerson]] = {}
    for pos, person, how in matches:
        if person.name not in text and any(a <= pos < b for a, b in full):
            continue  # a word of someone else's full name
        if how == "first" and pos in surnames:
            continue
        if person.name not in found or pos < found[person.name][0]:
            found[person.name] = (pos, person)
    # "Wang" alone names whoever of two Wangs the rest of the question does not rule out: keep both.
    return sorted(found.values(), key=lambda x: x[0])


# An office named in a question: "the High Representative", "the Commission president", "Tunisia's
# president", "the Chancellor". Its words must all be in one known person's title.
_OFFICE = re.compile(
    r"\b(?:the|[A-Z][\w.-]*['\u2019]s)\s+((?:[A-Za-z][\w-]*\s+){0,3}?(?:"
    + "|".join(
        sorted((TITLE_HEADS | {"representative"}) - {"counterpart", "host", "guest", "official", "head", "chief"})
    )
    + r"))\b",
    re.I,
)


_HEADS_OF_GOVERNMENT = ("president", "prime", "premier", "chancellor", "king", "queen", "emir", "sultan", "leader")


@dataclass(frozen=True)
class Office:
    """An office a question names instead of a person ("the Commission president", "Tunisia's
    president", "Yerevan's leader"). Who holds it is read from the candidate meetings, not from the
    whole store: in a store of a thousand articles many people are somebody's president."""

    words: tuple[str, ...]  # the title's words, casefolded: ("commission", "president")
    country: str | None
    subject: bool  # named before any person, so it is the question's speaker ("What did the Chancellor tell Putin?")

    def held_by(self, title: str | None, country: str | None) -> bool:
        if self.country is not None and country != self.country:
            return False
        title_words = set((title or "").casefold().replace(".", "").split())
        if self.words == ("leader",):
            return self.country is not None and bool(title_words & set(_HEADS_OF_GOVERNMENT))
        return all(w in title_words for w in self.words)


def _offices(text: str, first_person_at: int) -> list[Office]:
    out: list[Office] = []
    for m in _OFFICE.finditer(text):
        sides = find_sides(m.group(0))
        country = next((side for _, _, side in sides), None)
        # The country is checked on its own, so its words ("South Korean") are no part of the title:
        # "President Yoon" holds "the South Korean president".
        title = m.group(1)
        offset = m.start(1) - m.start(0)
        for start, end, _ in reversed(sides):
            if start >= offset:
                title = title[: start - offset] + " " + title[end - offset :]
        words = tuple(
            w.casefold() for w in title.split() if w.casefold() not in SIDE_ALIASES and w.casefold() not in STOP
        )
        if words:
            out.append(Office(words, country, subject=m.start() < first_person_at))
    return out


_BESIDES = re.compile(r"\b(?:besides|apart from|other than|except)\s+(?:the\s+)?([\w-]+(?:\s+[A-Z][\w-]+)*),?", re.I)
_JOINT = re.compile(
    r"\b(?:the\s+two\s+(?:sides|leaders|countries|governments|ministers)|both\s+sides|they|the\s+pair)\b", re.I
)
# "What position does X hold?", "What is X's title?"; not "What position did X take on tariffs?", "What is
# X's position on investment?" (a stance), nor "What role did X play?" (a part in events).
_ASKS_TITLE = re.compile(
    r"\b(?:what|which)\s+(?:official\s+)?(?:position|post|office|title)\s+(?:does|did|do|has|had)\s+[^?]*?\bhold\b|"
    r"\bwhat\s+(?:is|was)\s+[^?]*?['\u2019]s?\s+(?:official\s+)?(?:title|job|post)\s*\??\s*$",
    re.I,
)
_ROLE = re.compile(r"\b(?:position|title|role|post|job|office)\b.*\b(?:hold|have|has)\b|\bwho\s+is\b", re.I)
_CORE_DROP = [
    re.compile(
        r",?\s*(?:according to|as reported by|in the|per)\s+(?:the\s+)?[\w\s]*\b(?:report|readout|statement|article|story)\b[^?]*",
        re.I,
    ),
    re.compile(r"\s+when\s+(?:they|the two)\s+met\b[^?]*", re.I),
    re.compile(r"\s+(?:at|in)\s+(?:his|her|their|the)\s+(?:\w+\s+){0,2}(?:meeting|talks)\s+with\b[^?]*", re.I),
    re.compile(r"\s+in\s+this\s+(?:report|story|article)\b", re.I),
    re.compile(
        r"\s+(?:at|in|during)\s+(?:the|their|his|her)\s+(?:[\w\u2013-]+\s+){0,3}(?:meeting|talks|summit)\s*(?=\?|$)",
        re.I,
    ),
]


def without_cross_phrase(text: str) -> str:
    """The question without the words that make it ask across articles ("covered here", "in these
    articles"): they say where to look, not what about."""
    return _CROSS.sub(" ", text)


# "the Japanese PM", "Iran's FM": offices users and headlines abbreviate ("at 3 PM" is a time).
_TITLE_ABBREVIATION = re.compile(r"(?<!\d)(?<!\d\s)\b(PM|FM)\b")
_TITLE_SPELLED = {"PM": "prime minister", "FM": "foreign minister"}


def spell_out_titles(text: str) -> str:
    return _TITLE_ABBREVIATION.sub(lambda m: _TITLE_SPELLED[m.group(1)], text)


def _known_token(word: str, person_tokens: set[str]) -> bool:
    """A word of a known person's name, as written or spelled another way ("Erdogan" for "Erdoğan")."""
    return word.casefold() in person_tokens or any(similar_name(word, t) for t in person_tokens)


def parse(text: str, catalog: Catalog) -> Question:
    text = spell_out_titles(text)
    intent = classify(_BESIDES.sub("", text))
    q = Question(text=text, intent=intent, cross=bool(_CROSS.search(text)))
    matched = _match_people(text, catalog)
    q.offices = _offices(text, matched[0][0] if matched else len(text))
    q.people = [p for _, p in matched]
    person_tokens = {t.casefold() for p in q.people for t in p.name.split()}
    for name in proper_nouns(text):
        parts = [w for w in name.split() if not all(_known_token(p, person_tokens) for p in w.split("-") if p)]
        if not parts or any(same_person(name, p.name) for p in q.people):
            continue  # a person's name, written as the store does or otherwise ("Joseph R. Biden", "Joe Biden")
        if any(similar_name(w, t) for w in parts for t in person_tokens):
            continue
        q.unknown_names.append(" ".join(parts))
    for m in _PLACE.finditer(text):
        place = m.group(1)
        place = re.sub(r"^the\s+", "", place)
        if place in CITIES or place.casefold() in SIDE_ALIASES:
            q.places.append(place)
            if place in q.unknown_names:
                q.unknown_names.remove(place)
    sides = find_sides(text)
    q.sides = list(dict.fromkeys([*(s for _, _, s in sides), *plural_peoples(text)]))
    q.years = YEAR.findall(text)
    for pattern in _MEETING_DAY:
        for m in pattern.finditer(text):
            month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            q.meeting_days.append((month_number(month), int(day)))
    q.kinds = {kind for kind, stems in _KIND_WORDS if any(s in _BESIDES.sub("", text).casefold() for s in stems)}
    q.wants_date = bool(re.search(r"\b(?:what|which)\s+(?:exact\s+|precise\s+)?(?:date|day)\b|\bwhen\b", text, re.I))
    q.wants_place = bool(_WANTS_PLACE.search(_TAKE_PLACE.sub(" ", text))) and intent == "where_when"
    q.wants_city = q.wants_place and bool(re.search(r"\b(?:city|town)\b", text, re.I))
    in_city = any(
        m.group(1).title() in CITIES or f"{m.group(1)} {m.group(2)}".title() in CITIES for m in _WHERE_IN.finditer(text)
    )
    q.wants_venue = q.wants_place and not q.wants_city and bool(_WANTS_VENUE.search(text) or in_city)
    q.wants_duration = bool(_WANTS_DURATION.search(text))
    if q.wants_duration:
        q.wants_interval = True if _ASKS_INTERVAL.search(text) else False if _ASKS_LENGTH.search(text) else None
    q.wants_number = bool(_WANTS_NUMBER.search(text))
    q.wants_time = bool(_WANTS_TIME.search(text))
    q.wants_name = bool(_WANTS_NAME.search(text))
    q.wants_next = bool(_WANTS_NEXT.search(text) or _WHEN_WILL.search(text))
    q.wants_earlier = bool(_WANTS_EARLIER.search(text))
    about = _ABOUT.search(text)
    discussed = _DISCUSSED.match(text)
    if about and intent in ("side_position", "outcome", "demands", "other"):
        q.about = about.group(1)
        # Only an explicit topic ("about fentanyl") may rule a meeting out; "in terms of timing" only ranks.
        q.about_strict = bool(re.match(r"about|regarding|concerning", about.group(0), re.I))
    elif discussed:
        # "Did they discuss debt relief?", "Was Taiwan raised?": a topic the meeting must have touched;
        # with a second question after it ("..., and where did they meet?") it only ranks.
        q.about, q.about_strict = discussed.group(1) or discussed.group(2), not _SECOND_QUESTION.search(text)
    _set_actor(q, text, matched, sides)
    core = text
    for pattern in _CORE_DROP:
        core = pattern.sub("", core)
    q.core = core
    q.excluded = " ".join(m.group(1) for m in _EXCLUDED.finditer(text))
    quantity = _ASKS_QUANTITY.match(core)
    if quantity:
        q.quantity = "duration" if quantity.group(1).casefold() == "long" else "number"
        counted = _COUNTED.match(core)
        q.counted = counted.group(1) if counted else None
    elif _ASKS_QUANTITY_OF.match(core):
        q.quantity = "number"
    q.wants_money = bool(_ASKS_MONEY.search(core))
    q.role = bool(_ROLE.search(text))
    q.asks_title = bool(_ASKS_TITLE.search(text)) and len(q.people) == 1
    joined = any(re.fullmatch(r"\s+and\s+(?:the\s+)?", text[a[1] : b[0]]) for a, b in itertools.pairwise(sides))
    joint = _JOINT.search(text)
    # "What did the two sides ...?" asks both; "What did Colombia's president say ..., and how will the two
    # countries respond?" asks Colombia first.
    joint_first = joint is not None and (not q.actor_side or not sides or joint.start() < sides[0][0])
    if (
        q.actor is None
        and (joint_first or (joined and not q.people))
        and q.intent in ("outcome", "topics", "side_position", "demands", "other")
        and not q.cross
    ):
        q.actor_side = "both"
    split = re.split(
        r",\s*and\s+(?=(?:(?:on|in|at|for|to|with|from|by|within)\s+(?:what|which|whom|how)|what|how|who|where|when|which|"
        r"why|whether|was|were|is|are|did|does|do|has|have)\b)",
        q.core,
        flags=re.I,
    )
    # ", and on what date did he answer?" is a second question; ", and with whom?" only ends the first.
    if len(split) == 2 and (
        _VERB.search(split[1]) or not re.match(r"(?:on|in|at|for|to|with|from|by|within)\s", split[1], re.I)
    ):
        q.parts = split
    where_when = re.match(r"^\s*where\s+and\s+(when|on\s+what\s+(?:day|date))\s+(.*)$", q.core, re.I)
    if where_when:
        # "Where and on what day did they meet?": the place and the day may be in two sentences.
        q.parts = [f"Where {where_when.group(2)}", f"{where_when.group(1)} {where_when.group(2)}"]
    return q


# The auxiliary of a question ("What did X ...?", "Where would they ...?"): its subject follows it.
AUXILIARY = r"(?:did|does|do|was|is|were|are|am|has|have|had|will|would|shall|should|can|could|may|might|must)"
_VERB = re.compile(r"\b" + AUXILIARY + r"\b", re.I)


_ACCORDING = re.compile(r"\W*according\s+to\s+[^,?]+,", re.I)
# A place naming a document or a process: "the Pretoria agreement", "the Minsk accords", "the Astana format".
# So does a place naming a meeting: "the Nairobi talks", "the Brussels summit" are where, not who.
_NAMES_A_THING = re.compile(
    r"\s+(?:agreements?|accords?|declaration|protocol|treaty|memorandum|format|process|framework|"
    r"communiqu\w+|roadmap|formula|ceasefire|truce|talks|meetings?|summit|visit|session|round|conference)\b",
    re.I,
)


def _lone_side_before(text: str, side: tuple[int, int] | None, pair_at: int) -> bool:
    """A side named alone before two people joined by a hyphen, as the subject: not one of two sides
    ("China and the US ... at the Biden-Xi summit") nor a title's country ("Chinese President Xi")."""
    if side is None or side[0] >= pair_at or pair_at - side[1] <= 12:
        return False
    return not re.match(r"\s*(?:and|&|/|-|\u2013)\s*(?:the\s+)?[A-Z]", text[side[1] :])


def _set_actor(
    q: Question, text: str, matched: list[tuple[int, KnownPerson]], sides: list[tuple[int, int, str]]
) -> None:
    """The subject of the question: the first person or side after the auxiliary ("What did X ...")."""
    aux = _VERB.search(text)
    if aux is None and re.match(r"\W*(?:who|which|what)\b", text, re.I):
        return  # "Who made up the African Union's panel?": the question word is the subject, no one speaks
    start = aux.end() if aux else 0
    people_after = [(pos, p) for pos, p in matched if pos >= start]
    sides_after = [(s, side) for s, _, side in sides if s >= start]
    first_person = people_after[0] if people_after else (matched[0] if matched else None)
    first_side = sides_after[0] if sides_after else None
    thing = next(((s, e) for s, e, _ in sides if s >= start), None)
    subject_is_a_thing = (
        thing is not None
        and _NAMES_A_THING.match(text, thing[1]) is not None
        and re.search(r"\bthe\s+$", text[: thing[0]], re.I) is not None
        and (not first_person or first_person[0] > thing[0])
    )
    if subject_is_a_thing:
        return  # "What does the Pretoria agreement say about Eritrean troops?": a document, no speaker
    for (pos_a, _), (pos_b, _) in itertools.pairwise(matched):
        between = text[pos_a:pos_b]
        # "the Blinken–Wang discussion", "Kishida and Yoon": the two together, no single speaker
        together = re.fullmatch(
            r"[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?\s*(?:[\u2013\u2014/-]|\s+and\s+)\s*", between
        )
        if together and pos_a <= (first_person[0] if first_person else pos_a):
            if _lone_side_before(text, thing, pos_a) and first_side is not None:
                q.actor_side = first_side[1]  # "What did Berlin press Poland to join at the Merz-Tusk talks?"
            return
    if first_person and (
        not first_side or first_person[0] <= first_side[0] + 12 or first_person[1].country == first_side[1]
    ):
        q.actor = first_person[1]
        q.actor_side = first_person[1].country
    elif first_side:
        q.actor_side = first_side[1]
    elif sides and (source := _ACCORDING.match(text)) and sides[0][0] < source.end():
        q.actor_side = sides[0][2]  # "According to the Kremlin, what must a deal rest on?": the source speaks
