"""The answering path's speed-ups give the same answers: name matching by index, the catalog's
surname index, dense search that reads only ids from Chroma, and the passage count cached per
store generation (a write, here or in another process, is seen)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.answer.catalog import build_catalog
from bot.answer.names import name_in_text
from bot.components import Components
from ingest.extraction.people import similar_name
from ingest.models import LoadedDocument
from vectorstore.models import Article, Meeting, Participant
from vectorstore.store import GENERATION_TTL

ROOT = Path(__file__).resolve().parent.parent


def name_in_text_by_every_word(name: str, text: str) -> bool:
    """The definition: some capitalised word of the text is one edit from some part of the name other
    than a given name (the first of two or more parts)."""
    tokens = {t for t in re.findall(r"[^\W\d_][\w'\u2019-]*", text) if t[0].isupper()}
    parts = [p for p in name.split() if p[:1].isupper() and len(p) > 2]
    keys = parts[1:] if len(parts) > 1 else parts
    return any(similar_name(re.sub(r"['\u2019]s$", "", t), k) for t in tokens for k in keys)


def test_name_in_text_finds_spelling_variants_and_possessives():
    text = "Ukrainian President Volodymyr Zelenskyy met Antony Blinken. Blinken's aides said little."
    assert name_in_text("Volodymyr Zelensky", text)  # one letter fewer
    assert name_in_text("Mevlüt Çavuşoğlu", "Çavuşoğlu met Blinken in Ankara.")  # a capital beyond A-Z
    assert name_in_text("Anthony Blinken", text)  # one letter more, and the surname alone
    assert name_in_text("Mark Blinken", text)  # the possessive "Blinken's"
    assert not name_in_text("Wang Yi", text)
    assert not name_in_text("Olaf Zelenskiyyy", text)  # two edits away
    assert not name_in_text("Tony Bliken", "Antony Blinkov visited.")  # five letters, two edits
    assert not name_in_text("Ursula von der Leyen", "Ursula Berg met Lange.")  # a given name alone
    assert name_in_text("Luiz Inácio Lula da Silva", "Lula said so.")


_LETTERS = st.sampled_from("abeiklnorsty")
_WORD = st.builds(lambda first, rest: first + rest, st.sampled_from("ABKLNSTZ"), st.text(_LETTERS, max_size=8))


@hsettings(max_examples=300, deadline=None)
@given(
    st.lists(_WORD, min_size=1, max_size=3),
    st.lists(
        st.one_of(_WORD, st.text(_LETTERS, min_size=1, max_size=6), st.sampled_from(["'s", "-", ".", ","])), max_size=30
    ),
)
def test_name_in_text_agrees_with_comparing_every_word(name_parts, text_words):
    name = " ".join(name_parts)
    text = " ".join(text_words)
    assert name_in_text(name, text) == name_in_text_by_every_word(name, text)


def _article(article_id: str, people: list[tuple[str, str | None]]) -> Article:
    return Article(
        id=article_id,
        title=article_id,
        source=f"{article_id}.txt",
        text="text",
        meetings=[Meeting(participants=[Participant(name=n, country=c) for n, c in people])],
    )


def test_catalog_merges_by_surname_and_side_and_finds_a_speaker_by_surname():
    catalog = build_catalog(
        [
            _article("a1", [("Antony Blinken", "United States"), ("Wang Yi", "China")]),
            _article("a2", [("Anthony Blinken", "United States"), ("Sergei Lavrov", "Russia")]),
            _article("a3", [("Jane Wang", "Canada"), ("Wang Yi", None)]),
        ]
    )
    blinken = catalog.people["Antony Blinken"]
    assert "Anthony Blinken" not in catalog.people  # one person, two spellings, same side
    assert blinken.article_ids == {"a1", "a2"}
    assert catalog.people["Wang Yi"].article_ids == {"a1", "a3"}  # no side given: merged with the known one
    assert "Jane Wang" in catalog.people  # another surname
    assert catalog.person_with_surname("Mr Blinken") is blinken
    assert catalog.person_with_surname("Lavrov").name == "Sergei Lavrov"
    assert catalog.person_with_surname("Nobody Here") is None
    assert [p.name for p in catalog.people_named("Blinkn")] == ["Antony Blinken"]


ARTICLES = [
    (
        "Ministers meet in Lisbon",
        "Foreign Minister Ana Sousa met Minister Tomas Berg in Lisbon on Monday. "
        "Sousa urged closer cooperation on fisheries. Berg raised concerns about shipping tariffs.",
    ),
    (
        "Leaders talk in Nairobi",
        "President Amani Odhiambo hosted Chancellor Petra Vogel in Nairobi. "
        "They agreed to expand geothermal energy projects. Vogel praised the partnership.",
    ),
]
LATER = (
    "Envoys gather in Hanoi",
    "Envoy Kenji Mori and Envoy Linh Tran met in Hanoi to discuss river water sharing. "
    "Tran warned against unilateral dam construction.",
)
QUESTIONS = ["Who met in Lisbon?", "What did Tran warn against?", "What did Sousa urge?", "geothermal energy"]


def _docs(items) -> list[LoadedDocument]:
    return [LoadedDocument(text=f"{t}\n\n{b}", title=t, source=f"{t}.txt") for t, b in items]


def _answers(components: Components) -> list[tuple[str, list]]:
    out = []
    for question in QUESTIONS:
        answer = components.chat.ask(question)
        out.append((answer.answer, [(c.article_id, c.start, c.end) for c in answer.citations]))
    return out


def test_dense_hits_from_the_lexical_rows_equal_the_stores_own(components):
    list(components.ingest.ingest_documents(_docs(ARTICLES)))
    retriever, store = components.retriever, components.store
    for question in QUESTIONS:
        vector = components.embeddings.embed_query(question)
        assert retriever._dense(vector, 10) == store.dense_search(vector, 10)
    # Passages whose article never committed (a writer killed half-way) stay invisible.
    orphan = store.passages.get(limit=1, include=["documents", "metadatas", "embeddings"])
    store.passages.upsert(
        ids=["orphan-passage"],
        documents=orphan["documents"],
        embeddings=[list(orphan["embeddings"][0])],
        metadatas=[{**orphan["metadatas"][0], "article_id": "never-committed"}],
    )
    vector = [float(x) for x in orphan["embeddings"][0]]
    hits = retriever._dense(vector, 10)
    assert hits == store.dense_search(vector, 10)
    assert "orphan-passage" not in {h.passage_id for h in hits}
    assert "orphan-passage" in {pid for pid, _ in store.dense_neighbours(vector, 10)}


def test_answers_after_a_write_equal_those_of_a_fresh_reader(components, settings):
    assert components.retriever.search("Lisbon", k=3) == []  # the empty store's count is cached now
    list(components.ingest.ingest_documents(_docs(ARTICLES)))
    first = _answers(components)
    assert first == _answers(Components(settings))
    assert first[0][0] != "The ingested articles don't say." and first[0][1]
    list(components.ingest.ingest_documents(_docs([LATER])))
    after = _answers(components)
    assert after == _answers(Components(settings))
    assert "unilateral dam" in after[1][0]  # the new article answers at once


def test_a_write_from_another_process_is_seen(components, settings, tmp_path):
    assert components.chat.ask("What did Tran warn against?").abstained  # empty store: cached as such
    folder = tmp_path / "incoming"
    folder.mkdir()
    for title, body in [*ARTICLES, LATER]:
        (folder / f"{title}.txt").write_text(f"{title}\n\n{body}", "utf-8")
    env = {**os.environ, "BRIEFBOT_EMBEDDER": "hash", "BRIEFBOT_STORE": str(settings.store)}
    env.pop("BRIEFBOT_CHROMA_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot.surfaces.cli", "ingest", "--no-progress", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    time.sleep(GENERATION_TTL + 0.05)  # the generation token is trusted this long
    answer = components.chat.ask("What did Tran warn against?")
    assert "unilateral dam" in answer.answer and answer.citations
    assert _answers(components) == _answers(Components(settings))
