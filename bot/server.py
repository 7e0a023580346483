"""One ASGI app for every web surface: FastAPI hosts the JSON API (/api, OpenAPI at /docs), the
embeddable widget (/embed) and the Gradio UI (mounted at /).

Embedding is deny by default: the CORS policy and the `frame-ancestors` of /embed/chat both
come from BRIEFBOT_EMBED_ORIGINS, and every other page may be framed only by this server itself.
Gradio is imported only when the UI is built, and the embedding model only on the first question,
so the first page is served within seconds of start.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response

from bot.api import create_api
from bot.sessions import SessionStore

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def frame_ancestors(origins: list[str]) -> str:
    return " ".join(["'self'", *origins])


def create_app(components: Any, *, with_ui: bool = True) -> FastAPI:
    """The whole web app over one `Components`; `with_ui=False` leaves Gradio out (API-only tests)."""
    settings = components.settings
    app = FastAPI(
        title="Briefbot API",
        summary="Cited answers about diplomatic meetings in the ingested news articles.",
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
    )
    sessions = SessionStore(settings.session_quota, settings.daily_quota)
    app.state.components = components
    app.state.sessions = sessions

    # The browser enforces this for pages on other sites; bot.api also refuses them server-side.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.embed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        max_age=600,
    )

    embed_policy = (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"frame-ancestors {frame_ancestors(settings.embed_origins)}"
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        if request.url.path == "/embed/chat":
            response.headers["Content-Security-Policy"] = embed_policy
        elif "content-security-policy" not in response.headers:
            response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 with one readable sentence per problem (and the structured list for tools)."""
        problems = [
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body') or 'body'}: {err.get('msg')}"
            for err in exc.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": "; ".join(problems), "errors": exc.errors()})

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> JSONResponse:
        """An unexpected error is logged here and shown as a short message, never a stack trace."""
        log.exception("error serving %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; the server log has the details"})

    app.include_router(create_api(components, sessions))

    @app.get("/embed/widget.js", include_in_schema=False)
    def widget_js() -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    @app.get("/embed/chat", include_in_schema=False)
    def embed_chat() -> FileResponse:
        return FileResponse(STATIC / "chat.html", media_type="text/html", headers={"Cache-Control": "no-cache"})

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict:
        return {"ok": True}

    if with_ui:
        import gradio as gr

        from bot.ui import UI_CSS, build_ui

        blocks = build_ui(components)
        app = gr.mount_gradio_app(
            app,
            blocks,
            path="/",
            server_name=settings.host,
            server_port=settings.port,
            footer_links=["api"],
            ssr_mode=False,
            max_file_size="20mb",
            css=UI_CSS,
            theme=gr.themes.Soft(),
        )
    return app


def ingest_samples_if_empty(components: Any, samples: Path = SAMPLES) -> None:
    """First run: fill an empty store with the bundled sample articles, so there is something to ask."""
    if components.store.list_articles():
        return
    if (samples / "articles").is_dir():
        samples = samples / "articles"  # samples/ also holds notes (sources, example questions)
    if not samples.is_dir():
        print(f"No samples folder at {samples}; starting with an empty library.", flush=True)
        return
    print(f"The library is empty: ingesting {samples} ...", flush=True)
    for result in components.ingest.ingest_paths([samples]):
        print("  " + result.line(), flush=True)


def serve(components: Any, ingest_samples: bool = False) -> None:
    """Run the web app with uvicorn on settings.host:settings.port until interrupted."""
    import uvicorn

    settings = components.settings
    if ingest_samples:
        ingest_samples_if_empty(components)
    app = create_app(components)
    base = f"http://{settings.host}:{settings.port}"
    print(
        f"Briefbot on {base}/  (API docs {base}/docs, widget {base}/embed/widget.js)\n"
        f"Embedding allowed from: {', '.join(settings.embed_origins) or 'no other site (set BRIEFBOT_EMBED_ORIGINS)'}",
        flush=True,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
