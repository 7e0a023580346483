"""Sentence vectors kept with their article record, packed small.

Why here and not in a Chroma collection of their own: nobody searches sentence vectors across the
store; the answer engine reads the sentences of a handful of candidate articles and scores them
against the question with a dot product. A collection of their own would put every sentence into
Chroma's HNSW graph (the slowest part of a write) for no search that uses it. Packed into the
article record, they are written in the same commit as the article (whole or not at all), and
they work the same in the embedded store and on a Chroma server.

Format: base64 of [count:int32][starts:int32 × n][scales:float32 × n][int8 × n × dims]. Each vector
is quantised to int8 with its own scale (max |x| / 127): cosine to the float vector stays above
0.999 for unit vectors of this model, at a quarter of float32's size. The sentence start offsets
ride along, so a vector is always matched to its sentence by position in the text, never by
list order alone (a later change to the segmenter cannot misalign them silently).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np

__all__ = ["normalized_mean", "pack", "unpack"]


def pack(starts: Sequence[int], vectors: np.ndarray | Sequence[Sequence[float]]) -> str:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or matrix.shape[0] != len(starts):
        raise ValueError("one vector per sentence start")
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(matrix / scales[:, None]).astype(np.int8)
    blob = (
        np.asarray([len(starts)], dtype=np.int32).tobytes()
        + np.asarray(starts, dtype=np.int32).tobytes()
        + scales.astype(np.float32).tobytes()
        + quantised.tobytes()
    )
    return base64.b64encode(blob).decode("ascii")


def unpack(packed: str) -> tuple[np.ndarray, np.ndarray]:
    """(starts, unit vectors as float32 rows)."""
    blob = base64.b64decode(packed)
    count = int(np.frombuffer(blob, dtype=np.int32, count=1)[0])
    offset = 4
    starts = np.frombuffer(blob, dtype=np.int32, count=count, offset=offset)
    offset += 4 * count
    scales = np.frombuffer(blob, dtype=np.float32, count=count, offset=offset)
    offset += 4 * count
    quantised = np.frombuffer(blob, dtype=np.int8, offset=offset)
    dims = quantised.size // count if count else 0
    matrix = quantised.reshape(count, dims).astype(np.float32) * scales[:, None]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return starts.copy(), matrix / norms


def normalized_mean(vectors: np.ndarray) -> list[float]:
    """A passage's vector from its sentences' vectors: their mean, back on the unit sphere."""
    total = np.asarray(vectors, dtype=np.float32).sum(axis=0)
    norm = float(np.linalg.norm(total)) or 1.0
    return (total / norm).tolist()
