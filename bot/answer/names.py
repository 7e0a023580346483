"""Whether a name in a question is a person of the store: by surname across spellings, and one
surname is not one person. The catalog (who is who across articles) and the answer engine (which
meeting, which speaker) decide it the same way."""

from __future__ import annotations

import re
from functools import lru_cache

from nicknames import NickNamer

from bot.answer.text import similar_name


def _key_parts(name: str) -> set[str]:
    """The parts of a name that name its person: any part but a given name ("Lula" for "Luiz Inácio
    Lula da Silva", "Wang" for "Wang Yi"); a given name alone ("Ursula", "Nicolás") names someone
    else as often as the person asked about."""
    parts = [p for p in name.split() if p[:1].isupper() and len(p) > 2]
    return set(parts[1:] if len(parts) > 1 else parts)


def name_in_text(name: str, text: str) -> bool:
    """A person is in a text when the surname (or, for 'Wang Yi'-style names, the family name) is there.

    A spelling variant counts too (`similar_name`: one edit apart). The text's capitalised words
    are indexed once per text (`_NameTokens`), so the check costs a few dictionary lookups per name
    part instead of a comparison with every capitalised word of the article.
    """
    keys = _key_parts(name)
    if not keys:
        return False
    tokens = _name_tokens(text)
    return any(tokens.has_similar(k) for k in keys)


@lru_cache(maxsize=65536)
def same_person(asked: str, named: str) -> bool:
    """Whether `named` (a participant's or a speaker's name) is the person a question asks about.

    A name part in common decides (as in `name_in_text`: "Lula" is "Luiz Inácio Lula da Silva",
    "Antony Blinken" is "Anthony Blinken"), unless each name has a part the other lacks: "Hamad
    Bakr" is not "Fatima Bakr", nor "Wang Wentao" "Wang Yi". A store of many reports holds many
    people of one surname; one name holding all of the other's parts ("Lula da Silva") is the same
    person, and so is one whose given name is the other's nickname or whose extra parts are an
    initial or a suffix ("Joe Biden" is "Joseph R. Biden, Jr."). Names are compared part by part,
    with no text index: the catalog asks this for every person it merges."""
    if asked == named:
        return True
    asked_parts, named_parts = _parts(asked), [_POSSESSIVE.sub("", p) for p in _parts(named)]
    if not any(similar_name(k, p) for k in _key_parts(asked) for p in named_parts if p[:1].isupper()):
        return False

    def lacks(parts: list[str], other: list[str]) -> bool:
        return any(not any(_same_part(p, o) for o in other) for p in parts)

    return not (lacks(asked_parts, named_parts) and lacks(named_parts, asked_parts))


_INITIAL_OR_SUFFIX = re.compile(r"[A-Z]\.?|(?:Jr|Sr|II|III|IV)\.?", re.I)
_NICKNAMES = NickNamer()  # the nicknames package's curated table of English given names


def _parts(name: str) -> list[str]:
    """A name's parts without initials and suffixes ("Joseph R. Biden, Jr." -> Joseph, Biden)."""
    parts = (p.strip(",") for p in name.split())
    return [p for p in parts if p and not _INITIAL_OR_SUFFIX.fullmatch(p)]


def _same_part(a: str, b: str) -> bool:
    """One name part as another writes it: a spelling variant, or a nickname ("Joe" for "Joseph")."""
    if similar_name(a, b):
        return True
    x, y = a.casefold(), b.casefold()
    return y in _NICKNAMES.nicknames_of(x) or x in _NICKNAMES.nicknames_of(y)


_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")  # a word of any script: "Çavuşoğlu", "Šefčovič"
_POSSESSIVE = re.compile(r"['\u2019]s$")


class _NameTokens:
    """The capitalised words of one text (possessive 's cut), casefolded, indexed by their first two
    and last two letters. Two words of five letters or more that are one edit apart share one of
    those (an edit among the first two letters leaves the last two alone), so only words sharing one
    are compared, by `similar_name` itself: the answer is exactly that of comparing with every word."""

    __slots__ = ("_by_affix", "words")

    def __init__(self, text: str) -> None:
        capitalised = {t for t in set(_WORD.findall(text)) if t[0].isupper()}
        self.words = frozenset(_POSSESSIVE.sub("", t).casefold() for t in capitalised)
        self._by_affix: dict[str, list[str]] = {}
        for word in self.words:
            if len(word) >= 5:  # similar_name never matches a shorter word unless it is equal
                self._by_affix.setdefault("^" + word[:2], []).append(word)
                self._by_affix.setdefault("$" + word[-2:], []).append(word)

    def has_similar(self, key: str) -> bool:
        folded = key.casefold()
        if folded in self.words:
            return True
        if len(folded) < 5:  # similar_name matches words this short only when they are equal
            return False
        candidates = self._by_affix.get("^" + folded[:2], []) + self._by_affix.get("$" + folded[-2:], [])
        return any(abs(len(word) - len(folded)) <= 1 and similar_name(word, key) for word in candidates)


def _name_tokens(text: str) -> _NameTokens:
    """Articles and sentences are cached apart: the ~150 sentences a question ranks must not push
    out the indexes of the articles its anchors are checked against (a 10k-article store asks
    for a few dozen of those per question)."""
    return _article_name_tokens(text) if len(text) > 1000 else _short_name_tokens(text)


@lru_cache(maxsize=16384)
def _article_name_tokens(text: str) -> _NameTokens:
    return _NameTokens(text)


@lru_cache(maxsize=8192)
def _short_name_tokens(text: str) -> _NameTokens:
    return _NameTokens(text)
