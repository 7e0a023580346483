"""Memory that does not grow with the archive: the store keeps headers in memory, not articles.

Whole articles (text and briefing facts) are read on demand through a small cache; the index of
people the questions are parsed against follows every write, additions and deletions, reading only
what changed. These tests use a real embedded Chroma store and the model-free embedder.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.answer.catalog import catalog_for
from vectorstore import store as store_module

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"


def _ingest(components, *names: str) -> list[str]:
    results = list(components.ingest.ingest_paths([SAMPLES / n for n in names]))
    assert {r.status for r in results} == {"new"}, [r.line() for r in results]
    return [r.article_id for r in results]


def _settle() -> None:
    time.sleep(store_module.GENERATION_TTL + 0.05)  # past the generation token's time to live


def test_the_people_known_follow_additions_and_deletions(components):
    store = components.store
    _ingest(components, "erdogan_putin_sochi_2023.txt", "macron_xi_beijing_2023.md")
    before = set(catalog_for(store).people)
    assert before, "the sample meetings name their participants"

    (added,) = _ingest(components, "lula_biden_washington_2023.txt")
    _settle()
    article = store.get_article(added)
    assert article is not None and article.meetings
    names = {p.name for m in article.meetings for p in m.participants}
    after_add = catalog_for(store)
    assert names <= set(after_add.people), "the new article's participants are known at once"
    assert before <= set(after_add.people)
    newcomers = set(after_add.people) - before
    assert newcomers and all(added in after_add.people[n].article_ids for n in newcomers)
    assert after_add.meeting_of(added) == article.meetings[0]  # read through the store, not held

    assert components.ingest.delete(added)
    _settle()
    after_delete = catalog_for(store)
    assert set(after_delete.people) == before, "a person only the deleted article named is unknown again"
    assert after_delete.meeting_of(added) is None


def test_whole_articles_are_read_on_demand_and_few_are_kept(components, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(store_module, "ARTICLE_CACHE_ARTICLES", 2)
    store = components.store
    ids = _ingest(
        components,
        "erdogan_putin_sochi_2023.txt",
        "macron_xi_beijing_2023.md",
        "lula_biden_washington_2023.txt",
        "biden_xi_woodside_2023.html",
    )
    headers = store.headers()
    assert {h.id for h in headers} == set(ids)
    assert not hasattr(headers[0], "text")  # listings carry no text

    for question in ("Where did Erdogan meet Putin?", "What did Lula and Biden discuss?", "Who did Macron meet?"):
        answer = components.chat.ask(question)
        assert answer.citations, question
        for citation in answer.citations:  # each citation still points at the exact stored text
            cited = store.get_article(citation.article_id)
            assert cited is not None and cited.text[citation.start : citation.end] == citation.text
    assert len(store._article_cache) <= 2

    whole = {a.id: a for a in store.list_articles()}  # every article, read now
    assert set(whole) == set(ids) and all(a.text and a.meetings for a in whole.values())
    assert components.ingest.delete(ids[0])
    assert store.get_article(ids[0]) is None  # even right after it was read and cached
    assert ids[0] not in {h.id for h in store.headers()}
