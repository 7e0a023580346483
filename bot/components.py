"""Builds the components once per process and hands them to the services (PrivateGPT's layering).

Nothing here imports the embedding model: `embeddings` is a lazy LangChain `Embeddings`, so the
server and the read-only CLI commands start without paying for torch.
"""

from __future__ import annotations

from functools import cached_property

from langchain_core.embeddings import Embeddings

from bot.settings import Settings, get_settings
from vectorstore.embeddings import get_embeddings
from vectorstore.lexical import LexicalIndex
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ArticleStore


class Components:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @cached_property
    def embeddings(self) -> Embeddings:
        return get_embeddings(self.settings.embedder, self.settings.embed_batch_size)

    @cached_property
    def store(self) -> ArticleStore:
        return ArticleStore.open(self.settings)

    @cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex(self.store, self.settings.lexical_dir)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(
            store=self.store, lexical=self.lexical, embeddings=self.embeddings, k=self.settings.retrieve_k
        )

    @cached_property
    def ingest(self):
        from ingest.service import IngestService

        lock = None if self.settings.chroma_url else self.settings.store / ".write.lock"
        return IngestService(self.store, self.lexical, self.embeddings, lock_path=lock, settings=self.settings)

    @cached_property
    def chat(self):
        from bot.service import ChatService

        return ChatService(self.store, self.retriever, self.embeddings)
