"""Metadata the page states: datelines, JSON-LD, meta tags, dates in the forms pages and feeds use."""

from __future__ import annotations

import pytest

from ingest.loaders.base import text_document
from ingest.loaders.html import page_metadata
from ingest.metadata import canonical_url, find_dateline, from_json_ld, normalize_date, split_site_suffix


@pytest.mark.parametrize(
    ("text", "place", "outlet", "date_text"),
    [
        ("BEIJING, Oct 26 (Reuters) - Chinese Foreign Minister Wang Yi said", "BEIJING", "Reuters", "Oct 26"),
        ("Seoul, May 26 (Jiji Press)--South Korean President Yoon", "Seoul", "Jiji Press", "May 26"),
        ("WASHINGTON (AP) \u2014 U.S. Commerce Secretary Gina Raimondo", "WASHINGTON", "AP", None),
        ("MOSCOW, July 9 (Reuters) \u2013 A day after", "MOSCOW", "Reuters", "July 9"),
        ("UNITED NATIONS, Nov. 3, 2024 (AFP) - The council", "UNITED NATIONS", "AFP", "Nov. 3, 2024"),
        ("Kyiv \u2022 UNN\n\nSpeeding up the aid package", "Kyiv", "UNN", None),
        # a region or country after the city
        ("ODESA, Ukraine, Aug. 12, 2024 (Harbour Wire) \u2013 The ministers", "ODESA", "Harbour Wire", "Aug. 12, 2024"),
        ("PORTLAND, Maine, March 3 (Coastline News) - The envoys", "PORTLAND", "Coastline News", "March 3"),
        ("WASHINGTON, D.C., 3 March 2025 (Capitol Wire) -- Officials", "WASHINGTON", "Capitol Wire", "3 March 2025"),
        # a dateline on a line of its own, no dash
        ("HANOI, June 20, 2024 (Mekong Times)\n\nThe leaders", "HANOI", "Mekong Times", "June 20, 2024"),
        (
            "NAIROBI, Kenya, Monday, June 2, 2025 (Savanna Post)\n\nThe",
            "NAIROBI",
            "Savanna Post",
            "Monday, June 2, 2025",
        ),
        ("OSLO (Nordic Desk)\n\nThe talks", "OSLO", "Nordic Desk", None),
    ],
)
def test_datelines(text, place, outlet, date_text):
    found = find_dateline("Headline of the story\n\n" + text + " more words here.")
    assert found is not None
    assert (found.place, found.outlet, found.date_text) == (place, outlet, date_text)
    whole = "Headline of the story\n\n" + text
    assert whole[found.start : found.end].startswith(place)


@pytest.mark.parametrize(
    "text",
    [
        "Chinese Foreign Minister Wang Yi (left) met his counterpart - a rare meeting.",
        "The talks (which lasted hours) ended.",
        "Blinken, Wang (Xinhua) said nothing.",
        "Kyiv \u2022 Zelensky met Blinken and asked for more air defence.",
        "Blinken, Wang (Xinhua)\n\nThe two met in Munich.",
        "Wang Yi, Blinken (left)",
    ],
)
def test_sentences_that_are_not_datelines(text):
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-02-16T09:30:00+01:00", "2024-02-16"),
        ("Fri, 14 Mar 2025 09:30:00 GMT", "2025-03-14"),
        ("May 26, 2024", "2024-05-26"),
        ("26 May 2024", "2024-05-26"),
        ("Nov. 3, 2024", "2024-11-03"),
        ((2025, 2, 10, 8, 0, 0, 0, 41, 0), "2025-02-10"),
        ("Oct 26", None),  # no year: never guessed
        ("yesterday", None),
        ("", None),
        (None, None),
        ("2024-13-45", None),
    ],
)
def test_dates(value, iso):
    assert normalize_date(value) == iso


def test_json_ld_graph_and_publisher():
    block = """{"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Not the article"},
        {"@type": ["NewsArticle"], "headline": "Leaders meet in Hanoi", "datePublished": "2024-06-20T01:00:00Z",
         "publisher": {"@type": "Organization", "name": "Mekong Times"},
         "mainEntityOfPage": {"@id": "https://mekong.example/leaders-hanoi"}}]}"""
    meta = from_json_ld(["not json", block])
    assert (meta.title, meta.outlet, meta.published, meta.url) == (
        "Leaders meet in Hanoi",
        "Mekong Times",
        "2024-06-20",
        "https://mekong.example/leaders-hanoi",
    )


def test_meta_tags_and_title_suffix():
    html = """<html><head><title>Leaders meet in Hanoi - Mekong Times</title>
    <meta property="article:published_time" content="2024-06-20T08:00:00+07:00">
    <meta name="twitter:site" content="@mekong">
    <meta property="og:url" content="https://mekong.example/">
    </head><body><p>x</p></body></html>"""
    meta = page_metadata(html)
    assert meta.published == "2024-06-20"
    assert meta.url is None  # a home-page canonical is not the article's address
    assert split_site_suffix("Leaders meet in Hanoi - Mekong Times", "Mekong Times") == (
        "Leaders meet in Hanoi",
        "Mekong Times",
    )
    assert split_site_suffix("Kishida, Yoon agree | Asia Pacific Wire", None) == (
        "Kishida, Yoon agree",
        "Asia Pacific Wire",
    )
    assert split_site_suffix("Putin-Kim summit: a new pact", None) == ("Putin-Kim summit: a new pact", None)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://News.Example/world/talks?utm_source=rss&utm_medium=feed#top", "https://news.example/world/talks"),
        ("https://news.example/story?id=42&fbclid=abc", "https://news.example/story?id=42"),
        ("http://news.example:8080", "http://news.example:8080/"),
        (None, None),
    ],
)
def test_canonical_urls(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("raw", "outlet", "published"),
    [
        (
            "Ministers agree on ferry links\n\nBERGEN, Norway, Sept. 4, 2023 (Fjord Dispatch) \u2013 "
            "Norwegian Foreign Minister Espen Barth Eide met his Danish counterpart on Monday.",
            "Fjord Dispatch",
            "2023-09-04",
        ),
        (
            "Ministers agree on ferry links\n\nBERGEN, April 6, 2023 (Fjord Dispatch)\n\n"
            "Norwegian Foreign Minister Espen Barth Eide met his Danish counterpart on Thursday.",
            "Fjord Dispatch",
            "2023-04-06",
        ),
    ],
)
def test_a_text_article_takes_outlet_and_date_from_its_dateline(raw, outlet, published):
    doc = text_document(raw, source="ferry.txt")
    assert (doc.outlet, doc.published) == (outlet, published)
    assert doc.title == "Ministers agree on ferry links"
