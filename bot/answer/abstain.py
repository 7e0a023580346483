"""When to say "the articles don't say": a confident wrong answer is the worst outcome.

The engine abstains when an anchor of the question is absent (a person, place, year or meeting the
store does not have: `bot.answering`; a topic named with "about" that the chosen article never
mentions, in the question's words or in words of the same meaning: `about_missing`), or when the
best sentence's fitted probability is under the threshold fit with the ranker's weights. It never
abstains because a cue list found nothing: extraction misses constructions, and a missed one only
lowers a sentence's score.
"""

from __future__ import annotations

import re
import threading

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.answer.question import Question
from bot.answer.text import INTENT_WORDS, STOP, content_stems, words
from ingest.extraction.lexicon import CITIES, trie_pattern
from vectorstore.models import Article

ABSTAIN = "The ingested articles don't say."


_CITY_NAMES = trie_pattern(CITIES)
_LOCATED = re.compile(r"\b(?:in|at|to|from)\s+(?:the\s+)?(?:" + _CITY_NAMES + r")(?![\w-])")
_DATELINE = re.compile(r"^\s*(?:" + _CITY_NAMES + r")\b\s*(?:,|\(|\u2022|\u2014|-)", re.I)


def located_city(text: str) -> bool:
    """A city as a place ("in Oslo", a dateline "OSLO, March 7"), not as a government ("Washington and Beijing")."""
    return bool(_LOCATED.search(text) or _DATELINE.search(text))


# Cosine of two single words' MiniLM vectors above which they name the same thing: "farm" and
# "agricultural" 0.68, "drug" and "pharmaceutical" 0.75; a topic an article never touches scores at
# most 0.34 against all of its words ("ceasefire", "fentanyl" against reports without them).
SAME_MEANING = 0.6


def about_missing(q: Question, article: Article, embeddings: Embeddings | None = None) -> bool:
    """'What did they agree about fentanyl?': what the question is about must be in the article, in
    its words or in words of the same meaning ("farm imports" against "agricultural market access").
    Without `embeddings`, only the words count."""
    if not q.about or not q.about_strict:
        return False
    about_words = [w for w in words(q.about) if w not in STOP and w not in INTENT_WORDS and len(w) > 2]
    if not about_words:
        return False
    text_stems = content_stems(article.text)
    stems = content_stems(" ".join(about_words))
    if not stems:
        return False
    # None of its words: a topic the meeting never touched. Some of them may be the article's own
    # words for it ("the EU's role as mediator" against "the EU channel"), which ranking weighs.
    if stems & text_stems:
        return False
    return embeddings is None or not _said_otherwise(about_words, article.text, embeddings)


def _said_otherwise(about_words: list[str], text: str, embeddings: Embeddings) -> bool:
    """Whether a word of the article means what a word of the topic means. Single words are embedded
    at ask time, only for a topic whose words the article lacks, and kept for the next question."""
    vocabulary = sorted({w for w in words(text) if w not in STOP and len(w) > 2 and w.isalpha()})
    if not vocabulary:
        return False
    return _same_meaning(about_words, vocabulary, embeddings)


def _unit_rows(vectors: list[list[float]]) -> np.ndarray:
    rows = np.asarray(vectors, dtype=np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


def _same_meaning(asked: list[str], written: list[str], embeddings: Embeddings) -> bool:
    """Whether one of the asked words and one of the written words name the same thing."""
    asked_rows, written_rows = _word_vectors(asked, embeddings), _word_vectors(written, embeddings)
    return bool((asked_rows @ written_rows.T).max() >= SAME_MEANING)


# Single words' vectors, kept per embedder: an article's words are embedded once per process, not on
# every question about it. (Kept here, not in the index: only "about" questions whose words the article
# lacks need them, and a vector per word of every article would grow the store for that rare case.)
_WORD_VECTORS: dict[tuple[str, str], np.ndarray] = {}
_WORD_VECTORS_LOCK = threading.Lock()  # the server answers on several threads
_MAX_WORD_VECTORS = 200_000


def _word_vectors(words_: list[str], embeddings: Embeddings) -> np.ndarray:
    model = type(embeddings).__name__
    with _WORD_VECTORS_LOCK:
        missing = [w for w in dict.fromkeys(words_) if (model, w) not in _WORD_VECTORS]
        if missing:
            if len(_WORD_VECTORS) + len(missing) > _MAX_WORD_VECTORS:
                _WORD_VECTORS.clear()
            for word, row in zip(missing, _unit_rows(embeddings.embed_documents(missing)), strict=True):
                _WORD_VECTORS[(model, word)] = row
        return np.stack([_WORD_VECTORS[(model, w)] for w in words_])
