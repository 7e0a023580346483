"""Assemble the Meeting an article reports: participants, venue, date, mode, topics, statements.

The meeting sentence is the first that has a meeting word ("met", "talks", "meeting") and names a
participant; the venue is looked for there first, then in the headline and the dateline, then in
another sentence with a meeting word; the date there first, then in the first sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from ingest.extraction.lexicon import (
    CITIES,
    MEETING_CUES,
    MONTH_PATTERN,
    WEEKDAYS,
    country_word,
    find_sides,
    month_number,
    trie_pattern,
)
from ingest.extraction.people import Person, find_mentions
from ingest.extraction.statements import Attributed
from vectorstore.models import Agreement, Evidence, Meeting, Participant, Sentence, Statement, Topic

_CITY_RE = re.compile(r"(?<![\w-])(" + trie_pattern(CITIES) + r")(?![\w-])")
_AT_VENUE = re.compile(
    r"\b(?:at|on the (?:margins|sidelines) of|on the margins of|on the sidelines of|during)\s+(?:the\s+)?"
    r"([A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|meetings?|of|the|and|\([^)]*\)))*)"
)
# "SHARJAH, Sept. 21 (Xinhua) --", "BOGOR, Indonesia, March 12 (Wire) -", "KINGSTOWN, St Vincent -".
_CAPS_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z.'-]+(?:\s[A-Z][A-Z.'-]+){0,3})(,\s*[A-Z][a-z][\w.'-]*(?:\s[A-Z][\w.'-]*){0,3})?\s*"
    r"(?:,\s*(?:" + MONTH_PATTERN + r")\s*\d|\(|\u2014|--|\s-\s)"
)
# A label before the story, in capitals like a dateline: no place.
_KICKERS = {
    "exclusive",
    "analysis",
    "factbox",
    "explainer",
    "insight",
    "update",
    "breaking",
    "interview",
    "column",
    "opinion",
    "wrapup",
    "feature",
    "preview",
    "refile",
    "corrected",
    "live",
    "comment",
    "editorial",
    "news analysis",
    "special report",
    "watch",
}
_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z .'-]{2,30}?)\s*(?:,|\u2022|\(|\u2014|-)", re.M)
_WEEKDAY_RE = re.compile(r"\b(?:on\s+)?(" + "|".join(w.title() for w in WEEKDAYS) + r")\b")
_MONTH_DAY = re.compile(
    r"\b(" + MONTH_PATTERN + r")\s+(\d{1,2})(?:,?\s+(\d{4}))?\b|\b(\d{1,2})\s+(" + MONTH_PATTERN + r")(?:\s+(\d{4}))?\b"
)
_TODAY = re.compile(r"\b(?:earlier\s+)?today\b|\byesterday\b", re.I)
# How reports say what talks were about: "discussed", "the talks covered", "focused on", "centred on",
# "dominated by", "at the heart of the talks", "the agenda included", "Abyei also came up" (not "the
# resolution was not on the agenda", "tariffs were raised to 50%", "reporters covering the summit").
_TOPIC = re.compile(
    r"\b(?:discuss(?:ed|ing)?|exchanged views on|talked about|(?<!not )(?<!never )(?<!longer )on the (?:agenda|table)|"
    r"focus(?:ed|sed|ing)? on|ranged over|compared assessments of|touched on|covered|(?<!reporters )(?<!journalists )covering|"
    r"take up|took up|main (?:subjects|topics|issues)|key (?:questions|issues|topics)|priorit(?:y|ies)|"
    r"cent(?:red|ered)\s+(?:on|around)|revolved\s+around|dominated\s+(?:by|(?:the|that|this|their)\s+(?:\w+\s+)?(?:talks|conversation|"
    r"discussions?|agenda|meeting|call|day|summit|session))|"
    r"concentrated\s+on|at the (?:centre|center|heart|top) of the (?:talks|discussions?|agenda|meeting|negotiations)|"
    r"(?:agenda|talks|discussions?)\s+(?:also\s+)?included|came up|(?:was|were) (?:also )?raised(?!\s+(?:to|by)\b))\b",
    re.I,
)
# A meeting held at a distance: "a phone call", "spoke by telephone", "telephoned", "by video link".
PHONE_CALL = re.compile(
    r"\b(?:(?:tele)?phone|video)\s+(?:call|conversation|talks)\b|\bby\s+(?:(?:tele)?phone|video\s*link)\b|"
    r"\b(?:tele)?phoned\b|\bvideo\s*conference\b",
    re.I,
)
_MULTI = re.compile(r"\b(?:summit|conference|forum|margins|sidelines|G7|G20|ASEAN|assembly)\b", re.I)
_REPORTER_TITLE = re.compile(r"spokes|press secretary|correspondent|reporter|editor|writer", re.I)


def build_meeting(
    article_id: str,
    text: str,
    sentences: list[Sentence],
    people: list[Person],
    statements: list[Attributed],
    published: str | None,
) -> Meeting | None:
    if not people and not statements:
        return None
    meeting_sentence = _meeting_sentence(text, sentences, people)
    participants = _participants(text, sentences, meeting_sentence, people, statements)
    if not participants:
        return None
    _assign_other_side(statements, participants)

    def ev(s: Sentence) -> Evidence:
        return Evidence(article_id=article_id, start=s.start, end=s.end)

    venue, venue_sentence = _venue(text, sentences, meeting_sentence)
    _assign_host_and_guest(statements, participants, meeting_sentence, venue)
    when, date_sentence = _date(sentences, meeting_sentence, published)
    meeting = Meeting(
        participants=[Participant(name=p.name, title=p.title, country=p.country, side=p.country) for p in participants],
        venue=venue,
        venue_evidence=ev(venue_sentence) if venue_sentence else None,
        date=when,
        date_evidence=ev(date_sentence) if date_sentence else None,
        mode=_mode(sentences, meeting_sentence),
        evidence=ev(meeting_sentence) if meeting_sentence else None,
    )
    for st in statements:
        actor = st.actor.name if st.actor else (st.side or "")
        if not actor:
            continue
        meeting.statements.append(
            Statement(
                actor=actor,
                side=st.side or (st.actor.country if st.actor else None),
                kind=st.kind,
                target=st.target,
                text=st.sentence.text,
                evidence=ev(st.sentence),
            )
        )
        if st.kind == "agree":
            meeting.agreements.append(Agreement(text=st.sentence.text, evidence=ev(st.sentence)))
    for s in sentences:
        m = _TOPIC.search(s.text)
        if m:
            label = s.text[m.end() :].strip(" .:,")[:200]
            meeting.topics.append(Topic(label=label or s.text, evidence=ev(s)))
    return meeting


def _headline(sentences: list[Sentence]) -> Sentence | None:
    """A first line that does not end like a sentence is a headline."""
    return sentences[0] if sentences and not _SENTENCE_END.search(sentences[0].text) else None


def _after_headline(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that report."""
    return (sentences[1:] or sentences) if _headline(sentences) is not None else sentences


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s*$")


