"""The store's whole-article protocol, crash by crash: a write that dies at any step leaves only
invisible leftovers, and the next writer's recovery finishes or undoes it."""

from __future__ import annotations

import shutil
import time

import pytest

from bot.components import Components
from ingest.segment import make_passages, split_sentences
from vectorstore.models import Article
from vectorstore.store import GENERATION_TTL, ArticleStore, NewArticle

TEXT = (
    "Ministers meet in Oslo on ferry links\n\n"
    "Norwegian Foreign Minister Espen Eide met Danish Foreign Minister Lars Lokke Rasmussen in Oslo on Friday. "
    "Eide urged Denmark to restore the night ferry. Rasmussen said Denmark would study the costs. "
    "The two agreed to meet again in Copenhagen in June."
)


def new_article(components: Components, text: str = TEXT, url: str | None = None) -> NewArticle:
    from ingest.models import LoadedDocument

    article = Article.from_loaded(LoadedDocument(text=text, source="oslo.txt", url=url))
    passages = make_passages(article.id, article.text, split_sentences(article.text))
    vectors = components.embeddings.embed_documents([p.text for p in passages])
    return NewArticle(article, passages, vectors)


class Crash(Exception):
    pass


def crash_on(monkeypatch, collection, method: str) -> None:
    def fail(*args, **kwargs):
        raise Crash(method)

    monkeypatch.setattr(collection, method, fail)


@pytest.mark.parametrize(("collection", "method"), [("passages", "upsert"), ("articles", "upsert"), ("meta", "delete")])
def test_a_write_that_dies_at_any_step_is_whole_or_invisible(components, monkeypatch, collection, method):
    store = components.store
    item = new_article(components)
    with monkeypatch.context() as patch:
        crash_on(patch, getattr(store, collection), method)
        with pytest.raises(Crash):
            store.add_articles([item])
    committed = store.article_ids()
    if committed:  # died after the commit mark: the article is there, whole
        assert committed == {item.article.id}
        assert store.stored_passage_counts()[item.article.id] == len(item.passages)
    else:  # died before it: nothing of it is visible
        assert [ids for ids, _, _ in store.iter_passages()] in ([], [[]])
        assert store.dense_search(item.vectors[0], 5) == []
    store.recover()
    assert set(store.stored_passage_counts()) == store.article_ids()
    assert store.meta.get(where={"kind": "pending"}, include=[])["ids"] == []


def test_replacement_interrupted_after_commit_is_finished_by_recovery(components, monkeypatch):
    store = components.store
    old = new_article(components, url="https://news.example/oslo")
    store.add_articles([old])
    changed = new_article(components, TEXT.replace("June", "July"), url="https://news.example/oslo")
    replacing = NewArticle(changed.article, changed.passages, changed.vectors, replaces=[old.article.id])
    with monkeypatch.context() as patch:
        crash_on(patch, store, "_remove")
        with pytest.raises(Crash):
            store.add_articles([replacing])
    assert store.recover() == [old.article.id]
    assert store.article_ids() == {changed.article.id}
    assert set(store.stored_passage_counts()) == {changed.article.id}


def test_delete_removes_every_trace(components):
    store = components.store
    item = new_article(components)
    store.add_articles([item])
    generation = store.generation()
    assert store.delete_article(item.article.id)
    assert store.generation() != generation
    assert store.article_ids() == set() and store.count_passages() == 0
    assert not store.delete_article(item.article.id)


def test_feed_memory_is_per_feed(components):
    store = components.store
    store.mark_feed_seen("https://a.example/rss", ["one", "two"])
    store.mark_feed_seen("https://b.example/rss", ["three"])
    assert store.feed_seen("https://a.example/rss") == {"one", "two"}
    assert store.feed_seen("https://b.example/rss") == {"three"}
    assert store.feed_seen("https://c.example/rss") == set()


def test_recovery_without_the_write_lock_leaves_young_markers_alone(components, monkeypatch):
    """On a shared Chroma server another writer may be mid-write: only stale markers are recovered."""
    store = components.store
    item = new_article(components)
    with monkeypatch.context() as patch:
        crash_on(patch, store.articles, "upsert")
        with pytest.raises(Crash):
            store.add_articles([item])
    assert store.recover(older_than=900) == []
    assert store.stored_passage_counts() == {item.article.id: len(item.passages)}  # still invisible
    assert store.article_ids() == set()
    assert store.recover() == [item.article.id]
    assert store.stored_passage_counts() == {}


