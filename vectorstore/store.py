"""The article store: Chroma holds everything, embedded on disk or on a Chroma server.

Four collections:
- `<prefix>_passages`: one record per passage, with its embedding and (in a metadata field) its
  text; what dense search reads.
- `<prefix>_sentences`: one record per article: every sentence's embedding, packed
  (`vectorstore.sentence_vectors`) into a metadata field, which the answer engine reads for the few
  articles a question is about. Kept apart from the article records so that listing articles never
  reads them.
- `<prefix>_articles`: one record per article: the cleaned text, its metadata and the extracted
  briefing facts (JSON). The article record is written *last*: it is the commit mark. Passages of
  an article without a record are invisible to every reader.
- `<prefix>_meta`: pending-write markers and the store's generation token.

Article and sentence records are read by id only, so their vector is one placeholder number
(`_PLACEHOLDER`), except in a store first written with mean vectors there, which keeps them.

Chroma has no multi-collection transaction, so "whole article or nothing" is built from that
order: mark pending -> write passages and sentence vectors -> write the article record -> delete the
versions it replaces -> new generation token -> clear the mark. A process killed anywhere in between
leaves at most invisible passages (or a replaced version not yet removed), which the next writer
finishes via the pending mark. Every change sets a new generation token, which the lexical index and
the readers' caches compare against to know when they are stale, even across processes; the writing
process also records what each of its writes added and removed (`changes_between`), so its own
caches take just that change instead of reading the whole store again.

The embedded store is one folder that several processes may open (the UI answering while the CLI
ingests). Chroma's embedded client keeps its vector index in memory and does not see vectors
another process added, so a reader that notices a generation it did not write opens a fresh client
before its dense search, outside the store's lock, and swaps it in (`_sync_vectors`). Writers are
serialised by the ingest service's file lock (embedded) or write lease (`vectorstore.lease`, on a
Chroma server). Within a process, every Chroma call holds the store's lock, so a swap never pulls a
client from under a reader thread (the server answers on a thread pool). The generation token is
read at most every `GENERATION_TTL` seconds, under a lock of its own: a question costs one round
trip for it, not one per lookup, and another process's write is seen a fraction of a second later.
Failures a user can act on (a Chroma server that does not answer, a full disk) come out as
`vectorstore.errors.StoreError`s (`vectorstore.guard`).

The `_meta` collection also remembers which feed entries have been ingested, so the memory lives
with the store (embedded or server) rather than in a side file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from typing import Generic, TypeVar
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from filelock import FileLock

from vectorstore.errors import StoreError
from vectorstore.guard import Guard, GuardedCollection
from vectorstore.models import Article, ArticleHeader, Meeting, Passage
from vectorstore.settings import StoreSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

_STATE_ID = "state"
OPEN_LOCK = ".open.lock"  # in an embedded store's folder: held while a process opens it (`make_client`)
_PENDING = "pending:"
_FEED = "feed:"
_LEASE = "lease:"
_PAGE = 5000  # records per get() page, so a large store is never read in one response
_COSINE = {"hnsw": {"space": "cosine"}}
# The vector of a record read by id only (articles, packed sentence vectors). Chroma wants a vector
# per record and loads a collection's whole vector index into memory at its first read: 384 numbers
# per article cost about 470 MB at 100,000 articles for those two collections, which no search reads.
# A store first written with mean vectors there keeps writing them (a collection has one dimension).
_PLACEHOLDER = [1.0]
# The packed sentence vectors ride in a metadata field of their record, not as its document: Chroma
# indexes every document for full-text search (trigrams), which for ~9 KB of base64 per article cost
# 13 ms a write and 47 KB of disk, against 3 ms in a metadata field. Stores written before keep them
# as the document, which reads still accept.
_PACKED = "packed"
# A passage's text rides in its metadata for the same reason (nothing searches Chroma's full-text
# index; the lexical index is our own): writing 300 articles' passages took 2.9 s with the texts as
# documents and 1.7 s in metadata, and disk went from 30 to 22 KB per article. Stores written
# before keep them as documents, which reads still accept.
_TEXT = "text"
GENERATION_TTL = 0.25  # seconds a read generation token is trusted before it is read again
ARTICLE_CACHE_ARTICLES = 512  # whole articles kept after a read (a question reads up to ~25)
# Passages per write. Each write is a transaction that locks Chroma's SQLite file against every
# reader, here or in a server (its file is in rollback-journal mode): questions served beside an
# ingest wait for the write in progress. Short writes keep those waits short; measured with 50
# askers during a 1,000-article ingest (bench.load), ask p95 went from 506 ms (a batch's passages in
# one write) to 251-345 ms.
_WRITE_CHUNK = 64
_ARTICLE_PAGE = 500  # article records per get(): their texts and facts make large responses, whose
# memory the allocator keeps after they are freed (pages of 5,000 left 190 MB behind at 10,000 articles)
SENTENCE_CACHE_ARTICLES = 2048  # articles whose packed sentence vectors stay in memory (~10 KB each)
OWN_WRITES_KEPT = 64  # this process's latest writes remembered as changes (`ArticleStore.changes_between`)


class _Recent(Generic[T]):
    """The values of the keys used most recently, at most `limit` of them, safe across threads."""

    def __init__(self, limit: Callable[[], int]) -> None:
        self._limit = limit  # read at each insert, so a test can lower the module constant
        self._items: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[str]) -> dict[str, T]:
        with self._lock:
            found = {k: self._items[k] for k in keys if k in self._items}
            for key in found:
                self._items.move_to_end(key)
        return found

    def put_many(self, values: dict[str, T]) -> None:
        with self._lock:
            self._items.update(values)
            while len(self._items) > self._limit():
                self._items.popitem(last=False)

    def pop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class _Change:
    """One committed write of this process: the generation it moved the store from and to, and the
    articles it added and removed. Writers are serialised (write lock or lease), so no other write
    falls between `before` and `after`."""

    before: str
    after: str
    added: Mapping[str, ArticleHeader]
    removed: frozenset[str]


@dataclass(frozen=True)
class NewArticle:
    """One article to write: its record, its passages, their vectors, the versions it replaces, and
    its sentence vectors packed (`vectorstore.sentence_vectors`), kept apart from the record."""

    article: Article
    passages: Sequence[Passage]
    vectors: Sequence[Sequence[float]]
    replaces: Sequence[str] = ()
    sentence_vectors: str | None = None


@dataclass(frozen=True)
class DenseHit:
    passage_id: str
    article_id: str
    start: int
    end: int
    text: str
    similarity: float


def make_client(settings: StoreSettings, path: str | None = None) -> chromadb.ClientAPI:
    """An embedded PersistentClient by default (at `path`, a spelling of the store folder, when
    given); an HttpClient when a Chroma server URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"BRIEFBOT_CHROMA_URL must look like http://host:port, got {settings.chroma_url!r}")
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            headers=auth_headers(settings),
            settings=chroma_settings,
        )
    settings.store.mkdir(parents=True, exist_ok=True)
    # Chroma creates and migrates its database file when a client first opens it. Two processes doing
    # that at once (two ingests started together on a new store) failed one of them with "database
    # is locked", and the half-started client stays cached by Chroma, so trying again does not help:
    # one process opens the folder at a time instead.
    with FileLock(str(settings.store / OPEN_LOCK)):
        return chromadb.PersistentClient(path=path or str(settings.store), settings=chroma_settings)


