"""One typed settings tree, read from BRIEFBOT_* environment variables and overridden by CLI flags.

Defaults make a laptop work offline out of the box: an embedded Chroma store under the user's data
directory, the bundled MiniLM model, the server on loopback.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ingest.settings import INGEST_DEFAULTS


def default_store() -> Path:
    """Where the embedded store lives unless told otherwise: $XDG_DATA_HOME/briefbot/store."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "briefbot" / "store"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRIEFBOT_", extra="ignore")

    # Storage
    store: Path = Field(default_factory=default_store, description="Embedded Chroma store folder.")
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; overrides `store`.")
    collection_prefix: str = "briefbot"
    cache_dir: Path | None = Field(None, description="Lexical index cache in server mode (default: beside the store).")
    chroma_token: SecretStr | None = Field(
        None, description="Token for a Chroma server (or its proxy) that requires one."
    )
    chroma_token_header: str = Field(
        "X-Chroma-Token", description="Header the token is sent in; `Authorization` sends `Bearer <token>`."
    )

    # Models
    # The default is the int8 ONNX export of all-MiniLM-L6-v2: the same weights, cosine >= 0.98 to
    # sentence-transformers (tests/test_onnx_embeddings.py), the same answers on the gold sets, about
    # twice the embedding speed on a CPU, and no torch import on the question path (cold start).
    # `minilm` is sentence-transformers itself, the reference implementation.
    embedder: Literal["minilm-onnx", "minilm", "hash"] = Field(
        "minilm-onnx",
        description="`minilm-onnx`: int8 ONNX export of all-MiniLM-L6-v2; `minilm`: sentence-transformers; "
        "`hash`: the deterministic test fake.",
    )
    embed_batch_size: int = 64

    # An optional reader model that phrases the answer from the evidence the engine chose (bot/reader/).
    # `none` keeps the offline extractive answerer, which is also the fallback whenever the model fails.
    llm: str = Field(
        "none",
        description="`none` | `openai:MODEL` | `ollama:MODEL` | `local:PATH.gguf` (see docs/llm.md).",
    )
    llm_base_url: str | None = Field(None, description="An OpenAI-compatible or Ollama server's base URL.")
    llm_api_key: SecretStr | None = Field(None, description="API key for `openai:` servers that need one.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for the model before answering without it.")
    llm_max_tokens: int = Field(300, ge=16, description="Most tokens the model may write for one answer.")

    # Retrieval
    retrieve_k: int = 12

    # Server
    host: str = "127.0.0.1"
    port: int = 7860
    embed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_token: str | None = None
    session_quota: int = 50
    daily_quota: int = 1000
    client_quota: int = Field(200, description="Questions per UTC day from one address (an IPv6 /64).")
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names the server answers to besides loopback and `host` (`*.example.org`, `*` for any).",
    )
    public_url: str | None = Field(
        None, description="scheme://host[:port] the browser reaches this server at behind a reverse proxy."
    )

    # Ingestion
    allow_private_urls: bool = INGEST_DEFAULTS.allow_private_urls
    max_fetch_bytes: int = INGEST_DEFAULTS.max_fetch_bytes
    fetch_timeout: float = INGEST_DEFAULTS.fetch_timeout
    ui_concurrency: int = Field(
        8, ge=1, description="Questions the chat UI answers at once (Gradio's concurrency limit)."
    )
    ingest_batch_size: int = Field(
        INGEST_DEFAULTS.ingest_batch_size, ge=1, description="Articles embedded and written together in one commit."
    )
    ingest_nice: int = Field(
        19,
        ge=0,
        le=19,
        description=(
            "CPU niceness `briefbot ingest` runs at. A batch ingest is background work: niced, it only yields"
            " the CPU when questions are being answered on the same machine, and runs at full speed otherwise."
            " 0 keeps normal priority."
        ),
    )

    @field_validator("llm")
    @classmethod
    def _llm_spec(cls, value: str) -> str:
        """Fail at start-up, with the accepted forms, rather than on the first question."""
        from bot.reader.spec import parse_spec

        return parse_spec(value).text

    @field_validator("llm_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("llm_base_url must look like http://host:port/v1")
        return value.strip().rstrip("/")

    @field_validator("embed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        """Only the origin counts (what a browser sends as `Origin`); a path would never match."""
        if not value or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("public_url must look like https://briefs.example.org")
        return f"{parts.scheme}://{parts.netloc.lower()}"

    @property
    def lexical_dir(self) -> Path:
        """The BM25 index is a cache of the store, so it lives beside it (or in cache_dir for a server)."""
        if self.cache_dir:
            return self.cache_dir / self.collection_prefix
        if self.chroma_url:
            safe = "".join(c if c.isalnum() else "_" for c in self.chroma_url)
            return Path.home() / ".cache" / "briefbot" / safe / self.collection_prefix
        return self.store / "lexical" / self.collection_prefix


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
