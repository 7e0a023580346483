"""What the store knows about people, kept up to date as the store changes.

Built from the briefing facts extracted at ingest (never from re-reading text per question), and
cached on the store's generation token, so a question costs a dictionary lookup, not a scan.

Memory stays flat as the archive grows: the catalog keeps the people index and, per article, the
few people it names (parsed once from the stored facts when the article first appears); whole
articles and their meetings are read on demand through the store's small cache.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.answer.names import same_person
from vectorstore.models import Article, Meeting
from vectorstore.store import ArticleStore, meetings_json


@dataclass
class KnownPerson:
    name: str
    country: str | None
    titles: set[str] = field(default_factory=set)
    article_ids: set[str] = field(default_factory=set)

    @property
    def aliases(self) -> set[str]:
        return {self.name} | {t for t in self.name.split() if len(t) > 1 and t[0].isupper()}


# What one article says about people, meeting by meeting: the participants (name, country, title) and
# the statement speakers that may be people of their own (name, side).
Participants = tuple[tuple[str, str | None, str | None], ...]
Speakers = tuple[tuple[str, str | None], ...]
Mentions = tuple[tuple[Participants, Speakers], ...]


def _no_articles(_article_id: str) -> Article | None:
    return None


@dataclass
class Catalog:
    # Where whole articles come from (the store, through its small cache); the catalog holds none.
    read_article: Callable[[str], Article | None] = _no_articles
    people: dict[str, KnownPerson] = field(default_factory=dict)
    # Name part (and its one-letter deletions, for spelling variants) -> people: a question's words are
    # looked up here instead of comparing them with every known person.
    name_index: dict[str, set[str]] = field(default_factory=dict)
    # Surname -> people with it, in the order they were first seen: merging a participant into a known
    # person and resolving a follow-up's speaker look here instead of scanning everyone.
    by_surname: dict[str, list[KnownPerson]] = field(default_factory=dict)

    def article(self, article_id: str) -> Article | None:
        return self.read_article(article_id)

    def meetings_of(self, article_id: str) -> list[Meeting]:
        article = self.read_article(article_id)
        return list(article.meetings) if article is not None else []

    def meeting_of(self, article_id: str) -> Meeting | None:
        found = self.meetings_of(article_id)
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


def _mentions_of_json(text: str) -> Mentions:
    """The people an article's stored facts name, read straight from their JSON: making model objects
    of every stored fact to learn a few names would cost most of a rebuild on a large archive."""
    intern = sys.intern  # the same names recur across thousands of articles: one string each

    def opt(value: str | None) -> str | None:
        return intern(value) if value else value

    out = []
    for meeting in json.loads(text or "[]"):
        participants = tuple(
            (intern(p["name"]), opt(p.get("country")), opt(p.get("title"))) for p in meeting.get("participants") or ()
        )
        speakers = tuple(
            (intern(st["actor"]), opt(st.get("side")))
            for st in meeting.get("statements") or ()
            if " " in (st.get("actor") or "") and st.get("side") != st["actor"]
        )
        out.append((participants, speakers))
    return tuple(out)


def build_catalog(articles: Sequence[Article]) -> Catalog:
    """The catalog of these articles (in this order), reading them from the list itself."""
    by_id = {a.id: a for a in articles}
    return _catalog_from([(a.id, _mentions_of_json(meetings_json(a))) for a in articles], by_id.get)


def _catalog_from(mentions: Iterable[tuple[str, Mentions]], read_article: Callable[[str], Article | None]) -> Catalog:
    catalog = Catalog(read_article=read_article)
    for article_id, meetings in mentions:
        for participants, speakers in meetings:
            for name, country, title in participants:
                known = _merge(catalog, name, country)
                known.article_ids.add(article_id)
                if title:
                    known.titles.add(title)
            for actor, side in speakers:
                if actor not in catalog.people:
                    _merge(catalog, actor, side).article_ids.add(article_id)
    for person in catalog.people.values():
        _index_name(catalog, person)
    return catalog


def _merge(catalog: Catalog, name: str, country: str | None) -> KnownPerson:
    """One entry per person across articles ('Antony Blinken'/'Anthony Blinken' share a surname and
    side); two given names on one surname are two people ('Fatima Bakr' is not 'Hamad Bakr'), even
    of one country: the answer engine tells them apart by `same_person`, and so does the catalog."""
    exact = catalog.people.get(name)  # most mentions: a name seen before, no comparison needed
    if exact is not None and (exact.country == country or not exact.country or not country):
        exact.country = exact.country or country
        return exact
    surname = name.split()[-1]
    for known in catalog.by_surname.get(surname, ()):
        if not same_person(known.name, name):
            continue
        if known.country == country or not known.country or not country:
            known.country = known.country or country
            if len(known.name.split()) == 1 < len(name.split()) and name not in catalog.people:
                # "Bakr" alone, then "Fatima Bakr": the entry takes the full name, so a later "Hamad
                # Bakr" is told apart from it instead of joining a surname that fits everyone.
                if catalog.people.get(known.name) is known:
                    del catalog.people[known.name]
                known.name = name
                catalog.people[name] = known
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


@dataclass
class _StoreCatalog:
    generation: str
    catalog: Catalog
    mentions: dict[str, Mentions]  # by article id: parsed once, when the article first appears


_lock = threading.Lock()
_cache: dict[int, _StoreCatalog] = {}
_building: dict[int, threading.Lock] = {}


def catalog_for(store: ArticleStore) -> Catalog:
    """The catalog of the store's current generation, built by one thread at a time.

    A rebuild parses the facts of the articles new since the last one only and merges every
    article's people again (newest first, as listed), so it costs a fraction of a second at
    100,000 articles. While one thread rebuilds after a write, the others answer from the catalog
    of the write before (an article that just arrived is read from the store all the same) instead
    of each building the same catalog at once: under 50 askers during an ingest, every commit set a
    dozen threads building side by side, fighting for the interpreter lock. A thread with no
    catalog at all waits for the build.
    """
    generation = store.generation()
    key = id(store)
    with _lock:
        cached = _cache.get(key)
        building = _building.setdefault(key, threading.Lock())
    if cached and cached.generation == generation:
        return cached.catalog
    if cached is None:
        building.acquire()
    elif not building.acquire(blocking=False):
        return cached.catalog  # another thread is building this generation's catalog
    try:
        with _lock:
            latest = _cache.get(key)
        if latest and latest.generation == generation:
            return latest.catalog
        headers = store.headers()
        known = latest.mentions if latest else {}
        new = [h.id for h in headers if h.id not in known]
        parsed = {i: _mentions_of_json(text) for i, text in store.meetings_json(new)}
        mentions = {
            h.id: known[h.id] if h.id in known else parsed[h.id] for h in headers if h.id in known or h.id in parsed
        }
        built = _StoreCatalog(generation, _catalog_from(mentions.items(), store.get_article), mentions)
        with _lock:
            _cache[key] = built
        return built.catalog
    finally:
        building.release()
