"""Briefing cards: one card per stored meeting, every line carrying the sentence that supports it.

Pure functions over `ingest.models` (no Gradio, no HTTP), so the UI, the JSON API and the exports
show the same card. A line without evidence is never shown (the design's rule: nothing reaches a
user without a span in the article); participants, venue and date fall back to the sentence that
reports the meeting itself, which is where the extraction found them.

All text here is untrusted article text. `card_markdown` escapes it for Markdown; HTML views must
escape it themselves.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from bot.answer.text import content_stems
from ingest.extraction.lexicon import SIDE_ALIASES, find_sides
from ingest.extraction.people import PRONOUN_OPENING
from vectorstore.models import Agreement, Article, Evidence, Meeting, Statement

KIND_LABELS = {
    "demand": "demanded",
    "urge": "urged",
    "call-on": "called on",
    "warn": "warned",
    "concern": "raised concern",
    "emphasize": "emphasized",
    "reject": "rejected",
    "agree": "agreed",
    "propose": "proposed",
    "state": "said",
}


@dataclass(frozen=True)
class CardSource:
    """A numbered source of a card: the exact sentence of the article a line rests on."""

    n: int
    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CardLine:
    section: str  # participants, venue, date, topics, positions, agreements
    text: str  # what the card shows
    n: int  # the CardSource it cites
    side: str | None = None  # for positions: whose position it is
    actor: str | None = None  # for positions: who took it (the text may only say "he")
    kind: str | None = None  # for positions: demand, urge, warn, ... (the text may say it in its own words)


@dataclass
class Card:
    id: str  # "<article id>-<meeting index>", stable while the article is stored
    article_id: str
    article_title: str
    outlet: str | None
    published: str | None
    heading: str
    participants: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    venue: str | None = None
    date: str | None = None
    mode: str | None = None
    lines: list[CardLine] = field(default_factory=list)
    sources: list[CardSource] = field(default_factory=list)

    def section(self, name: str) -> list[CardLine]:
        return [line for line in self.lines if line.section == name]

    def sides(self) -> list[str]:
        """Sides that took positions, in the order they first spoke."""
        seen: list[str] = []
        for line in self.section("positions"):
            if line.side and line.side not in seen:
                seen.append(line.side)
        return seen

    def source(self, n: int) -> CardSource:
        return self.sources[n - 1]

    def to_dict(self) -> dict:
        return asdict(self)


class _Sources:
    """Numbers evidence spans once per card: two lines citing the same sentence share [n]."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.items: list[CardSource] = []
        self._by_span: dict[tuple[int, int], int] = {}

    def cite(self, evidence: Evidence | None) -> int | None:
        if evidence is None or evidence.article_id != self.article.id:
            return None
        start, end = evidence.start, evidence.end
        if not (0 <= start < end <= len(self.article.text)):
            return None
        key = (start, end)
        if key not in self._by_span:
            text = self.article.text[start:end].strip()
            self.items.append(CardSource(len(self.items) + 1, self.article.id, start, end, text))
            self._by_span[key] = len(self.items)
        return self._by_span[key]


def build_card(article: Article, meeting: Meeting, index: int) -> Card:
    """The card for the `index`-th meeting of `article`; lines lacking evidence are left out.

    Each sentence is listed where an analyst looks for it: an agreement once, under Agreements
    (not again as a position); the headline only when no body sentence says the same thing.
    """
    sources = _Sources(article)
    lines: list[CardLine] = []
    headline = _Headline(article)

    def add(section: str, text: str, evidence: Evidence | None, **extra: str | None) -> None:
        n = sources.cite(evidence) or sources.cite(meeting.evidence)
        text = " ".join(text.split())
        side = extra.get("side")
        if n is not None and text and not any((ln.section, ln.side, ln.text) == (section, side, text) for ln in lines):
            lines.append(CardLine(section, text, n, **extra))

    for p in meeting.participants:
        described = p.name + (f", {p.title}" if p.title else "")
        side = p.side or p.country
        add("participants", described + (f" ({side})" if side else ""), None, side=side)
    if meeting.venue:
        add("venue", meeting.venue, headline.prefer_body(meeting.venue, meeting.venue_evidence, meeting.evidence))
    if meeting.date:
        add("date", meeting.date, headline.prefer_body(meeting.date, meeting.date_evidence, meeting.evidence))
    for topic in meeting.topics:
        add("topics", topic.label, topic.evidence)
    agreements = headline.drop_restated(meeting.agreements, lambda a: a.text)
    positions = [s for s in meeting.statements if not _restates_agreement(s, meeting.agreements)]
    for side_statements in _by_side(positions).values():
        for s in headline.drop_restated(side_statements, lambda s: s.text):
            add("positions", statement_line(s), s.evidence, side=s.side or s.actor, actor=s.actor, kind=s.kind)
    for a in agreements:
        add("agreements", a.text, a.evidence)

    names = [p.name for p in meeting.participants]
    countries = _unique([c for p in meeting.participants for c in (p.side, p.country) if c])
    heading = " – ".join(names) if names else article.title
    place_time = ", ".join(x for x in (meeting.venue, meeting.date or article.published) if x)
    if place_time:
        heading += f" · {place_time}"
    return Card(
        id=f"{article.id}-{index}",
        article_id=article.id,
        article_title=article.title,
        outlet=article.outlet,
        published=article.published,
        heading=heading,
        participants=names,
        countries=countries,
        venue=meeting.venue,
        date=meeting.date or article.published,
        mode=meeting.mode,
        lines=lines,
        sources=sources.items,
    )


