"""A process reading the embedded store finds what another process ingested into it: its vector
index is brought up to date (a fresh client swapped in) before its next dense search, and its
article cache reads just the new records."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

from tests.conftest import ROOT
from tests.test_faults import write_articles
from vectorstore.store import ArticleStore

INGEST = """
import sys
from pathlib import Path
from bot.components import Components
from bot.settings import Settings
components = Components(Settings(store=Path(sys.argv[1]), embedder="hash"))
print(sorted({r.status for r in components.ingest.ingest_paths(sorted(Path(sys.argv[2]).glob("*.txt")))}))
"""


def test_a_reader_finds_what_another_process_ingested(components, settings, tmp_path):
    paths = write_articles(tmp_path / "first", 8)
    assert {r.status for r in components.ingest.ingest_paths(paths[:2])} == {"new"}
    store = components.store
    assert len(store.list_articles()) == 2
    client_before = store.client

    later = tmp_path / "later"
    later.mkdir()
    for path in paths[2:]:
        (later / path.name).write_text(path.read_text("utf-8"), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", INGEST, str(settings.store), str(later)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "new" in done.stdout

    time.sleep(0.3)  # past the generation's time to live
    articles = {a.id: a for a in store.list_articles()}
    assert len(articles) == 8
    wanted = next(a for a in articles.values() if "Number6" in a.text)
    vector = components.embeddings.embed_query(wanted.text.split("\n\n")[1])
    found = {pid.split(":")[0] for pid, _ in store.dense_neighbours(vector, 40)}
    assert wanted.id in found, "the other process's passages are in this process's dense search"
    assert store.client is not client_before  # a fresh client was swapped in
    hits = components.retriever.search("Number6 tariff steel", k=5)
    assert hits and hits[0].article_id == wanted.id


def test_own_writes_reach_the_caches_without_listing_the_store(components, settings, tmp_path, monkeypatch):
    """After this process adds or deletes an article, its header list and lexical index take just
    that change: listing every article again cost about a second per write at 100,000 articles."""
    import vectorstore.lexical
    import vectorstore.store

    paths = write_articles(tmp_path / "articles", 4)
    assert {r.status for r in components.ingest.ingest_paths(paths[:3])} == {"new"}
    store = components.store
    assert len(store.headers()) == 3

    listings: list[str] = []
    paged = vectorstore.store._paged
    monkeypatch.setattr(vectorstore.store, "_paged", lambda *a, **k: listings.append("store") or paged(*a, **k))
    compare = vectorstore.lexical.LexicalIndex._apply_difference
    monkeypatch.setattr(
        vectorstore.lexical.LexicalIndex,
        "_apply_difference",
        lambda self, db: listings.append("lexical") or compare(self, db),
    )

    lexical = components.retriever.lexical
    (added,) = components.ingest.ingest_paths(paths[3:])
    assert added.status == "new"
    assert added.article_id in {h.id for h in store.headers()}
    hits = lexical.search("Number3 tariff steel", 3)
    assert hits and hits[0].article_id == added.article_id
    assert components.ingest.delete(added.article_id)
    assert added.article_id not in {h.id for h in store.headers()}
    assert all(h.article_id != added.article_id for h in lexical.search("Number3 tariff steel", 10))
    assert listings == []
    monkeypatch.undo()
    with sqlite3.connect(lexical.path) as db:
        indexed = {row[0] for row in db.execute("SELECT DISTINCT article_id FROM rows")}
    assert indexed == ArticleStore.open(settings).article_ids()  # what a fresh listing of the store says
