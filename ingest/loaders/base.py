"""What every loader shares: the error type, failure records, size caps and text decoding.

A loader never lets an exception other than `LoadError` escape for bad input, so one broken file,
page or archive member fails alone with a one-line reason and every other input still goes in.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ingest.cleaning import clean_text
from ingest.metadata import find_dateline, normalize_date
from ingest.models import LoadedDocument

MAX_FILE_BYTES = 25 * 1024 * 1024
MIN_WORDS = 5


class LoadError(Exception):
    """An input that cannot become an article; the message is shown to the user as is."""


@dataclass(frozen=True)
class LoadFailure:
    """One input (a file, an archive member, a feed entry, a JSON record) that failed, and why."""

    source: str
    reason: str


def check_size(size: int, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise LoadError(f"{_mb(size)} is over the {_mb(limit)} limit")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size < 10 * 1024 * 1024 else f"{size // (1024 * 1024)} MB"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def decode_text(raw: bytes, declared: str | None = None) -> str:
    """Bytes to text: a BOM, then the declared charset, then UTF-8, then Windows-1252.

    Text that decodes but is mostly control characters is binary in disguise: rejected.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in raw[:8192]:
            raise LoadError("binary data, not text (or UTF-16 without a byte-order mark)")
        candidates = ["utf-8-sig"]
        if declared:
            candidates.insert(0, declared)
        candidates.append("cp1252")
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text or len(_CONTROL.findall(text[:20000])) > max(8, len(text[:20000]) // 50):
            raise LoadError("binary data, not text (or an unknown encoding)")
        return text
    raise LoadError("text is in an unknown encoding (not UTF-8, UTF-16 or Windows-1252)")


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes."""
    match = _CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def require_text(text: str) -> str:
    if len(text.split()) < MIN_WORDS:
        raise LoadError("no article text found (empty or too short)")
    return text


def text_document(
    raw: str,
    source: str,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: object = None,
) -> LoadedDocument:
    """Plain text (a file, a pasted article, a JSON record) to a document.

    The first line is the headline unless a title is given; a wire dateline names the outlet and,
    when it carries a year, the date.
    """
    text = require_text(clean_text(raw))
    dateline = find_dateline(text)
    published_iso = normalize_date(published)
    if dateline:
        outlet = outlet or dateline.outlet
        published_iso = published_iso or normalize_date(dateline.date_text)
    headline = " ".join((title or "").split()) or text.split("\n", 1)[0].strip()
    return LoadedDocument(
        text=text,
        title=headline[:300],
        outlet=" ".join(outlet.split()) if outlet else None,
        published=published_iso,
        source=source,
        url=url,
    )
