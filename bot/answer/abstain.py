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
    at ask time (a few hundred, well under a second), only for a topic whose words the article lacks."""
    vocabulary = sorted({w for w in words(text) if w not in STOP and len(w) > 2 and w.isalpha()})
    if not vocabulary:
        return False
    return _same_meaning(about_words, vocabulary, embeddings)


def _unit_rows(vectors: list[list[float]]) -> np.ndarray:
    rows = np.asarray(vectors, dtype=np.float32)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)


# "How many inspectors ...?" names what is counted; "How much will it cost?" asks for a sum of money.
_HOW_MANY = re.compile(
    r"^\W*(?:and\s+)?(?:by\s+)?how\s+many\s+((?:[\w'\u2019-]+\s+){0,3}?[\w'\u2019-]+)(?=\s+(?:"
    r"is|are|was|were|will|would|did|does|do|has|have|had|can|could|should|may|a|an|per|each|"
    r"in|on|at|for|to|of|under|from|he|she|they|it)\b)",
    re.I,
)
_HOW_MUCH_MONEY = re.compile(
    r"^\W*(?:and\s+)?how\s+much\b.*\b(?:cost\w*|money|worth|value\w*|invest\w*|pay\w*|paid|spend\w*|spent|fund\w*|"
    r"aid|budget\w*|price\w*|give|given|gave|grant\w*|pledge\w*|financ\w*|loan\w*|contribut\w*)\b",
    re.I,
)
_COUNT = re.compile(
    r"(?:\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|hundreds|thousand|thousands|dozen|dozens|million|billion))((?:\s+[\w'\u2019-]+){1,4})",
    re.I,
)
_MONEY = re.compile(
    r"[$\u20ac\u00a3\u00a5\u20b9\u20a6\u20bd\u20a9\u20ba]|\b(?:[A-Z]{3}|[A-Z]{1,2}\$?|Rs\.?)\s?\d|"  # "AUD 5", "N650"
    r"\b(?:dollars?|euros?|pounds?|yuan|renminbi|rupees?|shillings?|naira|pesos?|francs?|yen|won|rubles?|roubles?|"
    r"riyals?|dirhams?|lira|rand|reais|crores?|lakhs?)\b",
)


def count_unmatched(q: Question, sentences: list[str], embeddings: Embeddings | None = None) -> bool:
    """'How many Israeli inspectors ...?' answered only by '40 new inspection lanes', 'How much will the
    corridor cost?' by a sentence with no sum of money: the number the question asks for is not there.
    What is counted may be written in other words ("patrol ships" / "patrol vessels"): with
    `embeddings`, a word of the same meaning counts."""
    question = q.core or q.text
    if _HOW_MUCH_MONEY.match(question):
        return not any(_MONEY.search(s) for s in sentences)
    many = _HOW_MANY.match(question)
    if many is None:
        return False
    counted = [w for w in words(many.group(1)) if w not in STOP and len(w) > 2]
    if not counted:
        return False
    head = counted[-1]  # "Kenyan troops" counts troops
    after = {
        w for s in sentences for m in _COUNT.finditer(s) for w in words(m.group(1)) if w not in STOP and w.isalpha()
    }
    if not after:
        return True
    if content_stems(head) & content_stems(" ".join(after)):
        return False
    return embeddings is None or not _same_meaning([head], sorted(after), embeddings)


def _same_meaning(asked: list[str], written: list[str], embeddings: Embeddings) -> bool:
    """Whether one of the asked words and one of the written words name the same thing."""
    vectors = _unit_rows(embeddings.embed_documents([*asked, *written]))
    return bool((vectors[: len(asked)] @ vectors[len(asked) :].T).max() >= SAME_MEANING)
