"""Compose a cited answer from retrieved sentences (first cut: extractive sentence ranking)."""

from __future__ import annotations

import re

from langchain_core.embeddings import Embeddings

from bot.models import Answer, Citation, Turn
from ingest.segment import split_sentences
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ArticleStore

ABSTAIN = "The ingested articles don't say."
_STOP = set(
    "a an the of to in on at for and or but with by from as is are was were be been did do does what who whom "
    "which when where why how this that these those it its their his her they he she them about into over "
    "two sides side any ask asked say said".split()
)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if w not in _STOP and len(w) > 1}


def compose_answer(
    question: str, history: list[Turn], store: ArticleStore, retriever: HybridRetriever, embeddings: Embeddings
) -> Answer:
    hits = retriever.search(question, k=6)
    q_words = _content_words(question)
    candidates = []
    for hit in hits:
        article = store.get_article(hit.article_id)
        if article is None:
            continue
        for sentence in split_sentences(hit.text):
            overlap = len(q_words & _content_words(sentence.text)) / (len(q_words) or 1)
            candidates.append((overlap + hit.score * 10, overlap, article, hit.start + sentence.start, sentence.text))
    candidates.sort(key=lambda c: c[0], reverse=True)
    if not candidates or candidates[0][1] < 0.34:
        return Answer(question=question, answer=ABSTAIN, abstained=True)
    best = candidates[0]
    article = best[2]
    citation = Citation(
        n=1,
        article_id=article.id,
        title=article.title,
        source=article.source,
        text=best[4],
        start=best[3],
        end=best[3] + len(best[4]),
    )
    return Answer(question=question, answer=f"{best[4]} [1]", citations=[citation])
