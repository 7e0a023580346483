"""RSS and Atom: entries, their ids, full text carried by the feed, and feeds fetched over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.feeds import FeedError, entry_document, read_feed
from ingest.fetch import Fetcher, FetchError
from ingest.loaders import LoadError
from tests.fixtures.ingest.pageserver import PageServer

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Baltic Desk</title>
  <entry>
    <title>Ministers meet in Riga</title>
    <id>tag:baltic.example,2025:riga</id>
    <link href="https://baltic.example/riga"/>
    <updated>2025-05-06T10:00:00Z</updated>
    <summary>A short teaser only.</summary>
  </entry>
  <entry>
    <title>No link, no id, no body</title>
  </entry>
</feed>"""


def test_rss_entries_with_and_without_full_text(tmp_path):
    feed_file = tmp_path / "feed.xml"
    feed_file.write_text(
        (FIXTURES / "feed.xml").read_text(encoding="utf-8").replace("{PAGE_URL}", "https://meridian.example/h"),
        encoding="utf-8",
    )
    feed = read_feed(str(feed_file))
    assert feed.title == "Meridian World Desk"
    first, second = feed.entries
    assert (first.key, first.published) == ("meridian-fisheries-reykjavik", "2025-02-10")
    doc = entry_document(first)
    assert doc is not None and doc.title == "Ministers open fisheries talks in Reykjavik"
    assert doc.text.startswith("Ministers open fisheries talks in Reykjavik\n\nREYKJAVIK, Feb 9 (Meridian) - ")
    assert doc.url == "https://meridian.example/world/fisheries-reykjavik"
    assert entry_document(second) is None  # a one-line description: the linked page is the article
    assert second.link == "https://meridian.example/h"


def test_atom_entries_take_their_ids_and_dates(tmp_path):
    path = tmp_path / "atom.xml"
    path.write_text(ATOM, encoding="utf-8")
    feed = read_feed(str(path))
    assert [e.key for e in feed.entries] == ["tag:baltic.example,2025:riga", "No link, no id, no body"]
    assert feed.entries[0].published == "2025-05-06" and feed.entries[0].link == "https://baltic.example/riga"


@pytest.mark.parametrize(
    ("content", "reason"),
    [("not a feed at all", "not an RSS or Atom feed|no entries"), ("<rss><channel></channel></rss>", "no entries")],
)
def test_unusable_feeds(tmp_path, content, reason):
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FeedError, match=reason):
        read_feed(str(path))
    with pytest.raises(FeedError, match="no such feed file"):
        read_feed(str(tmp_path / "missing.xml"))


def test_feed_fetched_over_http_and_refused_on_loopback_by_default():
    with PageServer() as server:
        url = server.page("/rss", ATOM.encode(), content_type="application/atom+xml")
        feed = read_feed(url, Fetcher(allow_private=True))
        assert feed.key == url and feed.entries[0].title == "Ministers meet in Riga"
        with pytest.raises(FetchError, match="refused"):
            read_feed(url, Fetcher())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    head=st.sampled_from(["", "<rss><channel><item><title>", '<feed xmlns="http://www.w3.org/2005/Atom"><entry>']),
    body=st.text(max_size=1500),
)
def test_arbitrary_feed_text_only_fails_that_feed(tmp_path, head, body):
    path = tmp_path / "feed.xml"
    path.write_text(head + body, encoding="utf-8", errors="surrogatepass")
    try:
        feed = read_feed(str(path))
    except LoadError as exc:
        assert str(exc) and "\n" not in str(exc)  # noqa: PT017 - any input may fail, but with one line
        return
    for entry in feed.entries:
        try:
            doc = entry_document(entry)
        except LoadError:
            continue
        assert doc is None or len(doc.text.split()) >= 5
