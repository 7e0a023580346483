"""One ASGI app for every web surface: FastAPI hosts the JSON API (/api, OpenAPI at /docs), the
embeddable widget (/embed) and the Gradio UI (mounted at /).

Embedding is deny by default: the CORS policy and the `frame-ancestors` of /embed/chat both
come from BRIEFBOT_EMBED_ORIGINS, and every other page may be framed only by this server itself.
Every request must name this server in its Host header (`bot.surfaces.access.trusted_hosts`), which is what
keeps a DNS-rebinding page from passing itself off as a local one.
Gradio is imported only when the UI is built, and the embedding model only on the first question,
so the first page is served within seconds of start.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.surfaces.access import trusted_hosts
from bot.surfaces.api import create_api
from bot.surfaces.sessions import SessionStore
from vectorstore.errors import StoreError, StoreUnavailable

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"


def frame_ancestors(origins: list[str]) -> str:
    return " ".join(["'self'", *origins])


STARTING_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="1"><title>Briefbot</title></head>
<body style="font-family:system-ui,sans-serif;margin:3em"><h1>Briefbot</h1>
<p>The chat is starting; this page opens it in a moment. The API is already up at <a href="/docs">/docs</a>.</p>
</body></html>"""


def create_app(components: Any, *, with_ui: bool = True, defer_ui: bool = False) -> FastAPI:
    """The whole web app over one `Components`.

    `with_ui=False` leaves Gradio out (API-only use and tests). `defer_ui=True` serves the API,
    the widget and a self-refreshing "starting" page at once and mounts the Gradio UI as soon as
    it is built in the background: importing Gradio alone takes seconds, and the server should
    answer its first page sooner than that.
    """
    settings = components.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.ui_state == "pending":
            loop = asyncio.get_running_loop()
            threading.Thread(target=_build_ui_later, args=(app, components, loop), daemon=True).start()
        yield

    app = FastAPI(
        title="Briefbot API",
        summary="Cited answers about diplomatic meetings in the ingested news articles.",
        version="0.1.0",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ui_state = "none"
    sessions = SessionStore(settings.session_quota, settings.daily_quota, client_quota=settings.client_quota)
    app.state.components = components
    app.state.sessions = sessions

    # The browser enforces this for pages on other sites; bot.surfaces.api also refuses them server-side.
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

    # Added last, so it runs first: a request for another host name gets a 400 and nothing else.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(settings), www_redirect=False)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 with one readable sentence per problem (and the structured list for tools); a body that
        is not JSON where JSON is expected is 415. The errors echo no raw body bytes."""
        content_type = request.headers.get("content-type", "")
        if request.method == "POST" and request.url.path.startswith("/api/ask") and "json" not in content_type:
            return JSONResponse(status_code=415, content={"detail": "send the question as application/json"})
        problems = [
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body') or 'body'}: {err.get('msg')}"
            for err in exc.errors()
        ]
        errors = jsonable_encoder(exc.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")})
        return JSONResponse(status_code=422, content={"detail": "; ".join(problems), "errors": errors})

    @app.exception_handler(StoreError)
    async def store_failure(request: Request, exc: StoreError) -> JSONResponse:
        """The store cannot serve now (Chroma server down, disk full, token refused): say so."""
        headers = {"Retry-After": "5"} if isinstance(exc, StoreUnavailable) else None
        return JSONResponse(status_code=503, content={"detail": str(exc)}, headers=headers)

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
        """`ui` is none (API only), pending (being built), ready, or failed; `answers` is `extractive`
        or the reader model's spec (`openai:MODEL`, ...)."""
        return {"ok": True, "ui": app.state.ui_state, "answers": answering_mode(settings)}

    if with_ui and defer_ui:

        async def starting(request: Request) -> HTMLResponse:
            return HTMLResponse(STARTING_PAGE, headers={"Cache-Control": "no-store"})

        app.state.starting_route = Route("/", starting, methods=["GET"])
        app.router.routes.append(app.state.starting_route)
        app.state.ui_state = "pending"
    elif with_ui:
        mount_ui(app, components, sessions)
        app.state.ui_state = "ready"
    return app


def answering_mode(settings: Any) -> str:
    """Which mode answers, without loading any model library (the spec is only parsed)."""
    from bot.reader.spec import parse_spec

    spec = parse_spec(settings.llm)
    return spec.label if spec.configured else "extractive"


def mount_ui(app: FastAPI, components: Any, sessions: SessionStore) -> Any:
    """Build the Gradio Blocks and mount them at /; returns the mounted Gradio app."""
    import gradio as gr

    from bot.surfaces.ui import UI_CSS, UI_HEAD, build_ui

    settings = components.settings
    gr.mount_gradio_app(
        app,
        build_ui(components, sessions),
        path="/",
        server_name=settings.host,
        server_port=settings.port,
        footer_links=["api"],
        ssr_mode=False,
        max_file_size="20mb",
        css=UI_CSS,
        head=UI_HEAD,
        theme=gr.themes.Soft(),
    )
    return cast(Any, app.router.routes[-1]).app  # the Gradio app just mounted


def _build_ui_later(app: FastAPI, components: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Background half of `defer_ui`: build and mount off the event loop, then start Gradio on it.

    The mounted app sits behind the "starting" route until its queue runs; removing that route
    is the switch that shows the UI.
    """
    try:
        gradio_app = mount_ui(app, components, app.state.sessions)
        asyncio.run_coroutine_threadsafe(_start_ui(app, gradio_app), loop).result()
    except Exception:
        log.exception("the chat UI failed to start; the API and the widget keep running")
        app.state.ui_state = "failed"


async def _start_ui(app: FastAPI, gradio_app: Any) -> None:
    """What `gr.mount_gradio_app`'s lifespan does at start-up, for an app mounted after it."""
    context = gradio_app.router.lifespan_context(gradio_app)
    await context.__aenter__()
    app.state.ui_lifespan = context  # kept open for the life of the process
    blocks = gradio_app.get_blocks()
    blocks.run_startup_events()
    await blocks.run_extra_startup_events()
    app.router.routes.remove(app.state.starting_route)
    app.state.ui_state = "ready"


def ingest_samples_if_empty(components: Any, samples: Path = SAMPLES) -> None:
    """First run: fill an empty store with the bundled sample articles, so there is something to ask."""
    if components.store.headers():
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
    app = create_app(components, defer_ui=True)
    base = f"http://{settings.host}:{settings.port}"
    print(
        f"Briefbot on {base}/  (API docs {base}/docs, widget {base}/embed/widget.js)\n"
        f"Embedding allowed from: {', '.join(settings.embed_origins) or 'no other site (set BRIEFBOT_EMBED_ORIGINS)'}\n"
        f"Answering to host names: {', '.join(trusted_hosts(settings))} (add others with BRIEFBOT_ALLOWED_HOSTS)\n"
        f"Answers: {answering_mode(settings)} (set BRIEFBOT_LLM or --llm for a reader model; docs/llm.md)",
        flush=True,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
