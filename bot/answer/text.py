"""Word-level helpers shared by question understanding and sentence ranking."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from ingest.extraction.lexicon import find_sides
from ingest.extraction.people import similar_name

__all__ = [
    "INTENT_WORDS",
    "STOP",
    "contains_word",
    "content_stems",
    "sentence_stems",
    "sides_as_tokens",
    "similar_name",
    "stem",
    "words",
]

_STEMMER = Stemmer.Stemmer("english")
WORD = re.compile(r"[\w]+(?:[-'\u2019][\w]+)*")

STOP = {
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
    "done",
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
    "ask",
    "asked",
    "say",
    "said",
    "says",
    "tell",
    "told",
    "also",
    "other",
    "than",
    "then",
    "there",
    "here",
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
    "yes",
    "if",
    "so",
    "such",
    "each",
    "both",
    "two",
    "sides",
    "side",
    "one",
    "ones",
    "article",
    "articles",
    "report",
    "story",
    "according",
    "mentioned",
    "mention",
    "described",
    "describe",
    "happen",
    "happened",
    "take",
    "took",
    "place",
    "made",
    "make",
    "get",
    "got",
    "kind",
    "way",
    "very",
    "s",
    "between",
    "among",
    "during",
    "after",
    "before",
    "while",
    "us",
    "we",
    "our",
    "you",
    "your",
    "i",
    "me",
    "my",
}
# Question words that carry the intent, not the topic: dropped before lexical matching.
INTENT_WORDS = {
    "meet",
    "met",
    "meeting",
    "meetings",
    "talk",
    "talks",
    "hold",
    "held",
    "holding",
    "discuss",
    "discussed",
    "discussion",
    "topics",
    "topic",
    "issue",
    "issues",
    "where",
    "when",
    "day",
    "date",
    "city",
    "venue",
    "building",
    "urge",
    "urged",
    "demand",
    "demanded",
    "call",
    "called",
    "press",
    "pressed",
    "want",
    "wanted",
    "raise",
    "raised",
    "emphasize",
    "emphasized",
    "stress",
    "stressed",
    "warn",
    "warned",
    "agree",
    "agreed",
    "respond",
    "responded",
    "say",
    "said",
    "tell",
    "told",
    "do",
    "involve",
    "involved",
    "deal",
    "dealt",
    "came",
    "come",
    "part",
    "collection",
    "leaders",
    "leader",
    "officials",
    "official",
}


def words(text: str) -> list[str]:
    return [w.casefold().replace("\u2019", "'") for w in WORD.findall(text)]


# Irregular verbs reporting uses, so "met" matches "meet" and "told" matches "tell".
_IRREGULAR = {
    "met": "meet",
    "held": "hold",
    "told": "tell",
    "said": "say",
    "spoke": "speak",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "sought": "seek",
    "brought": "bring",
    "made": "make",
    "thought": "think",
    "began": "begin",
    "begun": "begin",
    "signed": "sign",
    "agreed": "agree",
    "left": "leave",
    "came": "come",
    "went": "go",
    "saw": "see",
    "seen": "see",
    "struck": "strike",
    "hit": "hit",
    "won": "win",
    "paid": "pay",
}


# Words reporting and questions use for the same thing ("topics" asked, "subjects" reported).
_SYNONYMS = {
    "relationship": "relations",
    "relationships": "relations",
    "ties": "relations",
    "handle": "manage",
    "handled": "manage",
    "handling": "manage",
    "managed": "manage",
    "subject": "topic",
    "subjects": "topic",
    "issue": "topic",
    "issues": "topic",
    "agenda": "topic",
    "priorities": "topic",
    "priority": "topic",
    "matters": "topic",
    "deaths": "die",
    "death": "die",
    "died": "die",
    "dies": "die",
    "killed": "die",
    "stress": "emphasize",
    "stressed": "emphasize",
    "underlined": "emphasize",
    "underscored": "emphasize",
    "gave": "give",
    "handed": "give",
    "hand": "give",
    "handing": "give",
}


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    word = word.casefold()
    word = _IRREGULAR.get(word, word)
    return _STEMMER.stemWord(_SYNONYMS.get(word, word))


def content_stems(text: str, drop_intent: bool = False) -> set[str]:
    out = set()
    for w in words(text):
        if w in STOP or len(w) < 2 or (drop_intent and w in INTENT_WORDS):
            continue
        out.add(stem(w))
        if "-" in w:
            out.update(stem(p) for p in w.split("-") if p not in STOP and len(p) > 1)
    return out


def contains_word(text: str, term: str) -> bool:
    """Whole-word, case-insensitive presence of a term (one or more words) in a text."""
    return re.search(r"(?<![\w])" + re.escape(term) + r"(?![\w])", text, re.I) is not None


def sides_as_tokens(text: str) -> tuple[str, set[str]]:
    """The text with country words taken out, and one token per side they name (Beijing -> side:China)."""
    sides = find_sides(text)
    for start, end, _ in reversed(sides):
        text = text[:start] + " " + text[end:]
    return text, {"side:" + side for _, _, side in sides}


@lru_cache(maxsize=20000)
def sentence_stems(text: str) -> frozenset[str]:
    rest, sides = sides_as_tokens(text)
    return frozenset(content_stems(rest) | sides)
