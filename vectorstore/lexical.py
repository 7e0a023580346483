"""BM25 over the committed passages: SQLite FTS5, on disk beside the store, brought up to date
incrementally.

Dense search alone confuses meetings that look alike ("Who met in Munich?" finds Paris); exact
names and places need a lexical ranker. The index is a cache of the store. When the store's
generation token moves, the index adds or removes only the articles that changed: those of this
process's own writes as the store recorded them, or else the difference between the articles it
holds and the committed ones, so a one-article ingest into a large archive costs milliseconds
of index work, not a rebuild of every passage (the bm25s index this replaces was rebuilt whole
after every write). FTS5 ships with Python's sqlite3, keeps the index on disk (memory does not
grow with the archive), and ranks with BM25 (k1 = 1.2, b = 0.75) itself.

Several processes may share one index file (the UI answering while the CLI ingests): SQLite
serialises the writers, and each sync runs in one transaction that re-reads the generation it
brings the index to, so two processes never apply the same difference twice.

Being a cache, the file may be lost without loss: deleted (or replaced) under a running process,
the index notices at its next use and builds a new one from the store; unreadable (corrupt, or not a
database at all), it is removed and rebuilt the same way. A disk too full for its writes is
`StoreFull`, a message for the user, not a crash.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import Stemmer

from vectorstore.errors import StoreFull, full_message, is_corrupt_index, is_disk_full
from vectorstore.store import ArticleStore

T = TypeVar("T")

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
# Words every passage of a news archive has: leaving them out of a query changes no ranking worth
# having and saves scoring most of the index for them.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "did",
        "do",
        "does",
        "what",
        "who",
        "whom",
        "which",
        "when",
        "where",
        "why",
        "how",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "them",
        "him",
        "about",
        "into",
        "over",
        "any",
        "has",
        "have",
        "had",
        "will",
        "would",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "if",
        "so",
        "than",
        "then",
        "there",
        "here",
        "also",
        "s",
    ]
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rows(
    id INTEGER PRIMARY KEY, pid TEXT UNIQUE NOT NULL, article_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rows_article ON rows(article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='rows', content_rowid='id',
    tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, row);
CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_BATCH = 500  # articles whose passages are read from the store in one request
# A query word in more passages than this is left out of the search (unless every word is): FTS5
# scores every passage that holds any query word, so one common word ("talks", "minister") costs a
# pass over a large share of the archive, while its BM25 weight is small. Measured on an FTS5 table of
# 107k passages (the bench corpus twenty times): p50 50 ms with every word, 9 ms without those in
# over 2% of passages.
COMMON_SHARE = 0.02
COMMON_FLOOR = 2000
_PORTER = Stemmer.Stemmer("porter")  # the stemmer of FTS5's porter tokenizer, to look words up in its vocabulary


@dataclass(frozen=True)
class LexicalHit:
    passage_id: str
    article_id: str
    start: int
    end: int
    text: str
    score: float


def query_words(query: str) -> list[str]:
    return list(dict.fromkeys(w for w in _WORD.findall(query.casefold()) if w not in _STOP))


def match_query(words: list[str]) -> str:
    """Words as an FTS5 query: each quoted (no operator can be injected), any may match."""
    return " OR ".join(f'"{w}"' for w in words)


class LexicalIndex:
    def __init__(self, store: ArticleStore, directory: Path) -> None:
        self.store = store
        self.directory = directory
        self.path = directory / "lexical.sqlite3"
        self._lock = threading.Lock()
        self._local = threading.local()
        self._synced: str | None = None  # the store generation this process last saw the index at
        # (generation, passages indexed then, passages holding each word looked up since)
        self._counts: tuple[str | None, int, dict[str, int]] | None = None

    def _db(self) -> sqlite3.Connection:
        """One connection per thread (the server answers on a thread pool), reopened when the file
        it was opened on is gone or replaced (one stat per call: microseconds)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.identity != _identity(self.path):
            log.warning("lexical index %s was deleted or replaced: opening it anew", self.path)
            _close(conn)
            conn = self._local.conn = None
            self._synced = None  # whatever the file now holds is compared with the store again
        if conn is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # a journal left without its database would be applied to the new one
                _remove(self.path, only_journals=True)
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
            except BaseException:
                _close(conn)
                raise
            self._local.conn = conn
            self._local.identity = _identity(self.path)
        return conn

    def _guarded(self, operation: Callable[[], T]) -> T:
        """Run an index operation; rebuild an unreadable index once and retry, name a full disk."""
        try:
            return operation()
        except sqlite3.DatabaseError as exc:
            if is_disk_full(exc):
                raise StoreFull(full_message("the lexical index could not be written", self.directory)) from exc
            if not is_corrupt_index(exc):
                raise
            self._discard(exc)
        return operation()

    def _discard(self, exc: BaseException) -> None:
        """Drop an unreadable index file: it is a cache, rebuilt from the store by the next sync."""
        log.warning("lexical index %s is unreadable (%s): rebuilding it from the store", self.path, exc)
        with self._lock:
            conn = getattr(self._local, "conn", None)
            if conn is not None:
                _close(conn)
                self._local.conn = None
            _remove(self.path)
            self._synced = None
            self._counts = None

    def _sync(self) -> None:
        self._db()  # first: a deleted or replaced file resets what this process believes is synced
        generation = self.store.generation()
        if generation == self._synced:
            return
        # One thread brings the index up to date; while it waits for the file (another process may
        # be writing its own update), the others search the index a write behind, as it was a moment
        # before, rather than queue behind it. A process that has never synced waits.
        if not self._lock.acquire(blocking=self._synced is None):
            return
        try:
            if generation == self._synced:
                return
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
                if row is None or row[0] != generation:
                    change = None if row is None else self.store.changes_between(row[0], generation)
                    if change is None:
                        self._apply_difference(db)
                    else:
                        self._apply_change(db, *change)
                    db.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('generation', ?)", (generation,))
                db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # an unreadable file may refuse even that: it is rebuilt
                    db.execute("ROLLBACK")
                raise
            self._synced = generation
        finally:
            self._lock.release()

    def _apply_difference(self, db: sqlite3.Connection) -> None:
        """Compare every indexed article with every committed one: whenever the store cannot tell
        what changed since the index's generation (the first sync, another process's writes)."""
        committed = self.store.article_ids()
        indexed = {r[0] for r in db.execute("SELECT DISTINCT article_id FROM rows")}
        self._apply_change(db, committed - indexed, indexed - committed, new_are_indexed=False)

    def _apply_change(
        self, db: sqlite3.Connection, new: set[str], gone: set[str], new_are_indexed: bool = True
    ) -> None:
        """Remove the `gone` articles' passages and add the `new` ones'. Unless known not to be, a
        new article already indexed is replaced, so a change applied twice leaves the index as once."""
        for article_id in sorted(gone | new if new_are_indexed else gone):
            db.execute(
                "INSERT INTO fts(fts, rowid, text) SELECT 'delete', id, text FROM rows WHERE article_id = ?",
                (article_id,),
            )
            db.execute("DELETE FROM rows WHERE article_id = ?", (article_id,))
        added = sorted(new)
        for begin in range(0, len(added), _BATCH):
            self._insert(db, self.store.passages_of(added[begin : begin + _BATCH]))
        if gone or new:
            log.info("lexical index: %d articles added, %d removed", len(new), len(gone))

    @staticmethod
    def _insert(db: sqlite3.Connection, passages: Iterable[tuple[str, str, int, int, str]]) -> None:
        for pid, article_id, start, end, text in passages:
            cursor = db.execute(
                'INSERT OR REPLACE INTO rows(pid, article_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                (pid, article_id, start, end, text),
            )
            db.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (cursor.lastrowid, text))

    def refresh(self) -> None:
        """Bring the index up to date now (after an ingest), rather than on the next question."""
        self._guarded(self._sync)

    def passages(self, passage_ids: list[str]) -> dict[str, tuple[str, str, int, int, str]]:
        """The committed passages among these ids, as (id, article id, start, end, text) rows.

        Dense search reads only ids and distances from Chroma and takes the rest from here (the
        index holds every committed passage already), which halves its cost on a large store."""
        return self._guarded(lambda: self._passages(passage_ids))

    def _passages(self, passage_ids: list[str]) -> dict[str, tuple[str, str, int, int, str]]:
        self._sync()
        if not passage_ids:
            return {}
        marks = ",".join("?" * len(passage_ids))
        found = self._db().execute(
            f'SELECT pid, article_id, start, "end", text FROM rows WHERE pid IN ({marks})', passage_ids
        )
        return {row[0]: (row[0], row[1], int(row[2]), int(row[3]), row[4]) for row in found}

    def search(self, query: str, k: int) -> list[LexicalHit]:
        """The `k` best passages by BM25, best first; equal scores in insertion order."""
        return self._guarded(lambda: self._search(query, k))

    def _search(self, query: str, k: int) -> list[LexicalHit]:
        self._sync()
        words = self._selective(query_words(query))
        if not words or k <= 0:
            return []
        match = match_query(words)
        # The best `k` are found in the FTS table alone and only they are joined with their rows:
        # joining first read every matching passage's text before sorting (at 500,000 passages,
        # 44 ms -> 28 ms mean per search, the same hits).
        found = self._db().execute(
            'SELECT r.pid, r.article_id, r.start, r."end", r.text, best.rank FROM '
            "(SELECT rowid, bm25(fts) AS rank FROM fts WHERE fts MATCH ? ORDER BY rank, rowid LIMIT ?) AS best "
            "JOIN rows r ON r.id = best.rowid ORDER BY best.rank, best.rowid",
            (match, k),
        )
        return [LexicalHit(pid, a, int(s), int(e), text, -float(rank)) for pid, a, s, e, text, rank in found]

    def _selective(self, words: list[str]) -> list[str]:
        """The words worth searching for: those in no more passages than COMMON_SHARE of the index
        (COMMON_FLOOR at least); when every word is that common, the rarest alone: such a question
        has no word that tells passages apart, and scoring two common words cost a pass over a
        quarter of the archive (at 500,000 passages, "demand" and "talks": 161 ms; "demand": 25 ms).
        Words the index has never seen are dropped (they match nothing)."""
        if not words:
            return []
        db = self._db()
        if self._counts is None or self._counts[0] != self._synced:
            # Passages and word counts change only with the generation: looked up once per word.
            self._counts = (self._synced, db.execute("SELECT count(*) FROM rows").fetchone()[0], {})
        _, total, known = self._counts
        limit = max(COMMON_FLOOR, COMMON_SHARE * total)
        counts = []
        for word in words:
            if word not in known:
                row = db.execute("SELECT doc FROM fts_vocab WHERE term = ?", (_PORTER.stemWord(word),)).fetchone()
                known[word] = int(row[0]) if row else 0
            if known[word]:
                counts.append((known[word], word))
        keep = [w for n, w in counts if n <= limit]
        return keep or [w for _, w in sorted(counts)[:1]]


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (device, inode), or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _close(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.close()


def _remove(path: Path, only_journals: bool = False) -> None:
    for suffix in ("-wal", "-shm") if only_journals else ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
