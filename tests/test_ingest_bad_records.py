"""Odd records fail (or are mended) alone: one never stops the others in the same input."""

from __future__ import annotations

import json

import pytest

from ingest.models import LoadedDocument

BODY = "Foreign ministers met in {city} on Monday and discussed trade and energy at length."


def test_a_lone_surrogate_in_a_jsonl_record_does_not_stop_the_batch(components):
    records = [{"title": f"Talks {i}", "text": BODY.format(city=f"City{i}")} for i in range(4)]
    lines = [json.dumps(r) for r in records]
    lines.insert(
        2, json.dumps({"title": "Odd", "text": BODY.format(city="Oslo") + " \\ud800"}).replace("\\\\ud800", "\\ud800")
    )
    results = list(components.ingest.ingest_bytes("\n".join(lines).encode("utf-8"), "batch.jsonl"))
    assert len(results) == 5
    assert [r.status for r in results] == ["new"] * 5
    assert len(components.store.list_articles()) == 5


@pytest.mark.parametrize("bad_url", ["http://[::1", "http://example.com:99999/x"])
def test_a_malformed_url_is_dropped_and_the_article_kept(components, bad_url):
    data = "\n".join(
        [
            json.dumps({"text": BODY.format(city="Vienna"), "url": "https://news.example.org/a"}),
            json.dumps({"text": BODY.format(city="Oslo"), "url": bad_url}),
        ]
    ).encode("utf-8")
    results = list(components.ingest.ingest_bytes(data, "x.jsonl"))
    assert [r.status for r in results] == ["new", "new"]
    oslo = next(a for a in components.store.list_articles() if "Oslo" in a.text)
    assert oslo.url is None


def test_loaded_documents_are_always_encodable():
    doc = LoadedDocument(text="abc \ud800 def", title="t\udfff", source="s")
    doc.text.encode("utf-8")
    doc.title.encode("utf-8")
