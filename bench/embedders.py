"""Embedders for the benchmark: real ones, a vector cache in front of them, and synthetic vectors.

- `make_embedder("minilm" | "onnx")`: the real models (sentence-transformers fp32; int8 ONNX).
- `CachedEmbeddings`: embedding 10k articles (~80k passages) takes ~40 minutes per pipeline on
  2 cores, so the stores for the 10k ask-latency figures are built from a vector file computed
  once, keyed by text, and reused by every later run (the ingest *rate* is measured without it).
- `SyntheticEmbeddings`: unit vectors derived from a hash of the text, for the 100k / 1M passage
  retrieval-only figures, where the store and query path is what is measured, not the model.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

DIMENSIONS = 384


def make_embedder(kind: str) -> Embeddings:
    if kind == "minilm":
        from vectorstore.embeddings import MiniLMEmbeddings

        return MiniLMEmbeddings()
    if kind == "onnx":
        from vectorstore.onnx_embeddings import OnnxMiniLMEmbeddings

        return OnnxMiniLMEmbeddings()
    if kind == "synthetic":
        return SyntheticEmbeddings()
    if kind == "hash":
        from vectorstore.embeddings import HashEmbeddings

        return HashEmbeddings()
    raise ValueError(f"unknown embedder {kind!r}")


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class SyntheticEmbeddings(Embeddings):
    """Deterministic pseudo-random unit vectors: same text, same vector; no model, ~µs per text."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_array(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(_key(text)[:8], "little")
            out[i] = np.random.default_rng(seed).standard_normal(DIMENSIONS, dtype=np.float32)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class CachedEmbeddings(Embeddings):
    """Looks texts up in a vector file first; embeds only what is missing, and saves it on `flush()`.

    Queries are never cached: the ask figures must include embedding the question.
    """

    def __init__(self, inner: Embeddings, path: Path) -> None:
        self.inner = inner
        self.path = path
        self._index: dict[bytes, int] = {}
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)  # rows loaded from the file
        self._extra: list[np.ndarray] = []  # rows embedded in this run
        self._dirty = False
        self.hits = 0
        self.misses = 0
        if path.exists():
            data = np.load(path)
            self._matrix = data["vectors"]
            self._index = {bytes(k): i for i, k in enumerate(data["keys"])}

    def _vector(self, row: int) -> np.ndarray:
        if row < len(self._matrix):
            return self._matrix[row]
        return self._extra[row - len(self._matrix)]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [_key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self._index]
        if missing:
            fresh = np.asarray(self.inner.embed_documents([texts[i] for i in missing]), dtype=np.float32)
            for i, vector in zip(missing, fresh):
                if keys[i] not in self._index:
                    self._index[keys[i]] = len(self._matrix) + len(self._extra)
                    self._extra.append(vector)
            self._dirty = True
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        return [self._vector(self._index[k]).tolist() for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def flush(self) -> None:
        """Write the vector file (atomically) if anything was added."""
        if not self._dirty:
            return
        ordered = sorted(self._index.items(), key=lambda kv: kv[1])
        keys = np.array([np.frombuffer(k, dtype=np.uint8) for k, _ in ordered], dtype=np.uint8)
        vectors = np.concatenate([self._matrix, np.asarray(self._extra, dtype=np.float32).reshape(-1, DIMENSIONS)])
        self._matrix, self._extra = vectors, []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.path)
        self._dirty = False
