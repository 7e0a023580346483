"""The ingest service: sources in, whole articles out, one result per article or failed input.

Every surface (CLI, UI uploads and pasted text, the HTTP API) goes through `IngestService`, so
identity, cleaning, extraction and the whole-or-nothing write are the same everywhere.

Batches: documents are embedded together and written in one commit per step (every Chroma write
is a durable commit, so five per article would cost more than embedding it). Each article is still
stored whole; results still come out one per input, in input order.

Concurrency: the expensive work (loading, fetching, embedding) runs outside the store's write
lock; only the duplicate check and the write itself hold it, one batch at a time. Two ingests at
once therefore interleave whole batches, and a question asked meanwhile sees each article appear
whole.
"""

from __future__ import annotations

import logging
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from filelock import FileLock
from langchain_core.embeddings import Embeddings

from ingest.extraction import extract_meetings
from ingest.loaders import (
    LoadError,
    LoadFailure,
    html_to_document,
    iter_bytes,
    iter_path,
    supported,
    text_document,
)
from ingest.metadata import canonical_url
from ingest.models import STATUSES, IngestResult, LoadedDocument, Status
from ingest.segment import make_passages, split_sentences
from ingest.settings import INGEST_DEFAULTS, IngestSettings
from vectorstore.errors import StoreError
from vectorstore.lease import WriteLease
from vectorstore.lexical import LexicalIndex
from vectorstore.models import Article, Passage, Sentence, article_id_for
from vectorstore.sentence_vectors import normalized_mean, pack
from vectorstore.store import ArticleStore, NewArticle

log = logging.getLogger(__name__)

# done, total, the latest result: `total` can grow while a run goes (a feed or archive is opened).
ProgressCallback = Callable[[int, int, IngestResult], None]

if TYPE_CHECKING:
    from ingest.fetch import Fetcher


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> int:
        return self.count("failed")

    def summary(self) -> str:
        """'3 new, 1 updated, 2 duplicate, 1 failed in 4.2s', then one line per failure."""
        head = ", ".join(f"{self.count(s)} {s}" for s in STATUSES) + f" in {self.seconds:.1f}s"
        rate = self.count("new") + self.count("updated")
        if rate and self.seconds > 0:
            head += f" ({rate / self.seconds:.2f} articles/s)"
        failures = [f"  failed {r.source}: {r.reason}" for r in self.results if r.status == "failed"]
        return "\n".join([head, *failures])


Loaded = LoadedDocument | LoadFailure


@dataclass
class _Unit:
    """One input the user named (a file, a URL, a feed entry): loaded lazily, counted for progress."""

    source: str
    load: Callable[[], Iterable[Loaded]]
    after: Callable[[IngestResult], None] | None = None
    last: IngestResult | None = None  # the latest result, for progress


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively in name order, keeping the formats we read."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and supported(p) and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


