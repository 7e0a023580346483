"""The chat service: a question and its conversation in, a cited answer out.

Surfaces (CLI, UI, API, widget) hold no answering logic; they call `ChatService.ask` (or `reply`
for the details, `prepare` + `stream` to stream), or `ask_conversations` for a batch of questions
grouped into conversations.

The extractive engine always answers first: it picks the meeting, ranks the sentences and composes
a cited answer. With a reader model configured (`BRIEFBOT_LLM`), the model then phrases the answer
from that answer's evidence (its cited sentences and the next best-ranked ones of the same articles);
every sentence it writes is verified, and the extractive answer stays the fallback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.embeddings import Embeddings

from bot.answer.compose import Ranked, best_first
from bot.answering import Observer, compose_answer
from bot.models import Answer, Citation, Turn
from bot.streaming import Finished, Shown
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ArticleStore

log = logging.getLogger(__name__)

MAX_EVIDENCE = 6  # sentences the model reads: enough for list questions, short enough for a small model
RUNNER_UP_SHARE = 0.25  # a ranked sentence joins the evidence when scored at least this share of the best
NO_EVIDENCE = "no-evidence: the articles do not answer this, so there was nothing for the model to phrase"


@dataclass
class Draft:
    """A question answered by the extractive engine, with the evidence a model may phrase it from."""

    question: str
    history: list[Turn]
    extractive: Answer
    evidence: list[Citation] = field(default_factory=list)  # the model's sources, numbered from 1 in the prompt
    facts: Any = None  # bot.reader.prompt.Facts
    seconds: float = 0.0  # the extractive engine's time
    started: float = 0.0


@dataclass
class Reply:
    """What was shown, the extractive answer beside it, and how the model fared (evaluation reads it)."""

    answer: Answer
    extractive: Answer
    reading: Any = None  # bot.reader.reader.Reading when a model was asked
    seconds_extractive: float = 0.0
    seconds: float = 0.0


class ChatService:
    def __init__(
        self, store: ArticleStore, retriever: HybridRetriever, embeddings: Embeddings, reader: Any = None
    ) -> None:
        self.store = store
        self.retriever = retriever
        self.embeddings = embeddings
        self.reader = reader  # bot.reader.reader.Reader, or None: the extractive answer is the answer

    @property
    def mode_label(self) -> str:
        """Which mode answers, in words, for the UI's read-only line."""
        if self.reader is None:
            return "extractive (no model configured)"
        return f"LLM reader {self.reader.label}, verified; extractive when the model fails"

    def ask(self, question: str, history: Sequence[Turn] = (), observe: Observer | None = None) -> Answer:
        """`observe` sees the engine's ranking of candidate sentences (evaluation measures it)."""
        return self.reply(question, history, observe).answer

    def prepare(self, question: str, history: Sequence[Turn] = (), observe: Observer | None = None) -> Draft:
        """The extractive answer and its evidence (fast: no model involved). Raises ValueError for an
        empty question, before any streaming starts."""
        started = time.monotonic()
        question = " ".join(question.split())
        if not question:
            raise ValueError("the question is empty")
        rankings: list[list[Ranked]] = []

        def watch(q, candidates, matrix) -> None:
            if observe is not None:
                observe(q, candidates, matrix)
            if not rankings:  # the question's own ranking, not that of a part of it
                rankings.append(best_first(candidates)[: 4 * MAX_EVIDENCE])

        extractive = compose_answer(question, list(history), self.store, self.retriever, self.embeddings, observe=watch)
        draft = Draft(question=question, history=list(history), extractive=extractive, started=started)
        if self.reader is not None and not extractive.abstained:
            from bot.reader.prompt import meeting_facts

            draft.evidence = evidence_for(extractive, rankings[0] if rankings else [])
            draft.facts = meeting_facts(self.store, extractive)
        draft.seconds = time.monotonic() - started
        return draft

    def reply(self, question: str, history: Sequence[Turn] = (), observe: Observer | None = None) -> Reply:
        draft = self.prepare(question, history, observe)
        if self.reader is None:
            return self._finish(draft, None)
        if draft.extractive.abstained:
            return self._finish(draft, None, NO_EVIDENCE)
        reading = self.reader.read(draft.question, draft.extractive, draft.evidence, draft.facts, draft.history)
        return self._finish(draft, reading)

    def stream(self, draft: Draft) -> Iterator[Shown | Finished]:
        """The model's verified sentences as they come, then the finished reply."""
        if self.reader is None or draft.extractive.abstained:
            reply = self._finish(draft, None, None if self.reader is None else NO_EVIDENCE)
            yield Finished(reply, rest=reply.answer.answer)
            return
        from bot.reader.reader import Reading

        reading = Reading()
        shown = False
        for text in self.reader.stream(
            draft.question, draft.extractive, draft.evidence, draft.facts, draft.history, reading
        ):
            shown = True
            yield Shown(text)
        reply = self._finish(draft, reading)
        if reply.answer.mode == "llm":
            yield Finished(reply, rest="" if shown else reply.answer.answer)
        else:
            yield Finished(reply, rest=reply.answer.answer, retract=shown)

    def _finish(self, draft: Draft, reading: Any, fallback: str | None = None) -> Reply:
        answer = draft.extractive
        if reading is not None and reading.answer is not None:
            answer = reading.answer
        elif self.reader is not None:
            reason = fallback or (reading.fallback if reading is not None else None)
            answer = answer.model_copy(update={"mode": "extractive", "fallback": reason})
        return Reply(
            answer=answer,
            extractive=draft.extractive,
            reading=reading,
            seconds_extractive=draft.seconds,
            seconds=time.monotonic() - draft.started,
        )

    def ask_conversations(self, items: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Answer]]:
        """Answer `{"id", "question"[, "session"]}` items in order; items sharing a session are one
        conversation. One question that cannot be answered yields an abstention for itself alone,
        so a batch always gets one answer per question."""
        histories: dict[str, list[Turn]] = {}
        for item in items:
            question = str(item.get("question") or "")
            session = item.get("session")
            history = histories.setdefault(str(session), []) if session is not None else []
            mode = {} if self.reader is None else {"mode": "extractive"}
            try:
                answer = self.ask(question, history)
            except ValueError as exc:
                answer = Answer(question=question, answer=f"No answer: {exc}.", abstained=True, **mode)
                answer.fallback = f"no-question: {exc}" if mode else None
            except Exception as exc:
                log.exception("question %r failed", question)
                answer = Answer(question=question, answer=f"No answer: an internal error ({exc}).", abstained=True)
                answer.mode, answer.fallback = ("extractive", "error: internal error") if mode else (None, None)
            history.append(Turn(question=question, answer=answer))
            yield item, answer


