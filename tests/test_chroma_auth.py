"""A Chroma server that wants a token: Briefbot sends the one from its settings, and says clearly
when it is refused.

`chroma run` in chromadb 1.5.9 checks no credentials (its Rust frontend is started with an
authenticator that allows everything, and the CHROMA_SERVER_AUTHN_* settings of the 0.x Python
server are not read), so the first test shows that, and the others put the usual remedy in front of
it: a reverse proxy that refuses requests without the token (what the Chroma docs suggest with
Envoy), here a small ASGI proxy on loopback.

The token comes from `Settings.chroma_token` (`BRIEFBOT_CHROMA_TOKEN`) and its header from
`Settings.chroma_token_header`; the tests give those fields through a subclass of the settings.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.components import Components
from bot.settings import Settings
from tests.chroma_process import ChromaProcess, free_port
from tests.test_faults import write_articles
from vectorstore.errors import StoreRefused

TOKEN = "chroma-proxy-token"


class TokenSettings(Settings):
    chroma_token: SecretStr | None = None
    chroma_token_header: str = "X-Chroma-Token"


def token_proxy(upstream: str, header: str, expected: str, seen: list[str]) -> Starlette:
    """Forward every request to `upstream` if it carries the token; 401 otherwise."""

    async def forward(request: Request) -> Response:
        given = request.headers.get(header, "")
        seen.append(given)
        if given != expected:
            return JSONResponse({"error": "Unauthorized", "message": "token required"}, status_code=401)
        async with httpx.AsyncClient(base_url=upstream, timeout=30) as client:
            upstream_response = await client.request(
                request.method,
                request.url.path,
                params=request.query_params,
                content=await request.body(),
                headers={k: v for k, v in request.headers.items() if k.lower() not in ("host", header.lower())},
            )
        return Response(
            upstream_response.content,
            status_code=upstream_response.status_code,
            headers={"content-type": upstream_response.headers.get("content-type", "application/json")},
        )

    return Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])])


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaProcess(tmp_path_factory.mktemp("chroma")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(chroma):
    """(url, the tokens it saw) for a proxy checking `X-Chroma-Token` in front of the server."""
    seen: list[str] = []
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            token_proxy(chroma.url, "X-Chroma-Token", TOKEN, seen), host="127.0.0.1", port=port, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the proxy did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", seen
    server.should_exit = True
    thread.join(timeout=10)


def settings_for(url: str, tmp_path, token: str | None, header: str = "X-Chroma-Token") -> TokenSettings:
    return TokenSettings(
        chroma_url=url,
        store=tmp_path / "unused",
        cache_dir=tmp_path / "lexical",
        embedder="hash",
        chroma_token=SecretStr(token) if token else None,
        chroma_token_header=header,
    )


def test_chroma_run_itself_checks_no_token(chroma):
    """What the proxy is for: the server answers a client that sends nothing."""
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=chroma.port)
    assert client.get_or_create_collection("open_to_anyone", embedding_function=None).count() == 0


def test_the_token_from_the_settings_reaches_the_server_and_everything_works(proxy, tmp_path):
    url, seen = proxy
    components = Components(settings_for(url, tmp_path, TOKEN))
    results = list(components.ingest.ingest_paths(write_articles(tmp_path / "articles", 3)))
    assert {r.status for r in results} == {"new"}
    answer = components.chat.ask("What did Number1 urge the envoy to cut?")
    assert not answer.abstained and "tariff" in answer.answer
    assert seen and set(seen) == {TOKEN}  # every request carried it


def test_no_token_or_a_wrong_one_is_a_clear_refusal(proxy, tmp_path):
    url, _ = proxy
    for token in (None, "not-the-token"):
        with pytest.raises(StoreRefused, match="refused Briefbot's credentials"):
            Components(settings_for(url, tmp_path, token)).store.list_articles()


def test_a_bearer_token_goes_in_the_authorization_header(tmp_path):
    from vectorstore.store import auth_headers

    settings = settings_for("http://127.0.0.1:1", tmp_path, TOKEN, header="Authorization")
    assert auth_headers(settings) == {"Authorization": f"Bearer {TOKEN}"}
    assert auth_headers(settings_for("http://127.0.0.1:1", tmp_path, None)) == {}
