"""What the answer engine knows about a candidate sentence, as named numbers.

Every signal the engine has about whether a sentence answers a question is a feature here: the
semantic similarity of question and sentence (their embeddings), the lexical overlap of their
content words, and what ingest extracted (the sentence's speaker and statement kind, whether it
reports the meeting, gives a date or a place, states an agreement). None of them decides alone;
`bot.answer.ranker` weighs them with weights fit on labelled questions (`briefbot fit-ranker`),
so an extraction that missed a construction lowers a sentence's score instead of silencing the
answer.

Features are generic: each names a property of English news writing or of the question's form,
never a phrase of one article. A few are crossed with the question's intent group (the same
property matters differently for "who met" and for "what did X demand"), so one linear model can
weigh them per kind of question.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.abstain import located_city
from bot.answer.compose import FACT_RATIO, NOISE_LINE, Ranked
from bot.answer.names import name_in_text, same_person
from bot.answer.question import AUXILIARY, YEAR, Question
from bot.answer.text import STOP, content_stems, sentence_stems, sides_as_tokens, stem
from ingest.extraction.lexicon import (
    CUE_PATTERNS,
    MEETING_CUES,
    MONTH_PATTERN,
    MONTHS,
    SIDE_ALIASES,
    TITLE_HEADS,
    TITLE_WORDS,
    WEEKDAYS,
    find_sides,
    month_spellings,
)
from vectorstore.models import Article, Meeting, Sentence
from vectorstore.sentence_vectors import unpack

_DATE_WORDS = re.compile(
    r"\b(?:"
    + "|".join(w.title() for w in WEEKDAYS)
    + "|"
    + "|".join(m.title() for m in MONTHS)
    + r")\b|\b"
    + MONTH_PATTERN
    + r"\s*\d|\b\d{4}-\d\d-\d\d\b"
)
# the noun, not "building a railway" nor "a building programme"
_BUILDING_NOUN = r"\b(?i:the|a|its|their)\s+(?:[\w-]+\s+){0,2}[Bb]uilding\b(?!\s+(?:programmes?|programs?|permits?|blocks?|efforts?))"
_VENUE_CUE = re.compile(
    r"\b(?:at the|on the (?:margins|sidelines) of)\b|"
    r"\b(?:[Pp]alace|[Mm]ansion|[Rr]esidence|[Hh]otel|[Vv]illa|[Hh]eadquarters|[Cc]hancellery)\b|" + _BUILDING_NOUN
)
# A building or a street, as a report names where in a city talks were held: "at the Diaoyutai State
# Guesthouse", "driven to the Miraflores Palace", "the ministry's guest house on Spiridonovka Street".
_BUILDING = re.compile(
    r"\b(?:at|inside)\s+the\s+(?:[A-Z][\w'\u2019-]*\s+){0,4}(?:Palace|House|Guesthouse|Hall|Centre|"
    r"Center|Ministry|Hotel|Residence|Mansion|Villa|Headquarters|Chancellery|Castle|Building|Office|Kremlin)\b"
    r"(?!['\u2019]?s?\s+(?:website|spokes\w*|statement))|"
    r"\b(?:[Pp]alace|[Mm]ansion|[Vv]illa|[Gg]uest\s*house)\b|"
    r"\bon\s+[A-Z][\w'\u2019-]*\s+(?:Street|Avenue|Road)\b|\b(?:the|its)\s+offices\s+of\b|" + _BUILDING_NOUN
)
WANTED_KINDS = {
    "demand": {"demand", "urge", "call-on"},
    "concern": {"concern"},
    "warn": {"warn"},
    "emphasize": {"emphasize"},
    "agree": {"agree"},
    "reject": {"reject"},
}


_DIRECTED_Q = re.compile(r"\b(?:ask|asked|urge|urged|press|pressed|call\w*\s+on|want\w*)\s+(?:\w+\s+){1,3}?to\b", re.I)
_BACKGROUND = re.compile(
    r"\blast\s+(?:month|year|week)\b|\bprevious(?:ly)?\b|\bearlier\s+this\s+(?:year|month)\b|\bfollows\b", re.I
)
# A meeting still to come: "will meet", "agreed to meet again", "is due to visit" (not "travelled to
# Lima to meet Mora", the reported meeting).
PLANNED = re.compile(
    r"\b(?:will|would|shall)\s+(?:\w+\s+)?(?:meet|visit|hold|travel|host|convene)\b|"
    r"\b(?:agreed|due|plans?|planned|set|expected|scheduled)\s+to\s+(?:\w+\s+)?(?:meet|visit|hold|travel|host|convene)\b|"
    r"\bmeet again\b|\bnext\s+(?:meeting|visit|round|summit)\b",
    re.I,
)
# ... and, for a question about what comes next, also a meeting or call announced in the passive ("Next
# year's summit will be held in Tirana", "is scheduled to be received by the President"), which reports
# of what was agreed use too ("whose first session will be held in Mogadishu") and so is no sign of
# another occasion when the question asks about this one.
_NEXT_ANNOUNCED = re.compile(
    r"\b(?:will|would|is\s+to|are\s+to)\s+(?:be\s+(?:held|hosted)|take\s+place)\b|"
    r"\b(?:due|scheduled|set|expected)\s+to\s+(?:be\s+received|see)\b",
    re.I,
)


def announces_next(text: str) -> bool:
    """A meeting still to come, in the active or the passive: what answers "Where will they meet next?"."""
    return bool(PLANNED.search(text) or _NEXT_ANNOUNCED.search(text))


# "about Ukraine", "concerning the EU": what a question is about, not who spoke.
_ABOUT_BEFORE = re.compile(r"\b(?:about|concerning|regarding|on|over|towards?|involving)\s+(?:the\s+)?$", re.I)
_DEMAND_FORM = re.compile(r"\b(?:urg\w*|call\w*\s+on|press\w*|ask\w*|demand\w*)\s+(?:\w+\s+){0,3}?to\s+\w+", re.I)


# "What did X agree / sign / commit to ...?" (not "What did X say about the agreement?").
_AGREEMENT_ASKED = re.compile(
    r"\b" + AUXILIARY + r"\s+(?:(?!(?:say|said|tell|told|think|about)\b)[\w'\u2019-]+\s+){1,5}?"
    r"(?:agree|sign|commit|decide|settle|conclude)\w*\b|"
    r"\b(?:was|were|been)\s+(?:\w+\s+)?(?:agreed|signed|decided|settled|concluded)\b",  # "What was decided?"
    re.I,
)


def _report_year(ctx: ArticleContext) -> str:
    """The year the report is about: its meeting's, else its publication's ("" when neither is known)."""
    date = (ctx.meeting.date if ctx.meeting else None) or ""
    if re.match(r"\d{4}-", date):
        return date[:4]
    return (ctx.article.published or "")[:4]


def is_actor(st, q: Question, sides: frozenset[str] = frozenset()) -> bool:
    """Whether the statement is the asked speaker's. An agreement takes two: "The two sides agreed ..."
    is each participant side's (`sides`), so it answers "What did Biden agree with Kishida?". (Not
    other joint statements: "Kim and Putin signed ..." is no answer to "What did Kim say?".)"""
    if st.side == "both" and st.kind == "agree" and _AGREEMENT_ASKED.search(q.text) and q.actor_side in sides:
        return True
    if q.actor is not None:
        return same_person(q.actor.name, st.actor)
    return bool(q.actor_side) and st.side == q.actor_side


_TITLED_SIDE = re.compile(
    r"\b(?:US|U\.S\.|American|Chinese|Russian|Indian|Japanese|South Korean|North Korean|Ukrainian|Palestinian|"
    r"Israeli|British|French|German|[A-Z][a-z]+(?:'s|\u2019s)?)\s+(?=(?:[Ss]ecretary|[Pp]resident|[Pp]rime|[Ff]oreign|"
    r"[Mm]inister|[Cc]ommerce|[Dd]efen[cs]e|[Tt]rade|[Ll]eader|[Cc]hancellor|[Pp]remier|[Aa]mbassador|[Ee]nvoy)\b)"
)
# A title: title words ending in a title head ("trade minister", "Secretary of State", "national
# security adviser", "the president"). Alone, "trade", "security" or "state" are what a question is about;
# the words no topic is ever named by ("minister", "foreign", "pope") go wherever they stand.
_TITLE_MODIFIERS = sorted(
    (w for w in TITLE_WORDS if w.isalpha() and w not in {"of", "the", "under"}),
    key=len,
    reverse=True,
)
_TITLE = re.compile(
    r"\b(?:(?:"
    + "|".join(_TITLE_MODIFIERS)
    + r")\s+)*(?:"
    + "|".join(sorted(TITLE_HEADS, key=len, reverse=True))
    + r")s?"
    r"(?:-general|\s+of\s+(?:state|defen[cs]e|foreign\s+affairs|the\s+treasury|finance|commerce|trade|the\s+interior|justice))?\b",
    re.I,
)
_ONLY_TITLE_STEMS = {
    stem(w)
    for w in (*TITLE_HEADS, "ministers", "ministry", "prime", "vice", "deputy", "foreign", "pope", "secretary-general")
}


def question_stems(text: str, keep_titles: bool = False) -> tuple[set[str], set[str]]:
    """(topic stems, intent stems): intent words count for half, the topic words in full.

    A title ("the trade minister", "Secretary of State") names the person asked about, not the topic,
    so it is dropped unless the question asks for the title itself; its words alone ("trade",
    "security", "a Palestinian state") are topic words.
    """
    # "US Secretary of State", "Chinese foreign minister": a country word in a title names the person.
    text = _TITLED_SIDE.sub(" ", text)
    if not keep_titles:
        text = _TITLE.sub(" ", text)
    rest, sides = sides_as_tokens(text)
    all_stems = content_stems(rest) | sides
    topic = content_stems(rest, drop_intent=True) | sides
    if not keep_titles:
        all_stems -= _ONLY_TITLE_STEMS
        topic -= _ONLY_TITLE_STEMS
    return topic, all_stems - topic


def wanted_kinds(q: Question) -> set[str]:
    wanted = set().union(*(WANTED_KINDS.get(k, set()) for k in q.kinds)) if q.kinds else set()
    if q.intent == "demands" and not wanted:
        wanted = WANTED_KINDS["demand"]
    if q.intent == "outcome":
        wanted = wanted | {"agree"}
    return wanted


def kind_in_text(kinds: set[str], text: str) -> bool:
    """A verb of the asked kind carries the sentence (a leading participle, "Restating ...", does not)."""
    for k in kinds:
        for m in CUE_PATTERNS[k].finditer(text) if k in CUE_PATTERNS else ():
            if not (m.start() == 0 and m.group().casefold().endswith("ing")):
                return True
    return False


# Intent groups: the properties that make a sentence answer differ by kind of question. What was agreed
# and what was discussed are apart: an agreement is said in a sentence of its own ("A joint committee
# will meet within 60 days."), the agenda in the lead or a sentence that lists it.
GROUPS = {
    "who_met": "meet",
    "where_when": "meet",
    "demands": "position",
    "side_position": "position",
    "outcome": "result",
    "topics": "topics",
    "other": "other",
}
_CROSSED = ("dense", "lexical", "actor_said", "kind", "meeting_sentence", "meeting_cue", "statement", "agreement")

BASE = (
    "dense",
    "dense_gap",
    "dense_top",
    "lexical",
    "lexical_gap",
    "retrieval",
    "actor_said",
    "actor_other_side",
    "actor_subject",
    "people_named",
    "kind",
    "demand_form",
    "statement",
    "meeting_sentence",
    "meeting_cue",
    "date_asked",
    "place_asked",
    "duration_asked",
    "planned",
    "planned_asked",
    "background",
    "past_year",
    "headline",
    "position",
    "topic_evidence",
    "topics_asked",
    "agreement",
    "short",
    "quote",
    "article_focus",
    "article_rank",
    "article_dense_gap",
    "article_coverage",
    "neighbour_dense",
    "number_asked",
    "time_asked",
    "name_asked",
    "length",
    "title_dense",
)
NAMES: tuple[str, ...] = BASE + tuple(f"{f}@{g}" for g in sorted(set(GROUPS.values())) for f in _CROSSED)
INDEX = {name: i for i, name in enumerate(NAMES)}

_DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|half|a few|many)[\s-]+"
    r"(?:hours?|minutes?|days?|weeks?|months?|years?|decades?)\b|\b(?:an|a full|half an)\s+hour\b|"
    r"\b(?:hour|day|week)-long\b|\bfirst time in\b|\bsince\s+(?:19|20)\d\d\b|"
    # "a state visit from 6 to 8 October", "from Monday to Wednesday": a stay with its first and last day,
    # not a date moved ("postponed from Monday to Wednesday")
    r"(?<!moved )(?<!postponed )(?<!delayed )(?<!rescheduled )(?<!forward )(?<!back )"
    r"\bfrom\s+(?:\d{1,2}\s+(?:(?:" + MONTH_PATTERN + r")\s+)?(?:to|until)\s+\d{1,2}\s+(?:" + MONTH_PATTERN + r")|"
    r"(?:" + MONTH_PATTERN + r")\s+\d{1,2}\s+(?:to|until)\s+\d{1,2}|"
    r"(?:" + "|".join(WEEKDAYS) + r")\s+(?:to|until)\s+(?:" + "|".join(WEEKDAYS) + r"))\b",
    re.I,
)
# A span of time that tells how long ago or since when, not how long something lasted: "the first
# visit in nine years", "two years after the war", "since 2019", "for the first time in a decade".
_UNITS = r"(?:hours?|minutes?|days?|weeks?|months?|years?|decades?)"
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|many|a)"
_ABOUT = r"(?:more\s+than\s+|over\s+|nearly\s+|almost\s+|about\s+|some\s+)?"
_INTERVAL = re.compile(
    rf"\b(?:in|after|since)\s+{_ABOUT}{_COUNT}[\s-]+{_UNITS}\b|"
    rf"\b{_COUNT}[\s-]+{_UNITS}\s+(?:ago|after|before|since|later|earlier)\b|"
    # "the first visit in nine years", British "for nine years"
    rf"\bfirst\b[^.;]{{0,60}}?\b(?:in|for)\s+{_ABOUT}{_COUNT}[\s-]+{_UNITS}\b|"
    r"\bfirst\s+time\s+in\b|\bsince\s+(?:19|20)\d\d\b",
    re.I,
)
# How long talks took, whatever word comes before: "after three hours of talks", "two-hour talks".
_OF_TALKS = re.compile(r"(?:\s+of)?\s+(?:talks|negotiations|discussions|meetings?|consultations)\b", re.I)
_QUOTE = re.compile(r"[\"\u201c\u201d]")
# Two to ninety in words, which a number is and a count may be.
_NUMBER_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty"
)
_NUMBER = re.compile(r"\d|\b(?:one|" + _NUMBER_WORDS + r"|dozens?|hundred|thousand|million|billion)\b", re.I)
_TIME = re.compile(
    r"\b(?:within|by|until|before|after|next|in)\s+(?:the\s+)?(?:\w+\s+)?(?:days?|weeks?|months?|years?|"
    + "|".join(m.title() for m in MONTHS)
    + r")\b|\b(?:19|20)\d\d\b",
    re.I,
)
_PROPER = re.compile(r"\b[A-Z][\w'\u2019-]+(?:\s+(?:[A-Z][\w'\u2019-]+|de|da|von|der|al|bin))*\s+[A-Z][\w'\u2019-]+")
# A sentence about a meeting to come, however worded: "will resume", "is scheduled for", "a second round",
# "agreed to reconvene", "a follow-up session is set for", "the next round".
_TO_COME = re.compile(
    r"\b(?:will|shall|next|again|resum\w*|reconven\w*|scheduled|set\s+(?:for|to)|due|planned|expected|upcoming|"
    r"follow-up|to\s+be\s+held|(?:second|third|another|new)\s+(?:round|session|meeting))\b",
    re.I,
)
# ... and a meeting word in it: "a ceasefire that will take effect on 1 November" dates no meeting.
_MEETING_WORD = re.compile(
    r"\b(?:round|talks|meet\w*|session|summit|visit\w*|negotiations?|resum\w*|reconven\w*|convene\w*|"
    r"consultations?|dialogue|travel\w*|host\w*|hold|held|continu\w*)\b",
    re.I,
)
# A sum of money as reports write it: "$25m", "US$12 billion", "€105 million", "400 dollars", "2bn euros".
_MONEY = re.compile(
    r"[$\u20ac\u00a3\u00a5\u20a6\u20b9\u20b4\u20ba]\s?\d|\b(?:US|A|C|NZ|HK|S)\$\s?\d|\bGH\u00a2\s?\d|"
    # "AUD 5 million", "N650 billion" (naira), "R5bn" (rand), "Rs 300 crore", "Sh5 billion", "KSh 2 billion"
    r"\b(?-i:USD|EUR|GBP|AUD|CAD|NZD|CHF|JPY|CNY|RMB|INR|SGD|ZAR|NGN|KES|EGP|TRY|BRL|MXN|SAR|AED|QAR|UGX|TZS|N|R|"
    r"Rs\.?|Rp|RM|K?Shs?\.?|TSh|Tk|Dhs?|SR|QR|LE)\s?\d(?![\w-]*\s+(?:road|highway|masks?)\b)|"
    # "40 million", "1.2bn", "300 crore": a count of millions is a sum when a sum is asked for; people
    # and lanes are counted in hundreds and thousands, or say what they are
    r"(?<![\d.,])\d[\d,.]*\s*(?:million|billion|trillion|bn|bln|mn|crore|lakh)\b(?!\s*-?\s*(?:strong|member)|"
    r"\s+(?:(?-i:[A-Z](?!\.?S\b|\.S\.))|people|persons|residents|refugees|migrants|tonnes|tons|barrels|voters|votes|citizens|inhabitants|"
    r"doses|cubic|square|hectares))|"
    r"\bmulti(?:-?million|-?billion)-?dollar\b|"
    r"\b(?:millions|billions|trillions)\s+of\s+(?:dollars|euros|pounds)|(?<![\d.,])\d[\d.]*-?(?:million|billion)?-?dollar\b|"
    r"\bbillion-dollar\b|"
    # "400 dollars", "5 million Australian dollars", "one billion euros", "50 billion CFA francs"
    r"(?:(?<![\d.,])\d[\d,.]*|\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|several|half\s+a))\s*"
    r"(?:(?:million|billion|trillion|bn|m|k|crore|lakh)\s+)?(?:[A-Z][A-Za-z]+\s+)?(?:dollars?|euros?|pounds?|"
    r"sterling|yuan|renminbi|yen|rupees?|francs?|rand|naira|shillings?|reais|real|pesos?|roubles?|rubles?|dirhams?|"
    r"riyals?|won|lira|liras|lire|kroner|kronor|krone|zloty|tenge|rupiah|ringgit|cedis?|kwacha|birr|taka|dong|"
    r"hryvnias?|lari|manat|som|soles|bolivianos|USD|EUR|GBP)\b",
    re.I,
)
_FINISHED = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$|[\"\u201d]$")


@dataclass
class ArticleContext:
    """What the question's anchors say about one candidate article, before its sentences are read."""

    article: Article
    meeting: Meeting | None
    sentences: list[Sentence]
    vectors: np.ndarray  # one unit row per sentence
    passage_scores: dict[int, float]  # sentence start -> best retrieval score of a passage holding it
    focus: float  # people and sides of the question among the meeting's participants
    rank: int  # position in the retrieval order of candidate articles
    title_vector: np.ndarray | None = None  # the headline's unit vector, when the article has one