def test_the_store_tells_the_changes_of_its_own_writes(components, settings):
    """What a cache of the store (the lexical index) applies instead of comparing every article."""
    store = components.store
    start = store.generation()
    first = new_article(components)
    second = new_article(components, TEXT.replace("Oslo", "Bergen"))
    store.add_articles([first])
    after_first = store.generation()
    store.add_articles([second])
    assert store.delete_article(first.article.id)
    now = store.generation()
    assert store.changes_between(start, now) == ({second.article.id}, {first.article.id})
    assert store.changes_between(after_first, now) == ({second.article.id}, {first.article.id})
    assert store.changes_between(now, now) == (set(), set())
    assert store.changes_between("a generation this process never saw", now) is None

    other = ArticleStore.open(settings)  # another writer: this process cannot tell what it changed
    other.add_articles([new_article(components, TEXT.replace("Oslo", "Tromso"))])
    later = other.generation()
    assert store.changes_between(now, later) is None
    assert other.changes_between(now, later) is not None
    time.sleep(GENERATION_TTL)  # this process sees the other's token before its next write
    store.add_articles([new_article(components, TEXT.replace("Oslo", "Narvik"))])
    assert store.changes_between(now, store.generation()) is None, "the other process's write lies between"
    assert store.changes_between(later, store.generation()) is not None


@pytest.mark.parametrize("then", ["ingest", "write"])
def test_a_write_that_fails_after_its_commit_still_reaches_search(components, settings, tmp_path, monkeypatch, then):
    """The article record is written, then the write fails before the generation moves: the next
    ingest (which recovers first) or the next write (which records an unknown change) brings every
    cache up to date with the store, so the article is listed and found by words."""
    from tests.test_faults import write_articles

    service, store = components.ingest, components.store
    paths = write_articles(tmp_path / "articles", 3)
    assert {r.status for r in service.ingest_paths(paths[:1])} == {"new"}
    assert store.headers() and components.retriever.lexical.search("Number0", 3)  # caches built
    failed = new_article(components, TEXT.replace("Oslo", "Stavanger"))
    with monkeypatch.context() as patch:
        real = store.meta.upsert
        patch.setattr(store.meta, "upsert", lambda **kw: _fail_on_token(real, **kw))
        with pytest.raises(Crash):
            store.add_articles([failed])
    assert failed.article.id in store.existing_ids([failed.article.id])  # committed before the failure
    if then == "ingest":
        assert {r.status for r in service.ingest_paths(paths[1:2])} == {"new"}
    else:
        store.add_articles([new_article(components, TEXT.replace("Oslo", "Bodo"))])
        components.retriever.lexical.refresh()
    listed = {h.id for h in store.headers()}
    fresh = ArticleStore.open(settings).article_ids()
    assert listed == fresh and failed.article.id in listed
    hits = components.retriever.lexical.search("Stavanger ferry", 5)
    assert hits and hits[0].article_id == failed.article.id


def _fail_on_token(upsert, **kwargs):
    """The store's write of its generation token fails; every other meta write goes through."""
    if kwargs.get("ids") == ["state"]:
        raise Crash("generation token")
    return upsert(**kwargs)


def test_records_read_by_id_carry_no_full_vector(components, settings):
    """Article and packed-sentence records are never searched by vector: a placeholder number each,
    so opening a large store does not load 384 numbers per article into memory for them."""
    from ingest.models import LoadedDocument

    (result,) = components.ingest.ingest_documents([LoadedDocument(text=TEXT, source="oslo.txt")])
    assert result.status == "new"
    reopened = ArticleStore.open(settings)
    assert reopened.sentence_vectors([result.article_id])
    for collection in (reopened.articles, reopened.sentences):
        assert collection.get_model().dimension == 1
    assert len(reopened.passages.get(include=["embeddings"], limit=1)["embeddings"][0]) == 384