def _meeting_sentence(text: str, sentences: list[Sentence], people: list[Person]) -> Sentence | None:
    best = None
    for s in _after_headline(sentences):
        if not MEETING_CUES.search(s.text):
            continue
        named = {m.person.name for m in find_mentions(text, s.start, s.end, people) if m.person}
        if len(named) >= 2:
            return s
        if named and best is None:
            best = s
    if best is None:
        # No meeting word ("each expressed concern"): the first sentence naming two people.
        for s in _after_headline(sentences):
            if len({m.person.name for m in find_mentions(text, s.start, s.end, people) if m.person}) >= 2:
                return s
    return best


def _participants(
    text: str,
    sentences: list[Sentence],
    meeting_sentence: Sentence | None,
    people: list[Person],
    statements: list[Attributed],
) -> list[Person]:
    """Who took part: the people the meeting sentence names, then speakers the article places at the
    meeting (named in a sentence with a meeting word or a word of presence: "standing alongside",
    "his guest", "signed"). A speaker quoted from elsewhere ("Macron said on Thursday", "wrote on
    Twitter", "in a statement") is a voice in the story, not a participant."""
    chosen: list[Person] = []
    if meeting_sentence is not None:
        for m in find_mentions(text, meeting_sentence.start, meeting_sentence.end, people):
            if m.person and m.person not in chosen and not _REPORTER_TITLE.search(m.person.title or ""):
                chosen.append(m.person)
    present: set[str] | None = None
    for st in statements:
        p = st.actor
        if not p or p in chosen or _REPORTER_TITLE.search(p.title or "") or len(chosen) >= 4:
            continue
        if present is None:
            present = _placed_at_meeting(text, sentences, people)
        if p.name in present:
            chosen.append(p)
    return chosen


