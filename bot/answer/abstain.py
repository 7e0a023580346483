"""When to say "the articles don't say": a confident wrong answer is the worst outcome.

The engine abstains when an anchor of the question is absent (a person, place, year or meeting the
store does not have: `bot.answering`; a topic named with "about" that the chosen article never
mentions: `about_missing`), or when the best sentence's fitted probability is under the threshold
fit with the ranker's weights. It never abstains because a cue list found nothing: extraction
misses constructions, and a missed one only lowers a sentence's score.
"""

from __future__ import annotations

import re

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


def about_missing(q: Question, article: Article) -> bool:
    """'What did they agree about fentanyl?': what the question is about must be in the article."""
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
    return not stems & text_stems
