"""The JSON API under /api: ask (whole or streamed), the article library, the briefing cards.

Routes only translate HTTP to the services (`ChatService`, `IngestService`, the store) and back.
Who may call what is decided in `bot.surfaces.access` (deny by default), quotas and session ids in
`bot.surfaces.sessions`. Request bodies are capped before they are read: a question is small, an upload
may be a zip of articles.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from bot.briefing_cards import build_cards, card_markdown, filter_cards
from bot.models import Answer, Citation, Turn
from bot.settings import Settings
from bot.streaming import Finished, Shown, answer_chunks
from bot.surfaces.access import Refusal, client_address, read_refusal, write_refusal
from bot.surfaces.sessions import QuotaExceeded, Session, SessionStore, UnknownSession
from ingest.models import IngestResult

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
MAX_PASTED_CHARS = 2_000_000
MAX_BODY_BYTES = 64 * 1024  # a question or a session request, with room to spare
MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # files or pasted text for POST /api/articles


# -- shapes -----------------------------------------------------------------------------------


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, examples=["Who met in Munich?"])
    session_id: str | None = Field(None, description="From a previous answer; omit to start a conversation.")


class AskResponse(BaseModel):
    """`Answer.public()` (the CLI's JSON shape) plus the conversation's id. `mode` and `fallback`
    appear only when a reader model is configured."""

    answer: str
    abstained: bool
    citations: list[Citation]
    session_id: str
    mode: str | None = Field(None, description='"llm" or "extractive", when a reader model is configured.')
    fallback: str | None = Field(None, description="Why the configured model's answer was not used.")


class SessionOut(BaseModel):
    session_id: str
    questions_left: int


class PastedArticle(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_PASTED_CHARS)
    title: str | None = Field(None, max_length=500)
    source: str = Field("pasted text", max_length=500)


class IngestResponse(BaseModel):
    """One `IngestResult` per article stored or input failed."""

    results: list[IngestResult]


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


# -- routes -----------------------------------------------------------------------------------


def create_api(components: Any, sessions: SessionStore) -> APIRouter:
    """The /api router over one process's components (services, store) and session store."""
    settings: Settings = components.settings

    def refuse(refusal: Refusal) -> HTTPException:
        headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
        return HTTPException(refusal.status, refusal.reason, headers=headers)

    def readable(request: Request) -> None:
        refusal = read_refusal(request, settings)
        if refusal:
            raise refuse(refusal)

    def writable(request: Request) -> None:
        refusal = write_refusal(request, settings)
        if refusal:
            raise refuse(refusal)

    router = APIRouter(prefix="/api", dependencies=[Depends(readable)], max_body_size=MAX_BODY_BYTES)

    def chat_service():
        """The chat service with the configured reader (imported on the first question: the answer
        engine is not needed to serve the first page)."""
        from bot.service import configured_chat

        return configured_chat(components)

    def admit(body: AskRequest, request: Request) -> Session:
        if not body.question.split():
            raise HTTPException(400, "the question is empty")
        try:
            return sessions.admit(body.session_id, client_address(request))
        except UnknownSession as exc:
            raise HTTPException(404, str(exc)) from exc
        except QuotaExceeded as exc:
            raise HTTPException(429, str(exc)) from exc

    def ask_in(session: Session, question: str) -> Answer:
        try:
            answer = chat_service().ask(question, sessions.history(session))
        except ValueError as exc:  # the chat service's message for a question it cannot take
            raise HTTPException(400, str(exc)) from exc
        sessions.record(session, Turn(question=question, answer=answer))
        return answer

    @router.post("/sessions", response_model=SessionOut, tags=["chat"])
    def new_session(request: Request) -> SessionOut:
        """Start a conversation; the widget does this once and keeps the id for follow-ups."""
        session = sessions.new(client_address(request))
        return SessionOut(session_id=session.id, questions_left=sessions.session_quota)

    @router.post("/ask", response_model=AskResponse, response_model_exclude_none=True, tags=["chat"])
    def ask(body: AskRequest, request: Request) -> AskResponse:
        """Answer a question with numbered citations; `session_id` carries the conversation on."""
        session = admit(body, request)
        answer = ask_in(session, body.question)
        return AskResponse(**answer.public(), session_id=session.id)

    @router.post(
        "/ask/stream",
        tags=["chat"],
        response_class=StreamingResponse,
        responses={
            200: {
                "content": {"text/event-stream": {}},
                "description": "session, token..., [reset, token...], citations, done",
            }
        },
    )
    def ask_stream(body: AskRequest, request: Request) -> StreamingResponse:
        """Server-sent events: `session`, then `token` pieces of the answer, then `citations`, then `done`.

        With a reader model the tokens are the model's sentences, each sent once it is verified (whole,
        renumbered: never half a marker, never a claim taken back). If the model fails after some were
        sent, `reset` says to clear them, and the extractive answer follows. `citations` also carries
        `mode` and `fallback` when a model is configured."""
        session = admit(body, request)
        chat = chat_service()
        history = sessions.history(session)
        try:
            draft = chat.prepare(body.question, history)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from exc

        def events() -> Iterator[str]:
            yield _sse("session", {"session_id": session.id})
            answer = draft.extractive
            try:
                for event in chat.stream(draft):
                    if isinstance(event, Shown):
                        yield _sse("token", {"text": event.text})
                    elif isinstance(event, Finished):
                        answer = event.reply.answer
                        if event.retract:
                            yield _sse("reset", {"reason": answer.fallback})
                        for piece in answer_chunks(event.rest):
                            yield _sse("token", {"text": piece})
            finally:
                sessions.record(session, Turn(question=body.question, answer=answer))
            public = answer.public()
            yield _sse("citations", {k: v for k, v in public.items() if k != "answer"})
            yield _sse("done", {})

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @router.get("/articles", tags=["articles"])
    def list_articles() -> list[dict]:
        """The library, newest first: id, title, outlet, published, source, url, passages, ingested_at."""
        return [a.summary() for a in components.store.headers()]

    @router.get("/articles/{article_id}", tags=["articles"])
    def get_article(article_id: str) -> dict:
        """One article: its metadata, cleaned text (what citation offsets refer to) and meetings."""
        article = components.store.get_article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id}")
        return article.model_dump(mode="json")

    @router.post(
        "/articles",
        tags=["articles"],
        dependencies=[Depends(writable)],
        response_model=IngestResponse,
        max_body_size=MAX_UPLOAD_BYTES,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": PastedArticle.model_json_schema()},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                        }
                    },
                },
            }
        },
    )
    async def add_articles(request: Request, response: Response) -> IngestResponse:
        """Ingest pasted text (JSON) or uploaded files (multipart, field `files`): one result per article.

        201 when something was stored, 200 when all were duplicates, 422 when every input failed.
        """
        content_type = request.headers.get("content-type", "")
        ingest = components.ingest
        if content_type.startswith("application/json"):
            try:
                pasted = PastedArticle.model_validate(await request.json())
            except ValueError as exc:
                raise HTTPException(422, f"expected {{text, title?, source?}}: {exc}") from exc
            result = await run_in_threadpool(ingest.ingest_text, pasted.text, title=pasted.title, source=pasted.source)
            results = [result]
        elif content_type.startswith("multipart/form-data"):
            form = await request.form()
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            if not uploads:
                raise HTTPException(400, "no files in the upload; send them in the multipart field `files`")
            files = [(safe_filename(u.filename or "upload.txt"), await u.read()) for u in uploads]
            results = await run_in_threadpool(
                lambda: [r for name, data in files for r in ingest.ingest_bytes(data, name)]
            )
        else:
            raise HTTPException(415, "send JSON {text, title?} or multipart/form-data with `files`")
        statuses = {r.status for r in results}
        response.status_code = 201 if statuses & {"new", "updated"} else 422 if statuses == {"failed"} else 200
        return IngestResponse(results=results)

    @router.delete("/articles/{article_id}", tags=["articles"], dependencies=[Depends(writable)])
    def delete_article(article_id: str) -> dict:
        """Delete an article with its passages and briefing facts."""
        if not components.ingest.delete(article_id):
            raise HTTPException(404, f"no article with id {article_id}")
        return {"deleted": article_id}

    @router.get("/meetings", tags=["briefings"], response_model=None)
    def meetings(q: str | None = None, format: str = "json") -> Any:
        """Briefing cards, one per meeting; `q` filters by person or country; `format=markdown` for notes."""
        if format not in ("json", "markdown"):
            raise HTTPException(400, "format must be json or markdown")
        cards = build_cards(components.store.meetings())
        if q:
            cards = filter_cards(cards, q)
        if format == "markdown":
            return PlainTextResponse("\n".join(card_markdown(c) for c in cards), media_type="text/markdown")
        return [c.to_dict() for c in cards]

    return router


def safe_filename(name: str) -> str:
    """The base name of an uploaded file, without any path a client put in it."""
    base = Path(name.replace("\\", "/")).name.strip() or "upload.txt"
    return re.sub(r"[^\w.\- ]", "_", base)[:120]
