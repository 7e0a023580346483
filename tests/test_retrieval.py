"""Hybrid retrieval over a real embedded Chroma store (fake embedder: exact and fast)."""

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
    manifest = settings.lexical_dir / "manifest.json"
    assert manifest.exists()
    # A fresh process (a new index object) loads the saved index for the current generation.
    fresh = LexicalIndex(components.store, settings.lexical_dir)
    assert fresh.search("geothermal", 3)[0].text.count("geothermal") == 1
    built_at = manifest.stat().st_mtime_ns
    fresh.search("Lisbon", 3)
    assert manifest.stat().st_mtime_ns == built_at  # not rebuilt for a question
    # Deleting an article changes the generation: its passages leave the index.
    nairobi = next(a for a in components.store.list_articles() if "Nairobi" in a.title)
    assert components.ingest.delete(nairobi.id)
    assert all(h.article_id != nairobi.id for h in fresh.search("Nairobi geothermal Vogel", 5))
    assert all(h.article_id != nairobi.id for h in components.retriever.search("Nairobi geothermal", k=5))


def test_empty_store_retrieves_nothing(components):
    assert components.retriever.search("anything at all", k=5) == []