def evidence_for(answer: Answer, ranked: list[Ranked]) -> list:
    """The sentences the model may phrase from: the extractive answer's citations, then the best-ranked
    sentences of the same articles that score close enough to the best, in the articles' own order."""
    chosen = list(answer.citations)
    articles = list(dict.fromkeys(c.article_id for c in answer.citations))
    seen = {(e.article_id, e.start) for e in chosen}
    best = ranked[0].score if ranked else 0.0
    for r in ranked:
        if len(chosen) >= MAX_EVIDENCE or r.score < RUNNER_UP_SHARE * best:
            break
        key = (r.article.id, r.sentence.start)
        if r.article.id not in articles or key in seen:
            continue
        seen.add(key)
        chosen.append(
            Citation(
                n=0,
                article_id=r.article.id,
                title=r.article.title,
                source=r.article.source,
                text=r.sentence.text,
                start=r.sentence.start,
                end=r.sentence.end,
            )
        )
    return sorted(chosen, key=lambda e: (articles.index(e.article_id), e.start))


def configured_chat(components: Any) -> ChatService:
    """The components' chat service with the configured reader attached (once per process).

    `Components.chat` builds the service without one; the surfaces call this instead, so the model
    follows the settings the command line or the environment gave.
    """
    chat = components.chat
    if not getattr(chat, "_reader_attached", False):
        from bot.reader.spec import parse_spec

        if parse_spec(components.settings.llm).configured:
            from bot.reader.reader import Reader

            chat.reader = Reader(components.settings, components.embeddings)
        chat._reader_attached = True
    return chat
