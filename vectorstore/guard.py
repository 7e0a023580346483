"""Chroma calls that fail as `StoreUnavailable` or `StoreFull` rather than as whatever the client raised.

Every collection the store uses is wrapped once (`Guard.collection`), so no call site has to know
that an HttpClient raises `httpx.ConnectError` when the server is down, or that the embedded store
says "Failed to apply logs" when the disk is full. The wrapped client itself needs no reconnecting:
Chroma's HttpClient opens new connections per request, so the same objects work again as soon as
the server is back, which is what lets a running Briefbot recover without a restart.

Reads of the embedded store are tried again, briefly, when they meet another process's write half
done (see `_TORN_READ`): the store is shared by a server answering and a CLI ingesting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from chromadb.errors import ChromaError

from vectorstore.errors import (
    StoreError,
    StoreFull,
    StoreRefused,
    StoreUnavailable,
    full_message,
    is_disk_full,
    is_unreachable,
    refused_message,
    refused_status,
    unavailable_message,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

_CALLS = frozenset({"add", "upsert", "update", "delete", "get", "query", "count", "peek", "modify"})
_READS = frozenset({"get", "query", "count", "peek"})
# Chroma's embedded store keeps its vector index in files another process rewrites while it writes;
# a reader that loads them at that moment fails once ("Error deserializing pickle file: ... EOF",
# "Failed to apply logs to the hnsw segment writer", both seen while `briefbot ingest` ran beside a
# busy server). Reading again a moment later works.
_TORN_READ = ("pickle", "hnsw segment", "error loading hnsw index", "backfill", "apply logs", "database is locked")
READ_RETRIES = (0.05, 0.2, 0.5)  # seconds before each further try


@dataclass(frozen=True)
class Guard:
    """Where the store lives, to name it in messages: a server URL or an embedded store's folder."""

    url: str | None = None
    path: Path | None = None

    def translate(self, exc: BaseException) -> StoreError | None:
        if isinstance(exc, StoreError):
            return exc
        status = refused_status(exc) if self.url else None
        if status:
            return StoreRefused(refused_message(self.url, status))
        if self.url and is_unreachable(exc):
            return StoreUnavailable(unavailable_message(self.url, exc))
        # A Chroma or OS error with the disk (nearly) full: Chroma's own message names no cause.
        if isinstance(exc, ChromaError | OSError) and is_disk_full(exc, self.path):
            return StoreFull(full_message("the store could not write", self.path))
        return None

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            translated = self.translate(exc)
            if translated is None or translated is exc:
                raise
            raise translated from exc

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`call` for a read, tried again after a torn read of the embedded store's files."""
        for pause in READ_RETRIES:
            try:
                return self.call(fn, *args, **kwargs)
            except ChromaError as exc:
                if self.url or not any(marker in str(exc).casefold() for marker in _TORN_READ):
                    raise
                log.info("a read of the store met a write in progress (%s); reading again", exc)
                time.sleep(pause)
        return self.call(fn, *args, **kwargs)

    def collection(self, collection: Any) -> GuardedCollection:
        return GuardedCollection(collection, self)


class GuardedCollection:
    """A Chroma collection whose reads and writes go through `Guard.call`; anything else passes."""

    def __init__(self, collection: Any, guard: Guard) -> None:
        self._collection = collection
        self._guard = guard

    @property
    def unguarded(self) -> Any:
        return self._collection

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._collection, name)
        if name in _CALLS and callable(value):
            run = self._guard.read if name in _READS else self._guard.call

            def guarded(*args: Any, **kwargs: Any) -> Any:
                return run(value, *args, **kwargs)

            return guarded
        return value
