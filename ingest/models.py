"""What ingestion reads and reports: a loader's document, and the result of ingesting one input.
The records it makes and the store keeps (articles, passages, meetings) are in `vectorstore.models`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, field_validator


class LoadedDocument(BaseModel):
    """What a loader hands to the pipeline: cleaned text plus whatever metadata the source stated."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    source: str  # file name or URL the user gave
    url: str | None = None

    @field_validator("text", "title", "outlet", "published", "source", "url")
    @classmethod
    def _encodable(cls, value: str | None) -> str | None:
        """Input bytes decoded leniently can hold lone surrogates, which no store or hash accepts:
        replace them here, once, so one odd record can never break a whole ingest."""
        if value is None:
            return None
        return value.encode("utf-8", "replace").decode("utf-8")

    @field_validator("url")
    @classmethod
    def _parsable_url(cls, value: str | None) -> str | None:
        """A malformed URL (bad port, broken IPv6 literal) is dropped: the article still stands."""
        if value is None:
            return None
        try:
            parts = urlsplit(value.strip())
            _ = parts.port
        except ValueError:
            return None
        return value.strip() or None


Status = Literal["new", "updated", "duplicate", "failed"]
STATUSES: tuple[Status, ...] = ("new", "updated", "duplicate", "failed")


@dataclass
class IngestResult:
    source: str
    status: Status
    article_id: str | None = None
    title: str | None = None
    passages: int = 0
    reason: str | None = None

    def line(self) -> str:
        """The one line the CLI prints for this input."""
        if self.status == "failed":
            return f"failed     {self.source}: {self.reason}"
        return f"{self.status:<10} {self.article_id}  {self.title}  ({self.source})"