class IngestService:
    def __init__(
        self,
        store: ArticleStore,
        lexical: LexicalIndex,
        embeddings: Embeddings,
        lock_path: Path | None = None,
        settings: IngestSettings | None = None,
        lock: AbstractContextManager | None = None,
    ) -> None:
        self.store = store
        self.lexical = lexical
        self.embeddings = embeddings
        self.settings: IngestSettings = settings or INGEST_DEFAULTS
        # One writer at a time per store, across processes: a file lock beside an embedded store (one
        # folder), a lease in the store's own collections for a Chroma server (writers may be on
        # other machines). Whoever holds either may finish a killed writer's leftovers at once.
        # `lock` replaces either (a lease with another time to live, say).
        self._lock: AbstractContextManager = lock or (FileLock(str(lock_path)) if lock_path else WriteLease(store))
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self):
        """The URL fetcher (SSRF-guarded), built on first use so file ingests never import httpx."""
        if self._fetcher is None:
            from ingest.fetch import Fetcher

            self._fetcher = Fetcher.from_settings(self.settings)
        return self._fetcher

    # -- entry points ---------------------------------------------------------------------------

    def ingest_sources(
        self, sources: Sequence[str], feed: bool = False, progress: ProgressCallback | None = None
    ) -> Iterator[IngestResult]:
        """Paths, folders, zip archives and URLs (or, with feed=True, RSS/Atom feed URLs or files).

        Yields one result per article stored or input failed, in input order.
        """
        units: list[_Unit] = []
        for source in sources:
            if feed:
                units.extend(self._feed_units(source))
            elif is_url(source):
                units.append(_Unit(source, partial(self._load_url, source)))
            else:
                units.extend(self._path_units([Path(source)]))
        yield from self._run(units, progress)

    def ingest_paths(self, paths: Iterable[Path], progress: ProgressCallback | None = None) -> Iterator[IngestResult]:
        """Yield one result per article as it is stored; a bad file fails alone."""
        yield from self._run(list(self._path_units(paths)), progress)

    def ingest_text(
        self, text: str, title: str | None = None, source: str = "pasted text", url: str | None = None
    ) -> IngestResult:
        """One pasted article (the UI's paste box, POST /api/articles)."""

        page_url = url if url and is_url(url) else None

        def load() -> Iterator[Loaded]:
            if re.match(r"\s*<(?:!doctype\s+html|html)\b", text, re.I):  # a whole page pasted as source
                doc = html_to_document(text, source=source, url=page_url)
                yield doc.model_copy(update={"title": title}) if title else doc
            else:
                yield text_document(text, source=source, title=title, url=page_url)

        results = list(self._run([_Unit(source, load)], None))
        return results[0]

    def ingest_bytes(
        self, data: bytes, filename: str, progress: ProgressCallback | None = None
    ) -> Iterator[IngestResult]:
        """An uploaded file (any supported format, a zip of them): one result per article."""
        yield from self._run([_Unit(filename, lambda: iter_bytes(data, filename))], progress)

    def ingest_documents(self, items: Iterable[LoadedDocument | IngestResult]) -> Iterator[IngestResult]:
        """Store already loaded documents (failures from loading pass straight through)."""

        def load() -> Iterator[Loaded]:
            for item in items:
                if isinstance(item, IngestResult):
                    yield LoadFailure(item.source, item.reason or "failed")
                else:
                    yield item

        yield from self._run([_Unit("documents", load)], None)

    def ingest_all(self, paths: Iterable[Path], progress: ProgressCallback | None = None) -> IngestReport:
        return self.report(lambda: self.ingest_paths(paths, progress))

    @staticmethod
    def report(run: Callable[[], Iterable[IngestResult]]) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport(results=list(run()))
        report.seconds = time.perf_counter() - started
        return report

    def delete(self, article_id: str) -> bool:
        """Remove an article: its passages, lexical entries and briefing facts together."""
        with self._lock:
            deleted = self.store.delete_article(article_id)
            if deleted:
                self.lexical.refresh()
            return deleted

    # -- planning -------------------------------------------------------------------------------

    def _path_units(self, paths: Iterable[Path]) -> Iterator[_Unit]:
        for path in expand_paths(paths):
            yield _Unit(str(path), partial(iter_path, path))

    def _load_url(self, url: str) -> Iterator[Loaded]:
        page = self.fetcher.fetch(url)
        yield from iter_bytes(page.body, page.name, url=page.url, content_type=page.content_type)

    def _feed_units(self, source: str) -> list[_Unit]:
        from ingest.feeds import FeedError, read_feed

        try:
            feed = read_feed(source, self.fetcher if is_url(source) else None)
        except (FeedError, LoadError) as exc:
            reason = str(exc)

            def fail() -> Iterator[Loaded]:
                raise LoadError(reason)

            return [_Unit(source, fail)]
        try:
            seen = self.store.feed_seen(feed.key)
        except StoreError as exc:
            reason = str(exc)

            def unavailable() -> Iterator[Loaded]:
                raise LoadError(reason)

            return [_Unit(source, unavailable)]
        units = []
        for entry in feed.entries:
            if entry.key in seen:
                continue

            def after(result: IngestResult, key: str = entry.key) -> None:
                if result.status != "failed":  # a failed entry is tried again on the next run
                    self.store.mark_feed_seen(feed.key, [key])

            units.append(_Unit(entry.label, partial(self._load_entry, entry), after))
        return units

    def _load_entry(self, entry) -> Iterator[Loaded]:
        """The feed's own full text when it carries the article, else the linked page."""
        from ingest.feeds import entry_document

        doc = entry_document(entry)
        if doc is not None:
            yield doc
            return
        if not entry.link:
            raise LoadError("the feed entry has neither text nor a link")
        page = self.fetcher.fetch(entry.link)
        for item in iter_bytes(page.body, page.name, url=page.url, content_type=page.content_type):
            if isinstance(item, LoadedDocument):
                item = entry.fill_metadata(item)
            yield item

    # -- running --------------------------------------------------------------------------------

    def _run(self, units: list[_Unit], progress: ProgressCallback | None) -> Iterator[IngestResult]:
        """Load inputs in order, store their documents in batches, yield results in input order.

        When the store itself fails (the Chroma server is gone, the disk is full, the write lease
        was lost), the batch being written fails and the ingest stops there: every input not yet
        stored fails with the same reason rather than each trying, and failing, in turn.
        """
        batch = _Batch(self.settings.ingest_batch_size)
        finished: list[_Unit] = []  # units fully loaded whose results wait in the batch
        stopped: list[str] = []  # the store's reason for stopping, once it gave one
        done = 0

        def flush() -> Iterator[IngestResult]:
            nonlocal done
            for unit, result in self._flush(batch, stopped):
                if unit.after is not None:
                    self._after(unit, result)
                yield result
            for unit in finished:
                done += 1
                if progress is not None and unit.last is not None:
                    progress(done, len(units), unit.last)
            finished.clear()

        try:
            self._begin()
        except StoreError as exc:
            yield from _not_ingested(units, str(exc))
            return
        try:
            for index, unit in enumerate(units):
                items = self._load_unit(unit)
                for item in items:
                    if isinstance(item, LoadedDocument) and batch.conflicts(item):
                        yield from flush()
                        if stopped:  # this item was never stored
                            yield _not_ingested_one(unit.source, stopped[0], rest=True)
                            break
                    batch.add(unit, item)
                    if batch.full():
                        yield from flush()
                        if stopped:
                            if next(items, None) is not None:  # the input holds more than was tried
                                yield _not_ingested_one(unit.source, stopped[0], rest=True)
                            break
                if stopped:
                    yield from _not_ingested(units[index + 1 :], stopped[0])
                    return
                finished.append(unit)
                if not batch.docs():
                    yield from flush()
            yield from flush()
        finally:
            self._end()

    def _after(self, unit: _Unit, result: IngestResult) -> None:
        """A unit's follow-up (remembering a feed entry); a store that fails here costs only a re-try
        of that entry on the next run (its article is recognised as a duplicate)."""
        try:
            unit.after(result)  # type: ignore[misc]
        except StoreError:
            log.warning("could not record %s as ingested", unit.source, exc_info=True)

    def _load_unit(self, unit: _Unit) -> Iterator[LoadedDocument | IngestResult]:
        try:
            for item in unit.load():
                if isinstance(item, LoadFailure):
                    yield IngestResult(source=item.source, status="failed", reason=item.reason)
                else:
                    yield item
        except LoadError as exc:
            yield IngestResult(source=unit.source, status="failed", reason=str(exc))
        except Exception as exc:  # a loader bug must not stop the other inputs
            log.exception("loading %s failed", unit.source)
            yield IngestResult(source=unit.source, status="failed", reason=f"unexpected error: {exc}")

    def _begin(self) -> None:
        """Finish what a killed writer left before starting (whoever holds the write lock or lease
        may: no other writer can be mid-write)."""
        with self._lock:
            self.store.recover()

    def _end(self) -> None:
        """Bring the lexical index up to date now rather than on the next question. A store that
        fails here (the server went away, the disk is full) only delays that: the index catches up
        by itself when it next sees the store."""
        try:
            with self._lock:
                self.lexical.refresh()
        except StoreError:
            log.warning("the lexical index was not brought up to date after the ingest", exc_info=True)

    def _flush(self, batch: _Batch, stopped: list[str]) -> list[tuple[_Unit, IngestResult]]:
        """Store the batch's documents (embedded together, written in one commit) and empty it.

        A `StoreError` fails the batch's articles with its message and appends it to `stopped`."""
        slots = batch.take()
        docs = [(i, item) for i, (_unit, item) in enumerate(slots) if isinstance(item, LoadedDocument)]
        results: dict[int, IngestResult] = {
            i: item for i, (_unit, item) in enumerate(slots) if not isinstance(item, LoadedDocument)
        }
        if docs:
            try:
                results.update(self._store_many(docs))
            except StoreError as exc:  # the store cannot take writes now: stop here, nothing half-stored
                log.warning("the store stopped the ingest: %s", exc)
                stopped.append(str(exc))
                for i, doc in docs:
                    results[i] = IngestResult(source=doc.source, status="failed", reason=f"not stored: {exc}")
            except Exception as exc:  # the store refused the batch: each of its articles fails, none half-stored
                log.exception("storing a batch failed")
                for i, doc in docs:
                    results[i] = IngestResult(source=doc.source, status="failed", reason=f"could not store: {exc}")
        out = []
        for i, (unit, _item) in enumerate(slots):
            unit.last = results[i]
            out.append((unit, results[i]))
        return out

    def _store_many(self, docs: list[tuple[int, LoadedDocument]]) -> dict[int, IngestResult]:
        results: dict[int, IngestResult] = {}
        fresh: list[tuple[int, LoadedDocument, Article]] = []
        docs = [(i, doc.model_copy(update={"url": canonical_url(doc.url)})) for i, doc in docs]
        articles = [(i, doc, Article.from_loaded(doc)) for i, doc in docs]
        known = self.store.existing_ids([a.id for _, _, a in articles])
        for i, doc, article in articles:
            if article.id in known:
                results[i] = self._duplicate(doc, article)
            else:
                fresh.append((i, doc, article))
        if not fresh:
            return results
        prepared: list[tuple[int, LoadedDocument, Article, list[Sentence], list[Passage]]] = []
        for i, doc, article in fresh:
            sentences = split_sentences(article.text)
            passages = make_passages(article.id, article.text, sentences)
            article.passage_count = len(passages)
            prepared.append((i, doc, article, sentences, passages))

        # The briefing facts are extracted while the batch is embedded: extraction is Python and the
        # model runs outside the interpreter lock, so the two overlap (measured: 0.4-0.5 s less per 300
        # generated articles, of about 19 s).
        # Embedding stays on this thread, so Ctrl-C or a failure stops it between two model batches.
        def extract_all() -> None:
            for _, _, article, sentences, _ in prepared:
                article.meetings = extract_meetings(article, sentences)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract") as pool:
            extraction = pool.submit(extract_all)
            embedded = embed_articles(
                [(sentences, passages) for _, _, _, sentences, passages in prepared], self.embeddings
            )
            extraction.result()
        with self._lock:
            known = self.store.existing_ids([a.id for _, _, a, _, _ in prepared])  # another writer, meanwhile
            batch: list[NewArticle] = []
            for (i, doc, article, _, passages), (vectors, packed) in zip(prepared, embedded):
                if article.id in known:
                    results[i] = self._duplicate(doc, article)
                    continue
                # A changed version of a URL's article replaces the old one, in the same commit.
                replaced = [a.id for a in self.store.find_by_url(doc.url) if a.id != article.id] if doc.url else []
                batch.append(NewArticle(article, passages, vectors, replaced, packed))
                status: Status = "updated" if replaced else "new"
                results[i] = IngestResult(doc.source, status, article.id, article.title, len(passages))
            self.store.add_articles(batch, before_commit=getattr(self._lock, "check", None))
        return results

    def _duplicate(self, doc: LoadedDocument, article: Article) -> IngestResult:
        existing = self.store.get_article(article.id)
        return IngestResult(
            doc.source,
            "duplicate",
            article.id,
            existing.title if existing else article.title,
            existing.passage_count if existing else 0,
        )


