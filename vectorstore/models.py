"""The data model the index stores and every layer above it reads: articles, their sentences and
passages, and the meetings extracted from them.

Every fact the bot can show carries an `Evidence` span into an article's cleaned text, so that a
citation always points at characters that exist. Offsets are Python string indices into
`Article.text` (end exclusive). It lives at the bottom, with the index, so that ingestion (which
makes these records) and the bot (which reads them) both import it and it imports neither.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol, get_args

from pydantic import BaseModel, Field


def article_id_for(text: str) -> str:
    """Identity is the cleaned text: the same article from two places is stored once."""
    normalized = " ".join(text.split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


class LoadedFields(Protocol):
    """What an article is made from: a loader's output (`ingest.models.LoadedDocument`)."""

    text: str
    title: str | None
    outlet: str | None
    published: str | None
    source: str
    url: str | None


class Sentence(BaseModel):
    start: int
    end: int
    text: str


class Passage(BaseModel):
    """A window of a few consecutive sentences: the unit that is embedded and retrieved."""

    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str


class Evidence(BaseModel):
    article_id: str
    start: int
    end: int


class Participant(BaseModel):
    name: str
    title: str | None = None
    country: str | None = None
    side: str | None = None  # the country or organisation the participant speaks for


class Topic(BaseModel):
    label: str
    evidence: Evidence


# What a statement does, strongest first: the order in which one sentence's verbs compete.
StatementKind = Literal[
    "urge", "call-on", "demand", "warn", "concern", "reject", "agree", "propose", "emphasize", "state"
]
STATEMENT_KINDS: tuple[StatementKind, ...] = get_args(StatementKind)


class Statement(BaseModel):
    actor: str
    side: str | None = None  # a country or organisation, or "both" for a joint statement
    kind: StatementKind
    target: str | None = None
    text: str  # the clause that carries the content
    evidence: Evidence


class Agreement(BaseModel):
    text: str
    evidence: Evidence


class Meeting(BaseModel):
    """One meeting an article reports, shaped after the PLOVER event model."""

    participants: list[Participant] = Field(default_factory=list)
    venue: str | None = None
    venue_evidence: Evidence | None = None
    date: str | None = None  # ISO date when resolved, else the article's words ("on Friday")
    date_evidence: Evidence | None = None
    mode: str | None = None  # visit, third-party, phone, multilateral
    topics: list[Topic] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    evidence: Evidence | None = None  # the sentence that reports the meeting itself


class Article(BaseModel):
    id: str
    title: str
    outlet: str | None = None
    published: str | None = None
    source: str
    url: str | None = None
    text: str
    ingested_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    meetings: list[Meeting] = Field(default_factory=list)
    passage_count: int = 0

    @classmethod
    def from_loaded(cls, doc: LoadedFields) -> Article:
        title = (doc.title or "").strip() or doc.text.strip().split("\n", 1)[0][:200]
        return cls(
            id=article_id_for(doc.text),
            title=title,
            outlet=doc.outlet,
            published=doc.published,
            source=doc.source,
            url=doc.url,
            text=doc.text,
        )

    def header(self) -> ArticleHeader:
        return ArticleHeader(
            self.id,
            self.title,
            self.outlet,
            self.published,
            self.source,
            self.url,
            self.ingested_at,
            self.passage_count,
        )

    def summary(self) -> dict:
        return self.header().summary()


@dataclass(frozen=True, slots=True)
class ArticleHeader:
    """An article without its text and facts: what listings show and what the store keeps in memory
    for every article. Texts and meetings are read on demand, so memory does not grow with them
    (at 10,000 articles, whole articles held in memory took 540 MB; their headers take a few)."""

    id: str
    title: str
    outlet: str | None
    published: str | None
    source: str
    url: str | None
    ingested_at: str
    passage_count: int

    def summary(self) -> dict:
        """The row `briefbot list` and the API show: everything but the text and the facts."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "passages": self.passage_count,
            "ingested_at": self.ingested_at,
        }
