"""The chat service: a question and its conversation in, a cited answer out.

Surfaces (CLI, UI, API, widget) hold no answering logic; they call `ChatService.ask`.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.embeddings import Embeddings

from bot.answering import compose_answer
from bot.models import Answer, Turn
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ArticleStore


class ChatService:
    def __init__(self, store: ArticleStore, retriever: HybridRetriever, embeddings: Embeddings) -> None:
        self.store = store
        self.retriever = retriever
        self.embeddings = embeddings

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        question = " ".join(question.split())
        if not question:
            raise ValueError("the question is empty")
        return compose_answer(question, list(history), self.store, self.retriever, self.embeddings)
