"""Hybrid retrieval over a real embedded Chroma store (fake embedder: exact and fast)."""

import sqlite3

from ingest.models import LoadedDocument
from vectorstore.lexical import LexicalIndex
from vectorstore.retriever import reciprocal_rank_fusion

ARTICLES = [
    (
        "Ministers meet in Lisbon",
        "Foreign Minister Ana Sousa met Minister Tomas Berg in Lisbon on Monday. "
        "Sousa urged closer cooperation on fisheries. Berg raised concerns about shipping tariffs.",
    ),
    (
        "Leaders talk in Nairobi",
        "President Amani Odhiambo hosted Chancellor Petra Vogel in Nairobi. "
        "They agreed to expand geothermal energy projects. Vogel praised the partnership.",
    ),
    (
        "Envoys gather in Hanoi",
        "Envoy Kenji Mori and Envoy Linh Tran met in Hanoi to discuss river water sharing. "
        "Tran warned against unilateral dam construction.",
    ),
]


def ingest(components):
    docs = [
        LoadedDocument(text=f"{title}\n\n{body}", title=title, source=f"{i}.txt")
        for i, (title, body) in enumerate(ARTICLES)
    ]
    return list(components.ingest.ingest_documents(docs))


def test_rrf_rewards_agreement_between_rankers():
    fused = reciprocal_rank_fusion({"dense": ["a", "b", "c"], "lexical": ["b", "d"]})
    assert max(fused, key=fused.get) == "b"
    assert set(fused) == {"a", "b", "c", "d"}


def test_names_and_places_find_their_article(components):
    results = ingest(components)
    assert [r.status for r in results] == ["new", "new", "new"]
    by_title = {a.id: a.title for a in components.store.list_articles()}
    for query, title in [
        ("Who met in Nairobi?", "Leaders talk in Nairobi"),
        ("What did Tran warn against?", "Envoys gather in Hanoi"),
        ("Sousa fisheries cooperation", "Ministers meet in Lisbon"),
    ]:
        top = components.retriever.search(query, k=3)[0]
        assert by_title[top.article_id] == title, query
        article_text = components.store.get_article(top.article_id).text
        assert article_text[top.start : top.end] == top.text


def test_langchain_retriever_interface_returns_documents(components):
    ingest(components)
    docs = components.retriever.invoke("geothermal energy")
    assert docs and "geothermal" in docs[0].page_content
    assert {"article_id", "start", "end", "score"} <= set(docs[0].metadata)


def test_lexical_index_is_persisted_and_follows_the_store(components, settings):
    ingest(components)
    assert (settings.lexical_dir / "lexical.sqlite3").exists()
    # A fresh process (a new index object) uses the saved index: nothing is re-added for a question.
    fresh = LexicalIndex(components.store, settings.lexical_dir)
    assert fresh.search("geothermal", 3)[0].text.count("geothermal") == 1
    rows_before = _row_ids(settings)
    fresh.search("Lisbon", 3)
    assert _row_ids(settings) == rows_before
    # Deleting an article changes the generation: its passages leave the index, the others stay as they were.
    nairobi = next(a for a in components.store.list_articles() if "Nairobi" in a.title)
    assert components.ingest.delete(nairobi.id)
    assert all(h.article_id != nairobi.id for h in fresh.search("Nairobi geothermal Vogel", 5))
    assert all(h.article_id != nairobi.id for h in components.retriever.search("Nairobi geothermal", k=5))
    assert _row_ids(settings) < rows_before


def test_one_more_article_adds_only_its_own_passages(components, settings):
    ingest(components)
    before = _row_ids(settings)
    extra = LoadedDocument(text=OSLO_EXTRA, title="Oslo fisheries talks", source="oslo.txt")
    [result] = components.ingest.ingest_documents([extra])
    after = _row_ids(settings)
    assert before < after  # nothing removed or re-inserted: the earlier rows keep their ids
    assert len(after - before) == components.store.get_article(result.article_id).passage_count
    assert components.retriever.lexical.search("salmon quotas Oslo", 1)[0].article_id == result.article_id


def test_lexical_search_takes_any_words_as_words(components):
    ingest(components)
    lexical = components.retriever.lexical
    for query in ['geothermal" OR "x', "geothermal NEAR(x y)", "-geothermal*", "geo:thermal", "({[", "AND OR NOT"]:
        lexical.search(query, 3)  # no query syntax error reaches the caller
    hits = lexical.search('"geothermal" energy', 5)
    assert hits and [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert lexical.search("zzz unknown words", 5) == []


def _row_ids(settings) -> set[int]:
    with sqlite3.connect(settings.lexical_dir / "lexical.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT id FROM rows")}


OSLO_EXTRA = (
    "Norwegian Fisheries Minister Kari Dahl met Chilean Minister Rosa Soto in Oslo on Monday. "
    "They agreed to share salmon quotas research."
)


def test_empty_store_retrieves_nothing(components):
    assert components.retriever.search("anything at all", k=5) == []


def test_a_query_of_common_words_only_searches_the_rarest(components, monkeypatch):
    """In a large archive a word in a few percent of the passages tells none apart: such words are
    left out, and a question made only of them searches its rarest word alone, not all of them."""
    import vectorstore.lexical

    ingest(components)
    monkeypatch.setattr(vectorstore.lexical, "COMMON_FLOOR", 0)
    monkeypatch.setattr(vectorstore.lexical, "COMMON_SHARE", 0.0)  # every word the index knows is common
    lexical = components.retriever.lexical
    # "met" is in two of the three articles (Lisbon, Hanoi), "dam" in one (Hanoi): Hanoi alone is found
    hanoi = {h.article_id for h in lexical.search("dam", 10)}
    assert len(hanoi) == 1
    assert {h.article_id for h in lexical.search("met dam", 10)} == hanoi
    assert len({h.article_id for h in lexical.search("met", 10)}) == 2
    monkeypatch.setattr(vectorstore.lexical, "COMMON_FLOOR", 2000)  # a small archive: every word searched
    assert len({h.article_id for h in lexical.search("met dam", 10)}) == 2
