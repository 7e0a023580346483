"""Sentence vectors: packed with their article, each sentence embedded once, passages derived from them."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.models import LoadedDocument
from ingest.segment import split_sentences
from vectorstore.sentence_vectors import normalized_mean, pack, unpack

TEXT = (
    "Envoys meet in Valletta\n\nThe two envoys met in Valletta on Monday. They discussed fishing quotas. "
    "Both sides agreed to meet again in June. The talks lasted three hours."
)


def test_pack_round_trip_keeps_starts_and_direction():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(5, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    starts, back = unpack(pack([0, 10, 25, 40, 77], vectors))
    assert starts.tolist() == [0, 10, 25, 40, 77]
    cosines = (back * vectors).sum(axis=1)
    assert cosines.min() > 0.999
    assert np.allclose(np.linalg.norm(back, axis=1), 1.0, atol=1e-5)


def test_pack_refuses_a_vector_count_that_does_not_match_the_sentences():
    with pytest.raises(ValueError, match="one vector per sentence"):
        pack([0, 5], np.zeros((3, 384), dtype=np.float32))


def test_passage_vector_is_the_unit_mean_of_its_sentences():
    a, b = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    assert np.allclose(normalized_mean(np.vstack([a, b])), [2**-0.5, 2**-0.5, 0, 0])


def test_ingest_embeds_each_sentence_once_and_stores_its_vector(components):
    calls: list[list[str]] = []
    inner = components.embeddings

    class Counting:
        def embed_documents(self, texts):
            calls.append(list(texts))
            return inner.embed_documents(texts)

        def embed_query(self, text):
            return inner.embed_query(text)

    components.ingest.embeddings = Counting()
    [result] = components.ingest.ingest_documents([LoadedDocument(text=TEXT, title="Envoys", source="v.txt")])
    assert result.status == "new"
    sentences = split_sentences(TEXT)
    embedded = [t for batch in calls for t in batch]
    assert embedded == [s.text for s in sentences]  # every sentence once, nothing else
    article = components.store.get_article(result.article_id)
    starts, vectors = unpack(components.store.sentence_vectors([result.article_id])[result.article_id])
    assert starts.tolist() == [s.start for s in sentences]
    expected = np.asarray(inner.embed_documents([s.text for s in sentences]))
    assert (vectors * expected).sum(axis=1).min() > 0.999
    assert "sentence_vectors" not in article.model_dump(mode="json")  # kept apart from the article record


def test_deleting_an_article_deletes_its_sentence_vectors(components):
    [result] = components.ingest.ingest_documents([LoadedDocument(text=TEXT, title="Envoys", source="v.txt")])
    assert components.store.sentence_vectors([result.article_id])
    assert components.ingest.delete(result.article_id)
    assert components.store.sentence_vectors([result.article_id]) == {}
