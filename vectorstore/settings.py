"""The settings the index reads. `bot.settings.Settings` (one typed tree, read from BRIEFBOT_*
variables) provides them; the index names only what it reads, so it never imports the layers above."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class StoreSettings(Protocol):
    @property
    def store(self) -> Path:
        """The embedded Chroma store's folder."""

    @property
    def chroma_url(self) -> str | None:
        """A Chroma server (http://host:port); when set it replaces the embedded store."""

    @property
    def collection_prefix(self) -> str:
        """Names the store's collections, so several stores can share one Chroma server."""
