"""The LangChain chat model for a `BRIEFBOT_LLM` spec; the only module that imports a model library.

Every import happens inside `chat_model`, so with `none` (the default) no LLM library is loaded.
`local:` starts llama.cpp in this process (xllamacpp, prebuilt wheels) and talks to it through the
same OpenAI-compatible client as `openai:`: one code path for requests, streaming, timeouts and
errors. Its listener is bound to loopback and needs a random key, so other programs on the machine
(or a web page, through the browser) cannot use it.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel

from bot.reader.spec import LLMSpec, parse_spec
from bot.settings import Settings

INSTALL_HINT = {
    "openai": "pip install 'briefbot[llm]' (langchain-openai)",
    "ollama": "pip install 'briefbot[llm]' (langchain-ollama)",
    "local": "pip install 'briefbot[local-llm]' (xllamacpp, langchain-openai)",
}
LOCAL_CONTEXT = 4096


class ModelUnavailable(RuntimeError):
    """The configured model cannot be used at all (a missing package or file): said once, as the fallback."""


def chat_model(settings: Settings) -> BaseChatModel:
    """A chat model that answers deterministically (temperature 0), never retries (the extractive answer
    is the fallback, and a retry would double the wait) and gives up after `llm_timeout` seconds."""
    spec = parse_spec(settings.llm)
    if not spec.configured:
        raise ModelUnavailable("no model is configured")
    try:
        if spec.provider == "openai":
            return _openai(spec.model, settings.llm_base_url, _key(settings), settings)
        if spec.provider == "ollama":
            return _ollama(spec, settings)
        server = local_server(spec.model)
        return _openai(Path(spec.model).stem, server.base_url, server.key, settings)
    except ImportError as exc:
        raise ModelUnavailable(f"{exc.name or exc} is not installed: {INSTALL_HINT[spec.provider]}") from exc


def _key(settings: Settings) -> str:
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    # OpenAI's client refuses to start without a key; local OpenAI-compatible servers need none.
    return os.environ.get("OPENAI_API_KEY") or "not-needed"


def _openai(model: str, base_url: str | None, key: str, settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    # model, base_url, api_key and timeout are pydantic aliases of ChatOpenAI's fields, which mypy's
    # pydantic plugin does not see.
    return ChatOpenAI(  # type: ignore[call-arg]
        model=model,
        base_url=base_url,
        api_key=key,
        temperature=0,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=0,
    )


def _ollama(spec: LLMSpec, settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=spec.model,
        base_url=settings.llm_base_url,
        temperature=0,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout},
    )


class LocalServer:
    """llama.cpp serving one GGUF file inside this process, on a loopback port, behind a random key."""

    def __init__(self, path: Path) -> None:
        import xllamacpp

        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = LOCAL_CONTEXT
        params.n_parallel = 1
        threads = max(1, os.cpu_count() or 1)
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.verbosity = -1
        self.key = secrets.token_urlsafe(24)
        params.api_keys = [self.key]
        self._server: Any = xllamacpp.Server(params)  # loads the model; kept for the life of the process
        address = self._server.listening_address
        if not address.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
            raise ModelUnavailable(f"the local model server listens on {address}, not on loopback")
        self.base_url = address.rstrip("/") + "/v1"


_servers: dict[Path, LocalServer] = {}
_servers_lock = threading.Lock()


def local_server(path_text: str) -> LocalServer:
    """One server per GGUF file per process (loading takes seconds and a gigabyte of memory)."""
    path = Path(path_text).expanduser().resolve()
    if not path.is_file():
        raise ModelUnavailable(f"no model file at {path} (scripts/fetch_local_model.py fetches one)")
    with _servers_lock:
        if path not in _servers:
            _servers[path] = LocalServer(path)
        return _servers[path]
