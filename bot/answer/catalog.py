"""What the store knows about people and meetings, rebuilt only when the store changes.

Built from the briefing facts extracted at ingest (never from re-reading text per question), and
cached on the store's generation token, so a question costs a dictionary lookup, not a scan.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from vectorstore.models import Article, Meeting
from vectorstore.store import ArticleStore


@dataclass
class KnownPerson:
    name: str
    country: str | None
    titles: set[str] = field(default_factory=set)
    article_ids: set[str] = field(default_factory=set)

    @property
    def aliases(self) -> set[str]:
        return {self.name} | {t for t in self.name.split() if len(t) > 1 and t[0].isupper()}


@dataclass
class Catalog:
    people: dict[str, KnownPerson] = field(default_factory=dict)
    meetings: dict[str, list[Meeting]] = field(default_factory=dict)  # by article id
    articles: dict[str, Article] = field(default_factory=dict)
    # Name part (and its one-letter deletions, for spelling variants) -> people: a question's words are
    # looked up here instead of comparing them with every known person.
    name_index: dict[str, set[str]] = field(default_factory=dict)
    # Surname -> people with it, in the order they were first seen: merging a participant into a known
    # person and resolving a follow-up's speaker look here instead of scanning everyone.
    by_surname: dict[str, list[KnownPerson]] = field(default_factory=dict)

    def meeting_of(self, article_id: str) -> Meeting | None:
        found = self.meetings.get(article_id) or []
        return found[0] if found else None

    def person_with_surname(self, name: str) -> KnownPerson | None:
        """The first known person whose last name part is that of `name`."""
        found = self.by_surname.get(name.split()[-1]) if name.split() else None
        return found[0] if found else None

    def people_named(self, word: str) -> list[KnownPerson]:
        """People one of whose name parts is `word` or a one-letter variant of it ('Zelensky'/'Zelenskyy')."""
        keys = {word.casefold()} | (_deletions(word.casefold()) if len(word) >= 5 else set())
        names: set[str] = set()
        for key in keys:
            names |= self.name_index.get(key, set())
        return [self.people[n] for n in sorted(names)]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _index_name(catalog: Catalog, person: KnownPerson) -> None:
    for part in {t for t in person.name.split() if t[:1].isupper()}:
        key = part.casefold()
        catalog.name_index.setdefault(key, set()).add(person.name)
        if len(key) >= 5:
            for variant in _deletions(key):
                catalog.name_index.setdefault(variant, set()).add(person.name)


_lock = threading.Lock()
_cache: dict[int, tuple[str, Catalog]] = {}


def catalog_for(store: ArticleStore) -> Catalog:
    generation = store.generation()
    key = id(store)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == generation:
            return cached[1]
    built = build_catalog(store.list_articles())
    with _lock:
        _cache[key] = (generation, built)
    return built


def build_catalog(articles: list[Article]) -> Catalog:
    catalog = Catalog()
    for article in articles:
        catalog.articles[article.id] = article
        catalog.meetings[article.id] = list(article.meetings)
        for meeting in article.meetings:
            names = {p.name for p in meeting.participants} | {s.actor for s in meeting.statements}
            for p in meeting.participants:
                known = _merge(catalog, p.name, p.country)
                known.article_ids.add(article.id)
                if p.title:
                    known.titles.add(p.title)
            for s in meeting.statements:
                if s.actor in names and s.actor not in catalog.people and " " in s.actor and s.side != s.actor:
                    _merge(catalog, s.actor, s.side).article_ids.add(article.id)
    for person in catalog.people.values():
        _index_name(catalog, person)
    return catalog


def _merge(catalog: Catalog, name: str, country: str | None) -> KnownPerson:
    """One entry per person across articles ('Antony Blinken'/'Anthony Blinken' share a surname and side)."""
    surname = name.split()[-1]
    for known in catalog.by_surname.get(surname, ()):
        if known.country == country or not known.country or not country:
            known.country = known.country or country
            return known
    known = KnownPerson(name=name, country=country)
    same_surname = catalog.by_surname.setdefault(surname, [])
    replaced = catalog.people.get(name)
    if replaced is None:
        same_surname.append(known)
    else:  # the same name on another side: the newer entry takes the older one's place
        same_surname[same_surname.index(replaced)] = known
    catalog.people[name] = known
    return known
