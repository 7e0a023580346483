"""BM25 over the committed passages (bm25s), persisted beside the store and rebuilt only when stale.

Dense search alone confuses meetings that look alike ("Who met in Munich?" finds Paris); exact
names and places need a lexical ranker. The index is a cache of the store: it records the store's
generation token it was built from, and is rebuilt (once, under a lock) when the store has moved on.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from vectorstore.store import ArticleStore

log = logging.getLogger(__name__)

_STEMMER = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"\w+(?:[-'\u2019]\w+)*")


@dataclass(frozen=True)
class LexicalHit:
    passage_id: str
    article_id: str
    start: int
    end: int
    text: str
    score: float


def _tokens(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed words; hyphenated names ("Kim Jong-un", "one-China") stay whole."""
    out = []
    for text in texts:
        words = _TOKEN.findall(text.casefold().replace("\u2019", "'"))
        out.append(_STEMMER.stemWords(words))
    return out


class LexicalIndex:
    def __init__(self, store: ArticleStore, directory: Path) -> None:
        self.store = store
        self.directory = directory
        self._lock = threading.Lock()
        # One tuple, swapped whole: a reader thread never pairs a new model with old rows.
        self._state: tuple[str, bm25s.BM25 | None, list[tuple[str, str, int, int, str]]] | None = None
        # Passage id -> position in the rows it was built from (built on first use, per rows list).
        self._positions: tuple[list, dict[str, int]] | None = None

    def _current(self) -> tuple[bm25s.BM25 | None, list[tuple[str, str, int, int, str]]]:
        generation = self.store.generation()
        state = self._state
        if state is None or state[0] != generation:
            with self._lock:
                state = self._state
                if state is None or state[0] != generation:
                    state = self._load(generation) or self._build(generation)
                    self._state = state
        return state[1], state[2]

    def _load(self, generation: str):
        """The saved index, if it was built for this generation and its three files agree (another
        process may swap the folder between two reads: then they don't, and we rebuild)."""
        manifest = self.directory / "manifest.json"
        try:
            data = json.loads(manifest.read_text("utf-8"))
            if data.get("generation") != generation:
                return None
            rows = [tuple(r) for r in json.loads((self.directory / "rows.json").read_text("utf-8"))]
            model = bm25s.BM25.load(str(self.directory / "bm25")) if rows else None
        except (OSError, ValueError, KeyError) as exc:
            log.info("lexical index not loaded (%s); rebuilding", exc)
            return None
        if data.get("passages") != len(rows) or (model is not None and model.scores.get("num_docs") != len(rows)):
            log.info("lexical index files disagree (swapped while reading); rebuilding")
            return None
        return generation, model, rows

    def _build(self, generation: str):
        rows: list[tuple[str, str, int, int, str]] = []
        for ids, docs, metas in self.store.iter_passages():
            rows.extend(
                (pid, str(m["article_id"]), int(m["start"]), int(m["end"]), doc)
                for pid, doc, m in zip(ids, docs, metas)
            )
        model = None
        if rows:
            model = bm25s.BM25()
            model.index(_tokens([r[4] for r in rows]), show_progress=False)
        self._save(model, rows, generation)
        return generation, model, rows

    def _save(self, model: bm25s.BM25 | None, rows: list, generation: str) -> None:
        """Write into a folder of this build's own, then swap it in whole: a reader in another
        process never sees half an index, and two processes rebuilding at once never share a folder."""
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=self.directory.name + ".build-", dir=self.directory.parent))
        try:
            if model is not None:
                model.save(str(tmp / "bm25"))
            (tmp / "rows.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
            manifest = {"generation": generation, "passages": len(rows)}
            (tmp / "manifest.json").write_text(json.dumps(manifest), "utf-8")
            old = Path(tempfile.mkdtemp(prefix=self.directory.name + ".old-", dir=self.directory.parent))
            try:
                if self.directory.exists():
                    self.directory.rename(old / "index")
                tmp.rename(self.directory)
            except OSError as exc:  # another process swapped its build in first: theirs serves as well
                log.info("lexical index swap lost a race (%s); keeping the other build", exc)
            finally:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def refresh(self) -> None:
        """Bring the index up to date now (after an ingest), rather than on the next question."""
        self._current()

    def passages(self, passage_ids: list[str]) -> dict[str, tuple[str, str, int, int, str]]:
        """The committed passages among these ids, as (id, article id, start, end, text) rows.

        Dense search reads only ids and distances from Chroma and takes the rest from here (the
        index holds every committed passage already), which halves its cost on a large store."""
        _model, rows = self._current()
        positions = self._positions
        if positions is None or positions[0] is not rows:
            with self._lock:
                positions = self._positions
                if positions is None or positions[0] is not rows:
                    positions = self._positions = (rows, {row[0]: i for i, row in enumerate(rows)})
        index = positions[1]
        return {pid: rows[index[pid]] for pid in passage_ids if pid in index}

    def search(self, query: str, k: int) -> list[LexicalHit]:
        model, rows = self._current()
        if model is None or not rows or k <= 0:
            return []
        tokens = _tokens([query])
        if not tokens[0]:
            return []
        scores = model.get_scores(tokens[0]) if model.get_tokens_ids(tokens[0]) else None
        if scores is None:
            return []  # no word of the query is in the index
        hits = []
        for index in top_k(scores, k):
            pid, article_id, start, end, text = rows[int(index)]
            hits.append(LexicalHit(pid, article_id, start, end, text, float(scores[index])))
        return hits


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` best positive scores, best first, equal scores in index order.

    bm25s's own top-k partitions the whole score array, which on a large store is mostly equal
    values (every passage has "what" and "did") and costs several milliseconds per query; here the
    k-th best value is found once, and only the passages at or above it are sorted. Ties are
    broken by position, so the same question always gets the same passages."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        values = scores[positive]
        kth = np.partition(values, len(values) - k)[len(values) - k]
        positive = positive[values >= kth]
    order = np.lexsort((positive, -scores[positive]))[:k]
    return positive[order]