def _not_ingested_one(source: str, reason: str, rest: bool = False) -> IngestResult:
    what = "the rest of this input was not ingested" if rest else "not ingested"
    return IngestResult(source=source, status="failed", reason=f"{what}: {reason}")


def _not_ingested(units: Sequence[_Unit], reason: str) -> Iterator[IngestResult]:
    """One failure per input the ingest did not get to (named as the user gave them, unloaded)."""
    for unit in units:
        yield _not_ingested_one(unit.source, reason)


class _Batch:
    """Loaded inputs waiting to be stored together; failures wait too, so results keep input order."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self.slots: list[tuple[_Unit, LoadedDocument | IngestResult]] = []
        self._ids: set[str] = set()
        self._urls: set[str] = set()

    def docs(self) -> list[LoadedDocument]:
        return [item for _, item in self.slots if isinstance(item, LoadedDocument)]

    def conflicts(self, doc: LoadedDocument) -> bool:
        """The same text or URL twice in one batch: store the first before deciding on the second."""
        return article_id_for(doc.text) in self._ids or (doc.url is not None and canonical_url(doc.url) in self._urls)

    def add(self, unit: _Unit, item: LoadedDocument | IngestResult) -> None:
        self.slots.append((unit, item))
        if isinstance(item, LoadedDocument):
            self._ids.add(article_id_for(item.text))
            canonical = canonical_url(item.url) if item.url else None
            if canonical:
                self._urls.add(canonical)

    def full(self) -> bool:
        return len(self.docs()) >= self.size

    def take(self) -> list[tuple[_Unit, LoadedDocument | IngestResult]]:
        slots, self.slots = self.slots, []
        self._ids.clear()
        self._urls.clear()
        return slots


def embed_articles(
    items: Sequence[tuple[Sequence[Sentence], Sequence[Passage]]], embeddings: Embeddings
) -> list[tuple[list[list[float]], str | None]]:
    """Embed every sentence of these articles once, in one batch. For each article: its passage
    vectors (derived from its sentences') and its sentence vectors, packed for the store."""
    texts = [s.text for sentences, _ in items for s in sentences]
    vectors = np.asarray(embeddings.embed_documents(texts) if texts else [], dtype=np.float32)
    out = []
    offset = 0
    for sentences, passages in items:
        own = vectors[offset : offset + len(sentences)]
        offset += len(sentences)
        packed = pack([s.start for s in sentences], own) if len(sentences) else None
        out.append((passage_vectors(passages, sentences, own), packed))
    return out


def passage_vectors(
    passages: Sequence[Passage], sentences: Sequence[Sentence], vectors: np.ndarray
) -> list[list[float]]:
    """Each passage's vector: the normalised mean of the vectors of the sentences it holds.

    Passages are windows of whole sentences, so no text is embedded twice: dense retrieval over
    passages and sentence ranking share one forward pass per sentence."""
    starts = [s.start for s in sentences]
    out = []
    for p in passages:
        first = bisect_left(starts, p.start)
        last = bisect_right(starts, p.end - 1)
        out.append(normalized_mean(vectors[first : max(last, first + 1)]))
    return out