def _alternating_clients(settings: StoreSettings) -> Callable[[], chromadb.ClientAPI]:
    """Fresh embedded clients for `_sync_vectors`, each a new Chroma system. Chroma shares one
    system per path string within a process, so a new client on the same string would be the
    stale one; the same folder named two ways ('store' and 'store/.') gives two systems, and the
    fresh one can be opened while the current one still serves."""
    names = itertools.cycle([f"{settings.store}{os.sep}.", str(settings.store)])

    def reopen() -> chromadb.ClientAPI:
        return make_client(settings, path=next(names))

    return reopen


def auth_headers(settings: StoreSettings) -> dict[str, str]:
    """The token header for a Chroma server that wants one (`chroma_token`, sent as
    `chroma_token_header`: `X-Chroma-Token` by default, or `Authorization` as a bearer token).

    `chroma run` in chromadb 1.5.9 checks no credentials itself (its Rust frontend starts with an
    authenticator that allows everything); the token is for the reverse proxy an operator puts in
    front of it, or a server that does check, and is never sent to an embedded store."""
    token = getattr(settings, "chroma_token", None)
    if token is None:
        return {}
    value = token.get_secret_value() if hasattr(token, "get_secret_value") else str(token)
    if not value:
        return {}
    header = str(getattr(settings, "chroma_token_header", None) or "X-Chroma-Token")
    if header.casefold() == "authorization":
        return {"Authorization": f"Bearer {value}"}
    return {header: value}


def _clean_metadata(values: dict) -> dict:
    """Chroma metadata takes str/int/float/bool only: drop the unknowns rather than store 'None'."""
    return {k: v for k, v in values.items() if v is not None}


