"""The JSON API under /api: ask (whole or streamed), the article library, the briefing cards.

Routes only translate HTTP to the services (`ChatService`, `IngestService`, the store) and back.
Who may call what is decided here, deny by default:
- reads (ask, list, show, meetings) from no browser origin (tools, curl), this server's own pages,
  or an origin in BRIEFBOT_EMBED_ORIGINS; other sites get 403 (CORS blocks them in the browser too);
- writes (ingest, delete) never from another site's page (the widget is read-only); with an admin
  token configured they need `Authorization: Bearer <token>`, without one only loopback may write.
Quotas and session ids come from `bot.sessions`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse
from pydantic import BaseModel, Field

from bot.briefing_cards import build_cards, card_markdown, filter_cards
from bot.models import Answer, Turn
from bot.sessions import QuotaExceeded, Session, SessionStore, UnknownSession
from bot.settings import Settings

log = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_QUESTION_CHARS = 1000
MAX_PASTED_CHARS = 2_000_000


# -- access rules ----------------------------------------------------------------------------


def own_origin(request: Request) -> str:
    """The origin this server is reached at, as the browser sees it (scheme://host[:port])."""
    return f"{request.url.scheme}://{request.headers.get('host', '')}".rstrip("/")


def origin_denial(request: Request, settings: Settings) -> str | None:
    """Why a browser page may not read from the API, or None when it may."""
    origin = request.headers.get("origin")
    if origin is None or origin.rstrip("/") == own_origin(request):
        return None
    if origin.rstrip("/") in settings.embed_origins:
        return None
    return f"origin {origin} may not use this API; the operator can add it to BRIEFBOT_EMBED_ORIGINS"


def direct_client(client_host: str | None, headers: Any) -> str | None:
    """The peer's address, or None when a proxy relayed the request.

    Behind a reverse proxy on this machine every request comes from loopback; a forwarding
    header means the real client is elsewhere, so it must not count as local.
    """
    if headers.get("x-forwarded-for") or headers.get("forwarded") or headers.get("x-real-ip"):
        return None
    return client_host


def write_denial(client_host: str | None, authorization: str | None, settings: Settings) -> str | None:
    """Why a write (ingest, delete) is refused, or None when it is allowed.

    Shared by the API and the UI's Articles tab, so both surfaces apply the same rule.
    """
    if settings.admin_token:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(token.strip(), settings.admin_token):
            return None
        return "this needs the admin token (Authorization: Bearer <BRIEFBOT_ADMIN_TOKEN>)"
    if client_host in LOOPBACK:
        return None
    return "writes are allowed only from this machine unless BRIEFBOT_ADMIN_TOKEN is set"


# -- shapes -----------------------------------------------------------------------------------


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, examples=["Who met in Munich?"])
    session_id: str | None = Field(None, description="From a previous answer; omit to start a conversation.")


class CitationOut(BaseModel):
    n: int
    article_id: str
    title: str
    source: str
    text: str
    start: int
    end: int


class AskResponse(BaseModel):
    answer: str
    abstained: bool
    citations: list[CitationOut]
    session_id: str


class SessionOut(BaseModel):
    session_id: str
    questions_left: int


class PastedArticle(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_PASTED_CHARS)
    title: str | None = Field(None, max_length=500)
    source: str = Field("pasted text", max_length=500)


class IngestOut(BaseModel):
    source: str
    status: str
    article_id: str | None = None
    title: str | None = None
    passages: int = 0
    reason: str | None = None


class IngestResponse(BaseModel):
    results: list[IngestOut]


def answer_chunks(text: str, words_per_chunk: int = 3) -> Iterator[str]:
    """The composed answer in small pieces for streaming, split only at whitespace.

    A marker such as "[12]" holds no whitespace, so a client never sees half of one (the bug
    streaming citation processors exist to prevent).
    """
    tokens = re.findall(r"\s*\S+", text)
    for i in range(0, len(tokens), words_per_chunk):
        yield "".join(tokens[i : i + words_per_chunk])


def answer_json_for(answer: Answer) -> dict:
    """An answer in the CLI's JSON shape (`briefbot ask --json`)."""
    return {"answer": answer.answer, "abstained": answer.abstained, "citations": [c.public() for c in answer.citations]}


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


# -- routes -----------------------------------------------------------------------------------