def _assign_other_side(statements: list[Attributed], participants: list[Person]) -> None:
    """A participant whose country no title gave ("Wang Yi, State Councilor and Foreign Minister, met
    US Secretary of State Mike Pompeo") is on the side their own statements name most often besides
    the other participants' ("Wang Yi noted that China-US relations ..."), when one clearly leads.
    Only for a single such participant; two or more could be on any side. Sides named elsewhere in
    the article are its topic (the war in Ukraine, the summit's host bloc), not theirs."""
    unknown = [p for p in participants if p.country is None]
    known = {p.country for p in participants if p.country}
    if len(unknown) != 1 or not known:
        return
    person = unknown[0]
    counts: Counter[str] = Counter()
    for st in statements:
        if st.actor is person:
            counts.update(side for _, _, side in find_sides(st.sentence.text) if side not in known and side != "both")
    ranked = counts.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        person.country = ranked[0][0]


# "The host said ...", "His guest told reporters ...": the host or the guest as a sentence's speaker.
_HOST_SPEAKS = re.compile(
    r"^\W*(?:the|his|her|their)\s+(?:(hosts?)|guests?|visitors?)\s+(?:also\s+)?"
    r"(?:said|says|told|tells|added|noted|stressed|insisted|argued|warned|urged|replied)\b",
    re.I,
)
_HOSTING = re.compile(r"\b(?:hosted|hosts|received|receives|welcomed|welcomes)\b")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+\s+)?$")


def _host(participants: list[Person], meeting_sentence: Sentence | None, venue: str | None) -> Person | None:
    """Who hosted: the participant the meeting sentence says hosted, received or welcomed the other,
    else the one of the country the meeting took place in (Caracas: Venezuela's president)."""
    if meeting_sentence is not None:
        hosting = _HOSTING.search(meeting_sentence.text)
        if hosting:
            before, after = meeting_sentence.text[: hosting.start()], meeting_sentence.text[hosting.end() :]
            # "A received B": A; "B was received by A": the one after the verb.
            side = after if _PASSIVE.search(before) else before
            named = [p for p in participants if any(a in side for a in p.aliases or {p.name})]
            if len(named) == 1:
                return named[0]
    countries = {side for _, _, side in find_sides(venue or "")}
    local = [p for p in participants if p.country in countries]
    return local[0] if len(local) == 1 else None


def _assign_host_and_guest(
    statements: list[Attributed], participants: list[Person], meeting_sentence: Sentence | None, venue: str | None
) -> None:
    """ "The host said the two leaders had agreed ...": the host speaks (and the two leaders agree, the
    statement the sentence already has); "his guest told ..." is the other one of two participants."""
    host = _host(participants, meeting_sentence, venue)
    if host is None:
        return
    others = [p for p in participants if p is not host]
    for st in list(statements):
        subject = _HOST_SPEAKS.match(st.sentence.text)
        if subject is None:
            continue
        speaker = host if subject.group(1) else (others[0] if len(others) == 1 else None)
        if speaker is None or st.actor is speaker:
            continue
        if st.side != "both":
            st.actor, st.side = speaker, speaker.country  # the host is the subject, whoever else was named
        elif not any(o.sentence is st.sentence and o.actor is speaker for o in statements):
            # "The host said the two leaders had agreed ...": the two agree, and the host says so.
            statements.append(Attributed(st.sentence, "state", speaker, speaker.country, None, st.cue_start))
    statements.sort(key=lambda a: a.sentence.start)


def _placed_at_meeting(text: str, sentences: list[Sentence], people: list[Person]) -> set[str]:
    """The names of people mentioned in a sentence with a meeting word or a word of presence."""
    names: set[str] = set()
    for s in sentences:
        if MEETING_CUES.search(s.text) or _PRESENCE.search(s.text):
            names.update(m.person.name for m in find_mentions(text, s.start, s.end, people) if m.person)
    return names


_PRESENCE = re.compile(
    r"\b(?:alongside|attend\w*|join\w*|accompan\w*|welcom\w*|sign(?:ed|ing)|guests?|hosts?|counterparts?|"
    r"visitors?|delegations?|told\s+(?:him|her|them|reporters\s+after))\b",
    re.I,
)


