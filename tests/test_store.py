"""The store's whole-article protocol, crash by crash: a write that dies at any step leaves only
invisible leftovers, and the next writer's recovery finishes or undoes it."""

from __future__ import annotations

import pytest

from bot.components import Components
from ingest.segment import make_passages, split_sentences
from vectorstore.models import Article
from vectorstore.store import NewArticle

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
    from vectorstore.store import ArticleStore

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


def test_records_read_by_id_carry_no_full_vector(components, settings):
    """Article and packed-sentence records are never searched by vector: a placeholder number each,
    so opening a large store does not load 384 numbers per article into memory for them."""
    from ingest.models import LoadedDocument
    from vectorstore.store import ArticleStore

    (result,) = components.ingest.ingest_documents([LoadedDocument(text=TEXT, source="oslo.txt")])
    assert result.status == "new"
    reopened = ArticleStore.open(settings)
    assert reopened.sentence_vectors([result.article_id])
    for collection in (reopened.articles, reopened.sentences):
        assert collection.get_model().dimension == 1
    assert len(reopened.passages.get(include=["embeddings"], limit=1)["embeddings"][0]) == 384


def test_a_store_written_with_mean_vectors_keeps_taking_articles(components, settings):
    """A store whose article records carry mean vectors (as earlier versions wrote them) keeps that
    dimension: a new article is written the same way, not refused for a dimension mismatch."""
    from vectorstore.store import ArticleStore

    store = components.store
    for collection in (store.articles, store.sentences):
        collection.add(ids=["earlier"], documents=["x"], embeddings=[[0.5] * 384])
        collection.delete(ids=["earlier"])
    reopened = ArticleStore.open(settings)
    item = new_article(components)
    reopened.add_articles([item])
    assert reopened.get_article(item.article.id) is not None
    assert len(reopened.articles.get(ids=[item.article.id], include=["embeddings"])["embeddings"][0]) == 384
