"""Plain text and Markdown files: the first line is the headline."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.loaders.base import decode_text, text_document
from ingest.models import LoadedDocument


def strip_markdown(raw: str) -> str:
    """Markdown syntax off, words kept: citations must quote what a reader sees, not the markup."""
    raw = re.sub(r"^\s{0,3}#{1,6}\s*", "", raw, flags=re.M)  # headings
    raw = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", raw)  # images
    raw = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", raw)  # links keep their words
    raw = re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", raw)  # emphasis
    raw = re.sub(r"^\s{0,3}>\s?", "", raw, flags=re.M)  # block quotes
    raw = re.sub(r"^\s{0,3}(?:[-*_]\s*){3,}$", "", raw, flags=re.M)  # rules
    return raw


def load_text(data: bytes, name: str, url: str | None = None) -> Iterator[LoadedDocument]:
    raw = decode_text(data)
    if name.lower().endswith((".md", ".markdown")):
        raw = strip_markdown(raw)
    yield text_document(raw, source=name, url=url)
