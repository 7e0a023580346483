"""The chat service: a question and its conversation in, a cited answer out.

Surfaces (CLI, UI, API, widget) hold no answering logic; they call `ChatService.ask`, or
`ask_conversations` for a batch of questions grouped into conversations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from langchain_core.embeddings import Embeddings

from bot.answering import Observer, compose_answer
from bot.models import Answer, Turn
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ArticleStore

log = logging.getLogger(__name__)


class ChatService:
    def __init__(self, store: ArticleStore, retriever: HybridRetriever, embeddings: Embeddings) -> None:
        self.store = store
        self.retriever = retriever
        self.embeddings = embeddings

    def ask(self, question: str, history: Sequence[Turn] = (), observe: Observer | None = None) -> Answer:
        """`observe` sees the engine's ranking of candidate sentences (evaluation measures it)."""
        question = " ".join(question.split())
        if not question:
            raise ValueError("the question is empty")
        return compose_answer(question, list(history), self.store, self.retriever, self.embeddings, observe=observe)

    def ask_conversations(self, items: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Answer]]:
        """Answer `{"id", "question"[, "session"]}` items in order; items sharing a session are one
        conversation. One question that cannot be answered yields an abstention for itself alone,
        so a batch always gets one answer per question."""
        histories: dict[str, list[Turn]] = {}
        for item in items:
            question = str(item.get("question") or "")
            session = item.get("session")
            history = histories.setdefault(str(session), []) if session is not None else []
            try:
                answer = self.ask(question, history)
            except ValueError as exc:
                answer = Answer(question=question, answer=f"No answer: {exc}.", abstained=True)
            except Exception as exc:
                log.exception("question %r failed", question)
                answer = Answer(question=question, answer=f"No answer: an internal error ({exc}).", abstained=True)
            history.append(Turn(question=question, answer=answer))
            yield item, answer