def sentence_matrix(
    article: Article, packed: str | None, sentences: list[Sentence], embeddings: Embeddings
) -> np.ndarray:
    """Unit vectors of these sentences, from the ones stored at ingest (`packed`); sentences without
    one (an article stored before sentence vectors existed) are embedded now."""
    stored = _stored_vectors(article.id, packed)
    rows = [stored.get(s.start) for s in sentences]
    missing = [i for i, row in enumerate(rows) if row is None]
    if missing:
        fresh = np.asarray(embeddings.embed_documents([sentences[i].text for i in missing]), dtype=np.float32)
        for i, row in zip(missing, fresh):
            rows[i] = row
    filled = [row for row in rows if row is not None]  # every row, now that the missing ones are embedded
    return np.vstack(filled).astype(np.float32) if filled else np.zeros((0, 384), dtype=np.float32)


def headline_vector(article_id: str, packed: str | None) -> np.ndarray | None:
    """The stored vector of an article's first sentence: its headline, or its lead when it has none.
    What the article is about, which tells apart meetings a question that names no one could mean."""
    return _stored_vectors(article_id, packed).get(0)


@lru_cache(maxsize=512)
def _stored_vectors(article_id: str, packed: str | None) -> dict[int, np.ndarray]:
    if not packed:
        return {}
    starts, matrix = unpack(packed)
    return {int(start): row for start, row in zip(starts, matrix)}


