"""Is a sentence the model wrote supported by the evidence sentences it cites?

Two measures, each with a threshold fit on the gold sets (`python -m bot.reader.fit`, written to
`bot.reader.thresholds`):

- content-word overlap: the share of the claim's content words (stemmed, stop words out, country
  names and demonyms read as their country) found in the cited sentences. It catches a claim that
  adds words, names or places its citation never states.
- embedding similarity: the cosine between the claim and its best-matching cited sentence (or all
  of them together), with the same embedder that ranks sentences. It catches a claim that reuses the
  citation's words to say something else.

A claim must pass both, and every number it states must appear in its citations: a wrong figure
shares every other word with the sentence it misquotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.text import sentence_stems
from bot.reader import thresholds

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Support:
    """How well a claim is supported by what it cites, and the verdict."""

    overlap: float
    similarity: float
    numbers_ok: bool
    supported: bool


def overlap(claim: str, cited: Sequence[str], known: Sequence[str] = ()) -> float:
    """Share of the claim's content words that its cited sentences contain (1.0 for a claim without any).
    Words of `known` (the participants' names) count as found."""
    words = sentence_stems(claim)
    if not words:
        return 1.0
    found = frozenset().union(*(sentence_stems(s) for s in [*cited, *known])) if cited else frozenset()
    return len(words & found) / len(words)


def numbers_stated(claim: str, cited: Sequence[str]) -> bool:
    """Every number in the claim is written in a cited sentence (1,200 and 1200 alike)."""
    stated = {n.replace(",", "") for s in cited for n in _NUMBER.findall(s)}
    return all(n.replace(",", "") in stated for n in _NUMBER.findall(claim))


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def similarity(claim_vector: np.ndarray, cited_vectors: np.ndarray) -> float:
    """Cosine of the claim to its closest cited sentence, or to their mean when it draws on several."""
    if not len(cited_vectors):
        return 0.0
    claim = _unit(claim_vector[None, :])[0]
    cited = _unit(cited_vectors)
    rows = list(cited)
    if len(cited) > 1:
        rows.append(_unit(cited.mean(axis=0)[None, :])[0])
    return float(max(np.dot(row, claim) for row in rows))


class Verifier:
    """Checks claims against the evidence sentences of one answer; evidence is embedded once."""

    def __init__(
        self,
        evidence: Sequence[str],
        embeddings: Embeddings,
        min_overlap: float = thresholds.MIN_OVERLAP,
        min_similarity: float = thresholds.MIN_SIMILARITY,
        known: Sequence[str] = (),
    ) -> None:
        self.evidence = list(evidence)
        self.known = list(known)
        self.embeddings = embeddings
        self.min_overlap = min_overlap
        self.min_similarity = min_similarity
        self._vectors: np.ndarray | None = None

    @property
    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = np.asarray(self.embeddings.embed_documents(self.evidence), dtype=np.float32)
        return self._vectors

    def check(self, claim: str, numbers: Sequence[int]) -> Support:
        """`numbers` are the claim's in-range evidence numbers (1-based)."""
        cited = [self.evidence[n - 1] for n in numbers]
        share = overlap(claim, cited, self.known)
        numbers_ok = numbers_stated(claim, cited)
        if not cited:
            return Support(share, 0.0, numbers_ok, False)
        if share < self.min_overlap or not numbers_ok:  # no need to embed what already fails
            return Support(share, 0.0, numbers_ok, False)
        claim_vector = np.asarray(self.embeddings.embed_query(claim), dtype=np.float32)
        sim = similarity(claim_vector, self.vectors[[n - 1 for n in numbers]])
        return Support(share, sim, numbers_ok, sim >= self.min_similarity)