# A whole sentence ends as one; a clause ("lift the sanctions") does not.
_WHOLE_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)]?$")


def statement_line(statement: Statement) -> str:
    """A position as the card lists it: as short as it can be while saying who took it.

    - The sentence alone when it names its speaker ("Wang urged the US to ..."), when it speaks
      through the speaker's country ("Among Moscow's demands ...", "The Chinese side said ..."),
      or when the speaker is no name (such as "both"): the card groups lines by side anyway.
    - A sentence that opens with "He"/"She"/"They" gets the speaker in brackets instead, the
      editor's convention: "[Joe Biden] urged restraint ...", never "Joe Biden urged: He urged ...".
    - Any other whole sentence: "Ursula von der Leyen: Xi repeated that ...", since the sentence
      has its own verb; a bare clause: "Wang Yi urged: lift the sanctions".
    """
    text = " ".join(statement.text.split())
    actor = " ".join(statement.actor.split())
    speaker = {w for w in re.findall(r"\w+", actor) if w[:1].isupper()}
    if not speaker or speaker & set(re.findall(r"\w+", text)):
        return text
    if PRONOUN_OPENING.match(text):
        return PRONOUN_OPENING.sub(lambda _: f"[{actor}]", text, count=1)
    if _speaks_through_country(statement, text):
        return text
    if _WHOLE_SENTENCE.search(text):
        return f"{actor}: {text}"
    return f"{actor} {KIND_LABELS.get(statement.kind, statement.kind)}: {text}"


# How far into a sentence its subject may start: "Among Moscow's main demands", "The Chinese side".
_SUBJECT_WORDS = 4


def _speaks_through_country(statement: Statement, text: str) -> bool:
    """Whether the sentence opens with the speaker's own country (the actor's, or the side it speaks
    for) as its subject; a country named later is what the sentence is about, not who speaks."""
    own = {SIDE_ALIASES.get(x.casefold()) for x in (statement.actor, statement.side or "")} - {None}
    opening = len(" ".join(text.split()[:_SUBJECT_WORDS]))
    return bool(own & {side for start, _, side in find_sides(text) if start < opening})


def _restates_agreement(statement: Statement, agreements: list[Agreement]) -> bool:
    """A statement that is one of the meeting's agreements: its sentence is listed under Agreements."""
    for a in agreements:
        same_span = (a.evidence.article_id, a.evidence.start, a.evidence.end) == (
            statement.evidence.article_id,
            statement.evidence.start,
            statement.evidence.end,
        )
        if same_span and (statement.kind == "agree" or _same_words(statement.text, a.text)):
            return True
    return False


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _by_side(statements: list[Statement]) -> dict[str, list[Statement]]:
    """Statements grouped by the side they are listed under, sides in speaking order."""
    out: dict[str, list[Statement]] = {}
    for s in statements:
        out.setdefault(s.side or s.actor, []).append(s)
    return out