def candidate_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that can be an answer at all: page noise and fragments are not, nor a heading (no
    full stop: "Where the money goes"), a dateline on its own line ("Brussels, 27 February 2023.":
    no word in lower case, so no verb) or a question put to someone (it asks, it does not report)."""
    return [
        s
        for s in sentences
        if not NOISE_LINE.search(s.text)
        and len(s.text.split()) >= 3
        and _FINISHED.search(s.text.strip())
        and not s.text.rstrip("\"'\u201d\u2019) ").endswith("?")
        and len(_LOWER_WORD.findall(s.text)) >= 3
    ]


_LOWER_WORD = re.compile(r"(?<![\w'\u2019-])[a-z]{2,}\b")


_FOR_BEFORE = re.compile(r"\bfor\s+(?:[\w-]+\s+){0,2}$", re.I)


def states_duration(text: str, interval: bool | None) -> bool:
    """Whether a sentence states the kind of span asked for: how long something lasted ("talked for 90
    minutes", "a two-day visit") when `interval` is False, how long ago or since when ("the first visit
    in nine years") when True, either when None."""
    spans = [m.span() for m in _DURATION.finditer(text)]
    intervals = [m.span() for m in _INTERVAL.finditer(text)]
    # "for (about) 90 minutes" is how long, whatever follows ("... before a working dinner"), unless a
    # "first" makes it how long since ("the first visit for nine years"); so is "three hours of talks".
    lasted = [
        (a, b)
        for a, b in spans
        if _OF_TALKS.match(text, b)
        or (
            _FOR_BEFORE.search(text[max(0, a - 30) : a]) and not re.search(r"\bfirst\b", text[max(0, a - 70) : a], re.I)
        )
    ]
    intervals = [(a, b) for a, b in intervals if not any(a <= x < b or x <= a < y for x, y in lasted)]
    if interval is None:
        return bool(spans or intervals)
    if interval:
        return bool(intervals)
    return any(not any(a <= start < b or start <= a < end for a, b in intervals) for start, end in spans)


def featurize(q: Question, q_vector: np.ndarray, contexts: list[ArticleContext]) -> tuple[list[Ranked], np.ndarray]:
    """Every candidate sentence of every candidate article, and its feature row (NAMES order)."""
    topic, intent_stems = question_stems(q.core or q.text, keep_titles=q.role)
    for person in q.people:
        topic -= content_stems(person.name)  # names pick the meeting and the speaker, not the topic
    # Likewise the side asked about: in "What did Norway and Chile agree?" the countries are the
    # speakers, not what the answer is about ("What did China ask the US to do?" keeps the US).
    speakers = set(q.sides) if q.actor_side == "both" else {q.actor_side} if q.actor_side else set()
    if q.intent == "topics":
        # "What was on the table when the Canadian and Norwegian ministers met?": the sides pick the
        # meeting; what it covered is the answer ("What issues concerning Ukraine came up?" keeps Ukraine).
        speakers |= {
            side
            for start, _, side in find_sides(q.text)
            if not _ABOUT_BEFORE.search(q.text[max(0, start - 30) : start])
        }
    topic -= {"side:" + side for side in speakers}
    topic -= set().union(*question_stems(q.excluded))  # "besides Ukraine": not what the answer is about
    group = GROUPS.get(q.intent, "other")
    if group != "meet":
        # The place, year and day a question gives pick the meeting ("... in Brussels on May 14,
        # 2023?"); unless it asks where or when, the answer is about something else.
        topic -= content_stems(" ".join([*q.places, *q.years]))
        written = {w for m, _ in q.meeting_days for w in month_spellings(m)}
        topic -= {stem(w) for w in written} | {str(d) for _, d in q.meeting_days}
    if q.wants_venue:
        # "Where in Moscow were the talks held?": the city is known; the answer names a building in it.
        topic -= content_stems(" ".join(q.places))
        topic -= {"side:" + SIDE_ALIASES[p.casefold()] for p in q.places if p.casefold() in SIDE_ALIASES}
    if group == "meet":
        # "Where did X and Y meet?": the meeting verb is what every meeting sentence is about, worded
        # "met", "hosted", "received" or "held talks" as the writer chose; the meeting cue features
        # weigh that without the wording, so here it is no overlap.
        intent_stems = set()
    wanted = wanted_kinds(q)
    facts = answer_facts(q)
    directed = bool(_DIRECTED_Q.search(q.text))
    asks_actor = q.asks_speaker
    candidates: list[Ranked] = []
    rows: list[np.ndarray] = []
    for ctx in contexts:
        stems = [sentence_stems(s.text) for s in ctx.sentences]
        df: dict[str, int] = {}
        for words_of_sentence in stems:
            for w in words_of_sentence:
                df[w] = df.get(w, 0) + 1
        n = len(ctx.sentences) or 1

        def idf(w: str, df: dict[str, int] = df, n: int = n) -> float:
            return math.log(1 + n / (1 + df.get(w, 0)))

        total = sum(idf(w) for w in topic) + 0.5 * sum(idf(w) for w in intent_stems) or 1.0
        statements: dict[int, list] = {}
        if ctx.meeting:
            for st in ctx.meeting.statements:
                statements.setdefault(st.evidence.start, []).append(st)
        topic_starts = {t.evidence.start for t in ctx.meeting.topics} if ctx.meeting else set()
        agreement_starts = {a.evidence.start for a in ctx.meeting.agreements} if ctx.meeting else set()
        meeting_start = ctx.meeting.evidence.start if ctx.meeting and ctx.meeting.evidence else -1
        year_now = _report_year(ctx)
        at_venue = _at_venue(ctx.meeting)
        sides = frozenset(p.country for p in ctx.meeting.participants if p.country) if ctx.meeting else frozenset()
        dense = ctx.vectors @ q_vector if len(ctx.sentences) else np.zeros(0)
        title_dense = float(ctx.title_vector @ q_vector) if ctx.title_vector is not None else 0.0
        present = set().union(*stems) if stems else set()
        coverage = len(topic & present) / len(topic) if topic else 1.0
        for i, (s, stems_here) in enumerate(zip(ctx.sentences, stems)):
            f = np.zeros(len(NAMES), dtype=np.float32)
            text = s.text
            overlap = (
                sum(idf(w) for w in topic & stems_here) + 0.5 * sum(idf(w) for w in intent_stems & stems_here)
            ) / total
            said = statements.get(s.start, [])
            actor_ok, other_side = True, False
            if asks_actor:
                # Asked what both sides did, a sentence nobody is reported saying is the report's own
                # account of it ("A joint committee will inspect the pipeline within 60 days."); only
                # another speaker's statement is not theirs.
                actor_ok = any(is_actor(x, q, sides) for x in said) or (q.actor_side == "both" and not said)
                other_side = not actor_ok and bool(said) and all(x.side not in (None, "both") for x in said)
            subject = q.actor is not None and name_in_text(q.actor.name, " ".join(text.split()[:6]))
            kind_ok = not wanted or any(x.kind in wanted for x in said) or kind_in_text(wanted, text)
            f[INDEX["dense"]] = dense[i]
            f[INDEX["lexical"]] = overlap
            f[INDEX["retrieval"]] = ctx.passage_scores.get(s.start, 0.0)
            f[INDEX["actor_said"]] = asks_actor and actor_ok
            f[INDEX["actor_other_side"]] = other_side
            f[INDEX["actor_subject"]] = asks_actor and subject
            f[INDEX["people_named"]] = (
                sum(name_in_text(p.name, text) for p in q.people) / len(q.people) if q.people else 0.0
            )
            f[INDEX["kind"]] = bool(wanted) and kind_ok
            f[INDEX["demand_form"]] = bool(_DEMAND_FORM.search(text)) * (1.0 if directed else 0.5)
            f[INDEX["statement"]] = bool(said)
            # "Where will they meet next?", "When did they last meet?": not the meeting the report is about.
            f[INDEX["meeting_sentence"]] = s.start == meeting_start and not (q.wants_next or q.wants_earlier)
            f[INDEX["meeting_cue"]] = bool(MEETING_CUES.search(text))
            # "today" is a date only when the article says which day it was written.
            dated = bool(_DATE_WORDS.search(text) or (ctx.article.published and re.search(r"\btoday\b", text)))
            f[INDEX["date_asked"]] = q.wants_date and dated
            # "In which city?" wants a city; "Where?" is also answered by a venue ("on the margins of ...").
            placed = (
                bool(_BUILDING.search(text))
                if q.wants_venue
                else bool(located_city(text) or (not q.wants_city and _VENUE_CUE.search(text)))
                or bool(at_venue and at_venue.search(text))
            )
            f[INDEX["place_asked"]] = q.wants_place and placed
            f[INDEX["duration_asked"]] = q.wants_duration and states_duration(text, q.wants_interval)
            f[INDEX["planned"]] = bool(PLANNED.search(text))
            # "Where will they meet next?"
            f[INDEX["planned_asked"]] = q.wants_next and announces_next(text)
            f[INDEX["background"]] = bool(_BACKGROUND.search(text))
            # A dated fact of before the meeting: a treaty's year, "their first call since December 2022",
            # "In September 2022, a swap ...". Background to the report, and what "other" questions ask.
            f[INDEX["past_year"]] = bool(year_now) and any(y < year_now for y in YEAR.findall(text))
            f[INDEX["headline"]] = s.start == 0 or text.strip() == ctx.article.title.strip()
            f[INDEX["position"]] = i / n
            f[INDEX["topic_evidence"]] = s.start in topic_starts
            # "What was on the table?": the sentence that says what the talks covered, for topics questions
            # only (an outcome question's answer is what was agreed, not what was discussed).
            f[INDEX["topics_asked"]] = q.intent == "topics" and s.start in topic_starts
            f[INDEX["agreement"]] = s.start in agreement_starts
            f[INDEX["short"]] = len(text.split()) < 8
            f[INDEX["quote"]] = bool(_QUOTE.search(text))
            f[INDEX["article_focus"]] = ctx.focus
            f[INDEX["article_rank"]] = 1.0 / (1 + ctx.rank)
            f[INDEX["article_dense_gap"]] = dense.max()
            f[INDEX["article_coverage"]] = coverage
            f[INDEX["neighbour_dense"]] = max(dense[max(i - 1, 0)], dense[min(i + 1, len(dense) - 1)])
            f[INDEX["number_asked"]] = q.wants_number and bool(_NUMBER.search(text))
            f[INDEX["time_asked"]] = q.wants_time and bool(_TIME.search(text))
            f[INDEX["name_asked"]] = q.wants_name and bool(_PROPER.search(text[1:]))
            f[INDEX["length"]] = math.log(1 + len(text.split())) / 4
            f[INDEX["title_dense"]] = title_dense
            for name in _CROSSED:
                f[INDEX[f"{name}@{group}"]] = f[INDEX[name]]
            lacks = frozenset(name for name in facts if not f[INDEX[name]])  # see `answer_facts`
            states_fact = not lacks if facts else None
            candidates.append(Ranked(s, ctx.article, overlap, actor_ok, kind_ok, bool(said), states_fact, lacks))
            rows.append(f)
    matrix = np.vstack(rows) if rows else np.zeros((0, len(NAMES)), dtype=np.float32)
    if len(matrix):
        # Relative features: how far a sentence is from the best one on offer for this question.
        for name, gap, top in (("dense", "dense_gap", "dense_top"), ("lexical", "lexical_gap", None)):
            column = matrix[:, INDEX[name]]
            matrix[:, INDEX[gap]] = column - column.max()
            if top:
                matrix[:, INDEX[top]] = column >= column.max() - 1e-6
        titles = matrix[:, INDEX["title_dense"]]
        matrix[:, INDEX["title_dense"]] = titles - titles.max()
        article_best = matrix[:, INDEX["article_dense_gap"]]
        matrix[:, INDEX["article_dense_gap"]] = article_best - article_best.max()
    return candidates, matrix


ABSTAIN_NAMES = (
    "best_logit",
    "actor_silent",
    "type_absent",
    "best_other_speaker",
    "best_type_absent",
    "actor_best_gap",
    "best_past_year",
)


def asked_facts(q: Question) -> list[str]:
    """The typed features that mark the kinds of fact the question asks for: a date for "on what
    date", a place for "where", a duration for "how long", a number, a deadline or period."""
    asked = (
        ("date_asked", q.wants_date),
        ("place_asked", q.wants_place),
        ("duration_asked", q.wants_duration),
        ("number_asked", q.wants_number),
        ("time_asked", q.wants_time),
    )
    return [name for name, wanted in asked if wanted]


def answer_facts(q: Question) -> list[str]:
    """The kinds of fact that are the answer itself, which an answer must state: a deadline, a number, a
    length, and for a where/when question the place or day ("What did she say when they met?" asks
    what she said; its "when" is no fact asked for)."""
    return [name for name in asked_facts(q) if q.intent == "where_when" or name not in ("date_asked", "place_asked")]


@lru_cache(maxsize=512)
def _venue_pattern(venue: str) -> re.Pattern:
    return re.compile(rf"\b(?i:in\s+{re.escape(venue)})(?![\w-])|^\s*{re.escape(venue.upper())}\s*[,(\u2014-]")


def _at_venue(meeting: Meeting | None) -> re.Pattern | None:
    """Where the report's own meeting took place, as a sentence states it: "met on Tuesday in Puno", a
    dateline "PUNO, March 12 -". The city list holds capitals and the cities diplomats often meet in;
    talks in a provincial city (Puno, Turkistan, Bergen) are placed by the extraction's venue."""
    if meeting is None or not meeting.venue or meeting.mode == "phone" or not meeting.venue[:1].isupper():
        return None
    return _venue_pattern(meeting.venue)


def checkable_facts(q: Question) -> list[str]:
    """The asked facts whose absence tells that the articles do not answer. "Where in Moscow ...?"
    in a report that names no building is still answered by the city, so the building is not one."""
    return [name for name in asked_facts(q) if not (q.wants_venue and name == "place_asked")]


def states_asked_facts(q: Question, row: np.ndarray) -> bool:
    """Whether a sentence (its feature row) states every kind of fact the question asks for."""
    return all(row[INDEX[name]] for name in asked_facts(q))


def asked_fact_missing(q: Question, candidates: list[Ranked], matrix: np.ndarray, best: int) -> bool:
    """The question asks for a duration or a quantity ("How long ...?", "How much ...?") and the best
    sentence states none: the ranker already prefers sentences that state one, so none of the candidates
    answers. Or it asks where or on what day ("In which city did they meet?") and no sentence of the
    best article states a place or a date at all."""
    if q.wants_money and not any(
        _MONEY.search(c.sentence.text)
        for c in candidates
        if c.article.id == candidates[best].article.id and c.score >= FACT_RATIO * candidates[best].score
    ):
        # "How much will the corridor cost?" when no sentence near the best one names a sum: a count
        # ("300 people", "40 lanes") is no answer, and the answer would lack the sum in any case.
        return True
    if q.quantity is not None:
        if q.counted and not counts(q.counted, candidates[best].sentence.text):
            # "How many Kenyan troops ...?" answered by "500 Somali police officers": a number of
            # something else is no answer.
            return True
        return matrix[best, INDEX[f"{q.quantity}_asked"]] == 0
    asked = [name for name in ("place_asked", "date_asked") if name in checkable_facts(q)]
    if q.intent != "where_when" or not asked:
        return False
    article_id = candidates[best].article.id
    rows = matrix[[i for i, c in enumerate(candidates) if c.article.id == article_id]]
    mine = [c for c in candidates if c.article.id == article_id]
    if q.wants_next and q.wants_date:
        # "On what date will the next round open?": the day of the meeting reported is no answer; a
        # sentence about the meeting to come must state one.
        coming = [
            i
            for i, c in enumerate(mine)
            if announces_next(c.sentence.text)
            or (_TO_COME.search(c.sentence.text) and _MEETING_WORD.search(c.sentence.text))
        ]
        return not any(rows[i, INDEX["date_asked"]] and _dates_what_comes(mine[i].sentence.text) for i in coming)
    return all(rows[:, INDEX[name]].max() == 0 for name in asked)


# "Under the package announced on Tuesday, ministers will meet regularly", "the ministry said in a
# statement on Tuesday", "Following Tuesday's announcement": the day of an act already done, not of
# the meeting to come. Not "will be signed on 12 May" (to come), nor "agreed on 3 June as the date".
_DAY = (
    r"(?:"
    + "|".join(w.title() for w in WEEKDAYS)
    + r")\b(?:,?\s+\d{1,2}(?:\s+"
    + MONTH_PATTERN
    + r")?)?|\d{1,2}\s+"
    + MONTH_PATTERN
    + r"|"
    + MONTH_PATTERN
    + r"(?:\s+\d{1,2}\b)?"
)
_PAST_ACT_DAY = re.compile(
    r"(?<!\bbe\s)(?<!\bbeen\s)(?<!\bbeing\s)\b(?i:announced|agreed|signed|said|unveiled|reached|struck|sealed|launched|"
    r"met|spoke|talked)\s+(?i:in\s+a\s+statement\s+|earlier\s+)?(?i:on\s+|in\s+|last\s+)?(?:the\s+)?(?:"
    + _DAY
    + r")\b(?!\s+(?:as|for)\b)|\b(?:"
    + "|".join(w.title() for w in WEEKDAYS)
    + r")[\u2019']s\s+(?:announcement|statement|decision|agreement|talks|meeting)\b"
)


def _dates_what_comes(text: str) -> bool:
    """Whether a sentence about a meeting to come dates something other than an act already done."""
    return not _DATE_WORDS.search(text) or bool(_DATE_WORDS.search(_PAST_ACT_DAY.sub(" ", text)))


_COUNT_WORD = re.compile(
    r"(?<![\w.,])(?!(?:19|20)\d\d\b)(?:\d[\d,.]*|one(?!\s+of\b)|"
    + _NUMBER_WORDS
    + r"|hundreds?|thousands?|dozens?|several|millions?|billions?)\b(?!\s+(?:"
    + MONTH_PATTERN
    + r")\b)",
    re.I,
)
_TIME_UNITS = ("minute", "hour", "day", "week", "month", "year", "decade")  # in order of length


def counts(counted: str, text: str) -> bool:
    """Whether the text gives a number of the thing counted ("patrol ships"): a number (not a year or a
    day of a month), then the thing's noun or a word that qualifies it within three words ("five more
    patrol vessels"), or a number in a sentence that names the noun ("The framework addresses the
    prisoners: about 300 detainees will be released"). A country's word qualifies nothing here: "500
    Kenyan police officers" is no number of "Kenyan troops". A unit of time counts as itself or the next
    unit up or down (talks "that lasted 90 minutes" answer how many hours; "about forty minutes" is no
    number of days); "How many times ...?" counts no unit."""
    words = counted.split()
    unit = words[-1].casefold().rstrip("s")
    if unit == "time":
        return True
    numbers = list(_COUNT_WORD.finditer(text))
    if unit in _TIME_UNITS:
        at = _TIME_UNITS.index(unit)
        near = "|".join(_TIME_UNITS[max(0, at - 1) : at + 2])
        between = r"(?:and|a|half|more|or|extra|additional|working|business|calendar|full|consecutive|straight)"
        return any(re.match(rf"[\s-]*(?:{between}\s+){{0,3}}(?:{near})s?\b", text[m.end() :], re.I) for m in numbers)
    head = stem(words[-1].casefold())
    wanted = {head} | {stem(w.casefold()) for w in words[:-1] if not find_sides(w) and w.casefold() not in STOP}
    if numbers and head in {stem(w.casefold()) for w in re.findall(r"[A-Za-z][\w-]*", text)}:
        return True
    for m in numbers:
        after = re.findall(r"[A-Za-z][\w-]*", text[m.end() : m.end() + 60])[:4]
        if any(stem(w.casefold()) in wanted for w in after):
            return True
    return False


def _logit(p: float) -> float:
    return float(np.log(max(p, 1e-9) / max(1e-9, 1 - p)))


def abstention_features(
    q: Question, candidates: list[Ranked], matrix: np.ndarray, probabilities: np.ndarray
) -> np.ndarray:
    """Question-level evidence that the articles do not answer: the best sentence's score; whether it
    is someone else's statement, lacks the kind of fact asked for, or tells of an earlier year (the
    background, when the meeting's own news is missing); how far behind it the asked speaker's own
    best sentence is; and for its article whether the speaker asked about says anything there (by
    the extraction) and whether the kind of fact asked for (a date, a place, a number, a duration, a
    time) appears anywhere in it."""
    best = int(np.argmax(probabilities))
    logit = _logit(float(probabilities[best]))
    article_id = candidates[best].article.id
    in_article = [i for i, c in enumerate(candidates) if c.article.id == article_id]
    rows = matrix[in_article]
    # the asked speaker's own statements, by the extraction: not a sentence nobody is reported saying,
    # which ranks as both sides' own account when both are asked about
    unsaid = np.asarray([q.actor_side == "both" and not c.has_statement for c in candidates], dtype=bool)
    mine = (matrix[:, INDEX["actor_said"]] > 0) & ~unsaid
    asked = checkable_facts(q)
    type_absent = any(rows[:, INDEX[name]].max() == 0 for name in asked)
    # A two-part question ("What did Bogota ask, and how did Maduro respond?") is answered by a
    # sentence per part: one sentence need not state every fact asked, nor be the asked speaker's.
    single = not q.parts
    # How far the asked speaker's own best sentence is behind the best one ("What did Maduro say about
    # the court?" when only his guest spoke of it).
    actor_gap = 0.0
    if q.asks_speaker and single and mine.any():
        actor_gap = logit - _logit(float(probabilities[mine].max()))
    return np.asarray(
        [
            logit,
            q.asks_speaker and not mine[in_article].any(),
            type_absent,
            single and matrix[best, INDEX["actor_other_side"]],
            single and any(matrix[best, INDEX[name]] == 0 for name in asked),
            actor_gap,
            matrix[best, INDEX["past_year"]],
        ],
        dtype=np.float64,
    )
