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
        self._generation: str | None = None
        self._model: bm25s.BM25 | None = None
        self._rows: list[tuple[str, str, int, int, str]] = []

    def _load_or_build(self) -> None:
        generation = self.store.generation()
        if self._model is not None and generation == self._generation:
            return
        with self._lock:
            if self._model is not None and generation == self._generation:
                return
            if not self._load(generation):
                self._build(generation)

    def _load(self, generation: str) -> bool:
        manifest = self.directory / "manifest.json"
        try:
            data = json.loads(manifest.read_text("utf-8"))
            if data.get("generation") != generation:
                return False
            rows = json.loads((self.directory / "rows.json").read_text("utf-8"))
            model = bm25s.BM25.load(str(self.directory / "bm25")) if rows else None
        except (OSError, ValueError, KeyError) as exc:
            log.info("lexical index not loaded (%s); rebuilding", exc)
            return False
        self._model, self._rows, self._generation = model, [tuple(r) for r in rows], generation
        return True

    def _build(self, generation: str) -> None:
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
        self._model, self._rows, self._generation = model, rows, generation

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
        self._load_or_build()

    def search(self, query: str, k: int) -> list[LexicalHit]:
        self._load_or_build()
        model, rows = self._model, self._rows
        if model is None or not rows or k <= 0:
            return []
        tokens = _tokens([query])
        if not tokens[0]:
            return []
        docs, scores = model.retrieve(tokens, k=min(k, len(rows)), show_progress=False)
        hits = []
        for index, score in zip(docs[0], scores[0]):
            if score <= 0:
                continue
            pid, article_id, start, end, text = rows[int(index)]
            hits.append(LexicalHit(pid, article_id, start, end, text, float(score)))
        return hits
