"""The settings ingestion reads. `bot.settings.Settings` provides them from BRIEFBOT_* variables;
`INGEST_DEFAULTS` stands in for an ingest pipeline built without settings (scripts, tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class IngestSettings(Protocol):
    @property
    def ingest_batch_size(self) -> int:
        """Articles embedded and written together in one commit."""

    @property
    def allow_private_urls(self) -> bool:
        """Whether a URL may point at a private or loopback address (never, unless set)."""

    @property
    def max_fetch_bytes(self) -> int:
        """The largest page a fetch reads."""

    @property
    def fetch_timeout(self) -> float:
        """Seconds a fetch may take."""


@dataclass(frozen=True)
class IngestDefaults:
    ingest_batch_size: int = 64
    allow_private_urls: bool = False
    max_fetch_bytes: int = 10 * 1024 * 1024
    fetch_timeout: float = 15.0


INGEST_DEFAULTS = IngestDefaults()