def test_packed_sentence_vectors_are_kept_out_of_the_full_text_index_and_old_records_still_read(components, settings):
    """Chroma indexes every document for full-text search; the packed vectors are base64, so they go
    into a metadata field. A store written by an earlier version holds them as the document: the
    answer engine still gets them from there."""
    from ingest.models import LoadedDocument

    (result,) = components.ingest.ingest_documents([LoadedDocument(text=TEXT, source="oslo.txt")])
    store = components.store
    record = store.sentences.get(ids=[result.article_id], include=["documents", "metadatas"])
    assert record["documents"] == [None]
    packed = store.sentence_vectors([result.article_id])[result.article_id]
    assert record["metadatas"][0] == {"packed": packed}

    store.sentences.delete(ids=[result.article_id])
    store.sentences.add(ids=[result.article_id], embeddings=[[1.0]], documents=[packed])  # as written before
    reopened = ArticleStore.open(settings)  # no cache of the record as it was
    assert reopened.sentence_vectors([result.article_id]) == {result.article_id: packed}


def test_passage_texts_are_kept_out_of_the_full_text_index_and_old_records_still_read(components, settings):
    """Passage texts go into a metadata field too (the lexical index is our own); passages an
    earlier version wrote with the text as their document read the same, through the retrieval a
    question takes (a fresh process: its lexical index is built from the store)."""
    from ingest.models import LoadedDocument

    (result,) = components.ingest.ingest_documents([LoadedDocument(text=TEXT, source="oslo.txt")])
    store = components.store
    article = store.get_article(result.article_id)
    assert article is not None
    expected = sorted(p.text for p in make_passages(article.id, article.text, split_sentences(article.text)))
    stored = store.passages.get(
        where={"article_id": result.article_id}, include=["documents", "metadatas", "embeddings"]
    )
    assert set(stored["documents"]) == {None}
    assert sorted(row[4] for row in store.passages_of([result.article_id])) == expected

    def found(c: Components) -> list[tuple[str, str]]:
        return [(h.passage_id, h.text) for h in c.retriever.search("night ferry Copenhagen", k=5)]

    before = found(components)
    assert before and {text for _, text in before} <= set(expected)

    store.passages.delete(ids=stored["ids"])
    store.passages.add(  # as written before
        ids=stored["ids"],
        documents=[m["text"] for m in stored["metadatas"]],
        embeddings=[list(e) for e in stored["embeddings"]],
        metadatas=[{k: v for k, v in m.items() if k != "text"} for m in stored["metadatas"]],
    )
    shutil.rmtree(settings.lexical_dir)  # rebuilt from the passages as stored now
    fresh = Components(settings)
    assert sorted(row[4] for row in fresh.store.passages_of([result.article_id])) == expected
    assert sorted(t for _ids, docs, _metas in fresh.store.iter_passages() for t in docs) == expected
    assert found(fresh) == before


@pytest.mark.parametrize("seen_at_open", [True, False])
def test_a_store_written_with_mean_vectors_keeps_taking_articles(components, settings, seen_at_open):
    """A store whose article and sentence records carry mean vectors (as earlier versions wrote them)
    keeps that dimension: a new article is written the same way, not refused for a mismatch; also
    when the records appeared after this process opened the store (another writer's first ones)."""
    from ingest.models import LoadedDocument

    def seed(store: ArticleStore) -> None:
        for collection in (store.articles, store.sentences):
            collection.add(ids=["earlier"], documents=["x"], embeddings=[[0.5] * 384])
            collection.delete(ids=["earlier"])

    if seen_at_open:
        seed(components.store)
        components = Components(settings)  # opens the store after the records were written
    else:
        assert components.store.article_ids() == set()  # opened while its collections were empty
        seed(ArticleStore.open(settings))
    (result,) = components.ingest.ingest_documents([LoadedDocument(text=TEXT, source="oslo.txt")])
    assert result.status == "new"
    store = components.store
    assert store.get_article(result.article_id) is not None and store.sentence_vectors([result.article_id])
    for collection in (store.articles, store.sentences):
        assert len(collection.get(ids=[result.article_id], include=["embeddings"])["embeddings"][0]) == 384