class ArticleStore:
    """Reads and writes whole articles; knows nothing of embedding models or question answering."""

    def __init__(
        self,
        client: chromadb.ClientAPI,
        prefix: str = "briefbot",
        reopen: Callable[[], chromadb.ClientAPI] | None = None,
        guard: Guard | None = None,
    ) -> None:
        self.prefix = prefix
        self._reopen = reopen
        self.guard = guard or Guard()
        # Every Chroma call holds it: one at a time per process. (Letting reads run at once was
        # measured slower under an ingest beside: they contend inside Chroma for the same file.)
        self._lock = threading.RLock()
        # Apart from the store lock, so that a question checking the generation never queues behind
        # a slow store call (and a cache refresh never holds the store up; see `generation`).
        self._generation_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        # Packed sentence vectors of recently asked-about articles (never changed under an id):
        # one store read fewer per question, where every read may queue behind a writer.
        self._sentence_cache: _Recent[str] = _Recent(lambda: SENTENCE_CACHE_ARTICLES)
        self._refresh_lock = threading.Lock()
        # (generation, every committed article's header then): one attribute, so a reader never pairs
        # one generation's headers with another's token.
        self._header_index: tuple[str, dict[str, ArticleHeader]] | None = None
        # Whole articles (text and meetings) read lately: those the current questions are about.
        self._article_cache: _Recent[Article] = _Recent(lambda: ARTICLE_CACHE_ARTICLES)
        self._generation: tuple[float, str] | None = None  # (monotonic time read, token)
        self._passage_count: tuple[str, int] | None = None  # (generation, passages stored then)
        self._own_writes: deque[_Change] = deque(maxlen=OWN_WRITES_KEPT)
        # False after a write of this process failed part-way: what it committed is unknown, so the
        # next new generation is recorded as an unknown change (`_bump`).
        self._track_next = True
        self._attach(client)
        # The generation this process's vector index is known to include.
        self._vector_generation: str | None = self.generation()

    def _attach(self, client: chromadb.ClientAPI) -> None:
        """Open the four collections, each wrapped so that an unreachable server or a full disk
        fails as `StoreUnavailable` / `StoreFull` (`vectorstore.guard`)."""
        self._install(client, self._collections(client))

    def _collections(self, client: chromadb.ClientAPI) -> dict[str, GuardedCollection]:
        def collection(name: str, **config) -> GuardedCollection:
            # embedding_function=None: Chroma must never embed for us (its default downloads a model).
            opened = self.guard.read(  # opening is a read: tried again if another process holds the file
                client.get_or_create_collection, f"{self.prefix}_{name}", embedding_function=None, **config
            )
            return self.guard.collection(opened)

        return {
            "passages": collection("passages", configuration=_COSINE),
            "articles": collection("articles", configuration=_COSINE),
            "meta": collection("meta"),
            "sentences": collection("sentences", configuration=_COSINE),
        }

    def _install(self, client: chromadb.ClientAPI, collections: dict[str, GuardedCollection]) -> None:
        self.client = client
        self.passages = collections["passages"]
        self.articles = collections["articles"]
        self.meta = collections["meta"]
        self.sentences = collections["sentences"]
        self._mean_vectors = {
            name: (collections[name].get_model().dimension or 1) > 1 for name in ("articles", "sentences")
        }

    def _upsert_records(self, collection: str, passage_vectors: Sequence[Sequence[Sequence[float]]], **fields) -> None:
        """Write records of a collection read by id only, each with the vector it takes: the
        placeholder, or the mean of its passages' in a store written that way. A collection whose
        dimension was not known at open (empty then, and another writer's first records set it)
        tells by refusing the other kind: written again once with it."""
        target = self.articles if collection == "articles" else self.sentences
        for attempt in range(2):
            means = self._mean_vectors[collection]
            try:
                target.upsert(embeddings=[_mean(v) if means else _PLACEHOLDER for v in passage_vectors], **fields)
                return
            except ChromaError as exc:
                if attempt or "dimension" not in str(exc).casefold():
                    raise
                self._mean_vectors[collection] = not means

    @classmethod
    def open(cls, settings: StoreSettings) -> ArticleStore:
        guard = Guard(url=settings.chroma_url, path=None if settings.chroma_url else settings.store)
        reopen = None if settings.chroma_url else _alternating_clients(settings)
        return cls(guard.call(make_client, settings), settings.collection_prefix, reopen=reopen, guard=guard)

    def _sync_vectors(self) -> None:
        """Bring this process's vector index up to date when another process has written.

        Chroma's embedded client keeps its vector index in memory and does not see vectors another
        process added, so the client is replaced by a fresh one. The fresh client is opened and
        warmed (its index loaded, the other process's writes applied) *outside* the store lock, by
        the one thread that noticed, while the others go on with the current client (whose vectors
        are a write behind, as they were a moment before); the swap itself is a pointer under the
        lock. Opening it under the lock held every question of a busy server for up to a second
        after each commit of an ingest running beside it (measured: p95 of questions during a
        1,000-article ingest 1.7 s with it, 0.6 s without the reopen at all).

        Call it without holding the store lock (holding it works, but then the others wait).
        """
        generation = self.generation()
        if generation == self._vector_generation:
            return
        if self._reopen is None:  # a server's index is the server's: always current
            self._vector_generation = generation
            return
        if not self._refresh_lock.acquire(blocking=False):
            return  # another thread is refreshing; the current client serves meanwhile
        try:
            if generation == self._vector_generation:
                return
            client = self.guard.call(self._reopen)
            collections = self._collections(client)
            self.guard.read(collections["passages"].unguarded.count)  # loads the index and applies the new writes
            with self._lock, self._generation_lock:
                old = self.client
                self._install(client, collections)
                self._vector_generation = generation
                try:
                    getattr(old, "close", lambda: None)()  # chromadb 1.5's embedded client has close()
                except Exception:  # closing is best effort; the new client is what matters
                    log.debug("closing the old client failed", exc_info=True)
        finally:
            self._refresh_lock.release()

    # -- generation -------------------------------------------------------------------------

    def generation(self) -> str:
        """A token that changes with every committed write, from this process or any other.

        Read under its own lock, not the store's: every question checks it, and under the store lock
        it queued behind whatever slow call held the store (measured under load during an ingest:
        waits of up to a second for a read that takes milliseconds)."""
        known = self._generation
        if known is not None and time.monotonic() - known[0] < GENERATION_TTL:
            return known[1]
        # One thread reads it; while that read waits (on a write another process is committing), the
        # others go on with the token of a quarter-second ago rather than queue behind it.
        if not self._generation_lock.acquire(blocking=known is None):
            assert known is not None
            return known[1]
        try:
            now = time.monotonic()
            if self._generation is not None and now - self._generation[0] < GENERATION_TTL:
                return self._generation[1]
            token = self._read_generation()
            self._generation = (now, token)
            return token
        finally:
            self._generation_lock.release()

    def _read_generation(self) -> str:
        got = self.meta.get(ids=[_STATE_ID], include=["metadatas"])
        if got["ids"]:
            return str(got["metadatas"][0].get("generation", ""))
        return ""

    def _bump(
        self, added: Mapping[str, ArticleHeader] | None = None, removed: Collection[str] = (), known: bool = True
    ) -> None:
        """A new generation, remembered with what the write changed (`added`, `removed`).

        This process's own caches take the change as it is, rather than reading the store again:
        its vector index has the write already, and a header index that was current before the
        write is current after it once the change is applied. At 100,000 articles, listing every
        id again after a one-article write cost about half a second. A change that is not `known`
        (recovery, or the first write after one that failed part-way) forgets the recorded ones:
        every cache then compares itself with the store in full.

        Writers are serialised (the ingest's write lock, or the write lease on a server), so no other
        write falls between reading the token and replacing it."""
        with self._lock:
            before = self._read_generation()
            token = uuid.uuid4().hex
            self.meta.upsert(
                ids=[_STATE_ID], documents=["state"], embeddings=[[0.0]], metadatas=[{"generation": token}]
            )
            with self._generation_lock:  # after any read of the token in progress, which would be older
                self._generation = (time.monotonic(), token)
            if self._vector_generation == before:
                self._vector_generation = token
            if not (known and self._track_next):
                self._own_writes.clear()
                self._track_next = True
                return
            change = _Change(before, token, dict(added or {}), frozenset(removed))
            self._own_writes.append(change)
            self._advance_headers(change)

    def _advance_headers(self, change: _Change) -> None:
        """Apply a write of this process to the header index, if that index was current before it.
        Never waits: a thread rebuilding the index meanwhile reads the write from the store anyway."""
        if not self._cache_lock.acquire(blocking=False):
            return
        try:
            index = self._header_index
            if index is None or index[0] != change.before:
                return
            headers = {i: h for i, h in index[1].items() if i not in change.removed}
            headers.update(change.added)
            self._header_index = (change.after, headers)
        finally:
            self._cache_lock.release()

    def changes_between(self, before: str, after: str) -> tuple[set[str], set[str]] | None:
        """The article ids added and removed from generation `before` to `after`, when this process
        made every write in between (a cache of the store, such as the lexical index, then applies
        just those); None when it cannot tell (another process wrote, or the writes are forgotten)."""
        if before == after:
            return set(), set()
        chain = list(self._own_writes)
        starts = [n for n, change in enumerate(chain) if change.before == before]
        if not starts:
            return None
        added: set[str] = set()
        removed: set[str] = set()
        at = before
        for change in chain[starts[-1] :]:
            if change.before != at:
                return None
            added = (added - change.removed) | set(change.added)
            removed = (removed | change.removed) - set(change.added)
            at = change.after
            if at == after:
                return added, removed
        return None

    # -- writing ----------------------------------------------------------------------------

    def add_article(
        self,
        article: Article,
        passages: Sequence[Passage],
        vectors: Sequence[Sequence[float]],
        replaces: Sequence[str] = (),
        sentence_vectors: str | None = None,
    ) -> None:
        """Store an article whole: passages first, the article record last (the commit).

        `replaces` names older versions (same URL, other text) removed as part of the same commit.
        """
        self.add_articles([NewArticle(article, passages, vectors, replaces, sentence_vectors)])

    def add_articles(self, batch: Sequence[NewArticle], before_commit: Callable[[], None] | None = None) -> None:
        """Store several articles, each whole, in a handful of writes (one per step for the batch).

        Each article record is written only after all passages of the batch, so whichever records
        make it to disk before a crash have every passage; the rest stay invisible until recovery
        removes them. Batching matters: every Chroma write is a durable commit, and five commits per
        article would cost more than embedding it; but one write must not be long either, since it
        locks out every reader (`_WRITE_CHUNK`).

        `before_commit` runs just before the records are written and may raise to stop the commit
        (a writer checks that it still holds the store's write lease there).
        """
        if not batch:
            return
        for item in batch:
            if len(item.passages) != len(item.vectors):
                raise ValueError("one vector per passage")
        with self._lock, self._unknown_if_failed():
            self._mark_pending_many([(item.article.id, item.replaces) for item in batch])
            passages = [p for item in batch for p in item.passages]
            vectors = [v for item in batch for v in item.vectors]
            for chunk in range(0, len(passages), _WRITE_CHUNK):
                part = passages[chunk : chunk + _WRITE_CHUNK]
                self.passages.upsert(
                    ids=[p.id for p in part],
                    embeddings=[list(v) for v in vectors[chunk : chunk + _WRITE_CHUNK]],
                    metadatas=[
                        {"article_id": p.article_id, "start": p.start, "end": p.end, "index": p.index, _TEXT: p.text}
                        for p in part
                    ],
                )
            packed = [item for item in batch if item.sentence_vectors]
            for chunk in range(0, len(packed), _WRITE_CHUNK // 8):  # a packed record is ~8 passages long
                part_items = packed[chunk : chunk + _WRITE_CHUNK // 8]
                self._upsert_records(
                    "sentences",
                    [item.vectors for item in part_items],
                    ids=[item.article.id for item in part_items],
                    metadatas=[{_PACKED: str(item.sentence_vectors)} for item in part_items],
                )
            records = [item.article.model_copy(update={"passage_count": len(item.passages)}) for item in batch]
            if before_commit is not None:
                before_commit()
            self._upsert_records(
                "articles",
                [item.vectors for item in batch],
                ids=[r.id for r in records],
                documents=[r.text for r in records],
                metadatas=[_article_metadata(r) for r in records],
            )
            new_ids = {r.id for r in records}
            replaced = {old for item in batch for old in item.replaces if old not in new_ids}
            for old in sorted(replaced):
                self._remove(old)
            self._bump(
                added={r.id: _header_from_metadata(r.id, _article_metadata(r)) for r in records}, removed=replaced
            )
            # Last: a writer killed before this leaves its marks, and recovery then moves the
            # generation as an unknown change, so no cache misses what this write committed.
            self.meta.delete(ids=[_PENDING + item.article.id for item in batch])

    def delete_article(self, article_id: str) -> bool:
        """Remove an article and everything of it; False when there was no such article."""
        with self._lock, self._unknown_if_failed():
            existing = self.articles.get(ids=[article_id], include=["metadatas"])
            if not existing["ids"]:
                return False
            self._mark_pending(article_id)
            self._remove(article_id)
            self._bump(removed={article_id})
            self._clear_pending(article_id)
            return True

    @contextmanager
    def _unknown_if_failed(self) -> Iterator[None]:
        """A write that fails part-way may have committed some of it (the article record, before the
        token moved): the next generation this process sets is then recorded as an unknown change."""
        try:
            yield
        except BaseException:
            self._track_next = False
            raise

    def _remove(self, article_id: str) -> None:
        """The record first (the article disappears at once), then its passages."""
        self._forget(article_id)
        self.articles.delete(ids=[article_id])
        self.passages.delete(where={"article_id": article_id})
        self.sentences.delete(ids=[article_id])

    def _forget(self, article_id: str) -> None:
        """Drop what this process cached of an article that is going away."""
        self._article_cache.pop(article_id)
        self._sentence_cache.pop(article_id)

    def recover(self, older_than: float = 0.0) -> list[str]:
        """Finish what a killed writer left: remove passages of articles that never committed.

        Only the caller holding the store's write lock may recover everything at once. Without one
        (a Chroma server shared by several writers) pass `older_than` seconds: a marker younger
        than that may belong to a writer still at work. Its leftovers are invisible meanwhile, and
        a re-run of the same article overwrites them.
        """
        with self._lock:
            pending = self.meta.get(where={"kind": "pending"}, include=["metadatas"])
            recovered: list[str] = []
            finished: list[str] = []
            cutoff = time.time() - older_than
            for marker_id, meta in zip(pending["ids"], pending["metadatas"]):
                if older_than and float(meta.get("at", 0.0)) > cutoff:
                    continue
                finished.append(marker_id)
                article_id = str(meta["article_id"])
                if not self.articles.get(ids=[article_id], include=[])["ids"]:
                    self._forget(article_id)
                    self.passages.delete(where={"article_id": article_id})
                    self.sentences.delete(ids=[article_id])
                    recovered.append(article_id)
                else:  # committed: finish removing the versions it replaces
                    for old in json.loads(str(meta.get("replaces") or "[]")):
                        if old != article_id:
                            self._remove(old)
                            recovered.append(old)
            if finished:  # a writer stopped part-way: what it committed is not known here
                self._bump(known=False)
                self.meta.delete(ids=finished)  # after the bump, as in a write
            return recovered

    def _mark_pending(self, article_id: str, replaces: Sequence[str] = ()) -> None:
        self._mark_pending_many([(article_id, replaces)])

    def _mark_pending_many(self, items: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.meta.upsert(
            ids=[_PENDING + article_id for article_id, _ in items],
            documents=["pending"] * len(items),
            embeddings=[[0.0]] * len(items),
            metadatas=[
                {"kind": "pending", "article_id": article_id, "replaces": json.dumps(list(replaces)), "at": time.time()}
                for article_id, replaces in items
            ],
        )

    # -- feeds ------------------------------------------------------------------------------

    def feed_seen(self, feed_key: str) -> set[str]:
        """Keys of the entries of one feed already ingested (or found to be duplicates)."""
        with self._lock:
            got = self.meta.get(where={"feed": _digest(feed_key)}, include=["metadatas"])
        return {str(m.get("entry", "")) for m in got["metadatas"]}

    def mark_feed_seen(self, feed_key: str, entry_keys: Sequence[str]) -> None:
        if not entry_keys:
            return
        feed = _digest(feed_key)
        with self._lock:
            self.meta.upsert(
                ids=[f"{_FEED}{feed}:{_digest(k)}" for k in entry_keys],
                documents=["feed entry"] * len(entry_keys),
                embeddings=[[0.0]] * len(entry_keys),
                metadatas=[{"kind": "feed", "feed": feed, "entry": k} for k in entry_keys],
            )

    # -- the write lease's records (`vectorstore.lease`) ------------------------------------------

    def lease_records(self) -> dict[int, dict]:
        """The write lease's records by number; the highest number is the current lease."""
        with self._lock:
            got = self.meta.get(where={"kind": "lease"}, include=["metadatas"])
        return {int(m["number"]): dict(m) for m in got["metadatas"]}

    def add_lease_record(self, number: int, values: dict) -> None:
        """Chroma's `add` keeps the record already there under an id: of several writers adding the
        same number at once, exactly one record stands, which is what makes taking a lease atomic."""
        with self._lock:
            self.meta.add(
                ids=[f"{_LEASE}{number}"],
                documents=["lease"],
                embeddings=[[0.0]],
                metadatas=[{**values, "kind": "lease", "number": number}],
            )

    def update_lease_record(self, number: int, values: dict) -> None:
        """Renew or release a lease this writer holds (only the holder writes its own record)."""
        with self._lock:
            self.meta.upsert(
                ids=[f"{_LEASE}{number}"],
                documents=["lease"],
                embeddings=[[0.0]],
                metadatas=[{**values, "kind": "lease", "number": number}],
            )

    def drop_lease_records(self, numbers: Sequence[int]) -> None:
        if numbers:
            with self._lock:
                self.meta.delete(ids=[f"{_LEASE}{n}" for n in numbers])

    def _clear_pending(self, article_id: str) -> None:
        self.meta.delete(ids=[_PENDING + article_id])

    # -- reading ----------------------------------------------------------------------------

    def existing_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these articles are committed (one read for a whole batch)."""
        if not article_ids:
            return set()
        with self._lock:
            return set(self.articles.get(ids=list(dict.fromkeys(article_ids)), include=[])["ids"])

    def get_article(self, article_id: str) -> Article | None:
        return self.get_articles([article_id]).get(article_id)

    def get_articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """Whole committed articles by id, from a small cache of those read lately or from the store.

        A record never changes under its id (the id is the hash of the text), so a cached article is
        current as long as it is committed; the header index (a write behind at worst, see
        `_all_headers`) says which are, and an id it does not know yet is read from the store."""
        wanted = list(dict.fromkeys(article_ids))
        known = self._all_headers(wait=False)
        found = self._article_cache.get_many(i for i in wanted if i in known)
        missing = [i for i in wanted if i not in found]
        if missing:
            read = self._read_articles(missing)
            self._article_cache.put_many(read)
            found.update(read)
        return {i: found[i] for i in wanted if i in found}

    def _read_articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        read: dict[str, Article] = {}
        for begin in range(0, len(article_ids), _ARTICLE_PAGE):
            with self._lock:
                got = self.articles.get(
                    ids=list(article_ids[begin : begin + _ARTICLE_PAGE]), include=["documents", "metadatas"]
                )
            for article_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                read[article_id] = _article_from_record(article_id, text, meta)
        return read

    def sentence_vectors(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The packed sentence vectors of these articles (those stored with them), by article id."""
        if not article_ids:
            return {}
        found = self._sentence_cache.get_many(article_ids)
        missing = [i for i in dict.fromkeys(article_ids) if i not in found]
        if missing:
            with self._lock:
                got = self.sentences.get(ids=missing, include=["metadatas", "documents"])
            read = {}
            for i, meta, doc in zip(got["ids"], _column(got, "metadatas"), _column(got, "documents")):
                packed = (meta or {}).get(_PACKED) or doc  # a store written before kept them as the document
                if packed:
                    read[i] = str(packed)
            self._sentence_cache.put_many(read)
            found.update(read)
        return found

    def headers(self) -> list[ArticleHeader]:
        """Every committed article without its text and facts, newest ingest first: for listings."""
        return sorted(self._all_headers().values(), key=lambda a: a.ingested_at, reverse=True)

    def list_articles(self) -> list[Article]:
        """Every committed article whole, newest ingest first, read from the store now: its cost
        grows with the archive, so the answer engine and the listings use `headers` and
        `get_articles` instead."""
        order = [h.id for h in self.headers()]
        found = self._read_articles(order)
        return [found[i] for i in order if i in found]

    def meetings_json(self, article_ids: Sequence[str]) -> Iterator[tuple[str, str]]:
        """The stored briefing facts of these articles as (id, JSON text), unparsed: what an index of
        people over the whole archive is built from, without making an object of every fact.

        Page by page, for the caller to parse as they come: gathering the texts of 100,000 articles
        first held about 400 MB at once, which the allocator kept after they were freed."""
        for begin in range(0, len(article_ids), _ARTICLE_PAGE):
            with self._lock:
                got = self.articles.get(ids=list(article_ids[begin : begin + _ARTICLE_PAGE]), include=["metadatas"])
            yield from ((i, str(m.get("meetings") or "[]")) for i, m in zip(got["ids"], got["metadatas"]))

    def article_ids(self) -> set[str]:
        return set(self._all_headers())

    def find_by_url(self, url: str) -> list[ArticleHeader]:
        return [a for a in self._all_headers().values() if a.url == url]

    def meetings(self) -> list[tuple[Article, Meeting]]:
        return [(a, m) for a in self.list_articles() for m in a.meetings]

    def _all_headers(self, wait: bool = True) -> dict[str, ArticleHeader]:
        """Every committed article's header, cached until the generation changes. This process's own
        writes are applied to it as they happen (`_advance_headers`); after anyone else's, it is
        brought up to date by reading only the records that are new (a record never changes under its id).
        Reading every record again after each write held the store for up to a second at 1,300
        articles, while an ingest committed every few seconds.

        One thread brings it up to date. Readers that can live with the articles of the write before
        for that moment (`wait=False`: a question's article and hit lookups) use them rather than queue
        behind it: under askers during an ingest, every commit queued them all behind one refresh.
        Whatever is built from the whole list (the lexical index, the catalog, listings) waits.

        Never call it holding the store lock: it takes its own lock, then the store's per read."""
        generation = self.generation()
        index = self._header_index
        if index is not None and index[0] == generation:
            return index[1]
        if not self._cache_lock.acquire(blocking=wait or index is None):
            assert index is not None
            return index[1]
        try:
            generation = self.generation()
            index = self._header_index
            if index is not None and index[0] == generation:
                return index[1]
            old = index[1] if index is not None else {}
            ids = [i for page, _docs, _metas in _paged(lambda: self.articles, [], self._lock) for i in page]
            missing = [i for i in ids if i not in old]
            read: dict[str, ArticleHeader] = {}
            for begin in range(0, len(missing), _ARTICLE_PAGE):
                with self._lock:
                    got = self.articles.get(ids=missing[begin : begin + _ARTICLE_PAGE], include=["metadatas"])
                for article_id, meta in zip(got["ids"], got["metadatas"]):
                    read[article_id] = _header_from_metadata(article_id, meta)
            headers = {i: old.get(i) or read[i] for i in ids if i in old or i in read}
            self._header_index = (generation, headers)
            return headers
        finally:
            self._cache_lock.release()

    def iter_passages(self) -> Iterable[tuple[list[str], list[str], list[dict]]]:
        """Every passage of a committed article, page by page (what a consistency check reads)."""
        committed = self.article_ids()
        for ids, docs, metas in _paged(lambda: self.passages, ["documents", "metadatas"], self._lock):
            keep = [i for i, m in enumerate(metas) if m.get("article_id") in committed]
            yield [ids[i] for i in keep], [_passage_text(docs[i], metas[i]) for i in keep], [metas[i] for i in keep]

    def passages_of(self, article_ids: Sequence[str]) -> list[tuple[str, str, int, int, str]]:
        """Every passage of these articles as (id, article id, start, end, text), committed or not:
        what the lexical index adds when they appear."""
        if not article_ids:
            return []
        rows: list[tuple[str, str, int, int, str]] = []
        offset = 0
        while True:
            with self._lock:
                got = self.passages.get(
                    where={"article_id": {"$in": list(article_ids)}},
                    include=["documents", "metadatas"],
                    limit=_PAGE,
                    offset=offset,
                )
            rows.extend(
                (pid, str(m["article_id"]), int(m["start"]), int(m["end"]), _passage_text(doc, m))
                for pid, doc, m in zip(got["ids"], _column(got, "documents"), _column(got, "metadatas"))
            )
            if len(got["ids"]) < _PAGE:
                return rows
            offset += _PAGE

    def dense_search(self, vector: Sequence[float], k: int) -> list[DenseHit]:
        """Nearest passages of committed articles by cosine similarity."""
        committed = self._all_headers(wait=False)  # a dict: membership without copying; a write behind at worst
        self._sync_vectors()
        with self._lock:
            if k <= 0 or self._count_for_search() == 0:
                return []
            got = self.passages.query(
                query_embeddings=[list(vector)], n_results=k, include=["documents", "metadatas", "distances"]
            )
        hits = []
        for pid, doc, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0]):
            if meta.get("article_id") not in committed:
                continue
            text = _passage_text(doc, meta)
            hits.append(DenseHit(pid, str(meta["article_id"]), int(meta["start"]), int(meta["end"]), text, 1.0 - dist))
        return hits

    def dense_neighbours(self, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the nearest passages, committed or not, nearest first.

        Half the cost of `dense_search` on a large store (no texts or metadata are read): for a
        caller that has the committed passages' texts at hand already (the lexical index does) and
        reads the rest with `passage_hits`."""
        self._sync_vectors()
        with self._lock:
            if k <= 0 or self._count_for_search() == 0:
                return []
            got = self.passages.query(query_embeddings=[list(vector)], n_results=k, include=["distances"])
        return [(pid, 1.0 - dist) for pid, dist in zip(got["ids"][0], got["distances"][0])]

    def passage_hits(self, scored: Sequence[tuple[str, float]]) -> list[DenseHit]:
        """These passages as hits, in the given order, leaving out those of uncommitted articles."""
        if not scored:
            return []
        committed = self._all_headers(wait=False)
        with self._lock:
            got = self.passages.get(ids=[pid for pid, _ in scored], include=["documents", "metadatas"])
        found = {pid: (doc, meta) for pid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"])}
        hits = []
        for pid, similarity in scored:
            doc, meta = found.get(pid, (None, None))
            if meta is None or meta.get("article_id") not in committed:
                continue
            text = _passage_text(doc, meta)
            hits.append(DenseHit(pid, str(meta["article_id"]), int(meta["start"]), int(meta["end"]), text, similarity))
        return hits

    def _count_for_search(self) -> int:
        """Passages stored, read once per generation: counting costs as much as the search itself on a
        large store, and only a write (which moves the generation) changes what a search can find."""
        generation = self.generation()
        cached = self._passage_count
        if cached is None or cached[0] != generation:
            cached = self._passage_count = (generation, self.passages.count())
        return cached[1]

    def count_passages(self) -> int:
        with self._lock:
            return self.passages.count()

    def stored_passage_counts(self) -> dict[str, int]:
        """Passages on disk per article id, committed or not: what integrity checks compare against
        each article's `passage_count` (passages of an uncommitted article are never shown)."""
        counts: dict[str, int] = {}
        for _ids, _docs, metas in _paged(lambda: self.passages, ["metadatas"], self._lock):
            for meta in metas:
                key = str(meta.get("article_id"))
                counts[key] = counts.get(key, 0) + 1
        return counts


def _paged(collection: Callable[[], GuardedCollection], include: list[str], lock: AbstractContextManager):
    """Page through a collection; the lock is held per page, never while the caller works, and the
    collection is looked up per page so a client reopened meanwhile is used."""
    offset = 0
    while True:
        with lock:
            got = collection().get(include=include, limit=_PAGE, offset=offset)
        if not got["ids"]:
            return
        yield got["ids"], _column(got, "documents"), [m or {} for m in _column(got, "metadatas")]
        if len(got["ids"]) < _PAGE:
            return
        offset += _PAGE


def _column(got: Mapping, field: str) -> list:
    """One field of a Chroma get() result, one entry per id (None where it was not stored or asked)."""
    return list(got.get(field) or [None] * len(got["ids"]))


def _passage_text(document: str | None, meta: Mapping) -> str:
    """A passage's text: in its metadata (`_TEXT`), or its document in a store written before.
    Older versions read documents only: upgrade every process that reads a store before one writes."""
    text = meta.get(_TEXT) or document
    if not text:
        raise StoreError(f"passage of {meta.get('article_id')} has no text: a store this version cannot read")
    return str(text)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _mean(vectors: Sequence[Sequence[float]]) -> list[float]:
    """The normalized mean of an article's passage vectors: its record's vector in a store written
    with mean vectors (`_PLACEHOLDER` otherwise)."""
    if not vectors:
        return [0.0] * 384
    dims = len(vectors[0])
    total = [sum(v[d] for v in vectors) for d in range(dims)]
    norm = sum(x * x for x in total) ** 0.5 or 1.0
    return [x / norm for x in total]


def meetings_json(article: Article) -> str:
    """An article's briefing facts as the store keeps them (and `ArticleStore.meetings_json` returns)."""
    return json.dumps([m.model_dump(mode="json") for m in article.meetings], ensure_ascii=False)


def _article_metadata(article: Article) -> dict:
    return _clean_metadata(
        {
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published,
            "source": article.source,
            "url": article.url,
            "ingested_at": article.ingested_at,
            "passage_count": article.passage_count,
            "meetings": meetings_json(article),
        }
    )


def _header_from_metadata(article_id: str, meta: dict) -> ArticleHeader:
    return ArticleHeader(
        id=article_id,
        title=str(meta.get("title", "")),
        outlet=meta.get("outlet"),
        published=meta.get("published"),
        source=str(meta.get("source", "")),
        url=meta.get("url"),
        ingested_at=str(meta.get("ingested_at", "")),
        passage_count=int(meta.get("passage_count", 0)),
    )


def _article_from_record(article_id: str, text: str, meta: dict) -> Article:
    return Article(
        **asdict(_header_from_metadata(article_id, meta)),
        text=text or "",
        meetings=[Meeting.model_validate(m) for m in json.loads(meta.get("meetings") or "[]")],
    )