def create_api(components: Any, sessions: SessionStore) -> APIRouter:
    """The /api router over one process's components (services, store) and session store."""
    settings: Settings = components.settings

    def readable(request: Request) -> None:
        denial = origin_denial(request, settings)
        if denial:
            raise HTTPException(403, denial)

    def writable(request: Request) -> None:
        origin = request.headers.get("origin")
        if origin is not None and origin.rstrip("/") != own_origin(request):
            raise HTTPException(403, "other sites may not change the library (the embedded chat is read-only)")
        peer = direct_client(request.client.host if request.client else None, request.headers)
        denial = write_denial(peer, request.headers.get("authorization"), settings)
        if denial:
            status = 401 if settings.admin_token else 403
            headers = {"WWW-Authenticate": "Bearer"} if settings.admin_token else None
            raise HTTPException(status, denial, headers=headers)

    router = APIRouter(prefix="/api", dependencies=[Depends(readable)])

    def session_for(session_id: str | None) -> Session:
        try:
            session = sessions.get_or_new(session_id)
            sessions.charge(session)
        except UnknownSession as exc:
            raise HTTPException(404, str(exc)) from exc
        except QuotaExceeded as exc:
            raise HTTPException(429, str(exc)) from exc
        return session

    def ask_in(session: Session, question: str) -> Answer:
        try:
            answer = components.chat.ask(question, sessions.history(session))
        except ValueError as exc:  # the chat service's message for a question it cannot take
            raise HTTPException(400, str(exc)) from exc
        sessions.record(session, Turn(question=question, answer=answer))
        return answer

    @router.post("/sessions", response_model=SessionOut, tags=["chat"])
    def new_session() -> SessionOut:
        """Start a conversation; the widget does this once and keeps the id for follow-ups."""
        session = sessions.new()
        return SessionOut(session_id=session.id, questions_left=sessions.session_quota)

    @router.post("/ask", response_model=AskResponse, tags=["chat"])
    def ask(body: AskRequest) -> AskResponse:
        """Answer a question with numbered citations; `session_id` carries the conversation on."""
        session = session_for(body.session_id)
        answer = ask_in(session, body.question)
        return AskResponse(
            answer=answer.answer,
            abstained=answer.abstained,
            citations=[CitationOut(**c.public()) for c in answer.citations],
            session_id=session.id,
        )

    @router.post(
        "/ask/stream",
        tags=["chat"],
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}, "description": "session, token..., citations, done"}},
    )
    def ask_stream(body: AskRequest) -> StreamingResponse:
        """Server-sent events: `session`, then `token` pieces of the answer, then `citations`, then `done`."""
        session = session_for(body.session_id)
        answer = ask_in(session, body.question)

        def events() -> Iterator[str]:
            yield _sse("session", {"session_id": session.id})
            for piece in answer_chunks(answer.answer):
                yield _sse("token", {"text": piece})
            citations = [c.public() for c in answer.citations]
            yield _sse("citations", {"citations": citations, "abstained": answer.abstained})
            yield _sse("done", {})

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @router.get("/articles", tags=["articles"])
    def list_articles() -> list[dict]:
        """The library, newest first: id, title, outlet, published, source, url, passages, ingested_at."""
        return [a.summary() for a in components.store.list_articles()]

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
        if content_type.startswith("application/json"):
            try:
                pasted = PastedArticle.model_validate(await request.json())
            except ValueError as exc:
                raise HTTPException(422, f"expected {{text, title?, source?}}: {exc}") from exc
            results = await _run(ingest_pasted, components, pasted)
        elif content_type.startswith("multipart/form-data"):
            form = await request.form()
            uploads = [f for f in form.getlist("files") if hasattr(f, "filename")]
            if not uploads:
                raise HTTPException(400, "no files in the upload; send them in the multipart field `files`")
            files = [(safe_filename(u.filename or "upload.txt"), await u.read()) for u in uploads]
            results = await _run(ingest_uploads, components, files)
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


async def _run(fn: Any, *args: Any) -> Any:
    """Blocking service work (embedding, storing) off the event loop."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(fn, *args)


def safe_filename(name: str) -> str:
    """The base name of an uploaded file, without any path a client put in it."""
    base = Path(name.replace("\\", "/")).name.strip() or "upload.txt"
    return re.sub(r"[^\w.\- ]", "_", base)[:120]


def public_result(result: Any) -> IngestOut:
    """An IngestResult as the API and the UI show it."""
    return IngestOut(
        source=result.source,
        status=result.status,
        article_id=result.article_id,
        title=result.title,
        passages=result.passages,
        reason=result.reason,
    )


def ingest_uploads(components: Any, files: list[tuple[str, bytes]]) -> list[IngestOut]:
    """Uploaded files (any supported format, zips of them): one result per article or failed file."""
    results: list[IngestOut] = []
    for name, data in files:
        results += [public_result(r) for r in components.ingest.ingest_bytes(data, name)]
    return results


def ingest_pasted(components: Any, pasted: PastedArticle) -> list[IngestOut]:
    """One pasted article through the ingest service."""
    return [public_result(components.ingest.ingest_text(pasted.text, title=pasted.title, source=pasted.source))]