class _Headline:
    """The article's headline (its first paragraph, `Article.title`): a summary, not the report.

    A card prefers the body sentence that states a fact; a headline line stays only when no body
    line in its group says most of what it says.
    """

    # Share of the headline's content words (names of people aside) a body sentence must repeat.
    RESTATED = 0.5
    MAX_WORDS = 30

    def __init__(self, article: Article) -> None:
        self.article = article
        first = article.text.split("\n", 1)[0]
        title = " ".join(article.title.split()).casefold()
        is_title = bool(title) and " ".join(first.split()).casefold().startswith(title[:60])
        # Text pasted without a headline starts with its lead, which is reporting, not a headline.
        looks_like_headline = len(first.split()) <= self.MAX_WORDS and not first.rstrip().endswith(".")
        self.end = len(first) if is_title and looks_like_headline else 0

    def holds(self, evidence: Evidence | None) -> bool:
        return evidence is not None and evidence.article_id == self.article.id and evidence.end <= self.end

    def prefer_body(self, value: str, evidence: Evidence | None, body: Evidence | None) -> Evidence | None:
        """The meeting's own sentence instead of the headline, when it states the value too."""
        if not self.holds(evidence) or body is None or self.holds(body):
            return evidence
        sentence = self.article.text[body.start : body.end]
        return body if value.casefold() in sentence.casefold() else evidence

    def drop_restated(self, items: list, text_of) -> list:
        """`items` (statements or agreements, one group) without headline ones that a body one restates."""
        body = [content_stems(text_of(i)) for i in items if not self.holds(i.evidence)]
        return [i for i in items if not (self.holds(i.evidence) and self._restated(text_of(i), body))]

    def _restated(self, headline: str, body: list[set[str]]) -> bool:
        names = {w for w in re.findall(r"\w+", headline) if w[:1].isupper()}
        wanted = content_stems(headline) - content_stems(" ".join(names))
        if len(wanted) < 2:
            return any(content_stems(headline) <= b for b in body)
        return any(len(wanted & b) >= max(2, self.RESTATED * len(wanted)) for b in body)


def build_cards(meetings: list[tuple[Article, Meeting]]) -> list[Card]:
    """Cards for the store's meetings, in the store's order (newest article first)."""
    counters: dict[str, int] = {}
    cards = []
    for article, meeting in meetings:
        index = counters.get(article.id, 0)
        counters[article.id] = index + 1
        cards.append(build_card(article, meeting, index))
    return cards


def matches(card: Card, query: str) -> bool:
    """Whether a card concerns a person or country: case-insensitive, any word of the query.

    Matches participants (name, title, side, country) and the actors and sides of statements, so
    "China" finds a card where only "the Chinese side" spoke through Wang Yi's side label.
    """
    words = [w for w in re.findall(r"\w+", query.casefold()) if len(w) > 1]
    if not words:
        return True
    haystack = " ".join(
        [*card.participants, *card.countries]
        + [line.text for line in card.section("participants")]
        + [line.side or "" for line in card.lines]
    ).casefold()
    return all(w in haystack for w in words)


def filter_cards(cards: list[Card], query: str) -> list[Card]:
    return [c for c in cards if matches(c, query)]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|!~])")


def md_escape(text: str) -> str:
    """Article text as literal Markdown: no links, emphasis, headings or raw HTML can come from it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


SECTION_TITLES = {
    "participants": "Participants",
    "venue": "Venue",
    "date": "Date",
    "topics": "Topics",
    "positions": "Positions",
    "agreements": "Agreements",
}


def card_markdown(card: Card) -> str:
    """The card as a Markdown briefing note, each line cited [n], the cited sentences listed below."""
    out = [f"## {md_escape(card.heading)}", ""]
    meta = ", ".join(x for x in (card.outlet, card.published) if x)
    out.append(f"From *{md_escape(card.article_title)}*" + (f" ({md_escape(meta)})" if meta else ""))
    for section, title in SECTION_TITLES.items():
        lines = card.section(section)
        if not lines:
            continue
        out += ["", f"### {title}", ""]
        if section == "positions":
            for side in card.sides():
                out.append(f"- **{md_escape(side)}**")
                out += [f"  - {md_escape(line.text)} [{line.n}]" for line in lines if line.side == side]
        else:
            out += [f"- {md_escape(line.text)} [{line.n}]" for line in lines]
    out += ["", "### Sources", ""]
    out += [f"{s.n}. “{md_escape(s.text)}” (chars {s.start}–{s.end})" for s in card.sources]
    return "\n".join(out) + "\n"


def card_json(card: Card) -> str:
    return json.dumps(card.to_dict(), ensure_ascii=False, indent=2)


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