def _venue(
    text: str, sentences: list[Sentence], meeting_sentence: Sentence | None
) -> tuple[str | None, Sentence | None]:
    """Where the meeting was: the meeting sentence's place first, then the headline's ("... talks in
    Munich", "... at Carthage"), then the dateline's city, then another sentence with a meeting word
    and a place. That last one is the weakest guess: an article's other sentences with a place and a
    meeting word are often about another occasion (a meeting to come, an earlier one, another
    summit the same people attended), so one that says so is passed over."""
    if meeting_sentence is not None and not _MEETING_TO_COME.search(meeting_sentence.text):
        place = _place_in(meeting_sentence.text, needs_cue=True)
        if place:
            return place, meeting_sentence
    headline = _headline(sentences)
    if headline is not None and headline is not meeting_sentence:
        place = _place_in(headline.text, needs_cue=False)
        if place:
            return place, headline
    for s in sentences[:3]:
        if s is headline:
            continue
        d = _DATELINE.match(s.text)
        if d:
            city = d.group(1).strip().title()
            if city in CITIES:
                return city, s
        caps = _CAPS_DATELINE.match(s.text)
        name = caps.group(1).strip() if caps else ""
        # "BOGOR, Indonesia, March 12 -" names a city and its country; "EU, Japan - ..." two sides.
        # "EXCLUSIVE - ...", "ANALYSIS - ...", "REFILE-EXCLUSIVE - ...": a label, no place
        kicker = name.casefold() in _KICKERS or any(part in _KICKERS for part in name.casefold().split("-"))
        if (
            caps
            and not kicker
            and not (caps.group(2) and (len(name) <= 3 or find_sides(name) or find_sides(name.title())))
        ):
            # A dateline in capitals ("SHARJAH, Sept. 21 (Xinhua) --") names a city by news
            # convention, whether or not the city list has it.
            return name.title(), s
    for s in sentences:
        if s is meeting_sentence or s is headline or _ANOTHER_OCCASION.search(s.text):
            continue
        place = _place_in(s.text, needs_cue=True)
        if place:
            return place, s
    return None, None


def _place_in(text: str, needs_cue: bool) -> str | None:
    """A venue ("at the Kremlin", "on the sidelines of the G20") or a city after "in" / "at" / "to"."""
    if needs_cue and not MEETING_CUES.search(text):
        return None
    for m in _AT_VENUE.finditer(text):
        if (
            len(m.group(1)) > 3
            and m.group(1).split()[0] not in WEEKDAY_TITLES
            and not _AFFILIATION.search(text[: m.start()])
            and not _POSSESSIVE_END.search(m.group(1).strip())  # "at the Foreign Ministry's guest house": its owner
        ):
            common = _COMMON_PLACE_AFTER.match(text, m.end(1))
            if common is None:
                return m.group(1).strip().rstrip(".,")
            if not country_word(m.group(1).strip()):
                # "at the Ittihadiya palace", "at the Europa building": the name and what it names
                return (m.group(1) + common.group(0)).strip()
            # "at the Ivorian agriculture ministry": a country's word qualifying a building, not its name
    c = _CITY_RE.search(text)
    if c and re.search(r"\b(?i:in|at|to)\s+(?:an?\s+)?" + re.escape(c.group(1)), text):
        return c.group(1)
    return None


_POSSESSIVE_END = re.compile(r"['\u2019]s?$")
# A country's word that goes on into a common noun of a place names no building: "at the Ivorian
# agriculture ministry", "at the Indian embassy" (not "at the Elysee palace", "at the Elysee in the
# palace garden").
_COMMON_PLACE_AFTER = re.compile(
    r"\s+(?:(?!(?:in|on|at|of|the|an?|for|with|and|to|by|after|before|during|near|while|as|when|where|which|who|that|his|her|their|its)\b)[a-z][\w-]*\s+){0,2}(?:ministry|palace|residence|house|office|offices|headquarters|embassy|consulate|"
    r"building|hotel|guest\s*house|compound|complex|airport|hall|centre|center|mansion|villa|castle|estate|resort)\b"
)
# "a researcher at the University of Guangzhou": where someone works, not where anyone met.
_AFFILIATION = re.compile(
    r"\b(?:researcher|analyst|professor|fellow|lecturer|scholar|economist|expert|director|student|dean|chair)s?\s*$",
    re.I,
)
# A meeting sentence that reports a meeting still to come ("Italy would host a meeting in Rome the
# following Sunday"): narrower than below, since the sentence that reports the meeting often goes on
# with what the sides would do next.
_MEETING_TO_COME = re.compile(
    r"\b(?:will|would|shall)\s+(?:\w+\s+)?(?:host|meet|hold|convene)\b|\b(?:is|are)\s+(?:due|expected|set|scheduled)\s+to\b|"
    r"\bthe\s+following\s+(?:week|month|day|\w+day)\b",
    re.I,
)
# A sentence about another occasion than the meeting reported: one to come or one before it.
_ANOTHER_OCCASION = re.compile(
    r"\b(?:will|would|shall|is\s+(?:due|expected|set)\s+to|plans?\s+to|invit\w*|next|the\s+following|"
    r"last\s+(?:month|year)|previous(?:ly)?|earlier\s+(?:this|in\s+the)\s+(?:year|month))\b",
    re.I,
)


