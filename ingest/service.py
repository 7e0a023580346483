"""The ingest service: sources in, whole articles out, one result line per input.

Every surface (CLI, UI uploads and pasted text, the HTTP API) goes through `IngestService`, so
identity, cleaning, extraction and the whole-or-nothing write are the same everywhere.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from filelock import FileLock
from langchain_core.embeddings import Embeddings

from ingest.extraction import extract_meetings
from ingest.loaders import LoadError, load_path, supported
from ingest.models import Article, LoadedDocument
from ingest.segment import make_passages, split_sentences
from vectorstore.lexical import LexicalIndex
from vectorstore.store import ArticleStore

log = logging.getLogger(__name__)

Status = Literal["new", "updated", "duplicate", "failed"]


@dataclass
class IngestResult:
    source: str
    status: Status
    article_id: str | None = None
    title: str | None = None
    passages: int = 0
    reason: str | None = None

    def line(self) -> str:
        """The one line the CLI prints for this input."""
        if self.status == "failed":
            return f"failed     {self.source}: {self.reason}"
        return f"{self.status:<10} {self.article_id}  {self.title}  ({self.source})"


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
        return (
            f"{self.count('new')} new, {self.count('updated')} updated, {self.count('duplicate')} duplicate, "
            f"{self.failed} failed in {self.seconds:.1f}s"
        )


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively in name order, keeping the formats we read."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and supported(p) and not p.name.startswith("."))
        else:
            yield path


class IngestService:
    def __init__(
        self,
        store: ArticleStore,
        lexical: LexicalIndex,
        embeddings: Embeddings,
        lock_path: Path | None = None,
    ) -> None:
        self.store = store
        self.lexical = lexical
        self.embeddings = embeddings
        # One writer at a time per store, across processes (the embedded store is one folder).
        self._lock: AbstractContextManager = FileLock(str(lock_path)) if lock_path else nullcontext()

    def ingest_paths(self, paths: Iterable[Path]) -> Iterator[IngestResult]:
        """Yield one result per article as it is stored; a bad file fails alone."""

        def documents() -> Iterator[LoadedDocument | IngestResult]:
            for path in expand_paths(paths):
                try:
                    if not path.exists():
                        raise LoadError("no such file or folder")
                    yield from load_path(path)
                except LoadError as exc:
                    yield IngestResult(source=str(path), status="failed", reason=str(exc))
                except Exception as exc:  # a loader bug must not stop the other files
                    log.exception("loading %s failed", path)
                    yield IngestResult(source=str(path), status="failed", reason=f"unexpected error: {exc}")

        yield from self.ingest_documents(documents())

    def ingest_documents(self, items: Iterable[LoadedDocument | IngestResult]) -> Iterator[IngestResult]:
        """Store loaded documents (failures from loading pass straight through)."""
        with self._lock:
            self.store.recover()
            try:
                for item in items:
                    if isinstance(item, IngestResult):
                        yield item
                        continue
                    try:
                        yield self._store_one(item)
                    except Exception as exc:
                        log.exception("storing %s failed", item.source)
                        yield IngestResult(source=item.source, status="failed", reason=f"could not store: {exc}")
            finally:
                self.lexical.refresh()

    def ingest_all(self, paths: Iterable[Path]) -> IngestReport:
        started = time.perf_counter()
        report = IngestReport(results=list(self.ingest_paths(paths)))
        report.seconds = time.perf_counter() - started
        return report

    def _store_one(self, doc: LoadedDocument) -> IngestResult:
        article = Article.from_loaded(doc)
        replaced = [a for a in self.store.find_by_url(doc.url) if a.id != article.id] if doc.url else []
        if self.store.has_article(article.id):
            for old in replaced:
                self.store.delete_article(old.id)
            existing = self.store.get_article(article.id)
            return IngestResult(
                doc.source,
                "duplicate",
                article.id,
                existing.title if existing else article.title,
                existing.passage_count if existing else 0,
            )
        sentences = split_sentences(article.text)
        passages = make_passages(article.id, article.text, sentences)
        article.meetings = extract_meetings(article, sentences)
        article.passage_count = len(passages)
        vectors = self.embeddings.embed_documents([embedding_text(article, p.text) for p in passages])
        self.store.add_article(article, passages, vectors)
        # A changed version of a URL's article replaces the old one, after the new one is whole.
        for old in replaced:
            self.store.delete_article(old.id)
        return IngestResult(doc.source, "updated" if replaced else "new", article.id, article.title, len(passages))

    def delete(self, article_id: str) -> bool:
        with self._lock:
            deleted = self.store.delete_article(article_id)
            if deleted:
                self.lexical.refresh()
            return deleted


def embedding_text(article: Article, passage_text: str) -> str:
    """What is embedded for a passage: the headline gives every passage its article's context."""
    return f"{article.title}\n{passage_text}"
