"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused by reciprocal rank.

Reciprocal-rank fusion needs no score calibration between the two rankers, which is why it is the
field's default for hybrid search. Exposed as a LangChain retriever so it composes with the rest of
the LangChain toolbox; the bot uses `search()` for the scored hits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.lexical import LexicalIndex
from vectorstore.store import ArticleStore, DenseHit

RRF_K = 60


@dataclass
class RetrievedPassage:
    passage_id: str
    article_id: str
    start: int
    end: int
    text: str
    score: float  # fused reciprocal-rank score
    dense: float | None = None  # cosine similarity to the question, when dense search found it
    lexical: float | None = None  # BM25 score, when lexical search found it
    ranks: dict[str, int] = field(default_factory=dict)


def reciprocal_rank_fusion(rankings: dict[str, list[str]], k: int = RRF_K) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking in rankings.values():
        for rank, key in enumerate(ranking):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank + 1)
    return scores


class HybridRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: ArticleStore
    lexical: LexicalIndex
    embeddings: Embeddings
    k: int = 12

    def search(
        self,
        query: str,
        k: int | None = None,
        depth: int | None = None,
        vector: Sequence[float] | np.ndarray | None = None,
    ) -> list[RetrievedPassage]:
        """Top `k` passages; each ranker looks `depth` deep (default 3k) before fusion. `vector` is the
        query's embedding when the caller has it already (the answer engine uses it again)."""
        k = k or self.k
        depth = depth or 3 * k
        dense = self._dense(
            [float(x) for x in vector] if vector is not None else self.embeddings.embed_query(query), depth
        )
        lexical = self.lexical.search(query, depth)
        by_id: dict[str, RetrievedPassage] = {}
        for rank, hit in enumerate(dense):
            by_id[hit.passage_id] = RetrievedPassage(
                hit.passage_id,
                hit.article_id,
                hit.start,
                hit.end,
                hit.text,
                0.0,
                dense=hit.similarity,
                ranks={"dense": rank},
            )
        for rank, word_hit in enumerate(lexical):
            found = by_id.get(word_hit.passage_id)
            if found is None:
                found = by_id[word_hit.passage_id] = RetrievedPassage(
                    word_hit.passage_id, word_hit.article_id, word_hit.start, word_hit.end, word_hit.text, 0.0
                )
            found.lexical = word_hit.score
            found.ranks["lexical"] = rank
        fused = reciprocal_rank_fusion(
            {"dense": [h.passage_id for h in dense], "lexical": [h.passage_id for h in lexical]}
        )
        for pid, score in fused.items():
            by_id[pid].score = score
        return sorted(by_id.values(), key=lambda p: p.score, reverse=True)[:k]

    def _dense(self, vector: list[float], depth: int) -> list[DenseHit]:
        """The store's nearest passages of committed articles, as `ArticleStore.dense_search` gives them.

        Chroma is asked for ids and distances only; texts and offsets come from the lexical index,
        which holds every committed passage of this generation. A passage it does not hold (an
        uncommitted one, or a write it has not caught up with) is read from the store, which keeps
        the committed-only rule."""
        neighbours = self.store.dense_neighbours(vector, depth)
        rows = self.lexical.passages([pid for pid, _ in neighbours])
        fetched = {h.passage_id: h for h in self.store.passage_hits([n for n in neighbours if n[0] not in rows])}
        hits = []
        for pid, similarity in neighbours:
            row = rows.get(pid)
            if row is not None:
                hits.append(DenseHit(pid, row[1], row[2], row[3], row[4], similarity))
            elif pid in fetched:
                hits.append(fetched[pid])
        return hits

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=p.text,
                id=p.passage_id,
                metadata={"article_id": p.article_id, "start": p.start, "end": p.end, "score": p.score},
            )
            for p in self.search(query)
        ]
