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

from ingest.models import Article, Evidence, Meeting, Statement

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
    text: str
    n: int  # the CardSource it cites
    side: str | None = None  # for positions: whose position it is


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
    """The card for the `index`-th meeting of `article`; lines lacking evidence are left out."""
    sources = _Sources(article)
    lines: list[CardLine] = []

    def add(section: str, text: str, evidence: Evidence | None, side: str | None = None) -> None:
        n = sources.cite(evidence) or sources.cite(meeting.evidence)
        if n is not None and text.strip():
            lines.append(CardLine(section, " ".join(text.split()), n, side))

    for p in meeting.participants:
        described = p.name + (f", {p.title}" if p.title else "")
        side = p.side or p.country
        add("participants", described + (f" ({side})" if side else ""), None, side)
    if meeting.venue:
        add("venue", meeting.venue, meeting.venue_evidence)
    if meeting.date:
        add("date", meeting.date, meeting.date_evidence)
    for topic in meeting.topics:
        add("topics", topic.label, topic.evidence)
    for s in meeting.statements:
        add("positions", statement_line(s), s.evidence, s.side or s.actor)
    for a in meeting.agreements:
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


def statement_line(statement: Statement) -> str:
    """A position as the card lists it, e.g. "Wang Yi urged: lift the sanctions".

    Just the text when it names its speaker already, or when the speaker is no name (such as
    "both"): the card groups lines by side anyway.
    """
    speaker = {w for w in re.findall(r"\w+", statement.actor) if w[:1].isupper()}
    if not speaker or speaker & set(re.findall(r"\w+", statement.text)):
        return statement.text
    return f"{statement.actor} {KIND_LABELS.get(statement.kind, statement.kind)}: {statement.text}"


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
