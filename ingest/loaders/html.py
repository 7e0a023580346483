"""Web pages: the article's main text through trafilatura, metadata from JSON-LD and meta tags.

trafilatura drops navigation, sidebars, related links, cookie notices and footers; what page noise
survives inside the article body (captions, credits, "Read more") is removed by `clean_text`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urlparse

from ingest.cleaning import clean_text
from ingest.loaders.base import LoadError, declared_charset, decode_text, require_text
from ingest.metadata import (
    PageMetadata,
    find_dateline,
    from_json_ld,
    from_meta_tags,
    normalize_date,
    split_site_suffix,
)
from ingest.models import LoadedDocument

log = logging.getLogger(__name__)


def load_html(data: bytes, name: str, url: str | None = None, charset: str | None = None) -> Iterator[LoadedDocument]:
    html = decode_text(data, charset or declared_charset(data))
    yield html_to_document(html, source=name, url=url)


def page_metadata(html: str) -> PageMetadata:
    """JSON-LD first (it is written for machines), then meta tags, each field separately."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return PageMetadata()
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().casefold()
        if key and key not in meta and node.get("content"):
            meta[key] = node.get("content")
    blocks = [s.text_content() for s in tree.xpath('//script[@type="application/ld+json"]')]
    ld, tags = from_json_ld(blocks), from_meta_tags(meta)
    time_nodes = tree.xpath("//article//time[@datetime]|//time[@pubdate]")
    time_date = normalize_date(time_nodes[0].get("datetime")) if time_nodes else None
    html_title = " ".join((tree.findtext(".//title") or "").split())
    _, suffix_outlet = split_site_suffix(html_title, None) if html_title else ("", None)
    url = ld.url or tags.url
    if url and len(urlparse(url).path.strip("/")) == 0:
        url = None  # a site-wide canonical (the home page) is not this article's address
    return PageMetadata(
        title=ld.title or tags.title or (html_title or None),
        outlet=ld.outlet or tags.outlet or suffix_outlet,
        published=ld.published or tags.published or time_date,
        url=url,
    )


def combine_outlets(agency: str | None, site: str | None) -> str | None:
    """The agency a dateline names reported the story; the site that carries it is kept as 'via'."""
    if agency and site:
        return site if agency.casefold() in site.casefold() else f"{agency} (via {site})"
    return agency or site


def html_to_document(html: str, source: str, url: str | None = None) -> LoadedDocument:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura on hostile markup: that page fails, nothing else
        log.info("extraction failed for %s: %s", source, exc)
        raise LoadError("the page could not be parsed as HTML") from exc
    body = (getattr(extracted, "text", None) or "").strip() if extracted is not None else ""
    if not body or extracted is None or isinstance(extracted, dict):
        raise LoadError("no article text found in the page")
    stated = page_metadata(html)
    raw_title = stated.title or extracted.title or ""
    title, site = split_site_suffix(raw_title, stated.outlet or extracted.sitename)
    if extracted.title and len(extracted.title) < len(title) and title.startswith(extracted.title):
        title = extracted.title
    text = require_text(clean_text(body))
    # The headline is text too: keep it as the first paragraph, as in a saved .txt article.
    if title and not text.casefold().startswith(title.casefold()[:60]):
        text = f"{title}\n\n{text}"
    dateline = find_dateline(text)
    outlet = combine_outlets(dateline.outlet if dateline else None, site)
    published = stated.published or normalize_date(extracted.date)
    if not published and dateline:
        published = normalize_date(dateline.date_text)
    return LoadedDocument(
        text=text,
        title=(title or text.split("\n", 1)[0])[:300],
        outlet=outlet,
        published=published,
        source=source,
        url=url or stated.url,
    )
