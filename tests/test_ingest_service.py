"""The ingest pipeline end to end on a temp store (hash embedder): sources, identity, updates, feeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.components import Components
from ingest.service import IngestService
from tests.fixtures.ingest.builders import make_zip
from tests.fixtures.ingest.pageserver import PageServer

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PAGE = (FIXTURES / "harbour_talks.html").read_bytes()

STORY = (
    "Ministers meet in Oslo on ferry links\n\n"
    "Norwegian Foreign Minister Espen Eide met Danish Foreign Minister Lars Lokke Rasmussen in Oslo on Friday.\n\n"
    "Eide urged Denmark to restore the night ferry. Rasmussen said Denmark would study the costs.\n"
)


def service_for(components: Components, allow_private: bool = True) -> IngestService:
    settings = components.settings.model_copy(update={"allow_private_urls": allow_private})
    return IngestService(
        components.store,
        components.lexical,
        components.embeddings,
        lock_path=settings.store / ".write.lock",
        settings=settings,
    )


@pytest.fixture
def server():
    with PageServer() as running:
        yield running


def whole(components: Components) -> None:
    """Every committed article has all its passages, and every passage belongs to one."""
    store = components.store
    articles = {a.id: a for a in store.list_articles()}
    counts = store.stored_passage_counts()
    assert set(counts) == set(articles)
    for article_id, article in articles.items():
        assert counts[article_id] == article.passage_count


def test_pasted_text_is_stored_once(components):
    ingest = service_for(components)
    first = ingest.ingest_text(STORY, title="Oslo ferry talks")
    assert (first.status, first.title, first.source) == ("new", "Oslo ferry talks", "pasted text")
    again = ingest.ingest_text("  " + STORY.replace("\n\n", "\n\n\n") + "  ", source="clipboard")
    assert (again.status, again.article_id) == ("duplicate", first.article_id)
    assert ingest.ingest_text("too short").status == "failed"
    pasted_page = ingest.ingest_text(PAGE.decode("utf-8"))
    assert (pasted_page.status, pasted_page.title) == ("new", "Envoys agree on harbour safety talks in Valletta")
    assert "cookies" not in components.store.get_article(pasted_page.article_id).text
    article = components.store.get_article(first.article_id)
    assert "Eide urged Denmark to restore the night ferry." in article.text
    hits = components.retriever.search("night ferry Denmark Rasmussen", k=3)
    assert hits and hits[0].article_id == first.article_id
    whole(components)


def test_folder_zip_and_bad_files_each_report(components, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "oslo.txt").write_text(STORY, encoding="utf-8")
    (folder / "harbour.html").write_bytes(PAGE)
    (folder / "exports.jsonl").write_bytes((FIXTURES / "exports.jsonl").read_bytes())
    (folder / "bundle.zip").write_bytes(make_zip({"copy/oslo.txt": STORY.encode(), "bad.json": b"{"}))
    (folder / "empty.md").write_text("", encoding="utf-8")
    (folder / ".hidden.txt").write_text(STORY, encoding="utf-8")
    progress: list[tuple[int, int]] = []
    results = list(
        service_for(components).ingest_sources([str(folder)], progress=lambda d, t, r: progress.append((d, t)))
    )
    by_status: dict[str, list[str]] = {}
    for r in results:
        by_status.setdefault(r.status, []).append(r.source)
    # Files go in name order: the zip's copy of the Oslo story comes first, the loose file repeats it.
    assert len(by_status["new"]) == 4 and "bundle.zip/copy/oslo.txt" in by_status["new"]
    assert [Path(s).name for s in by_status["duplicate"]] == ["oslo.txt"]
    assert sorted(Path(s).name for s in by_status["failed"]) == sorted(
        ["bad.json", "empty.md", "exports.jsonl:2", "exports.jsonl:3"]
    )
    assert progress[-1] == (5, 5) and [d for d, _ in progress] == [1, 2, 3, 4, 5]
    assert len(components.store.list_articles()) == 4
    whole(components)


def test_url_ingest_update_and_delete(components, server):
    ingest = service_for(components)
    url = server.page("/world/harbour", PAGE)
    (first,) = ingest.ingest_sources([url])
    assert first.status == "new" and first.title == "Envoys agree on harbour safety talks in Valletta"
    stored = components.store.get_article(first.article_id)
    assert stored.url == url  # the address it was fetched from identifies its later versions
    (same,) = ingest.ingest_sources([url])
    assert (same.status, same.article_id) == ("duplicate", first.article_id)
    # The same address with tracking parameters names the same article: a new text there updates it.
    edited = ingest.ingest_text(STORY, url=url + "?utm_source=rss#comments")
    assert edited.status == "updated" and components.store.get_article(first.article_id) is None
    (first,) = ingest.ingest_sources([url])
    assert first.status == "updated"

    server.page("/world/harbour", PAGE.replace(b"tested within a month", b"tested within a fortnight"))
    (changed,) = ingest.ingest_sources([url])
    assert changed.status == "updated" and changed.article_id != first.article_id
    assert components.store.get_article(first.article_id) is None
    assert [a.id for a in components.store.list_articles()] == [changed.article_id]
    hits = components.retriever.search("hotline tested within a fortnight", k=5)
    assert hits and {h.article_id for h in hits} == {changed.article_id}
    whole(components)

    assert ingest.delete(changed.article_id)
    assert components.store.list_articles() == []
    assert components.retriever.search("hotline fortnight", k=5) == []
    assert components.store.count_passages() == 0


def test_urls_fail_alone_and_private_ones_are_refused_by_default(components, server, tmp_path):
    good = tmp_path / "oslo.txt"
    good.write_text(STORY, encoding="utf-8")
    page = server.page("/world/harbour", PAGE)
    results = list(
        service_for(components, allow_private=False).ingest_sources([page, server.base + "/nothing", str(good)])
    )
    assert [r.status for r in results] == ["failed", "failed", "new"]
    assert "refused" in results[0].reason and "BRIEFBOT_ALLOW_PRIVATE_URLS" in results[0].reason
    allowed = list(service_for(components).ingest_sources([server.base + "/nothing", page]))
    assert [r.status for r in allowed] == ["failed", "new"]
    assert allowed[0].reason == "HTTP 404 Not Found"


def test_feed_ingests_entries_once_and_then_only_new_ones(components, server, tmp_path):
    page_url = server.page("/world/harbour", PAGE)
    feed_text = (FIXTURES / "feed.xml").read_text(encoding="utf-8").replace("{PAGE_URL}", page_url)
    feed = tmp_path / "feed.xml"
    feed.write_text(feed_text, encoding="utf-8")
    ingest = service_for(components)
    first = list(ingest.ingest_sources([str(feed)], feed=True))
    assert [r.status for r in first] == ["new", "new"]
    titles = {a.title: a for a in components.store.list_articles()}
    fisheries = titles["Ministers open fisheries talks in Reykjavik"]  # from the feed's own full text
    assert "Gunnarsdottir urged Norway to accept a shared scientific assessment" in fisheries.text
    assert fisheries.published == "2025-02-10" and fisheries.outlet == "Meridian World Desk"
    assert "Borg urged Tunisia" in titles["Envoys agree on harbour safety talks in Valletta"].text  # fetched page

    assert list(ingest.ingest_sources([str(feed)], feed=True)) == []
    newer = feed_text.replace(
        "<item>",
        "<item><title>Envoys meet in Oslo</title><guid>oslo-1</guid>"
        "<content:encoded><![CDATA[" + "<p>" + STORY.replace("\n\n", "</p><p>") * 8 + "</p>]]></content:encoded>"
        "</item><item>",
        1,
    )
    feed.write_text(newer, encoding="utf-8")
    third = list(ingest.ingest_sources([str(feed)], feed=True))
    assert [(r.status, r.source) for r in third] == [("new", "Envoys meet in Oslo")]


def test_unreadable_feed_fails_with_a_reason(components, tmp_path):
    bad = tmp_path / "feed.xml"
    bad.write_text("this is not a feed", encoding="utf-8")
    (result,) = service_for(components).ingest_sources([str(bad), str(tmp_path / "missing.xml")][:1], feed=True)
    assert result.status == "failed" and "feed" in result.reason


def test_cli_ingests_urls_and_feeds_with_a_summary(tmp_path, server):
    url = server.page("/world/harbour", PAGE)
    env = {
        **os.environ,
        "BRIEFBOT_EMBEDDER": "hash",
        "BRIEFBOT_STORE": str(tmp_path / "store"),
        "BRIEFBOT_ALLOW_PRIVATE_URLS": "1",
    }
    env.pop("BRIEFBOT_CHROMA_URL", None)
    feed = tmp_path / "feed.xml"
    feed.write_text((FIXTURES / "feed.xml").read_text(encoding="utf-8").replace("{PAGE_URL}", url), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bot.surfaces.cli", "ingest", url, server.base + "/missing", "--feed", str(feed)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 1
    assert lines[0].startswith("new") and "Envoys agree on harbour safety talks" in lines[0]
    assert lines[1].startswith("failed") and "HTTP 404" in lines[1]
    assert lines[2].startswith("new") and "fisheries" in lines[2]
    assert lines[3].startswith("duplicate")
    assert lines[4].startswith("2 new, 0 updated, 1 duplicate, 1 failed in ")
    assert "failed" in lines[5] and "/missing: HTTP 404" in lines[5]
    no_private = subprocess.run(
        [sys.executable, "-m", "bot.surfaces.cli", "ingest", "--no-progress", url],
        capture_output=True,
        text=True,
        env={**env, "BRIEFBOT_ALLOW_PRIVATE_URLS": "0"},
        timeout=300,
    )
    assert no_private.returncode == 1 and "refused" in no_private.stdout
