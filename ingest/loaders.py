"""Turn a file into `LoadedDocument`s: cleaned text plus the metadata the page states.

One function per format; `load_path` picks by suffix. A loader raises `LoadError` with a one-line,
user-facing reason; the pipeline reports it and goes on with the other inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ingest.cleaning import clean_text
from ingest.models import LoadedDocument

MAX_FILE_BYTES = 20 * 1024 * 1024


class LoadError(Exception):
    """An input that cannot become an article; the message is shown to the user as is."""


def read_text_file(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoadError(f"file is {size // (1024 * 1024)} MB, over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise LoadError("binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError("text is neither UTF-8 nor Windows-1252")


def _require_text(text: str, source: str) -> str:
    if len(text.split()) < 5:
        raise LoadError("no article text found")
    return text


def load_plain(path: Path) -> Iterator[LoadedDocument]:
    """Plain text or Markdown: the first line is the headline."""
    raw = read_text_file(path)
    if path.suffix.lower() in (".md", ".markdown"):
        raw = _strip_markdown(raw)
    text = _require_text(clean_text(raw), str(path))
    title = text.split("\n", 1)[0].strip()
    yield LoadedDocument(text=text, title=title, source=path.name)


def _strip_markdown(raw: str) -> str:
    raw = re.sub(r"^\s{0,3}#{1,6}\s*", "", raw, flags=re.M)  # headings
    raw = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", raw)  # images
    raw = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", raw)  # links keep their words
    raw = re.sub(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1", r"\2", raw)  # emphasis
    raw = re.sub(r"^\s{0,3}>\s?", "", raw, flags=re.M)  # block quotes
    return raw


def load_html(path: Path) -> Iterator[LoadedDocument]:
    yield html_to_document(read_text_file(path), source=path.name)


def html_to_document(html: str, source: str, url: str | None = None) -> LoadedDocument:
    """Main text through trafilatura (no nav, sidebars, related links, cookie notices, footers)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_precision=True, include_comments=False, include_tables=False
    )
    if extracted is None or not (extracted.text or "").strip():
        raise LoadError("no article text found in the page")
    text = _require_text(clean_text(extracted.text), source)
    title, outlet = _split_site_suffix(extracted.title or "", extracted.sitename)
    return LoadedDocument(
        text=text,
        title=title or text.split("\n", 1)[0],
        outlet=outlet,
        published=extracted.date,
        source=source,
        url=url or extracted.url,
    )


def _split_site_suffix(title: str, sitename: str | None) -> tuple[str, str | None]:
    """'Headline | Outlet' -> ('Headline', 'Outlet') when the page names no site otherwise."""
    match = re.match(r"^(.*\S)\s+[|\u2013\u2014-]\s+([^|\u2013\u2014]{2,60})$", title)
    if match:
        return match.group(1), sitename or match.group(2).strip()
    return title, sitename


LOADERS: dict[str, Callable[[Path], Iterator[LoadedDocument]]] = {
    ".txt": load_plain,
    ".text": load_plain,
    ".md": load_plain,
    ".markdown": load_plain,
    ".html": load_html,
    ".htm": load_html,
}


def supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def load_path(path: Path) -> Iterator[LoadedDocument]:
    """The documents one file holds (a single article for most formats)."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(
            f"unsupported file type {path.suffix or '(none)'}; expected one of {', '.join(sorted(LOADERS))}"
        )
    try:
        yield from loader(path)
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