WEEKDAY_TITLES = {w.title() for w in WEEKDAYS}


def resolve_weekday(weekday: str, published: str | None) -> str:
    """'Friday' in an article of 2024-02-17 -> '2024-02-16' (the latest such day on or before it)."""
    if not published:
        return weekday
    try:
        base = date.fromisoformat(published[:10])
    except ValueError:
        return weekday
    target = WEEKDAYS.index(weekday.casefold())
    delta = (base.weekday() - target) % 7
    return (base - timedelta(days=delta)).isoformat()


def _date(
    sentences: list[Sentence], meeting_sentence: Sentence | None, published: str | None
) -> tuple[str | None, Sentence | None]:
    ordered = ([meeting_sentence] if meeting_sentence else []) + sentences[:4]
    # With no publication date, a full date in the headline or dateline ("CAIRO, 13 July 2023.")
    # dates the report, so "on Thursday" and "today" resolve against it.
    published = published or _full_date(sentences[:4])
    for s in ordered:
        m = _MONTH_DAY.search(s.text)
        if m:
            return _calendar_date(m, published) or f"{m.group(1) or m.group(5)} {int(m.group(2) or m.group(4))}", s
        w = _WEEKDAY_RE.search(s.text)
        if w:
            return resolve_weekday(w.group(1), published), s
        t = _TODAY.search(s.text)
        if t:
            return (published[:10] if published else t.group(0)), s
    return None, None


def _calendar_date(m: re.Match[str], published: str | None = None) -> str | None:
    """The ISO date a `_MONTH_DAY` match names, its year written or else the publication's."""
    year = m.group(3) or m.group(6) or (published[:4] if published else None)
    if not year:
        return None
    try:
        return date(int(year), month_number(m.group(1) or m.group(5)), int(m.group(2) or m.group(4))).isoformat()
    except ValueError:
        return None


def _full_date(sentences: list[Sentence]) -> str | None:
    """The date of the report from the headline or a dateline that opens with it ("CAIRO, 13 July
    2023.", "February 10, 2023"); a full date elsewhere is more often another event's."""
    headline = _headline(sentences)
    for s in sentences:
        for m in _MONTH_DAY.finditer(s.text):
            written = m.group(3) or m.group(6)
            if written and (s is headline or _PLACE_BEFORE.fullmatch(s.text[: m.start()])):
                found = _calendar_date(m)
                if found:
                    return found
    return None


_PLACE_BEFORE = re.compile(r"\s*(?:[A-Z][A-Za-z .'-]{1,30},\s*)?")


# A readout's headline names the call ("Readout of the President's Call with ...") and its body says
# only that they "spoke": the headline says how.
_CALL_HEADLINE = re.compile(r"\b(?:(?:[Pp]hone|[Tt]elephone)\s+)?[Cc]all\s+(?:with|between)\b")
_IN_PERSON_HEADLINE = re.compile(
    r"\b(?:meets?|met|meeting|visits?|visited|hosts?|hosted|receives?|summit)\b|\bin\s+person\b", re.I
)
_SPOKE = re.compile(r"\bsp(?:oke|eaks?|eaking)\s+(?:\w+\s+)?(?:with|to)\b")


def _mode(sentences: list[Sentence], meeting_sentence: Sentence | None) -> str | None:
    if meeting_sentence is None:
        return None
    if PHONE_CALL.search(meeting_sentence.text):
        return "phone"
    headline = _headline(sentences)
    if (
        headline is not None
        and headline is not meeting_sentence
        and _CALL_HEADLINE.search(headline.text)
        and not _IN_PERSON_HEADLINE.search(headline.text)
        and _SPOKE.search(meeting_sentence.text)
    ):
        return "phone"
    if _MULTI.search(meeting_sentence.text):
        return "third-party"
    return "visit"
