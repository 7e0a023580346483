"""RSS and Atom feeds (feedparser): each entry becomes an article, from the feed's own full text
when it carries one, else from the page it links to.

An entry is identified by its id (guid), else its link, else its title; the store remembers the
entries it has ingested per feed, so a second run ingests only what is new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders.base import LoadError, check_size
from ingest.loaders.html import combine_outlets, html_to_document
from ingest.metadata import find_dateline, normalize_date
from ingest.models import LoadedDocument

FULL_TEXT_WORDS = 120  # feed content at least this long is taken as the article itself


class FeedError(LoadError):
    """A feed that cannot be read at all."""


@dataclass(frozen=True)
class FeedEntry:
    key: str
    title: str | None
    link: str | None
    published: str | None
    content_html: str | None
    feed_title: str | None

    @property
    def label(self) -> str:
        return self.link or self.title or self.key

    def fill_metadata(self, doc: LoadedDocument) -> LoadedDocument:
        """The feed's fields fill what the page itself did not state."""
        return doc.model_copy(
            update={
                "title": doc.title or self.title,
                "published": doc.published or self.published,
                "outlet": doc.outlet or self.feed_title,
            }
        )


@dataclass(frozen=True)
class Feed:
    key: str  # the feed's URL or file path: what its remembered entries hang off
    title: str | None
    entries: list[FeedEntry]


def read_feed(source: str, fetcher=None) -> Feed:
    """Parse a feed from a URL (through the guarded fetcher) or a local file."""
    import feedparser

    if fetcher is not None:
        body = fetcher.fetch(source).body
        key = source
    else:
        path = Path(source)
        if not path.is_file():
            raise FeedError("no such feed file")
        check_size(path.stat().st_size)
        body = path.read_bytes()
        key = str(path.resolve())
    try:
        parsed = feedparser.parse(body)
    except Exception as exc:  # feedparser is lenient, but hostile bytes must fail this feed only
        raise FeedError(f"not a readable feed ({type(exc).__name__})") from exc
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("version"):
            raise FeedError("not an RSS or Atom feed")
        raise FeedError("the feed has no entries")
    feed_title = _clean(parsed.feed.get("title"))
    entries = [_entry(e, feed_title) for e in parsed.entries]
    return Feed(key=key, title=feed_title, entries=[e for e in entries if e is not None])


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(re.sub(r"<[^>]+>", " ", value).split())
    return value or None


def _entry(entry, feed_title: str | None) -> FeedEntry | None:
    link = entry.get("link")
    link = link if isinstance(link, str) and link.startswith(("http://", "https://")) else None
    title = _clean(entry.get("title"))
    key = entry.get("id") or link or title
    if not key:
        return None
    content = None
    for item in entry.get("content") or []:
        if isinstance(item, dict) and item.get("value"):
            content = item["value"]
            break
    content = content or entry.get("summary")
    published = normalize_date(entry.get("published_parsed") or entry.get("updated_parsed")) or normalize_date(
        entry.get("published") or entry.get("updated")
    )
    return FeedEntry(
        key=str(key),
        title=title,
        link=link,
        published=published,
        content_html=content if isinstance(content, str) else None,
        feed_title=feed_title,
    )


def entry_document(entry: FeedEntry) -> LoadedDocument | None:
    """The article from the feed's own content, when the feed carries the full text; else None."""
    if not entry.content_html:
        return None
    plain = re.sub(r"<[^>]+>", " ", entry.content_html)
    if len(plain.split()) < FULL_TEXT_WORDS:
        return None
    html = entry.content_html
    if not re.search(r"<\s*(?:p|div|br)\b", html, re.I):  # plain text in the feed: keep its paragraphs
        paragraphs = [p for p in re.split(r"\n\s*\n", html) if p.strip()]
        html = "".join(f"<p>{_escape(p)}</p>" for p in paragraphs)
    title = entry.title or ""
    page = f"<html><head><title>{_escape(title)}</title></head><body><article><h1>{_escape(title)}</h1>{html}</article></body></html>"
    doc = html_to_document(page, source=entry.label, url=entry.link)
    dateline = find_dateline(doc.text)
    outlet = combine_outlets(dateline.outlet if dateline else None, entry.feed_title)
    return entry.fill_metadata(doc.model_copy(update={"title": entry.title or doc.title, "outlet": outlet}))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
